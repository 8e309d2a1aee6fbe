from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import Commitment, CommitmentStatusChange, Country
from ..models.visibility import visible
from ..services import commitment_slug
from .base import (
    COMPACT_TEXTAREA,
    CuratedAdmin,
    CuratedInline,
    CuratedModelForm,
    ServiceFormSet,
    TopicListFilter,
    VersionedModelForm,
    cache_choices,
    meeting_link,
    parent_object_id,
)
from .widgets import KnownLabelsFormSetMixin, KnownLabelsInlineMixin

__all__ = [
    "CommitmentAdmin",
    "CommitmentInline",
    "CommitmentStatusChangeAdmin",
]


class CommitmentForm(CuratedModelForm):
    """The model checks the statement's meeting, `reaffirms` (`clean`) and which sides may
    make the commitment (`clean_relations`)."""

    class Meta:
        model = Commitment
        fields = [
            "slug",
            "meeting",
            "statement",
            "kind",
            "sides",
            "description",
            "topic",
            "reaffirms",
        ]


class CommitmentPageForm(CommitmentForm, VersionedModelForm):
    pass


class CommitmentRowForm(CommitmentForm):
    """A commitment's row on its meeting's page: a new one gets its slug from its date,
    sides and words (`commitment_slug`); its own page edits the slug."""

    def clean(self):
        cleaned = super().clean()
        commitment = self.instance
        if not commitment.slug and commitment.meeting_id and cleaned.get("description"):
            commitment.slug = commitment_slug(
                meeting=commitment.meeting,
                sides=list(cleaned.get("sides") or []),
                description=cleaned["description"],
            )
        return cleaned


# Reaffirmation chains are a few links long; the walk stops here in any case.
MAX_CHAIN_STEPS = 10


def commitment_chains(commitments, user) -> dict[int, tuple[list, list]]:
    """For each commitment, the chain it belongs to: the earlier commitments it reaffirms
    (the nearest first) and the later ones that reaffirm it (a tree, listed breadth first),
    as far as `user` may see. One query per step along the chains, not per commitment.

    Written against `reaffirms` as one commitment; with several it is the same walk.
    """
    visible_commitments = visible(Commitment.objects.select_related("meeting"), user)
    by_pk = {c.pk: c for c in commitments}
    known = dict(by_pk)
    # Up: each step fetches the commitments the previous step reaffirms.
    wanted = {c.reaffirms_id for c in commitments} - set(known) - {None}
    for _step in range(MAX_CHAIN_STEPS):
        if not wanted:
            break
        found = {c.pk: c for c in visible_commitments.filter(pk__in=wanted)}
        known |= found
        wanted = {c.reaffirms_id for c in found.values()} - set(known) - {None}
    # Down: each step fetches the commitments that reaffirm the previous step's.
    reaffirmed_by: dict[int, list] = {}
    frontier = set(by_pk)
    seen = set(by_pk)
    for _step in range(MAX_CHAIN_STEPS):
        if not frontier:
            break
        later = list(visible_commitments.filter(reaffirms__in=frontier).order_by("meeting__date"))
        for commitment in later:
            reaffirmed_by.setdefault(commitment.reaffirms_id, []).append(commitment)
        frontier = {c.pk for c in later} - seen
        seen |= frontier
    chains = {}
    for commitment in commitments:
        earlier, cursor, steps = [], commitment.reaffirms_id, 0
        while cursor in known and steps < MAX_CHAIN_STEPS:
            earlier.append(known[cursor])
            cursor, steps = known[cursor].reaffirms_id, steps + 1
        later, queue = [], list(reaffirmed_by.get(commitment.pk, []))
        while queue and len(later) < MAX_CHAIN_STEPS:
            item = queue.pop(0)
            later.append(item)
            queue.extend(reaffirmed_by.get(item.pk, []))
        chains[commitment.pk] = (earlier, later)
    return chains


def chain_html(earlier: list, later: list) -> str:
    """The chain as links by date, oldest first, this meeting's commitment marked. The one
    it reaffirms directly is in the row's "reaffirms" field: it is left out here."""

    def link(commitment):
        text = commitment.description
        text = text if len(text) <= 40 else text[:37] + "..."
        return format_html(
            '<li><a href="{}">{}: {}</a></li>',
            reverse("admin:events_commitment_change", args=[commitment.pk]),
            commitment.meeting.date.isoformat(),
            text,
        )

    if len(earlier) <= 1 and not later:
        return ""  # nothing beyond the row's own "reaffirms"
    items = [link(c) for c in reversed(earlier[1:])]
    if earlier:
        items.append(format_html('<li class="quiet">{}</li>', _("the one it reaffirms")))
    items.append(format_html('<li class="chain-current">{}</li>', _("this one")))
    items += [link(c) for c in later]
    return format_html(
        '<ol class="commitment-chain">{}</ol>', format_html_join("", "{}", ((i,) for i in items))
    )


class CommitmentFormSet(KnownLabelsFormSetMixin, ServiceFormSet):
    """A meeting's commitments, each told the chain it belongs to (`commitment_chains`)."""

    user = None  # the curator, set by `CommitmentInline.get_formset`

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commitments = [form.instance for form in self.initial_forms]
        chains = commitment_chains(commitments, self.user) if commitments else {}
        for commitment in commitments:
            commitment.chain = chains.get(commitment.pk, ([], []))


