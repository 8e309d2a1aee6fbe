from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Commitment, Country, Meeting, Participant, Statement
from ..services import commitment_record_pledge
from .base import COMPACT_INTEGER, TopicListFilter
from .commitments import CommitmentInline
from .sources import SourceLinkInline, StatementInline

__all__ = ["MeetingAdmin", "ParticipantAdmin"]


class MeetingCountryFilter(admin.SimpleListFilter):
    """Meetings a country took part in (a participant's side) or that it hosted (the place).

    Both tests are EXISTS or a to-one join, so a meeting is listed once however many of
    its participants represent the country.
    """

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        involved = Country.objects.filter(
            Exists(Participant.objects.filter(side=OuterRef("pk")))
            | Exists(Meeting.objects.filter(place__country=OuterRef("pk")))
        )
        return [
            (alpha3, f"{name} ({alpha3})")
            for alpha3, name in involved.values_list("alpha3", "name")
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        country = self.value().upper()
        sides = Participant.objects.filter(meeting=OuterRef("pk"), side=country)
        return queryset.filter(Q(Exists(sides)) | Q(place__country=country))


class MeetingTopicFilter(TopicListFilter):
    """Meetings with a statement about the topic (or a topic below it)."""

    def filter_topics(self, queryset, topic_ids):
        tagged = Statement.topics.through.objects.filter(
            statement__meeting=OuterRef("pk"), topic__in=topic_ids
        )
        return queryset.filter(Exists(tagged))


class ParticipantInline(admin.TabularInline):
    model = Participant
    fields = [
        "order",
        "name_as_written",
        "title_as_written",
        "person",
        "role",
        "side",
        "side_organization",
        "offices",
    ]
    autocomplete_fields = ["person", "side", "side_organization", "offices"]
    formfield_overrides = {models.PositiveSmallIntegerField: {"widget": COMPACT_INTEGER}}
    show_change_link = True

    def get_extra(self, request, obj=None, **kwargs):
        # A new meeting needs its two sides; an existing one has them.
        return 2 if obj is None else 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "contact_type", "place", "status", "participant_names"]
    list_display_links = ["date", "title"]
    list_filter = [
        "status",
        "contact_type",
        "plover_mode",
        MeetingCountryFilter,
        MeetingTopicFilter,
        "date",
    ]
    list_select_related = ["place"]
    search_fields = [
        "title",
        "slug",
        "notes",
        "participants__name_as_written",
        "participants__person__name",
        "participants__person__aliases__name",
    ]
    date_hierarchy = "date"
    # Meetings grow without bound: no COUNT(*) of the whole table on every page.
    show_full_result_count = False
    autocomplete_fields = ["place", "occasion"]
    prepopulated_fields = {"slug": ["date", "title"]}
    readonly_fields = ["created_at", "updated_at"]
    actions = ["mark_reviewed", "mark_published"]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("date", "date_qualifier"), "status"]}),
        (_("Contact"), {"fields": ["contact_type", "plover_mode"]}),
        (_("Place and occasion"), {"fields": ["place", ("occasion_relation", "occasion")]}),
        (_("Notes"), {"fields": ["notes"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_inlines(self, request, obj):
        if obj is None:
            # Statements and commitments point to saved participants and sources.
            return [ParticipantInline, SourceLinkInline]
        return [ParticipantInline, SourceLinkInline, StatementInline, CommitmentInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Commitment:
            for commitment in formset.new_objects:
                commitment_record_pledge(commitment)

    def get_queryset(self, request):
        names = Participant.objects.only("meeting_id", "name_as_written", "order")
        return super().get_queryset(request).prefetch_related(Prefetch("participants", names))

    @admin.display(description=_("participants"))
    def participant_names(self, obj):
        return ", ".join(participant.name_as_written for participant in obj.participants.all())

    def _set_status(self, request, queryset, status):
        meetings = list(queryset.exclude(status=status))
        Meeting.objects.filter(pk__in=[meeting.pk for meeting in meetings]).update(
            status=status, updated_at=timezone.now()
        )
        if meetings:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=meetings,
                action_flag=CHANGE,
                change_message=[{"changed": {"fields": ["Status"]}}],
            )
        label = Meeting.Status(status).label.lower()
        self.message_user(
            request,
            ngettext(
                "%(count)d meeting marked %(status)s.",
                "%(count)d meetings marked %(status)s.",
                len(meetings),
            )
            % {"count": len(meetings), "status": label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark selected meetings reviewed"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        self._set_status(request, queryset, Meeting.Status.REVIEWED)

    @admin.action(description=_("Mark selected meetings published"), permissions=["change"])
    def mark_published(self, request, queryset):
        self._set_status(request, queryset, Meeting.Status.PUBLISHED)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name_as_written", "title_as_written", "meeting", "person", "side", "role"]
    list_filter = ["role", ("side", admin.RelatedOnlyFieldListFilter), "meeting__date"]
    list_select_related = ["meeting", "person", "side"]
    search_fields = [
        "name_as_written",
        "title_as_written",
        "person__name",
        "meeting__title",
    ]
    autocomplete_fields = ["meeting", "person", "side", "side_organization", "offices"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["meeting", "order", "name_as_written", "title_as_written", "role"]}),
        (_("Resolved to"), {"fields": ["person", "side", "side_organization", "offices"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
