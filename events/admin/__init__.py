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

admin.site.site_header = _("Diplomatic event tracker")
admin.site.site_title = _("Diplomatic event tracker admin")
admin.site.index_title = _("Curation")
# The index adds an "Import readout" link for those who may import.
admin.site.index_template = "admin/events/index.html"
