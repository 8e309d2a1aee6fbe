from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def restore_search_triggers(sender, using, **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table: put the
    full-text search ones back (and rebuild that index), whatever migration ran."""
    from events.search import ensure_sqlite_triggers

    ensure_sqlite_triggers(connections[using])


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Diplomatic events"

    def ready(self):
        from events import checks  # noqa: F401  (registers the deployment checks)

        post_migrate.connect(restore_search_triggers, sender=self)
