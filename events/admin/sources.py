from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import Participant, SourceDocument, Statement
from ..models.visibility import visible
from ..services import source_link
from ..templatetags.curation import verbatim_edges
from .base import (
    CuratedAdmin,
    CuratedInline,
    CuratedModelForm,
    ServiceFormSet,
    TopicListFilter,
    VersionedModelForm,
    meeting_link,
    normalize_newlines,
    related_count,
    verbatim,
)
from .imports import ReadoutImportMixin
from .readout import highlight_statements, kind_class, label_of, saved_statement_marks
from .rendering import conditional_escape
from .widgets import KnownLabelsFormSetMixin, KnownLabelsInlineMixin, SharedOptionsSelect

__all__ = [
    "SourceDocumentAdmin",
    "SourceLinkInline",
    "StatementAdmin",
    "StatementForm",
    "StatementInline",
]


def https_by_default(db_field, **kwargs):
    """A URL typed without a scheme is an https one (Django 6's default, chosen now).

    The forms the admin renders are built with its own callback, and take the scheme from
    `SourceDocumentAdmin.formfield_overrides`. This one builds the fields of
    `SourceDocumentForm` itself (when the class is defined, and again each time the admin
    subclasses it), which without it would assume http and warn (RemovedInDjango60Warning).
    """
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class SourceDocumentForm(VersionedModelForm):
    """Keeps the text verbatim (line ends as stored); the model derives its hash, refuses a
    duplicate, freezes it once statements point into it, and keeps quoted meetings linked."""

    class Meta:
        model = SourceDocument
        fields = ["publisher", "title", "url", "language", "published_on", "text", "meetings"]
        formfield_callback = https_by_default

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            verbatim(self.fields["text"])

    def clean_text(self):
        text = self.cleaned_data["text"]
        stored = self.instance.text if self.instance.pk else None
        if stored is not None and normalize_newlines(text) == normalize_newlines(stored):
            # Unchanged: browsers resend a textarea with CRLF line ends; keep the stored bytes.
            return stored
        text = normalize_newlines(text)
        duplicate = SourceDocument.objects.visible_to(self.user).with_text(text).first()
        if duplicate is not None and duplicate.pk != self.instance.pk:
            # The model refuses it too; a curator who may see the stored one is shown it.
            raise ValidationError(
                _("Source #%(pk)s, “%(source)s”, already has exactly this text.")
                % {"pk": duplicate.pk, "source": duplicate}
            )
        return text


