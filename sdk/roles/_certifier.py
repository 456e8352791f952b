"""The certifier (认证机构): checks a leader's calculation and issues the label on chain."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdk._attestation import OpenedAttestation, open_attestation
from sdk._disclosure import Disclosure, disclose, verify_disclosure
from sdk._envelope import Envelope, Grant
from sdk._keys import OrgKeys, Rng
from sdk._records import Label, product_id_digest
from sdk._statement import SignedStatement
from sdk._steps import Step
from sdk._valueproof import check_value_range_proof, value_commitment, value_context
from sdk.errors import FootprintError, NodeClientError, RegistryError, SdkError, VerificationError
from sdk.footprint import (
    FacilityYear,
    FactorSet,
    Inventory,
    ReadingBatch,
    cross_check_ets,
    default_factor_set,
    require_issuable,
    verify_metered_inventory,
)
from sdk.roles._dataquality import METERED_SHARE_KEY, DataQualityReport, EtsReview
from sdk.roles._factorsets import fetch_public_factor_set
from sdk.roles._labelling import (
    PRODUCT_POINTER,
    PUBLIC_POINTERS,
    UNIT_AMOUNT_POINTER,
    UNIT_POINTER,
    VALUE_POINTER,
    derive_label_id,
    label_unit,
    verification_url,
    write_qr,
)
from sdk.roles._leader import UPSTREAM_POINTERS
from sdk.roles._party import Party
from sdk.roles._rollup import UpstreamValue, check_committed_rollup, recompute_checked
from sdk.roles._trust import AnchoredLeaf, check_signature, prove_anchored
from sdk.wallet import LabelRecord, LabelRole, WalletStore
from sdk.zk import Commitment, ProofError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from anchors.chain import AnchorRegistryClient
    from sdk._certificate import FootprintCertificate
    from sdk.client import NodeClient
    from sdk.footprint import MeterRegistration, RollupResult
    from sdk.labels import LabelRegistryClient
    from sdk.meters import MeterRegistryClient
    from sdk.registry import ParticipantRegistryClient

DEFAULT_STANDARD = "GB/T 24067-2024"
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class CheckStep:
    """One step of :meth:`Certifier.check_at` as ``tanji certify`` and the organisation
    console list it. ``name`` joins the :class:`~sdk.errors.VerificationError` step names
    it stands for with `` / `` (``upstream.*`` stands for every ``upstream.`` step);
    ``what`` and ``what_zh`` say what passing it means, in English and Chinese."""

    name: str
    what: str
    what_zh: str

    def covers(self, step: str) -> bool:
        """Whether a check that failed at ``step`` failed at this step."""
        for part in self.name.split(" / "):
            if step == part or (part.endswith(".*") and step.startswith(part[:-1])):
                return True
        return False


CHECK_STEPS: tuple[CheckStep, ...] = (
    CheckStep(
        "leaf", "the node serves the statement and its log position", "节点提供该声明及其日志位置"
    ),
    CheckStep(
        "independence",
        "neither the leader nor an upstream supplier is this certifier",
        "采购方及上游供应商均不是本认证机构（独立性）",
    ),
    CheckStep("anchor", "its leaf is in a head anchored on chain", "其叶节点在链上锚定的日志头中"),
    CheckStep(
        "signature",
        "signed by a key of the leader valid at anchoring time",
        "由采购方在锚定时有效的密钥签名",
    ),
    CheckStep(
        "grant / envelope / claims.*",
        "the granted content recomputes the commitment; its subject is the footprint's product",
        "授权的内容可重算出承诺，其主体就是足迹所述产品",
    ),
    CheckStep(
        "rollup / rollup.inventory",
        "a roll-up: a footprint with a pcf section, and its inventory",
        "这是一份汇总：含 pcf 部分的足迹及其清单",
    ),
    CheckStep(
        "upstream.*",
        "each supplier disclosure verifies against its anchored attestation",
        "每份供应商披露都与其已锚定的证明相符",
    ),
    CheckStep(
        "rollup.commitments",
        "the committed roll-up: the declared value opens Σ quantity × supplier commitment "
        "+ the leader's own term",
        "承诺汇总：声明值可打开为 Σ 数量 × 供应商承诺 + 采购方自身项",
    ),
    CheckStep(
        "rollup.factors",
        "factors as in the reference (or cited public) factor set",
        "排放因子与参考（或所引用的公开）因子集一致",
    ),
    CheckStep(
        "rollup.lineage",
        "every BOM line uses exactly the verified supplier value",
        "物料清单每一行都恰好使用经核验的供应商数值",
    ),
    CheckStep(
        "rollup.recompute / footprint.recompute",
        "the roll-up recomputed from the inventory equals the footprint",
        "由清单重算的汇总结果与足迹一致",
    ),
    CheckStep(
        "meter.* / ets.*",
        "data quality at the source: metered lines against the MeterRegistry and their "
        "signed readings (and the ETS cross-checks when asked for)",
        "源头数据质量：计量行与链上计量器登记及其签名读数一致（如有要求，另与碳市场数据核对）",
    ),
)
"""The certifier's checks in the order :meth:`Certifier.check_at` runs them: the one
list ``tanji certify`` prints and the console shows."""


def check_step_statuses(
    check: CertificationCheck | None = None, *, failed: str | None = None
) -> list[tuple[CheckStep, str]]:
    """Each of :data:`CHECK_STEPS` with its status: after a passed ``check`` every step
    ``passed`` except ``rollup.commitments`` ``not applicable`` when the leader committed
    no roll-up; after a check that ``failed`` at a step, the steps before the one covering
    it ``passed``, that one ``failed`` and the rest ``not run`` (all ``not run`` when no
    listed step covers it)."""
    if failed is None:
        return [
            (s, "not applicable")
            if s.name == "rollup.commitments" and (check is None or not check.rollup_commitments)
            else (s, "passed")
            for s in CHECK_STEPS
        ]
    at = next((i for i, s in enumerate(CHECK_STEPS) if s.covers(failed)), None)
    if at is None:
        return [(s, "not run") for s in CHECK_STEPS]
    return [
        (s, "passed" if i < at else "failed" if i == at else "not run")
        for i, s in enumerate(CHECK_STEPS)
    ]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class VerifiedUpstream:
    """One supplier value the leader used, verified against the supplier's anchored claim."""

    supplier: str
    attestation_id: str
    product_id: str
    value: Decimal
    declared_unit: str
    anchored_at: datetime
    declared_amount: Decimal = Decimal(1)


