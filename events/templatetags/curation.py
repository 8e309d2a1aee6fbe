"""Template helpers of the curation admin's compact inlines."""

import re

from django import template
from django.contrib.admin.utils import flatten, label_for_field
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def compact_columns(inline_admin_formset) -> list[dict]:
    """The header of a compact inline: one column per line of its fieldsets, labelled with
    the labels of the line's fields ("Kind / sides"), their help texts as a tooltip."""
    formset = inline_admin_formset.formset
    model_admin = inline_admin_formset.opts
    form_fields = formset.form.base_fields
    columns = []
    for _name, options in inline_admin_formset.fieldsets:
        for line in options["fields"]:
            names = [line] if isinstance(line, str) else list(line)
            labels, helps, required = [], [], False
            for name in names:
                field = form_fields.get(name)
                if field is not None:
                    if field.widget.is_hidden:
                        continue
                    labels.append(str(field.label))
                    help_text = getattr(field, "column_help", "") or field.help_text
                    if help_text:
                        helps.append(f"{field.label}: {help_text}")
                    required |= field.required
                else:
                    labels.append(
                        str(label_for_field(name, formset.model, model_admin, form=formset.form))
                    )
            if labels:
                columns.append(
                    {
                        "names": names,
                        "label": " / ".join(label.capitalize() for label in labels),
                        "help": " ".join(helps),
                        "required": required,
                    }
                )
    return columns


@register.simple_tag
def compact_rows(inline_admin_formset, columns) -> str:
    """The rows of a compact inline (see `events.admin.rendering.compact_rows`)."""
    # Imported here: `events.admin` imports this module while it loads.
    from events.admin.rendering import compact_rows

    return compact_rows(inline_admin_formset, len(columns))


@register.filter
def field_names(fieldsets) -> list[str]:
    return flatten([options["fields"] for _name, options in fieldsets])


_EDGE_SPACE = re.compile(r"^\s+|\s+$")


@register.filter
def verbatim_edges(text: str) -> str:
    """Escaped text whose leading and trailing whitespace are character references, so
    `{% spaceless %}` around it cannot drop a line break of a readout (offsets and the line
    breaks a reader sees stay the source's)."""
    return mark_safe(
        _EDGE_SPACE.sub(
            lambda found: "".join(f"&#{ord(char)};" for char in found.group()), escape(text)
        )
    )
