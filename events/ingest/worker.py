"""What runs in the readout parse worker process (see `events.ingest.budget`).

Kept apart, with its imports inside the functions: the worker imports this module to find
them before Django is set up (which `started` then does).
"""

__all__ = ["parse", "ready", "started"]


def started() -> None:
    """The worker's initializer: Django, then the gazetteer, loaded before any parse is
    timed."""
    import django

    django.setup()
    from events.ingest import gazetteer

    gazetteer.find_city("Almaty")


def ready() -> bool:
    """Nothing: scheduling it starts the worker (pebble starts its process at the first task)."""
    return True


def parse(text: str, options: dict) -> tuple[str, object]:
    """The draft, or the parser's refusal as plain values (message, field, code)."""
    from events.ingest.draft import ReadoutError
    from events.ingest.importer import draft_readout

    try:
        return "draft", draft_readout(text, **options)
    except ReadoutError as error:
        return "error", (error.message, error.field, error.code)
