"""RFC 9162 hashing, proofs and verification, against the transparency-dev vectors."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import anchors
from anchors import (
    EMPTY_ROOT,
    consistency_proof_from_leaf_hashes,
    inclusion_proof_from_leaf_hashes,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)
from anchors._merkle import consistency_proof_length, inclusion_proof_length
from anchors.errors import ConsistencyProofError, InclusionProofError, ProofError

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "rfc9162"

# The classic CT/Trillian reference tree (ORIGIN.txt).
REFERENCE_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
REFERENCE_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

# One valid vector deliberately fails here: "sizes are equal (one) and proof is empty"
# uses 12-byte placeholder roots ("don't care 2"). The Go verifier only compares the two
# roots; this verifier also requires every hash to be 32 bytes, so it rejects it.
STRICTER_THAN_GO = {"consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"}


def _b64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


def _vector_files(kind: str) -> list[Path]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    assert files, f"no vectors under {VECTORS / kind}"
    return files


def _vid(path: Path) -> str:
    return str(path.relative_to(VECTORS))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_vector_counts() -> None:
    # ORIGIN.txt: directories 0..4 plus the edge cases; every file is exercised below.
    assert len(_vector_files("inclusion")) == 98
    assert len(_vector_files("consistency")) == 98


@pytest.mark.parametrize("path", _vector_files("inclusion"), ids=_vid)
def test_inclusion_vector(path: Path) -> None:
    v = _load(path)
    args = (
        _b64(v["leafHash"]),
        v["leafIdx"],
        v["treeSize"],
        [_b64(p) for p in v["proof"] or []],
        _b64(v["root"]),
    )
    if v["wantErr"]:
        with pytest.raises(InclusionProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", _vector_files("consistency"), ids=_vid)
def test_consistency_vector(path: Path) -> None:
    v = _load(path)
    args = (
        v["size1"],
        v["size2"],
        _b64(v["root1"]),
        _b64(v["root2"]),
        [_b64(p) for p in v["proof"] or []],
    )
    if v["wantErr"] or _vid(path) in STRICTER_THAN_GO:
        with pytest.raises(ConsistencyProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_stricter_vector_is_rejected_only_for_hash_size() -> None:
    v = _load(VECTORS / next(iter(STRICTER_THAN_GO)))
    assert not v["wantErr"]
    with pytest.raises(ConsistencyProofError, match="root1 must be 32 bytes, got 12"):
        verify_consistency(v["size1"], v["size2"], _b64(v["root1"]), _b64(v["root2"]), [])
    # The same case with real 32-byte roots verifies.
    root = leaf_hash(b"x")
    verify_consistency(1, 1, root, root, [])


def test_happy_path_vectors_are_regenerated() -> None:
    # Our generator reproduces the proofs in the happy-path vectors of the reference tree.
    hashes = [leaf_hash(d) for d in REFERENCE_LEAVES]
    for path in sorted((VECTORS / "inclusion").glob("[0-9]/happy-path.json")):
        v = _load(path)
        tree = hashes[: v["treeSize"]]
        assert root_from_leaf_hashes(tree) == _b64(v["root"])
        assert tree[v["leafIdx"]] == _b64(v["leafHash"])
        got = inclusion_proof_from_leaf_hashes(tree, v["leafIdx"])
        assert got == [_b64(p) for p in v["proof"] or []]
    for path in sorted((VECTORS / "consistency").glob("[0-9]/happy-path.json")):
        v = _load(path)
        tree = hashes[: v["size2"]]
        assert root_from_leaf_hashes(tree[: v["size1"]]) == _b64(v["root1"])
        assert root_from_leaf_hashes(tree) == _b64(v["root2"])
        got = consistency_proof_from_leaf_hashes(tree, v["size1"])
        assert got == [_b64(p) for p in v["proof"] or []]


def test_reference_tree_roots() -> None:
    hashes = [leaf_hash(d) for d in REFERENCE_LEAVES]
    for n, want in enumerate(REFERENCE_ROOTS, start=1):
        assert root_from_leaf_hashes(hashes[:n]).hex() == want
    assert root_from_leaf_hashes([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_hash_prefixes() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    left, right = leaf_hash(b"l"), leaf_hash(b"r")
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    with pytest.raises(ProofError, match="32 bytes"):
        node_hash(left, right[:31])
    with pytest.raises(ProofError, match="leaf hash 1 is 31 bytes"):
        root_from_leaf_hashes([left, right[:31]])


def test_second_preimage_interior_node_as_leaf_fails() -> None:
    data = [b"a", b"b", b"c", b"d"]

    # Control: without domain separation the attack works. The attacker submits the
    # children of an interior node as leaf data and "proves" it as leaf 0 of size 2.
    def h(b: bytes) -> bytes:
        return hashlib.sha256(b).digest()

    naive_leaves = [h(d) for d in data]
    naive_left, naive_right = (
        h(naive_leaves[0] + naive_leaves[1]),
        h(naive_leaves[2] + naive_leaves[3]),
    )
    naive_root = h(naive_left + naive_right)
    forged = naive_leaves[0] + naive_leaves[1]
    assert h(h(forged) + naive_right) == naive_root

    # RFC 9162: the same move fails, whatever size or position the attacker claims.
    hashes = [leaf_hash(d) for d in data]
    root = root_from_leaf_hashes(hashes)
    n01, n23 = node_hash(hashes[0], hashes[1]), node_hash(hashes[2], hashes[3])
    assert node_hash(n01, n23) == root
    forged = hashes[0] + hashes[1]  # the preimage of n01 without its 0x01 prefix
    assert leaf_hash(forged) != n01
    with pytest.raises(InclusionProofError, match="step 3"):
        verify_inclusion(leaf_hash(forged), 0, 2, [n23], root)
    for index in range(4):
        with pytest.raises(InclusionProofError):
            verify_inclusion(leaf_hash(forged), index, 4, [hashes[1], n23], root)
    # The interior node itself, presented as a leaf of the real (size 4) tree: rejected.
    with pytest.raises(InclusionProofError, match="proof length"):
        verify_inclusion(n01, 0, 4, [n23], root)
    with pytest.raises(InclusionProofError, match="step 3"):
        verify_inclusion(n01, 0, 4, [hashes[1], n23], root)


def test_inclusion_checks() -> None:
    hashes = [leaf_hash(bytes([i])) for i in range(7)]
    root = root_from_leaf_hashes(hashes)
    proof = inclusion_proof_from_leaf_hashes(hashes, 3)
    verify_inclusion(hashes[3], 3, 7, proof, root)
    with pytest.raises(InclusionProofError, match="index 7 is not below tree size 7"):
        verify_inclusion(hashes[3], 7, 7, proof, root)
    with pytest.raises(InclusionProofError, match="index 0 is not below tree size 0"):
        verify_inclusion(hashes[3], 0, 0, [], EMPTY_ROOT)
    with pytest.raises(InclusionProofError, match="proof has 4 hashes, expected 3"):
        verify_inclusion(hashes[3], 3, 7, [*proof, proof[0]], root)
    with pytest.raises(InclusionProofError, match="proof has 2 hashes, expected 3"):
        verify_inclusion(hashes[3], 3, 7, proof[:2], root)
    with pytest.raises(InclusionProofError, match=r"proof\[1\] must be 32 bytes"):
        verify_inclusion(hashes[3], 3, 7, [proof[0], proof[1] + b"\x00", proof[2]], root)
    with pytest.raises(InclusionProofError, match="root must be 32 bytes"):
        verify_inclusion(hashes[3], 3, 7, proof, root[:16])
    with pytest.raises(InclusionProofError, match="negative"):
        verify_inclusion(hashes[3], -1, 7, proof, root)
    with pytest.raises(InclusionProofError, match="outside a tree of size 7"):
        inclusion_proof_from_leaf_hashes(hashes, 7)


def test_consistency_checks() -> None:
    hashes = [leaf_hash(bytes([i])) for i in range(7)]
    r3, r7 = root_from_leaf_hashes(hashes[:3]), root_from_leaf_hashes(hashes)
    proof = consistency_proof_from_leaf_hashes(hashes, 3)
    verify_consistency(3, 7, r3, r7, proof)
    with pytest.raises(ConsistencyProofError, match="size1 7 is greater than size2 3"):
        verify_consistency(7, 3, r7, r3, proof)
    with pytest.raises(ConsistencyProofError, match="expected 0"):
        verify_consistency(7, 7, r7, r7, proof)
    with pytest.raises(ConsistencyProofError, match="roots differ"):
        verify_consistency(7, 7, r7, r3, [])
    verify_consistency(7, 7, r7, r7, [])
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    with pytest.raises(ConsistencyProofError, match="empty tree"):
        verify_consistency(0, 0, r7, r7, [])
    verify_consistency(0, 7, EMPTY_ROOT, r7, [])
    assert consistency_proof_from_leaf_hashes(hashes, 0) == []
    with pytest.raises(ConsistencyProofError, match="root1 is not the empty tree root"):
        verify_consistency(0, 7, r3, r7, [])
    with pytest.raises(ConsistencyProofError, match="expected 0 from size 0"):
        verify_consistency(0, 7, EMPTY_ROOT, r7, [r7])
    with pytest.raises(ConsistencyProofError, match="expected"):
        verify_consistency(3, 7, r3, r7, [*proof, proof[-1]])
    with pytest.raises(ConsistencyProofError, match="step 4 \\(old root\\)"):
        verify_consistency(3, 7, r7, r7, proof)
    with pytest.raises(ConsistencyProofError, match="step 4 \\(new root\\)"):
        verify_consistency(3, 7, r3, r3, proof)
    with pytest.raises(ConsistencyProofError, match="outside"):
        consistency_proof_from_leaf_hashes(hashes, 8)


@st.composite
def _tree_and_index(draw: st.DrawFn) -> tuple[list[bytes], int]:
    size = draw(st.integers(min_value=1, max_value=300))
    index = draw(st.integers(min_value=0, max_value=size - 1))
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(size)], index


@st.composite
def _tree_and_size1(draw: st.DrawFn) -> tuple[list[bytes], int]:
    size = draw(st.integers(min_value=1, max_value=300))
    size1 = draw(st.integers(min_value=1, max_value=size))
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(size)], size1


def _flip(blob: bytes, byte: int, bit: int) -> bytes:
    out = bytearray(blob)
    out[byte % len(out)] ^= 1 << bit
    return bytes(out)


@settings(max_examples=150, deadline=None)
@given(_tree_and_index(), st.data())
def test_property_inclusion(tree: tuple[list[bytes], int], data: st.DataObject) -> None:
    hashes, index = tree
    root = root_from_leaf_hashes(hashes)
    proof = inclusion_proof_from_leaf_hashes(hashes, index)
    assert len(proof) == inclusion_proof_length(index, len(hashes))
    verify_inclusion(hashes[index], index, len(hashes), proof, root)
    # Flip one bit anywhere in (leaf hash, proof..., root): always rejected.
    parts = [hashes[index], *proof, root]
    which = data.draw(st.integers(0, len(parts) - 1))
    byte = data.draw(st.integers(0, 31))
    bit = data.draw(st.integers(0, 7))
    parts[which] = _flip(parts[which], byte, bit)
    with pytest.raises(InclusionProofError):
        verify_inclusion(parts[0], index, len(hashes), parts[1:-1], parts[-1])


@settings(max_examples=150, deadline=None)
@given(_tree_and_size1(), st.data())
def test_property_consistency(tree: tuple[list[bytes], int], data: st.DataObject) -> None:
    hashes, size1 = tree
    size2 = len(hashes)
    root1 = root_from_leaf_hashes(hashes[:size1])
    root2 = root_from_leaf_hashes(hashes)
    proof = consistency_proof_from_leaf_hashes(hashes, size1)
    assert len(proof) == consistency_proof_length(size1, size2)
    verify_consistency(size1, size2, root1, root2, proof)
    parts = [root1, *proof, root2]
    which = data.draw(st.integers(0, len(parts) - 1))
    byte = data.draw(st.integers(0, 31))
    bit = data.draw(st.integers(0, 7))
    parts[which] = _flip(parts[which], byte, bit)
    with pytest.raises(ConsistencyProofError):
        verify_consistency(size1, size2, parts[0], parts[-1], parts[1:-1])


def test_exported_members() -> None:
    for name in anchors.__all__:
        assert getattr(anchors, name) is not None
    assert anchors.HASH_SIZE == 32
