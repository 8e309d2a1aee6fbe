"""The curation admin: one module per area of the domain, like `events.models`."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: F401  (importing a module registers its admins)
    commitments,
    gatherings,
    geography,
    meetings,
    organizations,
    people,
    sources,
    topics,
)
from .imports import can_import_readout

admin.site.site_header = _("Diplomatic event tracker")
admin.site.site_title = _("Diplomatic event tracker admin")
admin.site.index_title = _("Curation")
# The index adds an "Import readout" link for those who may import: it is told so in
# `can_import_readout`, as the sources' changelist is.
admin.site.index_template = "admin/events/index.html"
_site_index = admin.site.index


def _index(request, extra_context=None):
    extra_context = {"can_import_readout": can_import_readout(request.user)} | (extra_context or {})
    return _site_index(request, extra_context)


admin.site.index = _index
