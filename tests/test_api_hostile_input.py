"""No input makes the API answer 500: every writable field of every resource, given values
of the wrong type, out of range or unstorable, is a 400 (or accepted), never a crash."""

import pytest
import test_api_crud as crud
from django.db import transaction
from django.urls import resolve

pytestmark = pytest.mark.django_db

HOSTILE = [None, 10**30, [2**70], "\x00"]

RESOURCES = [
    cls
    for cls in vars(crud).values()
    if isinstance(cls, type) and issubclass(cls, crud.CRUDTests) and cls is not crud.CRUDTests
]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda cls: cls.__name__.removeprefix("Test"))
def test_no_hostile_value_makes_a_write_fail_with_500(staff_client, resource):
    spec = resource()
    url = spec.detail_url(spec.make())
    fields = staff_client.options(spec.list_url()).json()["actions"]["POST"]
    writable = [name for name, about in fields.items() if not about["read_only"]]
    answers = {}
    for field in writable:
        for value in HOSTILE:
            response = staff_client.patch(url, {field: value}, format="json")
            answers[(field, repr(value)[:20])] = response.status_code
    assert {code for code in answers.values()} <= {200, 400, 405}, {
        key: code for key, code in answers.items() if code not in {200, 400, 405}
    }


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda cls: cls.__name__.removeprefix("Test"))
def test_no_hostile_value_makes_a_create_fail_with_500(staff_client, resource):
    """POST too: some resources (the append-only status history) take no PATCH at all."""
    spec = resource()
    valid = spec.create_data()
    fields = staff_client.options(spec.list_url()).json()["actions"]["POST"]
    writable = [name for name, about in fields.items() if not about["read_only"]]
    answers = {}
    for field in writable:
        for value in HOSTILE:
            with transaction.atomic():  # undone, so the next value is not a duplicate
                response = staff_client.post(
                    spec.list_url(), {**valid, field: value}, format="json"
                )
                transaction.set_rollback(True)
            answers[(field, repr(value)[:20])] = response.status_code
    assert {code for code in answers.values()} <= {201, 400}, {
        key: code for key, code in answers.items() if code not in {201, 400}
    }
    assert any(code == 400 for code in answers.values())


HOSTILE_QUERY_VALUES = ["", "\x00", "x" * 3000, "-1", "9" * 30, "1.5", "ü", "2022-13-45", "[]"]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda cls: cls.__name__.removeprefix("Test"))
def test_no_hostile_query_makes_a_list_fail_with_500(api_client, resource):
    """Every filter of the list, and its ordering and paging, given odd values: the answer is
    a list, a 400 naming the parameter, or a 404 for a page past the end or a cursor that
    cannot be read; never a crash."""
    spec = resource()
    spec.make()
    view = resolve(spec.list_url()).func.cls
    parameters = [*view.filterset_class.base_filters, "ordering", "page", "cursor", "page_size"]
    answers = {}
    for parameter in parameters:
        for value in HOSTILE_QUERY_VALUES:
            response = api_client.get(spec.list_url(), {parameter: value})
            answers[(parameter, repr(value)[:20])] = response.status_code
    assert set(answers.values()) <= {200, 400, 404}, {
        key: code for key, code in answers.items() if code not in {200, 400, 404}
    }
