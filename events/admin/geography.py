from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Country, Meeting, Place
from .base import CURATION_FIELDSETS, CuratedAdmin, ReviewFilter, related_count, review_state

__all__ = ["CountryAdmin", "PlaceAdmin"]


@admin.register(Country)
class CountryAdmin(CuratedAdmin):
    """ISO 3166-1 countries, loaded by migration 0002: searched and picked, rarely edited.

    Adding stays possible for user-assigned codes ISO leaves out (Kosovo's XKX); an existing
    country's codes are read-only, since every record that names a country points to them,
    and nothing is deleted.
    """

    list_display = ["alpha3", "alpha2", "numeric", "name", "official_name"]
    list_display_links = ["alpha3", "name"]
    search_fields = ["name", "official_name", "=alpha2", "=alpha3"]
    ordering = ["name"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return ["alpha3", "alpha2", "numeric", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Place)
class PlaceAdmin(CuratedAdmin):
    list_display = ["name", "kind", "country", "parent", "meeting_count", review_state]
    list_filter = [ReviewFilter, "kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country", "parent"]
    search_fields = ["name", "slug", "country__name", "=country__alpha3"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "parent", "needs_review"]}),
        *CURATION_FIELDSETS,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=related_count(Meeting, "place"))

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count
