"""Nothing unpublished leaks: a sweep over every endpoint of the API.

On the seeded tracker, every list (with each of its filters and orderings), every record's
page and every record's history is read as an anonymous reader and as a writer who may not
see drafts. Then drafts are created through each write path: the API (a meeting with new
people, offices, a place, a gathering, an organisation, aliases, a tenure, a source,
statements, a commitment, a relationship level, and a status change of a published
commitment traced to a draft statement), the admin (a meeting added with its
participants) and the readout import (new people, a new place and organisation). Read
again, every answer must be the same, byte for byte: no id, name or text of a draft
appears and no count moves. The drafts' own records answer 404 on their pages and
histories, and a filter naming one of them answers as if it named nothing.
"""

import datetime
from collections import defaultdict

import pytest
from admin_pages import admin_test_settings, form_post_data, url  # noqa: F401
from django.apps import apps
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django_filters import BooleanFilter, CharFilter, ChoiceFilter, DateFilter
from readouts import ROOT, read
from rest_framework.test import APIClient

from events.api.filtersets import CountryFilter, IdFilter, TopicFilter
from events.api.urls import router
from events.ingest.importer import import_readout
from events.models import (
    Commitment,
    Country,
    Gathering,
    Meeting,
    Organization,
    Participant,
    Person,
    Place,
    Position,
    SourceDocument,
    Statement,
    Topic,
)

IMPORTED = ROOT / "tests" / "corpus" / "readouts" / "2023-06-19_blinken_wang-yi_beijing.txt"

# Words only the drafts contain: none may appear in any answer to those who may not see them.
MARKERS = ["Quillfeather", "Vexmoor", "Ostrakon", "Blinken", "candid and productive", "Beijing"]

# The record each id filter names, by its parameter ("parent": the list's own model).
ID_FILTER_MODELS = {
    "person": Person,
    "meeting": Meeting,
    "source": SourceDocument,
    "speaker": Participant,
    "place": Place,
    "occasion": Gathering,
    "organization": Organization,
    "position": Position,
    "publisher": Organization,
    "commitment": Commitment,
    "side_organization": Organization,
    "office": Position,
    "reaffirms": Commitment,
    "reaffirmed_by": Commitment,
}
NO_SUCH_ID = "987654321"


def model_of(viewset):
    return viewset.queryset.model


def filter_values(name, filter_, model) -> list[str]:
    """Values that exercise a filter: real ones, and the drafts' words for text filters."""
    if isinstance(filter_, IdFilter):
        target = model if name == "parent" else ID_FILTER_MODELS[name]
        return [str(pk) for pk in target.objects.order_by("pk").values_list("pk", flat=True)[:2]]
    if isinstance(filter_, CountryFilter):
        return ["CHN", "TJK", "TUR", "USA"]
    if isinstance(filter_, TopicFilter):
        return ["security", "health", "economy"]
    if isinstance(filter_, ChoiceFilter):
        return [str(value) for value, _ in filter_.extra["choices"]]
    if isinstance(filter_, DateFilter):
        return ["2022-01-01", "2025-04-25"]
    if isinstance(filter_, BooleanFilter):
        return ["true", "false"]
    if isinstance(filter_, CharFilter):
        return ["Wang", "en", *MARKERS, "quillfeather-vexmoor"]
    raise AssertionError(f"No values for the filter {name} ({type(filter_).__name__})")


def public_urls() -> list[str]:
    """Every list with each filter value and ordering, every record's page and history."""
    urls = []
    for _prefix, viewset, basename in router.registry:
        model = model_of(viewset)
        listing = reverse(f"{basename}-list")
        urls.append(listing)
        for name, filter_ in viewset.filterset_class.base_filters.items():
            urls += [f"{listing}?{name}={value}" for value in filter_values(name, filter_, model)]
        for field in viewset.ordering_fields:
            urls += [f"{listing}?ordering={field}", f"{listing}?ordering=-{field}"]
        records = model.objects.order_by("pk").values_list("pk", flat=True)
        if model is Country:
            records = ["CHN", "TJK", "KAZ"]
        for pk in records:
            urls += [
                reverse(f"{basename}-detail", args=[pk]),
                reverse(f"{basename}-history", args=[pk]),
            ]
    return urls


def answers(client, urls) -> dict[str, tuple[int, str]]:
    found = {}
    for address in urls:
        response = client.get(address)
        found[address] = (response.status_code, response.content.decode())
    return found


