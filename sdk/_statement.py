"""The public signed statement, the log leaf it becomes, and the attestation id.

Statement, version 2 (JSON)::

    {"type": "tanji.statement", "version": 2, "issuer", "keyId", "subjectDigest",
     "commitment", "claimCount", "created", "supersedes", "envelopeDigest",
     "extensions": {}}

* ``subjectDigest`` is a *salted* commitment to the product id: the leaf hash of the
  ``/productIds/0`` claim (:func:`sdk.subject_commitment`). Version 1 used the unsalted
  SHA-256 of the product id, which a dictionary of product names reversed; a version 2
  subject is opened only by a disclosure revealing ``/productIds/0`` (its salt included),
  and :func:`sdk.verify_disclosure` checks it (step ``disclosure.subject``).
* ``claimCount`` is a bucket (:func:`sdk.claim_bucket`: a power of two, at least 32),
  never the exact number of claims.
* ``extensions`` holds named additions to the statement: ``valueCommitment`` (a
  Pedersen commitment to the PCF value) with ``valueRangeProofDigest`` (the digest of
  its range proof, published next to the statement; docs/commitments.md §8). Every
  name must be known to the verifier (:data:`STATEMENT_EXTENSIONS` maps it to its
  validator); a statement carrying an unknown extension is refused at
  ``statement.schema``, so no signed field goes unchecked. Adding one is adding an
  entry there and the check that uses it.

Signature: Ed25519 over ``b"tanji.statement.v1\\0" + JCS(statement)`` (the tag names the
signature's role, the ``version`` field the format). Log leaf bytes:
``JCS({"signature": base64, "statement": statement})``. Attestation id: hex SHA-256 of
the leaf bytes. No recipient or upstream supplier appears in the statement.

``from_dict`` accepts only the canonical form of every field (lowercase hex, canonical
base64, ``YYYY-MM-DDTHH:MM:SSZ``), so ``to_dict(from_dict(d)) == d`` and the signed bytes
of a parsed statement are exactly the bytes its issuer signed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Generic, Self, TypeVar, overload

import nacl.exceptions
from nacl.signing import SigningKey

from anchors import leaf_hash
from sdk._canonical import (
    STATEMENT_TAG,
    JsonValue,
    b64decode,
    b64encode,
    canonical_json,
    hex_decode,
    loads_strict,
    require_keys,
)
from sdk._claims import MIN_CLAIM_BUCKET, is_claim_bucket
from sdk._ids import OrgId
from sdk._keys import OrgKeys, key_id, verify_key_of
from sdk.errors import InvalidOrgId, VerificationError
from sdk.zk import Commitment, ProofError

STATEMENT_TYPE = "tanji.statement"
STATEMENT_VERSION = 2

VALUE_COMMITMENT = "valueCommitment"
VALUE_RANGE_PROOF_DIGEST = "valueRangeProofDigest"
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _check_value_commitment(value: JsonValue) -> None:
    try:
        Commitment.from_json(value)
    except ProofError as exc:
        raise ValueError(f"extensions.{VALUE_COMMITMENT}: {exc.reason}") from exc


def _check_proof_digest(value: JsonValue) -> None:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise ValueError(f"extensions.{VALUE_RANGE_PROOF_DIGEST} must be 64 lowercase hex")


STATEMENT_EXTENSIONS: Mapping[str, Callable[[JsonValue], None]] = MappingProxyType(
    {
        VALUE_COMMITMENT: _check_value_commitment,
        VALUE_RANGE_PROOF_DIGEST: _check_proof_digest,
    }
)
"""Extension name → validator (raises :class:`ValueError` for a malformed value). Each
addition to the statement is one entry here plus the verification step that checks it:

* ``valueCommitment``: a Pedersen commitment to the PCF value (64 hex, a canonical
  non-identity ristretto255 point), opened by the envelope's ``valueOpening``
  (:func:`sdk.check_value_opening`);
* ``valueRangeProofDigest``: hex SHA-256 of the range proof published with the statement
  (:func:`sdk.check_value_range_proof`). The two come together or not at all."""

_STATEMENT_FIELDS = (
    "type",
    "version",
    "issuer",
    "keyId",
    "subjectDigest",
    "commitment",
    "claimCount",
    "created",
    "supersedes",
    "envelopeDigest",
    "extensions",
)
# ASCII digits only: `\d` in a str pattern is any Unicode digit, and "２026-…" (a
# fullwidth 2) would parse to the same time and re-serialise to other bytes.
_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")
_ATTESTATION_ID = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{32}")
_SIG_PREFIX = STATEMENT_TAG.encode("ascii") + b"\0"
_SCHEMA = "statement.schema"


_T = TypeVar("_T")


class _memo(Generic[_T]):
    """``functools.cached_property`` without the lock it takes on every first access on
    Python 3.11: the cached values (canonical bytes, digests) are pure functions of a
    frozen object, so two threads racing would at worst compute one twice."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self._func = func
        self._name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> _T: ...
    def __get__(self, obj: object, owner: type | None = None) -> _T | Self:
        if obj is None:
            return self
        value = obj.__dict__[self._name] = self._func(obj)
        return value


def format_time(when: datetime) -> str:
    """RFC 3339 UTC with ``Z`` and whole seconds; raises :class:`ValueError` if naive."""
    if when.tzinfo is not UTC:
        if when.utcoffset() is None:
            raise ValueError("naive datetime refused; pass a timezone-aware time")
        when = when.astimezone(UTC)
    # isoformat() of an aware time: "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00"
    return when.isoformat()[:19] + "Z"


def parse_time(text: object, what: str) -> datetime:
    """Parse ``YYYY-MM-DDTHH:MM:SSZ`` (ASCII digits) into an aware UTC datetime;
    :class:`ValueError` otherwise."""
    match = _TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f"{what} must be RFC 3339 UTC 'YYYY-MM-DDTHH:MM:SSZ' in ASCII digits, got {text!r}"
        )
    try:
        year, month, day, hour, minute, second = map(int, match.groups())
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as exc:
        raise ValueError(f"{what} is not a valid time: {text!r}") from exc


def require_aware(when: datetime, what: str) -> datetime:
    """Return ``when`` if it is timezone-aware; raise :class:`ValueError` naming ``what``."""
    if not isinstance(when, datetime) or when.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")
    return when


def is_attestation_id(text: object) -> bool:
    """True for 64 lowercase hex characters."""
    return isinstance(text, str) and _ATTESTATION_ID.fullmatch(text) is not None


@dataclass(frozen=True)
class Statement:
    """The public part of an attestation. Validated on construction.

    Raises :class:`~sdk.errors.VerificationError` at step ``statement.schema`` naming the
    bad field (wrong digest size, naive or fractional ``created``, claim count not a
    bucket, malformed key id or ``supersedes``, unknown or malformed extension).
    """

    issuer: OrgId
    key_id: str
    subject_digest: bytes
    commitment: bytes
    claim_count: int
    created: datetime
    supersedes: str | None
    envelope_digest: bytes
    extensions: Mapping[str, JsonValue] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        try:
            if not isinstance(self.issuer, OrgId):
                raise ValueError("issuer must be an OrgId")
            if not isinstance(self.key_id, str) or not _KEY_ID.fullmatch(self.key_id):
                raise ValueError("keyId must be 32 lowercase hex characters")
            for name in ("subject_digest", "commitment", "envelope_digest"):
                value = getattr(self, name)
                if not isinstance(value, bytes) or len(value) != 32:
                    raise ValueError(f"{name} must be 32 bytes")
            if not is_claim_bucket(self.claim_count):
                raise ValueError(
                    f"claimCount {self.claim_count!r} is not a claim bucket (a power of two, "
                    f"at least {MIN_CLAIM_BUCKET}): the claims were not padded"
                )
            require_aware(self.created, "created")
            if self.created.microsecond:
                raise ValueError("created must be whole seconds")
            if self.supersedes is not None and not is_attestation_id(self.supersedes):
                raise ValueError("supersedes must be an attestation id (64 hex) or null")
            if not isinstance(self.extensions, Mapping):
                raise ValueError("extensions must be a JSON object")
            for name, value in self.extensions.items():
                check = STATEMENT_EXTENSIONS.get(name)
                if check is None:
                    raise ValueError(
                        f"unknown statement extension {name!r}: this verifier cannot check it"
                    )
                check(value)
            if (VALUE_COMMITMENT in self.extensions) != (
                VALUE_RANGE_PROOF_DIGEST in self.extensions
            ):
                raise ValueError(
                    f"extensions {VALUE_COMMITMENT} and {VALUE_RANGE_PROOF_DIGEST} come together"
                )
        except ValueError as exc:
            raise VerificationError(_SCHEMA, str(exc)) from exc

    def to_dict(self) -> dict[str, Any]:
        """The statement as JSON (the signed form)."""
        return {
            "type": STATEMENT_TYPE,
            "version": STATEMENT_VERSION,
            "issuer": str(self.issuer),
            "keyId": self.key_id,
            "subjectDigest": self.subject_digest.hex(),
            "commitment": self.commitment.hex(),
            "claimCount": self.claim_count,
            "created": format_time(self.created),
            "supersedes": self.supersedes,
            "envelopeDigest": self.envelope_digest.hex(),
            "extensions": dict(self.extensions) if self.extensions else {},
        }

    @classmethod
    def from_dict(cls, data: object) -> Statement:
        """Parse a statement.

        Raises :class:`~sdk.errors.VerificationError` at step ``statement.schema``.
        """
        try:
            doc = require_keys(data, "statement", _STATEMENT_FIELDS)
            if doc["type"] != STATEMENT_TYPE:
                raise ValueError(f"type must be {STATEMENT_TYPE!r}, got {doc['type']!r}")
            if type(doc["version"]) is not int or doc["version"] != STATEMENT_VERSION:
                raise ValueError(
                    f"unsupported statement version {doc['version']!r}: this verifier reads "
                    f"version {STATEMENT_VERSION} (see docs/privacy.md for what changed)"
                )
            if not isinstance(doc["issuer"], str):
                raise ValueError("issuer must be a string")
            issuer = OrgId.parse(doc["issuer"])
            if str(issuer) != doc["issuer"]:
                raise ValueError(f"issuer {doc['issuer']!r} is not in canonical form")
            statement = cls(
                issuer=issuer,
                key_id=doc["keyId"],
                subject_digest=hex_decode(doc["subjectDigest"], "subjectDigest", size=32),
                commitment=hex_decode(doc["commitment"], "commitment", size=32),
                claim_count=doc["claimCount"],
                created=parse_time(doc["created"], "created"),
                supersedes=doc["supersedes"],
                envelope_digest=hex_decode(doc["envelopeDigest"], "envelopeDigest", size=32),
                extensions=_extensions(doc["extensions"]),
            )
        except (ValueError, InvalidOrgId) as exc:
            raise VerificationError(_SCHEMA, str(exc)) from exc
        return statement

    @_memo
    def canonical_bytes(self) -> bytes:
        """``JCS(statement)``."""
        return canonical_json(self.to_dict())

    @_memo
    def signing_input(self) -> bytes:
        """``b"tanji.statement.v1\\0" + JCS(statement)``: the bytes the issuer signs."""
        return _SIG_PREFIX + self.canonical_bytes


def _extensions(raw: object) -> dict[str, JsonValue]:
    if not isinstance(raw, dict):
        raise ValueError("extensions must be a JSON object")
    return dict(raw)


@dataclass(frozen=True)
class SignedStatement:
    """A statement with its Ed25519 signature; the log leaf and the attestation id.

    Raises :class:`~sdk.errors.VerificationError` (``statement.schema``) if the signature
    is not 64 bytes. Constructing one does not verify the signature; see
    :func:`sdk.verify_statement_signature`.
    """

    statement: Statement
    signature: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.statement, Statement):
            raise VerificationError(_SCHEMA, "statement must be a Statement")
        if not isinstance(self.signature, bytes) or len(self.signature) != 64:
            raise VerificationError(_SCHEMA, "signature must be 64 bytes")

    def to_dict(self) -> dict[str, Any]:
        """``{"signature": base64, "statement": {...}}``."""
        return {"signature": b64encode(self.signature), "statement": self.statement.to_dict()}

    @classmethod
    def from_dict(cls, data: object) -> SignedStatement:
        """Parse ``{statement, signature}``.

        Raises :class:`~sdk.errors.VerificationError` at step ``statement.schema``.
        """
        try:
            doc = require_keys(data, "signed statement", ("signature", "statement"))
            signature = b64decode(doc["signature"], "signature", size=64)
        except ValueError as exc:
            raise VerificationError(_SCHEMA, str(exc)) from exc
        return cls(Statement.from_dict(doc["statement"]), signature)

    @classmethod
    def from_leaf_bytes(cls, data: bytes) -> SignedStatement:
        """Parse log leaf bytes; they must be the canonical JCS of a signed statement.

        Raises :class:`~sdk.errors.VerificationError` (``statement.schema``) for anything
        else, e.g. a claims-tree leaf (a JSON array) presented as a log leaf.
        """
        try:
            doc = loads_strict(data, "log leaf")
        except ValueError as exc:
            raise VerificationError(_SCHEMA, str(exc)) from exc
        signed = cls.from_dict(doc)
        if signed.leaf_bytes != data:
            raise VerificationError(_SCHEMA, "log leaf is not in RFC 8785 canonical form")
        return signed

    @_memo
    def leaf_bytes(self) -> bytes:
        """``JCS({"signature", "statement"})``: the log leaf data.

        Built by concatenation: JCS sorts ``signature`` before ``statement`` and a
        base64 string needs no escaping, so this equals ``canonical_json(self.to_dict())``
        without canonicalising the statement twice (a test checks the equality).
        """
        return (
            b'{"signature":"'
            + b64encode(self.signature).encode("ascii")
            + b'","statement":'
            + self.statement.canonical_bytes
            + b"}"
        )

    @_memo
    def leaf_hash(self) -> bytes:
        """RFC 9162 leaf hash of :attr:`leaf_bytes` (what the log stores)."""
        return leaf_hash(self.leaf_bytes)

    @_memo
    def attestation_id(self) -> str:
        """Hex SHA-256 of :attr:`leaf_bytes`; the same whichever log holds the leaf."""
        return hashlib.sha256(self.leaf_bytes).hexdigest()


def sign_statement(statement: Statement, keys: OrgKeys) -> SignedStatement:
    """Sign ``statement`` with the issuer's Ed25519 key.

    Raises :class:`ValueError` if ``keys`` belong to another organisation or their key id
    is not the statement's ``keyId``.
    """
    if keys.org_id != statement.issuer:
        raise ValueError(f"keys of {keys.org_id} cannot sign for issuer {statement.issuer}")
    if keys.signing_key_id != statement.key_id:
        raise ValueError(f"statement names key {statement.key_id}, keys hold {keys.signing_key_id}")
    return sign_statement_with(statement, keys.signing_key)


def sign_statement_with(statement: Statement, signing_key: SigningKey) -> SignedStatement:
    """Sign with a bare Ed25519 key, without checking it matches ``keyId`` (vectors, tools)."""
    return SignedStatement(statement, signing_key.sign(statement.signing_input).signature)


def verify_statement_signature(signed: SignedStatement, public_key: bytes) -> None:
    """Check the Ed25519 signature under ``public_key`` and that ``keyId`` names that key.

    Raises :class:`~sdk.errors.VerificationError` at step ``statement.signature``.
    """
    if key_id("ed25519", public_key) != signed.statement.key_id:
        raise VerificationError("statement.signature", "keyId does not name this public key")
    check_signature_bytes(signed, public_key)


def check_signature_bytes(signed: SignedStatement, public_key: bytes) -> None:
    """The Ed25519 check of :func:`verify_statement_signature` alone, for a caller that
    has already matched ``public_key`` to ``keyId``.

    Raises :class:`~sdk.errors.VerificationError` at step ``statement.signature``.
    """
    try:
        verify_key_of(public_key).verify(signed.statement.signing_input, signed.signature)
    except nacl.exceptions.BadSignatureError as exc:
        raise VerificationError(
            "statement.signature", f"signature does not verify under key {signed.statement.key_id}"
        ) from exc
