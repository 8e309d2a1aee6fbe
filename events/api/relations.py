"""Summaries that answer an analyst's question in one request: the relationship between two
countries (`/api/v1/relations/{A}/{B}/`) and a person's offices and meetings over time
(`/api/v1/people/{id}/timeline/`). Both read only what the reader may see."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from events.api.serializers import (
    CommitmentBriefSerializer,
    CountryBriefSerializer,
    GatheringBriefSerializer,
    PersonBriefSerializer,
    PlaceBriefSerializer,
    PositionBriefSerializer,
)
from events.models import (
    Commitment,
    Country,
    Meeting,
    Participant,
    Person,
    Position,
    RelationshipLevel,
    Statement,
    Tenure,
)

__all__ = ["RelationView", "TimelineSerializer", "person_timeline"]

# The meetings and commitments a summary lists in full (the latest); the rest are counted,
# and listed by `/api/v1/meetings/?between=A,B` and `/api/v1/commitments/?between=A,B`. A
# pair that met hundreds of times would otherwise make the summary a long list.
MAX_MEETINGS_LISTED = 100
MAX_COMMITMENTS_LISTED = 100


class EncounterParticipantSerializer(serializers.ModelSerializer):
    person = PersonBriefSerializer(read_only=True, allow_null=True)
    offices = PositionBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = ["name_as_written", "person", "side", "role", "title_as_written", "offices"]
        read_only_fields = fields


class EncounterSerializer(serializers.ModelSerializer):
    """A meeting: who met whom, in which office that day."""

    place = PlaceBriefSerializer(read_only=True, allow_null=True)
    occasion = GatheringBriefSerializer(read_only=True, allow_null=True)
    participants = EncounterParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "slug",
            "title",
            "date",
            "contact_type",
            "place",
            "occasion",
            "participants",
        ]
        read_only_fields = fields


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    meetings = serializers.IntegerField()
    by_contact_type = serializers.DictField(
        child=serializers.IntegerField(), help_text="Meetings that year by kind of contact."
    )


class TopicCountSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    statements = serializers.IntegerField(help_text="Statements on this topic.")
    meetings = serializers.IntegerField(help_text="Meetings with a statement on it.")


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RelationshipLevel
        fields = ["id", "level", "date_text", "date_precision", "date_earliest", "date_latest"]
        read_only_fields = fields


class RelationCommitmentSerializer(CommitmentBriefSerializer):
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    reaffirms = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    reaffirmed_by = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(CommitmentBriefSerializer.Meta):
        fields = [*CommitmentBriefSerializer.Meta.fields, "topics", "reaffirms", "reaffirmed_by"]
        read_only_fields = fields


class RelationSerializer(serializers.Serializer):
    countries = CountryBriefSerializer(many=True)
    meetings = serializers.IntegerField(help_text="Meetings where both sides took part.")
    first = serializers.DateField(allow_null=True)
    last = serializers.DateField(allow_null=True)
    years = YearSerializer(many=True)
    encounters = EncounterSerializer(
        many=True,
        help_text=f"The latest {MAX_MEETINGS_LISTED} meetings, newest first, with who took "
        "part in which offices; `/api/v1/meetings/?between=A,B` lists them all.",
    )
    topics = TopicCountSerializer(many=True, help_text="Topics by how often they came up.")
    levels = LevelSerializer(many=True, help_text="The stated level of the relationship.")
    commitment_count = serializers.IntegerField(
        help_text="Commitments either or both sides made at these meetings."
    )
    commitments = RelationCommitmentSerializer(
        many=True,
        help_text=f"The latest {MAX_COMMITMENTS_LISTED} of those commitments, oldest first, "
        "with their status and chains; `/api/v1/commitments/?between=A,B` lists them all.",
    )
    recurring = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Groups of these commitments linked by reaffirmation (ids, oldest first).",
    )


def relation(a: Country, b: Country, user) -> dict:
    # The pair's meetings are found once (two EXISTS per meeting); every later query, and
    # the counts by year, start from their keys.
    found = list(
        Meeting.objects.visible_to(user)
        .between(a.pk, b.pk)
        .values_list("pk", "date", "contact_type")
        .order_by("date", "pk")
    )
    meetings = Meeting.objects.filter(pk__in=[pk for pk, _, _ in found])
    years: dict[int, dict] = {}
    for _, date, contact_type in sorted(found, key=lambda row: (row[1].year, row[2])):
        year = years.setdefault(
            date.year, {"year": date.year, "meetings": 0, "by_contact_type": {}}
        )
        year["meetings"] += 1
        by_type = year["by_contact_type"]
        by_type[contact_type] = by_type.get(contact_type, 0) + 1
    encounters = (
        meetings.order_by("-date", "-pk")
        .select_related("place__country", "occasion")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person").prefetch_related(
                    Prefetch("offices", queryset=Position.objects.select_related("organization"))
                ),
            )
        )[:MAX_MEETINGS_LISTED]
    )
    topics = (
        Statement.topics.through.objects.filter(statement__meeting__in=meetings)
        .values("topic__slug", "topic__name")
        .annotate(
            statements=Count("statement", distinct=True),
            meetings=Count("statement__meeting", distinct=True),
        )
        .order_by("-statements", "topic__name")
    )
    first, second = sorted([a.pk, b.pk])
    levels = (
        RelationshipLevel.objects.visible_to(user)
        .filter(country_a=first, country_b=second)
        .order_by("date_earliest", "pk")
    )
    linked = Commitment.objects.visible_to(user).only("id")
    commitments = (
        Commitment.objects.visible_to(user)
        .filter(meeting__in=meetings)
        .select_related("meeting")
        .prefetch_related(
            "sides",
            "topics",
            Prefetch("reaffirms", queryset=linked),
            Prefetch("reaffirmed_by", queryset=linked),
        )
        .order_by("-meeting__date", "-pk")
    )
    latest = list(commitments[:MAX_COMMITMENTS_LISTED])
    latest.reverse()
    return {
        "countries": [a, b],
        "meetings": len(found),
        "first": found[0][1] if found else None,
        "last": found[-1][1] if found else None,
        "years": list(years.values()),
        "encounters": list(encounters),
        "topics": [
            {
                "slug": row["topic__slug"],
                "name": row["topic__name"],
                "statements": row["statements"],
                "meetings": row["meetings"],
            }
            for row in topics
        ],
        "levels": list(levels),
        "commitment_count": commitments.count()
        if len(latest) == MAX_COMMITMENTS_LISTED
        else len(latest),
        "commitments": latest,
        "recurring": Commitment.objects.filter(pk__in=commitments.values("pk")).recurring(),
    }


class RelationView(APIView):
    """`GET /api/v1/relations/{A}/{B}/`: two countries' relationship, in either order."""

    permission_classes = [AllowAny]  # read only; what each reader sees is `visible_to`'s

    @extend_schema(
        summary="The relationship between two countries",
        description="Everything recorded between countries A and B (alpha-3 codes, either "
        "order): how many meetings, by year and kind of contact; the latest meetings with "
        "who met whom in which office that day; the topics that came up, most frequent "
        "first; the stated level of the relationship over time; the commitments made at "
        "those meetings with their status and reaffirmation chains. Only published records "
        "count for readers who may not see drafts.",
        parameters=[
            OpenApiParameter("a", str, "path", description="Alpha-3 code, e.g. CHN."),
            OpenApiParameter("b", str, "path", description="Alpha-3 code, e.g. TJK."),
        ],
        responses=RelationSerializer,
    )
    def get(self, request, a: str, b: str):
        first = get_object_or_404(Country, alpha3=a.upper())
        second = get_object_or_404(Country, alpha3=b.upper())
        if first.pk == second.pk:
            raise ValidationError({"b": ["Give two different countries."]})
        data = relation(first, second, request.user)
        return Response(RelationSerializer(data, context={"request": request}).data)