@dataclass(frozen=True)
class CertificationCheck:
    """The outcome of a successful :meth:`Certifier.check_at`.

    ``claimed`` is the leader's PCF value, ``recomputed`` the certifier's own roll-up from
    the inventory and the verified upstream values (equal, or the check would have failed).
    ``rollup_commitments``: the supplier values were checked through the committed
    roll-up (``rollup.commitments``), not read from disclosures.
    """

    attestation_id: str
    leader: str
    product_id: str
    claimed: Decimal
    recomputed: Decimal
    declared_unit: str
    declared_amount: str
    upstream: tuple[VerifiedUpstream, ...]
    anchored: AnchoredLeaf
    opened: OpenedAttestation
    checked_at: datetime
    factor_set_id: str = ""
    factor_set_attestation: str | None = None
    rollup_commitments: bool = False
    data_quality: DataQualityReport = dataclasses.field(default_factory=DataQualityReport)
    unverified: tuple[dict[str, Any], ...] = ()
    """BOM lines for a supplier product citing no attestation (e.g. a footprint pulled
    over PACT): ``{lineId, productId, description, supplierPcf, supplierDeclaredUnit}``.
    Their values were checked by nobody; they count as secondary data."""

    @property
    def unit(self) -> str:
        """The label unit, e.g. ``kgCO2e/piece``."""
        return label_unit(self.declared_unit, self.declared_amount)


@dataclass(frozen=True)
class Certificate:
    """An issued label: what is on chain, its public disclosure, the QR code's URL and file."""

    label: Label
    disclosure: Disclosure
    url: str
    qr_path: Path | None
    certificate: FootprintCertificate | None = None

    @property
    def label_id(self) -> str:
        """``0x`` + hex of the label id (what the QR code's URL ends with)."""
        return "0x" + self.label.label_id.hex()


