from rest_framework.pagination import PageNumberPagination  # noqa
