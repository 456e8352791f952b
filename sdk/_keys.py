"""Organisation keys (Ed25519 signing, X25519 encryption), key ids and encrypted key files.

Key file (JSON, UTF-8)::

    {"type": "tanji.keyfile", "version": 1, "orgId": …,
     "publicKeys": {"signing": {"keyId", "publicKey"}, "encryption": {"keyId", "publicKey"}},
     "kdf": {"alg": "argon2id13", "opslimit", "memlimit", "salt"},
     "cipher": {"alg": "xchacha20poly1305-ietf", "nonce", "ciphertext"}}

The AEAD key is argon2id(passphrase, salt, opslimit, memlimit); the plaintext is the
Ed25519 seed followed by the X25519 private key (64 bytes); the associated data is
``JCS(file without "cipher")``, so changing the org id, a public key or the KDF
parameters is detected like a wrong passphrase. After decryption the private keys must
reproduce the public keys in the file.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol

import nacl.bindings as sodium
import nacl.exceptions
import nacl.pwhash.argon2id as argon2id
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey

from sdk._canonical import (
    KEYID_TAG,
    b64decode,
    b64encode,
    canonical_json,
    loads_strict,
    require_keys,
)
from sdk._ids import OrgId
from sdk.errors import InvalidOrgId, KeyFileError

Rng = Callable[[int], bytes]
"""A source of random bytes, ``rng(n) -> n bytes``; :func:`os.urandom` by default."""

KeyType = Literal["ed25519", "x25519"]

_KEYFILE_TYPE = "tanji.keyfile"
_KDF_ALG = "argon2id13"
_CIPHER_ALG = "xchacha20poly1305-ietf"
_SEED_TAG = b"tanji.keyseed.v1\0"
_MAX_MEMLIMIT = 1 << 30


def key_id(key_type: KeyType, public_key: bytes) -> str:
    """Key id: hex of the first 16 bytes of SHA-256(``tanji.keyid.v1\\0`` + type + ``\\0`` + key).

    The type is part of the hash, so an Ed25519 key and an X25519 key with the same bytes
    have different ids. Raises :class:`ValueError` for a key that is not 32 bytes.
    """
    if type(public_key) is bytes:
        return _cached_key_id(key_type, public_key)
    return _key_id(key_type, public_key)


def verify_key_of(public_key: bytes) -> VerifyKey:
    """The PyNaCl verifying key for 32 raw bytes, from a small cache (a verifier meets the
    same few issuer and log operator keys again and again). Raises
    :class:`nacl.exceptions.ValueError` for bytes that are not an Ed25519 key."""
    return _cached_verify_key(bytes(public_key))


_cached_verify_key = functools.lru_cache(maxsize=256)(VerifyKey)


def _key_id(key_type: KeyType, public_key: bytes) -> str:
    if len(public_key) != 32:
        raise ValueError(f"{key_type} public key must be 32 bytes, got {len(public_key)}")
    data = KEYID_TAG.encode("ascii") + b"\0" + key_type.encode("ascii") + b"\0" + public_key
    return hashlib.sha256(data).digest()[:16].hex()


# A pure function of its arguments; refusals raise and are not cached.
_cached_key_id = functools.lru_cache(maxsize=256)(_key_id)


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost parameters stored in a key file (opslimit, memlimit in bytes)."""

    opslimit: int = argon2id.OPSLIMIT_MODERATE
    memlimit: int = argon2id.MEMLIMIT_INTERACTIVE

    def __post_init__(self) -> None:
        if not argon2id.OPSLIMIT_MIN <= self.opslimit <= argon2id.OPSLIMIT_MAX:
            raise KeyFileError(f"argon2id opslimit {self.opslimit} out of range")
        if not argon2id.MEMLIMIT_MIN <= self.memlimit <= _MAX_MEMLIMIT:
            raise KeyFileError(
                f"argon2id memlimit {self.memlimit} out of range "
                f"[{argon2id.MEMLIMIT_MIN}, {_MAX_MEMLIMIT}]"
            )


FAST_KDF = KdfParams(argon2id.OPSLIMIT_MIN, argon2id.MEMLIMIT_MIN)
"""The cheapest argon2id parameters: for tests and vectors only, never for real keys."""


