"""Page-number pagination: `?page=` and `?page_size=` (default 50, at most 100)."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import pagination

__all__ = ["PageNumberPagination"]


class PageNumberPagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}`; a page past the end or not a number is a 404.

    Refuses unordered querysets, as NetBox does: without an order, rows can move between
    pages from one request to the next.
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        if hasattr(queryset, "ordered") and not queryset.ordered:
            raise ImproperlyConfigured(f"{view.__class__.__name__} lists an unordered queryset.")
        return super().paginate_queryset(queryset, request, view)
