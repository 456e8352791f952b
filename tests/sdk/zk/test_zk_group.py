"""The ristretto255 layer: RFC 9496 known answers, strict decoding, the generators."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from sdk.zk import H_DOMAIN_TAG, G, H, L, ProofError, decode_point
from sdk.zk._group import IDENTITY, decode_scalar, encode_scalar, random_scalar

VECTORS = json.loads((Path(__file__).parent / "rfc9496_ristretto255.json").read_text())
P = 2**255 - 19


def test_multiples_of_the_generator_match_rfc9496() -> None:
    acc = IDENTITY
    for i, expected in enumerate(VECTORS["multiplesOfGenerator"]):
        assert acc.hex() == expected, i
        assert (i * G).hex() == expected, i
        acc = acc + G


def test_one_way_map_matches_rfc9496() -> None:
    import rbcl

    for case in VECTORS["oneWayMap"]:
        point = rbcl.crypto_core_ristretto255_from_hash(bytes.fromhex(case["input"]))
        assert point.hex() == case["element"]


def test_h_is_the_hash_of_the_published_tag() -> None:
    # Known answer, recomputable by anyone from the tag in docs/commitments.md §2.
    import rbcl

    assert H_DOMAIN_TAG == b"tanji.pedersen.v1.H"
    derived = rbcl.crypto_core_ristretto255_from_hash(hashlib.sha512(H_DOMAIN_TAG).digest())
    assert (
        derived.hex()
        == H.hex()
        == ("0aa1c8739256e554418b8ac9a0ec258431766b2890e801394a6d01576ac33733")
    )
    assert H != G
    assert not H.is_identity()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("identity", bytes(32)),
        ("not in the group", bytes([2]) + bytes(31)),
        ("negative field element", bytes([1]) + bytes(31)),
        ("p unreduced", P.to_bytes(32, "little")),
        ("p + 2 unreduced", (P + 2).to_bytes(32, "little")),
        ("high bit set", (int.from_bytes(bytes(G), "little") | 1 << 255).to_bytes(32, "little")),
        ("short", bytes(G)[:31]),
        ("long", bytes(G) + b"\x00"),
    ],
)
def test_decode_point_refuses(name: str, data: bytes) -> None:
    with pytest.raises(ProofError) as err:
        decode_point(data, "commitment.point")
    assert err.value.step == "commitment.point", name


def test_decode_point_accepts_every_rfc_multiple_but_the_identity() -> None:
    for encoding in VECTORS["multiplesOfGenerator"][1:]:
        assert decode_point(bytes.fromhex(encoding), "commitment.point").hex() == encoding


def test_scalars_are_canonical() -> None:
    assert decode_scalar(encode_scalar(L - 1), "rangeproof.scalar") == L - 1
    for bad in ((L).to_bytes(32, "little"), (2**256 - 1).to_bytes(32, "little"), bytes(31)):
        with pytest.raises(ProofError) as err:
            decode_scalar(bad, "rangeproof.scalar")
        assert err.value.step == "rangeproof.scalar"


def test_group_laws_on_random_scalars() -> None:
    a, b = random_scalar(lambda n: b"\x07" * n), random_scalar(lambda n: b"\x0b" * n)
    assert a * G + b * G == (a + b) * G
    assert a * (b * H) == (a * b) * H
    assert a * G - a * G == IDENTITY
    assert -(a * H) + a * H == IDENTITY
    assert 0 * H == IDENTITY
    assert L * H == IDENTITY
    assert 1 * H == H


def test_rbcl_library_file_is_removed_after_import() -> None:
    import os

    path = sys.modules["rbcl._sodium"].lib_path
    assert not os.path.exists(path)


def test_every_accepted_encoding_is_the_canonical_one() -> None:
    # Decoding then re-encoding (through arithmetic) gives back the same bytes, for
    # random points and for their bit-255 variants (refused).
    for i in range(1, 40):
        point = (i * 7919) * H + i * G
        data = bytes(point)
        assert bytes(decode_point(data, "commitment.point") + G - G) == data
        flipped = data[:31] + bytes([data[31] | 0x80])
        with pytest.raises(ProofError):
            decode_point(flipped, "commitment.point")
