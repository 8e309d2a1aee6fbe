from rest_framework import serializers

from events.models import Organization, OrganizationAlias

from .base import CuratedModelSerializer, ModelSerializer

__all__ = [
    "OrganizationAliasSerializer",
    "OrganizationBriefSerializer",
    "OrganizationSerializer",
]


class OrganizationSerializer(CuratedModelSerializer):
    aliases = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="name",
        help_text="Other names (edit them at /api/v1/organization-aliases/).",
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "slug",
            "name",
            "abbreviation",
            "kind",
            "needs_review",
            "country",
            "parent",
            "aliases",
            "identifiers",
            "sources",
            "locked_fields",
            "created_at",
            "updated_at",
        ]


class OrganizationBriefSerializer(ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "slug", "name", "abbreviation", "kind"]
        read_only_fields = fields


class OrganizationAliasSerializer(ModelSerializer):
    class Meta:
        model = OrganizationAlias
        fields = ["id", "organization", "name", "language", "created_at", "updated_at"]
