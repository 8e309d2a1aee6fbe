"""Pieces the area admins share: the topic filter, cached inline choices, verbatim text."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import Topic
from ..models.visibility import visible
from ..services import (
    DeleteBlocked,
    PreconditionFailed,
    delete_blockers,
    delete_record,
    record_restore,
    save_record,
)

__all__ = [
    "COMPACT_INTEGER",
    "COMPACT_TEXTAREA",
    "CURATION_FIELDSETS",
    "FIELD_LABELS",
    "CuratedAdmin",
    "CuratedAdminMixin",
    "CuratedInline",
    "CuratedModelForm",
    "ReviewFilter",
    "ServiceFormSet",
    "TopicListFilter",
    "VersionedModelForm",
    "cache_choices",
    "meeting_link",
    "normalize_newlines",
    "parent_object_id",
    "related_count",
    "review_state",
    "verbatim",
    "without_related_links",
]

# Inline rows stay a few lines high; the full editor is one `show_change_link` away. Sizes
# come from classes in `events/admin/curation.css`: the Content-Security-Policy refuses
# inline styles.
COMPACT_TEXTAREA = forms.Textarea(attrs={"rows": 3, "cols": 40, "class": "compact-textarea"})
COMPACT_INTEGER = forms.NumberInput(attrs={"class": "compact-integer"})

# The fields of `CuratedModel`, folded away below each curated record's own fields.
CURATION_FIELDSETS = [
    (
        _("Identifiers and sources"),
        {"fields": ["identifiers", "sources", "locked_fields"], "classes": ["collapse"]},
    ),
    (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
]


# Labels Django would derive wrongly from the field's name ("Plover mode").
FIELD_LABELS = {
    "plover_mode": _("PLOVER mode"),
    "plover_code": _("PLOVER code"),
    "side_organization": _("Side (an organisation)"),
    "sourcedocument": _("Source"),
    "locked_fields": _("Locked fields"),
}


def normalize_newlines(text: str) -> str:
    """Browsers submit every textarea with CRLF line ends; the stored readouts use LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def verbatim(field: forms.Field) -> forms.Field:
    """Keep leading and trailing whitespace: a readout's text and its spans are exact."""
    field.strip = False
    return field


