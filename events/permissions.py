"""Permissions the admin and the API share."""

__all__ = ["IMPORT_PERMISSIONS"]

# Importing a readout adds a source and a draft meeting with its participants and statements,
# so it needs the right to add each: in the admin ("Import readout", and the links to it) and
# through the API (POST /api/v1/sources/ without `meetings`).
IMPORT_PERMISSIONS = (
    "events.add_sourcedocument",
    "events.add_meeting",
    "events.add_participant",
    "events.add_statement",
)
