"""RFC 9162 Merkle tree hashing, proof generation and proof verification (pure).

Leaves are hashed as ``SHA-256(0x00 || data)`` and interior nodes as
``SHA-256(0x01 || left || right)`` (RFC 9162 §2.1.1), so an interior node can never be
presented as a leaf. Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 and adds the
checks the pseudocode leaves implicit: every hash is exactly 32 bytes, ``index < size``,
the proof has exactly the expected number of hashes, ``size1 <= size2``, equal sizes need
an empty proof and equal roots, and a consistency proof from the empty tree is empty.

Proof *generation* is written once, over ranges of leaves: :func:`inclusion_ranges` and
:func:`consistency_ranges` name the subtree ranges ``[start, end)`` whose hashes form the
proof, and :func:`range_pieces` splits any such range into complete (power-of-two,
aligned) subtrees. The pure functions here hash those ranges from a full list of leaf
hashes; the persistent log (``anchors._log``) reads the same complete subtrees from
storage, so both produce identical proofs.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from anchors.errors import ConsistencyProofError, InclusionProofError, ProofError

HASH_SIZE = 32
"""Size in bytes of every hash in the tree (SHA-256)."""

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""Root of the empty tree: ``SHA-256("")`` (RFC 9162 §2.1.1)."""

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 leaf hash ``SHA-256(0x00 || data)`` (always 32 bytes)."""
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 interior node hash ``SHA-256(0x01 || left || right)``.

    Raises :class:`~anchors.errors.ProofError` if either child is not 32 bytes, so a
    malformed child can never produce a plausible-looking parent.
    """
    if len(left) != HASH_SIZE or len(right) != HASH_SIZE:
        raise ProofError(
            f"node children must be {HASH_SIZE} bytes, got {len(left)} and {len(right)}"
        )
    return _sha256(NODE_PREFIX + left + right).digest()


def _largest_power_of_two_below(n: int) -> int:
    """Largest power of two strictly smaller than ``n`` (``n >= 2``): RFC 9162's ``k``."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """Return the RFC 9162 Merkle tree hash of a list of leaf hashes.

    The tree over ``n`` leaves splits at the largest power of two below ``n``; pairing
    adjacent nodes level by level and carrying an odd last node up unchanged builds
    exactly that tree. The empty list gives :data:`EMPTY_ROOT`. Raises
    :class:`~anchors.errors.ProofError` if a leaf hash is not 32 bytes.
    """
    for i, h in enumerate(hashes):
        if len(h) != HASH_SIZE:
            raise ProofError(f"leaf hash {i} is {len(h)} bytes, expected {HASH_SIZE}")
    if not hashes:
        return EMPTY_ROOT
    return _root_unchecked(list(hashes))


def _root_unchecked(level: list[bytes]) -> bytes:
    """Root of a non-empty list of 32-byte hashes (no validation: internal hot path)."""
    sha = _sha256
    prefix = NODE_PREFIX
    while len(level) > 1:
        nxt = [sha(prefix + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


# --- proof plans: which subtree ranges make up a proof -------------------------------


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges ``[start, end)`` whose subtree hashes form the inclusion proof.

    Follows RFC 9162 §2.1.3.1 ``PATH(m, D[n])``; the list is in proof order (the sibling
    nearest the leaf first). Requires ``0 <= index < size``.
    """
    out: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if index < lo + k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo = lo + k
    out.reverse()
    return out


def consistency_ranges(size1: int, size2: int) -> list[tuple[int, int]]:
    """Leaf ranges ``[start, end)`` whose subtree hashes form the consistency proof.

    Follows RFC 9162 §2.1.4.1 ``SUBPROOF(m, D[n], b)``; the list is in proof order.
    Requires ``0 < size1 < size2`` (the other cases have an empty proof).
    """
    out: list[tuple[int, int]] = []
    lo, hi = 0, size2
    whole = True  # the "b" flag: still on the subtree that is the old tree itself
    while size1 != hi:
        k = _largest_power_of_two_below(hi - lo)
        if size1 - lo <= k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo = lo + k
            whole = False
    if not whole:
        out.append((lo, hi))
    out.reverse()
    return out


def range_pieces(start: int, end: int) -> list[tuple[int, int]]:
    """Split a proof range into complete subtrees, as ``(level, index)`` node keys.

    Node ``(level, index)`` covers leaves ``[index * 2**level, (index + 1) * 2**level)``.
    Every range produced by :func:`inclusion_ranges` / :func:`consistency_ranges` (and
    ``[0, size)``) starts at a multiple of a power of two at least its length, so it is
    the concatenation of complete subtrees of decreasing size, one per set bit of its
    length. Its hash is those pieces folded right to left (see :func:`fold_pieces`).
    """
    pieces: list[tuple[int, int]] = []
    pos = start
    remaining = end - start
    while remaining:
        level = remaining.bit_length() - 1
        pieces.append((level, pos >> level))
        pos += 1 << level
        remaining -= 1 << level
    return pieces


