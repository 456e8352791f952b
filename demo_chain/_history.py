"""A dishonest log operator: rewrite one entry of the node's log directly in its database.

This is what an operator with write access to the store could do behind the node's back.
It replaces the entry's leaf bytes and rebuilds the stored Merkle tree so the node serves
a self-consistent rewritten log; the chain still holds the old heads, so the next anchor
is refused and every inclusion proof stops leading to an anchored root.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import create_engine, delete, select, update

from anchors import LOG_METADATA, MerkleLog, SqlLogStore, leaf_hash
from demo_chain._world import LOG_ID, World
from node import NODE_METADATA
from sdk import canonical_json

# The published table definitions (through the packages' metadata, not their internals).
log_heads = LOG_METADATA.tables["anchors_log_heads"]
log_tiles = LOG_METADATA.tables["anchors_log_tiles"]
attestations = NODE_METADATA.tables["attestations"]


def rewrite_leaf(world: World, attestation_id: str) -> tuple[int, bytes]:
    """Replace the entry of ``attestation_id`` with an edited statement; return its index
    and the true leaf (for :func:`restore_leaf`).

    The edited statement keeps its old signature (the operator cannot sign for the
    issuer) but commits to other claims. Raises :class:`LookupError` if the node does not
    hold the attestation.
    """

    def forge(leaf: bytes) -> bytes:
        doc = json.loads(leaf)
        doc["statement"]["commitment"] = "00" * 32
        return canonical_json(doc)

    return _replace_leaf(world, attestation_id, forge)


def restore_leaf(world: World, attestation_id: str, leaf: bytes) -> None:
    """Put the true ``leaf`` of ``attestation_id`` back (the demo undoes its operator's
    rewrite, so the node it leaves running serves the honest log again)."""
    _replace_leaf(world, attestation_id, lambda _forged: leaf)


def _replace_leaf(
    world: World, attestation_id: str, new_leaf: Callable[[bytes], bytes]
) -> tuple[int, bytes]:
    """Store ``new_leaf(old)`` as the entry of ``attestation_id`` and rebuild the stored
    tree; returns the index and the old leaf."""
    engine = create_engine(world.database_url)
    try:
        with engine.begin() as conn:
            row = conn.execute(
                select(attestations.c.leaf_index, attestations.c.leaf).where(
                    attestations.c.id == attestation_id
                )
            ).first()
            if row is None:
                raise LookupError(f"the node holds no attestation {attestation_id}")
            index, old = int(row.leaf_index), bytes(row.leaf)
            replaced = new_leaf(old)
            store = SqlLogStore(engine, LOG_ID).bind(conn)
            log = MerkleLog(store)
            hashes = [log.leaf_hash_at(i) for i in range(log.size)]
            hashes[index] = leaf_hash(replaced)
            conn.execute(delete(log_tiles).where(log_tiles.c.log_id == LOG_ID))
            conn.execute(delete(log_heads).where(log_heads.c.log_id == LOG_ID))
            MerkleLog(SqlLogStore(engine, LOG_ID).bind(conn)).append_leaf_hashes(hashes)
            conn.execute(
                update(attestations)
                .where(attestations.c.id == attestation_id)
                .values(leaf=replaced)
            )
        return index, old
    finally:
        engine.dispose()
