from rest_framework import serializers

from events.models import Topic

from .base import ModelSerializer

__all__ = ["TopicSerializer"]


class TopicSerializer(ModelSerializer):
    """Topics are referenced by slug everywhere, their parent too."""

    constraint_fields = {"not_own_parent": "parent"}

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "parent", "description", "created_at", "updated_at"]

    def validate_parent(self, parent):
        below = (
            Topic.objects.with_descendants([self.instance])
            if self.instance is not None and parent is not None
            else set()
        )
        if parent is not None and parent.pk in below:
            raise serializers.ValidationError("A topic cannot sit below itself.")
        return parent
