from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.models import Commitment, CommitmentStatusChange
from events.services import commitment_create, commitment_set_status

from .base import ModelSerializer

__all__ = [
    "CommitmentNestedSerializer",
    "CommitmentSerializer",
    "CommitmentStatusChangeSerializer",
]


class StatusChangeBriefSerializer(ModelSerializer):
    class Meta:
        model = CommitmentStatusChange
        fields = ["id", "status", "date", "note", "statement"]
        read_only_fields = fields


class CommitmentSerializer(ModelSerializer):
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
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status"]

    def validate(self, attrs):
        current = self.instance

        def value(name):
            return attrs[name] if name in attrs else getattr(current, name, None)

        meeting, statement, reaffirms, kind = (
            value("meeting"),
            value("statement"),
            value("reaffirms"),
            value("kind"),
        )
        sides = attrs["sides"] if "sides" in attrs else list(current.sides.all())
        errors = {}
        if statement is not None and statement.meeting_id != meeting.pk:
            errors["statement"] = [_("The statement belongs to another meeting.")]
        if reaffirms is not None:
            if current is not None and reaffirms.pk == current.pk:
                errors["reaffirms"] = [_("A commitment cannot reaffirm itself.")]
            elif reaffirms.meeting_id == meeting.pk or reaffirms.meeting.date > meeting.date:
                errors["reaffirms"] = [_("A commitment reaffirms one made at an earlier meeting.")]
        if kind == Commitment.Kind.PLEDGE and len(sides) != 1:
            errors["sides"] = [_("A pledge is made by one side.")]
        elif kind == Commitment.Kind.AGREEMENT and len(sides) < 2:
            errors["sides"] = [_("An agreement is made by at least two sides.")]
        else:
            present = set(meeting.participants.values_list("side", flat=True))
            absent = sorted(side.pk for side in sides if side.pk not in present)
            if absent:
                errors["sides"] = [
                    _("Not a side of this meeting: %(codes)s.") % {"codes": ", ".join(absent)}
                ]
        if errors:
            raise serializers.ValidationError(errors)
        return super().validate(attrs)

    def create(self, validated_data):
        return commitment_create(**validated_data)


class CommitmentNestedSerializer(ModelSerializer):
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

    def validate(self, attrs):
        commitment = attrs["commitment"]
        if attrs["date"] < commitment.meeting.date:
            raise serializers.ValidationError(
                {
                    "date": [
                        _("This is before the commitment was made (%s).") % commitment.meeting.date
                    ]
                }
            )
        return super().validate(attrs)

    def create(self, validated_data):
        return commitment_set_status(**validated_data)
