"""The API's one error shape, produced here and nowhere else.

Every error is JSON: `{"detail": "..."}` for 401, 403, 404, 405, 409 and 415, and DRF's
`{"field": ["reason", ...]}` for 400. A delete blocked by `PROTECT` is a 409 listing what
protects the record; a unique or check constraint that the database enforces at the last
moment (two writers racing) is a 409 rather than a 500.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from events.api.conditional import PreconditionFailedError, with_validators
from events.models.visibility import visible
from events.services import DeleteBlocked, PreconditionFailed

__all__ = ["exception_handler", "not_found", "server_error"]

logger = logging.getLogger(__name__)

# Enough to act on; a record protected by thousands of rows does not need them all listed.
MAX_PROTECTED_LISTED = 50


def exception_handler(exc, context):
    user = getattr(context.get("request"), "user", None)
    if isinstance(exc, DeleteBlocked):
        return _blocked_response(exc, user)
    if isinstance(exc, PreconditionFailed):
        record = exc.record
        if exc.current_version is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        record.refresh_from_db(fields=["version", "updated_at"])
        exc = PreconditionFailedError(record)
    if isinstance(exc, PreconditionFailedError):
        response = drf_exception_handler(exc, context)
        response.data["etag"] = with_validators(response, exc.record)["ETag"]
        return response
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, ProtectedError | RestrictedError):
        return _protected_response(exc, user)
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


BLOCKED_DETAIL = "Cannot delete: other records refer to this one. Delete or re-point them first."


def _blocked_response(exc: DeleteBlocked, user):
    """409 naming what refers to the record, as far as the reader may see it: records the
    reader may not see are neither listed nor counted."""
    protected = []
    for blocker in exc.blockers:
        rows = visible(blocker.rows.model._default_manager.filter(pk__in=blocker.rows), user)
        ids = list(rows.order_by("pk").values_list("pk", flat=True)[:MAX_PROTECTED_LISTED])
        protected.extend({"model": blocker.rows.model._meta.model_name, "id": pk} for pk in ids)
    return Response(
        {"detail": BLOCKED_DETAIL, "protected": protected[:MAX_PROTECTED_LISTED]},
        status=status.HTTP_409_CONFLICT,
    )


def _protected_response(exc, user):
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    protected = []
    for obj in objects:
        if len(protected) == MAX_PROTECTED_LISTED:
            break
        if visible(type(obj)._default_manager.filter(pk=obj.pk), user).exists():
            protected.append({"model": obj._meta.model_name, "id": obj.pk})
    return Response(
        {"detail": BLOCKED_DETAIL, "protected": protected}, status=status.HTTP_409_CONFLICT
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
