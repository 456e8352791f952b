"""Checking that a log head is anchored on chain, or consistent with an anchored head."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Protocol

from anchors._merkle import verify_consistency
from anchors.chain._registry import AnchoredHead
from anchors.errors import ConsistencyProofError, NotAnchored

ConsistencyProver = Callable[[int, int], list[bytes]]
"""``prove(size1, size2)``: the RFC 9162 consistency proof between two sizes of the log
(typically from the log's node; untrusted, it is verified)."""


class AnchorReader(Protocol):
    """What :func:`verify_anchored` reads from the chain (an AnchorRegistryClient)."""

    def first_at_or_above(self, log_id: str, size: int) -> AnchoredHead | None: ...

    def latest(self, log_id: str) -> AnchoredHead | None: ...


def verify_anchored(
    registry: AnchorReader,
    log_id: str,
    size: int,
    root: bytes,
    consistency_proof: ConsistencyProver,
) -> AnchoredHead:
    """Check that head (``size``, ``root``) of ``log_id`` is backed by the chain.

    Passes when the head is anchored exactly, or when the first anchored head at or above
    ``size`` extends it, as shown by ``consistency_proof(size, anchored.size)`` verified
    here. Returns that anchored head (its ``timestamp`` is when ``size`` was first covered
    on chain). Raises :class:`~anchors.errors.NotAnchored` when no anchored head covers
    ``size`` or the head anchored at ``size`` has another root, and
    :class:`~anchors.errors.ConsistencyProofError` when the proof does not verify; chain
    errors (ChainUnavailable, …) pass through.
    """
    # (1) Well-formed head.
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise NotAnchored(f"step 1 (head): size {size!r} is not a positive integer")
    if not isinstance(root, bytes | bytearray) or len(root) != 32:
        raise NotAnchored("step 1 (head): root is not 32 bytes")
    # (2) The chain holds a head covering it.
    anchored = registry.first_at_or_above(log_id, size)
    if anchored is None:
        latest = registry.latest(log_id)
        have = "nothing is anchored" if latest is None else f"latest is size {latest.size}"
        raise NotAnchored(
            f"step 2 (covering head): no head of log {log_id!r} at or above size {size} "
            f"is anchored ({have})"
        )
    # (3) Exactly anchored: the roots must agree.
    if anchored.size == size:
        if not hmac.compare_digest(bytes(root), anchored.root):
            raise NotAnchored(
                f"step 3 (same size): log {log_id!r} anchored size {size} with root "
                f"{anchored.root.hex()}, not {bytes(root).hex()}"
            )
        return anchored
    # (4) Otherwise the anchored head must extend this one.
    proof = consistency_proof(size, anchored.size)
    try:
        verify_consistency(size, anchored.size, bytes(root), anchored.root, proof)
    except ConsistencyProofError as exc:
        raise ConsistencyProofError(
            f"step 4 (consistency): head {size} of log {log_id!r} is not a prefix of "
            f"the head anchored at size {anchored.size}: {exc}"
        ) from exc
    return anchored