def fold_pieces(hashes: Sequence[bytes]) -> bytes:
    """Hash of a range from the hashes of its :func:`range_pieces`, largest first."""
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


# --- generation from a full list of leaf hashes ---------------------------------------


def _check_leaf_hashes(hashes: Sequence[bytes], error: type[ProofError]) -> None:
    for i, h in enumerate(hashes):
        if len(h) != HASH_SIZE:
            raise error(f"leaf hash {i} is {len(h)} bytes, expected {HASH_SIZE}")


def inclusion_proof_from_leaf_hashes(hashes: Sequence[bytes], index: int) -> list[bytes]:
    """Return the RFC 9162 inclusion proof for leaf ``index`` in the tree of ``hashes``.

    O(n): it hashes the whole list. Raises :class:`~anchors.errors.InclusionProofError`
    if ``index`` is outside ``[0, len(hashes))`` or a leaf hash is not 32 bytes.
    """
    size = len(hashes)
    if not 0 <= index < size:
        raise InclusionProofError(f"index {index} is outside a tree of size {size}")
    _check_leaf_hashes(hashes, InclusionProofError)
    return [_root_unchecked(list(hashes[a:b])) for a, b in inclusion_ranges(index, size)]


def consistency_proof_from_leaf_hashes(hashes: Sequence[bytes], size1: int) -> list[bytes]:
    """Return the RFC 9162 consistency proof from size ``size1`` to ``len(hashes)``.

    The proof is empty when ``size1 == 0`` or ``size1 == len(hashes)``. O(n). Raises
    :class:`~anchors.errors.ConsistencyProofError` if ``size1`` is outside
    ``[0, len(hashes)]`` or a leaf hash is not 32 bytes.
    """
    size2 = len(hashes)
    if not 0 <= size1 <= size2:
        raise ConsistencyProofError(f"size1 {size1} is outside [0, {size2}]")
    _check_leaf_hashes(hashes, ConsistencyProofError)
    if size1 in (0, size2):
        return []
    return [_root_unchecked(list(hashes[a:b])) for a, b in consistency_ranges(size1, size2)]


# --- verification ----------------------------------------------------------------------


def inclusion_proof_length(index: int, size: int) -> int:
    """Exact number of hashes in the inclusion proof of ``index`` in a tree of ``size``."""
    inner = (index ^ (size - 1)).bit_length()
    border = (index >> inner).bit_count()
    return inner + border


def consistency_proof_length(size1: int, size2: int) -> int:
    """Exact number of hashes in the consistency proof between two sizes.

    Zero when ``size1 == 0`` or ``size1 == size2``; otherwise requires ``size1 < size2``.
    """
    if size1 in (0, size2):
        return 0
    shift = (size1 & -size1).bit_length() - 1  # trailing zeros of size1
    inner = ((size1 - 1) ^ (size2 - 1)).bit_length() - shift
    border = ((size1 - 1) >> (inner + shift)).bit_count()
    seed = 0 if size1 == 1 << shift else 1
    return seed + inner + border


def _check_hash(value: bytes, what: str, error: type[ProofError], step: str) -> None:
    if len(value) != HASH_SIZE:
        raise error(f"{step}: {what} must be {HASH_SIZE} bytes, got {len(value)}")


