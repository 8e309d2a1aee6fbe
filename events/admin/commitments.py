from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ..models import Commitment, CommitmentStatusChange, Country, Statement
from ..services import (
    commitment_record_pledge,
    commitment_sync_status,
    validate_commitment_sides,
)
from .base import (
    COMPACT_TEXTAREA,
    TopicListFilter,
    cache_choices,
    parent_object_id,
    without_related_links,
)

__all__ = [
    "CommitmentAdmin",
    "CommitmentInline",
    "CommitmentStatusChangeAdmin",
]


class CommitmentForm(forms.ModelForm):
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

    def clean(self):
        # The statement's meeting and `reaffirms` are `Commitment.clean()`'s, run by the
        # model form; sides are a many-to-many the model cannot see before it is saved.
        cleaned = super().clean()
        # On the meeting's page, the row's meeting is the page's (set by the formset).
        meeting = cleaned.get("meeting") or getattr(self.instance, "meeting", None)
        kind, sides = cleaned.get("kind"), cleaned.get("sides")
        if meeting is not None and kind and sides is not None and "sides" in self.fields:
            try:
                validate_commitment_sides(kind=kind, sides=list(sides), meeting=meeting)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class CommitmentInline(admin.TabularInline):
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


class CommitmentStatusChangeInline(admin.TabularInline):
    model = CommitmentStatusChange
    fields = ["date", "status", "note", "statement"]
    autocomplete_fields = ["statement"]
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}
    extra = 1


class CommitmentTopicFilter(TopicListFilter):
    def filter_topics(self, queryset, topic_ids):
        return queryset.filter(topic__in=topic_ids)


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    form = CommitmentForm
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            commitment_record_pledge(form.instance)
        commitment_sync_status(form.instance)

    @admin.display(description=_("sides"))
    def side_codes(self, obj):
        return ", ".join(country.alpha3 for country in obj.sides.all())


@admin.register(CommitmentStatusChange)
class CommitmentStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["commitment", "status", "date", "statement"]
    list_filter = ["status", "date"]
    list_select_related = ["commitment", "statement"]
    search_fields = ["commitment__description", "commitment__slug", "note"]
    autocomplete_fields = ["commitment", "statement"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        commitment_sync_status(obj.commitment)
        if change and "commitment" in form.changed_data:
            # Moved from another commitment, whose latest change may now be another one.
            commitment_sync_status(Commitment.objects.get(pk=form.initial["commitment"]))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        commitment_sync_status(obj.commitment)

    def delete_queryset(self, request, queryset):
        commitments = {change.commitment for change in queryset.select_related("commitment")}
        super().delete_queryset(request, queryset)
        for commitment in commitments:
            commitment_sync_status(commitment)
