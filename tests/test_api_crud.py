"""Create, read, update and delete on every resource, with the same rights everywhere.

NetBox-style: `CRUDTests` holds the tests, each `Test<Resource>` says how to make a
record and what to send; `DraftHiddenTests` adds the visibility rule for records that
belong to a meeting.
"""

import datetime

import factories as f
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from problems import fields_at_fault, problem

from events.models import Country, Meeting

pytestmark = pytest.mark.django_db


class CRUDTests:
    basename: str
    factory: type
    lookup_field = "id"
    counted = True  # page numbers and a count; False for the cursor-paginated lists
    #: Fields sent on create that the response shows differently (nested, write-only).
    not_echoed: tuple[str, ...] = ()

    def make(self):
        return self.factory()

    def make_rich(self):
        """A record with the relations its serializer follows filled in."""
        return self.make()

    def create_data(self) -> dict:
        raise NotImplementedError

    def update_data(self, obj) -> dict:
        """A full replacement (PUT)."""
        raise NotImplementedError

    def patch_data(self, obj) -> dict:
        raise NotImplementedError

    def key(self, obj):
        return getattr(obj, self.lookup_field if self.lookup_field != "id" else "pk")

    def list_url(self):
        return reverse(f"{self.basename}-list")

    def detail_url(self, obj):
        return reverse(f"{self.basename}-detail", args=[self.key(obj)])

    def assert_echoes(self, sent: dict, received: dict):
        for name, value in sent.items():
            if name not in self.not_echoed:
                assert received[name] == value, name

    def test_it_lists_records(self, api_client):
        obj = self.make()
        response = api_client.get(self.list_url(), {"page_size": 100})
        assert response.status_code == 200
        # The large lists are cursor-paginated: no count.
        envelope = {"next", "previous", "results"} | ({"count"} if self.counted else set())
        assert set(response.data) == envelope
        assert self.key(obj) in [row[self.lookup_field] for row in response.data["results"]]

    def test_its_list_makes_no_query_per_row(self, staff_client):
        self.make_rich()
        with CaptureQueriesContext(connection) as one_row:
            staff_client.get(self.list_url())
        for _ in range(3):
            self.make_rich()
        with CaptureQueriesContext(connection) as four_rows:
            response = staff_client.get(self.list_url())
        assert len(response.data["results"]) >= 4
        assert len(four_rows) == len(one_row)

    def test_it_retrieves_a_record(self, api_client):
        obj = self.make()
        response = api_client.get(self.detail_url(obj))
        assert response.status_code == 200
        assert response.data[self.lookup_field] == self.key(obj)

    def create(self, client):
        data = self.create_data()
        response = client.post(self.list_url(), data, format="json")
        assert response.status_code == 201, response.data
        self.assert_echoes(data, response.data)
        lookup = response.data[self.lookup_field]
        assert self.factory._meta.model.objects.filter(**{self.lookup_field: lookup}).exists()
        return response

    def test_it_creates_a_record(self, staff_client):
        self.create(staff_client)

    def test_it_replaces_a_record(self, staff_client):
        obj = self.make()
        data = self.update_data(obj)
        response = staff_client.put(self.detail_url(obj), data, format="json")
        assert response.status_code == 200, response.data
        self.assert_echoes(data, response.data)

    def test_it_updates_part_of_a_record(self, staff_client):
        obj = self.make()
        data = self.patch_data(obj)
        response = staff_client.patch(self.detail_url(obj), data, format="json")
        assert response.status_code == 200, response.data
        self.assert_echoes(data, response.data)

    def test_it_deletes_a_record(self, staff_client):
        obj = self.make()
        response = staff_client.delete(self.detail_url(obj))
        assert response.status_code == 204
        assert staff_client.get(self.detail_url(obj)).status_code == 404

    def test_it_answers_anonymous_writes_with_401(self, api_client):
        obj = self.make()
        response = api_client.post(self.list_url(), self.create_data(), format="json")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert api_client.delete(self.detail_url(obj)).status_code == 401

    def test_it_refuses_writes_without_permission_with_403(self, reader_client):
        obj = self.make()
        response = reader_client.post(self.list_url(), self.create_data(), format="json")
        assert problem(response, 403)["code"] == "permission_denied"
        assert reader_client.patch(self.detail_url(obj), {}, format="json").status_code == 403
        assert reader_client.delete(self.detail_url(obj)).status_code == 403


