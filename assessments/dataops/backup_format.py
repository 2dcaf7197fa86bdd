"""Django's JSON serializer with full-precision timestamps, for backups.

Django's standard JSON encoder cuts datetimes to milliseconds, so a restored record would differ
from the original by up to a millisecond. This one keeps the microseconds; the output is still
ordinary JSON that `loaddata` reads with the standard deserializer."""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder  # noqa: F401 - a format needs both
from django.core.serializers.json import Serializer as JSONSerializer

FORMAT = "chiia_backup_json"


class PreciseEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        # A private hook of Django's JSON serializer, so django-stubs does not declare it.
        super()._init_options()  # type: ignore[misc]
        self.json_kwargs["cls"] = PreciseEncoder
