import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Commitment, CommitmentStatusChange

from .base import ModelSerializer, iso_date, iso_datetime
from .search import SearchResultsListSerializer, SearchSnippetMixin

__all__ = [
    "CommitmentBriefSerializer",
    "CommitmentDetailSerializer",
    "CommitmentNestedSerializer",
    "CommitmentSerializer",
    "CommitmentStatusChangeSerializer",
    "RecurringCommitmentSerializer",
]


class StatusChangeBriefSerializer(ModelSerializer):
    class Meta:
        model = CommitmentStatusChange
        fields = ["id", "status", "date", "note", "statement"]
        read_only_fields = fields


class CommitmentBriefSerializer(ModelSerializer):
    """A commitment in a chain: what, by whom, when, and where it stands."""

    date = serializers.DateField(source="meeting.date", read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "slug", "meeting", "date", "kind", "sides", "description", "status"]
        read_only_fields = fields


class CommitmentSerializer(SearchSnippetMixin, ModelSerializer):
    """A pledge by one side or an agreement of several, with its status history.

    `status` is read-only: it is the latest effective entry of `status_changes`, recorded
    with POST /api/v1/commitment-status-changes/. A new commitment starts pledged on its
    meeting's date. `reaffirms` lists the earlier commitments it repeats, `reaffirmed_by`
    the later ones that repeat it (each as far as the reader may see).
    """

    status_changes = StatusChangeBriefSerializer(many=True, read_only=True)
    reaffirmed_by = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="Later commitments that reaffirm this one.",
    )

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
            "topics",
            "status",
            "status_changes",
            "reaffirms",
            "reaffirmed_by",
            "snippet",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status"]
        extra_kwargs = {"topics": {"required": False}, "reaffirms": {"required": False}}
        list_serializer_class = SearchResultsListSerializer

    def to_representation(self, commitment):
        """Shaped by hand (the same bytes as the fields above, which still describe it in
        the schema): a page of 50 commitments with their status histories is some 1,000
        fields, and DRF's field-by-field walk over them was the largest cost after the queries."""
        if type(self) is not CommitmentSerializer:
            return super().to_representation(commitment)
        return {
            "id": commitment.id,
            "slug": commitment.slug,
            "meeting": commitment.meeting_id,
            "statement": commitment.statement_id,
            "kind": commitment.kind,
            "sides": [side.alpha3 for side in commitment.sides.all()],
            "description": commitment.description,
            "topics": [topic.slug for topic in commitment.topics.all()],
            "status": commitment.status,
            "status_changes": [
                {
                    "id": change.id,
                    "status": change.status,
                    "date": iso_date(change.date),
                    "note": change.note,
                    "statement": change.statement_id,
                }
                for change in commitment.status_changes.all()
            ],
            "reaffirms": [earlier.pk for earlier in commitment.reaffirms.all()],
            "reaffirmed_by": [later.pk for later in commitment.reaffirmed_by.all()],
            "snippet": getattr(commitment, "search_snippet", None),
            "created_at": iso_datetime(commitment.created_at),
            "updated_at": iso_datetime(commitment.updated_at),
        }

    def save_record(self, instance, *, relations, expected_version):
        if "reaffirms" in relations and not instance._state.adding:
            # Links to commitments the writer may not see stay: they could not list them.
            visible = Commitment.objects.visible_to(self.user)
            hidden = instance.reaffirms.exclude(pk__in=visible.values("pk"))
            relations["reaffirms"] = [*relations["reaffirms"], *hidden]
        return super().save_record(instance, relations=relations, expected_version=expected_version)


class CommitmentDetailSerializer(CommitmentSerializer):
    """A commitment's page: with the whole chain it belongs to, back and forward."""

    chain = serializers.SerializerMethodField(
        help_text="Every commitment linked to this one by reaffirmation, earlier and later "
        "(this one included), in the order of their meetings."
    )

    class Meta(CommitmentSerializer.Meta):
        fields = [*CommitmentSerializer.Meta.fields, "chain"]

    @extend_schema_field(CommitmentBriefSerializer(many=True))
    def get_chain(self, commitment) -> list:
        chain = Commitment.objects.chain_of(commitment).visible_to(self.user)
        chain = chain.select_related("meeting").prefetch_related("sides")
        return CommitmentBriefSerializer(chain, many=True, context=self.context).data


class RecurringCommitmentSerializer(serializers.Serializer):
    """A commitment that came back: the linked commitments, first to last."""

    times = serializers.SerializerMethodField(help_text="How many commitments the group holds.")
    first = serializers.SerializerMethodField(help_text="The date of its first meeting.")
    last = serializers.SerializerMethodField(help_text="The date of its latest meeting.")
    commitments = serializers.SerializerMethodField()

    def get_times(self, group) -> int:
        return len(group)

    def get_first(self, group) -> datetime.date:
        return serializers.DateField().to_representation(group[0].meeting.date)

    def get_last(self, group) -> datetime.date:
        return serializers.DateField().to_representation(group[-1].meeting.date)

    @extend_schema_field(CommitmentBriefSerializer(many=True))
    def get_commitments(self, group) -> list:
        return CommitmentBriefSerializer(group, many=True, context=self.context).data


class CommitmentNestedSerializer(ModelSerializer):
    """A commitment on its meeting's page."""

    class Meta:
        model = Commitment
        fields = [
            "id",
            "slug",
            "kind",
            "sides",
            "description",
            "topics",
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
