"""Errors answered before (or outside) REST framework, in the API's one format.

- A body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (its `Content-Length`) is refused with 413 before
  anything reads it.
- A database outage raised by any view (the API, the admin) is a 503 with `Retry-After`,
  logged once per outage (`events.health`), not a 500 with a traceback per request.
- Any other error response under /api/ that is not JSON yet (Django's CSRF page, a 405 from
  a plain view, ...) is rewritten as a problem with the same status.
"""

from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse

from events import health
from events.api.exceptions import PROBLEM_CONTENT_TYPE, is_api_request, problem_response

__all__ = ["ProblemDetailsMiddleware"]

JSON_TYPES = ("application/json", PROBLEM_CONTENT_TYPE)


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() in JSON_TYPES


def _answers_json(request) -> bool:
    return is_api_request(request) or request.path in ("/healthz", "/readyz")


class ProblemDetailsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self._refuse_large_body(request)
        if refused is not None:
            return refused
        with health.watching_for_recovery():
            response = self.get_response(request)
        if response.status_code == 503 and health.outage.since is not None:
            # Said once in the log when the outage began (events.health), not per request.
            response._has_been_logged = True
        if _answers_json(request) and response.status_code >= 400 and not _is_json(response):
            response = self._as_problem(request, response)
        return response

    def process_exception(self, request, exception):
        if not health.is_database_unavailable(exception):
            return None
        status, detail, code, headers = health.unavailable_problem(exception)
        if _answers_json(request):
            response = problem_response(request, status, detail, code=code, headers=headers)
        else:
            response = HttpResponse(detail, status=status, content_type="text/plain")
            for name, value in headers.items():
                response[name] = value
        return response

    @staticmethod
    def _refuse_large_body(request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is None or length <= limit:
            return None
        detail = (
            f"The request body is {length:,} bytes; the most this server accepts is "
            f"{limit:,} bytes."
        )
        if _answers_json(request):
            return problem_response(request, 413, detail, code="request_too_large")
        return HttpResponse(detail, status=413, content_type="text/plain")

    @staticmethod
    def _as_problem(request, response):
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        code = phrase.lower().replace(" ", "_").replace("-", "_")
        headers = {
            name: response[name]
            for name in ("Retry-After", "Allow", "WWW-Authenticate")
            if response.has_header(name)
        }
        return problem_response(request, status, f"{phrase}.", code=code, headers=headers)
