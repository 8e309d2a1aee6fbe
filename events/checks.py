"""System checks of the deployment, run by `manage.py check` and at server start-up."""

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks

__all__ = ["missing_static_manifest", "static_manifest_check"]


def missing_static_manifest() -> str | None:
    """Why pages would fail for want of `collectstatic`, or None when they will not.

    With hashed file names (production), every page that links a static file (the admin,
    /api/docs/) needs the manifest `collectstatic` writes; without it they answer 500.
    """
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin) or not storage.manifest_strict:
        return None
    if storage.manifest_storage.exists(storage.manifest_name):
        return None
    return (
        f"No static files manifest at {storage.manifest_storage.path(storage.manifest_name)}: "
        "run `python manage.py collectstatic --noinput` before starting the server "
        "(or set DJANGO_DEBUG=1 for development)."
    )


@checks.register("tracker", deploy=True)
def static_manifest_check(app_configs=None, **kwargs):
    problem = missing_static_manifest()
    return [checks.Error(problem, id="tracker.E001")] if problem else []
