"""Query-string filters for every resource (django-filter), and the ordering backend.

A malformed value (a date that is not ISO, an unknown alpha-3 code or topic slug, an id
that is not a number) is a 400 naming the parameter, never an empty list that looks like
an answer. Filters that look across a to-many relation use `Exists`, so no row is listed
twice.
"""

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter

from events.api.fields import MAX_ID
from events.models import (
    Commitment,
    CommitmentStatusChange,
    Country,
    Gathering,
    Meeting,
    Organization,
    OrganizationAlias,
    Participant,
    Person,
    PersonAlias,
    Place,
    Position,
    RelationshipLevel,
    SourceDocument,
    Statement,
    Tenure,
    Topic,
)

__all__ = [
    "CommitmentFilterSet",
    "CommitmentStatusChangeFilterSet",
    "CountryFilterSet",
    "GatheringFilterSet",
    "KnownParametersOnly",
    "MeetingFilterSet",
    "OrganizationAliasFilterSet",
    "OrganizationFilterSet",
    "ParticipantFilterSet",
    "PersonAliasFilterSet",
    "PersonFilterSet",
    "PlaceFilterSet",
    "PositionFilterSet",
    "RelationshipLevelFilterSet",
    "SourceFilterSet",
    "StableOrderingFilter",
    "StatementFilterSet",
    "TenureFilterSet",
    "TopicFilterSet",
]


