"""The API's one error format: RFC 9457 problem details, produced here and nowhere else.

Every error under /api/ (and from /readyz) is `application/problem+json`:

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "date: Date has wrong format. ...", "instance": "/api/v1/meetings/",
     "code": "invalid",
     "errors": [{"field": "date", "code": "invalid", "detail": "Date has wrong format. ..."}]}

`title` is the status's reason phrase (RFC 9457 §4.2.1 for `about:blank`), `detail` always a
sentence a person can act on, `code` a stable machine-readable name for the problem, and
`errors` (400 only) every invalid input with its path (`participants.1.side`; null for the
body as a whole) and reason. A 409 for a blocked delete adds `protected`.

Why hand-written rather than drf-standardized-errors: the same body must come from Django's
handlers, the middleware (413, 503, errors raised before DRF sees the request) and the
gunicorn config (414, worker timeouts), none of which that package covers; its shape has no
top-level `detail`; and RFC 9457 is a registered media type generic HTTP clients know.

DRF's exceptions go through `exception_handler` (REST_FRAMEWORK["EXCEPTION_HANDLER"]);
`not_found`, `bad_request`, `permission_denied` and `server_error` are Django's handlers;
`events.api.middleware` covers the rest.
"""

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from events import health
from events.api.conditional import PreconditionFailedError, with_validators
from events.models.visibility import visible
from events.services import DeleteBlocked, PreconditionFailed

__all__ = [
    "PROBLEM_CONTENT_TYPE",
    "ParseBudgetExceeded",
    "bad_request",
    "exception_handler",
    "flatten_errors",
    "is_api_request",
    "not_found",
    "permission_denied",
    "problem",
    "problem_response",
    "server_error",
]

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Enough to act on; a record protected by thousands of rows does not need them all listed.
MAX_PROTECTED_LISTED = 50

# Enough to fix a request; a list of 100 bad items does not need 100 x fields listed.
MAX_ERRORS_LISTED = 100


class ParseBudgetExceeded(exceptions.APIException):
    """A readout that takes longer to read than the server allows one request."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "parse_time_exceeded"
    default_detail = "The text took too long to read as a readout."


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "The request body is too large."


def problem(
    status_code: int,
    detail: str,
    *,
    code: str,
    instance: str | None = None,
    **extensions,
) -> dict:
    """A problem details object (RFC 9457) as the API answers it."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": str(detail),
    }
    if instance is not None:
        body["instance"] = instance
    body["code"] = code
    body.update(extensions)
    return body