class DraftHiddenTests:
    """Records of a draft or reviewed meeting are for staff only."""

    def make_draft(self):
        raise NotImplementedError

    @pytest.mark.parametrize("client_name", ["api_client", "reader_client"])
    def test_it_hides_records_of_unpublished_meetings(self, request, client_name):
        client = request.getfixturevalue(client_name)
        draft = self.make_draft()
        listed = client.get(self.list_url(), {"page_size": 100}).data["results"]
        assert draft.pk not in [row["id"] for row in listed]
        response = client.get(self.detail_url(draft))
        assert response.status_code == 404
        assert problem(response, 404)["code"] == "not_found"

    def test_it_shows_records_of_unpublished_meetings_to_staff(self, staff_client):
        draft = self.make_draft()
        assert staff_client.get(self.detail_url(draft)).status_code == 200


def draft_meeting():
    return f.MeetingFactory(status=Meeting.Status.DRAFT)


# Places, organisations, people --------------------------------------------------------


class TestCountries(CRUDTests):
    basename = "country"
    factory = None
    lookup_field = "alpha3"

    def make(self):
        # Every ISO country is loaded by a migration; Antarctica is referenced by nothing.
        return Country.objects.get(alpha3="ATA")

    def create_data(self):
        return {"alpha3": "QQA", "alpha2": "XA", "numeric": "900", "name": "Testland"}

    def update_data(self, obj):
        return {"alpha3": obj.alpha3, "alpha2": obj.alpha2, "numeric": obj.numeric, "name": "Ice"}

    def patch_data(self, obj):
        return {"official_name": "The Antarctic"}

    def test_it_creates_a_record(self, staff_client):
        response = staff_client.post(self.list_url(), self.create_data(), format="json")
        assert response.status_code == 201, response.data
        assert Country.objects.filter(alpha3="QQA", name="Testland").exists()

    def test_it_refuses_to_change_a_country_code(self, staff_client):
        obj = self.make()
        data = {**self.update_data(obj), "alpha3": "QQB"}
        response = staff_client.put(self.detail_url(obj), data, format="json")
        assert response.status_code == 400
        assert "alpha3" in fields_at_fault(response)

    def test_it_refuses_a_lowercase_code(self, staff_client):
        data = {**self.create_data(), "alpha3": "qqa"}
        response = staff_client.post(self.list_url(), data, format="json")
        assert response.status_code == 400
        assert "alpha3" in fields_at_fault(response)


class TestPlaces(CRUDTests):
    basename = "place"
    factory = f.PlaceFactory

    def create_data(self):
        return {
            "slug": "tunxi",
            "name": "Tunxi",
            "kind": "city",
            "country": "CHN",
            "parent": f.PlaceFactory(kind="region", name="Anhui").pk,
            "identifiers": [{"scheme": "wikidata", "identifier": "Q1201424"}],
        }

    def update_data(self, obj):
        return {"slug": obj.slug, "name": "Almaty", "kind": "city", "country": "KAZ"}

    def patch_data(self, obj):
        return {"sources": [{"url": "https://example.org/almaty", "note": "map"}]}


class TestOrganizations(CRUDTests):
    basename = "organization"
    factory = f.OrganizationFactory

    def make_rich(self):
        return f.OrganizationAliasFactory(organization__parent=f.OrganizationFactory()).organization

    def create_data(self):
        return {
            "slug": "mfa-china",
            "name": "Ministry of Foreign Affairs",
            "abbreviation": "MFA",
            "kind": "ministry",
            "country": "CHN",
        }

    def update_data(self, obj):
        return {
            "slug": obj.slug,
            "name": "Shanghai Cooperation Organisation",
            "kind": "international",
            "country": None,
            "abbreviation": "SCO",
        }

    def patch_data(self, obj):
        return {"locked_fields": ["name"]}


class TestOrganizationAliases(CRUDTests):
    basename = "organizationalias"
    factory = f.OrganizationAliasFactory

    def create_data(self):
        return {"organization": f.OrganizationFactory().pk, "name": "Foreign Ministry"}

    def update_data(self, obj):
        return {"organization": obj.organization_id, "name": "MFA", "language": "en"}

    def patch_data(self, obj):
        return {"language": "zh"}


