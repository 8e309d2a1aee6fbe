from rest_framework import serializers

from events.models import Person, PersonAlias, Position, Tenure

from .base import CuratedModelSerializer, ModelSerializer
from .organizations import OrganizationBriefSerializer

__all__ = [
    "PersonAliasSerializer",
    "PersonBriefSerializer",
    "PersonSerializer",
    "PositionBriefSerializer",
    "PositionSerializer",
    "TenureSerializer",
]


class PersonSerializer(CuratedModelSerializer):
    aliases = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="name",
        help_text="Other spellings (edit them at /api/v1/person-aliases/).",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "slug",
            "name",
            "native_name",
            "country",
            "needs_review",
            "aliases",
            "identifiers",
            "sources",
            "locked_fields",
            "created_at",
            "updated_at",
        ]


class PersonBriefSerializer(ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "slug", "name", "country"]
        read_only_fields = fields


class PersonAliasSerializer(ModelSerializer):
    class Meta:
        model = PersonAlias
        fields = ["id", "person", "name", "language", "note", "created_at", "updated_at"]


class PositionSerializer(CuratedModelSerializer):
    class Meta:
        model = Position
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "needs_review",
            "organization",
            "identifiers",
            "sources",
            "locked_fields",
            "created_at",
            "updated_at",
        ]


class PositionBriefSerializer(ModelSerializer):
    """An office with its organisation, as a meeting's page shows what each participant held."""

    organization = OrganizationBriefSerializer(read_only=True)

    class Meta:
        model = Position
        fields = ["id", "slug", "title", "kind", "organization"]
        read_only_fields = fields


class TenureSerializer(CuratedModelSerializer):
    class Meta:
        model = Tenure
        fields = [
            "id",
            "person",
            "position",
            "status",
            "start_earliest",
            "start_latest",
            "start_precision",
            "start_text",
            "end_earliest",
            "end_latest",
            "end_precision",
            "end_text",
            "replaces",
            "identifiers",
            "sources",
            "locked_fields",
            "created_at",
            "updated_at",
        ]