# A person's timeline ---------------------------------------------------------------


class TenureBriefSerializer(serializers.ModelSerializer):
    position = PositionBriefSerializer(read_only=True)

    class Meta:
        model = Tenure
        fields = [
            "id",
            "position",
            "status",
            "start_text",
            "start_precision",
            "start_earliest",
            "start_latest",
            "end_text",
            "end_precision",
            "end_earliest",
            "end_latest",
        ]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    """A meeting the person took part in, with the title and offices of that day."""

    meeting = serializers.SerializerMethodField()
    offices = PositionBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = ["meeting", "side", "side_organization", "role", "title_as_written", "offices"]
        read_only_fields = fields

    def get_meeting(self, participant) -> dict:
        meeting = participant.meeting
        return {
            "id": meeting.pk,
            "slug": meeting.slug,
            "title": meeting.title,
            "date": meeting.date.isoformat(),
            "contact_type": meeting.contact_type,
            "place": meeting.place.name if meeting.place else None,
        }


class TimelineSerializer(serializers.Serializer):
    person = PersonBriefSerializer()
    offices = TenureBriefSerializer(many=True, help_text="Tenures, by when they began.")
    meetings = AttendanceSerializer(many=True, help_text="Meetings attended, by date.")


def person_timeline(person: Person, user) -> dict:
    offices = (
        Tenure.objects.visible_to(user)
        .filter(person=person)
        .select_related("position__organization")
        .order_by("start_earliest", "pk")
    )
    attended = (
        Participant.objects.visible_to(user)
        .filter(person=person)
        .select_related("meeting__place")
        .prefetch_related(
            Prefetch("offices", queryset=Position.objects.select_related("organization"))
        )
        .order_by("meeting__date", "meeting_id")
    )
    return {"person": person, "offices": list(offices), "meetings": list(attended)}
