from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
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
    """The model checks the statement's meeting (`clean`), which sides may make the
    commitment and which earlier ones it may reaffirm (`clean_relations`)."""

    class Meta:
        model = Commitment
        fields = [
            "slug",
            "meeting",
            "statement",
            "kind",
            "sides",
            "description",
            "topics",
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
    """For each commitment, the chain it belongs to: every earlier commitment it reaffirms,
    directly or through others, and every later one that reaffirms it, each list in the
    order of their meetings, as far as `user` may see. One query per step along the links
    (for all the commitments at once), and one for the rows found.
    """
    through = Commitment.reaffirms.through
    pks = {c.pk for c in commitments}
    earlier_of: dict[int, set[int]] = {}  # pk -> the pks it reaffirms directly
    later_of: dict[int, set[int]] = {}  # pk -> the pks that reaffirm it directly
    for edges, column, other in (
        (earlier_of, "from_commitment", "to_commitment"),
        (later_of, "to_commitment", "from_commitment"),
    ):
        frontier, seen = set(pks), set(pks)
        for _step in range(MAX_CHAIN_STEPS):
            if not frontier:
                break
            links = through.objects.filter(**{f"{column}__in": frontier}).values_list(column, other)
            frontier = set()
            for here, there in links:
                edges.setdefault(here, set()).add(there)
                if there not in seen:
                    frontier.add(there)
            seen |= frontier
    related = (
        {pk for found in earlier_of.values() for pk in found}
        | {pk for found in later_of.values() for pk in found}
    ) - pks
    rows = {
        c.pk: c
        for c in visible(Commitment.objects.select_related("meeting"), user).filter(pk__in=related)
    }

    def reach(start: int, edges: dict[int, set[int]]) -> list:
        found, queue = set(), list(edges.get(start, ()))
        while queue:
            pk = queue.pop()
            if pk not in found and pk != start:
                found.add(pk)
                queue.extend(edges.get(pk, ()))
        return sorted(
            (rows[pk] for pk in found if pk in rows), key=lambda c: (c.meeting.date, c.pk)
        )

    return {pk: (reach(pk, earlier_of), reach(pk, later_of)) for pk in pks}


def chain_html(earlier: list, later: list, direct: set[int]) -> str:
    """The chain as links by date, oldest first, this meeting's commitment marked. The
    ones it reaffirms directly are in the row's "reaffirms" field: they are only counted."""

    def link(commitment):
        text = commitment.description
        text = text if len(text) <= 40 else text[:37] + "..."
        return format_html(
            '<li><a href="{}">{}: {}</a></li>',
            reverse("admin:events_commitment_change", args=[commitment.pk]),
            commitment.meeting.date.isoformat(),
            text,
        )

    beyond = [c for c in earlier if c.pk not in direct]
    if not beyond and not later:
        return ""  # nothing beyond the row's own "reaffirms"
    items = [link(c) for c in beyond]
    if direct:
        items.append(
            format_html(
                '<li class="quiet">{}</li>',
                _("the %(count)d it reaffirms") % {"count": len(direct)}
                if len(direct) > 1
                else _("the one it reaffirms"),
            )
        )
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
                    ("topics", "reaffirms", "chain"),
                    ("status", "from_statement"),
                ]
            },
        )
    ]
    readonly_fields = ["chain", "status", "from_statement"]
    # The selected labels of these come with the rows (`KnownLabelsInlineMixin`); sides are
    # a plain select whose few choices load once for all rows (`cache_choices`).
    autocomplete_fields = ["topics", "reaffirms"]
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
        # The rows' sides are the form's initial data, their topics and reaffirmed
        # commitments the autocompletes' labels: one query each for all of them.
        return (
            super()
            .get_queryset(request)
            .select_related("statement", "meeting")
            .prefetch_related("sides", "topics", "reaffirms")
        )

    @admin.display(description=_("chain of reaffirmations"))
    def chain(self, obj):
        earlier, later = getattr(obj, "chain", ([], []))
        direct = {commitment.pk for commitment in obj.reaffirms.all()} if obj.pk else set()
        return chain_html(earlier, later, direct)

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
        through = Commitment.reaffirms.through
        reaffirms = Exists(through.objects.filter(from_commitment=OuterRef("pk")))
        reaffirmed = Exists(through.objects.filter(to_commitment=OuterRef("pk")))
        if self.value() == "reaffirms":
            return queryset.filter(reaffirms)
        if self.value() == "reaffirmed":
            return queryset.filter(reaffirmed)
        if self.value() == "new":
            return queryset.filter(~reaffirms)
        return queryset


class CommitmentTopicFilter(TopicListFilter):
    def filter_topics(self, queryset, topic_ids):
        tagged = Commitment.topics.through.objects.filter(
            commitment=OuterRef("pk"), topic__in=topic_ids
        )
        return queryset.filter(Exists(tagged))


@admin.register(Commitment)
class CommitmentAdmin(CuratedAdmin):
    form = CommitmentPageForm
    list_display = [
        "__str__",
        "kind",
        "status",
        "topic_names",
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
    list_select_related = ["meeting"]
    search_fields = ["description", "slug", "statement__text"]
    date_hierarchy = "meeting__date"
    autocomplete_fields = ["meeting", "statement", "sides", "topics", "reaffirms"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [CommitmentStatusChangeInline]
    fieldsets = [
        (None, {"fields": ["slug", "meeting", "statement", "kind", "sides", "topics"]}),
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
        earlier = Prefetch("reaffirms", queryset=Commitment.objects.select_related("meeting"))
        return super().get_queryset(request).prefetch_related(sides, "topics", earlier)

    @admin.display(description=_("topics"))
    def topic_names(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all())

    @admin.display(description=_("sides"))
    def side_codes(self, obj):
        return ", ".join(country.alpha3 for country in obj.sides.all())

    @admin.display(description=_("meeting"), ordering="meeting__date")
    def meeting_column(self, obj):
        return meeting_link(obj.meeting, anchor="#commitments-group")

    @admin.display(description=_("reaffirms"))
    def reaffirms_column(self, obj):
        earlier = sorted(obj.reaffirms.all(), key=lambda c: (c.meeting.date, c.pk))
        if not earlier:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}" title="{}">{}: {}</a>',
            (
                (
                    reverse("admin:events_commitment_change", args=[c.pk]),
                    c.description,
                    c.meeting.date.isoformat(),
                    c.description if len(c.description) <= 50 else c.description[:47] + "...",
                )
                for c in earlier
            ),
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
