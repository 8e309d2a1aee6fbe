from events.models import Gathering, RelationshipLevel

from .base import ModelSerializer

__all__ = ["GatheringBriefSerializer", "GatheringSerializer", "RelationshipLevelSerializer"]

PARTIAL_DATE_FIELDS = ["date_earliest", "date_latest", "date_precision", "date_text"]


class GatheringSerializer(ModelSerializer):
    class Meta:
        model = Gathering
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "needs_review",
            *PARTIAL_DATE_FIELDS,
            "place",
            "host_country",
            "organizers",
            "principals",
            "description",
            "created_at",
            "updated_at",
        ]


class GatheringBriefSerializer(ModelSerializer):
    """The occasion a meeting was held at."""

    class Meta:
        model = Gathering
        fields = ["id", "slug", "name", "kind", "date_earliest", "date_latest"]
        read_only_fields = fields


class RelationshipLevelSerializer(ModelSerializer):
    class Meta:
        model = RelationshipLevel
        fields = [
            "id",
            "country_a",
            "country_b",
            "level",
            *PARTIAL_DATE_FIELDS,
            "announced_at",
            "statement",
            "created_at",
            "updated_at",
        ]