def root_from_inclusion_proof(
    leaf_hash: bytes,
    index: int,
    size: int,
    proof: Sequence[bytes],
    *,
    memo: dict[bytes, bytes] | None = None,
) -> bytes:
    """The root that an RFC 9162 inclusion proof of ``leaf_hash`` at ``index`` leads to.

    The one Merkle walk of Tanji (RFC 9162 §2.1.3.2): :func:`verify_inclusion` and the
    claims-tree check of a disclosure both call it. The caller compares the result with
    the root it trusts. ``memo`` maps interior-node inputs (``0x01 || left || right``) to
    their hashes, for a caller walking several paths of one tree (a disclosure), whose
    upper nodes are shared. Raises :class:`~anchors.errors.InclusionProofError` at step 1
    when ``index`` is not below ``size``, a hash is not 32 bytes, or the proof does not
    have exactly the length the tree shape requires.
    """
    err = InclusionProofError
    # (1) inputs well formed: index < size, every hash 32 bytes (the proof's checked as
    # the walk reads them), exact proof length.
    if not 0 <= index < size:
        if size < 0 or index < 0:
            raise err(f"step 1 (range): negative index {index} or size {size}")
        raise err(f"step 1 (range): index {index} is not below tree size {size}")
    if len(leaf_hash) != HASH_SIZE:
        _check_hash(leaf_hash, "leaf hash", err, "step 1 (hash sizes)")
    want = inclusion_proof_length(index, size)
    if len(proof) != want:
        raise err(
            f"step 1 (proof length): proof has {len(proof)} hashes, "
            f"expected {want} for index {index} in size {size}"
        )
    # (2) recompute the root along the path: a right child hashes with its left sibling;
    # past the split from the last leaf, the path climbs the tree's right border.
    sha = _sha256
    prefix = NODE_PREFIX
    fn, sn = index, size - 1
    r = bytes(leaf_hash)
    for p in proof:
        if len(p) != HASH_SIZE:
            _check_hash(p, f"proof[{list(proof).index(p)}]", err, "step 1 (hash sizes)")
        if fn & 1 or fn == sn:
            data = prefix + p + r
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            data = prefix + r + p
        fn >>= 1
        sn >>= 1
        if memo is None:
            r = sha(data).digest()
        else:
            node = memo.get(data)
            if node is None:
                node = memo[data] = sha(data).digest()
            r = node
    return r


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` with ``root``.

    Returns ``None`` on success and guarantees the proof had exactly the right length.
    Raises :class:`~anchors.errors.InclusionProofError` naming the failed step otherwise:
    step 1 (see :func:`root_from_inclusion_proof`) or step 3 (the recomputed root is not
    ``root``).
    """
    err = InclusionProofError
    _check_hash(root, "root", err, "step 1 (hash sizes)")
    # (1)-(2) well-formed inputs, the root the path leads to.
    r = root_from_inclusion_proof(leaf_hash, index, size, proof)
    # (3) the recomputed root equals the expected root.
    if not hmac.compare_digest(r, bytes(root)):
        raise err(f"step 3 (root): recomputed root {r.hex()} != expected {bytes(root).hex()}")


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of ``size2``/``root2`` extends the tree of ``size1``/``root1``.

    Returns ``None`` on success. The degenerate cases are strict: equal sizes need an
    empty proof and equal roots (and the empty root when both are 0); ``size1 == 0``
    needs an empty proof and ``root1`` equal to :data:`EMPTY_ROOT`. Raises
    :class:`~anchors.errors.ConsistencyProofError` naming the failed step otherwise.
    """
    err = ConsistencyProofError
    # (1) inputs well formed.
    if size1 < 0 or size2 < 0:
        raise err(f"step 1 (range): negative size {size1} or {size2}")
    if size1 > size2:
        raise err(f"step 1 (range): size1 {size1} is greater than size2 {size2}")
    _check_hash(root1, "root1", err, "step 1 (hash sizes)")
    _check_hash(root2, "root2", err, "step 1 (hash sizes)")
    for i, p in enumerate(proof):
        _check_hash(p, f"proof[{i}]", err, "step 1 (hash sizes)")
    want = consistency_proof_length(size1, size2)
    if len(proof) != want:
        raise err(
            f"step 1 (proof length): proof has {len(proof)} hashes, "
            f"expected {want} from size {size1} to {size2}"
        )
    r1, r2 = bytes(root1), bytes(root2)
    # (2) degenerate cases: nothing to recompute.
    if size1 == size2:
        if not hmac.compare_digest(r1, r2):
            raise err(f"step 2 (equal sizes): roots differ for size {size1}")
        if size1 == 0 and not hmac.compare_digest(r1, EMPTY_ROOT):
            raise err("step 2 (equal sizes): root of the empty tree is not SHA-256('')")
        return
    if size1 == 0:
        if not hmac.compare_digest(r1, EMPTY_ROOT):
            raise err("step 2 (empty old tree): root1 is not the empty tree root")
        return
    # (3) RFC 9162 §2.1.4.2: recompute both roots from the proof.
    path = [bytes(p) for p in proof]
    if size1 & (size1 - 1) == 0:
        path.insert(0, r1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:  # unreachable after the length check; kept as the RFC's own guard
            raise err("step 3 (path): proof is longer than the path")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise err("step 3 (path): proof does not reach the new root")
    # (4) both recomputed roots equal the expected ones.
    if not hmac.compare_digest(fr, r1):
        raise err(f"step 4 (old root): recomputed {fr.hex()} != root1 {r1.hex()}")
    if not hmac.compare_digest(sr, r2):
        raise err(f"step 4 (new root): recomputed {sr.hex()} != root2 {r2.hex()}")
