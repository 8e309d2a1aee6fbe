"""The API's one error shape, produced here and nowhere else.

Every error is JSON: `{"detail": "..."}` for 401, 403, 404, 405, 409 and 415, and DRF's
`{"field": ["reason", ...]}` for 400. A delete blocked by `PROTECT` is a 409 listing what
protects the record; a unique or check constraint that the database enforces at the last
moment (two writers racing) is a 409 rather than a 500.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = ["exception_handler", "not_found", "server_error"]

logger = logging.getLogger(__name__)

# Enough to act on; a record protected by thousands of rows does not need them all listed.
MAX_PROTECTED_LISTED = 50


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        return _protected_response(exc)
    if isinstance(exc, IntegrityError):
        logger.warning("Integrity error answered with 409: %s", exc)
        return Response(
            {
                "detail": "The change conflicts with existing data "
                "(a uniqueness or consistency rule)."
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DataError):
        # A value the database cannot store that validation let through: the client's input.
        logger.warning("Data error answered with 400: %s", exc)
        return Response(
            {"detail": "A value cannot be stored as given (too long, out of range or malformed)."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    return drf_exception_handler(exc, context)


def _protected_response(exc):
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    protected = []
    for obj in objects:
        if len(protected) == MAX_PROTECTED_LISTED:
            break
        protected.append({"model": obj._meta.model_name, "id": obj.pk})
    return Response(
        {
            "detail": "Cannot delete: other records depend on this one. "
            "Delete or re-point them first.",
            "protected": protected,
        },
        status=status.HTTP_409_CONFLICT,
    )


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """handler404: JSON under /api/, Django's own page elsewhere (the admin, static files)."""
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: JSON under /api/, Django's own page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
