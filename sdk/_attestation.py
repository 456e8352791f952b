"""Build an attestation from a footprint (issuer, DESIGN.md §6.1: claims + commitment →
envelope → sign), make grants and disclosures from it, and open one that was granted
(recipient: grant → envelope → recompute the commitment).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from nacl.public import PrivateKey, PublicKey

from sdk._canonical import JsonValue
from sdk._claims import MASTER_SALT_SIZE, SUBJECT_POINTER, ClaimSet
from sdk._disclosure import Disclosure, disclose
from sdk._envelope import (
    DATA_KEY_SIZE,
    NONCE_SIZE,
    Envelope,
    EnvelopeContent,
    Grant,
    make_grant,
    open_envelope,
    open_grant,
    seal_envelope,
)
from sdk._ids import OrgId
from sdk._keys import OrgKeys, Rng
from sdk._statement import (
    VALUE_COMMITMENT,
    VALUE_RANGE_PROOF_DIGEST,
    SignedStatement,
    Statement,
    format_time,
    is_attestation_id,
    require_aware,
    sign_statement,
)
from sdk._valueproof import (
    check_value_opening,
    context_of,
    footprint_value,
    prove_value_range,
    range_proof_digest,
    value_context,
)
from sdk.errors import SdkError, VerificationError
from sdk.zk import (
    Opening,
    RangeProof,
    RollupProof,
    UpstreamOpening,
    commit_random,
    prove_rollup,
    rollup_own_opening,
    scale_total,
    scale_value,
)


@dataclass(frozen=True)
class Attestation:
    """An attestation as its issuer holds it: the public signed statement, the envelope,
    and the secrets needed to grant and disclose (data key, claims with salts).
    """

    signed_statement: SignedStatement
    envelope: Envelope
    content: EnvelopeContent = field(repr=False)
    claims: ClaimSet = field(repr=False)
    data_key: bytes = field(repr=False)

    @property
    def attestation_id(self) -> str:
        """Hex SHA-256 of the log leaf bytes."""
        return self.signed_statement.attestation_id

    def grant(
        self, recipient: OrgId | str, recipient_key: PublicKey, *, rng: Rng = os.urandom
    ) -> Grant:
        """Seal the data key to ``recipient``'s X25519 key (see :func:`sdk.make_grant`)."""
        oid = OrgId.parse(recipient) if isinstance(recipient, str) else recipient
        return make_grant(self.attestation_id, self.data_key, oid, recipient_key, rng=rng)

    def disclose(self, pointers: Iterable[str]) -> Disclosure:
        """Disclose the claims at ``pointers``; raises :class:`KeyError` for an unknown one."""
        return disclose(self.claims, self.attestation_id, pointers)

    @cached_property
    def value_range_proof(self) -> RangeProof | None:
        """The range proof published with the statement (None when it commits to no
        value): recomputed from the envelope's opening, byte for byte the proof whose
        digest the statement signs (:func:`sdk.prove_value_range`)."""
        if self.content.value_opening is None:
            return None
        opening = Opening.from_json(self.content.value_opening)
        return prove_value_range(opening, value_context(self.signed_statement.statement))

    @property
    def rollup_proof(self) -> RollupProof | None:
        """A leader's committed roll-up proof (None for an attestation without one)."""
        raw = self.content.rollup
        return None if raw is None else RollupProof.from_json(raw["proof"])

    @property
    def public_rollup_proof(self) -> RollupProof | None:
        """The roll-up proof to publish with the statement: the leader chose to make its
        lines (upstream attestations and quantities) public."""
        raw = self.content.rollup
        return self.rollup_proof if raw is not None and raw["public"] else None