def snapshot_keys() -> dict[type, set]:
    return {
        model: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_app_config("events").get_models()
        if not model.__name__.startswith("Historical")
    }


def create_drafts_through_the_api(staff):
    """A draft meeting and every kind of record that only it uses."""

    def post(resource, body):
        response = staff.post(reverse(f"{resource}-list"), body, format="json")
        assert response.status_code == 201, (resource, response.data)
        return response.data

    org = post(
        "organization",
        {
            "slug": "vexmoor-ministry",
            "name": "Vexmoor Ministry",
            "kind": "ministry",
            "needs_review": True,
        },
    )
    post("organizationalias", {"organization": org["id"], "name": "Vexmoor MFA"})
    office = post(
        "position",
        {
            "slug": "vexmoor-minister",
            "title": "Vexmoor Minister",
            "kind": "minister",
            "organization": org["id"],
            "needs_review": True,
        },
    )
    person = post(
        "person",
        {
            "slug": "quillfeather",
            "name": "Zephyrine Quillfeather",
            "country": "TUR",
            "needs_review": True,
        },
    )
    post("personalias", {"person": person["id"], "name": "Z. Quillfeather"})
    post("tenure", {"person": person["id"], "position": office["id"], "status": "unknown"})
    place = post(
        "place",
        {
            "slug": "vexmoor",
            "name": "Vexmoor",
            "kind": "city",
            "country": "TUR",
            "needs_review": True,
        },
    )
    gathering = post(
        "gathering",
        {
            "slug": "vexmoor-forum",
            "name": "Vexmoor Forum",
            "kind": "conference",
            "needs_review": True,
        },
    )
    wang = Person.objects.get(slug="wang-yi")
    meeting = post(
        "meeting",
        {
            "slug": "quillfeather-vexmoor",
            "title": "Wang Yi meets Zephyrine Quillfeather in Vexmoor",
            "date": "2026-01-05",
            "contact_type": "meeting",
            "place": place["id"],
            "occasion": gathering["id"],
            "occasion_relation": "sidelines",
            "notes": "Quillfeather draft, unpublished",
            "participants": [
                {"name_as_written": "Wang Yi", "side": "CHN", "person": wang.pk},
                {
                    "name_as_written": "Zephyrine Quillfeather",
                    "side": "TUR",
                    "person": person["id"],
                    "offices": [office["id"]],
                },
            ],
        },
    )
    text = (
        "On January 5, 2026, Wang Yi met with Zephyrine Quillfeather in Vexmoor. "
        "The two sides agreed to build the Ostrakon corridor."
    )
    source = post(
        "sourcedocument", {"text": text, "meetings": [meeting["id"]], "publisher": org["id"]}
    )
    start = text.index("The two sides")
    statement = post(
        "statement",
        {
            "meeting": meeting["id"],
            "source": source["id"],
            "attribution": "joint",
            "kind": "agreement",
            "start": start,
            "end": len(text),
            "topics": ["economy"],
            "mentioned_people": [person["id"], wang.pk],
            "mentioned_organizations": [org["id"]],
            "mentioned_gatherings": [gathering["id"]],
        },
    )
    luban = Commitment.objects.get(slug="2022-chn-luban-workshop")
    post(
        "commitment",
        {
            "slug": "ostrakon-corridor",
            "meeting": meeting["id"],
            "statement": statement["id"],
            "kind": "agreement",
            "sides": ["CHN", "TUR"],
            "description": "Build the Ostrakon corridor",
            "reaffirms": [luban.pk],
        },
    )
    post(
        "commitmentstatuschange",
        {
            "commitment": luban.pk,
            "status": "fulfilled",
            "date": "2026-01-05",
            "note": "Quillfeather reported it done",
            "statement": statement["id"],
        },
    )
    post(
        "relationshiplevel",
        {
            "country_a": "CHN",
            "country_b": "TUR",
            "level": "Ostrakon partnership",
            "statement": statement["id"],
            "announced_at": gathering["id"],
            "date_precision": "day",
            "date_earliest": "2026-01-05",
            "date_latest": "2026-01-05",
        },
    )


def create_draft_through_the_admin(admin):
    page = url(Meeting, "add")
    data = form_post_data(admin.get(page)) | {
        "title": "Quillfeather call",
        "slug": "quillfeather-call",
        "date": "2026-02-01",
        "contact_type": "phone_call",
        "status": "draft",
        "participants-0-name_as_written": "Wang Yi",
        "participants-0-side": "CHN",
        "participants-1-name_as_written": "Vexmoor Quillfeather",
        "participants-1-side": "TUR",
        "participants-1-order": "1",
    }
    assert admin.post(page, data).status_code == 302


