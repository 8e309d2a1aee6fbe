from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from events.models import Commitment, CommitmentStatusChange
from events.services import commitment_create, commitment_set_status, validate_commitment_sides

from .base import ModelSerializer
from .search import SearchResultsListSerializer, SearchSnippetMixin

__all__ = [
    "CommitmentNestedSerializer",
    "CommitmentSerializer",
    "CommitmentStatusChangeSerializer",
    "HidesDraftReaffirmsMixin",
]


class StatusChangeBriefSerializer(ModelSerializer):
    class Meta:
        model = CommitmentStatusChange
        fields = ["id", "status", "date", "note", "statement"]
        read_only_fields = fields


class HidesDraftReaffirmsMixin:
    """`reaffirms` names a commitment of a draft meeting to staff only; for others it is null.

    The viewsets load `reaffirms__meeting` with the commitment, so this costs no query.
    """

    def to_representation(self, instance):
        data = super().to_representation(instance)
        earlier = instance.reaffirms
        user = getattr(self.context.get("request"), "user", None)
        staff = user is not None and user.is_staff
        if earlier is not None and not staff and earlier.meeting.status != "published":
            data["reaffirms"] = None
        return data


class CommitmentSerializer(HidesDraftReaffirmsMixin, SearchSnippetMixin, ModelSerializer):
    """A pledge by one side or an agreement of several, with its status history.

    `status` is read-only: it is the latest entry of `status_changes`, recorded with
    POST /api/v1/commitment-status-changes/. A new commitment starts pledged on its
    meeting's date.
    """

    constraint_fields = {"not_reaffirming_itself": "reaffirms"}

    status_changes = StatusChangeBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "slug",
            "meeting",
            "statement",
            "kind",
            "sides",
            "description",
            "topic",
            "status",
            "status_changes",
            "reaffirms",
            "snippet",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status"]
        list_serializer_class = SearchResultsListSerializer

    def validate(self, attrs):
        current = self.instance

        def value(name):
            # Only a partial update leaves one out, and it has the current record's.
            return attrs[name] if name in attrs else getattr(current, name)

        meeting, kind = value("meeting"), value("kind")
        sides = attrs["sides"] if "sides" in attrs else list(current.sides.all())
        errors = {}
        try:
            validate_commitment_sides(kind=kind, sides=sides, meeting=meeting)
        except DjangoValidationError as error:
            errors |= error.message_dict
        try:
            attrs = super().validate(attrs)
        except serializers.ValidationError as error:
            errors = error.detail | errors
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data):
        return commitment_create(**validated_data)


class CommitmentNestedSerializer(HidesDraftReaffirmsMixin, ModelSerializer):
    """A commitment on its meeting's page."""

    class Meta:
        model = Commitment
        fields = [
            "id",
            "slug",
            "kind",
            "sides",
            "description",
            "topic",
            "status",
            "reaffirms",
            "statement",
        ]
        read_only_fields = fields


class CommitmentStatusChangeSerializer(ModelSerializer):
    """One step of a commitment's history. The history is append-only: POST records a
    change and updates the commitment's `status` in the same transaction."""

    constraint_fields = {"unique_commitment_status_date": "date"}

    class Meta:
        model = CommitmentStatusChange
        fields = ["id", "commitment", "status", "date", "note", "statement", "created_at"]

    def create(self, validated_data):
        return commitment_set_status(**validated_data)
