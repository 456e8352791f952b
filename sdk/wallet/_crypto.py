"""The wallet's encryption at rest, with the scheme of the key files (:mod:`sdk._keys`).

* A random 32-byte wallet key is wrapped under ``argon2id(passphrase, salt)`` with
  XChaCha20-Poly1305; the associated data is the JCS of the header without the wrapped
  key, so a changed org id or KDF parameter fails exactly like a wrong passphrase.
* From the wallet key, BLAKE2b with distinct personalisations derives an encryption key
  and a MAC key (never the same key for two purposes).
* A secret column holds ``nonce || XChaCha20-Poly1305(enc key, nonce, JCS(value),
  aad = JCS(["tanji.wallet.secret.v1", table, primary key]))``: a sealed value moved to
  another row or table does not open.
* Every row carries ``tag = HMAC-SHA256(mac key, JCS(["tanji.wallet.row.v1", table,
  row without tag]))``, the sealed bytes included, so any changed byte of a row fails.
* The ledger (count of rows and the XOR of their tags, itself tagged) catches a row
  deleted or added outside the wallet.

Pure functions over bytes; randomness is an argument.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import nacl.bindings as sodium
import nacl.exceptions
import nacl.pwhash.argon2id as argon2id

from sdk._canonical import b64decode, b64encode, canonical_json, loads_strict, require_keys
from sdk._keys import KdfParams, Rng
from sdk.errors import CanonicalizationError, KeyFileError
from sdk.wallet.errors import WalletError, WalletIntegrityError, WalletLocked

WALLET_FORMAT = "tanji.wallet.v1"
KDF_ALG = "argon2id13"
CIPHER_ALG = "xchacha20poly1305-ietf"
KEY_SIZE = sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES
NONCE_SIZE = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
SECRET_TAG = "tanji.wallet.secret.v1"  # noqa: S105 - a domain tag, not a secret
ROW_TAG = "tanji.wallet.row.v1"
LEDGER_TAG = "tanji.wallet.ledger.v1"


def derive_passphrase_key(passphrase: str | bytes, salt: bytes, kdf: KdfParams) -> bytes:
    """argon2id(passphrase, salt) → a 32-byte key; raises :class:`WalletError` if the
    derivation itself fails (e.g. out of memory)."""
    secret = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    try:
        return bytes(
            argon2id.kdf(KEY_SIZE, secret, salt, opslimit=kdf.opslimit, memlimit=kdf.memlimit)
        )
    except (nacl.exceptions.CryptoError, ValueError, MemoryError) as exc:
        raise WalletError(f"argon2id key derivation failed: {exc}") from exc


def _kdf_params(doc: Mapping[str, Any]) -> tuple[KdfParams, bytes]:
    kdf_doc = require_keys(doc, "kdf", ("alg", "opslimit", "memlimit", "salt"))
    if kdf_doc["alg"] != KDF_ALG:
        raise ValueError(f"unsupported kdf {kdf_doc['alg']!r}")
    ops, mem = kdf_doc["opslimit"], kdf_doc["memlimit"]
    if isinstance(ops, bool) or isinstance(mem, bool):
        raise ValueError("kdf limits must be integers")
    if not isinstance(ops, int) or not isinstance(mem, int):
        raise ValueError("kdf limits must be integers")
    try:
        params = KdfParams(ops, mem)
    except KeyFileError as exc:
        raise ValueError(str(exc)) from exc
    return params, b64decode(kdf_doc["salt"], "kdf salt", size=argon2id.SALTBYTES)


def kdf_doc(kdf: KdfParams, salt: bytes) -> dict[str, Any]:
    """The ``kdf`` object of a header or backup file."""
    return {
        "alg": KDF_ALG,
        "opslimit": kdf.opslimit,
        "memlimit": kdf.memlimit,
        "salt": b64encode(salt),
    }


def seal_with_passphrase(
    header: Mapping[str, Any], plaintext: bytes, passphrase: str | bytes, kdf: KdfParams, rng: Rng
) -> dict[str, Any]:
    """``header`` plus ``kdf`` and ``cipher``: ``plaintext`` under argon2id(passphrase).

    The associated data is the JCS of everything but ``cipher``.
    """
    salt = rng(argon2id.SALTBYTES)
    nonce = rng(NONCE_SIZE)
    doc = dict(header)
    doc["kdf"] = kdf_doc(kdf, salt)
    key = derive_passphrase_key(passphrase, salt, kdf)
    ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext, canonical_json(doc), nonce, key
    )
    doc["cipher"] = {
        "alg": CIPHER_ALG,
        "nonce": b64encode(nonce),
        "ciphertext": b64encode(ciphertext),
    }
    return doc


def open_with_passphrase(doc: Any, passphrase: str | bytes, what: str) -> bytes:
    """Reverse :func:`seal_with_passphrase`.

    Raises :class:`ValueError` for a malformed document and :class:`WalletLocked` when the
    passphrase is wrong or any byte of the document was changed.
    """
    if not isinstance(doc, dict) or "cipher" not in doc or "kdf" not in doc:
        raise ValueError(f"{what} has no kdf and cipher")
    kdf, salt = _kdf_params(doc["kdf"])
    cipher = require_keys(doc["cipher"], "cipher", ("alg", "nonce", "ciphertext"))
    if cipher["alg"] != CIPHER_ALG:
        raise ValueError(f"unsupported cipher {cipher['alg']!r}")
    nonce = b64decode(cipher["nonce"], "nonce", size=NONCE_SIZE)
    ciphertext = b64decode(cipher["ciphertext"], "ciphertext")
    aad = canonical_json({k: v for k, v in doc.items() if k != "cipher"})
    key = derive_passphrase_key(passphrase, salt, kdf)
    try:
        return bytes(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(ciphertext, aad, nonce, key))
    except nacl.exceptions.CryptoError as exc:
        raise WalletLocked(f"wrong passphrase, or the {what} was tampered with") from exc


def _subkey(wallet_key: bytes, person: bytes) -> bytes:
    return hashlib.blake2b(b"", key=wallet_key, person=person, digest_size=32).digest()


@dataclass(frozen=True)
class Sealer:
    """Seals secret values and tags rows with keys derived from the wallet key."""

    _enc: bytes = field(repr=False)
    _mac: bytes = field(repr=False)

    @classmethod
    def from_wallet_key(cls, wallet_key: bytes) -> Sealer:
        """Derive the encryption and MAC keys; raises ValueError for a key not 32 bytes."""
        if len(wallet_key) != KEY_SIZE:
            raise ValueError("the wallet key must be 32 bytes")
        return cls(
            _subkey(wallet_key, b"tanji.wallet.enc"), _subkey(wallet_key, b"tanji.wallet.mac")
        )

    def seal(self, table: str, pk: str, value: Any, rng: Rng) -> bytes:
        """``nonce || ciphertext`` of ``JCS(value)`` bound to ``table`` and ``pk``."""
        nonce = rng(NONCE_SIZE)
        aad = canonical_json([SECRET_TAG, table, pk])
        try:
            plaintext = canonical_json(value)
        except CanonicalizationError as exc:
            raise WalletError(f"cannot store {table} {pk}: {exc}") from exc
        return nonce + bytes(
            sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, nonce, self._enc)
        )

    def open(self, table: str, pk: str, blob: bytes) -> Any:
        """The value sealed by :meth:`seal`; :class:`WalletIntegrityError` if it does not
        open (another key, another row, or a changed byte)."""
        if len(blob) < NONCE_SIZE + 16:
            raise WalletIntegrityError(table, pk, "sealed value is truncated")
        aad = canonical_json([SECRET_TAG, table, pk])
        try:
            plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                blob[NONCE_SIZE:], aad, blob[:NONCE_SIZE], self._enc
            )
        except nacl.exceptions.CryptoError as exc:
            raise WalletIntegrityError(table, pk, "sealed value does not open") from exc
        try:
            return loads_strict(bytes(plaintext), f"{table} secret")
        except ValueError as exc:
            raise WalletIntegrityError(table, pk, f"sealed value is not JSON: {exc}") from exc

    def tag(self, table: str, row: Mapping[str, Any]) -> bytes:
        """The row's tag over every column but ``tag`` (bytes as base64)."""
        plain = {
            k: (b64encode(v) if isinstance(v, bytes) else v) for k, v in row.items() if k != "tag"
        }
        return hmac.new(self._mac, canonical_json([ROW_TAG, table, plain]), hashlib.sha256).digest()

    def check(self, table: str, pk: str, row: Mapping[str, Any]) -> None:
        """Raise :class:`WalletIntegrityError` unless ``row['tag']`` is the row's tag."""
        stored = row.get("tag")
        if not isinstance(stored, bytes) or not hmac.compare_digest(stored, self.tag(table, row)):
            raise WalletIntegrityError(
                table, pk, "row does not authenticate (changed outside the wallet)"
            )

    def ledger_tag(self, count: int, digest: bytes) -> bytes:
        """The tag of the ledger (row count and XOR of row tags)."""
        data = canonical_json([LEDGER_TAG, count, b64encode(digest)])
        return hmac.new(self._mac, data, hashlib.sha256).digest()


def xor(a: bytes, b: bytes) -> bytes:
    """Bytewise XOR of two equal-length byte strings."""
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


__all__ = [
    "CIPHER_ALG",
    "KDF_ALG",
    "KEY_SIZE",
    "WALLET_FORMAT",
    "Sealer",
    "derive_passphrase_key",
    "kdf_doc",
    "open_with_passphrase",
    "seal_with_passphrase",
    "xor",
]
