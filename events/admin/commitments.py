from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ..models import Commitment, CommitmentStatusChange, Country, Statement
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
    "record_pledge",
]


def sync_status(commitment: Commitment) -> None:
    """Make `status` the latest status change's, as the model promises.

    A commitment with no recorded change keeps the status it has (pledged by default).
    """
    latest = commitment.status_changes.order_by("-date", "-id").first()
    if latest is not None and latest.status != commitment.status:
        commitment.status = latest.status
        commitment.save(update_fields=["status", "updated_at"])


def record_pledge(commitment: Commitment) -> None:
    """Start a new commitment's history as the API's `commitment_create` does: pledged on
    the meeting's date, traced to the same statement."""
    if not commitment.status_changes.filter(status=Commitment.Status.PLEDGED).exists():
        CommitmentStatusChange.objects.create(
            commitment=commitment,
            status=Commitment.Status.PLEDGED,
            date=commitment.meeting.date,
            statement=commitment.statement,
        )


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
        cleaned = super().clean()
        meeting, statement = cleaned.get("meeting"), cleaned.get("statement")
        if meeting is not None and statement is not None and statement.meeting_id != meeting.pk:
            self.add_error("statement", _("The statement must be from this meeting."))
        return cleaned


class CommitmentInline(admin.TabularInline):
    """A meeting's commitments; their status history is on each commitment's own page."""

    model = Commitment
    form = CommitmentForm
    fields = ["slug", "kind", "description", "sides", "topic", "statement", "reaffirms", "status"]
    readonly_fields = ["status"]
    autocomplete_fields = ["sides", "topic", "reaffirms"]
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}
    show_change_link = True
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "statement":
            kwargs["queryset"] = Statement.objects.filter(meeting_id=parent_object_id(request))
            return cache_choices(super().formfield_for_foreignkey(db_field, request, **kwargs))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
            record_pledge(form.instance)
        sync_status(form.instance)

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
        sync_status(obj.commitment)
        if change and "commitment" in form.changed_data:
            # Moved from another commitment, whose latest change may now be another one.
            sync_status(Commitment.objects.get(pk=form.initial["commitment"]))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        sync_status(obj.commitment)

    def delete_queryset(self, request, queryset):
        commitments = {change.commitment for change in queryset.select_related("commitment")}
        super().delete_queryset(request, queryset)
        for commitment in commitments:
            sync_status(commitment)
