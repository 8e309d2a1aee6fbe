from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ..models import Person, PersonAlias, Position, Tenure
from .base import (
    CURATION_FIELDSETS,
    CuratedAdmin,
    CuratedInline,
    ReviewFilter,
    cache_choices,
    related_count,
    review_state,
)
from .widgets import KnownLabelsInlineMixin

__all__ = ["PersonAdmin", "PersonAliasAdmin", "PositionAdmin", "TenureAdmin"]

TENURE_DATE_FIELDS = [
    ("start_text", "start_precision", "start_earliest", "start_latest"),
    ("end_text", "end_precision", "end_earliest", "end_latest"),
]


class PersonAliasInline(CuratedInline, admin.TabularInline):
    model = PersonAlias
    fields = ["name", "language", "note"]
    extra = 1


class TenureInline(KnownLabelsInlineMixin, CuratedInline, admin.TabularInline):
    """The offices a person held; each end is a partial date (wording, precision, bounds),
    stacked in a narrow row (`compact.html`)."""

    model = Tenure
    fk_name = "person"
    template = "admin/events/edit_inline/compact.html"
    jinja2_rows = False  # the dates' widgets are the admin's, with Django templates only
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("position", "status"),
                    ("start_text", "start_precision"),
                    ("start_earliest", "start_latest"),
                    ("end_text", "end_precision"),
                    ("end_earliest", "end_latest"),
                    ("replaces",),
                ]
            },
        )
    ]
    # `position` is a select whose choices load once for all rows; an autocomplete widget
    # would look up each row's label.
    autocomplete_fields = ["replaces"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        # `Tenure.__str__` (the change link, the predecessor's label) names the person and
        # the office.
        return (
            super()
            .get_queryset(request)
            .select_related("person", "position", "replaces__person", "replaces__position")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "replaces":
            kwargs["queryset"] = Tenure.objects.select_related("person", "position")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return cache_choices(field) if db_field.name == "position" else field


@admin.register(Person)
class PersonAdmin(CuratedAdmin):
    list_display = ["name", "native_name", "country", "alias_names", "tenure_count", review_state]
    list_filter = [ReviewFilter, ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country"]
    search_fields = ["name", "native_name", "slug", "aliases__name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PersonAliasInline, TenureInline]
    fieldsets = [
        (None, {"fields": ["name", "native_name", "slug", "country", "needs_review"]}),
        *CURATION_FIELDSETS,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(tenure_count=related_count(Tenure, "person"))
            .prefetch_related(
                Prefetch("aliases", queryset=PersonAlias.objects.only("person_id", "name"))
            )
        )

    @admin.display(description=_("aliases"))
    def alias_names(self, obj):
        return ", ".join(alias.name for alias in obj.aliases.all())

    @admin.display(description=_("tenures"), ordering="tenure_count")
    def tenure_count(self, obj):
        return obj.tenure_count


@admin.register(PersonAlias)
class PersonAliasAdmin(CuratedAdmin):
    list_display = ["name", "person", "language", "note"]
    list_filter = ["language"]
    list_select_related = ["person"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]


@admin.register(Position)
class PositionAdmin(CuratedAdmin):
    list_display = ["title", "kind", "organization", "tenure_count", review_state]
    list_filter = [ReviewFilter, "kind", ("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organization"]
    search_fields = ["title", "slug", "organization__name", "organization__abbreviation"]
    autocomplete_fields = ["organization"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "organization", "needs_review"]}),
        *CURATION_FIELDSETS,
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(tenure_count=related_count(Tenure, "position"))
        )

    @admin.display(description=_("tenures"), ordering="tenure_count")
    def tenure_count(self, obj):
        return obj.tenure_count


@admin.register(Tenure)
class TenureAdmin(CuratedAdmin):
    list_display = [
        "person",
        "position",
        "organization",
        "status",
        "start_text",
        "start_earliest",
        "end_text",
        "end_latest",
    ]
    list_filter = ["status", "start_earliest", "end_latest"]
    list_select_related = ["person", "position__organization"]
    search_fields = ["person__name", "person__aliases__name", "position__title"]
    autocomplete_fields = ["person", "position", "replaces"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["person", "position", "status", "replaces"]}),
        (_("Start"), {"fields": list(TENURE_DATE_FIELDS[0])}),
        (_("End"), {"fields": list(TENURE_DATE_FIELDS[1])}),
        *CURATION_FIELDSETS,
    ]

    @admin.display(description=_("organisation"), ordering="position__organization__name")
    def organization(self, obj):
        return obj.position.organization