class KnownParametersOnly(BaseFilterBackend):
    """A list refuses a query parameter it does not know (400 naming it), rather than answer
    everything as if it had filtered: `statements/?search=medicine` is a typo for `q`.

    Known: the filterset's filters, each filter backend's parameters (`ordering`), the
    paginator's (`page`, `page_size`) and `format`. Runs before the other backends.
    """

    ALWAYS_KNOWN = frozenset({"format"})

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        unknown = sorted(set(request.query_params) - self.known_parameters(view, queryset))
        if unknown:
            known = ", ".join(sorted(self.known_parameters(view, queryset)))
            raise ValidationError(
                {name: [f"Unknown query parameter. This list takes: {known}."] for name in unknown},
                code="unknown_parameter",
            )
        return queryset

    def known_parameters(self, view, queryset) -> set[str]:
        known = set(self.ALWAYS_KNOWN)
        for backend_class in getattr(view, "filter_backends", []):
            backend = backend_class()
            if isinstance(backend, DjangoFilterBackend):
                filterset_class = backend.get_filterset_class(view, queryset)
                if filterset_class is not None:
                    known |= set(filterset_class.base_filters)
            elif isinstance(backend, OrderingFilter):
                known.add(backend.ordering_param)
            elif hasattr(backend, "search_param"):
                known.add(backend.search_param)
        paginator = getattr(view, "paginator", None)
        for attribute in ("page_query_param", "page_size_query_param", "cursor_query_param"):
            name = getattr(paginator, attribute, None)
            if name:
                known.add(name)
        return known


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` from the view's whitelist, with the primary key as the last tie-breaker,
    so that rows with equal sort keys keep their place from one page to the next."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not {"pk", "-pk", "id", "-id"} & set(ordering):
            ordering.append("pk")
        return ordering


# Fields -------------------------------------------------------------------------------


class CountryChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": "Unknown country code '%(value)s': give an ISO 3166-1 alpha-3 code."
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class TopicChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "Unknown topic '%(value)s'."}


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{3}$", "example": "CHN"})
class CountryFilter(filters.ModelChoiceFilter):
    """A country by its alpha-3 code (any case)."""

    field_class = CountryChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Country.objects.all())
        kwargs.setdefault("to_field_name", "alpha3")
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class TopicFilter(filters.ModelChoiceFilter):
    """A topic by its slug; matches the topic and every topic below it."""

    field_class = TopicChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Topic.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """A record's numeric id; out-of-range numbers are refused before they reach the database."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def search(*fields):
    """A `q` filter: case-insensitive substring match on any of `fields`."""

    def method(queryset, name, value: str):
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    return method


def alias_search(alias_model, owner, *fields):
    """A `q` filter that also finds a record through any of its aliases."""

    def method(queryset, name, value: str):
        query = Q(
            Exists(alias_model.objects.filter(**{owner: OuterRef("pk")}, name__icontains=value))
        )
        for field in fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    return method


Q_HELP = "Case-insensitive search in names."


# Places, organisations, people --------------------------------------------------------


class CountryFilterSet(filters.FilterSet):
    q = filters.CharFilter(method=search("name", "official_name", "alpha3"), help_text=Q_HELP)

    class Meta:
        model = Country
        fields = ["alpha2", "numeric"]


class PlaceFilterSet(filters.FilterSet):
    country = CountryFilter()
    parent = IdFilter()
    q = filters.CharFilter(method=search("name"), help_text=Q_HELP)

    class Meta:
        model = Place
        fields = ["slug", "kind"]


class OrganizationFilterSet(filters.FilterSet):
    country = CountryFilter()
    parent = IdFilter()
    q = filters.CharFilter(
        method=alias_search(OrganizationAlias, "organization", "name", "abbreviation"),
        help_text="Case-insensitive search in names, abbreviations and aliases.",
    )

    class Meta:
        model = Organization
        fields = ["slug", "kind", "abbreviation"]


class OrganizationAliasFilterSet(filters.FilterSet):
    organization = IdFilter()
    q = filters.CharFilter(method=search("name"), help_text=Q_HELP)

    class Meta:
        model = OrganizationAlias
        fields = ["language"]


class PersonFilterSet(filters.FilterSet):
    country = CountryFilter()
    position = IdFilter(method="filter_position", help_text="People who held this office.")
    organization = IdFilter(
        method="filter_organization", help_text="People who held an office in this organisation."
    )
    q = filters.CharFilter(
        method=alias_search(PersonAlias, "person", "name", "native_name"),
        help_text="Case-insensitive search in names and aliases.",
    )

    class Meta:
        model = Person
        fields = ["slug", "needs_review"]

    def filter_position(self, queryset, name, value):
        return queryset.filter(
            Exists(Tenure.objects.filter(person=OuterRef("pk"), position_id=value))
        )

    def filter_organization(self, queryset, name, value):
        return queryset.filter(
            Exists(Tenure.objects.filter(person=OuterRef("pk"), position__organization_id=value))
        )


class PersonAliasFilterSet(filters.FilterSet):
    person = IdFilter()
    q = filters.CharFilter(method=search("name"), help_text=Q_HELP)

    class Meta:
        model = PersonAlias
        fields = ["language"]


class PositionFilterSet(filters.FilterSet):
    organization = IdFilter()
    person = IdFilter(method="filter_person", help_text="Offices this person held.")
    q = filters.CharFilter(method=search("title"), help_text="Case-insensitive search in titles.")

    class Meta:
        model = Position
        fields = ["slug", "kind"]

    def filter_person(self, queryset, name, value):
        return queryset.filter(
            Exists(Tenure.objects.filter(position=OuterRef("pk"), person_id=value))
        )


class TenureFilterSet(filters.FilterSet):
    person = IdFilter()
    position = IdFilter()
    organization = IdFilter(field_name="position__organization")
    held_on = filters.DateFilter(
        method="filter_held_on",
        help_text="Tenures that may have been running on this date (given what is known of "
        "their start and end).",
    )

    class Meta:
        model = Tenure
        fields = ["status"]

    def filter_held_on(self, queryset, name, value):
        return queryset.filter(
            Q(start_earliest__lte=value) | Q(start_earliest__isnull=True),
            Q(end_latest__gte=value) | Q(end_latest__isnull=True),
        )


class TopicFilterSet(filters.FilterSet):
    parent = TopicFilter(
        method="filter_parent", help_text="Topics below this one (its slug), at any depth."
    )
    q = filters.CharFilter(method=search("name", "description"), help_text=Q_HELP)

    class Meta:
        model = Topic
        fields = ["slug"]

    def filter_parent(self, queryset, name, value):
        return queryset.filter(pk__in=Topic.objects.with_descendants([value]) - {value.pk})


class GatheringFilterSet(filters.FilterSet):
    host_country = CountryFilter()
    place = IdFilter()
    date_after = filters.DateFilter(
        field_name="date_latest", lookup_expr="gte", help_text="Held on or after (ISO date)."
    )
    date_before = filters.DateFilter(
        field_name="date_earliest", lookup_expr="lte", help_text="Held on or before (ISO date)."
    )
    q = filters.CharFilter(method=search("name"), help_text=Q_HELP)

    class Meta:
        model = Gathering
        fields = ["slug", "kind"]


class RelationshipLevelFilterSet(filters.FilterSet):
    country = CountryFilter(method="filter_country", help_text="Either country of the pair.")
    country_a = CountryFilter()
    country_b = CountryFilter()
    q = filters.CharFilter(method=search("level"), help_text="Search in the stated level.")

    class Meta:
        model = RelationshipLevel
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(Q(country_a=value) | Q(country_b=value))


# Meetings and what belongs to them ----------------------------------------------------


class MeetingFilterSet(filters.FilterSet):
    date_after = filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="On or after this ISO date."
    )
    date_before = filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text="On or before this ISO date."
    )
    country = CountryFilter(
        method="filter_country",
        help_text="Meetings with a participant on this side, or held in this country.",
    )
    counterpart = CountryFilter(
        method="filter_counterpart",
        help_text="Meetings with a participant on this side (with `country`: that country's "
        "meetings with this one).",
    )
    person = IdFilter(method="filter_person", help_text="Meetings this person took part in.")
    kind = filters.ChoiceFilter(field_name="contact_type", choices=Meeting.ContactType.choices)
    topic = TopicFilter(
        method="filter_topic",
        help_text="Meetings with a statement on this topic (slug) or on one below it.",
    )
    place = IdFilter()
    occasion = IdFilter()
    q = filters.CharFilter(method=search("title"), help_text="Search in titles.")

    class Meta:
        model = Meeting
        fields = ["slug", "status", "plover_mode"]

    def filter_country(self, queryset, name, value):
        side = Participant.objects.filter(meeting=OuterRef("pk"), side=value)
        return queryset.filter(Q(Exists(side)) | Q(place__country=value))

    def filter_counterpart(self, queryset, name, value):
        return queryset.filter(
            Exists(Participant.objects.filter(meeting=OuterRef("pk"), side=value))
        )

    def filter_person(self, queryset, name, value):
        return queryset.filter(
            Exists(Participant.objects.filter(meeting=OuterRef("pk"), person_id=value))
        )

    def filter_topic(self, queryset, name, value):
        on_topic = Statement.topics.through.objects.filter(
            statement__meeting=OuterRef("pk"), topic_id__in=Topic.objects.with_descendants([value])
        )
        return queryset.filter(Exists(on_topic))


class ParticipantFilterSet(filters.FilterSet):
    meeting = IdFilter()
    person = IdFilter()
    side = CountryFilter()
    side_organization = IdFilter()
    office = IdFilter(method="filter_office", help_text="Participants holding this office.")
    q = filters.CharFilter(
        method=search("name_as_written", "title_as_written"),
        help_text="Search in names and titles as written.",
    )

    class Meta:
        model = Participant
        fields = ["role"]

    def filter_office(self, queryset, name, value):
        offices = Participant.offices.through.objects.filter(
            participant=OuterRef("pk"), position_id=value
        )
        return queryset.filter(Exists(offices))


class SourceFilterSet(filters.FilterSet):
    meeting = IdFilter(method="filter_meeting", help_text="Sources reporting this meeting.")
    publisher = IdFilter()
    published_after = filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_before = filters.DateFilter(field_name="published_on", lookup_expr="lte")
    q = filters.CharFilter(method=search("title"), help_text="Search in titles.")

    class Meta:
        model = SourceDocument
        fields = ["language", "content_hash"]

    def filter_meeting(self, queryset, name, value):
        # A meeting the user may not see reports nothing, as if it did not exist.
        reports = SourceDocument.meetings.through.objects.filter(
            sourcedocument=OuterRef("pk"),
            meeting_id=value,
            meeting__in=Meeting.objects.visible_to(self.request.user),
        )
        return queryset.filter(Exists(reports))


class StatementFilterSet(filters.FilterSet):
    meeting = IdFilter()
    source = IdFilter()
    speaker = IdFilter()
    side = CountryFilter(
        method="filter_side",
        help_text="Statements of this side: by a speaker of this side, attributed to it, or "
        "joint statements of a meeting it took part in.",
    )
    topic = TopicFilter(method="filter_topic", help_text="On this topic (slug) or one below it.")
    status = filters.ChoiceFilter(
        field_name="meeting__status",
        choices=Meeting.Status.choices,
        help_text="The curation status of the statement's meeting.",
    )
    q = filters.CharFilter(method=search("text"), help_text="Search in the text.")

    class Meta:
        model = Statement
        fields = ["kind", "attribution", "plover_code"]

    def filter_side(self, queryset, name, value):
        took_part = Participant.objects.filter(meeting=OuterRef("meeting"), side=value)
        return queryset.filter(
            Q(speaker__side=value)
            | Q(side=value)
            | Q(Exists(took_part), attribution=Statement.Attribution.JOINT)
        )

    def filter_topic(self, queryset, name, value):
        on_topic = Statement.topics.through.objects.filter(
            statement=OuterRef("pk"), topic_id__in=Topic.objects.with_descendants([value])
        )
        return queryset.filter(Exists(on_topic))


class CommitmentFilterSet(filters.FilterSet):
    meeting = IdFilter()
    side = CountryFilter(method="filter_side", help_text="Commitments this side made.")
    topic = TopicFilter(
        method="filter_topic",
        help_text="On this topic (slug) or one below it: the commitment's own topics, or "
        "those of the statement it comes from.",
    )
    date_after = filters.DateFilter(
        field_name="meeting__date", lookup_expr="gte", help_text="Made on or after (ISO date)."
    )
    date_before = filters.DateFilter(
        field_name="meeting__date", lookup_expr="lte", help_text="Made on or before (ISO date)."
    )
    reaffirms = IdFilter(
        method="filter_reaffirms", help_text="Commitments that reaffirm this earlier one."
    )
    reaffirmed_by = IdFilter(
        method="filter_reaffirmed_by", help_text="Commitments this later one reaffirms."
    )
    reaffirms__isnull = filters.BooleanFilter(
        method="filter_reaffirms_isnull",
        help_text="`false`: only commitments that reaffirm an earlier one; `true`: only those "
        "that reaffirm none.",
    )
    q = filters.CharFilter(method=search("description"), help_text="Search in descriptions.")

    class Meta:
        model = Commitment
        fields = ["slug", "kind", "status"]

    def filter_side(self, queryset, name, value):
        sides = Commitment.sides.through.objects.filter(commitment=OuterRef("pk"), country=value)
        return queryset.filter(Exists(sides))

    # A commitment the user may not see reaffirms nothing and is reaffirmed by nothing.

    def _links(self, **lookups):
        visible = Commitment.objects.visible_to(self.request.user).values("pk")
        return Commitment.reaffirms.through.objects.filter(**lookups).filter(
            from_commitment__in=visible, to_commitment__in=visible
        )

    def filter_reaffirms(self, queryset, name, value):
        links = self._links(from_commitment=OuterRef("pk"), to_commitment=value)
        return queryset.filter(Exists(links))

    def filter_reaffirmed_by(self, queryset, name, value):
        links = self._links(to_commitment=OuterRef("pk"), from_commitment=value)
        return queryset.filter(Exists(links))

    def filter_reaffirms_isnull(self, queryset, name, value):
        links = Exists(self._links(from_commitment=OuterRef("pk")))
        return queryset.exclude(links) if value else queryset.filter(links)

    def filter_topic(self, queryset, name, value):
        topics = Topic.objects.with_descendants([value])
        own = Commitment.topics.through.objects.filter(commitment=OuterRef("pk"), topic__in=topics)
        said = Statement.topics.through.objects.filter(
            statement=OuterRef("statement"), topic__in=topics
        )
        return queryset.filter(Exists(own) | Exists(said))


class CommitmentStatusChangeFilterSet(filters.FilterSet):
    commitment = IdFilter()
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = CommitmentStatusChange
        fields = ["status"]
