"""Page-number pagination: `?page=` and `?page_size=` (default 50, at most 100)."""

from rest_framework import pagination

__all__ = ["PageNumberPagination"]


class PageNumberPagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}`; a page past the end or not a number is a 404.

    Pages are stable because every list is ordered with the primary key as the last
    tie-breaker (`StableOrderingFilter`, a filter backend of every viewset).
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
