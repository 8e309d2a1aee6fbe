"""Serializer fields shared by every resource: how references and JSON are written and read."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from events.models import Country, Topic, validate_identifiers, validate_sources

__all__ = [
    "MAX_ID",
    "CountryField",
    "IdentifiersField",
    "LockedFieldsField",
    "RelatedIdField",
    "SafeJSONField",
    "SourcesField",
    "TopicField",
]

# Ids are 64-bit (BigAutoField); a larger number can name no row, and SQLite cannot bind it.
MAX_ID = 2**63 - 1

# A curated record's JSON is a handful of identifiers and links, never a document.
MAX_JSON_CHARS = 20_000


# A list of references (a statement's topics, a gathering's principals) is short; each item
# costs a query to resolve, so a cap keeps one request from costing thousands.
MAX_REFERENCES = 100


class BoundedManyRelatedField(serializers.ManyRelatedField):
    default_error_messages = {
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "too_many": _("Give at most {limit} items."),
    }

    def to_internal_value(self, data):
        if isinstance(data, str | dict) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if len(data) > MAX_REFERENCES:
            self.fail("too_many", limit=MAX_REFERENCES)
        values = super().to_internal_value(data)
        # The same item twice is the same link; keep the first.
        return list(dict.fromkeys(values))


class BoundedManyMixin:
    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return BoundedManyRelatedField(**list_kwargs)


def visible(queryset, context):
    """Narrow a queryset to what the requesting user may see, if the model draws that line."""
    request = context.get("request")
    if request is not None and hasattr(queryset, "visible_to"):
        return queryset.visible_to(request.user)
    return queryset


@extend_schema_field(OpenApiTypes.INT)
class RelatedIdField(BoundedManyMixin, serializers.PrimaryKeyRelatedField):
    """A reference by numeric id, to a record the user may see (drafts stay hidden).

    Rejects what is not a positive 64-bit integer before asking the database, so a huge
    number is a 400 rather than an overflow in the database driver.
    """

    default_error_messages = {
        "incorrect_type": _("Expected a numeric id, got {data_type}."),
        "does_not_exist": _("No record with id {pk_value}."),
    }

    def get_queryset(self):
        return visible(super().get_queryset(), self.context)

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().isdigit():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{3}$", "example": "CHN"})
class CountryField(BoundedManyMixin, serializers.PrimaryKeyRelatedField):
    """A country written and read as its ISO 3166-1 alpha-3 code (its primary key)."""

    default_error_messages = {
        "incorrect_type": _("Expected an ISO 3166-1 alpha-3 code such as 'CHN', got {data_type}."),
        "does_not_exist": _("Unknown country code '{pk_value}': give an ISO 3166-1 alpha-3 code."),
    }

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        code = data.strip().upper()
        if len(code) != 3:
            self.fail("does_not_exist", pk_value=data[:20])
        return super().to_internal_value(code)


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "example": "security"})
class TopicField(BoundedManyMixin, serializers.SlugRelatedField):
    """A topic written and read as its slug."""

    default_error_messages = {
        "does_not_exist": _("Unknown topic '{value}'."),
        "invalid": _("Expected a topic slug."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Topic.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def _check_text(value):
    """Strings the databases can store: no NUL (PostgreSQL refuses it), no lone surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            raise serializers.ValidationError(_("Text may not contain NUL characters."))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise serializers.ValidationError(_("Text must be valid Unicode.")) from None
    elif isinstance(value, list):
        for item in value:
            _check_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)


class SafeJSONField(serializers.JSONField):
    """JSON that both databases accept, of a size a curated record needs."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        _check_text(data)
        if len(json.dumps(data)) > MAX_JSON_CHARS:
            raise serializers.ValidationError(
                _("Keep this under %(limit)d characters of JSON.") % {"limit": MAX_JSON_CHARS}
            )
        return data


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"scheme": {"type": "string"}, "identifier": {"type": "string"}},
            "required": ["scheme", "identifier"],
        },
        "example": [{"scheme": "wikidata", "identifier": "Q148"}],
    }
)
class IdentifiersField(SafeJSONField):
    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_identifiers])
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"url": {"type": "string"}, "note": {"type": "string"}},
            "required": ["url"],
        },
    }
)
class SourcesField(SafeJSONField):
    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_sources])
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class LockedFieldsField(SafeJSONField):
    """Checked against the model's field names by `CuratedModel.clean`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
