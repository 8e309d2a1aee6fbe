"""`manage.py measure_meeting_page`: the admin's meeting page, its HTML size and server time.

Figures, not a test. By default the page measured is a meeting built for the purpose from
the seeded data (`fixtures/seed.json` must be loaded: `make seed`) inside a transaction
that is rolled back: one source holding both seed readouts (verbatim, one after the
other), their 41 curated statements with topics and mentions, their three people as
participants, the seed's 23 commitments made again (each reaffirming the seeded one, so
every row has a chain) and a proposal for every commitment or agreement statement, two
in three accepted (mid-curation: 12 decided, 6 still to decide). With
`--meeting` it measures a meeting already in the database instead.

The time is the server's: from the request entering Django to the response being
rendered, in this process (the test client), with no network; the median of `--repeat`
requests after one warm-up, as wall-clock time and as this process's CPU time (which a
machine busy with other work inflates much less). Run it with the production settings
(`DJANGO_DEBUG` off) for production's figures: `make bench-page` runs it in development
mode, as the other `make` targets do.
"""

import cProfile
import io
import pstats
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from events.history import Channel, acting, write_scope
from events.models import Commitment, CommitmentProposal, Meeting, SourceDocument, Statement
from events.services import (
    ParticipantData,
    ProposalData,
    StatementData,
    commitment_create,
    meeting_create,
    proposals_create,
    record_save,
    source_create,
    statements_create,
)

SEEDED = ("2022-03-31-wang-yi-muzaffar-ashurion", "2025-04-25-wang-yi-sirojiddin-muhriddin")


class _Rollback(Exception):
    pass


def build_benchmark_meeting() -> Meeting:
    """A draft meeting of 41 statements from the seeded data (see the module's docstring).

    Call it inside a transaction that is rolled back: it writes through the services.
    """
    seeded = list(Meeting.objects.filter(slug__in=SEEDED).order_by("date"))
    if len(seeded) != len(SEEDED):
        raise CommandError("The seeded meetings are missing: run `make seed` first.")
    sources = [meeting.sources.get() for meeting in seeded]
    with acting(channel=Channel.COMMAND), write_scope(reason="Benchmark meeting"):
        participants, seen = [], set()
        for meeting in seeded:
            for participant in meeting.participants.prefetch_related("offices"):
                if participant.name_as_written in seen:
                    continue
                seen.add(participant.name_as_written)
                participants.append(
                    ParticipantData(
                        name_as_written=participant.name_as_written,
                        side=participant.side,
                        person=participant.person,
                        role=participant.role,
                        title_as_written=participant.title_as_written,
                        offices=list(participant.offices.all()),
                    )
                )
        meeting = meeting_create(
            slug="benchmark-meeting-page",
            title="Benchmark: both seed readouts as one meeting",
            date=seeded[-1].date.replace(month=seeded[-1].date.month + 1),
            contact_type=Meeting.ContactType.MEETING,
            place=seeded[-1].place,
            participants=participants,
        )
        joined = "\n".join(source.text for source in sources)
        source = source_create(
            text=joined, title="Both seed readouts, one after the other", meetings=[meeting]
        )
        speakers = {p.name_as_written: p for p in meeting.participants.all()}
        offset, data, copied = 0, [], []
        for old_source in sources:
            statements = old_source.statements.select_related("speaker").prefetch_related(
                "topics",
                "mentioned_countries",
                "mentioned_organizations",
                "mentioned_people",
                "mentioned_gatherings",
            )
            for statement in statements.order_by("start"):
                copied.append(statement)
                data.append(
                    StatementData(
                        attribution=statement.attribution,
                        kind=statement.kind,
                        plover_code=statement.plover_code,
                        start=statement.start + offset,
                        end=statement.end + offset,
                        speaker=(
                            speakers[statement.speaker.name_as_written]
                            if statement.speaker
                            else None
                        ),
                        side=statement.side,
                        topics=list(statement.topics.all()),
                        mentioned_countries=list(statement.mentioned_countries.all()),
                        mentioned_organizations=list(statement.mentioned_organizations.all()),
                        mentioned_people=list(statement.mentioned_people.all()),
                        mentioned_gatherings=list(statement.mentioned_gatherings.all()),
                    )
                )
            offset += len(old_source.text) + 1
        created = statements_create(meeting=meeting, source=source, statements=data)
        new_statement = {old.pk: new for old, new in zip(copied, created, strict=True)}
        seeded_commitments = Commitment.objects.filter(meeting__in=seeded).prefetch_related(
            "sides", "topics"
        )
        for commitment in seeded_commitments:
            commitment_create(
                slug=f"benchmark-{commitment.slug}",
                meeting=meeting,
                kind=commitment.kind,
                sides=list(commitment.sides.all()),
                description=commitment.description,
                statement=new_statement.get(commitment.statement_id),
                topics=list(commitment.topics.all()),
                reaffirms=[commitment],
            )
        _add_proposals(meeting)
    return meeting


