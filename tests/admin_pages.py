"""Helpers for the admin's tests: its URLs, what a browser posts, the errors a page shows."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse


@pytest.fixture(autouse=True)
def admin_test_settings(settings):
    """Static files without `collectstatic`; a fast hasher for `admin_client`'s superuser."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(model, view, *args):
    return reverse(f"admin:events_{model._meta.model_name}_{view}", args=args)


def changelist_rows(response):
    assert response.status_code == 200, response.content[:2000]
    return list(response.context["cl"].result_list)


def slugs(rows):
    return {row.slug for row in rows}


def form_post_data(response) -> dict:
    """What a browser posts when a change form, with its inlines, is submitted untouched."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = str(value)
    return data


def form_errors(response) -> dict:
    """The errors of a re-rendered admin form and of its inline forms."""
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    errors = {name: list(messages) for name, messages in form.errors.items()}
    for inline in response.context["inline_admin_formsets"]:
        # Each form's own errors: the formset's list leaves out forms marked for deletion.
        for form in inline.formset.forms:
            errors |= {
                form.add_prefix(name): list(messages) for name, messages in form.errors.items()
            }
        if inline.formset.non_form_errors():
            errors[inline.formset.prefix] = list(inline.formset.non_form_errors())
    return errors


class _FormFields(HTMLParser):
    """The fields of one <form> as a browser submits them: inputs (checkboxes and radios
    only when checked, no buttons), text areas, and the selected options of selects (a
    single select with none selected sends its first). Disabled fields are left out."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields: list[tuple[str, str]] = []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {
                "name": name,
                "multiple": "multiple" in attrs,
                "chosen": [],
                "first": None,
            }
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # The line break just after <textarea> is not part of the value.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            select = self.select
            chosen = select["chosen"]
            if not chosen and not select["multiple"] and select["first"] is not None:
                chosen = [select["first"]]
            self.fields += [(select["name"], value) for value in chosen]
            self.select = None


def rendered_form_data(response, form_id: str) -> dict:
    """What a browser posts when the page's form is submitted untouched, read from the
    page's HTML (not from the forms in the context): a value a row fails to render, or
    renders under the wrong name, is missing or wrong here."""
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
