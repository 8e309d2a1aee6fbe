"""Request parsers that turn every malformed body into a 400, never a 500."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

__all__ = ["JSONParser"]


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, also refusing JSON nested deeper than Python's recursion limit.

    The standard library raises RecursionError (not ValueError) for `[[[[...]]]]`, which DRF
    does not catch.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