class Certifier(Party):
    """An accredited certification body holding the CERTIFIER role on chain.

    ``account`` is the EVM account registered for the certifier's organisation (it signs
    the label transactions); ``anchors`` an :class:`anchors.chain.AnchorRegistryClient`;
    ``verification_base`` the public URL QR codes point to. ``factor_set`` is the reference
    set for inventories that cite none; ``factor_publishers`` are the organisations (e.g.
    an industry association) whose public factor sets this certifier accepts when an
    inventory cites one by attestation id (a set published by anyone else, the leader
    included, is refused at ``rollup.factors``). ``meters`` is the MeterRegistry client
    metered lines are checked against (without it a metered inventory is refused at
    ``meter.registration``); ``ets_publishers`` the verification bodies whose ETS data
    attestations it accepts besides the reporting organisation's own.
    """

    def __init__(
        self,
        keys: OrgKeys,
        *,
        node: NodeClient,
        participants: ParticipantRegistryClient,
        labels: LabelRegistryClient,
        anchors: AnchorRegistryClient,
        account: LocalAccount,
        verification_base: str,
        factor_set: FactorSet | None = None,
        factor_publishers: Iterable[str] = (),
        wallet: WalletStore | None = None,
        clock: Callable[[], datetime] = _utcnow,
        rng: Rng = os.urandom,
        meters: MeterRegistryClient | None = None,
        ets_publishers: Iterable[str] = (),
    ) -> None:
        super().__init__(
            keys, node=node, participants=participants, wallet=wallet, clock=clock, rng=rng
        )
        self.meters = meters
        self.ets_publishers = frozenset(str(p) for p in ets_publishers)
        self.labels = labels
        self.anchors = anchors
        self.account = account
        self.verification_base = verification_base
        self.factor_set = factor_set if factor_set is not None else default_factor_set()
        self.factor_publishers = frozenset(str(p) for p in factor_publishers)

    # ------------------------------------------------------------------ check

    def check(self, attestation_id: str, *, ets: EtsReview | None = None) -> CertificationCheck:
        """:meth:`check_at` now."""
        return self.check_at(attestation_id, now=self.now(), ets=ets)

    def check_at(
        self, attestation_id: str, *, now: datetime, ets: EtsReview | None = None
    ) -> CertificationCheck:
        """Review a leader's attestation granted to this certifier (DESIGN.md §6.4).

        Steps, each raising :class:`~sdk.errors.VerificationError` with its name:
        ``leaf`` (the node serves the statement and its log position), ``independence``
        (the leader is not this certifier: a certification body does not certify its own
        product), ``anchor`` (its leaf is in a head anchored on chain), ``signature``
        (:func:`sdk.check_issuer` at anchoring time: a key and publishing role of the
        leader valid then, ``created`` not later), ``envelope`` / ``grant`` /
        ``claims.commitment`` / ``claims.subject`` (the granted content recomputes the
        signed commitment, and the subject opens to the footprint's first product id, the
        one the label will name), ``upstream.*`` (every upstream disclosure verifies
        against its supplier's anchored, signed commitment and subject, and is the one
        committed at ``/tanji/upstream/<i>``), ``independence`` again (no upstream supplier
        is this certifier), ``rollup.lineage`` (every BOM line citing a supplier
        attestation uses exactly the verified value), ``rollup.factors`` (factors as in
        the reference factor set, or exactly those of the anchored public factor set the
        inventory cites, published by one of ``factor_publishers``), ``rollup.recompute``
        (Σ quantity × supplier value + own activity × factors, recomputed from the
        inventory, gives the leader's footprint field for field); then data quality at
        the source (:meth:`_data_quality`): ``meter.*`` (every metered line against the
        meter's registration read from the MeterRegistry and the cited readings batch,
        opened from its granted attestation, :func:`sdk.footprint.verify_metered_inventory`)
        and, with ``ets``, ``ets.data`` (the granted ETS attestation verifies and was
        published by the reporting organisation or an accepted verifier) and the first
        ``ets.*`` check flagged without an override (:func:`sdk.footprint.require_issuable`).
        """
        if now.utcoffset() is None:
            raise ValueError("naive datetime refused; pass a timezone-aware time")
        signed, anchored = self._anchored(attestation_id, "")
        opened = self._open(signed, attestation_id)
        footprint = opened.content.footprint
        pcf = footprint.get("pcf")
        if not isinstance(pcf, dict):
            raise VerificationError("rollup", "the footprint has no pcf section")
        upstream = tuple(
            self._upstream(i, raw) for i, raw in enumerate(opened.content.upstream_disclosures)
        )
        values = [
            UpstreamValue(
                u.attestation_id, u.product_id, u.value, u.declared_unit, u.declared_amount
            )
            for u in upstream
        ]
        rollup = opened.content.rollup
        if rollup is not None:
            values += self._committed(signed, rollup, footprint, opened.content.inventory, values)
        cited = _cited_factor_set(opened.content.inventory)
        factor_set = self.factor_set if cited is None else self._public_factor_set(cited)
        result = recompute_checked(opened.content.inventory, footprint, values, factor_set)
        # After recompute_checked, which refuses a footprint that does not parse; the
        # product is the one open_attestation found the subject to commit to.
        claimed = Decimal(str(pcf["pcfExcludingBiogenicUptake"]))
        product_ids = footprint.get("productIds")
        assert isinstance(product_ids, list)
        quality = self._data_quality(
            Inventory.from_dict(opened.content.inventory),
            str(signed.statement.issuer),
            result,
            factor_set,
            ets,
        )
        return CertificationCheck(
            attestation_id=attestation_id,
            leader=str(signed.statement.issuer),
            product_id=str(product_ids[0]),
            claimed=claimed,
            recomputed=result.pcf,
            declared_unit=str(pcf["declaredUnitOfMeasurement"]),
            declared_amount=str(pcf["declaredUnitAmount"]),
            upstream=upstream,
            anchored=anchored,
            opened=opened,
            checked_at=now,
            factor_set_id=factor_set.id,
            factor_set_attestation=cited,
            rollup_commitments=rollup is not None,
            data_quality=quality,
            unverified=unverified_lines(opened.content.inventory),
        )

    def _committed(
        self,
        signed: SignedStatement,
        rollup: dict[str, Any],
        footprint: dict[str, Any],
        inventory_doc: Any,
        disclosed: list[UpstreamValue],
    ) -> list[UpstreamValue]:
        """``rollup.commitments``: the leader's committed roll-up against the BOM and the
        suppliers' anchored commitments (each supplier statement anchored and signed,
        ``upstream.*``; its range proof re-checked). Returns the inventory's supplier
        values for the lines no disclosure covered: the check proved that, weighted, they
        are exactly the suppliers' committed values."""
        try:
            inventory = Inventory.from_dict(inventory_doc)
        except SdkError as exc:
            raise VerificationError("rollup.inventory", str(exc)) from exc
        commitments: dict[str, Commitment] = {}
        for line in inventory.bom:
            ref = line.supplier_attestation_id
            if ref is None or ref in commitments:
                continue
            upstream_signed, _ = self._anchored(ref, "upstream.")
            commitment = value_commitment(upstream_signed.statement)
            if commitment is None:
                raise VerificationError(
                    "rollup.commitments", f"supplier attestation {ref[:16]}… commits to no value"
                )
            try:
                check_value_range_proof(upstream_signed.statement, self.node.value_range_proof(ref))
            except (ProofError, NodeClientError) as exc:
                raise VerificationError(
                    "rollup.commitments",
                    f"supplier attestation {ref[:16]}…: its range proof: {exc}",
                ) from exc
            commitments[ref] = commitment
        check_committed_rollup(
            rollup.get("proof"),
            upstream=commitments,
            declared=Decimal(str(footprint["pcf"]["pcfExcludingBiogenicUptake"])),
            context=value_context(signed.statement),
            inventory=inventory,
            own_opening=rollup.get("ownOpening"),
        )
        covered = {u.attestation_id for u in disclosed}
        return [
            UpstreamValue(
                str(line.supplier_attestation_id),
                line.supplier_product_id or "",
                line.supplier_pcf,
                line.supplier_declared_unit,
                line.supplier_declared_amount,
            )
            for line in inventory.bom
            if line.supplier_attestation_id is not None
            and line.supplier_attestation_id not in covered
        ]

    def _open(self, signed: SignedStatement, attestation_id: str) -> OpenedAttestation:
        """Open an attestation granted to this certifier (``grant``, ``envelope``,
        ``claims.*`` as :func:`sdk.open_attestation` names them)."""
        try:
            sealed = self.node.envelope(attestation_id)
        except NodeClientError as exc:
            raise VerificationError(
                "grant",
                f"{signed.statement.issuer} has not granted this certifier access to "
                f"{attestation_id[:16]}…: {exc}",
            ) from exc
        grant = Grant.from_dict(sealed["grant"])
        return open_attestation(
            signed,
            Envelope.from_dict(sealed["envelope"]),
            grant,
            self.opening_key(grant.recipient_key_id),
        )

    def _granted_document(self, attestation_id: str, step: Step, what: str) -> tuple[str, Any]:
        """The issuer and document of a granted, anchored, signed attestation; any
        failure is ``step`` naming the sub-step."""
        try:
            signed, _anchored = self._anchored(attestation_id, "")
            opened = self._open(signed, attestation_id)
        except VerificationError as exc:
            raise VerificationError(
                step, f"{what} {attestation_id[:16]}… does not verify: {exc.step}: {exc.reason}"
            ) from exc
        return str(signed.statement.issuer), opened.content.footprint

    def _data_quality(
        self,
        inventory: Inventory,
        owner: str,
        result: RollupResult,
        factor_set: FactorSet,
        ets: EtsReview | None,
    ) -> DataQualityReport:
        """The meter checks and the ETS review of one checked inventory (see check_at)."""
        registrations: dict[str, MeterRegistration] = {}
        batches: dict[str, ReadingBatch] = {}
        batch_ids: dict[str, str] = {}
        for line in inventory.activities:
            citation = line.meter_readings
            if citation is None:
                continue
            registrations[citation.device_id] = self._registration(owner, citation.device_id)
            if citation.batch is not None:
                batches[citation.device_id] = self._batch(owner, citation.device_id, citation.batch)
                batch_ids[citation.device_id] = citation.batch
        meters = verify_metered_inventory(inventory, registrations, owner=owner, batches=batches)
        report = DataQualityReport(
            meters=meters,
            batches=batch_ids,
            metered_activity_share=result.metered_activity_share,
        )
        if ets is None:
            return report
        for override in ets.overrides:
            if override.by != str(self.org_id):
                raise VerificationError(
                    Step.ETS_DATA,
                    f"the override of {override.check} is recorded by {override.by}, not by "
                    f"this certifier ({self.org_id})",
                )
        publisher, document = self._granted_document(
            ets.attestation_id, Step.ETS_DATA, "the ETS data attestation"
        )
        try:
            facility = FacilityYear.from_dict(document.get("etsFacilityYear"))
        except FootprintError as exc:
            raise VerificationError(Step.ETS_DATA, f"the ETS data does not parse: {exc}") from exc
        if publisher != facility.org_id and publisher not in self.ets_publishers:
            raise VerificationError(
                Step.ETS_DATA,
                f"the ETS data of {facility.org_id} was published by {publisher}, neither the "
                "reporting organisation nor a verification body this certifier accepts",
            )
        try:
            cross = cross_check_ets(
                inventory,
                facility,
                product=ets.product,
                factor_set=factor_set,
                band=ets.band,
                share=ets.share,
                exclude_lines=ets.exclude_lines,
            )
        except (FootprintError, ValueError) as exc:
            raise VerificationError(Step.ETS_DATA, f"cannot cross-check: {exc}") from exc
        try:
            decision = require_issuable(cross.checks, ets.overrides)
        except ValueError as exc:
            raise VerificationError(Step.ETS_DATA, f"override refused: {exc}") from exc
        return dataclasses.replace(
            report,
            ets=cross,
            ets_attestation=ets.attestation_id,
            ets_publisher=publisher,
            decision=decision,
        )

    def _registration(self, owner: str, device_id: str) -> MeterRegistration:
        if self.meters is None:
            raise VerificationError(
                Step.METER_REGISTRATION,
                f"the inventory cites meter {device_id}, and this certifier reads no meter "
                "registry (pass meters=deployment.meters)",
            )
        try:
            found = self.meters.registration(owner, device_id)
        except RegistryError as exc:
            raise VerificationError(
                Step.METER_REGISTRATION, f"meter {device_id} of {owner}: {exc}"
            ) from exc
        if found is None:
            raise VerificationError(
                Step.METER_REGISTRATION,
                f"meter {device_id} is not registered to {owner} in the MeterRegistry",
            )
        return found

    def _batch(self, owner: str, device_id: str, attestation_id: str) -> ReadingBatch:
        issuer, document = self._granted_document(
            attestation_id, Step.METER_BATCH, f"the readings of meter {device_id}, attestation"
        )
        if issuer != owner:
            raise VerificationError(
                Step.METER_BATCH,
                f"the readings attestation {attestation_id[:16]}… was published by {issuer}, "
                f"not by the meter's owner {owner}",
            )
        try:
            return ReadingBatch.from_dict(document.get("meterReadings"))
        except FootprintError as exc:
            raise VerificationError(
                Step.METER_BATCH, f"the readings attestation does not parse: {exc}"
            ) from exc

    def _public_factor_set(self, attestation_id: str) -> FactorSet:
        """The public factor set ``attestation_id``, verified and anchored, from a trusted
        publisher; ``VerificationError("rollup.factors", …)`` naming the failed sub-step."""
        try:
            return fetch_public_factor_set(
                self.node,
                attestation_id,
                anchors=self.anchors,
                participants=self.participants,
                publishers=self.factor_publishers,
            )
        except VerificationError as exc:
            raise VerificationError(
                "rollup.factors",
                f"the cited factor set {attestation_id[:16]}… does not verify: "
                f"{exc.step}: {exc.reason}",
            ) from exc

    def _anchored(self, attestation_id: str, prefix: str) -> tuple[SignedStatement, AnchoredLeaf]:
        try:
            signed = SignedStatement.from_dict(self.node.statement(attestation_id))
            position = self.node.receipt(attestation_id)
        except NodeClientError as exc:
            step = f"{prefix}anchor" if exc.status == 404 else f"{prefix}leaf"
            raise VerificationError(
                step, f"attestation {attestation_id[:16]}… has no anchored receipt: {exc.message}"
            ) from exc
        if signed.attestation_id != attestation_id:
            raise VerificationError(f"{prefix}leaf", "the node served another statement")
        self._independent(signed, "" if not prefix else "an upstream supplier")
        try:
            log_id = str(position["anchor"]["logId"])
            index = int(position["leafIndex"])
            anchored = prove_anchored(self.node, self.anchors, signed, log_id, index)
            check_signature(self.participants, anchored)
        except VerificationError as exc:
            raise VerificationError(f"{prefix}{exc.step}", exc.reason) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise VerificationError(f"{prefix}anchor", f"malformed receipt: {exc}") from exc
        return signed, anchored

    def _upstream(self, i: int, raw: dict[str, Any]) -> VerifiedUpstream:
        disclosure = Disclosure.from_dict(raw)
        signed, anchored = self._anchored(disclosure.attestation_id, "upstream.")
        try:
            values = verify_disclosure(disclosure, signed, required=UPSTREAM_POINTERS)
        except VerificationError as exc:
            raise VerificationError(
                "upstream.disclosure",
                f"upstream disclosure {i} (attestation {disclosure.attestation_id[:16]}… by "
                f"{signed.statement.issuer}) does not verify: {exc.step}: {exc.reason}",
            ) from exc
        # verify_disclosure opened the statement's subject to this product id.
        product_id = str(values[PRODUCT_POINTER])
        try:
            value = Decimal(str(values[VALUE_POINTER]))
            amount = Decimal(str(values[UNIT_AMOUNT_POINTER]))
        except InvalidOperation as exc:
            raise VerificationError(
                "upstream.disclosure",
                f"upstream disclosure {i} holds a value {values[VALUE_POINTER]!r} or declared "
                f"unit amount {values[UNIT_AMOUNT_POINTER]!r} that is not a decimal",
            ) from exc
        return VerifiedUpstream(
            supplier=str(signed.statement.issuer),
            attestation_id=disclosure.attestation_id,
            product_id=product_id,
            value=value,
            declared_unit=str(values[UNIT_POINTER]),
            anchored_at=anchored.anchored_at,
            declared_amount=amount,
        )

    def _independent(self, signed: SignedStatement, role: str) -> None:
        """Refuse (``independence``) an attestation issued by this certifier itself."""
        if signed.statement.issuer == self.org_id:
            who = role or "the leader"
            raise VerificationError(
                Step.INDEPENDENCE,
                f"{who} is this certifier ({self.org_id}): a certification body does not "
                "certify a product it made or supplied (CNCA independence)",
            )

    # ------------------------------------------------------------------ certify

    def certify(
        self,
        check: CertificationCheck,
        *,
        grade: str = "",
        standard: str = DEFAULT_STANDARD,
        qr_path: Path | None = None,
        certificate: FootprintCertificate | None = None,
    ) -> Certificate:
        """:meth:`certify_at` now."""
        return self.certify_at(
            check,
            now=self.now(),
            grade=grade,
            standard=standard,
            qr_path=qr_path,
            certificate=certificate,
        )

    def certify_at(
        self,
        check: CertificationCheck,
        *,
        now: datetime,
        grade: str = "",
        standard: str = DEFAULT_STANDARD,
        valid_until: datetime | None = None,
        qr_path: Path | None = None,
        certificate: FootprintCertificate | None = None,
    ) -> Certificate:
        """Issue a label for a checked attestation, publish its public disclosure, make its QR.

        The label is valid from ``now`` until ``valid_until`` (default: two calendar years,
        the CNCA certificate term, computed by the contract); its value is the checked
        value, exactly as attested. The public disclosure reveals
        :data:`PUBLIC_POINTERS` only, plus the Tanji extension's ``meteredActivityShare``
        when the footprint states it. With ``certificate`` (CNCA-CFP-00:2025) the label
        binds its number and digest for good and takes its validity (00:00 CST on the
        issue date to 00:00 CST after ``validUntil``); the certificate must be this
        certifier's, for this attestation and value. Guarantees: the label is on chain and
        its disclosure is stored on the node before this returns. Raises
        :class:`~sdk.errors.RegistryError` / ``RegistryRefused`` (e.g. ``NotCertifier``),
        :class:`~sdk.errors.NodeClientError`, and ValueError for a certificate that does
        not match the check.
        """
        if now.utcoffset() is None:
            raise ValueError("naive datetime refused; pass a timezone-aware time")
        bound: tuple[str, bytes] | None = None
        valid_from = now
        if certificate is not None:
            _check_certificate(certificate, check, str(self.org_id))
            bound = (certificate.number, certificate.digest())
            valid_from = certificate.valid_from_time
            valid_until = certificate.valid_until_time
        pointers = [p for p in PUBLIC_POINTERS if p in check.opened.claims]
        # The share of activity data from calibrated meters, when the footprint states it.
        pointers += sorted(
            c.pointer
            for c in check.opened.claims.claims
            if c.pointer.startswith("/extensions/")
            and c.pointer.endswith(f"/data/{METERED_SHARE_KEY}")
        )
        disclosure = disclose(check.opened.claims, check.attestation_id, pointers)
        label_id = derive_label_id(str(self.org_id), check.attestation_id, self._rng(16))
        label = self.labels.issue(
            label_id=label_id,
            product_id_digest=product_id_digest(check.product_id),
            log_id=check.anchored.log_id,
            leaf_index=check.anchored.index,
            leaf_hash=check.anchored.signed.leaf_hash,
            value=check.claimed,
            unit=check.unit,
            grade=grade,
            standard=standard,
            disclosure_digest=disclosure.digest,
            sender=self.account,
            valid_from=valid_from,
            valid_until=valid_until,
            certificate=bound,
        )
        url = verification_url(self.verification_base, label_id)
        # On chain now: remember it before anything else can fail.
        self.wallet.put_label(_label_record(label, check, disclosure, url))
        self.node.put_label_disclosure("0x" + label_id.hex(), disclosure.to_dict())
        path = write_qr(url, qr_path) if qr_path is not None else None
        return Certificate(label, disclosure, url, path, certificate)

    def suspend(self, label_id: bytes, reason: str) -> None:
        """Suspend a label this certifier issued (暂停, from the current block until
        restored). Raises ``RegistryRefused`` (e.g. ``LabelAlreadySuspended``)."""
        self.labels.suspend(label_id, reason, sender=self.account)

    def restore(self, label_id: bytes, reason: str) -> None:
        """Restore a suspended label from the current block on. Raises ``RegistryRefused``
        (e.g. ``LabelNotSuspended``)."""
        self.labels.restore(label_id, reason, sender=self.account)

    def revoke(self, label_id: bytes, reason: str) -> None:
        """Revoke a label this certifier issued (from the current block on); the wallet's
        record of it, if any, is marked revoked."""
        self.labels.revoke(label_id, reason, sender=self.account)
        record = self.wallet.label("0x" + label_id.hex())
        if record is not None:
            self.wallet.put_label(dataclasses.replace(record, revoked_at=self.now(), reason=reason))


