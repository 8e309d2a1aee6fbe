"""The OpenAPI schema's error responses and parameter bounds, added to every operation.

drf-spectacular documents the success of each operation; the errors every operation can
answer are added here by method and route, once, so a new viewset or action (the history
routes, the publish permission, `If-Match`) is documented without a decorator of its own:

- everywhere: 401 (a wrong or expired token), 429 (a throttle), 503 (database unavailable),
  and 414 where query parameters are taken (a URL longer than the server reads);
- where input is taken (a body, or query parameters): 400;
- on a route with an id, and on paginated lists (a page past the end): 404;
- on writes (POST, PUT, PATCH, DELETE): 401 and 403 for rights, 409 for a conflict;
- on PUT, PATCH and DELETE: 412 (`If-Match` / `If-Unmodified-Since` not met);
- where a body is taken: 413 (too large) and 415 (not JSON or a form);
- on an operation that reads a readout (`throttle_scope = "readouts"`): 422 (took longer
  than its time budget).

Each is `application/problem+json` with the `Problem` schema (RFC 9457, see
`events.api.exceptions`). Integer path ids document their range (1 to 2**63 - 1).

A list documents its exports (`events.api.exports`) as media types of its 200 answer, each
a string (CSV, NDJSON, iCalendar, PLOVER records); lists and record pages document their
`ETag`, `Last-Modified` and `Vary` headers and the 304 that `If-None-Match` or
`If-Modified-Since` gets.
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent

from events.api.exceptions import PROBLEM_CONTENT_TYPE
from events.api.exports import ExportRenderer
from events.api.fields import MAX_ID

__all__ = ["PROBLEM_SCHEMA", "AutoSchema"]

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "`about:blank`: the status says it all."},
        "title": {"type": "string", "description": "The status's reason phrase."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "instance": {"type": "string", "description": "The path requested."},
        "code": {
            "type": "string",
            "description": "A stable name for the problem: `invalid`, `not_found`, "
            "`throttled`, `database_unavailable`, `parse_time_exceeded`, ...",
        },
        "errors": {
            "type": "array",
            "description": "400: every invalid input, with its path and reason.",
            "items": {
                "type": "object",
                "properties": {
                    "field": {
                        "type": "string",
                        "nullable": True,
                        "description": "The input's path (`participants.1.side`); null for "
                        "the request as a whole.",
                    },
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                },
                "required": ["field", "code", "detail"],
            },
        },
        "protected": {
            "type": "array",
            "description": "409 on a delete: the records that still depend on this one.",
            "items": {
                "type": "object",
                "properties": {"model": {"type": "string"}, "id": {"type": "integer"}},
                "required": ["model", "id"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}

RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds to wait before trying again.",
    }
}

DESCRIPTIONS = {
    400: "Invalid input: `errors` names each field (its path) and the reason.",
    401: "No valid credentials: the token is wrong, expired or revoked, or none was given "
    "for a write.",
    403: "The credentials do not allow this.",
    404: "No such record (or one the caller may not see), or a page past the end.",
    409: "Conflicts with existing data (a uniqueness rule, or records that depend on this "
    "one: `protected`).",
    412: "The record changed since it was read (`If-Match` / `If-Unmodified-Since`).",
    413: "The request body is larger than the server accepts.",
    414: "The URL is longer than the server reads (4,094 characters).",
    415: "The body is not JSON (or a form).",
    422: "The text took longer to read than the time budget allows; nothing was stored.",
    429: "Too many requests: wait `Retry-After` seconds.",
    503: "The database is unavailable: try again after `Retry-After` seconds.",
}

VALIDATOR_HEADERS = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "A record's strong ETag (its version), or a list's weak one (its "
        "rows, the query and who asks). Send it back in `If-None-Match` to get a 304 while "
        "nothing changed.",
    },
    "Last-Modified": {
        "schema": {"type": "string"},
        "description": "When the record (for a list: the latest of its rows) last changed.",
    },
    "Vary": {"schema": {"type": "string"}, "description": "Accept, Authorization, Cookie."},
}

NOT_MODIFIED = {
    "description": "Not modified: `If-None-Match` names the current ETag (or "
    "`If-Modified-Since` is not older than `Last-Modified`). No body.",
    "headers": VALIDATOR_HEADERS,
}

# The reads that answer conditional requests (ModelViewSet.list and .retrieve).
CONDITIONAL_ACTIONS = {"list", "retrieve"}

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
WITH_BODY = {"POST", "PUT", "PATCH"}


def _media_type(renderer) -> str:
    return getattr(renderer, "full_media_type", None) or renderer.media_type


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            schema = parameter.get("schema", {})
            numeric_id = schema.get("type") == "integer" or schema.get("pattern") == "^[0-9]+$"
            if parameter["in"] == "path" and numeric_id:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        responses = operation["responses"]
        problem_ref = self._problem_component().ref
        for status in self._error_statuses(operation):
            entry = responses.setdefault(str(status), {"description": DESCRIPTIONS[status]})
            entry.setdefault("content", {PROBLEM_CONTENT_TYPE: {"schema": problem_ref}})
            if status in (429, 503):
                entry.setdefault("headers", {}).update(RETRY_AFTER)
        if self.method == "GET" and getattr(self.view, "action", None) in CONDITIONAL_ACTIONS:
            ok = responses.get("200")
            if ok is not None:
                ok.setdefault("headers", {}).update(VALIDATOR_HEADERS)
            responses["304"] = NOT_MODIFIED
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def map_renderers(self, attribute):
        # An export's media type keeps its parameters (`application/x-ndjson;
        # profile=plover` is not NDJSON's).
        renderers = self.view.get_renderers()
        if attribute != "media_type" or not any(isinstance(r, ExportRenderer) for r in renderers):
            return super().map_renderers(attribute)
        return list(dict.fromkeys(_media_type(r) for r in renderers))

    def _get_response_for_code(self, serializer, status_code, media_types=None, *args, **kwargs):
        response = super()._get_response_for_code(
            serializer, status_code, media_types, *args, **kwargs
        )
        content = response.get("content", {})
        for renderer in self.view.get_renderers():
            if isinstance(renderer, ExportRenderer) and _media_type(renderer) in content:
                content[_media_type(renderer)] = {"schema": dict(renderer.openapi_schema)}
        return response

    def _error_statuses(self, operation) -> list[int]:
        method = self.method
        parameters = operation.get("parameters", [])
        statuses = {401, 429, 503}
        takes_query = any(parameter["in"] == "query" for parameter in parameters)
        if method in WITH_BODY or takes_query:
            statuses.add(400)
        if takes_query:
            statuses.add(414)
        has_path_id = any(parameter["in"] == "path" for parameter in parameters)
        paginated = method == "GET" and self._is_list_view() and self._get_paginator()
        if has_path_id or paginated:
            statuses.add(404)
        if method in WRITES:
            statuses |= {401, 403, 409}
        if method in {"PUT", "PATCH", "DELETE"}:
            statuses.add(412)
        if method in WITH_BODY:
            statuses |= {413, 415}
            if getattr(self.view, "throttle_scope", None) == "readouts":
                statuses.add(422)
        return sorted(statuses)

    def _problem_component(self) -> ResolvedComponent:
        component = ResolvedComponent(
            name="Problem",
            type=ResolvedComponent.SCHEMA,
            object="Problem",
            schema=PROBLEM_SCHEMA,
        )
        self.registry.register_on_missing(component)
        return component
