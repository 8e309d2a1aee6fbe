from django.contrib import admin
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from ..models import Participant, SourceDocument, Statement
from ..services import source_link
from .base import (
    COMPACT_INTEGER,
    COMPACT_TEXTAREA,
    CuratedAdmin,
    CuratedInline,
    CuratedModelForm,
    TopicListFilter,
    VersionedModelForm,
    cache_choices,
    normalize_newlines,
    parent_object_id,
    related_count,
    verbatim,
    without_related_links,
)
from .imports import ReadoutImportMixin

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


class SourceLinkInline(admin.TabularInline):
    """The sources that report a meeting (both sides may publish a readout of it)."""

    model = SourceDocument.meetings.through
    formset = SourceLinkFormSet
    fields = ["sourcedocument"]
    autocomplete_fields = ["sourcedocument"]
    verbose_name = _("source")
    verbose_name_plural = _("sources")
    extra = 0


class StatementInline(CuratedInline, admin.TabularInline):
    """A meeting's statements, one compact row each; topics and mentions are a click away.

    The source and speaker lists hold this meeting's sources and participants as saved:
    add those first, save, then the statements that point to them.
    """

    model = Statement
    form = StatementForm
    fields = ["source", "kind", "attribution", "speaker", "side", "start", "end", "text"]
    autocomplete_fields = ["side"]
    formfield_overrides = {
        models.TextField: {"widget": COMPACT_TEXTAREA},
        models.PositiveIntegerField: {"widget": COMPACT_INTEGER},
    }
    show_change_link = True
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        meeting_id = parent_object_id(request)
        if db_field.name == "source":
            sources = SourceDocument.objects.filter(meetings__pk=meeting_id)
            kwargs["queryset"] = sources if meeting_id else sources.none()
        elif db_field.name == "speaker":
            kwargs["queryset"] = Participant.objects.filter(meeting_id=meeting_id)
        else:
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        return cache_choices(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return without_related_links(field) if db_field.name in {"source", "speaker"} else field


class StatementTopicFilter(TopicListFilter):
    def filter_topics(self, queryset, topic_ids):
        tagged = Statement.topics.through.objects.filter(
            statement=OuterRef("pk"), topic__in=topic_ids
        )
        return queryset.filter(Exists(tagged))


@admin.register(Statement)
class StatementAdmin(CuratedAdmin):
    form = StatementPageForm
    list_display = ["__str__", "kind", "attribution", "said_by", "meeting", "start", "end"]
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

    @admin.display(description=_("said by"))
    def said_by(self, obj):
        if obj.attribution == Statement.Attribution.SPEAKER:
            return obj.speaker
        if obj.attribution == Statement.Attribution.SIDE:
            return obj.side
        return obj.get_attribution_display()