class TestPeople(CRUDTests):
    basename = "person"
    factory = f.PersonFactory

    def make_rich(self):
        return f.PersonAliasFactory().person

    def create_data(self):
        return {"slug": "wang-yi", "name": "Wang Yi", "native_name": "王毅", "country": "CHN"}

    def update_data(self, obj):
        return {"slug": obj.slug, "name": "Sirojiddin Muhriddin", "country": "TJK"}

    def patch_data(self, obj):
        return {"identifiers": [{"scheme": "wikidata", "identifier": "Q32061"}]}


class TestPersonAliases(CRUDTests):
    basename = "personalias"
    factory = f.PersonAliasFactory

    def create_data(self):
        return {"person": f.PersonFactory().pk, "name": "Mukhriddin", "note": "spelling"}

    def update_data(self, obj):
        return {"person": obj.person_id, "name": "Muhriddin", "language": "en", "note": ""}

    def patch_data(self, obj):
        return {"note": "transliteration"}


class TestPositions(CRUDTests):
    basename = "position"
    factory = f.PositionFactory

    def create_data(self):
        return {
            "slug": "foreign-minister-china",
            "title": "Foreign Minister",
            "kind": "minister",
            "organization": f.OrganizationFactory().pk,
        }

    def update_data(self, obj):
        return {
            "slug": obj.slug,
            "title": "State Councilor",
            "kind": "state_councilor",
            "organization": obj.organization_id,
        }

    def patch_data(self, obj):
        return {"kind": "other"}


class TestTenures(CRUDTests):
    basename = "tenure"
    factory = f.TenureFactory

    def create_data(self):
        return {
            "person": f.PersonFactory().pk,
            "position": f.PositionFactory().pk,
            "status": "ended",
            "start_earliest": "2018-03-19",
            "start_latest": "2018-03-19",
            "start_precision": "day",
            "end_earliest": "2023-03-12",
            "end_latest": "2023-03-12",
            "end_precision": "day",
        }

    def update_data(self, obj):
        return {
            "person": obj.person_id,
            "position": obj.position_id,
            "status": "unknown",
            "start_text": "since 2013",
            "start_precision": "year",
            "start_earliest": "2013-01-01",
            "start_latest": "2013-12-31",
        }

    def patch_data(self, obj):
        return {"start_text": "in March 2013"}


class TestTopics(CRUDTests):
    basename = "topic"
    factory = f.TopicFactory

    def make_rich(self):
        return f.TopicFactory(parent=f.TopicFactory())

    def create_data(self):
        return {
            "slug": "traditional-medicine",
            "name": "Traditional medicine",
            "parent": f.TopicFactory(slug="health").slug,
        }

    def update_data(self, obj):
        return {"slug": obj.slug, "name": "Security", "parent": None, "description": "Defence"}

    def patch_data(self, obj):
        return {"description": "Counter-terrorism and border security"}


class TestGatherings(CRUDTests):
    basename = "gathering"
    factory = f.GatheringFactory

    def make_rich(self):
        gathering = f.GatheringFactory(place=f.PlaceFactory())
        gathering.organizers.set([f.OrganizationFactory()])
        gathering.principals.set([f.PersonFactory()])
        return gathering

    def create_data(self):
        return {
            "slug": "afghan-neighbours-3",
            "name": "Third Foreign Ministers' Meeting on the Afghan Issue",
            "kind": "multilateral_meeting",
            "date_earliest": "2022-03-30",
            "date_latest": "2022-03-31",
            "date_precision": "day",
            "host_country": "CHN",
            "place": f.PlaceFactory().pk,
            "organizers": [f.OrganizationFactory().pk],
            "principals": [f.PersonFactory().pk],
        }

    def update_data(self, obj):
        return {
            "slug": obj.slug,
            "name": "State visit to Tajikistan",
            "kind": "state_visit",
            "date_precision": "month",
            "date_earliest": "2024-07-01",
            "date_latest": "2024-07-31",
            "date_text": "in July last year",
        }

    def patch_data(self, obj):
        return {"description": "A milestone visit."}


class TestRelationshipLevels(CRUDTests, DraftHiddenTests):
    basename = "relationshiplevel"
    factory = f.RelationshipLevelFactory

    def make_draft(self):
        """A level stated in a draft meeting's readout."""
        return f.RelationshipLevelFactory(statement=f.StatementFactory(meeting=draft_meeting()))

    def test_it_shows_a_level_stated_in_a_published_meeting(self, api_client):
        level = f.RelationshipLevelFactory(statement=f.StatementFactory())
        assert api_client.get(self.detail_url(level)).status_code == 200

    def create_data(self):
        return {
            "country_a": "CHN",
            "country_b": "TJK",
            "level": "comprehensive strategic cooperative partnership in the new era",
            "date_precision": "month",
            "date_earliest": "2024-07-01",
            "date_latest": "2024-07-31",
        }

    def update_data(self, obj):
        return {"country_a": "CHN", "country_b": "KAZ", "level": "permanent partnership"}

    def patch_data(self, obj):
        return {"date_text": "in July last year"}


