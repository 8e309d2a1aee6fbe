"""Reading the API's errors (RFC 9457 problem details) in tests."""

PROBLEM_TYPE = "application/problem+json"


def problem(response, status: int) -> dict:
    """The problem a response carries, after checking its status and media type."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == PROBLEM_TYPE, response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def field_errors(response) -> dict[str, list[str]]:
    """A 400's invalid inputs: each field's path (`participants.0.side`; `None` for the
    request as a whole) and its reasons."""
    errors: dict[str, list[str]] = {}
    for error in problem(response, 400)["errors"]:
        errors.setdefault(error["field"], []).append(error["detail"])
    return errors


def fields_at_fault(response) -> list[str]:
    """The top-level fields a 400 blames, in order (`participants` for `participants.0.side`)."""
    fields = [None if path is None else path.split(".")[0] for path in field_errors(response)]
    return list(dict.fromkeys(fields))
