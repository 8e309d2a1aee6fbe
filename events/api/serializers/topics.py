from events.models import Topic

from .base import ModelSerializer

__all__ = ["TopicSerializer"]


class TopicSerializer(ModelSerializer):
    """Topics are referenced by slug everywhere, their parent too."""

    class Meta:
        model = Topic
        fields = [
            "id",
            "slug",
            "name",
            "parent",
            "description",
            "keywords",
            "created_at",
            "updated_at",
        ]
