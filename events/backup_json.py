"""The `json` format of `dumpdata` and `loaddata`, keeping times to the microsecond.

Django's own writes times to the millisecond, so a backup would change every timestamp a
little (and a history's order within a millisecond). This one writes them as stored, and
reads like Django's (`settings.SERIALIZATION_MODULES`).
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

Deserializer = django_json.Deserializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
