"""Helpers for the admin's tests: its URLs, what a browser posts, the errors a page shows."""

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