def create_attestation(
    keys: OrgKeys,
    *,
    product_id: str | None = None,
    footprint: Mapping[str, JsonValue],
    inventory: JsonValue,
    now: datetime,
    upstream_disclosures: Sequence[Disclosure] = (),
    supersedes: str | None = None,
    commit_value: bool = False,
    rollup: Sequence[UpstreamOpening] | None = None,
    rollup_public: bool = False,
    rng: Rng = os.urandom,
) -> Attestation:
    """Flatten, commit, encrypt and sign one footprint.

    ``commit_value``: the statement carries a Pedersen commitment to the PCF value
    (``/pcf/pcfExcludingBiogenicUptake`` in grams, rounded up) and the digest of its range
    proof (:attr:`Attestation.value_range_proof`, published next to the statement); the
    envelope its opening. ``rollup`` (needs ``commit_value``): the upstream lines with
    their openings, for a leader's committed roll-up proof that the value is at least
    Σ q_i·v_i (:func:`sdk.zk.prove_rollup`, bound to this statement); the proof and the
    opening of its own term go in the envelope, with ``rollup_public`` (the leader
    publishes the proof, hence its lines, next to the statement). ``rng`` is drawn after
    the nonce for the value's blinding (64) and then the roll-up's draws.

    The attestation is about the footprint's ``/productIds/0``: the statement's subject is
    that claim's leaf hash, a salted commitment (``product_id``, when given, must be that
    id). ``now`` becomes ``created`` (truncated to whole seconds; must be timezone-aware).
    ``rng`` is drawn in a fixed order: master salt (32), data key (32), nonce (24), so a
    seeded ``rng`` reproduces the attestation byte for byte. The upstream disclosures are
    stored in the envelope and their attestation ids committed at ``/tanji/upstream/<i>``;
    the claims are padded to their bucket.

    Raises :class:`ValueError` for a naive ``now``, a footprint without a product id (or
    another one than ``product_id``) or a malformed ``supersedes``; with
    ``commit_value``, a footprint value that is missing, negative or too large
    (:class:`~sdk.zk.ZkInputError`, a ValueError; ``rollup.own``: the declared value is
    below the weighted sum of the upstream values);
    :class:`~sdk.errors.CanonicalizationError` /
    :class:`~sdk.errors.FootprintError` for a document that is not canonical JSON (e.g.
    floats); :class:`~sdk.errors.VerificationError` (``claims.duplicate``) if the
    footprint collides with the reserved ``/tanji/...`` pointers.
    """
    created = require_aware(now, "now").replace(microsecond=0)
    if supersedes is not None and not is_attestation_id(supersedes):
        raise ValueError("supersedes must be an attestation id (64 lowercase hex)")
    footprint_doc: dict[str, JsonValue] = dict(footprint)
    ids = footprint_doc.get("productIds")
    named = ids[0] if isinstance(ids, list) and ids else None
    if not isinstance(named, str) or not named:
        raise ValueError(f"the footprint names no product: {SUBJECT_POINTER} must be a string")
    if product_id is not None and product_id != named:
        raise ValueError(f"product id {product_id!r} is not the footprint's {named!r}")
    master_salt = rng(MASTER_SALT_SIZE)
    data_key = rng(DATA_KEY_SIZE)
    nonce = rng(NONCE_SIZE)
    claims = ClaimSet.build(
        footprint_doc,
        master_salt,
        inventory=inventory,
        upstream=[d.attestation_id for d in upstream_disclosures],
    )
    subject = claims.subject
    extensions: dict[str, JsonValue] = {}
    value_opening: Opening | None = None
    rollup_json: dict[str, Any] | None = None
    if rollup is not None and not commit_value:
        raise ValueError("a committed roll-up needs commit_value=True")
    if commit_value:
        declared = footprint_value(footprint_doc)
        commitment, value_opening = commit_random(scale_value(declared), rng)
        context = context_of(
            str(keys.org_id), keys.signing_key_id, subject, claims.commitment, format_time(created)
        )
        proof = prove_value_range(value_opening, context)
        extensions = {
            VALUE_COMMITMENT: commitment.to_json(),
            VALUE_RANGE_PROOF_DIGEST: range_proof_digest(proof),
        }
        if rollup is not None:
            rolled = prove_rollup(
                rollup, declared_total=scale_total(declared), context=context, rng=rng
            )
            rollup_json = {
                "proof": rolled.to_json(),
                "ownOpening": rollup_own_opening(rolled, rollup).to_json(),
                "public": rollup_public,
            }
    content = EnvelopeContent(
        footprint=footprint_doc,
        master_salt=master_salt,
        inventory=inventory,
        upstream_disclosures=tuple(d.to_dict() for d in upstream_disclosures),
        value_opening=None if value_opening is None else value_opening.to_json(),
        rollup=rollup_json,
    )
    envelope = seal_envelope(
        content, issuer=keys.org_id, subject_digest=subject, data_key=data_key, nonce=nonce
    )
    statement = Statement(
        issuer=keys.org_id,
        key_id=keys.signing_key_id,
        subject_digest=subject,
        commitment=claims.commitment,
        claim_count=len(claims),
        created=created,
        supersedes=supersedes,
        envelope_digest=envelope.digest,
        extensions=extensions,
    )
    return Attestation(sign_statement(statement, keys), envelope, content, claims, data_key)


