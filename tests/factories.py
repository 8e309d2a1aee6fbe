"""factory_boy factories for every model.

Countries are never created: migration 0002 loads every ISO country, so factories look
them up (`country("CHN")`). Meeting-bound records default to a *published* meeting, the
state anonymous readers can see; tests that need a draft say so.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from events.models import (
    Commitment,
    CommitmentStatusChange,
    Country,
    DatePrecision,
    Gathering,
    Meeting,
    Organization,
    OrganizationAlias,
    Participant,
    Person,
    PersonAlias,
    Place,
    Position,
    RelationshipLevel,
    SourceDocument,
    Statement,
    Tenure,
    Topic,
)


def country(alpha3: str) -> Country:
    return Country.objects.get(alpha3=alpha3)


class PlaceFactory(DjangoModelFactory):
    class Meta:
        model = Place

    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"Place {n}")
    kind = Place.Kind.CITY
    country = factory.LazyFunction(lambda: country("CHN"))


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"organization-{n}")
    name = factory.Sequence(lambda n: f"Ministry {n}")
    kind = Organization.Kind.MINISTRY
    country = factory.LazyFunction(lambda: country("CHN"))


class OrganizationAliasFactory(DjangoModelFactory):
    class Meta:
        model = OrganizationAlias

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")
    language = "en"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Person {n}")
    country = factory.LazyFunction(lambda: country("CHN"))


class PersonAliasFactory(DjangoModelFactory):
    class Meta:
        model = PersonAlias

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Spelling {n}")
    language = "en"


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    slug = factory.Sequence(lambda n: f"position-{n}")
    title = factory.Sequence(lambda n: f"Minister {n}")
    kind = Position.Kind.MINISTER
    organization = factory.SubFactory(OrganizationFactory)


class TenureFactory(DjangoModelFactory):
    class Meta:
        model = Tenure

    person = factory.SubFactory(PersonFactory)
    position = factory.SubFactory(PositionFactory)
    status = Tenure.Status.CURRENT
    start_earliest = datetime.date(2013, 3, 16)
    start_latest = datetime.date(2013, 3, 16)
    start_precision = DatePrecision.DAY


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class GatheringFactory(DjangoModelFactory):
    class Meta:
        model = Gathering

    slug = factory.Sequence(lambda n: f"gathering-{n}")
    name = factory.Sequence(lambda n: f"Conference {n}")
    kind = Gathering.Kind.CONFERENCE
    date_earliest = datetime.date(2022, 3, 30)
    date_latest = datetime.date(2022, 3, 31)
    date_precision = DatePrecision.DAY


class RelationshipLevelFactory(DjangoModelFactory):
    class Meta:
        model = RelationshipLevel

    country_a = factory.LazyFunction(lambda: country("CHN"))
    country_b = factory.LazyFunction(lambda: country("TJK"))
    level = factory.Sequence(lambda n: f"partnership of kind {n}")


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    slug = factory.Sequence(lambda n: f"meeting-{n}")
    title = factory.Sequence(lambda n: f"Meeting {n}")
    date = datetime.date(2025, 4, 25)
    contact_type = Meeting.ContactType.MEETING
    status = Meeting.Status.PUBLISHED


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    name_as_written = factory.Sequence(lambda n: f"Official {n}")
    side = factory.LazyFunction(lambda: country("CHN"))
    role = Participant.Role.PARTICIPANT

    @factory.post_generation
    def offices(self, create, extracted, **kwargs):
        if create and extracted:
            self.offices.set(extracted)


class SourceDocumentFactory(DjangoModelFactory):
    class Meta:
        model = SourceDocument
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Readout {n}")
    url = factory.Sequence(lambda n: f"https://www.mfa.gov.cn/eng/{n}.html")
    language = "en"
    published_on = datetime.date(2025, 4, 26)
    text = factory.Sequence(
        lambda n: (
            f"Readout {n}. The two sides agreed to deepen cooperation. China is ready to help."
        )
    )
    content_hash = factory.LazyAttribute(lambda o: SourceDocument.hash_text(o.text))

    @factory.post_generation
    def meetings(self, create, extracted, **kwargs):
        if create and extracted:
            self.meetings.set(extracted)


def _statement_source(statement):
    return SourceDocumentFactory(meetings=[statement.meeting])


class StatementFactory(DjangoModelFactory):
    """A joint statement: the whole of a source of its own (reporting its meeting)."""

    class Meta:
        model = Statement
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    source = factory.LazyAttribute(_statement_source)
    attribution = Statement.Attribution.JOINT
    kind = Statement.Kind.AGREEMENT
    start = 0
    end = factory.LazyAttribute(lambda o: len(o.source.text))
    text = factory.LazyAttribute(lambda o: o.source.text[o.start : o.end])

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class CommitmentFactory(DjangoModelFactory):
    """A pledge by China (who takes part in the meeting)."""

    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"commitment-{n}")
    meeting = factory.SubFactory(MeetingFactory)
    kind = Commitment.Kind.PLEDGE
    description = factory.Sequence(lambda n: f"Run workshop {n} well")
    status = Commitment.Status.PLEDGED

    @factory.post_generation
    def sides(self, create, extracted, **kwargs):
        if create:
            self.sides.set(extracted if extracted is not None else [country("CHN")])

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted if isinstance(extracted, list | tuple) else [extracted])

    @factory.post_generation
    def reaffirms(self, create, extracted, **kwargs):
        """One earlier commitment, or a list of them."""
        if create and extracted:
            self.reaffirms.set(extracted if isinstance(extracted, list | tuple) else [extracted])


class CommitmentStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = CommitmentStatusChange

    commitment = factory.SubFactory(CommitmentFactory)
    status = Commitment.Status.IN_PROGRESS
    date = datetime.date(2025, 6, 1)
