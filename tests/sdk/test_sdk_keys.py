"""Organisation keys, key ids and passphrase-encrypted key files."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from nacl.public import SealedBox

from sdk import FAST_KDF, KdfParams, KeyRecord, OrgKeys, key_id
from sdk.errors import KeyFileError

ORG = "91350100M000100Y43"


def counter_rng(start: int = 0) -> Callable[[int], bytes]:
    state = [start]

    def rng(n: int) -> bytes:
        state[0] += 1
        return hashlib.sha256(state[0].to_bytes(8, "big")).digest()[:n].ljust(n, b"\0")

    return rng


def test_key_id_is_tagged_and_typed() -> None:
    keys = OrgKeys.from_seed(ORG, bytes(32))
    pub = bytes(keys.verify_key)
    assert (
        keys.signing_key_id
        == hashlib.sha256(b"tanji.keyid.v1\0ed25519\0" + pub).digest()[:16].hex()
    )
    assert key_id("ed25519", pub) != key_id("x25519", pub)
    assert keys.encryption_key_id == key_id("x25519", bytes(keys.public_key))
    with pytest.raises(ValueError, match="32 bytes"):
        key_id("ed25519", pub[:31])


def test_from_seed_is_deterministic_and_generate_uses_rng() -> None:
    a = OrgKeys.from_seed(ORG, b"\1" * 32)
    b = OrgKeys.from_seed(ORG, b"\1" * 32)
    assert bytes(a.signing_key) == bytes(b.signing_key)
    assert bytes(a.encryption_key) == bytes(b.encryption_key)
    assert bytes(a.signing_key) != bytes(a.encryption_key)
    c = OrgKeys.generate(ORG, rng=lambda n: b"\1" * n)
    assert c.signing_key_id == a.signing_key_id
    assert OrgKeys.generate(ORG).signing_key_id != a.signing_key_id


def test_keyfile_roundtrip(tmp_path: Path) -> None:
    keys = OrgKeys.generate(ORG, rng=counter_rng())
    path = tmp_path / "org.key"
    keys.save(path, "correct horse", rng=counter_rng(100), kdf=FAST_KDF)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = OrgKeys.load(path, "correct horse")
    assert loaded.org_id == keys.org_id
    assert bytes(loaded.signing_key) == bytes(keys.signing_key)
    # the loaded encryption key opens what was sealed to the original public key
    box = SealedBox(keys.public_key).encrypt(b"data key")
    assert SealedBox(loaded.encryption_key).decrypt(box) == b"data key"
    doc = json.loads(path.read_bytes())
    assert doc["kdf"]["opslimit"] == FAST_KDF.opslimit
    assert doc["publicKeys"]["signing"]["keyId"] == keys.signing_key_id
    assert bytes(keys.signing_key).hex() not in path.read_text()


def test_wrong_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "org.key"
    OrgKeys.generate(ORG).save(path, "right", kdf=FAST_KDF)
    with pytest.raises(KeyFileError, match="wrong passphrase or tampered"):
        OrgKeys.load(path, "wrong")


def _tamper(data: bytes, edit: Callable[[dict[str, Any]], object]) -> bytes:
    doc = json.loads(data)
    edit(doc)
    return json.dumps(doc).encode()


def _flip_b64(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[len(raw) // 2] ^= 1
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["cipher"].update(ciphertext=_flip_b64(d["cipher"]["ciphertext"])), "tampered"),
        (lambda d: d["cipher"].update(nonce=_flip_b64(d["cipher"]["nonce"])), "tampered"),
        (lambda d: d.update(orgId="urn:tanji:org:mallory"), "tampered"),
        (
            lambda d: d["publicKeys"]["signing"].update(
                publicKey=base64.b64encode(bytes(OrgKeys.generate(ORG).verify_key)).decode()
            ),
            "tampered",
        ),
        (lambda d: d["kdf"].update(opslimit=d["kdf"]["opslimit"] + 1), "tampered"),
        (lambda d: d["kdf"].update(memlimit=1 << 40), "memlimit"),
        (lambda d: d["kdf"].update(alg="scrypt"), "unsupported kdf"),
        (lambda d: d.pop("cipher"), "missing cipher"),
        (lambda d: d.update(extra=1), "unknown field"),
        (lambda d: d.update(version=2), "version 1"),
        (lambda d: d["kdf"].update(salt="not base64!"), "salt"),
    ],
)
def test_tampered_keyfile(edit: Callable[[dict[str, Any]], object], message: str) -> None:
    data = OrgKeys.generate(ORG).to_keyfile("pw", kdf=FAST_KDF)
    with pytest.raises(KeyFileError, match=message):
        OrgKeys.from_keyfile(_tamper(data, edit), "pw")


def test_garbage_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="malformed"):
        OrgKeys.from_keyfile(b"\xff not json", "pw")
    with pytest.raises(KeyFileError, match="cannot read"):
        OrgKeys.load(tmp_path / "absent.key", "pw")


def test_kdf_params_bounds() -> None:
    with pytest.raises(KeyFileError):
        KdfParams(opslimit=0)
    assert KdfParams().memlimit >= 64 * 1024 * 1024


def test_key_record_validation() -> None:
    from datetime import UTC, datetime

    with pytest.raises(ValueError, match="timezone-aware"):
        KeyRecord(bytes(32), datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="before valid_from"):
        KeyRecord(bytes(32), datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
