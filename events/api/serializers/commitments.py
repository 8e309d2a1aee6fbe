from events.models import Commitment, CommitmentStatusChange
from events.models.visibility import can_see_drafts

from .base import ModelSerializer
from .search import SearchResultsListSerializer, SearchSnippetMixin

__all__ = [
    "CommitmentNestedSerializer",
    "CommitmentSerializer",
    "CommitmentStatusChangeSerializer",
    "HidesDraftReaffirmsMixin",
]


class StatusChangeBriefSerializer(ModelSerializer):
    class Meta:
        model = CommitmentStatusChange
        fields = ["id", "status", "date", "note", "statement"]
        read_only_fields = fields


class HidesDraftReaffirmsMixin:
    """`reaffirms` names a commitment of a draft meeting to staff only; for others it is null.

    The viewsets load `reaffirms__meeting` with the commitment, so this costs no query.
    """

    def to_representation(self, instance):
        data = super().to_representation(instance)
        earlier = instance.reaffirms
        user = getattr(self.context.get("request"), "user", None)
        if (
            earlier is not None
            and not can_see_drafts(user)
            and earlier.meeting.status != "published"
        ):
            data["reaffirms"] = None
        return data


class CommitmentSerializer(HidesDraftReaffirmsMixin, SearchSnippetMixin, ModelSerializer):
    """A pledge by one side or an agreement of several, with its status history.

    `status` is read-only: it is the latest entry of `status_changes`, recorded with
    POST /api/v1/commitment-status-changes/. A new commitment starts pledged on its
    meeting's date.
    """

    status_changes = StatusChangeBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "slug",
            "meeting",
            "statement",
            "kind",
            "sides",
            "description",
            "topic",
            "status",
            "status_changes",
            "reaffirms",
            "snippet",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status"]
        list_serializer_class = SearchResultsListSerializer


class CommitmentNestedSerializer(HidesDraftReaffirmsMixin, ModelSerializer):
    """A commitment on its meeting's page."""

    class Meta:
        model = Commitment
        fields = [
            "id",
            "slug",
            "kind",
            "sides",
            "description",
            "topic",
            "status",
            "reaffirms",
            "statement",
        ]
        read_only_fields = fields


class CommitmentStatusChangeSerializer(ModelSerializer):
    """One step of a commitment's history. The history is append-only: POST records a
    change and updates the commitment's `status` in the same transaction."""

    class Meta:
        model = CommitmentStatusChange
        fields = ["id", "commitment", "status", "date", "note", "statement", "created_at"]
