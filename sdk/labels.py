"""Label registry client: carbon labels (碳标识) issued and revoked by certifiers on chain."""

from sdk._labels import Label, LabelRegistryClient, LabelStatus, log_id_digest

__all__ = ["Label", "LabelRegistryClient", "LabelStatus", "log_id_digest"]
