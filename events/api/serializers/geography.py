import re

from rest_framework import serializers

from events.models import Country, Place

from .base import CuratedModelSerializer, ModelSerializer

__all__ = ["CountryBriefSerializer", "CountrySerializer", "PlaceBriefSerializer", "PlaceSerializer"]


class CountrySerializer(ModelSerializer):
    class Meta:
        model = Country
        fields = [
            "alpha3",
            "alpha2",
            "numeric",
            "name",
            "official_name",
            "created_at",
            "updated_at",
        ]

    # Validated in methods, not `extra_kwargs` validators, which would replace the
    # uniqueness checks DRF derives from the model.
    def validate_alpha3(self, value):
        _check_code(value, r"[A-Z]{3}", "Three capital letters.")
        # The code is the primary key: "changing" it would create a second country.
        if self.instance is not None and value != self.instance.alpha3:
            raise serializers.ValidationError("A country's alpha-3 code cannot change.")
        return value

    def validate_alpha2(self, value):
        return _check_code(value, r"[A-Z]{2}", "Two capital letters.")

    def validate_numeric(self, value):
        return _check_code(value, r"[0-9]{3}", "Three digits.")


def _check_code(value: str, pattern: str, message: str) -> str:
    if not re.fullmatch(pattern, value):
        raise serializers.ValidationError(message)
    return value


class CountryBriefSerializer(ModelSerializer):
    class Meta:
        model = Country
        fields = ["alpha3", "name"]
        read_only_fields = fields


class PlaceSerializer(CuratedModelSerializer):
    class Meta:
        model = Place
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "needs_review",
            "country",
            "parent",
            "identifiers",
            "sources",
            "locked_fields",
            "created_at",
            "updated_at",
        ]


class PlaceBriefSerializer(ModelSerializer):
    """A place with its country's name, for a meeting's page."""

    country = CountryBriefSerializer(read_only=True)

    class Meta:
        model = Place
        fields = ["id", "slug", "name", "kind", "country"]
        read_only_fields = fields
