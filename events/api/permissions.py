"""Who may do what: anyone reads, users with the model's Django permissions write."""

from collections.abc import Mapping

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly

from events.permissions import IMPORT_PERMISSIONS

__all__ = ["CommitmentStatusPermission", "ModelPermissions", "SourcePermission"]


class ModelPermissions(DjangoModelPermissionsOrAnonReadOnly):
    """The default (settings.REST_FRAMEWORK): anyone reads, writers need the model's permissions."""

    def _queryset(self, view):
        # DRF asks the view for its queryset only to learn the model: the bare `queryset`
        # spares building the reader's visibility filters a second time on every request.
        if getattr(view, "queryset", None) is not None:
            return view.queryset
        return super()._queryset(view)


class CommitmentStatusPermission(ModelPermissions):
    """Recording a status change also rewrites the commitment's `status`: it needs both rights."""

    perms_map = {
        **ModelPermissions.perms_map,
        "POST": [
            "%(app_label)s.add_%(model_name)s",
            "%(app_label)s.change_commitment",
        ],
    }


class SourcePermission(ModelPermissions):
    """Creating a source without `meetings` imports it as a readout, which also adds a draft
    meeting, its participants and statements: that needs the right to add each as well."""

    message = None

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        # The viewset's "create" action is its POST on the list (an OPTIONS request that
        # describes that POST is the "metadata" action, and imports nothing).
        importing = view.action == "create" and self._imports(request)
        if importing and not request.user.has_perms(IMPORT_PERMISSIONS):
            self.message = (
                "Importing a readout also adds a draft meeting, its participants and "
                "statements: it needs the permissions to add them."
            )
            return False
        return True

    @staticmethod
    def _imports(request) -> bool:
        data = request.data
        return isinstance(data, Mapping) and not data.get("meetings")
