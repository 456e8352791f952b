"""Label registry client: carbon labels (碳标识) issued, suspended, restored and revoked
by certifiers on chain."""

from sdk._labels import Label, LabelRegistryClient, LabelStatus, Suspension, log_id_digest

__all__ = ["Label", "LabelRegistryClient", "LabelStatus", "Suspension", "log_id_digest"]
