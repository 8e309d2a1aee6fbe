"""The base every resource serializer shares: references as ids, validation as the model's."""

import copy
from datetime import UTC

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.serializers import as_serializer_error

from events.api.fields import (
    CountryField,
    IdentifiersField,
    LockedFieldsField,
    RelatedIdField,
    SafeJSONField,
    SourcesField,
    TopicField,
)
from events.models import Country, Topic
from events.services import save_record

__all__ = [
    "CuratedModelSerializer",
    "ModelSerializer",
    "validation_error",
]

# For representations shaped by hand: dates and date-times as the declared fields render them.


def iso_date(value):
    return None if value is None else value.isoformat()


def iso_datetime(value):
    """A date-time as DRF's `DateTimeField` renders one with `TIME_ZONE = "UTC"` (UTC, `Z`),
    without the field's lookup of the current time zone on every value (a page of 50 rows
    renders 100 of them)."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# What a curator writes by hand in a notes or description field.
MAX_TEXT_CHARS = 20_000


def validation_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A model's ValidationError in DRF's `{field: [reasons]}` shape."""
    return serializers.ValidationError(as_serializer_error(error))


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that validates the way the model does, before anything is written.

    - countries are referenced by alpha-3 code, topics by slug, everything else by id, and
      only records the user may see can be referenced;
    - long text is capped; JSON must be storable by both databases;
    - writes go through the services (`record_save` unless `save_record` says otherwise),
      which run the model's rules in the transaction that writes: a violation is a 400
      naming the field (the exception handler shapes it), never an IntegrityError.

    DRF's own unique-together validators are off: the model's constraints say the same
    with the messages the models define (and without making nullable fields required).
    """

    serializer_related_field = RelatedIdField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.JSONField: SafeJSONField,
    }

    def get_validators(self):
        return list(getattr(self.Meta, "validators", []))

    def get_uniqueness_extra_kwargs(self, field_names, declared_fields, extra_kwargs):
        return extra_kwargs, {}

    def build_relational_field(self, field_name, relation_info):
        field_class, field_kwargs = super().build_relational_field(field_name, relation_info)
        if relation_info.related_model is Country:
            field_class = CountryField
        elif relation_info.related_model is Topic:
            field_class = TopicField
            field_kwargs.pop("to_field", None)
        return field_class, field_kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            # DRF drops `allow_blank` from read-only fields, and the schema then leaves "" out
            # of a choice's enum although records hold it (`plover_mode: ""`).
            kwargs["allow_blank"] = True
        return kwargs

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.TextField) and "max_length" not in field_kwargs:
            field_kwargs["max_length"] = MAX_TEXT_CHARS
        return field_class, field_kwargs

    def build_instance(self, attrs) -> models.Model:
        """The record as it would be saved: the current one with the changes applied."""
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {f.name for f in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        return instance

    def relations_of(self, attrs) -> dict:
        """The many-to-many links given, by field name."""
        names = {f.name for f in self.Meta.model._meta.many_to_many}
        return {name: value for name, value in attrs.items() if name in names}

    def create(self, validated_data):
        validated_data.pop("expected_version", None)
        return self.save_record(
            self.build_instance(validated_data),
            relations=self.relations_of(validated_data),
            expected_version=None,
        )

    def update(self, instance, validated_data):
        expected_version = validated_data.pop("expected_version", None)
        for name, value in validated_data.items():
            if name in {f.name for f in instance._meta.concrete_fields}:
                setattr(instance, name, value)
        return self.save_record(
            instance, relations=self.relations_of(validated_data), expected_version=expected_version
        )

    def save_record(self, instance, *, relations: dict, expected_version: int | None):
        """Write through the service of the record's model."""
        return save_record(
            instance, relations=relations, expected_version=expected_version, user=self.user
        )

    @property
    def user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)


class CuratedModelSerializer(ModelSerializer):
    """For `CuratedModel`s: identifiers, sources and locked fields with their documented shape."""

    identifiers = IdentifiersField()
    sources = SourcesField()
    locked_fields = LockedFieldsField()
