"""The hand-shaped representations and the orjson renderer write what DRF would."""

import datetime
import decimal
import zoneinfo

from django.utils.translation import gettext_lazy
from rest_framework import renderers, serializers
from rest_framework.exceptions import ErrorDetail

from events.api.renderers import JSONRenderer
from events.api.serializers.base import iso_datetime

MOMENTS = [
    datetime.datetime(2025, 12, 29, 12, 0, tzinfo=datetime.UTC),
    datetime.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    # Aware in another zone: both write it in UTC (TIME_ZONE).
    datetime.datetime(2022, 3, 1, 8, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Dushanbe")),
]


def test_iso_datetime_matches_drfs_datetime_field():
    field = serializers.DateTimeField()
    for moment in MOMENTS:
        assert iso_datetime(moment) == field.to_representation(moment)
    assert iso_datetime(None) is None


def test_the_renderer_writes_drfs_bytes():
    data = {
        "title": "Talks in Dushanbe — 会谈",
        "lazy": gettext_lazy("Meeting"),
        "error": [ErrorDetail("This field is required.", code="required")],
        "when": MOMENTS[2],
        "day": datetime.date(2022, 3, 1),
        "amount": decimal.Decimal("1.50"),
        "separators": "line\u2028paragraph\u2029end",
        "nested": [{"id": 1, "sides": ["CHN", "TJK"], "none": None, "yes": True}],
        "ratio": 0.1,
    }
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_an_integer_beyond_64_bits_still_renders():
    data = {"id": 2**70}
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_nothing_renders_as_an_empty_body():
    assert JSONRenderer().render(None) == b""
