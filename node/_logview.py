"""The log resource: checkpoints with their anchors, proofs, entry ranges and receipts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from node._anchoring import ANCHORED
from node._log import LogAccess
from node._tables import attestations, checkpoints
from node._util import b64, rfc3339
from node.errors import InvalidInput, NotFound
from sdk import loads_strict


def checkpoint_view(row: Any) -> dict[str, Any]:
    """JSON of a checkpoint row: size, root, signed note, and its anchor once anchored."""
    anchor = None
    if row.status == ANCHORED and row.tx_hash is not None:
        anchor = {
            "chainId": int(row.chain_id),
            "contract": row.contract,
            "txHash": row.tx_hash,
            "blockNumber": int(row.block_number),
            "logId": row.log_id,
        }
    return {
        "logId": row.log_id,
        "size": int(row.size),
        "root": b64(bytes(row.root)),
        "checkpoint": row.note,
        "status": row.status,
        "anchor": anchor,
        "anchoredAt": None if row.anchored_at is None else rfc3339(row.anchored_at),
    }


class LogView:
    """Read side of the log; every method is public (no authentication)."""

    def __init__(self, engine: Engine, log: LogAccess, max_range: int) -> None:
        self._engine = engine
        self._log = log
        self._max_range = max_range

    def summary(self) -> dict[str, Any]:
        """Log id, size and the latest anchored checkpoint (or null)."""
        latest = self._latest()
        return {
            "logId": self._log.log_id,
            "size": self._log.size(),
            "latestCheckpoint": None if latest is None else checkpoint_view(latest),
        }

    def _latest(self) -> Any:
        with self._engine.connect() as conn:
            return conn.execute(
                select(checkpoints)
                .where(checkpoints.c.log_id == self._log.log_id, checkpoints.c.status == ANCHORED)
                .order_by(checkpoints.c.size.desc())
                .limit(1)
            ).first()

    def latest_checkpoint(self) -> dict[str, Any]:
        """The newest anchored checkpoint; :class:`NotFound` before the first anchor."""
        row = self._latest()
        if row is None:
            raise NotFound("no checkpoint has been anchored yet", code="not_anchored")
        return checkpoint_view(row)

    def checkpoints(self, limit: int, before: int | None) -> list[dict[str, Any]]:
        """Anchored checkpoints, newest first; ``before`` pages by size."""
        if not 1 <= limit <= self._max_range:
            raise InvalidInput(f"limit must be in [1, {self._max_range}]")
        query = select(checkpoints).where(
            checkpoints.c.log_id == self._log.log_id, checkpoints.c.status == ANCHORED
        )
        if before is not None:
            query = query.where(checkpoints.c.size < before)
        with self._engine.connect() as conn:
            rows = conn.execute(query.order_by(checkpoints.c.size.desc()).limit(limit)).all()
        return [checkpoint_view(r) for r in rows]

    def checkpoint(self, size: int) -> dict[str, Any]:
        """The checkpoint of tree size ``size``; :class:`NotFound` if none was made."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(checkpoints).where(
                    checkpoints.c.log_id == self._log.log_id, checkpoints.c.size == size
                )
            ).first()
        if row is None:
            raise NotFound(f"no checkpoint of size {size}")
        return checkpoint_view(row)

    def inclusion(self, index: int, size: int) -> dict[str, Any]:
        """Inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
        proof = self._log.inclusion_proof(index, size)
        return {
            "logId": self._log.log_id,
            "index": index,
            "size": size,
            "leafHash": b64(self._log.leaf_hash_at(index)),
            "proof": [b64(h) for h in proof],
        }

    def consistency(self, size1: int, size2: int) -> dict[str, Any]:
        """Consistency proof from ``size1`` to ``size2``."""
        proof = self._log.consistency_proof(size1, size2)
        return {
            "logId": self._log.log_id,
            "from": size1,
            "to": size2,
            "proof": [b64(h) for h in proof],
        }

    def entries(self, start: int, end: int) -> list[dict[str, Any]]:
        """Entries ``[start, end)`` (at most ``max_range``) with ids and signed statements."""
        size = self._log.size()
        if not 0 <= start < end:
            raise InvalidInput("need 0 <= start < end", code="out_of_range")
        if end - start > self._max_range:
            raise InvalidInput(f"at most {self._max_range} entries per request")
        if end > size:
            raise InvalidInput(f"end {end} is past the log size {size}", code="out_of_range")
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(attestations.c.id, attestations.c.leaf_index, attestations.c.leaf)
                .where(
                    attestations.c.log_id == self._log.log_id,
                    attestations.c.leaf_index >= start,
                    attestations.c.leaf_index < end,
                )
                .order_by(attestations.c.leaf_index)
            ).all()
        return [
            {
                "index": int(r.leaf_index),
                "id": r.id,
                "signedStatement": loads_strict(r.leaf, "leaf"),
            }
            for r in rows
        ]

    def receipt(self, attestation_id: str, leaf: bytes, index: int) -> dict[str, Any]:
        """The receipt of an attestation: proof to the first anchored checkpoint covering it.

        Raises :class:`NotFound` (code ``not_anchored``) until such a checkpoint exists.
        """
        with self._engine.connect() as conn:
            row = conn.execute(
                select(checkpoints)
                .where(
                    checkpoints.c.log_id == self._log.log_id,
                    checkpoints.c.status == ANCHORED,
                    checkpoints.c.size > index,
                )
                .order_by(checkpoints.c.size)
                .limit(1)
            ).first()
        if row is None or row.tx_hash is None:
            raise NotFound(f"attestation {attestation_id} is not anchored yet", code="not_anchored")
        size = int(row.size)
        # sdk.Receipt version 2: the anchor names chain and log only (both bound by the
        # checkpoint's origin); the transaction stays in the checkpoint listing.
        return {
            "type": "tanji.receipt",
            "version": 2,
            "signedStatement": loads_strict(leaf, "leaf"),
            "leafIndex": index,
            "inclusionProof": [b64(h) for h in self._log.inclusion_proof(index, size)],
            "checkpoint": row.note,
            "anchor": {"chainId": int(row.chain_id), "logId": row.log_id},
        }
