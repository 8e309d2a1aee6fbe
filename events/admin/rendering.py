"""How the long inlines' rows render their widgets: Django's own widget templates, the few a
row uses written out in Python, the rest by Jinja2.

A meeting page with 40 statements renders some 500 widgets. Through Django's template
engine they took about half of the page's time; through Jinja2 a quarter. The widgets a
row uses (inputs, text areas, selects and their options) and error lists (most of them
empty) are rendered here from the same context Django's templates receive
(`Widget.get_context`, `ErrorList.get_context`), to the same HTML
(`tests/test_admin_meeting_page.py` compares them with the templates' output); any other
template (a widget this module does not know) goes to Jinja2.

The compact inlines' rows themselves (`compact_rows`) are written here too.
"""

from __future__ import annotations

import html

from django.contrib.admin.utils import quote
from django.forms.renderers import Jinja2
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

__all__ = ["ROW_RENDERER", "RowRenderer", "compact_rows"]


def conditional_escape(value) -> str:
    """`django.utils.html.conditional_escape` without its lazy-string wrapper: the same
    output, for the thousands of values a meeting page escapes here."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name.
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else conditional_escape(value)
    name = conditional_escape(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{shown}</textarea>'


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{conditional_escape(group_name)}">')
        parts.extend(_option(option) for option in options)
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return "".join(parts)


def _error_list(context: dict) -> str:
    # django/forms/errors/list/ul.html (default.html includes it): nothing when empty,
    # as the field errors of most rows are.
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    shown_id = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{shown_id}>{items}</ul>'


_ERROR_LISTS = {
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
}

_DIRECT = {
    "django/forms/widgets/text.html": _input,
    "django/forms/widgets/number.html": _input,
    "django/forms/widgets/hidden.html": _input,
    "django/forms/widgets/checkbox.html": _input,
    "django/forms/widgets/url.html": _input,
    "django/forms/widgets/email.html": _input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class RowRenderer(Jinja2):
    """A form renderer for the rows of long inlines (see the module's docstring)."""

    def render(self, template_name, context, request=None) -> SafeString:
        if template_name in _ERROR_LISTS and "errors" in context:
            return mark_safe(_ERROR_LISTS[template_name](context))
        direct = _DIRECT.get(template_name)
        if direct is None or "widget" not in context:
            return super().render(template_name, context, request)
        return mark_safe(direct(context["widget"]))


ROW_RENDERER = RowRenderer()


def compact_rows(inline_admin_formset, column_count: int) -> SafeString:
    """The rows of a compact inline (`admin/events/edit_inline/compact.html`), written here
    rather than by the template: a meeting page has some 30 of them, and the template engine
    walking their fields was the page's largest cost (`measure_meeting_page --profile`).
    Same HTML as the template wrote (its `{% spaceless %}` still applies), from the same
    admin helpers."""
    formset = inline_admin_formset.formset
    inline = inline_admin_formset.opts
    prefix = conditional_escape(formset.prefix)
    with_add = inline_admin_formset.has_add_permission
    can_delete = formset.can_delete and inline_admin_formset.has_delete_permission
    change_url = None
    if inline.show_change_link and inline.has_registered_model:
        opts = inline.opts
        change_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=["__pk__"],
            current_app=inline.admin_site.name,
        )
        editable = inline_admin_formset.has_change_permission
        change_link = (
            ("inlinechangelink", gettext("Change"))
            if editable
            else ("inlineviewlink", gettext("View"))
        )
    admin_forms = list(inline_admin_formset)
    last = len(admin_forms) - 1
    parts = []
    for index, admin_form in enumerate(admin_forms):
        form, original = admin_form.form, admin_form.original
        labelled = index == 0 or index == last  # the first and the last (empty) row
        empty = index == last and with_add
        non_field_errors = form.non_field_errors()
        if non_field_errors:
            parts.append(
                f'<tr class="row-form-errors"><td colspan="{column_count + 1}">'
                f"{conditional_escape(non_field_errors)}</td></tr>"
            )
        parts.append(
            '<tr class="form-row{}{}" id="{}-{}">'.format(
                " has_original" if original else "",
                " empty-form" if empty else "",
                prefix,
                "empty" if empty else index,
            )
        )
        for fieldset in admin_form:
            for line in fieldset:
                parts.append(_compact_line(line, labelled))
        # The foreign key to the parent is not sent: the formset takes the page's.
        parts.append('<td class="delete compact-actions">')
        if admin_form.needs_explicit_pk_field():
            parts.append(conditional_escape(admin_form.pk_field().field))
        if can_delete and original:
            parts.append(conditional_escape(admin_form.deletion_field().field))
        if original and change_url is not None:
            parts.append(
                '<a href="{}" class="{}">{}</a>'.format(
                    conditional_escape(change_url.replace("__pk__", str(quote(original.pk)))),
                    change_link[0],
                    conditional_escape(change_link[1]),
                )
            )
        parts.append("</td></tr>")
    return mark_safe("".join(parts))


def _compact_line(line, labelled: bool) -> str:
    """One cell: the fields of a line of the inline's fieldsets, stacked."""
    parts = []
    show_labels = labelled and len(line.fields) > 1
    for field in line:
        bound = field.field  # a BoundField, or the dict a read-only field describes itself by
        if field.is_readonly:
            if bound["is_hidden"]:
                parts.append(conditional_escape(bound))
                continue
            name, label, errors = bound["name"], bound["label"], ""
        else:
            if bound.is_hidden:
                parts.append(conditional_escape(bound))
                continue
            name, label, errors = bound.name, bound.label, bound.errors
        parts.append(
            '<div class="field-{}{}">'.format(
                conditional_escape(name or "x"), " errors" if errors else ""
            )
        )
        if errors:
            parts.append(conditional_escape(errors.as_ul()))
        if show_labels:
            parts.append(
                f'<span class="compact-label">{conditional_escape(capfirst(label))}</span>'
            )
        if field.is_readonly:
            parts.append(f'<div class="readonly">{field.contents()}</div>')
        else:
            parts.append(conditional_escape(bound))
        parts.append("</div>")
    if line.has_visible_field:
        return f"<td>{''.join(parts)}</td>"
    return "".join(parts)