class CommitmentInline(KnownLabelsInlineMixin, CuratedInline, admin.TabularInline):
    """A meeting's commitments, narrow: each with the chain of reaffirmations it belongs to;
    its statement links to the statement's row; the status history is on its own page."""

    model = Commitment
    form = CommitmentRowForm
    formset = CommitmentFormSet
    template = "admin/events/edit_inline/compact.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("description",),
                    ("kind", "sides"),
                    ("topic", "reaffirms", "chain"),
                    ("status", "from_statement"),
                ]
            },
        )
    ]
    readonly_fields = ["chain", "status", "from_statement"]
    # The selected labels of these come with the rows (`KnownLabelsInlineMixin`); sides are
    # a plain select whose few choices load once for all rows (`cache_choices`).
    autocomplete_fields = ["topic", "reaffirms"]
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}
    show_change_link = True
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"user": request.user})

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sides":
            # Only the meeting's sides can make its commitments (validate_commitment_sides).
            kwargs["queryset"] = Country.objects.filter(
                participations__meeting_id=parent_object_id(request)
            ).distinct()
            return cache_choices(super().formfield_for_manytomany(db_field, request, **kwargs))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        # The rows' sides are the form's initial data, their topic and reaffirmed
        # commitment the autocompletes' labels: one query each for all of them.
        return (
            super()
            .get_queryset(request)
            .select_related("topic", "reaffirms", "reaffirms__meeting", "statement", "meeting")
            .prefetch_related("sides")
        )

    @admin.display(description=_("chain of reaffirmations"))
    def chain(self, obj):
        earlier, later = getattr(obj, "chain", ([], []))
        return chain_html(earlier, later)

    @admin.display(description=_("from statement"))
    def from_statement(self, obj):
        if obj.statement_id is None:
            return "—"
        return format_html('<a href="#statement-{}">{}</a>', obj.statement_id, _("its statement"))


class CommitmentStatusChangeInline(CuratedInline, admin.TabularInline):
    model = CommitmentStatusChange
    fields = ["date", "status", "note", "statement"]
    autocomplete_fields = ["statement"]
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}
    extra = 1


class ReaffirmationFilter(admin.SimpleListFilter):
    """Commitments that repeat an earlier one, that a later one repeats, or neither."""

    title = _("reaffirmation")
    parameter_name = "reaffirmation"

    def lookups(self, request, model_admin):
        return [
            ("reaffirms", _("Reaffirms an earlier one")),
            ("reaffirmed", _("Reaffirmed later")),
            ("new", _("Reaffirms none")),
        ]

    def queryset(self, request, queryset):
        later = Commitment.objects.filter(reaffirms=OuterRef("pk"))
        if self.value() == "reaffirms":
            return queryset.filter(reaffirms__isnull=False)
        if self.value() == "reaffirmed":
            return queryset.filter(Exists(later))
        if self.value() == "new":
            return queryset.filter(reaffirms__isnull=True)
        return queryset


class CommitmentTopicFilter(TopicListFilter):
    def filter_topics(self, queryset, topic_ids):
        return queryset.filter(topic__in=topic_ids)


@admin.register(Commitment)
class CommitmentAdmin(CuratedAdmin):
    form = CommitmentPageForm
    list_display = [
        "__str__",
        "kind",
        "status",
        "topic",
        "side_codes",
        "meeting_column",
        "reaffirms_column",
    ]
    list_filter = [
        "status",
        "kind",
        ReaffirmationFilter,
        CommitmentTopicFilter,
        ("sides", admin.RelatedOnlyFieldListFilter),
        "meeting__status",
        "meeting__date",
    ]
    list_select_related = ["meeting", "topic", "reaffirms__meeting"]
    search_fields = ["description", "slug", "statement__text"]
    date_hierarchy = "meeting__date"
    autocomplete_fields = ["meeting", "statement", "sides", "topic", "reaffirms"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [CommitmentStatusChangeInline]
    fieldsets = [
        (None, {"fields": ["slug", "meeting", "statement", "kind", "sides", "topic"]}),
        (_("What"), {"fields": ["description", "reaffirms"]}),
        (
            _("Status"),
            {
                "fields": ["status"],
                "description": _(
                    "The status is the latest status change below; record a change to update it."
                ),
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        sides = Prefetch("sides", queryset=Country.objects.only("alpha3"))
        return super().get_queryset(request).prefetch_related(sides)

    @admin.display(description=_("sides"))
    def side_codes(self, obj):
        return ", ".join(country.alpha3 for country in obj.sides.all())

    @admin.display(description=_("meeting"), ordering="meeting__date")
    def meeting_column(self, obj):
        return meeting_link(obj.meeting, anchor="#commitments-group")

    @admin.display(description=_("reaffirms"), ordering="reaffirms__meeting__date")
    def reaffirms_column(self, obj):
        earlier = obj.reaffirms
        if earlier is None:
            return "—"
        text = (
            earlier.description
            if len(earlier.description) <= 50
            else earlier.description[:47] + "..."
        )
        return format_html(
            '<a href="{}" title="{}">{}: {}</a>',
            reverse("admin:events_commitment_change", args=[earlier.pk]),
            earlier.description,
            earlier.meeting.date.isoformat(),
            text,
        )


@admin.register(CommitmentStatusChange)
class CommitmentStatusChangeAdmin(CuratedAdmin):
    list_display = ["commitment", "status", "date", "statement"]
    list_filter = ["status", "date"]
    list_select_related = ["commitment", "statement"]
    search_fields = ["commitment__description", "commitment__slug", "note"]
    autocomplete_fields = ["commitment", "statement"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "date"
