"""The chain leader (链主企业): requests suppliers' footprints, rolls them up, publishes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sdk._attestation import OpenedAttestation, open_attestation
from sdk._disclosure import Disclosure, disclose
from sdk._envelope import Envelope, Grant
from sdk._ids import OrgId
from sdk._statement import SignedStatement
from sdk._valueproof import value_commitment
from sdk.errors import FootprintError, NodeClientError, RoleError, VerificationError
from sdk.footprint import BomLine, Dqr, Inventory, ProductFootprint, RollupResult, roll_up
from sdk.roles._labelling import (
    PRODUCT_POINTER,
    UNIT_AMOUNT_POINTER,
    UNIT_POINTER,
    VALUE_POINTER,
)
from sdk.roles._party import Published, Supplier
from sdk.roles._rollup import committed_lines
from sdk.roles._trust import check_current_signature
from sdk.wallet import ReceivedRecord
from sdk.zk import Opening, RollupLine, UpstreamOpening

UPSTREAM_POINTERS: tuple[str, ...] = (
    PRODUCT_POINTER,
    VALUE_POINTER,
    UNIT_POINTER,
    UNIT_AMOUNT_POINTER,
)
"""The claims of a supplier's attestation a leader passes on as lineage."""


@dataclass(frozen=True)
class SupplierFootprint:
    """A supplier's footprint as the leader received it: decrypted, checked, and the
    disclosure of its PCF claims that the leader carries into its own attestation.
    The decrypted attestation stays out of ``repr``."""

    request_id: str
    supplier: OrgId
    product_id: str
    attestation_id: str
    value: Decimal
    declared_unit: str
    declared_amount: Decimal
    disclosure: Disclosure = field(repr=False)
    opened: OpenedAttestation = field(repr=False)

    @property
    def footprint(self) -> dict[str, Any]:
        """The supplier's whole PACT document, readable by the leader as a grantee."""
        return dict(self.opened.content.footprint)


@dataclass(frozen=True)
class RolledUp:
    """A roll-up ready to publish: the result, its inventory and the lineage it used (the
    raw inventory and breakdown stay out of ``repr``)."""

    result: RollupResult = field(repr=False)
    inventory: Inventory = field(repr=False)
    supplied: tuple[SupplierFootprint, ...]

    @property
    def footprint(self) -> ProductFootprint:
        """The rolled-up PACT footprint (with the Tanji extension)."""
        return self.result.footprint

    @property
    def upstream(self) -> tuple[Disclosure, ...]:
        """The supplier disclosures the leader's envelope will carry, in BOM order."""
        return tuple(s.disclosure for s in self.supplied)


