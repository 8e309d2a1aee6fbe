"""`GET /api/v1/{resource}/{id}/history/`: a record's versions with what each changed."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import pagination, serializers

from events.history import TYPE_NAMES, changes_between, entry_values, links_of

__all__ = ["HistoryEntrySerializer", "HistoryPagination", "history_with_changes"]


class HistoryPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


def history_with_changes(entries) -> list:
    """Each entry with `changes` against the version before it (read in one more query)."""
    entries = list(entries)
    if not entries:
        return entries
    model = entries[0].instance_type
    oldest = entries[-1]
    before = (
        type(oldest)
        .objects.filter(**{model._meta.pk.attname: getattr(oldest, model._meta.pk.attname)})
        .filter(history_date__lte=oldest.history_date)
        .exclude(history_id=oldest.history_id)
        .order_by("-history_date", "-history_id")
        .first()
    )
    chain = [*entries, before] if before is not None else entries
    links = links_of(chain, model)
    values = [entry_values(entry, links[entry.history_id]) for entry in chain]
    for index, entry in enumerate(entries):
        older = values[index + 1] if index + 1 < len(values) else None
        entry.changes = changes_between(older, values[index])
    return entries


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    history_id = serializers.IntegerField(help_text="This version's id in the history.")
    date = serializers.DateTimeField(source="history_date")
    type = serializers.SerializerMethodField(help_text="created, changed or deleted.")
    user = serializers.SerializerMethodField(
        help_text="Who made the change (shown to curators; null for others and for commands)."
    )
    channel = serializers.CharField(source="history_channel")
    changeset = serializers.UUIDField(
        source="history_changeset",
        allow_null=True,
        help_text="Shared by the changes one request or command made.",
    )
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    version = serializers.IntegerField(help_text="The record's version after this change.")
    changes = ChangeSerializer(many=True)

    @extend_schema_field({"type": "string", "enum": list(TYPE_NAMES.values())})
    def get_type(self, entry) -> str:
        return TYPE_NAMES[entry.history_type]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_user(self, entry):
        if not self.context.get("show_users") or entry.history_user is None:
            return None
        return entry.history_user.get_username()
