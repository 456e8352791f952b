"""Factor sets as public attestations: an industry association publishes, anyone verifies.

A public attestation is an ordinary Tanji attestation (statement signed, logged, anchored)
whose every claim is also published in the clear: the issuer stores a *full* disclosure
(every claim with its salt and proof) on the node, and anyone can fetch it without
authentication and check each value against the signed, anchored commitment.

For a factor set the committed document is::

    {"productIds": ["urn:tanji:factorset:<name>@<version>"],
     "factorSet": FactorSet.to_dict(),
     "factorSetDigest": FactorSet.digest()}

so the statement's subject is the set's URN and the set's digest is itself a claim. A
leader's inventory names the attestation (``factorSet.attestation``); a certifier fetches
the set with :func:`fetch_public_factor_set` and checks the inventory's factors against
it (``rollup.factors``).
"""

from __future__ import annotations

import hmac
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sdk._attestation import Attestation, create_attestation
from sdk._canonical import JsonValue
from sdk._claims import flatten
from sdk._disclosure import Disclosure, verify_disclosure
from sdk._statement import SignedStatement
from sdk.errors import FactorError, NodeClientError, SdkError, VerificationError
from sdk.footprint import FactorSet
from sdk.roles._party import Party
from sdk.roles._trust import AnchoredLeaf, check_signature, prove_anchored

if TYPE_CHECKING:
    from anchors.chain import AnchorRegistryClient
    from sdk.registry import ParticipantRegistryClient

#: Prefix of a factor set's subject: ``urn:tanji:factorset:<name>@<version>``.
FACTOR_SET_URN_PREFIX = "urn:tanji:factorset:"

_SUBJECT = "/productIds/0"
_DOCUMENT_KEYS = {"productIds", "factorSet", "factorSetDigest"}
_RESERVED = "/tanji/"


def factor_set_subject(factor_set: FactorSet) -> str:
    """The URN a factor set's attestation is about: ``urn:tanji:factorset:<name>@<version>``."""
    return f"{FACTOR_SET_URN_PREFIX}{factor_set.id}"


def factor_set_document(factor_set: FactorSet) -> dict[str, Any]:
    """The document a factor set's public attestation commits to (see module docstring)."""
    return {
        "productIds": [factor_set_subject(factor_set)],
        "factorSet": factor_set.to_dict(),
        "factorSetDigest": factor_set.digest(),
    }


class PublicSource(Protocol):
    """What :func:`fetch_public_factor_set` reads from a node (a NodeClient has it all)."""

    def statement(self, attestation_id: str) -> dict[str, Any]: ...
    def public_disclosure(self, attestation_id: str) -> dict[str, Any]: ...
    def receipt(self, attestation_id: str) -> dict[str, Any]: ...
    def inclusion_proof(self, index: int, size: int) -> dict[str, Any]: ...


@dataclass(frozen=True)
class PublishedFactorSet:
    """A factor set as published: the attestation, where it is logged, its full disclosure."""

    factor_set: FactorSet
    attestation: Attestation
    log_id: str
    index: int
    disclosure: Disclosure

    @property
    def attestation_id(self) -> str:
        """Hex SHA-256 of the log leaf: what inventories reference."""
        return self.attestation.attestation_id