def _check_certificate(
    certificate: FootprintCertificate, check: CertificationCheck, org: str
) -> None:
    """Refuse a certificate that is not this certifier's, or not for the checked
    attestation, value and unit."""
    if certificate.certifier.org_id != org:
        raise ValueError(
            f"the certificate names certifier {certificate.certifier.org_id}, not {org}"
        )
    if certificate.attestation_id not in (None, check.attestation_id):
        raise ValueError("the certificate is for another attestation")
    if certificate.pcf_value != check.claimed:
        raise ValueError(
            f"the certificate states {certificate.pcf_value}, the check {check.claimed}"
        )


def _label_record(
    label: Label, check: CertificationCheck, disclosure: Disclosure, url: str
) -> LabelRecord:
    return LabelRecord(
        label_id="0x" + label.label_id.hex(),
        role=LabelRole.ISSUED,
        attestation_id=check.attestation_id,
        product_id=check.product_id,
        value=label.value,
        unit=label.unit,
        grade=label.grade,
        standard=label.standard,
        valid_from=datetime.fromtimestamp(label.valid_from, UTC),
        valid_until=datetime.fromtimestamp(label.valid_until, UTC),
        issued_at=datetime.fromtimestamp(label.issued_at, UTC),
        url=url,
        disclosure=disclosure.to_dict(),
    )


def _cited_factor_set(inventory_doc: Any) -> str | None:
    """The attestation id at ``/factorSet/attestation`` of an inventory, if any (a
    malformed value is left for the inventory parse to refuse at ``rollup.inventory``)."""
    if not isinstance(inventory_doc, dict):
        return None
    factor_set = inventory_doc.get("factorSet")
    if not isinstance(factor_set, dict):
        return None
    cited = factor_set.get("attestation")
    return cited if isinstance(cited, str) and _HEX64.fullmatch(cited) else None


def unverified_lines(inventory: Any) -> tuple[dict[str, Any], ...]:
    """The BOM lines of an inventory document that name a supplier product and cite no
    attestation (read after the inventory parsed in ``recompute_checked``)."""
    bom = inventory.get("bom") if isinstance(inventory, dict) else None
    out = []
    for line in bom if isinstance(bom, list) else ():
        if (
            isinstance(line, dict)
            and line.get("supplierProductId")
            and not line.get("supplierAttestationId")
        ):
            out.append(
                {
                    k: line.get(k)
                    for k in ("lineId", "supplierProductId", "description", "supplierPcf",
                              "supplierDeclaredUnit")
                }
            )  # fmt: skip
    return tuple(out)
