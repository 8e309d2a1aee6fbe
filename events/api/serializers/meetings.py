from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.models import Meeting, Participant
from events.services import ParticipantData, meeting_create, validate_record

from .base import ModelSerializer, iso_date, iso_datetime, validation_error
from .commitments import CommitmentNestedSerializer
from .gatherings import GatheringBriefSerializer
from .geography import PlaceBriefSerializer
from .people import PersonBriefSerializer, PositionBriefSerializer
from .search import SearchResultsListSerializer, SearchSnippetMixin
from .sources import SourceBriefSerializer, StatementNestedSerializer, statement_fields

__all__ = [
    "MEETING_FIELDS",
    "MeetingDetailSerializer",
    "MeetingListSerializer",
    "MeetingUpdateSerializer",
    "MeetingWriteSerializer",
    "ParticipantSerializer",
    "participant_brief_of_values",
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

    def to_representation(self, meeting):
        """The fields above, shaped by hand: a list of 50 meetings with their participants
        is some 700 nested fields, and DRF's field-by-field walk was most of the request's
        time. The answer is the same, byte for byte (tests/test_api_meetings.py and the
        benchmark floor's tests compare it); a subclass (the meeting's page) walks its
        declared fields as usual."""
        if type(self) is not MeetingListSerializer:
            return super().to_representation(meeting)
        participants = getattr(meeting, "participant_briefs", None)  # the list's page
        if participants is None:
            participants = [participant_brief(p) for p in meeting.participants.all()]
        return {
            **meeting_fields(meeting),
            "participants": participants,
            "snippet": getattr(meeting, "search_snippet", None),
            "created_at": iso_datetime(meeting.created_at),
            "updated_at": iso_datetime(meeting.updated_at),
        }


def participant_brief(participant) -> dict:
    """A participant as the meeting list shows it; the meeting's page adds to it."""
    return {
        "id": participant.id,
        "person": person_brief(participant.person),
        "name_as_written": participant.name_as_written,
        "side": participant.side_id,
        "side_organization": participant.side_organization_id,
        "role": participant.role,
    }


def participant_brief_of_values(
    id, name_as_written, side, side_organization, role, person, slug, name, country
) -> dict:
    """`participant_brief` from a row of plain values (the meeting list reads them so)."""
    return {
        "id": id,
        "person": None
        if person is None
        else {"id": person, "slug": slug, "name": name, "country": country},
        "name_as_written": name_as_written,
        "side": side,
        "side_organization": side_organization,
        "role": role,
    }


def person_brief(person):
    if person is None:
        return None
    return {"id": person.id, "slug": person.slug, "name": person.name, "country": person.country_id}


def organization_brief(organization):
    if organization is None:
        return None
    return {
        "id": organization.id,
        "slug": organization.slug,
        "name": organization.name,
        "abbreviation": organization.abbreviation,
        "kind": organization.kind,
    }


def meeting_fields(meeting) -> dict:
    """`MEETING_FIELDS` of a meeting, as their serializers render them."""
    place, occasion = meeting.place, meeting.occasion
    return {
        "id": meeting.id,
        "slug": meeting.slug,
        "title": meeting.title,
        "date": iso_date(meeting.date),
        "date_qualifier": meeting.date_qualifier,
        "contact_type": meeting.contact_type,
        "plover_event": meeting.PLOVER_EVENT,
        "plover_mode": meeting.plover_mode,
        "place": None
        if place is None
        else {
            "id": place.id,
            "slug": place.slug,
            "name": place.name,
            "kind": place.kind,
            "country": {"alpha3": place.country.alpha3, "name": place.country.name},
        },
        "occasion": None
        if occasion is None
        else {
            "id": occasion.id,
            "slug": occasion.slug,
            "name": occasion.name,
            "kind": occasion.kind,
            "date_earliest": iso_date(occasion.date_earliest),
            "date_latest": iso_date(occasion.date_latest),
        },
        "occasion_relation": meeting.occasion_relation,
        "status": meeting.status,
    }


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

    def to_representation(self, meeting):
        """Shaped by hand as the list is (the same bytes as the nested serializers above,
        which still describe it in the schema): a page with 15 statements, their topics,
        sources, offices and commitments is some 400 fields."""
        if type(self) is not MeetingDetailSerializer:
            return super().to_representation(meeting)
        participants = list(meeting.participants.all())
        joint_sides = sorted({p.side_id for p in participants if p.side_id})
        return {
            **meeting_fields(meeting),
            "notes": meeting.notes,
            "participants": [
                {
                    **participant_brief(participant),
                    "title_as_written": participant.title_as_written,
                    "offices": [
                        {
                            "id": office.id,
                            "slug": office.slug,
                            "title": office.title,
                            "kind": office.kind,
                            "organization": organization_brief(office.organization),
                        }
                        for office in participant.offices.all()
                    ],
                    "order": participant.order,
                }
                for participant in participants
            ],
            "sources": [
                {
                    "id": source.id,
                    "title": source.title,
                    "url": source.url,
                    "publisher": organization_brief(source.publisher),
                    "language": source.language,
                    "published_on": iso_date(source.published_on),
                    "content_hash": source.content_hash,
                }
                for source in meeting.sources.all()
            ],
            "statements": [
                statement_fields(statement, joint_sides) for statement in meeting.statements.all()
            ],
            "commitments": [
                {
                    "id": commitment.id,
                    "slug": commitment.slug,
                    "kind": commitment.kind,
                    "sides": [side.alpha3 for side in commitment.sides.all()],
                    "description": commitment.description,
                    "topics": [topic.slug for topic in commitment.topics.all()],
                    "status": commitment.status,
                    "reaffirms": [earlier.pk for earlier in commitment.reaffirms.all()],
                    "statement": commitment.statement_id,
                }
                for commitment in meeting.commitments.all()
            ],
            "created_at": iso_datetime(meeting.created_at),
            "updated_at": iso_datetime(meeting.updated_at),
        }


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