# Meetings and what belongs to them ----------------------------------------------------


class TestMeetings(CRUDTests, DraftHiddenTests):
    basename = "meeting"
    counted = False
    factory = f.MeetingFactory

    def make_draft(self):
        return draft_meeting()

    def create_data(self):
        return {
            "slug": "2022-03-31-wang-yi-muzaffar-ashurion",
            "title": "Wang Yi meets Tajik Justice Minister Muzaffar Ashurion",
            "date": "2022-03-31",
            "contact_type": "meeting",
            "place": f.PlaceFactory().pk,
            "status": "draft",
        }

    def update_data(self, obj):
        return {
            "slug": obj.slug,
            "title": "Wang Yi holds talks",
            "date": "2025-04-25",
            "date_qualifier": "local_time",
            "contact_type": "talks",
            "plover_mode": "third-party",
            "occasion": f.GatheringFactory().pk,
            "occasion_relation": "sidelines",
            "status": "reviewed",
        }

    def patch_data(self, obj):
        return {"status": "published", "notes": "Checked against the readout."}

    def assert_echoes(self, sent, received):
        # The answer is the meeting's page: references come back as nested objects.
        for name, value in sent.items():
            if name in {"place", "occasion"}:
                assert received[name]["id"] == value
            else:
                assert received[name] == value, name


class TestParticipants(CRUDTests, DraftHiddenTests):
    basename = "participant"
    factory = f.ParticipantFactory

    def make_rich(self):
        return f.ParticipantFactory(
            person=f.PersonFactory(), offices=[f.PositionFactory(), f.PositionFactory()]
        )

    def make_draft(self):
        return f.ParticipantFactory(meeting=draft_meeting())

    def create_data(self):
        return {
            "meeting": f.MeetingFactory().pk,
            "person": f.PersonFactory().pk,
            "name_as_written": "Wang Yi",
            "title_as_written": "State Councilor and Foreign Minister",
            "side": "CHN",
            "role": "host",
            "offices": [f.PositionFactory().pk],
        }

    def update_data(self, obj):
        return {
            "meeting": obj.meeting_id,
            "name_as_written": "Muzaffar Ashurion",
            "side": None,
            "side_organization": f.OrganizationFactory(kind="international").pk,
            "role": "guest",
        }

    def patch_data(self, obj):
        return {"order": 2}


class TestSources(CRUDTests, DraftHiddenTests):
    basename = "sourcedocument"
    counted = False
    factory = f.SourceDocumentFactory

    def make(self):
        return f.SourceDocumentFactory(meetings=[f.MeetingFactory()])

    def make_draft(self):
        return f.SourceDocumentFactory(meetings=[draft_meeting()])

    def list_url(self):
        return reverse("sourcedocument-list")

    def create_data(self):
        return {
            "title": "Wang Yi Meets with Tajik Foreign Minister Sirojiddin Muhriddin",
            "url": "https://www.mfa.gov.cn/eng/wjbzhd/202504/t20250426.html",
            "language": "en",
            "published_on": "2025-04-26",
            "text": "On April 25, 2025 local time, Wang Yi met with Sirojiddin Muhriddin.\n",
            "meetings": [f.MeetingFactory().pk],
            "publisher": f.OrganizationFactory().pk,
        }

    def update_data(self, obj):
        return {"title": "Corrected title", "text": "A corrected text.", "language": "en"}

    def patch_data(self, obj):
        return {"published_on": "2025-04-27"}


