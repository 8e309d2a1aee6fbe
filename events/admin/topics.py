from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Commitment, Statement, Topic
from .base import CuratedAdmin, related_count

__all__ = ["TopicAdmin"]


@admin.register(Topic)
class TopicAdmin(CuratedAdmin):
    list_display = ["name", "parent", "statement_count", "commitment_count"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description", "keywords"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fields = ["name", "slug", "parent", "description", "keywords", "created_at", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                statement_count=related_count(Statement.topics.through, "topic"),
                commitment_count=related_count(Commitment.topics.through, "topic"),
            )
        )

    @admin.display(description=_("statements"), ordering="statement_count")
    def statement_count(self, obj):
        return obj.statement_count

    @admin.display(description=_("commitments"), ordering="commitment_count")
    def commitment_count(self, obj):
        return obj.commitment_count
