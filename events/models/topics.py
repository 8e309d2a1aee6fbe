from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.history import CurationHistory

from .base import NaturalKeyManager, TimestampedModel, chain_errors

__all__ = ["Topic"]


class TopicQuerySet(models.QuerySet):
    def with_descendants(self, topics) -> set[int]:
        """Ids of the given topics and every topic below them.

        The topic tree is small (tens of rows), so one query and a walk in Python beat a
        recursive CTE that SQLite and PostgreSQL would spell differently.
        """
        children: dict[int | None, list[int]] = {}
        for topic_id, parent_id in self.model.objects.values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(topic_id)
        found: set[int] = set()
        stack = [topic.pk for topic in topics]
        while stack:
            topic_id = stack.pop()
            if topic_id not in found:
                found.add(topic_id)
                stack.extend(children.get(topic_id, []))
        return found


class TopicManager(NaturalKeyManager.from_queryset(TopicQuerySet)):
    pass


class Topic(TimestampedModel):
    """A subject of cooperation or dispute; topics form a tree (health > traditional medicine)."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    description = models.TextField(blank=True)
    keywords = models.TextField(
        blank=True,
        help_text=_(
            "One word or phrase per line. The readout parser tags a statement with this topic "
            "when its text contains one (whole words, case and accents ignored) or the name."
        ),
    )

    objects = TopicManager("slug")
    history = CurationHistory()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message=_("A topic cannot be its own parent."),
            ),
        ]

    constraint_error_fields = {"not_own_parent": "parent"}

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = chain_errors(
            self,
            "parent",
            itself=_("A topic cannot be its own parent."),
            cycle=_("A topic cannot sit below itself."),
        )
        if errors:
            raise ValidationError(errors)

    def natural_key(self):
        return (self.slug,)
