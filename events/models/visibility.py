"""Who may see unpublished records: the one rule, and the queryset every reader goes through.

A meeting is public once published. Records that hang on a meeting (participants,
statements, commitments, sources, status changes, relationship levels traced to a
statement) are public when their meeting is. Records an import creates for a draft
(people, places, gatherings, organisations and offices, flagged `needs_review`) are public
once a published meeting uses them or a curator clears the flag, and so are their aliases
and tenures. Everyone else's rows (countries, topics, curated reference data) are public.

Curators see everything: whoever may view, add or change meetings may read the drafts they
work on (so nobody creates a draft and then gets a 404 on it).

`visible_to(user)` on every domain queryset is the single hook: the API's viewsets, filters,
related fields and nested lists, and the admin's pages all call it.
"""

from django.db import models

__all__ = ["DRAFT_READER_PERMISSIONS", "VisibleQuerySet", "can_see_drafts", "visible"]

DRAFT_READER_PERMISSIONS = ("events.view_meeting", "events.add_meeting", "events.change_meeting")

PUBLISHED = "published"  # Meeting.Status.PUBLISHED, without importing meetings.py here


def can_see_drafts(user) -> bool:
    if user is None or not user.is_active or not user.is_authenticated:
        return False
    return user.is_superuser or any(user.has_perm(perm) for perm in DRAFT_READER_PERMISSIONS)


class VisibleQuerySet(models.QuerySet):
    """A queryset that knows which of its rows are public."""

    def visible_to(self, user):
        return self if can_see_drafts(user) else self.public()

    def public(self):
        """The rows anyone may read; subclasses narrow it."""
        return self


def visible(queryset, user):
    """`queryset` narrowed to what `user` may see, for models that draw that line."""
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset
