"""The encrypted envelope and the grants that let recipients open it.

Envelope: XChaCha20-Poly1305 (IETF) under a random 32-byte data key and a random
24-byte nonce. Plaintext = ``pad(JCS({"footprint", "masterSalt", "inventory",
"upstreamDisclosures"}))``, plus ``valueOpening`` when the statement commits to its value
and ``rollup`` (proof, own-term opening, whether it is public) for a leader's committed
roll-up
(docs/commitments.md §8). Associated data = ``b"tanji.envelope.v1\\0" +
JCS({"issuer", "subjectDigest"})``: an envelope opens only as the envelope of that
issuer's attestation about that product (it cannot bind the statement itself, whose
``envelopeDigest`` covers the envelope). Wire form and digest::

    {"type": "tanji.envelope", "version": 2, "alg": "xchacha20poly1305-ietf",
     "nonce": base64, "ciphertext": base64}
    envelopeDigest = SHA-256(JCS(envelope))

Version 2 pads the plaintext (ISO/IEC 7816-4, as libsodium's ``sodium_pad``: one 0x80
byte, then zero bytes) to a bucket, :func:`envelope_bucket`: the next power of two, at
least 4 KiB. The node stores, and its operator sees, the ciphertext: its size now says
how large the inventory is only to within a factor of two, not how many BOM lines or
upstream disclosures it holds (docs/privacy.md).

Grant: the data key sealed (libsodium ``crypto_box_seal``) to the recipient's X25519
key. The sealed plaintext is ``b"tanji.grant.v1\\0" + attestation id (32 bytes) + data
key``, so a grant opens only for the attestation it was made for. The sealed box is
built from its parts with an explicit ephemeral seed, so grants are reproducible from a
seeded ``rng`` (test vectors) and still open with :class:`nacl.public.SealedBox`::

    {"type": "tanji.grant", "version": 1, "attestationId", "recipient",
     "recipientKeyId", "sealedKey": base64}

Only the issuer can make a grant: it needs the data key. The node additionally accepts
grants only from the issuer's authenticated account.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import nacl.bindings as sodium
import nacl.exceptions
from nacl.public import PrivateKey, PublicKey

from sdk._canonical import (
    ENVELOPE_TAG,
    GRANT_TAG,
    JsonValue,
    b64decode,
    b64encode,
    canonical_json,
    loads_strict,
    require_keys,
)
from sdk._claims import MASTER_SALT_SIZE
from sdk._ids import OrgId
from sdk._keys import OrgKeys, Rng, key_id
from sdk._statement import Statement, is_attestation_id
from sdk.errors import InvalidOrgId, VerificationError

ENVELOPE_TYPE = "tanji.envelope"
GRANT_TYPE = "tanji.grant"
AEAD_ALG = "xchacha20poly1305-ietf"
DATA_KEY_SIZE = sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES
NONCE_SIZE = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
ENVELOPE_VERSION = 2
MIN_ENVELOPE_BUCKET = 4096
_KEY_ID = re.compile(r"[0-9a-f]{32}")
_GRANT_PREFIX = GRANT_TAG.encode("ascii") + b"\0"
_SEALED_KEY_SIZE = 32 + 16 + len(_GRANT_PREFIX) + 32 + DATA_KEY_SIZE


def envelope_bucket(size: int) -> int:
    """The padded plaintext size for ``size`` bytes of content: the next power of two
    above ``size`` (room for the 0x80 marker), at least :data:`MIN_ENVELOPE_BUCKET`."""
    return max(MIN_ENVELOPE_BUCKET, 1 << size.bit_length())


def _pad(data: bytes) -> bytes:
    return data + b"\x80" + bytes(envelope_bucket(len(data)) - len(data) - 1)


def _unpad(data: bytes) -> bytes:
    body = data.rstrip(b"\0")
    if not body.endswith(b"\x80"):
        raise ValueError("the plaintext's padding is malformed (no 0x80 marker)")
    body = body[:-1]
    if len(data) != envelope_bucket(len(body)):
        raise ValueError(
            f"the plaintext is padded to {len(data)} bytes, not to its bucket "
            f"{envelope_bucket(len(body))}"
        )
    return body


def envelope_aad(issuer: OrgId, subject_digest: bytes) -> bytes:
    """Associated data binding an envelope to its issuer and subject (see module doc)."""
    body = canonical_json({"issuer": str(issuer), "subjectDigest": subject_digest.hex()})
    return ENVELOPE_TAG.encode("ascii") + b"\0" + body


_CONTENT_KEYS = ("footprint", "masterSalt", "inventory", "upstreamDisclosures")
_OPTIONAL_CONTENT_KEYS = ("valueOpening", "rollup")
_ROLLUP_KEYS = ("proof", "ownOpening", "public")


@dataclass(frozen=True)
class EnvelopeContent:
    """What an envelope holds: the footprint, the master salt, the inventory and the
    upstream disclosures (as dicts, see :class:`sdk.Disclosure`) the issuer relied on;
    and, when the statement commits to the value, ``value_opening`` (``valueOpening``,
    the opening of ``valueCommitment``) and, for a leader's committed roll-up,
    ``rollup`` ``{"proof": <sdk.zk.RollupProof JSON>, "ownOpening": <opening of its own
    term, for the certifier>, "public": <the leader publishes the proof (its lines) with
    the statement>}``. The optional keys are absent from the plaintext when unset.

    Raises :class:`ValueError` for a master salt that is not 32 bytes, a footprint
    that is not a JSON object or an optional part that is not an object.
    """

    footprint: dict[str, JsonValue] = field(repr=False)
    master_salt: bytes = field(repr=False)
    inventory: JsonValue = field(repr=False)
    upstream_disclosures: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    value_opening: dict[str, Any] | None = field(default=None, repr=False)
    rollup: dict[str, Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.footprint, dict):
            raise ValueError("footprint must be a JSON object")
        if len(self.master_salt) != MASTER_SALT_SIZE:
            raise ValueError(f"master salt must be {MASTER_SALT_SIZE} bytes")
        if self.value_opening is not None and not isinstance(self.value_opening, dict):
            raise ValueError("valueOpening must be a JSON object")
        if self.rollup is not None:
            require_keys(self.rollup, "rollup", _ROLLUP_KEYS)
            if not isinstance(self.rollup["public"], bool):
                raise ValueError("rollup.public must be true or false")
        object.__setattr__(self, "upstream_disclosures", tuple(self.upstream_disclosures))

    def to_dict(self) -> dict[str, Any]:
        """The plaintext JSON object."""
        out: dict[str, Any] = {
            "footprint": self.footprint,
            "masterSalt": b64encode(self.master_salt),
            "inventory": self.inventory,
            "upstreamDisclosures": list(self.upstream_disclosures),
        }
        if self.value_opening is not None:
            out["valueOpening"] = self.value_opening
        if self.rollup is not None:
            out["rollup"] = self.rollup
        return out

    @classmethod
    def from_dict(cls, data: object) -> EnvelopeContent:
        """Parse the plaintext object; raises :class:`ValueError` naming the bad field."""
        present = tuple(k for k in _OPTIONAL_CONTENT_KEYS if isinstance(data, dict) and k in data)
        doc = require_keys(data, "envelope plaintext", _CONTENT_KEYS + present)
        if not isinstance(doc["upstreamDisclosures"], list) or not all(
            isinstance(d, dict) for d in doc["upstreamDisclosures"]
        ):
            raise ValueError("upstreamDisclosures must be a list of objects")
        return cls(
            footprint=doc["footprint"],
            master_salt=b64decode(doc["masterSalt"], "masterSalt", size=MASTER_SALT_SIZE),
            inventory=doc["inventory"],
            upstream_disclosures=tuple(doc["upstreamDisclosures"]),
            value_opening=doc.get("valueOpening"),
            rollup=doc.get("rollup"),
        )


@dataclass(frozen=True)
class Envelope:
    """An encrypted envelope (nonce and ciphertext with tag).

    Raises :class:`~sdk.errors.VerificationError` (``envelope.schema``) for a nonce that is
    not 24 bytes or a ciphertext shorter than the tag.
    """

    nonce: bytes
    ciphertext: bytes

    def __post_init__(self) -> None:
        if len(self.nonce) != NONCE_SIZE:
            raise VerificationError("envelope.schema", f"nonce must be {NONCE_SIZE} bytes")
        if len(self.ciphertext) < sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES:
            raise VerificationError("envelope.schema", "ciphertext is shorter than the tag")

    def to_dict(self) -> dict[str, Any]:
        """The envelope's wire form."""
        return {
            "type": ENVELOPE_TYPE,
            "version": ENVELOPE_VERSION,
            "alg": AEAD_ALG,
            "nonce": b64encode(self.nonce),
            "ciphertext": b64encode(self.ciphertext),
        }

    @classmethod
    def from_dict(cls, data: object) -> Envelope:
        """Parse the wire form.

        Raises :class:`~sdk.errors.VerificationError` at step ``envelope.schema``.
        """
        try:
            doc = require_keys(data, "envelope", ("type", "version", "alg", "nonce", "ciphertext"))
            if (
                doc["type"] != ENVELOPE_TYPE
                or type(doc["version"]) is not int
                or doc["version"] != ENVELOPE_VERSION
                or doc["alg"] != AEAD_ALG
            ):
                raise ValueError(
                    f"not a version {ENVELOPE_VERSION} {ENVELOPE_TYPE} with {AEAD_ALG}"
                )
            return cls(
                b64decode(doc["nonce"], "nonce", size=NONCE_SIZE),
                b64decode(doc["ciphertext"], "ciphertext"),
            )
        except ValueError as exc:
            raise VerificationError("envelope.schema", str(exc)) from exc

    @cached_property
    def canonical_bytes(self) -> bytes:
        """``JCS(envelope)``: the bytes the node stores and the statement's digest covers."""
        return canonical_json(self.to_dict())

    @cached_property
    def digest(self) -> bytes:
        """SHA-256 of :attr:`canonical_bytes` (the statement's ``envelopeDigest``)."""
        return hashlib.sha256(self.canonical_bytes).digest()


def seal_envelope(
    content: EnvelopeContent,
    *,
    issuer: OrgId,
    subject_digest: bytes,
    data_key: bytes,
    nonce: bytes,
) -> Envelope:
    """Encrypt ``content``, padded to its :func:`envelope_bucket`, under ``data_key`` with
    the explicit ``nonce`` (24 random bytes).

    Raises :class:`~sdk.errors.CanonicalizationError` if the content is not canonical JSON
    (e.g. holds floats) and :class:`ValueError` for a key or nonce of the wrong size.
    """
    if len(data_key) != DATA_KEY_SIZE:
        raise ValueError(f"data key must be {DATA_KEY_SIZE} bytes")
    if len(nonce) != NONCE_SIZE:
        raise ValueError(f"nonce must be {NONCE_SIZE} bytes")
    plaintext = _pad(canonical_json(content.to_dict()))
    aad = envelope_aad(issuer, subject_digest)
    ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, nonce, data_key)
    return Envelope(nonce, ciphertext)


def open_envelope(envelope: Envelope, data_key: bytes, statement: Statement) -> EnvelopeContent:
    """Check the envelope against ``statement`` and decrypt it with ``data_key``.

    Steps: (1) the envelope's digest equals the statement's ``envelopeDigest``;
    (2) AEAD decryption with the statement's issuer and subject as associated data;
    (3) the plaintext is padded to its bucket and is strict JSON (no duplicate keys, no
    floats) of the right shape.
    Raises :class:`~sdk.errors.VerificationError` at step ``envelope`` naming which failed.
    """
    # (1) the envelope is the one the signed statement covers.
    if not hmac.compare_digest(envelope.digest, statement.envelope_digest):
        raise VerificationError("envelope", "envelope digest does not match the statement")
    # (2) authenticated decryption, bound to issuer and subject.
    aad = envelope_aad(statement.issuer, statement.subject_digest)
    try:
        plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            envelope.ciphertext, aad, envelope.nonce, data_key
        )
    except (nacl.exceptions.CryptoError, nacl.exceptions.TypeError, ValueError) as exc:
        raise VerificationError(
            "envelope", "decryption failed: wrong data key, or ciphertext/issuer/subject altered"
        ) from exc
    # (3) the padding is the bucket's and the plaintext parses.
    try:
        return EnvelopeContent.from_dict(loads_strict(_unpad(plaintext), "envelope plaintext"))
    except ValueError as exc:
        raise VerificationError("envelope", str(exc)) from exc


def new_data_key(rng: Rng = os.urandom) -> bytes:
    """A fresh 32-byte data key from ``rng``."""
    return rng(DATA_KEY_SIZE)


@dataclass(frozen=True)
class Grant:
    """A data key sealed to one recipient's X25519 key, for one attestation.

    Raises :class:`~sdk.errors.VerificationError` (``grant.schema``) for malformed fields.
    """

    attestation_id: str
    recipient: OrgId
    recipient_key_id: str
    sealed_key: bytes

    def __post_init__(self) -> None:
        if not is_attestation_id(self.attestation_id):
            raise VerificationError("grant.schema", "attestationId must be 64 lowercase hex")
        if not isinstance(self.recipient, OrgId):
            raise VerificationError("grant.schema", "recipient must be an OrgId")
        if not isinstance(self.recipient_key_id, str) or not _KEY_ID.fullmatch(
            self.recipient_key_id
        ):
            raise VerificationError("grant.schema", "recipientKeyId must be 32 lowercase hex")
        if len(self.sealed_key) != _SEALED_KEY_SIZE:
            raise VerificationError("grant.schema", f"sealedKey must be {_SEALED_KEY_SIZE} bytes")

    def to_dict(self) -> dict[str, Any]:
        """The grant's wire form."""
        return {
            "type": GRANT_TYPE,
            "version": 1,
            "attestationId": self.attestation_id,
            "recipient": str(self.recipient),
            "recipientKeyId": self.recipient_key_id,
            "sealedKey": b64encode(self.sealed_key),
        }

    @classmethod
    def from_dict(cls, data: object) -> Grant:
        """Parse the wire form.

        Raises :class:`~sdk.errors.VerificationError` at step ``grant.schema``.
        """
        try:
            doc = require_keys(
                data,
                "grant",
                ("type", "version", "attestationId", "recipient", "recipientKeyId", "sealedKey"),
            )
            if doc["type"] != GRANT_TYPE or type(doc["version"]) is not int or doc["version"] != 1:
                raise ValueError(f"not a version 1 {GRANT_TYPE}")
            if not isinstance(doc["attestationId"], str) or not isinstance(
                doc["recipientKeyId"], str
            ):
                raise ValueError("attestationId and recipientKeyId must be strings")
            return cls(
                attestation_id=doc["attestationId"],
                recipient=OrgId.parse(doc["recipient"]),
                recipient_key_id=doc["recipientKeyId"],
                sealed_key=b64decode(doc["sealedKey"], "sealedKey"),
            )
        except (ValueError, InvalidOrgId) as exc:
            raise VerificationError("grant.schema", str(exc)) from exc


def make_grant(
    attestation_id: str,
    data_key: bytes,
    recipient: OrgId,
    recipient_key: PublicKey,
    *,
    rng: Rng = os.urandom,
) -> Grant:
    """Seal ``data_key`` for ``recipient``'s X25519 key, bound to ``attestation_id``.

    ``rng`` supplies the 32-byte ephemeral key seed. The result is a standard libsodium
    sealed box (``epk || crypto_box(m, blake2b(epk || pk), pk, esk)``).
    Raises :class:`ValueError` for a bad attestation id or data key size.
    """
    if not is_attestation_id(attestation_id):
        raise ValueError("attestation id must be 64 lowercase hex")
    if len(data_key) != DATA_KEY_SIZE:
        raise ValueError(f"data key must be {DATA_KEY_SIZE} bytes")
    message = _GRANT_PREFIX + bytes.fromhex(attestation_id) + data_key
    recipient_pk = bytes(recipient_key)
    epk, esk = sodium.crypto_box_seed_keypair(rng(32))
    nonce = sodium.crypto_generichash_blake2b_salt_personal(
        epk + recipient_pk, digest_size=sodium.crypto_box_NONCEBYTES
    )
    sealed = epk + sodium.crypto_box(message, nonce, recipient_pk, esk)
    return Grant(attestation_id, recipient, key_id("x25519", recipient_pk), sealed)


def open_grant(grant: Grant, keys: OrgKeys | PrivateKey, attestation_id: str) -> bytes:
    """Recover the data key of ``attestation_id`` from a grant with the recipient's key.

    Steps: (1) the grant names this attestation; (2) it is addressed to this key (by key
    id); (3) the sealed box opens; (4) the sealed plaintext names the same attestation.
    Raises :class:`~sdk.errors.VerificationError` at step ``grant`` naming which failed.
    """
    private = keys.encryption_key if isinstance(keys, OrgKeys) else keys
    # (1) the grant is for the attestation being opened.
    if grant.attestation_id != attestation_id:
        raise VerificationError("grant", "grant is for another attestation")
    # (2) addressed to our key.
    own_key_id = key_id("x25519", bytes(private.public_key))
    if grant.recipient_key_id != own_key_id:
        raise VerificationError(
            "grant", f"grant is wrapped for key {grant.recipient_key_id}, not {own_key_id}"
        )
    # (3) the sealed box opens with our private key.
    try:
        message = sodium.crypto_box_seal_open(
            grant.sealed_key, bytes(private.public_key), bytes(private)
        )
    except nacl.exceptions.CryptoError as exc:
        raise VerificationError("grant", "sealed key does not open with this private key") from exc
    # (4) the sealed plaintext is bound to this attestation.
    expected = _GRANT_PREFIX + bytes.fromhex(attestation_id)
    if len(message) != len(expected) + DATA_KEY_SIZE or not hmac.compare_digest(
        message[: len(expected)], expected
    ):
        raise VerificationError("grant", "sealed key is bound to another attestation")
    return message[len(expected) :]