def _add_proposals(meeting: Meeting) -> None:
    """A proposal for each commitment or agreement statement, as an import drafts them: a
    pledge by the speaker's side, an agreement of both sides, the statement's topics."""
    sides = sorted({p.side_id for p in meeting.participants.all() if p.side_id})
    statements = meeting.statements.filter(
        kind__in=[Statement.Kind.COMMITMENT, Statement.Kind.AGREEMENT]
    ).select_related("speaker")
    proposals = []
    for statement in statements.prefetch_related("topics"):
        pledge = statement.speaker_id is not None
        proposals.append(
            ProposalData(
                statement=statement,
                kind=Commitment.Kind.PLEDGE if pledge else Commitment.Kind.AGREEMENT,
                description=statement.text,
                sides=[statement.speaker.side_id] if pledge else sides[:2],
                topics=list(statement.topics.all()),
            )
        )
    created = proposals_create(meeting=meeting, proposals=proposals)
    # Mid-curation: two in three accepted (each the commitment made from its statement),
    # the rest still to decide.
    commitments = {c.statement_id: c for c in meeting.commitments.order_by("-pk")}
    for index, proposal in enumerate(created):
        if index % 3 != 2 and proposal.statement_id in commitments:
            proposal.state = CommitmentProposal.State.ACCEPTED
            proposal.commitment = commitments[proposal.statement_id]
            proposal.decided_at = timezone.now()
            record_save(proposal)


def measure(meeting: Meeting, *, repeat: int, profile: int = 0) -> dict:
    user = get_user_model().objects.create_superuser("page-benchmark", password=None)
    client = Client()
    client.force_login(user)
    page = reverse("admin:events_meeting_change", args=[meeting.pk])

    def get():
        response = client.get(page, HTTP_HOST="localhost")
        if response.status_code != 200:
            raise CommandError(f"{page} answered {response.status_code}")
        return response

    get()  # warm-up: templates compiled, caches filled
    times, cpu_times = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = get()
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
    with CaptureQueriesContext(connection) as queries:
        get()
    query_count = len(queries)  # now: each request clears the connection's query log
    profiled = ""
    if profile:
        # After the timed requests: the profiler slows what it watches.
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeat):
            get()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(r"events/|django/(forms|template|contrib/admin)/", profile)
        profiled = out.getvalue()
    return {
        "profile": profiled,
        "page": page,
        "bytes": len(response.content),
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "cpu": statistics.median(cpu_times),
        "cpu_min": min(cpu_times),
        "queries": query_count,
        "statements": meeting.statements.count(),
        "commitments": meeting.commitments.count(),
        "participants": meeting.participants.count(),
        "sources": SourceDocument.objects.filter(meetings=meeting).count(),
    }


class Command(BaseCommand):
    help = (
        "Print the admin meeting page's HTML size and server time, for a meeting of 41 "
        "statements built from the seed (rolled back after) or for --meeting."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meeting", help="Measure this meeting (id or slug) instead.")
        parser.add_argument("--repeat", type=int, default=10, help="Requests timed (10).")
        parser.add_argument(
            "--profile",
            type=int,
            default=0,
            metavar="N",
            help="Then profile as many requests again (cProfile) and print the N functions of "
            "the project, Django's forms, templates and admin that take the most time, "
            "callees included.",
        )

    def handle(self, *args, meeting: str | None, repeat: int, profile: int, **options):
        # Static files' URLs from the finders: with DJANGO_DEBUG off it then needs no
        # `collectstatic` (whose manifest only renames the same files).
        plain_static = override_settings(
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        )
        try:
            with plain_static, transaction.atomic():
                if meeting:
                    lookup = {"pk": meeting} if meeting.isdigit() else {"slug": meeting}
                    target = Meeting.objects.filter(**lookup).first()
                    if target is None:
                        raise CommandError(f"No meeting {meeting}.")
                else:
                    target = build_benchmark_meeting()
                figures = measure(target, repeat=repeat, profile=profile)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(
            f"{figures['page']}: {figures['statements']} statements, "
            f"{figures['participants']} participants, {figures['commitments']} commitments, "
            f"{figures['sources']} source(s)\n"
            f"  HTML: {figures['bytes']:,} bytes ({figures['bytes'] / 1024:.0f} KB)\n"
            f"  server time: median {figures['median'] * 1000:.0f} ms "
            f"(min {figures['min'] * 1000:.0f}, max {figures['max'] * 1000:.0f}) "
            f"over {repeat} requests\n"
            f"  CPU time of this process: median {figures['cpu'] * 1000:.0f} ms "
            f"(min {figures['cpu_min'] * 1000:.0f}): the server's own work, less what other "
            "processes on a loaded machine take from it\n"
            f"  queries: {figures['queries']}"
        )
        if figures["profile"]:
            self.stdout.write(figures["profile"])
