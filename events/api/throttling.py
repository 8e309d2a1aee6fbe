"""Request limits (REST framework throttling), each rate set from the environment.

- `anon`: anonymous callers, by client address (API_THROTTLE_ANON);
- `user`: signed-in callers and token holders, by user (API_THROTTLE_USER);
- `readouts`: reading a readout (POST /api/v1/sources/parse/, and POST /api/v1/sources/
  without `meetings`, which imports one): a stricter limit, as each costs a parse
  (API_THROTTLE_READOUTS).

Past a limit the answer is 429 with `Retry-After`. Rates are read when a request is checked
(not when the class is defined, as REST framework does), so a changed setting applies.
"""

from collections.abc import Mapping

from rest_framework import throttling
from rest_framework.settings import api_settings

__all__ = ["AnonReadThrottle", "ReadoutThrottle", "UserReadThrottle"]


class _CurrentRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonReadThrottle(_CurrentRateMixin, throttling.AnonRateThrottle):
    pass


class UserReadThrottle(_CurrentRateMixin, throttling.UserRateThrottle):
    pass


def reads_a_readout(request, view) -> bool:
    """The request makes the server parse a readout (see `SourceViewSet`)."""
    if getattr(view, "throttle_scope", None) != "readouts":
        return False
    if view.action == "parse":
        return True
    if view.action == "create":
        data = request.data
        return isinstance(data, Mapping) and not data.get("meetings")
    return False


class ReadoutThrottle(_CurrentRateMixin, throttling.SimpleRateThrottle):
    scope = "readouts"

    def __init__(self):
        # The rate is looked up per request (get_rate), after the view is known.
        pass

    def allow_request(self, request, view):
        if not reads_a_readout(request, view):
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
