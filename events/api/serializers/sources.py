from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.api.fields import CountryField
from events.ingest.directory import Directory
from events.ingest.draft import ReadoutError
from events.ingest.importer import import_readout
from events.ingest.parser import MAX_READOUT_CHARS
from events.models import Meeting, SourceDocument, Statement

from .base import ModelSerializer, iso_datetime
from .organizations import OrganizationBriefSerializer
from .readouts import parse_within_budget, readout_validation_error
from .search import SearchResultsListSerializer, SearchSnippetMixin

__all__ = [
    "SourceBriefSerializer",
    "SourceCreateSerializer",
    "SourceListSerializer",
    "SourceSerializer",
    "StatementNestedSerializer",
    "StatementSerializer",
]

# The longest readouts run to a few thousand words; a tenfold margin still refuses a dump.
MAX_SOURCE_CHARS = MAX_READOUT_CHARS


DUPLICATE_MESSAGE = _("A source with exactly this text is already stored.")


def duplicate_error(text: str, user) -> serializers.ValidationError | None:
    """The text is stored already: named by its id to a reader who may see that source, in
    general terms to others (a draft's source is not theirs to know of)."""
    stored = SourceDocument.objects.with_text(text).values_list("pk", flat=True).first()
    if stored is None:
        return None
    if SourceDocument.objects.visible_to(user).filter(pk=stored).exists():
        message = _("A source with this text already exists (id %(id)d).") % {"id": stored}
    else:
        message = DUPLICATE_MESSAGE
    return serializers.ValidationError({"text": [message]}, code="unique")


