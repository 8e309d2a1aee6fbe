from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import CommitmentProposal, Country, Meeting, Participant, SourceDocument, Statement
from ..services import (
    PUBLISH_PERMISSION,
    check_publish_permission,
    meetings_set_status,
)
from .base import (
    COMPACT_INTEGER,
    COMPACT_TEXTAREA,
    CuratedAdmin,
    CuratedInline,
    TopicListFilter,
    VersionedModelForm,
)
from .commitments import CommitmentInline
from .proposals import ProposalFormSet, ProposalInline, decide_proposal
from .sources import SourceLinkInline, StatementInline
from .widgets import KnownLabelsInlineMixin

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


class ParticipantInline(KnownLabelsInlineMixin, CuratedInline, admin.TabularInline):
    """Participants, one narrow row each: as written, resolved to, offices held that day."""

    model = Participant
    template = "admin/events/edit_inline/compact.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name_as_written", "title_as_written"),
                    ("person", "role"),
                    ("side", "side_organization"),
                    ("offices",),
                    ("order",),
                ]
            },
        )
    ]
    autocomplete_fields = ["person", "side", "side_organization", "offices"]
    formfield_overrides = {models.PositiveSmallIntegerField: {"widget": COMPACT_INTEGER}}
    show_change_link = True

    def get_extra(self, request, obj=None, **kwargs):
        # A new meeting needs its two sides; an existing one has them.
        return 2 if obj is None else 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("person", "side", "side_organization")
            .prefetch_related("offices")
        )


class MeetingForm(VersionedModelForm):
    """Publishing or unpublishing needs `events.publish_meeting` (`check_publish_permission`)."""

    def clean_status(self):
        status = self.cleaned_data["status"]
        was = self.instance.status if self.instance.pk is not None else None
        try:
            check_publish_permission(user=self.user, was=was, becomes=status)
        except PermissionDenied as error:
            raise ValidationError(str(error), code="publish") from error
        return status


@admin.register(Meeting)
class MeetingAdmin(CuratedAdmin):
    """A meeting's page is where a curator works on an import: the readout with every
    statement highlighted beside the fields that edit it, the participants, the proposed
    commitments to accept or reject, and the commitments with their chains."""

    change_form_template = "admin/events/meeting/change_form.html"
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
        (
            None,
            {
                "fields": [
                    "title",
                    ("slug", "status"),
                    ("date", "date_qualifier"),
                    ("contact_type", "plover_mode"),
                    "place",
                    ("occasion_relation", "occasion"),
                ]
            },
        ),
        (_("Notes"), {"fields": ["notes"], "classes": ["collapse"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}

    def get_inlines(self, request, obj):
        if obj is None:
            # Statements and commitments point to saved participants and sources.
            return [ParticipantInline, SourceLinkInline]
        return [
            ParticipantInline,
            SourceLinkInline,
            StatementInline,
            ProposalInline,
            CommitmentInline,
        ]

    form = MeetingForm

    class Media:
        js = ["events/admin/curation.js"]

    def save_formset(self, request, form, formset, change):
        if formset.model is SourceDocument.meetings.through:
            formset.save_links()  # links of a many-to-many: the source's service writes them
            formset.new_objects = formset.changed_objects = formset.deleted_objects = []
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        """The page's rows first; then the Accept or Reject pressed on a proposal, in the
        same transaction (the formset checked it would succeed)."""
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            if isinstance(formset, ProposalFormSet):
                decided = decide_proposal(request, formset)
                if decided is not None:
                    request._proposal_decided = decided

    def response_change(self, request, obj):
        decided = getattr(request, "_proposal_decided", None)
        if decided is None:
            return super().response_change(request, obj)
        self.message_user(request, decided, messages.SUCCESS)
        # Back to the page, at the proposals, whatever else was pressed.
        return HttpResponseRedirect(f"{request.path}#commitment_proposals-group")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The page needs the window's width: no sidebar of every model beside it.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            decided = (
                CommitmentProposal.objects.filter(meeting_id=object_id)
                .exclude(state=CommitmentProposal.State.PROPOSED)
                .values_list("state")
                .annotate(count=Count("pk"))
                .order_by("state")
            )
            extra_context["decided_proposals"] = [
                (CommitmentProposal.State(state).label, count) for state, count in decided
            ]
            extra_context["proposals_url"] = (
                reverse("admin:events_commitmentproposal_changelist")
                + f"?meeting__id__exact={object_id}"
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The list's "participants" column, one query for the page.
        names = Participant.objects.only("meeting_id", "name_as_written", "order")
        changelist.result_list = changelist.result_list.prefetch_related(
            Prefetch("participants", names)
        )
        return changelist

    @admin.display(description=_("participants"))
    def participant_names(self, obj):
        return ", ".join(participant.name_as_written for participant in obj.participants.all())

    def _set_status(self, request, queryset, status):
        try:
            meetings = meetings_set_status(meetings=queryset, status=status, user=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
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
        """Unpublishing a published one among them needs the publish permission too."""
        self._set_status(request, queryset, Meeting.Status.REVIEWED)

    @admin.action(description=_("Mark selected meetings published"), permissions=["publish"])
    def mark_published(self, request, queryset):
        self._set_status(request, queryset, Meeting.Status.PUBLISHED)


@admin.register(Participant)
class ParticipantAdmin(CuratedAdmin):
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
