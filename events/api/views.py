"""The API's viewsets: each one a queryset, serializers, a filterset and an ordering.

Every relation a serializer follows is loaded here, with `select_related` or a
`Prefetch`, so a page of results costs a fixed number of queries (the tests pin them).
"""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from events.api import conditional, exports, filtersets, serializers
from events.api.history import HistoryEntrySerializer, HistoryPagination, history_with_changes
from events.api.pagination import CursorPagination, PageNumberPagination
from events.api.parsers import JSONParser
from events.api.permissions import CommitmentStatusPermission, SourcePermission
from events.api.relations import TimelineSerializer, person_timeline
from events.api.renderers import JSONRenderer
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
from events.models.visibility import can_see_drafts, visible
from events.services import delete_record

__all__ = [
    "CommitmentStatusChangeViewSet",
    "CommitmentViewSet",
    "CountryViewSet",
    "GatheringViewSet",
    "MeetingViewSet",
    "OrganizationAliasViewSet",
    "OrganizationViewSet",
    "ParticipantViewSet",
    "PersonAliasViewSet",
    "PersonViewSet",
    "PlaceViewSet",
    "PositionViewSet",
    "RelationshipLevelViewSet",
    "SourceViewSet",
    "StatementViewSet",
    "TenureViewSet",
    "TopicViewSet",
]

TIMESTAMPS = ["created_at", "updated_at"]

WRITE_ERRORS = {
    412: OpenApiResponse(
        description="`If-Match` or `If-Unmodified-Since` named a version older than the "
        "record's: it changed since it was read. The answer's `ETag` is the current one."
    ),
}


