"""The commitments an import proposes: decided on the meeting's page (Accept / Reject on
each row, with the row's edits saved first) or in their own list."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Commitment, CommitmentProposal, Country
from ..services import (
    DeleteBlocked,
    proposal_accept,
    proposal_commitment,
    proposal_reject,
    proposal_reopen,
    validate_record,
)
from .base import (
    COMPACT_TEXTAREA,
    CuratedAdmin,
    CuratedInline,
    CuratedModelForm,
    ServiceFormSet,
    cache_choices,
    parent_object_id,
)
from .widgets import KnownLabelsFormSetMixin, KnownLabelsInlineMixin

__all__ = ["CommitmentProposalAdmin", "ProposalInline", "decide_proposal"]

# The name of the Accept / Reject buttons; the value says which and for which proposal.
DECISION = "_proposal"
DECIDE_PERMISSIONS = ("events.add_commitment", "events.change_commitmentproposal")


def reaffirms_label(commitment: Commitment) -> str:
    text = commitment.description
    text = text if len(text) <= 70 else text[:67] + "..."
    return f"{commitment.meeting.date.isoformat()}: {text}"


class ProposalForm(CuratedModelForm):
    """A proposal's row: what the commitment will say, and which earlier commitments it
    reaffirms (of those suggested: all of them unless unticked)."""

    keep_reaffirms = forms.ModelMultipleChoiceField(
        Commitment.objects.none(),
        required=False,
        label=_("Reaffirms"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The earlier commitments it repeats, of those suggested."),
    )

    class Meta:
        model = CommitmentProposal
        fields = ["description", "kind", "sides", "topics"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["keep_reaffirms"]
        suggested = list(self.instance.suggested_reaffirms.all()) if self.instance.pk else []
        field.queryset = Commitment.objects.filter(pk__in=[c.pk for c in suggested])
        field.choices = [(c.pk, reaffirms_label(c)) for c in suggested]
        self.initial.setdefault("keep_reaffirms", [c.pk for c in suggested])


class ProposalFormSet(KnownLabelsFormSetMixin, ServiceFormSet):
    """Checks the commitment a row's Accept would record, with the row as edited, so that a
    refusal shows on the row and nothing is saved."""

    user = None  # set by `ProposalInline.get_formset`

    def decision(self) -> tuple[str, ProposalForm] | None:
        """("accept" or "reject", the row) when one of this formset's buttons was pressed."""
        action, _sep, pk = (self.data.get(DECISION) or "").partition(":")
        if action not in {"accept", "reject"}:
            return None
        for form in self.initial_forms:
            if str(form.instance.pk) == pk:
                return action, form
        return None

    def clean(self):
        super().clean()
        decided = self.decision()
        if decided is None:
            return
        action, form = decided
        if self.user is not None and not self.user.has_perms(DECIDE_PERMISSIONS):
            raise ValidationError(
                _(
                    "Deciding on a proposal needs the rights to add commitments and change "
                    "proposals."
                )
            )
        if action != "accept" or not form.is_valid():
            return
        proposal = form.instance
        commitment, relations = proposal_commitment(
            proposal, reaffirms=form.cleaned_data.get("keep_reaffirms") or []
        )
        # The row's edits, not yet saved: the commitment as they would make it.
        commitment.kind = form.cleaned_data["kind"]
        commitment.description = form.cleaned_data["description"]
        relations["sides"] = list(form.cleaned_data.get("sides") or [])
        relations["topics"] = list(form.cleaned_data.get("topics") or [])
        try:
            validate_record(commitment, relations=relations, exclude=["slug"])
        except ValidationError as error:
            fields = set(form.fields)
            messages_by_field = getattr(error, "error_dict", {None: error.error_list})
            for name, errors in messages_by_field.items():
                target = {"reaffirms": "keep_reaffirms"}.get(name, name)
                for message in errors:
                    form.add_error(target if target in fields else None, message)
            raise ValidationError(_("This proposal cannot be accepted as it is.")) from error


def decide_proposal(request, formset: ProposalFormSet) -> str | None:
    """Carry out the Accept or Reject pressed on the page, after its rows were saved.
    Answers the message to show, or None when no button of this formset was pressed."""
    decided = formset.decision()
    if decided is None:
        return None
    action, form = decided
    proposal = CommitmentProposal.objects.get(pk=form.instance.pk)
    if action == "reject":
        proposal_reject(proposal=proposal, user=request.user)
        return gettext("Proposal rejected: “%(proposal)s”.") % {"proposal": proposal.description}
    commitment = proposal_accept(
        proposal=proposal,
        user=request.user,
        reaffirms=list(form.cleaned_data.get("keep_reaffirms") or []),
    )
    return gettext("Commitment recorded: “%(commitment)s”.") % {"commitment": commitment}