class FactorPublisher(Party):
    """An industry association publishing emission factor sets for its members to cite.

    On chain it needs a role the node accepts for publishing (SUPPLIER, LEADER or
    CERTIFIER); an association holds SUPPLIER, the least privileged of them, since it
    publishes but neither requests footprints nor issues labels.
    """

    def publish_factor_set(
        self,
        factor_set: FactorSet,
        *,
        now: datetime | None = None,
        supersedes: str | None = None,
    ) -> PublishedFactorSet:
        """Publish ``factor_set`` as a public attestation at ``now`` (default: the clock).

        Signs and logs the attestation (no grants: nobody needs the envelope), then stores
        the full disclosure on the node so anyone can read and verify every factor.
        ``supersedes`` names an earlier version's attestation this one replaces.
        Guarantees on return: the attestation is logged and its disclosure is public.
        Raises :class:`ValueError` for a naive ``now``, :class:`~sdk.errors.NodeClientError`
        when the node refuses (e.g. 403: the association holds no publishing role).
        """
        when = self.now() if now is None else now
        if when.utcoffset() is None:
            raise ValueError("naive datetime refused; pass a timezone-aware time")
        attestation = create_attestation(
            self.keys,
            product_id=factor_set_subject(factor_set),
            footprint=factor_set_document(factor_set),
            inventory=None,
            now=when,
            supersedes=supersedes,
            rng=self._rng,
        )
        result = self.node.publish(
            attestation.signed_statement.to_dict(), attestation.envelope.to_dict(), []
        )
        disclosure = attestation.disclose(attestation.claims.values())
        self.node.put_public_disclosure(attestation.attestation_id, disclosure.to_dict())
        return PublishedFactorSet(
            factor_set, attestation, str(result["logId"]), int(result["index"]), disclosure
        )


def fetch_public_factor_set(
    node: PublicSource,
    attestation_id: str,
    *,
    anchors: AnchorRegistryClient | None = None,
    participants: ParticipantRegistryClient | None = None,
    expected_id: str | None = None,
    publishers: Collection[str] | None = None,
) -> FactorSet:
    """Fetch a factor set published as a public attestation and verify every factor.

    Steps, each raising :class:`~sdk.errors.VerificationError` with its name:
    ``factorset.fetch`` (the node serves the statement and a public disclosure),
    ``factorset.leaf`` (the statement hashes to ``attestation_id``),
    ``factorset.anchor`` (with ``anchors``: the leaf is in a head anchored on chain),
    ``factorset.signature`` (with ``anchors`` and ``participants``: a key of the issuer
    valid at anchoring time), ``factorset.disclosure`` (every disclosed claim verifies
    against the signed commitment and together they are *all* the committed claims),
    ``factorset.document`` (the claims form a valid factor set whose URN is the
    statement's subject and whose digest is the committed one; ``expected_id`` when
    given), ``factorset.issuer`` (with ``publishers``: the issuer is one of them; checked
    first, so an untrusted publisher's set is not even parsed).
    """
    signed = _fetch_statement(node, attestation_id)
    try:
        raw = node.public_disclosure(attestation_id)
    except NodeClientError as exc:
        reason = (
            "the attestation is not published as public"
            if exc.status == 404
            else f"cannot fetch its public disclosure: {exc}"
        )
        raise VerificationError("factorset.fetch", reason) from exc
    issuer = str(signed.statement.issuer)
    if publishers is not None and issuer not in publishers:
        raise VerificationError(
            "factorset.issuer",
            f"published by {issuer}, not by an accepted factor publisher "
            f"({', '.join(sorted(publishers)) or 'none configured'})",
        )
    if anchors is not None:
        leaf = _anchored(node, anchors, signed, attestation_id)
        if participants is not None:
            try:
                check_signature(participants, leaf)
            except VerificationError as exc:
                raise VerificationError("factorset.signature", exc.reason) from exc
    values = _verified_values(raw, signed)
    factor_set = factor_set_from_claims(values)
    if expected_id is not None and factor_set.id != expected_id:
        raise VerificationError(
            "factorset.document", f"the attestation publishes {factor_set.id}, not {expected_id}"
        )
    return factor_set


