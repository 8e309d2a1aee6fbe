import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_wsgi_application()

# Refuse to start rather than answer 500 on every page that links a static file.
from events.checks import missing_static_manifest  # noqa: E402  (needs the apps loaded)

if problem := missing_static_manifest():
    raise ImproperlyConfigured(problem)