@admin.register(SourceDocument)
class SourceDocumentAdmin(ReadoutImportMixin, CuratedAdmin):
    form = SourceDocumentForm
    formfield_overrides = {
        models.URLField: {"widget": AdminURLFieldWidget, "assume_scheme": "https"},
    }
    list_display = [
        "__str__",
        "publisher",
        "language",
        "published_on",
        "meeting_count",
        "statement_count",
    ]
    list_filter = ["language", "published_on", ("publisher", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["publisher"]
    search_fields = ["title", "url", "text"]
    autocomplete_fields = ["publisher", "meetings"]
    readonly_fields = ["content_hash", "created_at", "updated_at"]
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ["title", "url", "publisher", "language", "published_on", "meetings"]}),
        (_("Text"), {"fields": ["text", "content_hash"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                meeting_count=related_count(SourceDocument.meetings.through, "sourcedocument"),
                statement_count=related_count(Statement, "source"),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # Statements index into the text: once there are any, the text is fixed.
        if obj is not None and obj.statements.exists():
            return ["text", *self.readonly_fields]
        return self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        """With statements, the page shows the text with each one highlighted (see the
        template); the frozen verbatim text folds away."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.statements.exists():
            return fieldsets
        return [
            (name, {**options, "classes": ["collapse"]}) if name == _("Text") else (name, options)
            for name, options in fieldsets
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            statements = list(
                visible(obj.statements.all(), request.user)
                .select_related("speaker")
                .prefetch_related("topics")
                .order_by("start")
            )
            if statements:
                context["highlighted_text"] = highlight_statements(
                    obj.text,
                    saved_statement_marks(statements),
                    hrefs=[
                        reverse("admin:events_statement_change", args=[s.pk]) for s in statements
                    ],
                )
                context["statement_count"] = len(statements)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count

    @admin.display(description=_("statements"), ordering="statement_count")
    def statement_count(self, obj):
        return obj.statement_count


class StatementForm(CuratedModelForm):
    """A statement's text is its source's text at its span (`Statement.clean`, which also
    fills it when left empty); here only the line ends browsers change are put back."""

    class Meta:
        model = Statement
        fields = [
            "meeting",
            "source",
            "attribution",
            "speaker",
            "side",
            "kind",
            "plover_code",
            "start",
            "end",
            "text",
            "topics",
            "mentioned_countries",
            "mentioned_organizations",
            "mentioned_people",
            "mentioned_gatherings",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            text = verbatim(self.fields["text"])
            text.required = False
            text.help_text = _("Leave empty to fill it from the source's text at the span.")

    def clean(self):
        """Browsers submit CRLF: a text equal to the span's but for line ends is the span's."""
        cleaned = super().clean()
        source, start, end = cleaned.get("source"), cleaned.get("start"), cleaned.get("end")
        text = cleaned.get("text") or ""
        if text and source is not None and Statement.span_is_inside(source, start, end):
            expected = source.text[start:end]
            same = normalize_newlines(text) == normalize_newlines(expected)
            cleaned["text"] = expected if same else normalize_newlines(text)
        return cleaned


class StatementPageForm(StatementForm, VersionedModelForm):
    pass


class SourceLinkFormSet(BaseInlineFormSet):
    """The rows of `SourceDocument.meetings` for one meeting: written by `source_link`."""

    def clean(self):
        """A source that the meeting's statements quote stays linked to the meeting."""
        super().clean()
        for form in self.initial_forms:
            if form in self.deleted_forms or "sourcedocument" in form.changed_data:
                source = SourceDocument.objects.get(pk=form.initial["sourcedocument"])
                kept = [m for m in source.meetings.all() if m.pk != form.instance.meeting_id]
                try:
                    source.clean_relations({"meetings": kept})
                except ValidationError as error:
                    raise ValidationError(error.messages) from error

    def save_links(self) -> None:
        meeting = self.instance
        for form in self.initial_forms:
            if form in self.deleted_forms or "sourcedocument" in form.changed_data:
                source = SourceDocument.objects.get(pk=form.initial["sourcedocument"])
                source_link(source=source, meeting=meeting, linked=False)
        for form in self.forms:
            source = form.cleaned_data.get("sourcedocument")
            if form in self.deleted_forms or source is None:
                continue
            if form.instance.pk is None or "sourcedocument" in form.changed_data:
                source_link(source=source, meeting=meeting, linked=True)


class SourceLinkInline(KnownLabelsInlineMixin, admin.TabularInline):
    """The sources that report a meeting (both sides may publish a readout of it)."""

    model = SourceDocument.meetings.through
    formset = SourceLinkFormSet
    template = "admin/events/edit_inline/compact.html"
    fieldsets = [(None, {"fields": [("sourcedocument",), ("source_page",)]})]
    readonly_fields = ["source_page"]
    autocomplete_fields = ["sourcedocument"]
    verbose_name = _("source")
    verbose_name_plural = _("sources")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sourcedocument")

    @admin.display(description=_("page"))
    def source_page(self, obj):
        if obj.pk is None:
            return ""
        source = obj.sourcedocument
        return format_html(
            '<a href="{}">{}</a>{}',
            reverse("admin:events_sourcedocument_change", args=[source.pk]),
            _("its text, highlighted"),
            format_html(' · <a href="{}">{}</a>', source.url, _("as published"))
            if source.url
            else "",
        )


class MeetingStatementForm(CuratedModelForm):
    """A statement's row on its meeting's page: kind, who said it, topics.

    "Said by" is one choice among the meeting's participants, its sides and both sides,
    written back as the statement's attribution, speaker and side (which the database
    keeps consistent). Its span and text are edited on the statement's own page.
    """

    said_by = forms.ChoiceField(label=_("Said by"))

    class Meta:
        model = Statement
        fields = ["kind", "said_by", "topics"]

    def __init__(self, *args, said_by_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The widget first: setting a field's choices sets its widget's (one copy each).
        said_by = self.fields["said_by"]
        said_by.widget = SharedOptionsSelect("statement-said-by")
        said_by.choices = said_by_choices
        kind = self.fields["kind"]
        kind.widget = SharedOptionsSelect("statement-kind")
        kind.choices = Statement.Kind.choices  # required: no empty choice
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = str(field.label)
        statement = self.instance
        if statement.pk is not None:
            self.initial["said_by"] = said_by_value(statement)

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("said_by")
        if value:
            attribution, _, key = value.partition(":")
            statement = self.instance
            statement.attribution = attribution
            statement.speaker_id = int(key) if attribution == "speaker" else None
            statement.side_id = key if attribution == "side" else None
        return cleaned


def said_by_value(statement: Statement) -> str:
    if statement.attribution == Statement.Attribution.SPEAKER:
        return f"speaker:{statement.speaker_id}"
    if statement.attribution == Statement.Attribution.SIDE:
        return f"side:{statement.side_id}"
    return Statement.Attribution.JOINT


class MeetingStatementFormSet(KnownLabelsFormSetMixin, ServiceFormSet):
    """The statements of one meeting, with what the page needs to lay them out as the
    readout reads (`readout_rows`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        participants = list(
            Participant.objects.filter(meeting=self.instance).select_related("side")
        )
        choices = [
            (f"speaker:{p.pk}", f"{p.name_as_written} ({p.side_id or p.side_organization_id})")
            for p in participants
        ]
        sides = {p.side_id: p.side for p in participants if p.side_id}
        choices += [(f"side:{alpha3}", side.name) for alpha3, side in sides.items()]
        choices.append((Statement.Attribution.JOINT, str(_("Both sides"))))
        self.said_by_choices = choices
        self.said_by_labels = dict(choices)
        self.add_url = reverse("admin:events_statement_add")

    def get_form_kwargs(self, index):
        # No ids: the rows' fields are named by `aria-label`, their columns by a header.
        return {
            **super().get_form_kwargs(index),
            "said_by_choices": self.said_by_choices,
            "auto_id": False,
        }

    @property
    def shared_options(self) -> list[tuple[str, list]]:
        """The option lists the rows' selects share (`SharedOptionsSelect`), once."""
        return [
            ("statement-kind", Statement.Kind.choices),
            ("statement-said-by", self.said_by_choices),
        ]

    @property
    def kind_legend(self) -> list[tuple[str, str, int]]:
        counts: dict[str, int] = {}
        for form in self.forms:
            counts[form.instance.kind] = counts.get(form.instance.kind, 0) + 1
        return [
            (kind_class(kind), label_of(Statement.Kind, kind), count)
            for kind, count in sorted(counts.items())
        ]

    @property
    def readout_rows(self) -> list[dict]:
        """Each source's text in order: a heading where a source starts, each statement
        with the text before it, the text after a source's last statement."""
        rows: list[dict] = []
        source, cursor = None, 0

        def tail():
            if source is not None and cursor < len(source.text):
                rows.append(
                    {
                        "after": source.text[cursor:],
                        "after_start": cursor,
                        "after_source": source.pk,
                    }
                )

        for form in self.forms:
            statement = form.instance
            if source is None or statement.source_id != source.pk:
                tail()
                source, cursor = statement.source, 0
                rows.append({"source": source})
            start = max(statement.start, cursor)
            kind = label_of(Statement.Kind, statement.kind)
            said = self.said_by_labels.get(said_by_value(statement), "")
            row = {
                "form": form,
                "before": source.text[cursor:start],
                "before_start": cursor,
                "kind_class": kind_class(statement.kind),
                "label": f"{kind} · {said.split(' (')[0]}",
            }
            row["html"] = self._row_html(row)
            rows.append(row)
            cursor = max(cursor, statement.end)
        tail()
        return rows

    def _row_html(self, row: dict) -> SafeString:
        """One statement's row: its text (after the text before it) highlighted, and the
        fields that edit it. Written here rather than in the template: a page renders forty
        of them, and the template engine took a tenth of the page's time doing it. Plain
        f-strings with `rendering.conditional_escape` (every value escaped as `format_html`
        would) rather than `format_html`, whose lazy-string wrappers were among the
        costliest calls of its profile (`measure_meeting_page --profile`)."""
        esc = conditional_escape
        form, statement = row["form"], row["form"].instance
        if self._change_url is None:
            self._change_url = reverse("admin:events_statement_change", args=["__pk__"])
            self._words = {"delete": esc(_("Delete")), "all_fields": esc(_("All fields"))}
        before = (
            f'<span class="readout-gap" data-offset="{esc(row["before_start"])}">'
            f"{esc(verbatim_edges(row['before']))}</span>"
            if row["before"]
            else ""
        )
        fields = []
        for field in form.visible_fields():
            if field.name == "DELETE":
                continue
            errors = field.errors
            fields.append(
                f'<div class="field-{esc(field.name)}{" errors" if errors else ""}">'
                f"{esc(errors.as_ul()) if errors else ''}{esc(field)}</div>"
            )
        hidden = "".join(esc(field) for field in form.hidden_fields() if field.name != "meeting")
        delete = (
            f'<label class="compact-label">{esc(form["DELETE"])}&#32;{self._words["delete"]}'
            "</label>"
            if self.can_delete
            else ""
        )
        change_url = self._change_url.replace("__pk__", str(statement.pk))
        return mark_safe(
            f'<div class="statement-row{" errors" if form.errors else ""}" '
            f'id="{esc(form.prefix)}"><div class="statement-text readout-text" '
            f'data-source="{esc(statement.source_id)}">{before}<mark class="readout-statement '
            f'readout-kind-{esc(row["kind_class"])}" data-label="{esc(row["label"])}" '
            f'data-offset="{esc(statement.start)}" id="statement-{esc(statement.pk)}">'
            f"{esc(verbatim_edges(statement.text))}</mark></div>"
            f'<div class="statement-fields">{hidden}{esc(form.non_field_errors())}'
            f'{"".join(fields)}<div class="statement-actions">{delete}'
            f'<a href="{esc(change_url)}" class="inlinechangelink">{self._words["all_fields"]}'
            "</a></div></div></div>"
        )

    _change_url = None


class StatementInline(KnownLabelsInlineMixin, CuratedInline, admin.StackedInline):
    """A meeting's statements, laid out as the readout reads (see the template)."""

    model = Statement
    form = MeetingStatementForm
    formset = MeetingStatementFormSet
    template = "admin/events/meeting/statements_inline.html"
    fields = ["kind", "said_by", "topics"]
    autocomplete_fields = ["topics"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        # A statement needs a span of a source: added on its own page (the page links to it,
        # with the meeting and source filled in, and the selected words' span).
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .order_by("source_id", "start", "pk")
            .prefetch_related("source", "topics")
        )


class StatementTopicFilter(TopicListFilter):
    def filter_topics(self, queryset, topic_ids):
        tagged = Statement.topics.through.objects.filter(
            statement=OuterRef("pk"), topic__in=topic_ids
        )
        return queryset.filter(Exists(tagged))


@admin.register(Statement)
class StatementAdmin(CuratedAdmin):
    form = StatementPageForm
    list_display = ["__str__", "kind", "said_by", "meeting_column", "start", "end"]
    list_filter = [
        "kind",
        "attribution",
        "plover_code",
        StatementTopicFilter,
        "meeting__status",
        "meeting__date",
    ]
    list_select_related = ["meeting", "speaker", "side"]
    search_fields = ["text"]
    date_hierarchy = "meeting__date"
    # Statements are the largest table: no COUNT(*) of all of them on every page.
    show_full_result_count = False
    autocomplete_fields = [
        "meeting",
        "source",
        "speaker",
        "side",
        "topics",
        "mentioned_countries",
        "mentioned_organizations",
        "mentioned_people",
        "mentioned_gatherings",
    ]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["meeting", "source", "kind", "plover_code"]}),
        (_("Said by"), {"fields": ["attribution", "speaker", "side"]}),
        (_("Text"), {"fields": [("start", "end"), "text"]}),
        (
            _("Topics and mentions"),
            {
                "fields": [
                    "topics",
                    "mentioned_countries",
                    "mentioned_organizations",
                    "mentioned_people",
                    "mentioned_gatherings",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def response_add(self, request, obj, post_url_continue=None):
        """Added from its meeting's page (the link carries `meeting`): back to that page,
        at the new statement, unless "add another" or "continue" was pressed."""
        if (
            request.GET.get("meeting")
            and "_addanother" not in request.POST
            and "_continue" not in request.POST
        ):
            self.message_user(
                request,
                _("Statement added: “%(statement)s”.") % {"statement": obj},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:events_meeting_change", args=[obj.meeting_id])
                + f"#statement-{obj.pk}"
            )
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=_("meeting"), ordering="meeting__date")
    def meeting_column(self, obj):
        return meeting_link(obj.meeting, anchor=f"#statement-{obj.pk}")

    @admin.display(description=_("said by"))
    def said_by(self, obj):
        if obj.attribution == Statement.Attribution.SPEAKER:
            return obj.speaker
        if obj.attribution == Statement.Attribution.SIDE:
            return obj.side
        return obj.get_attribution_display()