def related_count(model, fk: str) -> Coalesce:
    """How many `model` rows point to the outer row through `fk`, for a changelist column.

    A correlated subquery rather than `Count()`: the outer query gets no GROUP BY, so it
    keeps the model's default ordering, and two counts do not multiply each other.
    """
    counts = (
        model.objects.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def parent_object_id(request) -> str | None:
    """The id of the object whose change page renders an inline (None on an add page).

    Admin instances are shared between requests, so the parent is read from the URL
    rather than stored on `self`.
    """
    match = request.resolver_match
    return match.kwargs.get("object_id") if match else None


def cache_choices(field: forms.ModelChoiceField | None) -> forms.ModelChoiceField | None:
    """Evaluate a select's choices once for all the rows of an inline, not once per row.

    Rendering copies the field into every inline form; with a list instead of the
    queryset's iterator, those copies share one query. Validation still checks the
    submitted value against the queryset.
    """
    if field is not None:
        field.choices = list(iter(field.choices))  # iter(): no COUNT(*) first
        if isinstance(field.widget, forms.SelectMultiple):
            field.widget.attrs["size"] = max(2, len(field.choices))  # every choice, no scroll
    return field


def without_related_links(field: forms.Field | None) -> forms.Field | None:
    """Drop the add, change and delete buttons beside a select of the parent's own records.

    A statement's speaker is added in the participants inline, not in a popup.
    """
    if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
        field.widget.can_add_related = False
        field.widget.can_change_related = False
        field.widget.can_delete_related = False
    return field


def meeting_link(meeting, *, anchor: str = "") -> str:
    """A meeting as a list column shows it: its date and the start of its title, linked to
    its page (the full title would push the list past the window)."""
    title = meeting.title if len(meeting.title) <= 40 else meeting.title[:37] + "..."
    return format_html(
        '<a href="{}{}" title="{}">{}: {}</a>',
        reverse("admin:events_meeting_change", args=[meeting.pk]),
        anchor,
        meeting.title,
        meeting.date.isoformat(),
        title,
    )


@admin.display(description=_("review"), ordering="needs_review")
def review_state(obj) -> str:
    """A record's review flag as words: a green tick beside "needs review" read as "all
    right" to curators, the opposite of what it meant."""
    if obj.needs_review:
        return format_html('<span class="review-needed">{}</span>', _("Needs review"))
    return format_html('<span class="review-done">{}</span>', _("Reviewed"))


class ReviewFilter(admin.SimpleListFilter):
    """Records an import created for review, or those already reviewed."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("needed", _("Needs review")), ("done", _("Reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "needed":
            return queryset.filter(needs_review=True)
        if self.value() == "done":
            return queryset.filter(needs_review=False)
        return queryset


class TopicListFilter(admin.SimpleListFilter):
    """Rows about a topic or any topic below it (health includes traditional medicine).

    Subclasses say how their rows reach topics in `filter_topics`.
    """

    title = _("topic")
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        # The topic tree has tens of rows: one query, labels built in Python.
        rows = {
            pk: (name, parent)
            for pk, name, parent in Topic.objects.values_list("id", "name", "parent_id")
        }

        def path(pk):
            names, seen = [], set()
            while pk is not None and pk not in seen:
                seen.add(pk)
                name, pk = rows[pk]
                names.append(name)
            return " > ".join(reversed(names))

        return sorted(((str(pk), path(pk)) for pk in rows), key=lambda item: item[1])

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            topic = Topic(pk=int(self.value()))
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error
        return self.filter_topics(queryset, Topic.objects.with_descendants([topic]))

    def filter_topics(self, queryset: QuerySet, topic_ids: set[int]) -> QuerySet:
        raise NotImplementedError


# Writing through the services --------------------------------------------------------


def changed_since_message(record) -> str:
    """Who changed `record` last, and when: for a curator whose page went stale."""
    latest = record.history.select_related("history_user").order_by("-history_date").first()
    who = latest.history_user if latest is not None and latest.history_user else _("someone")
    when = latest.history_date if latest is not None else record.updated_at
    return _(
        "“%(record)s” was changed by %(who)s at %(when)s, after you opened this page. Your "
        "changes were not saved: reload the page to see the current version, then make "
        "them again."
    ) % {"record": record, "who": who, "when": when.strftime("%Y-%m-%d %H:%M:%S UTC")}


class CuratedModelForm(forms.ModelForm):
    """A model form that checks the model's many-to-many rules (`clean_relations`) as
    well as its own (`full_clean`), so the services find nothing left to refuse."""

    def relations(self) -> dict:
        """The many-to-many links the form sets, by field name."""
        names = {f.name for f in self._meta.model._meta.many_to_many}
        return {name: value for name, value in self.cleaned_data.items() if name in names}

    def _post_clean(self):
        super()._post_clean()  # the model's own rules (`full_clean`)
        relations = self.relations()
        if relations and hasattr(self.instance, "clean_relations"):
            try:
                self.instance.clean_relations(relations)
            except ValidationError as error:
                self._update_errors(error)


class VersionedModelForm(CuratedModelForm):
    """A record's page: refuses to save over a version newer than the one the curator
    opened (`opened_version`, a hidden field), naming who changed it."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    user = None  # the curator, set by `CuratedAdminMixin.get_form`

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk is not None and opened is not None:
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != opened:
                raise ValidationError(changed_since_message(self.instance), code="stale")
        return cleaned


class ServiceFormSet(BaseInlineFormSet):
    """Inline rows are deleted only when nothing refers to them (`delete_blockers`)."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk is not None and delete_blockers(form.instance):
                form.add_error(
                    None,
                    _("“%(record)s” cannot be deleted: other records refer to it.")
                    % {"record": form.instance},
                )
                raise ValidationError(_("A row marked for deletion is still referred to."))


class SharedMediaInlineFormSet(helpers.InlineAdminFormSet):
    """An inline whose rows all have the same widgets: its media are the formset's (its first
    row's), not the merge of every row's (which cost a tenth of a 40-row page's time)."""

    @property
    def media(self):
        return self.opts.media + self.formset.media


class CuratedAdminMixin:
    """Admin pages that read what the curator may see and write through the services.

    - lists and pages show what `visible_to` lets the user see;
    - saving the page writes the record with `record_save` (or the model's own service,
      `save_record`), its links included, refusing a version newer than the one opened;
      inline rows are written and deleted the same way, in the page's transaction;
    - deleting asks `delete_blockers` and lists them as protected objects;
    - the history page (django-simple-history) lists every version with its changes and
      restores one; "Deleted" lists the records deleted and recovers them.
    """

    form = VersionedModelForm
    object_history_list_template = "admin/events/object_history_list.html"

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in FIELD_LABELS:
            field.label = FIELD_LABELS[db_field.name]
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fieldsets(self, request, obj=None):
        """The page's fieldsets, with the hidden `opened_version` when it can be saved."""
        fieldsets = super().get_fieldsets(request, obj)
        can_save = (
            self.has_change_permission(request, obj)
            if obj is not None
            else self.has_add_permission(request)
        )
        first_name, first_options = fieldsets[0]
        fields = list(first_options["fields"])
        if not can_save or "opened_version" in fields:
            return fieldsets
        return [
            (first_name, {**first_options, "fields": [*fields, "opened_version"]}),
            *fieldsets[1:],
        ]

    # Writes ------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # only inline rows changed: they move the version themselves
        expected = form.cleaned_data.get("opened_version") if change else None
        relations = form.relations() if hasattr(form, "relations") else {}
        self.save_record(request, obj, relations=relations, expected_version=expected)

    def save_record(self, request, obj, *, relations, expected_version):
        """Write the page's record through its model's service."""
        save_record(obj, relations=relations, expected_version=expected_version, user=request.user)

    def save_related(self, request, form, formsets, change):
        # The record's own links were written with it, by `save_model`.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.initial_forms:
            if row in formset.deleted_forms and row.instance.pk is not None:
                self.delete_inline_record(request, row.instance)
                formset.deleted_objects.append(row.instance)
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            if row.instance.pk is None:
                instance = formset.save_new(row, commit=False)  # points it at the saved parent
            else:
                instance = formset.save_existing(row, row.instance, commit=False)
            relations = {
                name: value
                for name, value in row.cleaned_data.items()
                if name in {f.name for f in instance._meta.many_to_many}
            }
            adding = instance._state.adding
            self.save_inline_record(request, instance, relations=relations)
            if adding:
                formset.new_objects.append(instance)
            else:
                formset.changed_objects.append((instance, row.changed_data))

    def save_inline_record(self, request, obj, *, relations):
        save_record(obj, relations=relations, user=request.user)

    def delete_inline_record(self, request, obj):
        delete_record(obj, user=request.user)

    def delete_model(self, request, obj):
        delete_record(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def get_deleted_objects(self, objs, request):
        """The admin's confirmation page, with what refers to the records as protected."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            for blocker in delete_blockers(obj):
                rows = visible(
                    blocker.rows.model._default_manager.filter(pk__in=blocker.rows), request.user
                )
                count = rows.count()
                if count:
                    protected.append(
                        _("%(record)s: %(count)d %(label)s refer to it")
                        % {"record": obj, "count": count, "label": blocker.label}
                    )
                else:
                    protected.append(_("%(record)s: other records refer to it") % {"record": obj})
        return deleted, counts, perms_needed, protected

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_formset in inline_formsets:
            inline_formset.__class__ = SharedMediaInlineFormSet
        return inline_formsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PreconditionFailed as error:  # another curator saved in between
            self.message_user(request, changed_since_message(error.record), messages.ERROR)
            return HttpResponseRedirect(request.path)
        except DeleteBlocked as error:
            self.message_user(
                request,
                _("“%(record)s” cannot be deleted: other records refer to it.")
                % {"record": error.record},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    # History, restore and recovery ---------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
        ]
        return urls + super().get_urls()

    def restore_view(self, request, object_id, history_id):
        """POST: give the record the fields and links of that version (a deleted record
        comes back, with what was deleted with it)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        entry = get_object_or_404(
            self.model.history.model,
            **{self.opts.pk.attname: unquote(object_id), "history_id": history_id},
        )
        exists = self.model._base_manager.filter(pk=entry.instance.pk).exists()
        allowed = (
            self.has_change_permission(request, entry.instance)
            if exists
            else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        try:
            record = record_restore(entry=entry, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request,
                _("This version cannot be restored: %(reason)s")
                % {"reason": " ".join(getattr(error, "messages", [str(error)]))},
                messages.ERROR,
            )
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[object_id]
                )
            )
        self.message_user(
            request,
            _("“%(record)s” is back as it was on %(date)s.")
            % {"record": record, "date": entry.history_date.strftime("%Y-%m-%d %H:%M:%S UTC")},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[record.pk])
        )

    def deleted_view(self, request):
        """The records of this kind that were deleted, each with its last version."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        history = self.model.history.model
        pk = self.opts.pk.attname
        existing = self.model._base_manager.values(pk)
        deleted = (
            history.objects.filter(history_type="-")
            .exclude(**{f"{pk}__in": existing})
            .select_related("history_user")
            .order_by("-history_date")
        )
        paginator = Paginator(deleted, 50)
        page = paginator.get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "page_obj": page,
            "can_recover": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/events/deleted_list.html", context)

    def revert_disabled(self, request, obj=None):
        # Versions are restored with `restore_view` (through the services), not with
        # django-simple-history's own edit form.
        return True


class CuratedAdmin(CuratedAdminMixin, SimpleHistoryAdmin):
    """The base of every domain model's admin page (see `CuratedAdminMixin`)."""


class CuratedInline:
    """Inline rows: the model's rules checked in the form, written by the page's admin
    through the services (`CuratedAdminMixin.save_formset`)."""

    form = CuratedModelForm
    formset = ServiceFormSet

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)
