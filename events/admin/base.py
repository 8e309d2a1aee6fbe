"""Pieces the area admins share: the topic filter, cached inline choices, verbatim text."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..models import Topic

__all__ = [
    "COMPACT_INTEGER",
    "COMPACT_TEXTAREA",
    "CURATION_FIELDSETS",
    "TopicListFilter",
    "cache_choices",
    "normalize_newlines",
    "parent_object_id",
    "related_count",
    "verbatim",
    "without_related_links",
]

# Inline rows stay one line high; the full editor is one `show_change_link` away.
COMPACT_TEXTAREA = forms.Textarea(attrs={"rows": 2, "cols": 60})
COMPACT_INTEGER = forms.NumberInput(attrs={"style": "width: 6em"})

# The fields of `CuratedModel`, folded away below each curated record's own fields.
CURATION_FIELDSETS = [
    (
        _("Identifiers and sources"),
        {"fields": ["identifiers", "sources", "locked_fields"], "classes": ["collapse"]},
    ),
    (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
]


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
        field.choices = list(field.choices)
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
