"""Who may do what: anyone reads, users with the model's Django permissions write."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly

__all__ = ["CommitmentStatusPermission", "ModelPermissions"]


class ModelPermissions(DjangoModelPermissionsOrAnonReadOnly):
    """The default (settings.REST_FRAMEWORK): anyone reads, writers need the model's permissions."""


class CommitmentStatusPermission(ModelPermissions):
    """Recording a status change also rewrites the commitment's `status`: it needs both rights."""

    perms_map = {
        **ModelPermissions.perms_map,
        "POST": [
            "%(app_label)s.add_%(model_name)s",
            "%(app_label)s.change_commitment",
        ],
    }
