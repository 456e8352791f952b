"""Participant registry client: organisations, accounts, roles and key histories on chain."""

from sdk._registry import (
    KeyRecord,
    KeyType,
    Organisation,
    ParticipantRegistryClient,
    RevocationReason,
    Role,
    RoleRecord,
    org_id_digest,
)

__all__ = [
    "KeyRecord",
    "KeyType",
    "Organisation",
    "ParticipantRegistryClient",
    "RevocationReason",
    "Role",
    "RoleRecord",
    "org_id_digest",
]