class ModelViewSet(viewsets.ModelViewSet):
    """CRUD with the tracker's conventions.

    - `queryset` serves lists; `detail_queryset` (if set) one record's page, with what its
      serializer nests; writes load the bare row.
    - Readers see what `visible_to` lets them (`events.models.visibility`); a hidden record
      is a 404, as if it did not exist.
    - `list_serializer_class` and `write_serializer_class` (if set) replace
      `serializer_class` for lists and for writes; a write then answers with
      `serializer_class`, as a GET of the record would.
    - Writes go through the services (the serializers call them; deletes `delete_record`),
      each in one transaction. A record's page carries `ETag` (its version) and
      `Last-Modified`; PUT, PATCH and DELETE honour `If-Match` and `If-Unmodified-Since`.
    - `GET .../{id}/history/` lists the record's versions with what each changed.
    - A list's page carries a weak `ETag` and `Last-Modified` from the rows it shows
      (`conditional.page_validators`), an export the whole list's
      (`conditional.list_validators`), a record its strong ones; all answer 304 to
      `If-None-Match` / `If-Modified-Since`.
    - A list is also an export (`export_renderer_classes`, `events.api.exports`): the whole
      filtered list, streamed, as CSV or NDJSON (and more where a viewset adds formats).
    """

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    lookup_value_regex = r"[0-9]+"
    detail_queryset = None
    list_serializer_class = None
    write_serializer_class = None
    export_renderer_classes = [exports.CSVRenderer, exports.NDJSONRenderer]

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list":
            renderers += [renderer() for renderer in self.export_renderer_classes]
        return renderers

    def handle_exception(self, exc):
        # An error is a JSON problem whatever format was asked for.
        request = getattr(self, "request", None)
        if isinstance(getattr(request, "accepted_renderer", None), exports.ExportRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        renderer = request.accepted_renderer
        if isinstance(renderer, exports.ExportRenderer):
            validators = conditional.list_validators(queryset, request)
            if conditional.not_modified(request, validators.etag, validators.last_modified):
                return conditional.not_modified_response(validators.etag, validators.last_modified)
            response = exports.stream(self, queryset, renderer)
            return conditional.with_list_validators(response, validators)
        page = self.paginate_queryset(self.page_queryset(queryset))
        rows = list(page if page is not None else queryset)
        validators = conditional.page_validators(rows, request, position=self._page_position())
        if conditional.not_modified(request, validators.etag, validators.last_modified):
            return conditional.not_modified_response(validators.etag, validators.last_modified)
        self.prepare_page(rows)
        data = self.get_serializer(rows, many=True).data
        response = self.get_paginated_response(data) if page is not None else Response(data)
        return conditional.with_list_validators(response, validators)

    def _page_position(self) -> list:
        """Where the page sits in its list: its neighbours' links and, for page numbers, the
        list's count."""
        paginator = self.paginator
        if paginator is None or not hasattr(paginator, "get_next_link"):
            return []
        position = [paginator.get_next_link(), paginator.get_previous_link()]
        page = getattr(paginator, "page", None)  # a cursor's page is a list of rows
        if hasattr(page, "paginator"):
            position.append(page.paginator.count)
        return position

    def get_queryset(self):
        if self.action == "list":
            queryset = self.queryset.all()
        elif self.action == "retrieve" or self.action is None:
            queryset = self._detail_queryset()
        else:
            queryset = self.queryset.model._default_manager.all()
        return self.prefetch_for_user(visible(queryset, self.request.user))

    def filter_queryset(self, queryset):
        # A record's address names it: the list's filters do not narrow it, and DRF would
        # otherwise build and validate a whole filterset on every detail request.
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def page_queryset(self, queryset):
        """The list's queryset narrowed to what a page of JSON shows (an export may need
        more of each row)."""
        return queryset

    def prepare_page(self, rows):
        """Load what a page of JSON shows of its rows' relations, when a viewset reads it
        otherwise than with the queryset's prefetches."""

    def prefetch_for_user(self, queryset):
        """Prefetches that depend on who asks (what they may see of related records)."""
        return queryset

    def get_serializer_class(self):
        # By method rather than action, so that OPTIONS describes what POST and PUT accept.
        writing = getattr(self.request, "method", "GET") in {"POST", "PUT", "PATCH"}
        if writing and self.write_serializer_class is not None:
            return self.write_serializer_class
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def retrieve(self, request, *args, **kwargs):
        if {"If-None-Match", "If-Modified-Since"} & set(request.headers):
            current = self._current_validators()
            if current is not None:
                tag, updated_at = conditional.version_etag(current[0]), current[1]
                if conditional.not_modified(request, tag, updated_at):
                    return conditional.not_modified_response(tag, updated_at)
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        return conditional.with_validators(response, instance)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        instance = serializer.instance
        body = self.read_back(instance) if self.write_serializer_class else serializer.data
        response = Response(body, status=status.HTTP_201_CREATED)
        return conditional.with_validators(response, instance)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        expected_version = conditional.expected_version(request, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        serializer.save(expected_version=expected_version)
        instance = serializer.instance
        body = self.read_back(instance) if self.write_serializer_class else serializer.data
        return conditional.with_validators(Response(body), instance)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        expected_version = conditional.expected_version(request, instance)
        self.delete_record(instance, expected_version=expected_version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def delete_record(self, instance, *, expected_version):
        delete_record(instance, expected_version=expected_version, user=self.request.user)

    def _detail_queryset(self):
        return (self.queryset if self.detail_queryset is None else self.detail_queryset).all()

    def _current_validators(self):
        """The record's (version, updated_at) in one query, without loading its page; None
        when the reader may not see it (the full path then answers 404)."""
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        lookup = {self.lookup_field: self.kwargs[lookup_url_kwarg]}
        return queryset.filter(**lookup).values_list("version", "updated_at").first()

    def read_back(self, instance):
        """The record as GET shows it, loaded with what its serializer nests."""
        # Not narrowed to what the writer may see: they have just written this record.
        instance = self.prefetch_for_user(self._detail_queryset()).get(pk=instance.pk)
        return self.serializer_class(instance, context=self.get_serializer_context()).data

    @extend_schema(
        summary="The record's versions, newest first",
        description="Every create, change and delete of the record: when, by whom (shown to "
        "curators), through which channel (api, admin, import, command), and each field's "
        "value before and after (`changes`), many-to-many links included. A record the "
        "reader may not see is a 404.",
        responses=HistoryEntrySerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=HistoryPagination)
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        entries = instance.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        page = self.paginate_queryset(entries)
        context = self.get_serializer_context() | {"show_users": can_see_drafts(request.user)}
        data = HistoryEntrySerializer(history_with_changes(page), many=True, context=context).data
        return self.get_paginated_response(data)


# Places, organisations, people --------------------------------------------------------


class CountryViewSet(ModelViewSet):
    """ISO 3166-1 countries, addressed by alpha-3 code: /api/v1/countries/TJK/."""

    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    filterset_class = filtersets.CountryFilterSet
    lookup_field = "alpha3"
    lookup_value_regex = r"[A-Z]{3}"
    ordering_fields = ["alpha3", "alpha2", "numeric", "name", *TIMESTAMPS]
    ordering = ["name"]


class PlaceViewSet(ModelViewSet):
    queryset = Place.objects.all()
    serializer_class = serializers.PlaceSerializer
    filterset_class = filtersets.PlaceFilterSet
    ordering_fields = ["id", "slug", "name", "kind", "country", *TIMESTAMPS]
    ordering = ["name", "id"]


class OrganizationViewSet(ModelViewSet):
    queryset = Organization.objects.prefetch_related("aliases")
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filtersets.OrganizationFilterSet
    ordering_fields = ["id", "slug", "name", "abbreviation", "kind", "country", *TIMESTAMPS]
    ordering = ["name", "id"]


class OrganizationAliasViewSet(ModelViewSet):
    queryset = OrganizationAlias.objects.all()
    serializer_class = serializers.OrganizationAliasSerializer
    filterset_class = filtersets.OrganizationAliasFilterSet
    ordering_fields = ["id", "name", "language", "organization", *TIMESTAMPS]
    ordering = ["name", "id"]


class PersonViewSet(ModelViewSet):
    queryset = Person.objects.prefetch_related("aliases")
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet
    ordering_fields = ["id", "slug", "name", "country", *TIMESTAMPS]
    ordering = ["name", "id"]

    @extend_schema(
        summary="A person's offices and meetings over time",
        description="The offices the person held (tenures, by when they began) and the "
        "meetings they took part in, by date, each with the title and offices of that day.",
        responses=TimelineSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, *args, **kwargs):
        person = self.get_object()
        data = person_timeline(person, request.user)
        return Response(TimelineSerializer(data, context=self.get_serializer_context()).data)


class PersonAliasViewSet(ModelViewSet):
    queryset = PersonAlias.objects.all()
    serializer_class = serializers.PersonAliasSerializer
    filterset_class = filtersets.PersonAliasFilterSet
    ordering_fields = ["id", "name", "language", "person", *TIMESTAMPS]
    ordering = ["name", "id"]


class PositionViewSet(ModelViewSet):
    """Offices, apart from whoever holds them."""

    queryset = Position.objects.all()
    serializer_class = serializers.PositionSerializer
    filterset_class = filtersets.PositionFilterSet
    ordering_fields = ["id", "slug", "title", "kind", "organization", *TIMESTAMPS]
    ordering = ["title", "id"]


class TenureViewSet(ModelViewSet):
    """Who held which office when."""

    queryset = Tenure.objects.all()
    serializer_class = serializers.TenureSerializer
    filterset_class = filtersets.TenureFilterSet
    ordering_fields = ["id", "start_earliest", "end_latest", "status", "person", *TIMESTAMPS]
    ordering = ["person__name", "start_earliest", "id"]


class TopicViewSet(ModelViewSet):
    """The topic tree; topics are referenced by slug."""

    queryset = Topic.objects.select_related("parent")  # the parent is shown by its slug
    serializer_class = serializers.TopicSerializer
    filterset_class = filtersets.TopicFilterSet
    ordering_fields = ["id", "slug", "name", *TIMESTAMPS]
    ordering = ["name", "id"]


class GatheringViewSet(ModelViewSet):
    queryset = Gathering.objects.all()
    serializer_class = serializers.GatheringSerializer
    filterset_class = filtersets.GatheringFilterSet
    ordering_fields = ["id", "slug", "name", "kind", "date_earliest", *TIMESTAMPS]
    ordering = ["-date_earliest", "name", "id"]

    def prefetch_for_user(self, queryset):
        # An organiser or principal only a draft knows of is not listed.
        return queryset.prefetch_related(
            Prefetch("organizers", queryset=Organization.objects.visible_to(self.request.user)),
            Prefetch("principals", queryset=Person.objects.visible_to(self.request.user)),
        )


class RelationshipLevelViewSet(ModelViewSet):
    queryset = RelationshipLevel.objects.all()
    serializer_class = serializers.RelationshipLevelSerializer
    filterset_class = filtersets.RelationshipLevelFilterSet
    ordering_fields = ["id", "country_a", "country_b", "date_earliest", "level", *TIMESTAMPS]
    ordering = ["country_a", "country_b", "date_earliest", "id"]


# Meetings and what belongs to them ----------------------------------------------------


MEETING_LIST_COLUMNS = [
    *(name for name in serializers.MEETING_FIELDS if name not in {"plover_event"}),
    "version",
    *TIMESTAMPS,
    *(f"place__{name}" for name in ["slug", "name", "kind", "country__alpha3", "country__name"]),
    *(f"occasion__{name}" for name in ["slug", "name", "kind", "date_earliest", "date_latest"]),
]
PARTICIPANT_BRIEF_VALUES = [
    "meeting_id",
    "id",
    "name_as_written",
    "side_id",
    "side_organization_id",
    "role",
    "person_id",
    "person__slug",
    "person__name",
    "person__country_id",
]


@extend_schema_view(
    create=extend_schema(
        request=serializers.MeetingWriteSerializer,
        responses={201: serializers.MeetingDetailSerializer},
    ),
    # Participants are edited at /api/v1/participants/; an update naming them is a 400.
    update=extend_schema(
        request=serializers.MeetingUpdateSerializer,
        responses=serializers.MeetingDetailSerializer,
    ),
    partial_update=extend_schema(
        request=serializers.MeetingUpdateSerializer,
        responses=serializers.MeetingDetailSerializer,
    ),
)
class MeetingViewSet(ModelViewSet):
    """Meetings: a list shows who met when and where; one meeting's page nests its
    participants and their offices, place, occasion, sources, statements and commitments.
    POST creates a meeting with its participants in one transaction."""

    queryset = Meeting.objects.select_related("place__country", "occasion").prefetch_related(
        Prefetch("participants", queryset=Participant.objects.select_related("person")),
    )
    detail_queryset = Meeting.objects.select_related("place__country", "occasion").prefetch_related(
        Prefetch("participants", queryset=Participant.objects.select_related("person")),
        Prefetch("participants__offices", queryset=Position.objects.select_related("organization")),
        Prefetch(
            "sources",
            # A meeting's page cites its sources; their texts (up to 200,000 characters) stay out.
            queryset=SourceDocument.objects.defer("text").select_related("publisher"),
        ),
        Prefetch("statements", queryset=Statement.objects.select_related("speaker")),
        "statements__topics",
        Prefetch("commitments", queryset=Commitment.objects.order_by("id")),
        "commitments__sides",
        "commitments__topics",
    )
    serializer_class = serializers.MeetingDetailSerializer
    list_serializer_class = serializers.MeetingListSerializer
    pagination_class = CursorPagination  # a large list: no COUNT(*), no OFFSET
    write_serializer_class = serializers.MeetingWriteSerializer
    filterset_class = filtersets.MeetingFilterSet
    export_renderer_classes = [
        *ModelViewSet.export_renderer_classes,
        exports.ICalendarRenderer,
        exports.PloverRenderer,
    ]
    ordering_fields = ["id", "date", "title", "slug", "status", "contact_type", *TIMESTAMPS]
    ordering = ["-date", "id"]

    def page_queryset(self, queryset):
        # Only the columns the list shows: a page of 50 meetings loads some 350 rows, and
        # reading every column (timestamps, JSON) of each was much of the request's time.
        return queryset.only(*MEETING_LIST_COLUMNS).prefetch_related(None)

    def prepare_page(self, rows):
        # The participants as plain values, in one query: a model for each participant and
        # person was most of what the list cost beyond its queries.
        briefs = {meeting.pk: [] for meeting in rows}
        participants = (
            Participant.objects.filter(meeting__in=list(briefs))
            .order_by("meeting_id", "order", "id")
            .values_list(*PARTICIPANT_BRIEF_VALUES)
        )
        for meeting, *values in participants:
            briefs[meeting].append(serializers.participant_brief_of_values(*values))
        for meeting in rows:
            meeting.participant_briefs = briefs[meeting.pk]

    def _detail_queryset(self):
        # The earlier commitments each one reaffirms, as far as the reader may see them.
        visible = Commitment.objects.visible_to(self.request.user).only("id")
        return (
            super()
            ._detail_queryset()
            .prefetch_related(Prefetch("commitments__reaffirms", queryset=visible))
        )


class ParticipantViewSet(ModelViewSet):
    queryset = Participant.objects.prefetch_related("offices")
    serializer_class = serializers.ParticipantSerializer
    filterset_class = filtersets.ParticipantFilterSet
    ordering_fields = ["id", "meeting", "order", "name_as_written", "role", *TIMESTAMPS]
    ordering = ["meeting", "order", "id"]


READOUT_ERRORS = (
    "The text cannot be read as a readout (empty, binary, too long, no sentence saying who "
    "met whom, a date that does not exist or has no year), or a field is invalid: "
    '`{"field": ["reason"]}`, on `text`, `published_on`, `country` or the field at fault.'
)


@extend_schema_view(
    create=extend_schema(
        description="Store a readout. With `meetings`, the source is stored and linked to "
        "them as given. Without (absent or empty), the text is read as a readout and "
        "imported in one transaction: the source and a draft meeting with its participants "
        "and statements (`import_outcome`: `created`), or, when the meeting it reports is "
        "already recorded (same date, every person named among its participants), the "
        "source is added to that meeting's sources (`attached`). `meetings` in the answer "
        "lists the meeting (a draft one only to staff, who alone may see drafts). The "
        "same text twice is a 400 naming the stored source; a text "
        "that cannot be read is a 400 on its field and nothing is stored. An import also "
        "needs the permissions to add meetings, participants and statements.",
        request=serializers.SourceCreateSerializer,
        responses={
            201: serializers.SourceCreateSerializer,
            400: OpenApiResponse(description=READOUT_ERRORS),
        },
    ),
)
class SourceViewSet(ModelViewSet):
    """Readouts, verbatim. Lists leave the text out; one source's page has it."""

    queryset = SourceDocument.objects.defer("text")
    detail_queryset = SourceDocument.objects.all()
    serializer_class = serializers.SourceSerializer
    list_serializer_class = serializers.SourceListSerializer
    pagination_class = CursorPagination  # a large list: no COUNT(*), no OFFSET
    filterset_class = filtersets.SourceFilterSet
    permission_classes = [SourcePermission]
    # Parsing and importing a readout have their own, stricter limit (events.api.throttling).
    throttle_scope = "readouts"
    ordering_fields = ["id", "published_on", "title", "language", *TIMESTAMPS]
    ordering = ["-published_on", "id"]

    # Writes answer through `read_back`, so the answer lists only the meetings the user sees.
    write_serializer_class = serializers.SourceSerializer

    def get_serializer_class(self):
        # By route rather than action, so that OPTIONS describes what the POST takes.
        if getattr(self, "action_map", {}).get("post") == "parse":
            return serializers.ReadoutParseSerializer
        if getattr(self.request, "method", "GET") == "POST":
            return serializers.SourceCreateSerializer
        return super().get_serializer_class()

    def prefetch_for_user(self, queryset):
        # A source may report a draft meeting too: list only the meetings the user may see.
        visible = Meeting.objects.visible_to(self.request.user).only("id")
        return queryset.prefetch_related(Prefetch("meetings", queryset=visible))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        source = self.prefetch_for_user(self._detail_queryset()).get(pk=serializer.instance.pk)
        source.import_outcome = serializer.instance.import_outcome
        return Response(self.get_serializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Read a readout without saving it",
        description="The draft meeting the importer would create from this text: date, "
        "contact type, place, occasion, participants (with the people and offices they "
        "resolved to), and statements (kind, speaker, span in the text). Nothing is "
        "written. Needs the permission to add sources.",
        request=serializers.ReadoutParseSerializer,
        responses={
            200: serializers.DraftSerializer,
            400: OpenApiResponse(description=READOUT_ERRORS),
        },
    )
    @action(detail=False, methods=["post"])
    def parse(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.parse().as_json())


class StatementViewSet(ModelViewSet):
    queryset = Statement.objects.select_related("speaker", "meeting").prefetch_related(
        "topics",
        "mentioned_countries",
        "mentioned_organizations",
        "mentioned_people",
        "mentioned_gatherings",
        # Joint statements list the sides of everyone who took part.
        "meeting__participants",
    )
    serializer_class = serializers.StatementSerializer
    pagination_class = CursorPagination  # a large list: no COUNT(*), no OFFSET
    filterset_class = filtersets.StatementFilterSet
    export_renderer_classes = [*ModelViewSet.export_renderer_classes, exports.PloverRenderer]
    ordering_fields = ["id", "meeting", "source", "start", "kind", *TIMESTAMPS]
    ordering = ["source", "start", "id"]


class CommitmentViewSet(ModelViewSet):
    """Commitments; `status` changes through POST /api/v1/commitment-status-changes/."""

    queryset = Commitment.objects.prefetch_related("sides", "topics")
    serializer_class = serializers.CommitmentDetailSerializer
    list_serializer_class = serializers.CommitmentSerializer
    pagination_class = CursorPagination  # a large list: no COUNT(*), no OFFSET
    write_serializer_class = serializers.CommitmentSerializer
    filterset_class = filtersets.CommitmentFilterSet
    ordering_fields = ["id", "slug", "kind", "status", "meeting__date", *TIMESTAMPS]
    ordering = ["-meeting__date", "id"]

    def prefetch_for_user(self, queryset):
        user = self.request.user
        changes = CommitmentStatusChange.objects.visible_to(user)
        linked = Commitment.objects.visible_to(user).only("id")
        return queryset.prefetch_related(
            Prefetch("status_changes", queryset=changes),
            # Links to commitments the reader may not see are not listed.
            Prefetch("reaffirms", queryset=linked),
            Prefetch("reaffirmed_by", queryset=linked),
        )

    @extend_schema(
        summary="Commitments that came back",
        description="Groups of commitments linked by reaffirmation (two or more each): how "
        "often a commitment came back and when, the largest group first. Takes the list's "
        "filters (a side, a topic, a status, dates): only the commitments they keep are "
        "grouped.",
        responses=serializers.RecurringCommitmentSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=PageNumberPagination)
    def recurring(self, request):
        commitments = self.filter_queryset(self.get_queryset())
        groups = commitments.order_by().recurring()
        page = self.paginate_queryset(groups)
        members = {pk for group in page for pk in group}
        briefs = {
            commitment.pk: commitment
            for commitment in Commitment.objects.filter(pk__in=members)
            .select_related("meeting")
            .prefetch_related("sides")
        }
        data = serializers.RecurringCommitmentSerializer(
            [[briefs[pk] for pk in group] for group in page],
            many=True,
            context=self.get_serializer_context(),
        ).data
        return self.get_paginated_response(data)


class CommitmentStatusChangeViewSet(ModelViewSet):
    """A commitment's status history, append-only: POST records a change and updates the
    commitment's `status` together; rows cannot be edited or deleted (405)."""

    queryset = CommitmentStatusChange.objects.all()
    serializer_class = serializers.CommitmentStatusChangeSerializer
    filterset_class = filtersets.CommitmentStatusChangeFilterSet
    permission_classes = [CommitmentStatusPermission]
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["id", "date", "status", "commitment", *TIMESTAMPS]
    ordering = ["commitment", "date", "id"]
