from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.models import Meeting, Participant
from events.services import ParticipantData, meeting_create, validate_record

from .base import ModelSerializer, validation_error
from .commitments import CommitmentNestedSerializer
from .gatherings import GatheringBriefSerializer
from .geography import PlaceBriefSerializer
from .people import PersonBriefSerializer, PositionBriefSerializer
from .search import SearchResultsListSerializer, SearchSnippetMixin
from .sources import SourceBriefSerializer, StatementNestedSerializer

__all__ = [
    "MeetingDetailSerializer",
    "MeetingListSerializer",
    "MeetingUpdateSerializer",
    "MeetingWriteSerializer",
    "ParticipantSerializer",
]

# A bilateral meeting has a handful of participants; a delegation list, a few dozen.
MAX_PARTICIPANTS = 100


class ParticipantSerializer(ModelSerializer):
    """A participant, edited on its own at /api/v1/participants/."""

    class Meta:
        model = Participant
        fields = [
            "id",
            "meeting",
            "person",
            "name_as_written",
            "side",
            "side_organization",
            "role",
            "title_as_written",
            "offices",
            "order",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"offices": {"required": False}}


class ParticipantListSerializer(serializers.ListSerializer):
    """Reports errors as a list aligned with the input, `[{}, {"side": [...]}]`, so a client
    finds the faulty participant at the index it sent (DRF 3.18 keys them by index)."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            if isinstance(detail, dict) and detail and all(isinstance(k, int) for k in detail):
                raise serializers.ValidationError(
                    [detail.get(index, {}) for index in range(len(data))]
                ) from None
            raise


class ParticipantInputSerializer(ModelSerializer):
    """A participant in the body that creates their meeting: checked here against the
    model's rules (but for the meeting, not yet created) so an error names its index."""

    class Meta:
        model = Participant
        list_serializer_class = ParticipantListSerializer
        fields = [
            "person",
            "name_as_written",
            "side",
            "side_organization",
            "role",
            "title_as_written",
            "offices",
            "order",
        ]
        extra_kwargs = {
            "offices": {"required": False},
            "order": {"required": False, "help_text": "Defaults to the position in the list."},
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        try:
            validate_record(
                self.build_instance(attrs), relations=self.relations_of(attrs), exclude={"meeting"}
            )
        except DjangoValidationError as error:
            raise validation_error(error) from error
        return attrs


class ParticipantBriefSerializer(ModelSerializer):
    person = PersonBriefSerializer(read_only=True, allow_null=True)  # null until resolved

    class Meta:
        model = Participant
        fields = ["id", "person", "name_as_written", "side", "side_organization", "role"]
        read_only_fields = fields


class ParticipantNestedSerializer(ModelSerializer):
    """A participant on their meeting's page, with the offices held that day."""

    person = PersonBriefSerializer(read_only=True, allow_null=True)
    offices = PositionBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "person",
            "name_as_written",
            "side",
            "side_organization",
            "role",
            "title_as_written",
            "offices",
            "order",
        ]
        read_only_fields = fields


MEETING_FIELDS = [
    "id",
    "slug",
    "title",
    "date",
    "date_qualifier",
    "contact_type",
    "plover_event",
    "plover_mode",
    "place",
    "occasion",
    "occasion_relation",
    "status",
]


class MeetingListSerializer(SearchSnippetMixin, ModelSerializer):
    """A meeting in a list: who met, when and where."""

    plover_event = serializers.CharField(
        source="PLOVER_EVENT", read_only=True, help_text="PLOVER event type: always CONSULT."
    )
    place = PlaceBriefSerializer(read_only=True, allow_null=True)
    occasion = GatheringBriefSerializer(read_only=True, allow_null=True)
    participants = ParticipantBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [*MEETING_FIELDS, "participants", "snippet", "created_at", "updated_at"]
        read_only_fields = fields
        list_serializer_class = SearchResultsListSerializer


class MeetingDetailSerializer(MeetingListSerializer):
    """A meeting's page: participants and their offices, sources, statements, commitments."""

    participants = ParticipantNestedSerializer(many=True, read_only=True)
    sources = SourceBriefSerializer(many=True, read_only=True)
    statements = StatementNestedSerializer(many=True, read_only=True)
    commitments = CommitmentNestedSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            *MEETING_FIELDS,
            "notes",
            "participants",
            "sources",
            "statements",
            "commitments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeetingWriteSerializer(ModelSerializer):
    """Creates a meeting with its participants in one request, all or nothing.

    Participants are given only on creation; afterwards they are edited at
    /api/v1/participants/ (a PUT or PATCH naming `participants` is refused).
    """

    participants = ParticipantInputSerializer(
        many=True, required=False, write_only=True, max_length=MAX_PARTICIPANTS
    )

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "title",
            "date",
            "date_qualifier",
            "contact_type",
            "plover_mode",
            "place",
            "occasion",
            "occasion_relation",
            "status",
            "notes",
            "participants",
        ]

    def to_internal_value(self, data):
        if self.instance is not None and isinstance(data, Mapping) and "participants" in data:
            raise serializers.ValidationError(
                {
                    "participants": [
                        _(
                            "Participants are not changed through their meeting: edit them at "
                            "/api/v1/participants/."
                        )
                    ]
                }
            )
        return super().to_internal_value(data)

    def validate_participants(self, participants):
        seen: set[str] = set()
        errors: list[dict] = []
        for participant in participants:
            name = participant["name_as_written"]
            errors.append(
                {"name_as_written": [_("This name is listed twice.")]} if name in seen else {}
            )
            seen.add(name)
        if any(errors):
            raise serializers.ValidationError(errors)
        return participants

    def create(self, validated_data):
        participants = validated_data.pop("participants", [])
        validated_data.pop("expected_version", None)
        return meeting_create(
            **validated_data,
            participants=[ParticipantData(**participant) for participant in participants],
            user=self.user,
        )


class MeetingUpdateSerializer(MeetingWriteSerializer):
    """What PUT and PATCH accept (the schema's view): a meeting without its participants."""

    participants = None

    class Meta(MeetingWriteSerializer.Meta):
        fields = [name for name in MeetingWriteSerializer.Meta.fields if name != "participants"]