class TestStatements(CRUDTests, DraftHiddenTests):
    basename = "statement"
    counted = False
    factory = f.StatementFactory

    def make_rich(self):
        speaker = f.ParticipantFactory()
        return f.StatementFactory(
            meeting=speaker.meeting,
            attribution="speaker",
            speaker=speaker,
            topics=[f.TopicFactory(parent=f.TopicFactory())],
        )

    def make_draft(self):
        return f.StatementFactory(meeting=draft_meeting())

    def create_data(self):
        meeting = f.MeetingFactory()
        source = f.SourceDocumentFactory(
            meetings=[meeting], text="Wang Yi said China firmly supports Tajikistan."
        )
        return {
            "meeting": meeting.pk,
            "source": source.pk,
            "attribution": "side",
            "side": "CHN",
            "kind": "stance",
            "plover_code": "SUPPORT",
            "start": 13,
            "end": 45,
            "topics": [f.TopicFactory(slug="sovereignty").slug],
            "mentioned_countries": ["TJK"],
        }

    def update_data(self, obj):
        return {
            "meeting": obj.meeting_id,
            "source": obj.source_id,
            "attribution": "joint",
            "kind": "agreement",
            "plover_code": "AGREE",
            "start": 0,
            "end": 9,
        }

    def patch_data(self, obj):
        return {"kind": "commitment", "mentioned_people": [f.PersonFactory().pk]}

    def test_it_creates_a_record(self, staff_client):
        response = self.create(staff_client)
        # The text was left out: it is the source's text at the span.
        assert response.data["text"] == "China firmly supports Tajikistan"
        assert response.data["sides"] == ["CHN"]


class TestCommitments(CRUDTests, DraftHiddenTests):
    basename = "commitment"
    counted = False
    factory = f.CommitmentFactory

    def make(self):
        return f.CommitmentFactory(meeting=f.ParticipantFactory().meeting)

    def make_rich(self):
        commitment = f.CommitmentFactory(topics=[f.TopicFactory()], reaffirms=[self.make()])
        f.CommitmentStatusChangeFactory(commitment=commitment)
        return commitment

    def make_draft(self):
        return f.CommitmentFactory(meeting=draft_meeting())

    def create_data(self):
        meeting = f.ParticipantFactory(side=f.country("TJK")).meeting
        f.ParticipantFactory(meeting=meeting, side=f.country("CHN"))
        return {
            "slug": "luban-workshop",
            "meeting": meeting.pk,
            "kind": "agreement",
            "sides": ["CHN", "TJK"],
            "description": "Run Luban Workshop well",
            "topics": [f.TopicFactory(slug="education").slug],
        }

    def update_data(self, obj):
        return {
            "slug": obj.slug,
            "meeting": obj.meeting_id,
            "kind": "pledge",
            "sides": ["CHN"],
            "description": "Speed up the center for traditional medicine",
        }

    def patch_data(self, obj):
        return {"description": "Deepen Belt and Road cooperation"}

    def test_it_creates_a_record(self, staff_client):
        created = self.create(staff_client).data
        assert created["status"] == "pledged"
        assert [change["status"] for change in created["status_changes"]] == ["pledged"]


class TestCommitmentStatusChanges(CRUDTests, DraftHiddenTests):
    """The history is append-only: create and read, no update or delete."""

    basename = "commitmentstatuschange"
    factory = f.CommitmentStatusChangeFactory

    def make_draft(self):
        return f.CommitmentStatusChangeFactory(
            commitment=f.CommitmentFactory(meeting=draft_meeting())
        )

    def create_data(self):
        commitment = f.CommitmentFactory()
        return {"commitment": commitment.pk, "status": "fulfilled", "date": "2025-09-01"}

    def test_it_creates_a_record(self, staff_client):
        self.create(staff_client)
        commitment = f.CommitmentStatusChangeFactory._meta.model.objects.get().commitment
        assert commitment.status == "fulfilled"

    def test_it_replaces_a_record(self, staff_client):
        obj = self.make()
        response = staff_client.put(self.detail_url(obj), {}, format="json")
        assert problem(response, 405)["code"] == "method_not_allowed"

    def test_it_updates_part_of_a_record(self, staff_client):
        obj = self.make()
        assert staff_client.patch(self.detail_url(obj), {}, format="json").status_code == 405

    def test_it_deletes_a_record(self, staff_client):
        obj = self.make()
        assert staff_client.delete(self.detail_url(obj)).status_code == 405

    def test_it_refuses_writes_without_permission_with_403(self, reader_client):
        response = reader_client.post(self.list_url(), self.create_data(), format="json")
        assert response.status_code == 403


def test_a_meeting_date_is_an_iso_date(api_client):
    meeting = f.MeetingFactory(date=datetime.date(2022, 3, 31))
    response = api_client.get(reverse("meeting-detail", args=[meeting.pk]))
    assert response.data["date"] == "2022-03-31"