@dataclass(frozen=True)
class OpenedAttestation:
    """A decrypted attestation whose content recomputes the signed commitment."""

    signed_statement: SignedStatement
    content: EnvelopeContent = field(repr=False)
    claims: ClaimSet = field(repr=False)
    data_key: bytes = field(repr=False)


def open_attestation(
    signed: SignedStatement,
    envelope: Envelope,
    grant: Grant,
    keys: OrgKeys | PrivateKey,
) -> OpenedAttestation:
    """Decrypt an attestation granted to ``keys`` and check it against the commitment.

    Does not check the signature or anchoring (:func:`verify_receipt` does). Steps:
    (11) ``grant`` — open the grant; (10) ``envelope`` — digest and AEAD;
    (12) ``claims.duplicate`` / ``claims.commitment`` — the footprint, inventory and
    upstream references (padded) recompute the signed commitment and claim count;
    (13) ``claims.subject`` — the statement's subject is the leaf of the footprint's
    ``/productIds/0``; (14) ``commitment.opening`` — when the statement commits to its
    value, the envelope's ``valueOpening`` opens it to the footprint's value
    (:func:`sdk.check_value_opening`). Raises :class:`~sdk.errors.VerificationError`
    naming the failed step.
    """
    return open_with_data_key(signed, envelope, open_grant(grant, keys, signed.attestation_id))


def open_with_data_key(
    signed: SignedStatement, envelope: Envelope, data_key: bytes
) -> OpenedAttestation:
    """:func:`open_attestation` after the grant: for a holder of the data key itself (the
    issuer's wallet, a recipient's wallet reopening what it stored).

    Steps (10) ``envelope``, (12) ``claims.*``, (13) and (14) as in
    :func:`open_attestation`.
    """
    content = open_envelope(envelope, data_key, signed.statement)
    try:
        upstream = [Disclosure.from_dict(d).attestation_id for d in content.upstream_disclosures]
        claims = ClaimSet.build(
            content.footprint,
            content.master_salt,
            inventory=content.inventory,
            upstream=upstream,
        )
    except VerificationError as exc:
        if exc.step == "claims.duplicate":
            raise
        raise VerificationError("claims.commitment", f"envelope content: {exc}") from exc
    except (SdkError, ValueError) as exc:
        raise VerificationError("claims.commitment", f"envelope content: {exc}") from exc
    if len(claims) != signed.statement.claim_count or not hmac.compare_digest(
        claims.commitment, signed.statement.commitment
    ):
        raise VerificationError(
            "claims.commitment", "decrypted content does not recompute the signed commitment"
        )
    # (13) the subject commitment opens to the footprint's product id.
    if SUBJECT_POINTER not in claims or not hmac.compare_digest(
        claims.subject, signed.statement.subject_digest
    ):
        raise VerificationError(
            "claims.subject",
            f"the statement's subject is not the footprint's {SUBJECT_POINTER}",
        )
    # (14) the value commitment opens to the footprint's value.
    check_value_opening(signed.statement, content.value_opening, content.footprint)
    return OpenedAttestation(signed, content, claims, data_key)
