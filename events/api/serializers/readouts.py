"""Reading a readout: what `POST /api/v1/sources/parse/` takes, and the draft it answers.

The draft serializers describe `Draft.as_json()` (events/ingest/draft.py) for the schema;
the view answers with that JSON as it is.
"""

from rest_framework import serializers

from events.api.exceptions import ParseBudgetExceeded
from events.api.fields import CountryField, RelatedIdField
from events.ingest.budget import ParseTimeout, draft_readout_within_budget
from events.ingest.draft import Draft, ReadoutError
from events.ingest.parser import MAX_READOUT_CHARS
from events.models import (
    Commitment,
    Meeting,
    Organization,
    Participant,
    SourceDocument,
    Statement,
)

__all__ = [
    "DraftSerializer",
    "ReadoutParseSerializer",
    "parse_within_budget",
    "readout_validation_error",
]

# The input a `ReadoutError` blames (`error.field`), as the API's fields are named.
READOUT_ERROR_FIELDS = {"text": "text", "published": "published_on", "country": "country"}


def readout_validation_error(error: ReadoutError) -> serializers.ValidationError:
    """A parser's or importer's refusal as a 400 on the field it names."""
    field = READOUT_ERROR_FIELDS.get(error.field, "text")
    return serializers.ValidationError({field: [error.message]}, code=error.code)


def parse_within_budget(text: str, **options) -> Draft:
    """The draft of a readout, read within the server's time budget (a 422 past it, a 400
    on the field at fault when the text cannot be read)."""
    try:
        return draft_readout_within_budget(text, **options)
    except ReadoutError as error:
        raise readout_validation_error(error) from error
    except ParseTimeout as error:
        raise ParseBudgetExceeded(
            f"{error} Nothing was stored. Shorten the text to the readout itself, or split it."
        ) from error


class ReadoutParseSerializer(serializers.Serializer):
    """A readout to read, with what is known of where it was published."""

    text = serializers.CharField(
        max_length=MAX_READOUT_CHARS,
        trim_whitespace=False,
        # An empty text gets the parser's own answer, as a whitespace-only one does.
        allow_blank=True,
        help_text="The readout verbatim; statement spans index into it as given.",
    )
    publisher = RelatedIdField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the publishing organisation (its country is the default `country`).",
    )
    country = CountryField(
        required=False,
        allow_null=True,
        help_text="Alpha-3 code of the publisher's country: the side of officials whose "
        "country the text does not name. Defaults to the publisher's country.",
    )
    url = serializers.URLField(
        max_length=SourceDocument._meta.get_field("url").max_length,
        required=False,
        allow_blank=True,
        default="",
    )
    published_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Publication date: gives the year of a date written without one and "
        "reads 'yesterday' and weekdays.",
    )

    def parse(self) -> Draft:
        """The draft of the validated readout; raises a ValidationError on its field."""
        data = self.validated_data
        return parse_within_budget(
            data["text"],
            publisher=data.get("publisher"),
            publisher_country=data.get("country"),
            url=data["url"],
            published=data["published_on"],
        )


# The draft, as `Draft.as_json()` writes it ---------------------------------------------


def _alpha3(**kwargs):
    return serializers.RegexField(r"^[A-Z]{3}$", **kwargs)


def _names(help_text: str):
    return serializers.ListField(child=serializers.CharField(), help_text=help_text)


class DraftPlaceSerializer(serializers.Serializer):
    city = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    country = _alpha3(
        allow_null=True, help_text="Alpha-3; from the gazetteer when the text omits it."
    )
    place_id = serializers.IntegerField(
        allow_null=True, help_text="The curated place this resolved to."
    )


class DraftOfficeSerializer(serializers.Serializer):
    """An office held, as the title writes it: a curated position, or a new one to create."""

    title = serializers.CharField()
    position_id = serializers.IntegerField(
        allow_null=True,
        help_text="The curated office this title resolved to; null for a new office.",
    )
    organization = serializers.CharField(
        allow_null=True, help_text="The international organisation whose office it is, if any."
    )
    country = _alpha3(allow_null=True, help_text="The side whose office it is, if a country.")
    needs_review = serializers.BooleanField(
        help_text="No curated office matched: a new position to create, flagged for review."
    )


class DraftParticipantSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="As written in the text.")
    country = _alpha3(allow_null=True, help_text="The side represented, if a country.")
    organization = serializers.CharField(
        allow_null=True, help_text="The international organisation represented, if any."
    )
    organization_id = serializers.IntegerField(allow_null=True)
    title_as_written = serializers.CharField(allow_blank=True)
    role = serializers.ChoiceField(choices=Participant.Role.choices)
    person_id = serializers.IntegerField(
        allow_null=True, help_text="The known person this name resolved to; null for a new one."
    )
    offices = DraftOfficeSerializer(many=True)
    needs_review = serializers.BooleanField(help_text="No known person has this name.")
    side_from = serializers.ChoiceField(
        choices=["title", "person", "publisher", "organization", "text", ""],
        help_text='How the side was read: from the title ("Tajik", "of Russia"), the known '
        "person's country, the publisher's country (its own officials), the international "
        'organisation named, or the pair of countries the text names ("relations between '
        'South Africa and Equatorial Guinea") for a counterpart whose title names none; empty '
        "when no side could be read.",
    )
    start = serializers.IntegerField(help_text="Where the name is written: text[start:end].")
    end = serializers.IntegerField()


class DraftMentionsSerializer(serializers.Serializer):
    countries = _names("Alpha-3 codes.")
    organizations = _names("Organisation names.")
    people = _names("People's names.")
    gatherings = _names("Gathering names.")


class DraftStatementSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="Exactly text[start:end] of the readout.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Statement.Kind.choices)
    plover_code = serializers.ChoiceField(choices=Statement.PloverCode.choices, allow_blank=True)
    attribution = serializers.ChoiceField(choices=Statement.Attribution.choices)
    speaker = serializers.CharField(
        allow_null=True, help_text="The speaking participant's name as written."
    )
    sides = serializers.ListField(child=_alpha3(), help_text="Alpha-3 codes of the sides.")
    topics = _names("Topic names.")
    mentions = DraftMentionsSerializer()


class DraftReaffirmationSerializer(serializers.Serializer):
    commitment_id = serializers.IntegerField(help_text="The earlier commitment's id.")
    description = serializers.CharField(help_text="What it committed to.")
    date = serializers.DateField(allow_null=True, help_text="Its meeting's date.")


class DraftCommitmentSerializer(serializers.Serializer):
    """A commitment proposed from a commitment or agreement statement, for the curator to
    accept or reject; nothing is saved until then."""

    kind = serializers.ChoiceField(
        choices=Commitment.Kind.choices,
        help_text="A pledge by one side (a speaker's commitment) or an agreement of both.",
    )
    statement_index = serializers.IntegerField(
        help_text="The statement it comes from: its index in `statements`."
    )
    description = serializers.CharField(help_text="The statement's text, verbatim.")
    start = serializers.IntegerField(help_text="The statement's span: text[start:end].")
    end = serializers.IntegerField()
    sides = serializers.ListField(child=_alpha3(), help_text="Alpha-3 codes of the sides bound.")
    topics = _names("Topic names, from the statement's topics.")
    topic_ids = serializers.ListField(child=serializers.IntegerField(), help_text="Topic ids.")
    reaffirms = DraftReaffirmationSerializer(
        allow_null=True,
        help_text="A recorded commitment this one may reaffirm (same sides, a shared topic "
        "or one above or below it), the latest first; null when none.",
    )


class DraftSerializer(serializers.Serializer):
    """A draft meeting read from a readout, nothing saved: every value traced to the text."""

    title = serializers.CharField()
    date = serializers.DateField()
    date_qualifier = serializers.ChoiceField(
        choices=Meeting.DateQualifier.choices, allow_blank=True
    )
    contact_type = serializers.ChoiceField(choices=Meeting.ContactType.choices)
    plover_mode = serializers.ChoiceField(choices=Meeting.PloverMode.choices, allow_blank=True)
    place = DraftPlaceSerializer()
    occasion = serializers.CharField(
        allow_null=True, help_text="The gathering the meeting was held at, by name."
    )
    occasion_relation = serializers.ChoiceField(
        choices=Meeting.OccasionRelation.choices, allow_blank=True
    )
    occasion_gathering_id = serializers.IntegerField(
        allow_null=True, help_text="The curated gathering the occasion resolved to."
    )
    participants = DraftParticipantSerializer(many=True)
    statements = DraftStatementSerializer(many=True)
    commitments = DraftCommitmentSerializer(
        many=True, help_text="Commitments proposed from commitment and agreement statements."
    )
    publisher = serializers.CharField(allow_null=True, help_text="The publisher's name.")
    publisher_country = _alpha3(allow_null=True)
    url = serializers.CharField(allow_blank=True)
    published = serializers.DateField(allow_null=True)
    warnings = _names("What a curator should check.")
    unresolved_names = _names("Participants no known person matched (new people to review).")
