from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Gathering, RelationshipLevel
from .base import CuratedAdmin, ReviewFilter, review_state

__all__ = ["GatheringAdmin", "RelationshipLevelAdmin"]

PARTIAL_DATE_FIELDSET = (
    _("Date"),
    {
        "fields": ["date_text", "date_precision", ("date_earliest", "date_latest")],
        "description": _(
            "As the source words it, how precisely it is known, and the earliest and latest "
            "days it can mean (both empty when unknown)."
        ),
    },
)


@admin.register(Gathering)
class GatheringAdmin(CuratedAdmin):
    list_display = [
        "name",
        "kind",
        "date_text",
        "date_earliest",
        "place",
        "host_country",
        review_state,
    ]
    list_filter = [ReviewFilter, "kind", "date_precision", "date_earliest"]
    list_select_related = ["place", "host_country"]
    search_fields = ["name", "slug", "description"]
    autocomplete_fields = ["place", "host_country", "organizers", "principals"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "date_earliest"
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "place", "host_country", "needs_review"]}),
        PARTIAL_DATE_FIELDSET,
        (_("Who"), {"fields": ["organizers", "principals", "description"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(RelationshipLevel)
class RelationshipLevelAdmin(CuratedAdmin):
    list_display = ["country_a", "country_b", "level", "date_text", "date_earliest", "announced_at"]
    list_filter = ["date_earliest"]
    list_select_related = ["country_a", "country_b", "announced_at"]
    search_fields = [
        "level",
        "country_a__name",
        "country_b__name",
        "=country_a__alpha3",
        "=country_b__alpha3",
    ]
    autocomplete_fields = ["country_a", "country_b", "announced_at", "statement"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [("country_a", "country_b"), "level", "announced_at", "statement"],
                "description": _("Give the pair in alphabetical order of alpha-3 codes."),
            },
        ),
        PARTIAL_DATE_FIELDSET,
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
