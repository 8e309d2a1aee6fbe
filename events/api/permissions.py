"""Who may do what: anyone reads, users with the model's Django permissions write."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly

__all__ = ["CommitmentStatusPermission", "ModelPermissions"]


class ModelPermissions(DjangoModelPermissionsOrAnonReadOnly):
    """The settings' default, named here so viewsets that extend it say what they add."""


class CommitmentStatusPermission(ModelPermissions):
    """Recording a status change also rewrites the commitment's `status`: it needs both rights."""

    perms_map = {
        **ModelPermissions.perms_map,
        "POST": [
            "%(app_label)s.add_%(model_name)s",
            "%(app_label)s.change_commitment",
        ],
    }
