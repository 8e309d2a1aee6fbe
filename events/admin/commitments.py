from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ..models import Commitment, CommitmentStatusChange, Country, Statement
from .base import (
    COMPACT_TEXTAREA,
    CuratedAdmin,
    CuratedInline,
    CuratedModelForm,
    TopicListFilter,
    VersionedModelForm,
    cache_choices,
    parent_object_id,
    without_related_links,
)

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


class CommitmentInline(CuratedInline, admin.TabularInline):
    """A meeting's commitments; their status history is on each commitment's own page."""

    model = Commitment
    form = CommitmentForm
    fields = ["slug", "kind", "description", "sides", "topic", "statement", "reaffirms", "status"]
    readonly_fields = ["status"]
    # An autocomplete widget looks up its selected labels once per row: sides and topics
    # are plain selects whose few choices load once for all rows (`cache_choices`).
    autocomplete_fields = ["reaffirms"]
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}
    show_change_link = True
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "statement":
            kwargs["queryset"] = Statement.objects.filter(meeting_id=parent_object_id(request))
        if db_field.name in ("statement", "topic"):
            return cache_choices(super().formfield_for_foreignkey(db_field, request, **kwargs))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sides":
            # Only the meeting's sides can make its commitments (validate_commitment_sides).
            kwargs["queryset"] = Country.objects.filter(
                participations__meeting_id=parent_object_id(request)
            ).distinct()
            return cache_choices(super().formfield_for_manytomany(db_field, request, **kwargs))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return without_related_links(field) if db_field.name == "statement" else field

    def get_queryset(self, request):
        # The rows' sides are the form's initial data: one query for all of them.
        return super().get_queryset(request).prefetch_related("sides")


class CommitmentStatusChangeInline(CuratedInline, admin.TabularInline):
    model = CommitmentStatusChange
    fields = ["date", "status", "note", "statement"]
    autocomplete_fields = ["statement"]
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}
    extra = 1


class CommitmentTopicFilter(TopicListFilter):
    def filter_topics(self, queryset, topic_ids):
        return queryset.filter(topic__in=topic_ids)


@admin.register(Commitment)
class CommitmentAdmin(CuratedAdmin):
    form = CommitmentPageForm
    list_display = ["__str__", "kind", "status", "topic", "side_codes", "meeting"]
    list_filter = [
        "status",
        "kind",
        CommitmentTopicFilter,
        ("sides", admin.RelatedOnlyFieldListFilter),
        "meeting__date",
    ]
    list_select_related = ["meeting", "topic"]
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


@admin.register(CommitmentStatusChange)
class CommitmentStatusChangeAdmin(CuratedAdmin):
    list_display = ["commitment", "status", "date", "statement"]
    list_filter = ["status", "date"]
    list_select_related = ["commitment", "statement"]
    search_fields = ["commitment__description", "commitment__slug", "note"]
    autocomplete_fields = ["commitment", "statement"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "date"
