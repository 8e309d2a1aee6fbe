"""How the long inlines' rows render their widgets: Django's own widget templates, the few a
row uses written out in Python, the rest by Jinja2.

A meeting page with 40 statements renders some 500 widgets. Through Django's template
engine they took about half of the page's time; through Jinja2 a quarter. The widgets a
row uses (inputs, text areas, selects and their options) are rendered here from the same
context Django's templates receive (`Widget.get_context`), to the same HTML
(`tests/test_admin_meeting_page.py` compares them with the templates' output); any other
template (an error list, a widget this module does not know) goes to Jinja2.
"""

from __future__ import annotations

from django.forms.renderers import Jinja2
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["ROW_RENDERER", "RowRenderer"]


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
        direct = _DIRECT.get(template_name)
        if direct is None or "widget" not in context:
            return super().render(template_name, context, request)
        return mark_safe(direct(context["widget"]))


ROW_RENDERER = RowRenderer()
