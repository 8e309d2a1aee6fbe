"""The `snippet` of a full-text search result, computed for the page returned only."""

from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import serializers

from events.search import clean_query, snippets

__all__ = ["SearchResultsListSerializer", "SearchSnippetMixin"]


class SearchResultsListSerializer(serializers.ListSerializer):
    """A page of a list: with `?q=`, every result's highlighted passage, in one query."""

    def to_representation(self, data):
        items = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        text = self.search_text()
        if text and items:
            found = snippets(type(items[0]), [item.pk for item in items], text)
            for item in items:
                item.search_snippet = found.get(item.pk)
        return super().to_representation(items)

    def search_text(self) -> str:
        request = self.context.get("request")
        if self.parent is not None or request is None:
            return ""
        try:
            return clean_query(request.query_params.get("q", ""))
        except ValidationError:  # the filterset has answered 400 already
            return ""


class SearchSnippetMixin(serializers.Serializer):
    snippet = serializers.SerializerMethodField(
        help_text="With `?q=` on a list: the passage that matches, as HTML (the text escaped, "
        "each match in `<mark>`). Null otherwise."
    )

    def get_snippet(self, instance) -> str | None:
        return getattr(instance, "search_snippet", None)
