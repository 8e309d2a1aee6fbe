from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.api.fields import CountryField
from events.ingest.draft import ReadoutError
from events.ingest.importer import import_readout
from events.ingest.parser import MAX_READOUT_CHARS
from events.models import Meeting, SourceDocument, Statement
from events.services import (
    source_create,
    source_update,
    statement_create,
    validate_source_unlink,
)

from .base import ModelSerializer
from .organizations import OrganizationBriefSerializer
from .readouts import readout_validation_error
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


def duplicate_message(source_id: int) -> str:
    return _("A source with this text already exists (id %(id)d).") % {"id": source_id}


class SourceSerializer(ModelSerializer):
    """A readout, verbatim. `content_hash` is computed from `text` and identifies it."""

    constraint_fields = {"text_not_empty": "text"}

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

    def validate_text(self, text):
        if not text.strip():
            raise serializers.ValidationError(_("A source needs its text, not only whitespace."))
        source = self.instance
        if source is not None and text != source.text and source.statements.exists():
            raise serializers.ValidationError(
                _("Statements point into this text; it cannot change while they exist.")
            )
        existing = (
            SourceDocument.objects.with_text(text)
            .exclude(pk=getattr(source, "pk", None))
            .values_list("pk", flat=True)
            .first()
        )
        if existing is not None:
            raise serializers.ValidationError(duplicate_message(existing), code="unique")
        return text

    def validate_meetings(self, meetings):
        source = self.instance
        if source is not None:
            # Links the writer cannot see are kept (see `update`), so only visible ones unlink.
            user = self.context["request"].user
            unlinked = source.meetings.filter(pk__in=Meeting.objects.visible_to(user)).exclude(
                pk__in=[meeting.pk for meeting in meetings]
            )
            try:
                validate_source_unlink(source, unlinked)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from error
        return meetings

    def build_instance(self, attrs):
        source = super().build_instance(attrs)
        source.content_hash = SourceDocument.hash_text(source.text)
        return source

    def create(self, validated_data):
        return source_create(**validated_data)

    def update(self, instance, validated_data):
        if "meetings" in validated_data:
            # The writer cannot see (so cannot list) links to unpublished meetings: keep them.
            user = self.context["request"].user
            hidden = instance.meetings.exclude(pk__in=Meeting.objects.visible_to(user))
            validated_data["meetings"] = [*validated_data["meetings"], *hidden]
        return source_update(source=instance, **validated_data)


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
            )
        except ReadoutError as error:
            raise readout_validation_error(error) from error
        source = result.source
        if result.outcome == "duplicate":  # stored by another request since validation
            raise serializers.ValidationError(
                {"text": [duplicate_message(source.pk)]}, code="unique"
            )
        source.import_outcome = result.outcome
        return source


class SourceListSerializer(SearchSnippetMixin, SourceSerializer):
    """Lists leave out the text (up to 200,000 characters each); a source's page has it."""

    class Meta(SourceSerializer.Meta):
        fields = [name for name in SourceSerializer.Meta.fields if name != "text"] + ["snippet"]
        list_serializer_class = SearchResultsListSerializer


class SourceBriefSerializer(ModelSerializer):
    """A source as a meeting's page cites it: where it is from, not its text."""

    publisher = OrganizationBriefSerializer(read_only=True)

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

    constraint_fields = {
        "unique_source_span": "start",
        "span_matches_text": "text",
        "attribution_consistent": "attribution",
    }

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

    def validate(self, attrs):
        current = self.instance

        def value(name):
            return attrs[name] if name in attrs else getattr(current, name, None)

        # Left out, the text is the source's at the span (again when a PATCH moves the span);
        # `Statement.clean()`, run by `super().validate`, checks the span and everything else.
        source, start, end = value("source"), value("start"), value("end")
        if "text" not in attrs and Statement.span_is_inside(source, start, end):
            attrs["text"] = source.text[start:end]
        return super().validate(attrs)

    def create(self, validated_data):
        return statement_create(**validated_data)


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