class Leader(Supplier):
    """A chain leader. It is also a supplier (it publishes its own product's footprint)."""

    @staticmethod
    def bom_line(
        supplied: SupplierFootprint,
        *,
        line_id: str,
        quantity: Decimal,
        unit: str | None = None,
        description: str | None = None,
        dqr: Dqr | None = None,
    ) -> BomLine:
        """A BOM line taking the supplier's disclosed PCF as is, citing its attestation.

        ``unit`` defaults to the supplier's declared unit; ``dqr`` to the supplier's own
        data quality ratings when it declared them, else 1 (primary, supplier-specific).
        The supplier's primary data share carries over.
        """
        pcf = supplied.footprint.get("pcf", {})
        share = pcf.get("primaryDataShare") if isinstance(pcf, dict) else None
        return BomLine(
            line_id=line_id,
            description=description or f"{supplied.product_id} from {supplied.supplier}",
            quantity=quantity,
            unit=unit or supplied.declared_unit,
            supplier_pcf=supplied.value,
            supplier_declared_unit=supplied.declared_unit,
            supplier_declared_amount=supplied.declared_amount,
            dqr=dqr if dqr is not None else _supplier_dqr(pcf),
            primary=True,
            supplier_attestation_id=supplied.attestation_id,
            supplier_product_id=supplied.product_id,
            supplier_primary_data_share=Decimal(str(share)) if share is not None else None,
        )

    @staticmethod
    def unverified_bom_line(
        footprint: Mapping[str, Any],
        supplier: str,
        *,
        line_id: str,
        quantity: Decimal,
        unit: str | None = None,
        description: str | None = None,
    ) -> BomLine:
        """A BOM line from a footprint received without an attestation (pulled from a
        PACT server, docs/pact.md §6): nothing signed or logged it, so it counts as
        secondary data: 0 % in the primary data share, and its data quality is the
        supplier's declared DQRs or, when it declared none, the worst rating (3). It
        cites no attestation; the description starts with ``UNVERIFIED`` and the
        certifier lists it (``CertificationCheck.unverified``). Raises FootprintError
        naming the field of a footprint without a usable PCF."""
        pcf = footprint.get("pcf")
        ids = footprint.get("productIds")
        if not isinstance(pcf, Mapping) or not isinstance(ids, list) or not ids:
            raise FootprintError("", "a PACT footprint with productIds and pcf is needed")
        try:
            value = Decimal(str(pcf["pcfExcludingBiogenicUptake"]))
            declared_unit = str(pcf["declaredUnitOfMeasurement"])
            amount = Decimal(str(pcf["declaredUnitAmount"]))
        except (KeyError, ArithmeticError) as exc:
            raise FootprintError("/pcf", f"no usable PCF value: {exc}") from None
        dqr = _supplier_dqr(dict(pcf), default=Dqr.uniform(3))
        product = str(ids[0])
        return BomLine(
            line_id=line_id,
            description=description
            or f"UNVERIFIED (PACT, not attested): {product} from {supplier}",
            quantity=quantity,
            unit=unit or declared_unit,
            supplier_pcf=value,
            supplier_declared_unit=declared_unit,
            supplier_declared_amount=amount,
            dqr=dqr,
            primary=False,
            supplier_product_id=product,
        )

    def roll_up(self, inventory: Inventory, supplied: Sequence[SupplierFootprint]) -> RolledUp:
        """Roll ``inventory`` up (Σ quantity × supplier PCF + own activity × factors).

        Before computing, the lineage is checked the way a certifier will check it: every
        BOM line citing a supplier attestation must use exactly the value in ``supplied``
        for it. Raises :class:`RoleError` naming the first line that does not, and the
        footprint package's :class:`~sdk.errors.UnitError` / ``FootprintError``.
        """
        by_id = {s.attestation_id: s for s in supplied}
        for line in inventory.bom:
            cited = line.supplier_attestation_id
            if cited is None:
                continue
            found = by_id.get(cited)
            if found is None:
                raise RoleError(f"BOM line {line.line_id!r} cites {cited}, which was not collected")
            if found.value != line.supplier_pcf:
                raise RoleError(
                    f"BOM line {line.line_id!r} uses {line.supplier_pcf}, the supplier "
                    f"attested {found.value}"
                )
        used = [
            s
            for s in supplied
            if any(b.supplier_attestation_id == s.attestation_id for b in inventory.bom)
        ]
        return RolledUp(roll_up(inventory), inventory, tuple(used))

    def publish_rollup(
        self,
        rolled: RolledUp,
        recipients: Iterable[OrgId | str] = (),
        *,
        supersedes: str | None = None,
        committed: bool | None = None,
        publish_lines: bool = True,
        disclose_upstream: bool = True,
    ) -> Published:
        """:meth:`publish_rollup_at` now."""
        return self.publish_rollup_at(
            rolled,
            recipients,
            now=self.now(),
            supersedes=supersedes,
            committed=committed,
            publish_lines=publish_lines,
            disclose_upstream=disclose_upstream,
        )

    def committed_upstream(self, rolled: RolledUp) -> list[UpstreamOpening]:
        """The lines of the committed roll-up: per BOM line citing a supplier attestation,
        its id, the quantity (:func:`sdk.roles.committed_lines`), the supplier's anchored
        ``valueCommitment`` and the opening its envelope granted this leader.

        Raises :class:`RoleError` naming a supplier attestation that commits to no value.
        """
        by_id = {s.attestation_id: s for s in rolled.supplied}
        out = []
        for ref, quantity in committed_lines(rolled.inventory):
            supplied = by_id[ref]
            commitment = value_commitment(supplied.opened.signed_statement.statement)
            raw = supplied.opened.content.value_opening
            if commitment is None or raw is None:
                raise RoleError(
                    f"supplier attestation {ref} commits to no value: publish the roll-up "
                    "with committed=False (the certifier then reads upstream disclosures)"
                )
            out.append(
                UpstreamOpening(RollupLine(ref, quantity, commitment), Opening.from_json(raw))
            )
        return out

    def publish_rollup_at(
        self,
        rolled: RolledUp,
        recipients: Iterable[OrgId | str] = (),
        *,
        now: datetime,
        supersedes: str | None = None,
        committed: bool | None = None,
        publish_lines: bool = True,
        disclose_upstream: bool = True,
    ) -> Published:
        """Publish the rolled-up footprint with its inventory.

        ``committed`` (default: when every cited supplier attestation commits to its
        value): the envelope carries a roll-up proof that the declared value is at least
        Σ q_i·v_i over the suppliers' committed values, and the opening of the leader's own
        term, so the certifier checks the roll-up without seeing any supplier value
        (docs/commitments.md §5, §8). ``publish_lines``: the proof is also published next
        to the statement, and so goes into the label's public bundle — revealing which
        supplier attestations the product uses and the quantities, never their values.
        ``disclose_upstream``: the envelope also carries the suppliers' disclosures (the
        lineage a certifier reads without commitments). See :meth:`Supplier.publish_at`
        for guarantees and errors; a declared value below the weighted sum is refused
        (:class:`~sdk.zk.ZkInputError` ``rollup.own``).
        """
        if committed is None:
            committed = all(
                value_commitment(s.opened.signed_statement.statement) is not None
                for s in rolled.supplied
            )
        if not committed and not disclose_upstream:
            raise RoleError("without a committed roll-up the certifier needs the disclosures")
        return self.publish_at(
            rolled.footprint,
            rolled.inventory,
            recipients,
            now=now,
            upstream=rolled.upstream if disclose_upstream else (),
            supersedes=supersedes,
            rollup=self.committed_upstream(rolled) if committed else None,
            rollup_public=committed and publish_lines,
        )

    def request(
        self, supplier: OrgId | str, product_ids: Sequence[str], message: str | None = None
    ) -> dict[str, Any]:
        """Ask ``supplier`` for the footprints of ``product_ids``; returns the request
        (also recorded in the wallet as outgoing)."""
        req = self.node.request_footprint(str(supplier), list(product_ids), message)
        self.remember_request(req, message)
        return req

    def requests(self, status: str | None = None) -> list[dict[str, Any]]:
        """This leader's requests (optionally only ``open``, ``fulfilled`` or ``rejected``),
        recorded in the wallet with any change of state."""
        found = self.node.list_requests(role="leader", status=status)
        for req in found:
            self.remember_request(req)
        return found

    def collected(self) -> list[SupplierFootprint]:
        """Every supplier footprint collected into the wallet (by this process or an
        earlier one), reopened from the stored envelope and data key.

        Raises :class:`~sdk.errors.VerificationError` if a stored one no longer recomputes
        its commitment (the wallet would have refused a changed row before that).
        """
        out = []
        for record in self.wallet.received_all():
            if not record.attested or record.request_id is None or not record.disclosures:
                continue
            values = Disclosure.from_dict(record.disclosures[0]).values()
            out.append(
                SupplierFootprint(
                    request_id=record.request_id,
                    supplier=OrgId.parse(record.issuer),
                    product_id=record.product_id,
                    attestation_id=record.attestation_id,
                    value=Decimal(str(values[VALUE_POINTER])),
                    declared_unit=str(values[UNIT_POINTER]),
                    declared_amount=Decimal(str(values[UNIT_AMOUNT_POINTER])),
                    disclosure=Disclosure.from_dict(record.disclosures[0]),
                    opened=record.opened(),
                )
            )
        return out

    def collect(self, requests: Iterable[Mapping[str, Any] | str]) -> list[SupplierFootprint]:
        """:meth:`collect_at` now."""
        return self.collect_at(requests, now=self.now())

    def collect_at(
        self, requests: Iterable[Mapping[str, Any] | str], *, now: datetime
    ) -> list[SupplierFootprint]:
        """Decrypt the attestations suppliers granted for fulfilled ``requests``.

        For each: the signed statement is fetched and checked with
        :func:`sdk.check_issuer` at ``now`` (a key and publishing role of the supplier
        valid now, ``created`` not later); the grant and envelope are opened and the
        content must recompute the signed commitment and subject; the PCF claims are then
        disclosed (salts and proofs) so the leader can carry them as lineage.

        Each footprint collected is stored in the wallet (statement, envelope, grant, data
        key, the disclosure made from it), so :meth:`collected` returns it in any later
        process.

        Raises :class:`RoleError` for a request that is not fulfilled (naming its status
        and reason) or whose attestation is not the supplier's or not about a requested
        product; :class:`~sdk.errors.VerificationError` (step named) when a check fails.
        """
        out: list[SupplierFootprint] = []
        for item in requests:
            req = self.node.get_request(item if isinstance(item, str) else str(item["id"]))
            self.remember_request(req)
            if req["status"] != "fulfilled":
                reason = f" ({req['reason']})" if req.get("reason") else ""
                raise RoleError(
                    f"request {req['id']} to {req['supplier']} is {req['status']}{reason}"
                )
            out.append(self._open(req, now))
        return out

    def _open(self, req: Mapping[str, Any], now: datetime) -> SupplierFootprint:
        attestation_id = str(req["attestationId"])
        supplier = OrgId.parse(str(req["supplier"]))
        signed = SignedStatement.from_dict(self.node.statement(attestation_id))
        if signed.attestation_id != attestation_id:
            raise VerificationError("leaf", "the node served another statement than asked for")
        if signed.statement.issuer != supplier:
            raise RoleError(
                f"attestation {attestation_id} was issued by {signed.statement.issuer}, "
                f"not by the supplier {supplier}"
            )
        check_current_signature(self.participants, signed, now)
        try:
            sealed = self.node.envelope(attestation_id)
        except NodeClientError as exc:
            raise RoleError(f"no grant for attestation {attestation_id}: {exc}") from exc
        grant = Grant.from_dict(sealed["grant"])
        envelope = Envelope.from_dict(sealed["envelope"])
        opened = open_attestation(signed, envelope, grant, self.opening_key(grant.recipient_key_id))
        disclosure = _disclose(opened, attestation_id)
        values = disclosure.values()
        product_id = str(values[PRODUCT_POINTER])
        if product_id not in req["productIds"]:
            raise RoleError(
                f"attestation {attestation_id} is about {product_id}, which request "
                f"{req['id']} did not ask for"
            )
        self.wallet.put_received(
            ReceivedRecord(
                attestation_id=attestation_id,
                issuer=str(supplier),
                product_id=product_id,
                source=self.node.base_url,
                attested=True,
                received_at=now,
                request_id=str(req["id"]),
                statement=signed.to_dict(),
                envelope=envelope.to_dict(),
                grant=grant.to_dict(),
                footprint=dict(opened.content.footprint),
                data_key=opened.data_key,
                disclosures=(disclosure.to_dict(),),
            )
        )
        return SupplierFootprint(
            request_id=str(req["id"]),
            supplier=supplier,
            product_id=product_id,
            attestation_id=attestation_id,
            value=Decimal(str(values[VALUE_POINTER])),
            declared_unit=str(values[UNIT_POINTER]),
            declared_amount=Decimal(str(values[UNIT_AMOUNT_POINTER])),
            disclosure=disclosure,
            opened=opened,
        )


def _supplier_dqr(pcf: object, default: Dqr | None = None) -> Dqr:
    dqi = pcf.get("dqi") if isinstance(pcf, dict) else None
    names = {
        "technological": "technologicalDQR",
        "temporal": "temporalDQR",
        "geographical": "geographicalDQR",
        "completeness": "completenessDQR",
        "reliability": "reliabilityDQR",
    }
    if isinstance(dqi, dict) and all(key in dqi for key in names.values()):
        return Dqr(**{name: Decimal(str(dqi[key])) for name, key in names.items()})
    return default if default is not None else Dqr.uniform(1)


def _disclose(opened: OpenedAttestation, attestation_id: str) -> Disclosure:
    missing = [p for p in UPSTREAM_POINTERS if p not in opened.claims]
    if missing:
        raise RoleError(f"attestation {attestation_id} has no claim {', '.join(missing)}")
    return disclose(opened.claims, attestation_id, UPSTREAM_POINTERS)