class KeyRecordLike(Protocol):
    """What verification needs to know about one registered key (e.g. from the chain).

    Times are aware datetimes or Unix seconds (as :class:`sdk.registry.KeyRecord` holds
    block timestamps); the key is valid for ``valid_from <= t < revoked_at``.
    """

    @property
    def public_key(self) -> bytes: ...

    @property
    def valid_from(self) -> datetime | int: ...

    @property
    def revoked_at(self) -> datetime | int | None: ...


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """One registered key with its validity window ``[valid_from, revoked_at)``.

    Both times must be timezone-aware; ``revoked_at`` is ``None`` while the key is live.
    Raises :class:`ValueError` on naive times, a window that ends before it starts, or a
    key that is not 32 bytes.
    """

    public_key: bytes
    valid_from: datetime
    revoked_at: datetime | None = None

    def __post_init__(self) -> None:
        if len(self.public_key) != 32:
            raise ValueError(f"public key must be 32 bytes, got {len(self.public_key)}")
        for name in ("valid_from", "revoked_at"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")
        if self.revoked_at is not None and self.revoked_at < self.valid_from:
            raise ValueError("revoked_at is before valid_from")


@dataclass(frozen=True)
class OrgKeys:
    """An organisation's private keys: Ed25519 for signing, X25519 for receiving grants.

    Raises :class:`~sdk.errors.InvalidOrgId` if ``org_id`` is not a valid id.
    """

    org_id: OrgId
    signing_key: SigningKey = field(repr=False)
    encryption_key: PrivateKey = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.org_id, OrgId):
            object.__setattr__(self, "org_id", OrgId.parse(self.org_id))

    @classmethod
    def from_seed(cls, org_id: OrgId | str, seed: bytes) -> OrgKeys:
        """Derive both keys from a 32-byte seed (deterministic; used for test vectors).

        Signing seed = SHA-256(``tanji.keyseed.v1\\0ed25519`` + seed), encryption key =
        SHA-256(``tanji.keyseed.v1\\0x25519`` + seed). Raises :class:`ValueError` if the seed
        is not 32 bytes and :class:`~sdk.errors.InvalidOrgId` for a bad org id.
        """
        if len(seed) != 32:
            raise ValueError(f"seed must be 32 bytes, got {len(seed)}")
        oid = OrgId.parse(org_id) if isinstance(org_id, str) else org_id
        signing = SigningKey(hashlib.sha256(_SEED_TAG + b"ed25519" + seed).digest())
        encryption = PrivateKey(hashlib.sha256(_SEED_TAG + b"x25519" + seed).digest())
        return cls(oid, signing, encryption)

    @classmethod
    def generate(cls, org_id: OrgId | str, rng: Rng = os.urandom) -> OrgKeys:
        """Fresh keys from 32 bytes of ``rng`` (see :meth:`from_seed`)."""
        return cls.from_seed(org_id, rng(32))

    @property
    def verify_key(self) -> VerifyKey:
        """The Ed25519 public key."""
        return self.signing_key.verify_key

    @property
    def public_key(self) -> PublicKey:
        """The X25519 public (encryption) key."""
        return self.encryption_key.public_key

    @property
    def signing_key_id(self) -> str:
        """:func:`key_id` of the Ed25519 public key."""
        return key_id("ed25519", bytes(self.verify_key))

    @property
    def encryption_key_id(self) -> str:
        """:func:`key_id` of the X25519 public key."""
        return key_id("x25519", bytes(self.public_key))

    def to_keyfile(
        self, passphrase: str | bytes, *, rng: Rng = os.urandom, kdf: KdfParams = KdfParams()
    ) -> bytes:
        """Encrypt the private keys under ``passphrase``; return the key file bytes.

        ``rng`` supplies the 16-byte salt and the 24-byte nonce; ``kdf`` the argon2id cost.
        """
        salt = rng(argon2id.SALTBYTES)
        nonce = rng(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
        header = self._header(kdf, salt)
        key = _derive(passphrase, salt, kdf)
        plaintext = bytes(self.signing_key) + bytes(self.encryption_key)
        ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
            plaintext, canonical_json(header), nonce, key
        )
        doc = dict(header)
        doc["cipher"] = {
            "alg": _CIPHER_ALG,
            "nonce": b64encode(nonce),
            "ciphertext": b64encode(ciphertext),
        }
        return canonical_json(doc) + b"\n"

    def save(
        self,
        path: str | os.PathLike[str],
        passphrase: str | bytes,
        *,
        rng: Rng = os.urandom,
        kdf: KdfParams = KdfParams(),
    ) -> None:
        """Write :meth:`to_keyfile` to ``path`` (created with mode 0600, replaced atomically)."""
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        data = self.to_keyfile(passphrase, rng=rng, kdf=kdf)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    @classmethod
    def from_keyfile(cls, data: bytes, passphrase: str | bytes) -> OrgKeys:
        """Decrypt key file bytes.

        Raises :class:`~sdk.errors.KeyFileError` for a malformed file, out-of-range KDF
        parameters, a wrong passphrase, or any tampering (header or ciphertext).
        """
        try:
            doc = require_keys(
                loads_strict(data, "key file"),
                "key file",
                ("type", "version", "orgId", "publicKeys", "kdf", "cipher"),
            )
            if doc["type"] != _KEYFILE_TYPE or doc["version"] != 1:
                raise ValueError(f"not a version 1 {_KEYFILE_TYPE}")
            org_id = OrgId.parse(doc["orgId"])
            kdf_doc = require_keys(doc["kdf"], "kdf", ("alg", "opslimit", "memlimit", "salt"))
            if kdf_doc["alg"] != _KDF_ALG:
                raise ValueError(f"unsupported kdf {kdf_doc['alg']!r}")
            if not isinstance(kdf_doc["opslimit"], int) or not isinstance(kdf_doc["memlimit"], int):
                raise ValueError("kdf limits must be integers")
            kdf = KdfParams(kdf_doc["opslimit"], kdf_doc["memlimit"])
            salt = b64decode(kdf_doc["salt"], "kdf salt", size=argon2id.SALTBYTES)
            cipher = require_keys(doc["cipher"], "cipher", ("alg", "nonce", "ciphertext"))
            if cipher["alg"] != _CIPHER_ALG:
                raise ValueError(f"unsupported cipher {cipher['alg']!r}")
            nonce = b64decode(cipher["nonce"], "nonce", size=24)
            ciphertext = b64decode(cipher["ciphertext"], "ciphertext")
            header = {k: v for k, v in doc.items() if k != "cipher"}
            aad = canonical_json(header)
        except (ValueError, InvalidOrgId) as exc:
            raise KeyFileError(f"malformed key file: {exc}") from exc
        key = _derive(passphrase, salt, kdf)
        try:
            plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                ciphertext, aad, nonce, key
            )
        except nacl.exceptions.CryptoError as exc:
            raise KeyFileError("wrong passphrase or tampered key file") from exc
        if len(plaintext) != 64:
            raise KeyFileError("key file plaintext has the wrong length")
        keys = cls(org_id, SigningKey(plaintext[:32]), PrivateKey(plaintext[32:]))
        if not hmac.compare_digest(canonical_json(keys._header(kdf, salt)), aad):
            raise KeyFileError("public keys in the key file do not match its private keys")
        return keys

    @classmethod
    def load(cls, path: str | os.PathLike[str], passphrase: str | bytes) -> OrgKeys:
        """Read and decrypt a key file.

        Raises :class:`~sdk.errors.KeyFileError`, also when the file cannot be read.
        """
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise KeyFileError(f"cannot read key file {path}: {exc}") from exc
        return cls.from_keyfile(data, passphrase)

    def _header(self, kdf: KdfParams, salt: bytes) -> dict[str, Any]:
        return {
            "type": _KEYFILE_TYPE,
            "version": 1,
            "orgId": str(self.org_id),
            "publicKeys": {
                "signing": {
                    "keyId": self.signing_key_id,
                    "publicKey": b64encode(bytes(self.verify_key)),
                },
                "encryption": {
                    "keyId": self.encryption_key_id,
                    "publicKey": b64encode(bytes(self.public_key)),
                },
            },
            "kdf": {
                "alg": _KDF_ALG,
                "opslimit": kdf.opslimit,
                "memlimit": kdf.memlimit,
                "salt": b64encode(salt),
            },
        }


def _derive(passphrase: str | bytes, salt: bytes, kdf: KdfParams) -> bytes:
    secret = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    try:
        return bytes(
            argon2id.kdf(
                sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
                secret,
                salt,
                opslimit=kdf.opslimit,
                memlimit=kdf.memlimit,
            )
        )
    except (nacl.exceptions.CryptoError, ValueError, MemoryError) as exc:
        raise KeyFileError(f"argon2id key derivation failed: {exc}") from exc