class SourceSerializer(ModelSerializer):
    """A readout, verbatim. `content_hash` is computed from `text` and identifies it."""

    class Meta:
        model = SourceDocument
        fields = [
            "id",
            "publisher",
            "title",
            "url",
            "language",
            "published_on",
            "text",
            "content_hash",
            "meetings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["content_hash"]
        extra_kwargs = {
            # Statement spans index into the text: keep it exactly as given.
            "text": {"max_length": MAX_SOURCE_CHARS, "trim_whitespace": False},
            "meetings": {"required": False},
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "text" in attrs:
            error = duplicate_error(attrs["text"], self.user)
            if error is not None and (self.instance is None or attrs["text"] != self.instance.text):
                raise error
        return attrs

    def save_record(self, instance, *, relations, expected_version):
        if "meetings" in relations and not instance._state.adding:
            # The writer cannot see (so cannot list) links to unpublished meetings: keep them.
            hidden = instance.meetings.exclude(pk__in=Meeting.objects.visible_to(self.user))
            relations["meetings"] = [*relations["meetings"], *hidden]
        return super().save_record(instance, relations=relations, expected_version=expected_version)


class SourceCreateSerializer(SourceSerializer):
    """A new source. Given `meetings`, it is stored and linked to them as it is. Without
    (absent or empty), the text is read as a readout and imported: the source and a draft
    meeting with its participants and statements, or, when the meeting it reports is
    already recorded (same date, same people), the source attached to that meeting.
    `import_outcome` tells which; a text that cannot be read is a 400 and nothing is stored.
    """

    country = CountryField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text="Alpha-3 code of the publisher's country, for an import: the side of "
        "officials whose country the text does not name. Defaults to the publisher's country.",
    )
    import_outcome = serializers.ChoiceField(
        choices=[
            ("created", "A draft meeting was created"),
            ("attached", "Attached to the meeting already recorded"),
        ],
        read_only=True,
        allow_null=True,
        help_text="`created`: the readout was imported as a new draft meeting; `attached`: "
        "it reports a meeting already recorded and was added to its sources; null: stored "
        "as given with its `meetings`, not read.",
    )

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "country", "import_outcome"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not attrs.get("meetings"):
            # Read here, within the time budget, before the view opens its transaction.
            self._directory = Directory.from_db()
            self._draft = parse_within_budget(
                attrs["text"],
                publisher=attrs.get("publisher"),
                publisher_country=attrs.get("country"),
                url=attrs.get("url", ""),
                published=attrs.get("published_on"),
                directory=self._directory,
            )
        return attrs

    def create(self, validated_data):
        country = validated_data.pop("country", None)
        if validated_data.get("meetings"):
            source = super().create(validated_data)
            source.import_outcome = None
            return source
        try:
            result = import_readout(
                validated_data["text"],
                publisher=validated_data.get("publisher"),
                publisher_country=country,
                url=validated_data.get("url", ""),
                published=validated_data.get("published_on"),
                title=validated_data.get("title", ""),
                language=validated_data.get("language", "en"),
                directory=self._directory,
                draft=self._draft,
            )
        except ReadoutError as error:
            raise readout_validation_error(error) from error
        source = result.source
        if result.outcome == "duplicate":  # stored by another request since validation
            raise duplicate_error(validated_data["text"], self.user)
        source.import_outcome = result.outcome
        return source


class SourceListSerializer(SearchSnippetMixin, SourceSerializer):
    """Lists leave out the text (up to 200,000 characters each); a source's page has it."""

    class Meta(SourceSerializer.Meta):
        fields = [name for name in SourceSerializer.Meta.fields if name != "text"] + ["snippet"]
        list_serializer_class = SearchResultsListSerializer


class SourceBriefSerializer(ModelSerializer):
    """A source as a meeting's page cites it: where it is from, not its text."""

    publisher = OrganizationBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SourceDocument
        fields = ["id", "title", "url", "publisher", "language", "published_on", "content_hash"]
        read_only_fields = fields


class StatementSidesMixin(serializers.Serializer):
    speaker_name = serializers.CharField(
        source="speaker.name_as_written",
        read_only=True,
        allow_null=True,
        help_text="The speaker's name as the readout writes it.",
    )
    sides = serializers.SerializerMethodField(
        help_text="Alpha-3 codes of the side(s) the statement is attributed to: the speaker's "
        "side, the stated side, or every country that took part in a joint statement."
    )

    def get_sides(self, statement) -> list[str]:
        if statement.attribution == Statement.Attribution.SPEAKER:
            speaker = statement.speaker
            return [speaker.side_id] if speaker is not None and speaker.side_id else []
        if statement.attribution == Statement.Attribution.SIDE:
            return [statement.side_id] if statement.side_id else []
        # Joint: the meeting's participants are prefetched with it.
        return sorted({p.side_id for p in statement.meeting.participants.all() if p.side_id})


class StatementSerializer(SearchSnippetMixin, StatementSidesMixin, ModelSerializer):
    """A statement at its span of the source.

    `text` may be left out: it is then the source's text at `start:end`; when given it
    must be exactly that. The speaker must take part in the statement's meeting and the
    source must report that meeting.
    """

    class Meta:
        model = Statement
        fields = [
            "id",
            "meeting",
            "source",
            "attribution",
            "speaker",
            "speaker_name",
            "side",
            "sides",
            "kind",
            "plover_code",
            "text",
            "start",
            "end",
            "topics",
            "mentioned_countries",
            "mentioned_organizations",
            "mentioned_people",
            "mentioned_gatherings",
            "snippet",
            "created_at",
            "updated_at",
        ]
        list_serializer_class = SearchResultsListSerializer
        extra_kwargs = {
            "text": {"required": False, "max_length": MAX_SOURCE_CHARS, "trim_whitespace": False},
            "topics": {"required": False},
            "mentioned_countries": {"required": False},
            "mentioned_organizations": {"required": False},
            "mentioned_people": {"required": False},
            "mentioned_gatherings": {"required": False},
        }

    def to_representation(self, statement):
        """Shaped by hand (the same bytes as the fields above, which still describe it in
        the schema): a page of 50 statements is some 1,000 fields, and DRF's field-by-field
        walk over them was the largest cost after the queries."""
        if type(self) is not StatementSerializer:
            return super().to_representation(statement)
        joint = statement.attribution == Statement.Attribution.JOINT
        return {
            "id": statement.id,
            "meeting": statement.meeting_id,
            **statement_fields(statement, self.get_sides(statement) if joint else []),
            "mentioned_countries": [c.alpha3 for c in statement.mentioned_countries.all()],
            "mentioned_organizations": [o.pk for o in statement.mentioned_organizations.all()],
            "mentioned_people": [p.pk for p in statement.mentioned_people.all()],
            "mentioned_gatherings": [g.pk for g in statement.mentioned_gatherings.all()],
            "snippet": getattr(statement, "search_snippet", None),
            "created_at": iso_datetime(statement.created_at),
            "updated_at": iso_datetime(statement.updated_at),
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if (
            "text" not in attrs
            and self.instance is not None
            and {"source", "start", "end"} & {*attrs}
        ):
            attrs["text"] = ""  # left out, it is the source's text at the new span again
        return attrs


class StatementNestedSerializer(StatementSidesMixin, ModelSerializer):
    """A statement on its meeting's page."""

    class Meta:
        model = Statement
        fields = [
            "id",
            "source",
            "attribution",
            "speaker",
            "speaker_name",
            "side",
            "sides",
            "kind",
            "plover_code",
            "text",
            "start",
            "end",
            "topics",
        ]
        read_only_fields = fields


def statement_fields(statement, joint_sides: list[str]) -> dict:
    """A statement on its meeting's page, as `StatementNestedSerializer` renders it."""
    speaker = statement.speaker
    if statement.attribution == Statement.Attribution.SPEAKER:
        sides = [speaker.side_id] if speaker is not None and speaker.side_id else []
    elif statement.attribution == Statement.Attribution.SIDE:
        sides = [statement.side_id] if statement.side_id else []
    else:
        sides = joint_sides
    return {
        "id": statement.id,
        "source": statement.source_id,
        "attribution": statement.attribution,
        "speaker": statement.speaker_id,
        "speaker_name": None if speaker is None else speaker.name_as_written,
        "side": statement.side_id,
        "sides": sides,
        "kind": statement.kind,
        "plover_code": statement.plover_code,
        "text": statement.text,
        "start": statement.start,
        "end": statement.end,
        "topics": [topic.slug for topic in statement.topics.all()],
    }
