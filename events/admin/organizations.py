from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Organization, OrganizationAlias
from .base import (
    CURATION_FIELDSETS,
    CuratedAdmin,
    CuratedInline,
    ReviewFilter,
    related_count,
    review_state,
)

__all__ = ["OrganizationAdmin", "OrganizationAliasAdmin"]


class OrganizationAliasInline(CuratedInline, admin.TabularInline):
    model = OrganizationAlias
    fields = ["name", "language"]
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(CuratedAdmin):
    list_display = [
        "name",
        "abbreviation",
        "kind",
        "country",
        "parent",
        "alias_count",
        review_state,
    ]
    list_filter = [ReviewFilter, "kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country", "parent"]
    search_fields = ["name", "abbreviation", "slug", "aliases__name"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [OrganizationAliasInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "abbreviation",
                    "slug",
                    "kind",
                    "country",
                    "parent",
                    "needs_review",
                ]
            },
        ),
        *CURATION_FIELDSETS,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(alias_count=related_count(OrganizationAlias, "organization"))
        )

    @admin.display(description=_("aliases"), ordering="alias_count")
    def alias_count(self, obj):
        return obj.alias_count


@admin.register(OrganizationAlias)
class OrganizationAliasAdmin(CuratedAdmin):
    list_display = ["name", "organization", "language"]
    list_filter = ["language"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name", "organization__abbreviation"]
    autocomplete_fields = ["organization"]