def factor_set_from_claims(values: Mapping[str, JsonValue]) -> FactorSet:
    """Rebuild the factor set from its verified claims (pointer → value), pure.

    ``values`` must come from :func:`sdk.verify_disclosure` of a full disclosure, which
    opened the statement's subject to ``/productIds/0``. Raises
    ``VerificationError("factorset.document", …)`` when the claims are not a factor set
    document, its URN is not the disclosed subject, or the committed digest is not the
    set's digest.
    """
    pairs = {p: val for p, val in values.items() if not p.startswith(_RESERVED)}
    try:
        doc = _unflatten(pairs)
        if not isinstance(doc, dict) or set(doc) != _DOCUMENT_KEYS:
            raise FactorError(f"the document's fields are not {sorted(_DOCUMENT_KEYS)}")
        if dict(flatten(doc)) != pairs:
            raise FactorError("the claims do not form one JSON document")
        factor_set = FactorSet.from_dict(doc["factorSet"])
    except (FactorError, SdkError, ValueError) as exc:
        raise VerificationError("factorset.document", f"not a factor set: {exc}") from exc
    # The full disclosure verified against the statement (verify_disclosure), so the
    # statement's subject commitment opens to values[/productIds/0].
    subject = factor_set_subject(factor_set)
    if values.get(_SUBJECT) != subject or doc["productIds"] != [subject]:
        raise VerificationError(
            "factorset.document", f"the document names {doc['productIds']!r}, not [{subject!r}]"
        )
    if doc["factorSetDigest"] != factor_set.digest():
        raise VerificationError(
            "factorset.document",
            f"committed digest {str(doc['factorSetDigest'])[:16]}… is not the digest of the "
            f"disclosed factors {factor_set.digest()[:16]}…",
        )
    return factor_set


def _fetch_statement(node: PublicSource, attestation_id: str) -> SignedStatement:
    try:
        signed = SignedStatement.from_dict(node.statement(attestation_id))
    except NodeClientError as exc:
        raise VerificationError(
            "factorset.fetch", f"the node has no attestation {attestation_id[:16]}…: {exc}"
        ) from exc
    except VerificationError as exc:
        raise VerificationError("factorset.leaf", f"malformed statement: {exc}") from exc
    if not hmac.compare_digest(signed.attestation_id.encode(), attestation_id.encode()):
        raise VerificationError("factorset.leaf", "the node served another statement")
    return signed


def _anchored(
    node: PublicSource,
    anchors: AnchorRegistryClient,
    signed: SignedStatement,
    attestation_id: str,
) -> AnchoredLeaf:
    try:
        position = node.receipt(attestation_id)
        log_id = str(position["anchor"]["logId"])
        index = int(position["leafIndex"])
    except NodeClientError as exc:
        raise VerificationError(
            "factorset.anchor", f"the factor set's attestation is not anchored: {exc.message}"
        ) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise VerificationError("factorset.anchor", f"malformed receipt: {exc}") from exc
    try:
        return prove_anchored(node, anchors, signed, log_id, index)
    except VerificationError as exc:
        raise VerificationError("factorset.anchor", exc.reason) from exc


def _verified_values(raw: Any, signed: SignedStatement) -> dict[str, JsonValue]:
    try:
        disclosure = Disclosure.from_dict(raw)
        values = verify_disclosure(disclosure, signed)
    except VerificationError as exc:
        raise VerificationError("factorset.disclosure", f"{exc.step}: {exc.reason}") from exc
    except (SdkError, ValueError, TypeError, KeyError) as exc:
        raise VerificationError("factorset.disclosure", f"malformed disclosure: {exc}") from exc
    count = signed.statement.claim_count
    if len(values) != count:
        raise VerificationError(
            "factorset.disclosure",
            f"the public disclosure reveals {len(values)} of the {count} committed claims",
        )
    return values


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _unflatten(pairs: Mapping[str, JsonValue]) -> Any:
    """The JSON object whose leaves are ``pairs`` (pointer → value); arrays are objects
    keyed ``0..n-1``. The caller re-flattens to check the result."""
    root: dict[str, Any] = {}
    for pointer, value in pairs.items():
        if not pointer.startswith("/"):
            raise ValueError(f"not a JSON pointer: {pointer!r}")
        tokens = [_unescape(t) for t in pointer[1:].split("/")]
        node = root
        for token in tokens[:-1]:
            child = node.setdefault(token, {})
            if not isinstance(child, dict):
                raise ValueError(f"{pointer}: a leaf value has children")
            node = child
        if tokens[-1] in node:
            raise ValueError(f"{pointer}: a container is also a leaf")
        node[tokens[-1]] = value
    return _arrays(root)


def _arrays(value: Any) -> Any:
    if not isinstance(value, dict) or not value:
        return value
    items = {k: _arrays(v) for k, v in value.items()}
    if set(items) == {str(i) for i in range(len(items))}:
        return [items[str(i)] for i in range(len(items))]
    return items
