"""Widgets and formset pieces that keep a long inline light: one query per page, not per row,
and a few hundred bytes per row, not thousands.

Django's autocomplete widget looks up the label of each row's selected values with a
query of its own (40 statements' topics: 40 queries). Here the inline's formset hands
each row's widget the labels of the records its instance already holds (selected or
prefetched with the inline's queryset), and the widget falls back to the query only for
values it was not told about (a re-rendered form with new choices).

Its select also carries only what differs between fields (model and field name): the
settings every autocomplete shares (URL, theme, cache) are set once by
`events/admin/curation.js`, which then starts Django's own select2 on it. The add, change
and delete buttons beside each row's selects are left out: the compact rows link to the
records' own pages instead.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    RelatedFieldWidgetWrapper,
)

from .base import FIELD_LABELS
from .rendering import ROW_RENDERER

__all__ = [
    "KnownLabelsAutocomplete",
    "KnownLabelsAutocompleteMultiple",
    "KnownLabelsFormSetMixin",
    "KnownLabelsInlineMixin",
    "SharedOptionsSelect",
]


class KnownLabelsMixin:
    labels: dict[str, str] | None = None  # value -> label, set per row by the formset

    def build_attrs(self, base_attrs, extra_attrs=None):
        # Not AutocompleteMixin's: the shared settings come from curation.js, which reads
        # the field's name from the select's name and its model from the inline's
        # `data-model-name` (`KnownLabelsInlineMixin`).
        attrs = forms.Select.build_attrs(self, base_attrs, extra_attrs)
        attrs["class"] = (attrs.get("class", "") + " lazy-autocomplete").strip()
        if self.is_required:
            attrs["data-required"] = ""
        return attrs

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.labels is None or any(v not in self.labels for v in selected):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for v in selected:
            options.append(self.create_option(name, v, self.labels[v], True, len(options)))
        return [(None, options, 0)]


class KnownLabelsAutocomplete(KnownLabelsMixin, AutocompleteSelect):
    pass


class KnownLabelsAutocompleteMultiple(KnownLabelsMixin, AutocompleteSelectMultiple):
    pass


class SharedOptionsSelect(forms.Select):
    """A select that carries only its selected option: the page holds the whole list once
    (`<template id="options-KEY">`), and curation.js copies it in when the select is first
    used. Forty statements' kind and speaker selects then cost forty options, not 800.
    The field still validates against every choice."""

    def __init__(self, key: str, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.key = key

    def optgroups(self, name, value, attrs=None):
        groups = []
        for group_name, options, index in super().optgroups(name, value, attrs):
            selected = [option for option in options if option["selected"]]
            if selected:
                groups.append((group_name, selected, index))
        return groups

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-options": self.key}


def _inner(widget):
    return getattr(widget, "widget", widget)  # inside RelatedFieldWidgetWrapper


class KnownLabelsFormSetMixin:
    """Gives each row's autocomplete widgets the labels of its instance's records."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        instance = form.instance
        if instance.pk is None:
            return form
        for field in form.fields.values():
            # A stored row has its value: no empty choice to offer (a new row keeps it).
            if (
                field.required
                and isinstance(field, forms.TypedChoiceField)
                and any(k == "" for k, _v in field.choices)
            ):
                field.choices = [(k, v) for k, v in field.choices if k != ""]
        for name, field in form.fields.items():
            widget = _inner(field.widget)
            if not isinstance(widget, KnownLabelsMixin):
                continue
            model_field = instance._meta.get_field(name)
            if model_field.many_to_many:
                related = list(getattr(instance, name).all())
            elif getattr(instance, model_field.attname) is not None:
                related = [getattr(instance, name)]
            else:
                related = []
            widget.labels = {str(obj.pk): field.label_from_instance(obj) for obj in related}
        return form


class KnownLabelsInlineMixin:
    """An inline whose autocomplete fields use the widgets above. Its queryset should
    `select_related` / `prefetch_related` those fields, or each row still costs a query."""

    def _autocomplete_widget(self, db_field, multiple: bool):
        widget = KnownLabelsAutocompleteMultiple if multiple else KnownLabelsAutocomplete
        return widget(db_field, self.admin_site, using=None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = self._autocomplete_widget(db_field, multiple=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = self._autocomplete_widget(db_field, multiple=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None:
            return field
        if db_field.name in FIELD_LABELS:
            field.label = FIELD_LABELS[db_field.name]
        if isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget = field.widget.widget  # no add / change / delete buttons per row
            field.widget.attrs.pop("data-context", None)  # the buttons' hook
        # The help text goes once into the column's header (`compact_columns`), not into
        # every row; the "hold down Control" hint of a multiple select not at all.
        if isinstance(field.widget, forms.SelectMultiple):
            field.help_text = ""
        field.column_help, field.help_text = field.help_text, ""
        return field

    # The rows' widgets are rendered by `ROW_RENDERER` (Django's widget templates, the few a
    # row uses written in Python, the rest through Jinja2): a meeting page renders about 500
    # of them. Only for inlines whose widgets all have Jinja2 templates (not the admin's
    # date and time widgets).
    jinja2_rows = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not issubclass(formset, KnownLabelsFormSetMixin):
            formset = type(formset.__name__, (KnownLabelsFormSetMixin, formset), {})
        if self.jinja2_rows:
            # `get_formset` builds new classes on every call: setting them is per request.
            formset.form.default_renderer = ROW_RENDERER
            formset.default_renderer = ROW_RENDERER
        return formset
