"""The base every resource serializer shares: references as ids, validation as the model's."""

import copy
from typing import ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, router
from rest_framework import serializers
from rest_framework.settings import api_settings

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

__all__ = [
    "CuratedModelSerializer",
    "ModelSerializer",
    "run_model_validation",
]

# What a curator writes by hand in a notes or description field.
MAX_TEXT_CHARS = 20_000


def run_model_validation(
    instance: models.Model,
    *,
    constraint_fields: dict[str, str],
    exclude: set[str] = frozenset(),
) -> None:
    """Run the model's `clean()` and every constraint on an unsaved instance.

    Django reports a violated check constraint without naming a field; `constraint_fields`
    names the field a reader should fix (keys are constraint names without the
    `<app>_<model>_` prefix). Raises DRF's ValidationError in its `{field: [reasons]}` shape.
    """
    errors: dict[str, list[str]] = {}
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    try:
        instance.clean()
    except DjangoValidationError as error:
        for field, messages in error.update_error_dict({}).items():
            key = non_field if field == "__all__" else field
            errors.setdefault(key, []).extend(m for e in messages for m in e.messages)
    model = type(instance)
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    using = router.db_for_write(model, instance=instance)
    # As `Model.full_clean()` does: a field `clean()` refused is not checked again.
    exclude = set(exclude) | (set(errors) - {non_field})
    for constraint in model._meta.constraints:
        try:
            constraint.validate(model, instance, exclude=exclude, using=using)
        except DjangoValidationError as error:
            field = constraint_fields.get(constraint.name.removeprefix(prefix), non_field)
            errors.setdefault(field, []).extend(error.messages)
    if errors:
        raise serializers.ValidationError(errors)


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that validates the way the model does, before anything is written.

    - countries are referenced by alpha-3 code, topics by slug, everything else by id, and
      only records the user may see can be referenced;
    - long text is capped; JSON must be storable by both databases;
    - the model's `clean()` and its unique and check constraints run in `validate()`, so a
      violation is a 400 naming the field instead of an IntegrityError.

    DRF's own unique-together validators are off: the model's constraints say the same
    with the messages the models define (and without making nullable fields required).
    """

    serializer_related_field = RelatedIdField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.JSONField: SafeJSONField,
    }

    #: Constraint name (without `<app>_<model>_`) -> the field its violation is reported on.
    constraint_fields: ClassVar[dict[str, str]] = {}
    #: Model fields the serializer does not set, left out of the constraint checks.
    validation_exclude: ClassVar[set[str]] = set()

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

    def validate(self, attrs):
        attrs = super().validate(attrs)
        run_model_validation(
            self.build_instance(attrs),
            constraint_fields=self.constraint_fields,
            exclude=self.validation_exclude,
        )
        return attrs

    def build_instance(self, attrs) -> models.Model:
        """The record as it would be saved: the current one with the changes applied."""
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {f.name for f in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        return instance


class CuratedModelSerializer(ModelSerializer):
    """For `CuratedModel`s: identifiers, sources and locked fields with their documented shape."""

    identifiers = IdentifiersField()
    sources = SourcesField()
    locked_fields = LockedFieldsField()