def problem_response(
    request, status_code: int, detail: str, *, code: str, headers=None, **extensions
) -> JsonResponse:
    """A problem as a Django response, for errors answered outside DRF."""
    body = problem(status_code, detail, code=code, instance=request.path, **extensions)
    response = JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def flatten_errors(detail, path: str | None = None) -> list[dict]:
    """DRF's nested error detail as a flat list of `{field, code, detail}`, field as a path."""
    errors: list[dict] = []

    def walk(node, prefix):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in (api_settings.NON_FIELD_ERRORS_KEY, "__all__"):
                    walk(value, prefix)
                else:
                    walk(value, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(node, list):
            if all(isinstance(item, str) for item in node):
                for item in node:
                    walk(item, prefix)
            else:
                # A list of nested errors (many=True): one entry per item, empty when valid.
                for index, item in enumerate(node):
                    if item:
                        walk(item, f"{prefix}.{index}" if prefix else str(index))
        elif len(errors) < MAX_ERRORS_LISTED:
            errors.append(
                {"field": prefix or None, "code": getattr(node, "code", "invalid"), "detail": node}
            )

    walk(detail, path)
    return errors


def _validation_summary(errors: list[dict]) -> str:
    if len(errors) == 1:
        error = errors[0]
        return f"{error['field']}: {error['detail']}" if error["field"] else str(error["detail"])
    fields = list(dict.fromkeys(error["field"] or "the request" for error in errors))
    return f"Invalid input: {len(errors)} errors, in {', '.join(fields)}."


def exception_handler(exc, context):
    """REST framework's exception handler: every error as a problem (RFC 9457)."""
    request = context["request"]
    user = getattr(request, "user", None)
    if isinstance(exc, DeleteBlocked):
        return _blocked_response(exc, request, user)
    if isinstance(exc, ProtectedError | RestrictedError):
        return _protected_response(exc, request, user)
    if isinstance(exc, PreconditionFailed):
        if exc.current_version is None:  # deleted in between
            exc = exceptions.NotFound()
        else:
            exc.record.refresh_from_db(fields=["version", "updated_at"])
            exc = PreconditionFailedError(exc.record)
    if health.is_database_unavailable(exc):
        return _drf_problem(request, *health.unavailable_problem(exc))
    if isinstance(exc, IntegrityError):
        logger.warning("Integrity error answered with 409: %s", exc)
        exc = exceptions.APIException(
            "The change conflicts with existing data (a uniqueness or consistency rule).",
            code="conflict",
        )
        exc.status_code = status.HTTP_409_CONFLICT
    elif isinstance(exc, DataError):
        # A value the database cannot store that validation let through: the client's input.
        logger.warning("Data error answered with 400: %s", exc)
        exc = exceptions.ParseError(
            "A value cannot be stored as given (too long, out of range or malformed).",
            code="unstorable_value",
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        exc = RequestTooLarge(str(exc) or None)
    elif isinstance(exc, Http404):  # as REST framework converts them, here to know the code
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        body = problem(
            response.status_code,
            _validation_summary(errors) if errors else "Invalid input.",
            code="invalid",
            instance=request.path,
            errors=errors,
        )
    else:
        data = response.data if isinstance(response.data, dict) else {}
        body = problem(
            response.status_code,
            data.get("detail", HTTPStatus(response.status_code).phrase),
            code=code if isinstance(code, str) else "error",
            instance=request.path,
        )
    if isinstance(exc, PreconditionFailedError):
        body["etag"] = with_validators(response, exc.record)["ETag"]
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _drf_problem(request, status_code, detail, code, headers):
    return Response(
        problem(status_code, detail, code=code, instance=request.path),
        status=status_code,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


BLOCKED_DETAIL = "Cannot delete: other records refer to this one. Delete or re-point them first."


def _conflict(request, protected: list[dict]) -> Response:
    return Response(
        problem(
            status.HTTP_409_CONFLICT,
            BLOCKED_DETAIL,
            code="protected",
            instance=request.path,
            protected=protected[:MAX_PROTECTED_LISTED],
        ),
        status=status.HTTP_409_CONFLICT,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _blocked_response(exc: DeleteBlocked, request, user) -> Response:
    """409 naming what refers to the record, as far as the reader may see it: records the
    reader may not see are neither listed nor counted."""
    protected = []
    for blocker in exc.blockers:
        rows = visible(blocker.rows.model._default_manager.filter(pk__in=blocker.rows), user)
        ids = rows.order_by("pk").values_list("pk", flat=True)[:MAX_PROTECTED_LISTED]
        protected.extend({"model": blocker.rows.model._meta.model_name, "id": pk} for pk in ids)
    return _conflict(request, protected)


def _protected_response(exc, request, user) -> Response:
    """The database refused a delete (`PROTECT`): the same answer, for what the reader sees."""
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    protected = []
    for obj in objects:
        if len(protected) == MAX_PROTECTED_LISTED:
            break
        if visible(type(obj)._default_manager.filter(pk=obj.pk), user).exists():
            protected.append({"model": obj._meta.model_name, "id": obj.pk})
    return _conflict(request, protected)


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """handler404: a problem under /api/, Django's own page elsewhere (the admin, static)."""
    if is_api_request(request):
        return problem_response(request, 404, "Not found.", code="not_found")
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """handler400 (a disallowed host, a malformed request Django refuses before any view)."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return problem_response(
            request, 413, RequestTooLarge.default_detail, code=RequestTooLarge.default_code
        )
    if is_api_request(request):
        return problem_response(request, 400, "Bad request.", code="bad_request")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    """handler403."""
    if is_api_request(request):
        return problem_response(
            request,
            403,
            "You do not have permission to perform this action.",
            code="permission_denied",
        )
    return defaults.permission_denied(request, exception)


def server_error(request):
    """handler500: a problem under /api/, Django's own page elsewhere."""
    if is_api_request(request):
        return problem_response(request, 500, "Server error.", code="server_error")
    return defaults.server_error(request)