class ProposalInline(KnownLabelsInlineMixin, CuratedInline, admin.TabularInline):
    """The meeting's proposals still to decide, each with Accept and Reject."""

    model = CommitmentProposal
    form = ProposalForm
    formset = ProposalFormSet
    template = "admin/events/edit_inline/compact.html"
    verbose_name = _("proposed commitment")
    verbose_name_plural = _("proposed commitments, to accept or reject")
    compact_description = _(
        "Drafted from the readout's commitment and agreement statements. Edit a row if "
        "needed, then Accept (records the commitment, with your edits and the rest of the "
        "page saved) or Reject."
    )
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("description",),
                    ("kind", "sides"),
                    ("topics", "keep_reaffirms"),
                    ("decide",),
                ]
            },
        )
    ]
    readonly_fields = ["decide"]
    autocomplete_fields = ["topics"]
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # proposals come from imports

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"user": request.user})

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .pending()
            .select_related("statement")
            .prefetch_related("sides", "topics", "suggested_reaffirms__meeting")
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sides":
            kwargs["queryset"] = Country.objects.filter(
                participations__meeting_id=parent_object_id(request)
            ).distinct()
            return cache_choices(super().formfield_for_manytomany(db_field, request, **kwargs))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("decide"))
    def decide(self, obj):
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="#statement-{}" class="proposal-statement">{}</a> '
            '<button type="submit" name="{}" value="accept:{}" class="button default '
            'proposal-accept">{}</button> '
            '<button type="submit" name="{}" value="reject:{}" class="button '
            'proposal-reject">{}</button>',
            obj.statement_id,
            _("its statement"),
            DECISION,
            obj.pk,
            _("Accept"),
            DECISION,
            obj.pk,
            _("Reject"),
        )


@admin.register(CommitmentProposal)
class CommitmentProposalAdmin(CuratedAdmin):
    list_display = ["__str__", "state", "meeting", "side_codes", "decided_by", "decided_at"]
    list_filter = ["state", "kind", "meeting__status", "meeting__date"]
    list_select_related = ["meeting", "decided_by"]
    search_fields = ["description", "meeting__title"]
    autocomplete_fields = ["meeting", "statement", "sides", "topics", "suggested_reaffirms"]
    readonly_fields = [
        "state",
        "commitment",
        "decided_by",
        "decided_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["meeting", "statement", "kind", "sides", "topics", "description"]}),
        (_("May reaffirm"), {"fields": ["suggested_reaffirms"]}),
        (_("Decision"), {"fields": ["state", "commitment", "decided_by", "decided_at"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = ["accept_selected", "reject_selected", "reopen_selected"]

    def has_add_permission(self, request):
        return False  # proposals come from imports

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sides")

    @admin.display(description=_("sides"))
    def side_codes(self, obj):
        return format_html_join(", ", "{}", ((side.pk,) for side in obj.sides.all()))

    def _decide(self, request, queryset, decide, done: str):
        count, refused = 0, []
        for proposal in queryset.order_by("pk"):
            try:
                decide(proposal)
                count += 1
            except ValidationError as error:
                refused.append(f"{proposal}: {' '.join(error.messages)}")
            except DeleteBlocked:
                refused.append(
                    gettext("%(proposal)s: its commitment is referred to and stays.")
                    % {"proposal": proposal}
                )
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description=_("Accept selected proposals"), permissions=["decide"])
    def accept_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda proposal: proposal_accept(proposal=proposal, user=request.user),
            gettext("Proposals accepted: %(count)d."),
        )

    @admin.action(description=_("Reject selected proposals"), permissions=["decide"])
    def reject_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda proposal: proposal_reject(proposal=proposal, user=request.user),
            gettext("Proposals rejected: %(count)d."),
        )

    @admin.action(description=_("Reconsider selected proposals"), permissions=["decide"])
    def reopen_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda proposal: proposal_reopen(proposal=proposal),
            gettext("Proposals reopened: %(count)d."),
        )

    def has_decide_permission(self, request):
        return request.user.has_perms(DECIDE_PERMISSIONS)
