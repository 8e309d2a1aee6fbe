"""Attribute every write a request makes to its user and channel (see `events.history`)."""

from events.history import Channel, acting

__all__ = ["WriteContextMiddleware"]


class WriteContextMiddleware:
    """API requests write through channel "api", admin pages through "admin".

    The user is read from the request when the history is written: DRF authenticates a
    token only inside the view, and sets the user on the request then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = Channel.ADMIN if request.path.startswith("/admin/") else Channel.API
        with acting(channel=channel, request=request):
            return self.get_response(request)