@pytest.fixture
def sweep_users(django_user_model):
    anonymous = APIClient()
    writer_user = django_user_model.objects.create_user("writer")
    writer_user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="events",
            codename__in=[
                f"{action}_{model}"
                for action in ("add", "change", "view")
                for model in (
                    "person",
                    "personalias",
                    "place",
                    "organization",
                    "topic",
                    "statement",
                )
            ],
        )
    )
    writer = APIClient()
    writer.force_login(writer_user)
    staff = APIClient()
    staff.force_authenticate(django_user_model.objects.create_superuser("staff"))
    admin = Client()
    admin.force_login(django_user_model.objects.get(username="staff"))
    return {"anonymous": anonymous, "writer": writer}, staff, admin


def test_nothing_a_draft_creates_is_seen_by_those_who_may_not_see_drafts(seed, sweep_users):
    readers, staff, admin = sweep_users
    urls = public_urls()
    before = {who: answers(client, urls) for who, client in readers.items()}
    keys_before = snapshot_keys()

    create_drafts_through_the_api(staff)
    create_draft_through_the_admin(admin)
    imported = import_readout(
        read(IMPORTED),
        publisher_country=Country.objects.get(pk="USA"),
        published=datetime.date(2023, 6, 19),
    )
    assert imported.outcome == "created" and imported.meeting.status == "draft"

    new_keys = {
        model: keys - keys_before[model]
        for model, keys in snapshot_keys().items()
        if keys - keys_before[model]
    }
    assert {Meeting, Participant, Person, Place, Statement, Commitment} <= set(new_keys)

    changed = defaultdict(list)
    for who, client in readers.items():
        after = answers(client, urls)
        for address in urls:
            if after[address] != before[who][address]:
                changed[who].append(address)
            body = after[address][1]
            for marker in MARKERS:
                assert marker not in body, (who, address, marker)
    assert not changed, {who: addresses[:10] for who, addresses in changed.items()}

    # The drafts' own records: pages, histories and filters naming them.
    hidden = hidden_probes(new_keys)
    assert len(hidden) > 100
    for who, client in readers.items():
        for address, same_as in hidden:
            got, expected = client.get(address), client.get(same_as)
            assert got.status_code == expected.status_code, (who, address)
            # Problems name the address asked (`instance`); nothing else may differ.
            assert without_instance(got.json()) == without_instance(expected.json()), (
                who,
                address,
            )
    print(f"swept {len(urls)} addresses before and after, and {len(hidden)} naming the drafts")


def without_instance(body):
    return {k: v for k, v in body.items() if k != "instance"} if isinstance(body, dict) else body


def hidden_probes(new_keys) -> list[tuple[str, str]]:
    """(address naming a draft's record, the same address naming nothing)."""
    probes = []
    for _prefix, viewset, basename in router.registry:
        model = model_of(viewset)
        for pk in sorted(new_keys.get(model, ())):
            for view in ("detail", "history"):
                probes.append(
                    (
                        reverse(f"{basename}-{view}", args=[pk]),
                        reverse(f"{basename}-{view}", args=[NO_SUCH_ID]),
                    )
                )
        listing = reverse(f"{basename}-list")
        for name, filter_ in viewset.filterset_class.base_filters.items():
            if not isinstance(filter_, IdFilter):
                continue
            target = model if name == "parent" else ID_FILTER_MODELS[name]
            for pk in sorted(new_keys.get(target, ())):
                probes.append((f"{listing}?{name}={pk}", f"{listing}?{name}={NO_SUCH_ID}"))
    return probes


def test_the_sweep_covers_every_endpoint_and_filter():
    """A new resource or filter joins the sweep by itself, or fails here for want of values."""
    for _prefix, viewset, _basename in router.registry:
        model = model_of(viewset)
        for name, filter_ in viewset.filterset_class.base_filters.items():
            if isinstance(filter_, IdFilter):
                assert name == "parent" or name in ID_FILTER_MODELS, name
            else:
                assert isinstance(
                    filter_,
                    CountryFilter
                    | TopicFilter
                    | ChoiceFilter
                    | DateFilter
                    | BooleanFilter
                    | CharFilter,
                ), (model, name)
    assert Topic in {model_of(viewset) for _p, viewset, _b in router.registry}
