"""The notebook-computer scenario, act by act, and the frauds it shows being caught."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from anchors.errors import AnchorsError, TransactionReverted
from demo_chain._data import (
    ASSOCIATION,
    LEADER_PRODUCT,
    ORG_BY_KEY,
    ORGS,
    PRODUCT_BY_KEY,
    REFERENCE_PERIOD,
    STANDARD,
    TIER1,
    TIER2,
    OrgSpec,
    ProductSpec,
    hand_calculation,
    inventory_header,
)
from demo_chain._forgery import publish_understated
from demo_chain._history import restore_leaf, rewrite_leaf
from demo_chain._metering import (
    EXPIRED_PLAN,
    SUSPENSION_REASON,
    Metering,
    cite,
    meter_suppliers,
    panel_certificate,
    panel_ets_review,
    read_period,
    register_meters,
)
from demo_chain._story import Story
from demo_chain._world import LOG_ID, World, build_world
from sdk import (
    FAST_KDF,
    Disclosure,
    OrgKeys,
    Step,
    create_attestation,
    parse_time,
    product_id_digest,
)
from sdk.errors import NodeClientError, SdkError, VerificationError
from sdk.footprint import (
    ActivityLine,
    BomLine,
    Dqr,
    FactorSet,
    Inventory,
    MeterCitation,
    MeteringRecord,
    default_factor_set,
    from_pact,
    grade,
    notebook_benchmark,
    roll_up,
    to_pact,
)
from sdk.registry import RevocationReason, Role
from sdk.roles import (
    LABEL_POINTERS,
    AuditCheck,
    Auditor,
    AuditReport,
    Certificate,
    CertificationCheck,
    Certifier,
    CheckStatus,
    EtsReview,
    FactorPublisher,
    LabelEvidence,
    Leader,
    Published,
    PublishedFactorSet,
    RolledUp,
    Supplier,
    SupplierFootprint,
    audit_label,
    derive_label_id,
    fetch_public_factor_set,
    label_unit,
    qr_text,
)
from sdk.wallet import Wallet

REPORT_FILE = "audit-report.json"
QR_FILE = "label-qr.png"
LABEL_ART = "label"  # out/label.svg and out/label.png: the printable carbon label
STORY_FILE = "story.txt"
_NS = uuid.UUID("6f1c1e52-7d0a-4c41-9a52-3b5f2e7c9d10")


@dataclass(frozen=True)
class FraudResult:
    """One attempted fraud and who caught it at which step (``caught`` False = missed)."""

    name: str
    caught: bool
    by: str
    step: str
    reason: str


@dataclass
class Outcome:
    """What the scenario produced; the demo's test checks these, not just the exit code."""

    label_id: str
    label_value: str
    label_unit: str
    grade: str
    report: AuditReport
    pcf: dict[str, Decimal]
    hand: dict[str, Decimal]
    frauds: list[FraudResult] = field(default_factory=list)
    verify_seconds: float = 0.0
    total_seconds: float = 0.0
    qr_path: Path | None = None
    report_path: Path | None = None
    story_path: Path | None = None
    verification_url: str = ""


def _short(text: str, n: int = 12) -> str:
    return text[:n] + "…"


def build_inventory(
    spec: ProductSpec,
    maker: OrgSpec,
    bom: Sequence[BomLine],
    now: datetime,
    *,
    factor_set: FactorSet | None = None,
    factor_set_attestation: str | None = None,
    meters: Mapping[str, MeterCitation] | None = None,
    quantities: Mapping[str, Decimal] | None = None,
) -> Inventory:
    """The maker's inventory for one piece of ``spec``: its BOM lines and own activities.

    Factors come from ``factor_set`` (default: the SDK's); ``factor_set_attestation``
    cites the public attestation that published it. ``meters`` maps line ids to the
    signed meter readings they cite; ``quantities`` replaces declared quantities (a
    fraud's).
    """
    meters = meters or {}
    quantities = quantities or {}
    activities = [
        ActivityLine(
            line_id=ln.line_id,
            kind=ln.kind,
            description=ln.description,
            quantity=quantities.get(ln.line_id, ln.quantity),
            unit=ln.unit,
            factor_id=ln.factor,
            primary=ln.primary,
            dqr=Dqr.uniform(ln.dqr),
            metering=MeteringRecord(
                line_id=ln.line_id,
                instrument_id=ln.instrument,
                certificate_id=ln.certificate,
                calibration_body="provincial institute of metrology",
                valid_until=date(2026, 12, 31),
            ),
            meter_readings=meters.get(ln.line_id),
        )
        for ln in spec.lines
    ]
    return Inventory.create(
        factor_set=factor_set if factor_set is not None else default_factor_set(),
        factor_set_attestation=factor_set_attestation,
        bom=bom,
        activities=activities,
        footprint_id=str(uuid.uuid5(_NS, f"{spec.product_id}/{now.isoformat()}")),
        created=now.replace(microsecond=0),
        company_name=maker.name,
        **inventory_header(spec),
        product_name_company=spec.name,
        product_description=spec.description,
        declared_unit=spec.unit,
        declared_unit_amount=Decimal(1),
        reference_period_start=parse_time(REFERENCE_PERIOD[0], "start"),
        reference_period_end=parse_time(REFERENCE_PERIOD[1], "end"),
        boundary="partial",
        geography_country_subdivision=maker.subdivision,
        product_category_rule="illustrative PCR for notebook computers and their parts",
    )


WALLET_DIR = "wallets"
WALLET_PASSPHRASE = "demo"  # noqa: S105 - the demo's, printed in its docs
"""The demo's wallets are encrypted like any (argon2id at its cheapest, a fixed
passphrase): a real organisation chooses its own with ``tanji init``."""


class Cast:
    """The role objects of every organisation, bound to the world. With ``wallets`` each
    supplier, leader and the certifier keep what they publish, receive and certify in an
    encrypted wallet file there (``<key>.db``), as ``tanji`` does."""

    def __init__(self, world: World, wallets: Path | None = None) -> None:
        self.world = world
        self.wallets: list[Wallet] = []
        if wallets is not None:
            shutil.rmtree(wallets, ignore_errors=True)
        self.suppliers: dict[str, Supplier] = {}
        for spec in ORGS:
            org = world.orgs[spec.key]
            role = Leader if "LEADER" in spec.roles else Supplier
            if "SUPPLIER" in spec.roles and spec.key != ASSOCIATION:
                self.suppliers[spec.key] = role(
                    org.keys,
                    node=org.node,
                    participants=world.participants,
                    wallet=self._wallet(wallets, spec.key, org.keys),
                    clock=world.clock,
                )
        assoc = world.orgs[ASSOCIATION]
        self.association = FactorPublisher(
            assoc.keys, node=assoc.node, participants=world.participants, clock=world.clock
        )
        cert = world.orgs["certifier"]
        self.certifier = Certifier(
            cert.keys,
            node=cert.node,
            participants=world.participants,
            labels=world.labels,
            anchors=world.anchors,
            account=cert.account,
            verification_base=world.node_url,
            factor_publishers=[assoc.org_id],
            wallet=self._wallet(wallets, "certifier", cert.keys),
            clock=world.clock,
            meters=world.deployment.meters,
        )
        self.auditor = Auditor(
            node=world.public_node(),
            participants=world.participants,
            labels=world.labels,
            anchors=world.anchors,
            clock=world.clock,
        )

    def _wallet(self, directory: Path | None, key: str, keys: OrgKeys) -> Wallet | None:
        if directory is None:
            return None
        wallet = Wallet.create(
            directory / f"{key}.db", WALLET_PASSPHRASE, keys, now=self.world.clock(), kdf=FAST_KDF
        )
        self.wallets.append(wallet)
        self.world.on_close(wallet.close)
        return wallet

    def leader(self, key: str) -> Leader:
        party = self.suppliers[key]
        assert isinstance(party, Leader)
        return party


def run(
    out: Path,
    *,
    anvil: bool = False,
    story: Story | None = None,
    frauds: bool = True,
    serve: bool = False,
    wait: Callable[[Outcome], None] | None = None,
) -> Outcome:
    """Run the whole scenario, printing the story; write the report, QR code and story.

    With ``serve`` the node (and chain) keep running after the story until
    ``wait(outcome)`` returns (default: until Ctrl-C), so the label's QR code opens.

    Raises whatever a step of the honest path raises (a bug, not a fraud): the frauds are
    expected to be caught and are recorded in :attr:`Outcome.frauds`.
    """
    started = time.perf_counter()
    story = story or Story()
    out.mkdir(parents=True, exist_ok=True)
    story.title(
        "Tanji (碳迹) demo: the carbon footprint of a notebook computer, from glass to label"
    )
    story.note(
        f"Chain: {'anvil (JSON-RPC)' if anvil else 'embedded py-evm'}; node: FastAPI over "
        f"SQLite in {out}; all organisations are fictional."
    )

    # ---------------------------------------------------------------- act 1
    story.act(
        "The registrar admits the organisations",
        "The platform's registrar deploys Tanji's contracts and admits every organisation "
        "with its unified social credit code (GB 32100-2015, check character verified), its "
        "roles, its Ed25519 signing key and its X25519 encryption key. The log operator "
        "opens a log whose checkpoints will be anchored on chain.",
    )
    world = build_world(out, anvil=anvil)
    try:
        outcome = _play(world, out, story, started, frauds)
        if serve:
            story.act(
                "The node keeps serving",
                "The label's QR code opens the node's verification page while this runs; "
                "press Ctrl-C to stop the node and the chain.",
            )
            story.say("demo", f"label page: {outcome.verification_url}")
            (wait or _until_interrupted)(outcome)
        return outcome
    finally:
        world.close()


def _until_interrupted(_outcome: Outcome) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


@dataclass
class Stage:
    """Where the honest path (acts 1-8) leaves the world: what tests and frauds build on."""

    world: World
    cast: Cast
    published: dict[str, Published]
    pcf: dict[str, Decimal]
    supplied: dict[str, SupplierFootprint]
    rolled: RolledUp
    certificate: Certificate
    report: AuditReport
    verify_seconds: float
    factor_set: PublishedFactorSet
    receipt_report: dict[str, Any]
    metering: Metering | None = None
    supplier_checks: dict[str, CertificationCheck] = field(default_factory=dict)


def _play(world: World, out: Path, story: Story, started: float, frauds: bool) -> Outcome:
    stage = honest_path(world, out, story)
    certificate = stage.certificate
    report_path = out / REPORT_FILE
    report_path.write_text(json.dumps(stage.report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    label = certificate.label
    outcome = Outcome(
        label_id=certificate.label_id,
        label_value=label.value,
        label_unit=label.unit,
        grade=label.grade,
        report=stage.report,
        pcf=stage.pcf,
        hand=hand_calculation(),
        verify_seconds=stage.verify_seconds,
        qr_path=certificate.qr_path,
        report_path=report_path,
        verification_url=certificate.url,
    )

    # ---------------------------------------------------------------- act 10
    if frauds:
        story.act(
            "Frauds, and where each one is caught",
            "Each attempt below is a real action against the same chain and node; the "
            "auditor's report or the certifier's check names the step that catches it.",
        )
        Frauds(stage, story, outcome.frauds).run()

    outcome.total_seconds = time.perf_counter() - started
    story.act("The end", "Files written by this run:")
    story.say("demo", f"auditor's report: {report_path}")
    story.say("demo", f"label QR code:    {certificate.qr_path}")
    story.say("demo", f"printable label:  {out / LABEL_ART}.svg, {out / LABEL_ART}.png")
    from demo_chain._files import write_demo_files  # it builds on this module

    write_demo_files(out / "files")
    story.say("demo", f"the same chain as files for the tanji command: {out / 'files'}")
    story.say("demo", "(docs/roles.md walks through it: tanji network up, publish, request, …)")
    story_path = out / STORY_FILE
    story.say("demo", f"this story:       {story_path}")
    caught = sum(1 for f in outcome.frauds if f.caught)
    story.say("demo", f"frauds caught: {caught} of {len(outcome.frauds)}")
    story.say(
        "demo",
        f"label verification took {stage.verify_seconds * 1000:.0f} ms; whole demo "
        f"{outcome.total_seconds:.1f} s",
    )
    outcome.story_path = story_path
    story_path.write_text("\n".join(story.transcript) + "\n", encoding="utf-8")
    return outcome


def honest_path(world: World, out: Path, story: Story) -> Stage:
    """Acts 1-8: admit, publish the factor set, publish (two tiers), collect and roll up,
    anchor, certify, audit.

    Writes the label's QR code to ``out``. Raises whatever a step raises: on the honest
    path every check must pass.
    """
    story.say("registrar", f"admitted {len(ORGS)} organisations on chain:")
    story.block(
        "\n".join(
            f"{spec.org_id}  {'+'.join(spec.roles):<16} {spec.name_zh}  {spec.name}"
            for spec in ORGS
        ),
        indent=6,
    )
    story.say(
        "log operator",
        f"opened log {LOG_ID!r} on the AnchorRegistry; the node serves it at {world.node_url}",
    )
    cast = Cast(world, out / WALLET_DIR)
    story.say(
        "every organisation",
        f"keeps its keys' work in an encrypted wallet ({out / WALLET_DIR}/<org>.db): what it "
        "published, was granted, asked for and certified survives this process",
    )
    published: dict[str, Published] = {}
    pcf: dict[str, Decimal] = {}

    # ---------------------------------------------------------------- act 2
    story.act(
        "An industry association publishes the emission factors, in the clear",
        "The China Notebook Industry Low-Carbon Alliance publishes the factor set its "
        "members calculate with (grid, material, transport, packaging) as a public "
        "attestation: signed, logged and later anchored like any other, but with every "
        "claim disclosed, so anyone can read each factor and check it against the signed "
        "commitment. Footprints cite the set by attestation id.",
    )
    factor_set = default_factor_set()
    public_set = cast.association.publish_factor_set(factor_set)
    story.say(
        "Alliance",
        f"published {factor_set.id} ({len(factor_set.factors)} factors) as "
        f"{_short(public_set.attestation_id)} at log index {public_set.index}: all "
        f"{public_set.disclosure.claim_count} claims public",
    )

    # ---------------------------------------------------------------- act 3
    story.act(
        "Tier-2 suppliers publish encrypted footprints",
        "The glass-substrate maker and the cell maker compute their cradle-to-gate "
        "footprints (GB/T 24067-2024, partial) from their own activity data and the SDK's "
        "factor database, then publish: the footprint and inventory are encrypted, only a "
        "signed statement with a salted commitment is public.",
    )
    for key in TIER2:
        published[key], pcf[key] = _publish_plain(cast, key, story)
    story.sees(
        "node operator",
        "issuer, key id, the creation time, a salted commitment to the product id, the "
        "claim-count bucket (a power of two), the envelope's size bucket",
        "the product id (no dictionary reverses the salted subject), the value, the "
        "inventory, how many BOM lines or suppliers it has",
    )

    # ---------------------------------------------------------------- act 4
    story.act(
        "Tier-1 suppliers roll up their own suppliers",
        "The panel maker asks the glass maker for its footprint, the battery-pack maker "
        "asks the cell maker. Each supplier fulfils by granting the requester its data "
        "key; the requester decrypts, checks the signature and commitment, rolls the value "
        "up and publishes, carrying the supplier's disclosed PCF claim as lineage. Both "
        "measure their electricity with registered, calibrated meters read through DL/T 645 "
        "and cite the meters' signed readings. The other four tier-1 suppliers publish "
        "their own footprints directly.",
    )
    # Metered electricity: the panel and pack makers read their registered meters.
    certifier_id = world.orgs["certifier"].org_id
    metering = meter_suppliers(world, cast.suppliers, certifier_id, story)
    for assembler, upstream_key in (("display_panel", "glass_substrate"), ("battery_pack", "cell")):
        published[assembler], pcf[assembler] = _publish_rolled(
            cast,
            assembler,
            {upstream_key: published[upstream_key]},
            story,
            meters=metering.citations(assembler),
            recipients=[certifier_id],
        )
    for key in TIER1:
        if key not in published:
            published[key], pcf[key] = _publish_plain(cast, key, story)

    # ---------------------------------------------------------------- act 5
    story.act(
        "The OEM (chain leader) collects its suppliers' footprints and rolls them up",
        "Beijing Zhiben asks each tier-1 supplier for the part it buys. Each supplier sees "
        "the open request and fulfils it; Zhiben decrypts the six footprints, rolls them up "
        "with its own assembly electricity, packaging and inbound transport, and publishes "
        "the notebook's footprint, granting the certifier access.",
    )
    oem = cast.leader("oem")
    notebook = PRODUCT_BY_KEY[LEADER_PRODUCT]
    supplied = _request_and_collect(
        cast, "oem", {c.product: published[c.product] for c in notebook.components}, story
    )
    bom = [
        Leader.bom_line(supplied[c.product], line_id=c.line_id, quantity=c.quantity)
        for c in notebook.components
    ]
    # The OEM takes its factors from the Alliance's public set, verified on the way in.
    factors = fetch_public_factor_set(
        oem.node, public_set.attestation_id, publishers={str(cast.association.org_id)}
    )
    story.say(
        "Zhiben",
        f"fetched {factors.id} from attestation {_short(public_set.attestation_id)}: every "
        f"factor verified against the Alliance's signed commitment; the inventory cites it",
    )
    inventory = build_inventory(
        notebook,
        ORG_BY_KEY["oem"],
        bom,
        world.clock(),
        factor_set=factors,
        factor_set_attestation=public_set.attestation_id,
    )
    rolled = oem.roll_up(inventory, list(supplied.values()))
    story.say("Zhiben", "roll-up (kgCO2e per notebook):")
    rows = [
        f"{ln.line_id:<14} {ln.kind:<12} {ln.quantity:>6} {ln.unit:<6} × {ln.intensity:<10} "
        f"= {ln.emissions:>12}  ({ln.share_percent}%)"
        for ln in rolled.result.lines
    ]
    story.block("\n".join(rows), indent=6)
    hand = hand_calculation()
    story.say(
        "Zhiben",
        f"total {rolled.result.total} → declared {rolled.result.pcf} kgCO2e/piece "
        f"(hand calculation {hand[LEADER_PRODUCT]}); primary data share "
        f"{rolled.result.primary_data_share} %, DQR technological "
        f"{rolled.result.dqr.technological} (weighted over inputs above 5 %)",
    )
    leader_pub = oem.publish_rollup(rolled, [certifier_id])
    published[LEADER_PRODUCT] = leader_pub
    pcf[LEADER_PRODUCT] = rolled.result.pcf
    story.say(
        "Zhiben",
        f"published {_short(leader_pub.attestation_id)} at index {leader_pub.index}, "
        f"granted to the certifier; its envelope carries the 6 upstream disclosures",
    )
    story.sees(
        "Zhiben",
        "each tier-1 supplier's footprint it was granted (value, inventory, factors)",
        "the glass or cell maker's inventory (never granted to it); other customers' data",
    )

    # ---------------------------------------------------------------- act 6
    story.act(
        "The log operator anchors the log on chain",
        "The operator signs a checkpoint (tree size and root) and anchors it on the "
        "AnchorRegistry, which verifies an RFC 9162 consistency proof from the previous "
        "head itself: from now on no entry can be changed or dropped unnoticed.",
    )
    size = world.anchor_now()
    head = world.anchors.latest(LOG_ID)
    assert head is not None
    story.say(
        "log operator",
        f"anchored size {size}, root {head.root.hex()[:16]}…, at chain time "
        f"{head.anchored_at.strftime('%Y-%m-%dT%H:%M:%SZ')}",
    )

    # ---------------------------------------------------------------- act 7
    story.act(
        "The certifier checks the calculation and issues the carbon label",
        "Huaxia Carbon Certification first checks the metered suppliers at the source "
        "(meters on chain, signed readings, the panel plant's ETS data), then decrypts "
        "Zhiben's attestation (it was granted), checks "
        "it is anchored and signed by a key valid at anchoring time, verifies each of the "
        "six upstream disclosures against its supplier's anchored commitment, checks the "
        "committed roll-up against the suppliers' anchored value commitments "
        "(rollup.commitments: it would need no disclosure at all), and recomputes the "
        "roll-up from the inventory. Then it issues the label on chain (valid two "
        "years, CNCA rules), publishes the label's public disclosure on the node and "
        "prints a QR code.",
    )
    supplier_checks = _check_metered_suppliers(cast, published, metering, story)
    check = cast.certifier.check(leader_pub.attestation_id)
    for up in check.upstream:
        story.say(
            "certifier",
            f"upstream {up.product_id}: {up.value} kgCO2e/{up.declared_unit} from "
            f"{up.supplier}, anchored {up.anchored_at.strftime('%H:%M:%S')}: verified",
        )
    story.say(
        "certifier",
        f"factors: the inventory's {len(rolled.inventory.factors)} factors are exactly those "
        f"of {check.factor_set_id}, published by the Alliance in anchored attestation "
        f"{_short(check.factor_set_attestation or '')}",
    )
    if check.rollup_commitments:
        story.say(
            "certifier",
            "committed roll-up: the declared value opens Σ quantity × supplier commitment + "
            "Zhiben's own term, which equals its own emissions: verified",
        )
    story.say("certifier", f"recomputed {check.recomputed} = claimed {check.claimed}: agreed")
    label_grade = grade(from_pact(check.opened.content.footprint), notebook_benchmark())
    grade_text = (
        f"{label_grade.grade} (illustrative)" if label_grade.illustrative else label_grade.grade
    )
    certificate = cast.certifier.certify(
        check, grade=grade_text, standard=STANDARD, qr_path=out / QR_FILE
    )
    label = certificate.label
    from sdk.label_art import LabelInfo, render_label

    art = render_label(
        LabelInfo.from_label(label, ORG_BY_KEY["certifier"].name_zh), certificate.url
    )
    (out / f"{LABEL_ART}.svg").write_bytes(art.svg)
    (out / f"{LABEL_ART}.png").write_bytes(art.png)
    story.say(
        "certifier",
        f"issued label {certificate.label_id[:18]}… : {label.value} {label.unit}, grade "
        f"{label.grade} against an illustrative notebook benchmark, valid until "
        f"{datetime.fromtimestamp(label.valid_until, UTC).date()}",
    )
    story.say("certifier", f"QR code → {certificate.url}")
    story.block(qr_text(certificate.url), indent=6)

    # ---------------------------------------------------------------- act 8
    story.act(
        "An auditor scans the label and verifies it against the chain",
        "A market-regulation spot check needs nothing but the label id: it reads the label "
        "and the registries from the chain, fetches the leaf, the inclusion proof and the "
        "public disclosure from the node, and checks each step of DESIGN.md §6.5.",
    )
    t0 = time.perf_counter()
    report = cast.auditor.verify_label(certificate.label_id)
    verify_seconds = time.perf_counter() - t0
    story.block(report.to_text(), indent=4)
    story.sees(
        "auditor",
        "; ".join(f"{p} = {v}" for p, v in report.disclosed.items()),
        "the inventory, the suppliers and their values, the factors, any other claim",
    )
    # Any node verifies the labelled attestation's receipt and public disclosure too: the
    # checkpoint key the node signs with is registered for the log operator on chain.
    public = world.public_node()
    receipt = public.receipt(leader_pub.attestation_id)
    receipt_report = public.verify(receipt, certificate.disclosure.to_dict())
    passed = sum(1 for step in receipt_report["steps"] if step["status"] == "passed")
    story.say(
        "node",
        f"POST /v1/verify of the receipt and the public disclosure: "
        f"{'ok' if receipt_report['ok'] else 'FAILED at ' + str(receipt_report['failedStep'])}"
        f" ({passed} of {len(receipt_report['steps'])} steps passed)",
    )
    _hidden_values_act(cast, certificate, supplied, report.checked_at, story)
    return Stage(
        world=world,
        cast=cast,
        published=published,
        pcf=pcf,
        supplied=supplied,
        rolled=rolled,
        certificate=certificate,
        report=report,
        verify_seconds=verify_seconds,
        factor_set=public_set,
        receipt_report=receipt_report,
        metering=metering,
        supplier_checks=supplier_checks,
    )


def _hidden_values_act(
    cast: Cast,
    certificate: Certificate,
    supplied: dict[str, SupplierFootprint],
    at: datetime,
    story: Story,
) -> None:
    """Act 9: the label's value against six hidden supplier values, from the public bundle
    alone (docs/commitments.md)."""
    story.act(
        "The label's value, checked against six hidden supplier values",
        "Every statement commits to its PCF value (a Pedersen commitment on ristretto255, "
        "with a range proof the node checked before logging); the value itself travels only "
        "in the envelope, to grantees. Zhiben published, next to its statement, a proof that "
        "its declared value is at least Σ quantity × supplier value over its BOM. Anyone "
        "holding the label's public bundle checks it, and learns no supplier's value.",
    )
    evidence = cast.auditor.collect_evidence(certificate.label_id)
    rollup = evidence.rollup
    assert rollup is not None
    assert isinstance(rollup.proof, dict)
    story.block(
        "\n".join(
            f"{_short(line['ref'])}  quantity {Decimal(line['quantity']) / 10**6:>8} × "
            f"value hidden in {_short(line['commitment'], 16)}"
            for line in rollup.proof["lines"]
        ),
        indent=6,
    )
    report = audit_label(LabelEvidence.from_json(evidence.to_json()), at)
    result = report.result(AuditCheck.ROLLUP_COMMITMENTS)
    story.say("auditor", f"offline, from the saved bundle: {result.status.value}: {result.reason}")
    text = evidence.to_json()
    shown = [s.product_id for s in supplied.values() if f'"{s.value}"' in text]
    story.sees(
        "anyone with the bundle",
        f"which {len(rollup.lines)} supplier attestations the notebook uses and the quantities",
        "the six supplier values ("
        + ("none of them in the bundle" if not shown else f"LEAKED: {shown}")
        + "), Zhiben's own emissions",
    )


def _check_metered_suppliers(
    cast: Cast, published: Mapping[str, Published], metering: Metering, story: Story
) -> dict[str, CertificationCheck]:
    """The certifier checks the metered suppliers' footprints at the source: each metered
    line against the meter's registration on chain and its owner's signed readings, and
    the panel footprint against the plant's verified ETS year."""
    certifier = cast.certifier
    checks: dict[str, CertificationCheck] = {}
    for key in metering.read:
        ets = (
            panel_ets_review(metering.ets_attestation, str(certifier.org_id), certifier.now())
            if key == "display_panel"
            else None
        )
        checks[key] = certifier.check(published[key].attestation_id, ets=ets)
        story.say("certifier", f"{PRODUCT_BY_KEY[key].name}: data quality at the source")
        for line in checks[key].data_quality.to_lines():
            story.say("certifier", line)
    return checks


def _publish_plain(cast: Cast, key: str, story: Story) -> tuple[Published, Decimal]:
    spec = PRODUCT_BY_KEY[key]
    maker = cast.suppliers[spec.maker]
    inventory = build_inventory(spec, ORG_BY_KEY[spec.maker], [], cast.world.clock())
    result = roll_up(inventory)
    pub = maker.publish(result.footprint, inventory)
    who = ORG_BY_KEY[spec.maker].name.split(" ")[1]
    story.say(
        who,
        f"{spec.name}: {result.pcf} kgCO2e/{spec.unit} from {len(spec.lines)} own lines → "
        f"attestation {_short(pub.attestation_id)} at log index {pub.index}",
    )
    return pub, result.pcf


def _request_and_collect(
    cast: Cast, leader_key: str, wanted: dict[str, Published], story: Story
) -> dict[str, SupplierFootprint]:
    leader = cast.leader(leader_key)
    leader_name = ORG_BY_KEY[leader_key].name.split(" ")[1]
    requests: dict[str, dict[str, Any]] = {}
    for product_key, pub in wanted.items():
        maker_key = PRODUCT_BY_KEY[product_key].maker
        requests[product_key] = leader.request(
            ORG_BY_KEY[maker_key].org_id, [pub.product_id], "PCF for our 2025 bill of materials"
        )
    for product_key, pub in wanted.items():
        maker_key = PRODUCT_BY_KEY[product_key].maker
        supplier = cast.suppliers[maker_key]
        for req in supplier.open_requests():
            if pub.product_id in req["productIds"]:
                supplier.fulfil(req, pub.attestation_id)
                story.say(
                    ORG_BY_KEY[maker_key].name.split(" ")[1],
                    f"fulfilled {leader_name}'s request for {pub.product_id} (grant sealed "
                    "to its X25519 key)",
                )
    collected = leader.collect(list(requests.values()))
    by_product = {PRODUCT_BY_KEY[k].product_id: k for k in wanted}
    out = {by_product[s.product_id]: s for s in collected}
    for s in collected:
        story.say(
            leader_name,
            f"decrypted {s.product_id}: {s.value} kgCO2e/{s.declared_unit} (signature and "
            "commitment checked)",
        )
    return out


def _publish_rolled(
    cast: Cast,
    key: str,
    wanted: dict[str, Published],
    story: Story,
    *,
    meters: Mapping[str, MeterCitation] | None = None,
    recipients: Sequence[str] = (),
) -> tuple[Published, Decimal]:
    spec = PRODUCT_BY_KEY[key]
    leader = cast.leader(spec.maker)
    supplied = _request_and_collect(cast, spec.maker, wanted, story)
    bom = [
        Leader.bom_line(supplied[c.product], line_id=c.line_id, quantity=c.quantity)
        for c in spec.components
    ]
    inventory = build_inventory(
        spec, ORG_BY_KEY[spec.maker], bom, cast.world.clock(), meters=meters
    )
    rolled = leader.roll_up(inventory, list(supplied.values()))
    pub = leader.publish_rollup(rolled, recipients)
    story.say(
        ORG_BY_KEY[spec.maker].name.split(" ")[1],
        f"{spec.name}: {rolled.result.pcf} kgCO2e/{spec.unit} (incl. upstream) → "
        f"attestation {_short(pub.attestation_id)} at log index {pub.index}",
    )
    return pub, rolled.result.pcf


class Frauds:
    """The fraud attempts, in an order where each leaves the later ones meaningful (the
    rewritten history comes last: it leaves the node's log inconsistent with the chain)."""

    def __init__(self, stage: Stage, story: Story, results: list[FraudResult]) -> None:
        self.stage = stage
        self.world = stage.world
        self.cast = stage.cast
        self.story = story
        self.cert = stage.certificate
        self.supplied = stage.supplied
        self.pcf = stage.pcf
        self.results = results
        self.oem = stage.cast.leader("oem")
        self.certifier = stage.cast.certifier
        self.stage = stage
        self.published = stage.published
        assert stage.metering is not None
        self.metering = stage.metering
        self.lower_label = ""
        self.understated_label = ""

    def run(self) -> None:
        for attempt in (
            self.lower_value,
            self.altered_disclosure,
            self.expired,
            self.superseded,
            self.wrong_upstream_value,
            self.never_anchored,
            self.revoked_label,
            self.revoked_key,
            self.future_dated,
            self.certifier_own_product,
            self.issuer_role_revoked,
            self.understated_rollup,
            self.rewritten_receipt_anchor,
            self.electricity_differs_from_meter,
            self.expired_calibration,
            self.implausible_against_ets,
            self.suspended_label,
            self.rewritten_history,
        ):
            attempt()

    # -------------------------------------------------------------- helpers

    def _record(
        self, name: str, by: str, step: str, reason: str, caught: bool = True, warned: bool = False
    ) -> None:
        self.results.append(FraudResult(name, caught, by, str(step), reason))
        mark = ("WARNED" if warned else "CAUGHT") if caught else "MISSED"
        self.story.say(by, f"{mark} at step {str(step)!r}: {reason}")

    def _audit(self, name: str, label_id: str, expect: AuditCheck, **kwargs: Any) -> None:
        report = self.cast.auditor.verify_label(label_id, **kwargs)
        result = report.result(expect)
        warned = result.status is CheckStatus.WARNED
        caught = warned or result.status is CheckStatus.FAILED
        self._record(name, "auditor", expect.step, result.reason, caught, warned)

    def _rogue_label(self, pub: Published, value: str) -> str:
        """A label issued straight on chain by the certifier's account, skipping its checks."""
        att = pub.attestation
        disclosure = att.disclose(LABEL_POINTERS)
        label_id = derive_label_id(
            str(self.certifier.org_id), pub.attestation_id, self.world.clock().isoformat().encode()
        )
        self.world.labels.issue(
            label_id=label_id,
            product_id_digest=product_id_digest(pub.product_id),
            log_id=pub.log_id,
            leaf_index=pub.index,
            leaf_hash=att.signed_statement.leaf_hash,
            value=value,
            unit=label_unit("piece", "1"),
            grade="",
            standard=STANDARD,
            disclosure_digest=disclosure.digest,
            sender=self.certifier.account,
        )
        hex_id = "0x" + label_id.hex()
        self.certifier.node.put_label_disclosure(hex_id, disclosure.to_dict())
        return hex_id

    def _republish(
        self, *, bom_override: dict[str, Decimal] | None = None, supersedes: str | None = None
    ) -> Published:
        """The OEM publishes its footprint again (optionally with a tampered BOM value)."""
        spec = PRODUCT_BY_KEY[LEADER_PRODUCT]
        bom = []
        for c in spec.components:
            line = Leader.bom_line(self.supplied[c.product], line_id=c.line_id, quantity=c.quantity)
            if bom_override and c.product in bom_override:
                line = BomLine(**{**line.__dict__, "supplier_pcf": bom_override[c.product]})
            bom.append(line)
        inventory = build_inventory(spec, ORG_BY_KEY["oem"], bom, self.world.clock())
        if supersedes is not None:
            # PACT: a new version names the footprint it replaces (precedingPfIds).
            previous = self.oem.published[supersedes].attestation.content.footprint["id"]
            inventory = dataclasses.replace(inventory, preceding_pf_ids=(str(previous),))
        result = roll_up(inventory)
        upstream = [s.disclosure for s in self.supplied.values()]
        return self.oem.publish(
            result.footprint,
            inventory,
            [self.world.orgs["certifier"].org_id],
            upstream=upstream,
            supersedes=supersedes,
        )

    # -------------------------------------------------------------- the frauds

    def lower_value(self) -> None:
        self.story.say(
            "fraud 1",
            "a label claims a lower value (199.000) than the attested footprint",
        )
        label_id = self._rogue_label(self._leader_pub(), "199.000")
        self.lower_label = label_id
        self._audit("label value lower than attested", label_id, AuditCheck.MATCH)

    def altered_disclosure(self) -> None:
        self.story.say(
            "fraud 2",
            "someone hands out the label's public disclosure with the value edited to 180.000",
        )
        doc = self.cert.disclosure.to_dict()
        for claim in doc["claims"]:
            if claim["pointer"] == "/pcf/pcfExcludingBiogenicUptake":
                claim["value"] = "180.000"
        self._audit(
            "public disclosure altered", self.cert.label_id, AuditCheck.DISCLOSURE, disclosure=doc
        )

    def expired(self) -> None:
        self.story.say("fraud 3", "the label is shown again three years later")
        later = self.world.clock() + timedelta(days=3 * 365)
        self._audit("label expired", self.cert.label_id, AuditCheck.LABEL, at=later)

    def superseded(self) -> None:
        self.story.say(
            "fraud 4",
            "Zhiben later publishes a corrected footprint that supersedes the labelled one; "
            "the old label is still shown",
        )
        newer = self._republish(supersedes=self._leader_pub().attestation_id)
        self.world.anchor_now()
        self.story.say("Zhiben", f"published {_short(newer.attestation_id)} superseding it")
        self._audit("attestation superseded", self.cert.label_id, AuditCheck.SUPERSEDED)

    def wrong_upstream_value(self) -> None:
        self.story.say(
            "fraud 5",
            "Zhiben recomputes its footprint using 60 instead of the panel maker's attested "
            "75 kgCO2e, and asks the certifier to certify it",
        )
        tampered = self._republish(bom_override={"display_panel": Decimal(60)})
        self.world.anchor_now()
        try:
            self.certifier.check(tampered.attestation_id)
        except VerificationError as exc:
            self._record("leader used another upstream value", "certifier", exc.step, exc.reason)
        else:
            self._record(
                "leader used another upstream value", "certifier", "-", "not caught", caught=False
            )

    def never_anchored(self) -> None:
        self.story.say(
            "fraud 6",
            "a label is issued for a fresh attestation before the log operator anchored it",
        )
        fresh = self._republish()
        label_id = self._rogue_label(fresh, str(self.pcf[LEADER_PRODUCT]))
        self._audit("attestation never anchored", label_id, AuditCheck.ANCHOR)
        self.world.anchor_now()

    def revoked_label(self) -> None:
        self.story.say("fraud 7", "the certifier revokes the 199.000 label; a shop still shows it")
        self.certifier.revoke(
            bytes.fromhex(self.lower_label[2:]), "value does not match the attested footprint"
        )
        self._audit("label revoked", self.lower_label, AuditCheck.LABEL)

    def revoked_key(self) -> None:
        self.story.say(
            "fraud 8",
            "the adapter maker's signing key leaks; it is revoked, but an attestation signed "
            "with it is slipped into the log before the next anchor and then labelled",
        )
        adapter = self.cast.suppliers["adapter"]
        org = self.world.orgs["adapter"]
        spec = PRODUCT_BY_KEY["adapter"]
        inventory = build_inventory(spec, ORG_BY_KEY["adapter"], [], self.world.clock())
        pub = adapter.publish(roll_up(inventory).footprint, inventory)
        self.world.participants.revoke_key(
            org.org_id,
            bytes(org.keys.verify_key),
            RevocationReason.KEY_COMPROMISE,
            sender=org.account,
        )
        self.world.anchor_now()
        label_id = self._rogue_label(pub, "20.000")
        self._audit(
            "attestation signed with a key revoked before anchoring", label_id, AuditCheck.SIGNATURE
        )

    def future_dated(self) -> None:
        self.story.say(
            "fraud 9",
            "the battery-cell maker signs a footprint dated 30 days ahead (so it looks newer "
            "than any correction to come) and publishes it",
        )
        cells = self.cast.suppliers["cells"]
        spec = PRODUCT_BY_KEY["cell"]
        later = self.world.clock() + timedelta(days=30)
        inventory = build_inventory(spec, ORG_BY_KEY["cells"], [], later)
        # Below the role API, which always dates a statement now.
        attestation = create_attestation(
            cells.keys,
            footprint=to_pact(roll_up(inventory).footprint, "3.0"),
            inventory=inventory.to_dict(),
            now=later,
        )
        try:
            result = cells.node.publish(
                attestation.signed_statement.to_dict(), attestation.envelope.to_dict(), []
            )
        except NodeClientError as exc:
            if exc.code != "future_statement":
                raise
            # The node admits statements with sdk.check_issuer at the time of publishing.
            self._record(
                "statement dated after its anchoring", "node", Step.STATEMENT_TIME, exc.message
            )
            return
        # A node that logged it anyway: the auditor catches it against the anchoring time.
        self.world.anchor_now()
        pub = Published(attestation, str(result["logId"]), int(result["index"]), spec.product_id)
        label_id = self._rogue_label(pub, str(roll_up(inventory).pcf))
        self._audit("statement dated after its anchoring", label_id, AuditCheck.SIGNATURE)

    def certifier_own_product(self) -> None:
        self.story.say(
            "fraud 10",
            "the certification body also gets the SUPPLIER role, publishes a footprint of "
            "its own product and labels it itself",
        )
        cert = self.world.orgs["certifier"]
        self.world.participants.grant_role(cert.org_id, Role.SUPPLIER, sender=self.world.registrar)
        try:
            own = Supplier(
                cert.keys,
                node=cert.node,
                participants=self.world.participants,
                clock=self.world.clock,
            )
            spec = PRODUCT_BY_KEY["adapter"]
            inventory = build_inventory(spec, ORG_BY_KEY["certifier"], [], self.world.clock())
            footprint = to_pact(roll_up(inventory).footprint, "3.0")
            footprint["productIds"] = ["urn:tanji:product:12100000:carbon-meter-cm1"]
            pub = own.publish(footprint, inventory, [cert.org_id])
            self.world.anchor_now()
            try:
                self.certifier.check(pub.attestation_id)
            except VerificationError as exc:
                self.story.say(
                    "certifier", f"its own check refuses at {str(exc.step)!r}: {exc.reason}"
                )
            label_id = self._rogue_label(pub, str(roll_up(inventory).pcf))
            self._audit("certifier labelled its own product", label_id, AuditCheck.ISSUER)
        finally:
            self.world.participants.revoke_role(
                cert.org_id, Role.SUPPLIER, sender=self.world.registrar
            )

    def issuer_role_revoked(self) -> None:
        self.story.say(
            "fraud 11",
            "the registrar suspends the SSD maker (its SUPPLIER role is revoked) just after it "
            "published and before the log was anchored; a label is still issued over it",
        )
        org = self.world.orgs["ssd"]
        ssd = self.cast.suppliers["ssd"]
        spec = PRODUCT_BY_KEY["ssd"]
        inventory = build_inventory(spec, ORG_BY_KEY["ssd"], [], self.world.clock())
        pub = ssd.publish(roll_up(inventory).footprint, inventory)
        self.world.participants.revoke_role(org.org_id, Role.SUPPLIER, sender=self.world.registrar)
        try:
            self.world.anchor_now()
            label_id = self._rogue_label(pub, str(roll_up(inventory).pcf))
            self._audit("issuer's role revoked before anchoring", label_id, AuditCheck.SIGNATURE)
        finally:
            self.world.participants.grant_role(
                org.org_id, Role.SUPPLIER, sender=self.world.registrar
            )

    def understated_rollup(self) -> None:
        self.story.say(
            "fraud 12",
            "Zhiben declares 20 kg less than its roll-up (221.997): the SDK refuses to prove "
            "that, so it forges the roll-up proof (its own term negative) below the API, "
            "publishes it and a rogue label is issued over it",
        )
        pub = publish_understated(self.oem, self.stage.rolled, by=Decimal(20), rng=os.urandom)
        self.world.anchor_now()
        label_id = self._rogue_label(pub, "221.997")
        self.understated_label = label_id
        self._audit("leader understated its roll-up", label_id, AuditCheck.ROLLUP_COMMITMENTS)

    def rewritten_receipt_anchor(self) -> None:
        self.story.say(
            "fraud 13",
            "someone hands out the label's receipt claiming it was anchored by another "
            "contract, transaction and block",
        )
        public = self.world.public_node()
        receipt = public.receipt(self.cert.disclosure.attestation_id)
        receipt["anchor"] = {
            **receipt["anchor"],
            "contract": "0x000000000000000000000000000000000000dEaD",
            "txHash": "0x" + "ab" * 32,
            "blockNumber": 1,
        }
        report = public.verify(receipt, self.cert.disclosure.to_dict())
        failed = next(s for s in report["steps"] if s["status"] == "failed")
        self._record(
            "receipt anchor fields rewritten",
            "node /v1/verify",
            str(report["failedStep"]),
            str(failed["reason"]),
            caught=not report["ok"],
        )

    def _republish_metered(
        self,
        product: str,
        quantity: Decimal,
        citation: MeterCitation,
        metering: MeteringRecord | None = None,
    ) -> Published:
        """The maker of ``product`` publishes its footprint again, granted to the certifier,
        with its electricity line declaring ``quantity`` and citing ``citation``; the
        footprint is rolled up from that inventory (consistent in itself), then anchored."""
        honest = self.published[product]
        maker = self.cast.leader(PRODUCT_BY_KEY[product].maker)
        content = honest.attestation.content
        inventory = Inventory.from_dict(content.inventory)
        activities = tuple(
            dataclasses.replace(
                line,
                quantity=quantity,
                meter_readings=citation,
                metering=metering or line.metering,
            )
            if line.line_id == "elec"
            else line
            for line in inventory.activities
        )
        inventory = dataclasses.replace(
            inventory,
            activities=activities,
            footprint_id=str(uuid.uuid5(_NS, f"{inventory.footprint_id}/{quantity}/{citation}")),
        )
        upstream = [Disclosure.from_dict(d) for d in content.upstream_disclosures]
        pub = maker.publish(
            roll_up(inventory).footprint,
            inventory,
            [self.world.orgs["certifier"].org_id],
            upstream=upstream,
        )
        self.world.anchor_now()
        return pub

    def _certifier_check(self, name: str, attestation_id: str, ets: EtsReview | None) -> None:
        try:
            self.certifier.check(attestation_id, ets=ets)
        except VerificationError as exc:
            self._record(name, "certifier", exc.step, exc.reason)
        else:
            self._record(name, "certifier", "-", "not caught", caught=False)

    def electricity_differs_from_meter(self) -> None:
        self.story.say(
            "fraud 14",
            "the panel maker declares 150 kWh of electricity per panel, citing its meter's "
            "signed readings, which give 180",
        )
        read = self.metering.read["display_panel"]
        pub = self._republish_metered("display_panel", Decimal("150"), read.citation())
        self._certifier_check(
            "declared electricity differs from the meter", pub.attestation_id, None
        )

    def expired_calibration(self) -> None:
        self.story.say(
            "fraud 15",
            f"the pack maker cites its spare meter {EXPIRED_PLAN.device_id}, registered with "
            f"a calibration certificate valid until {EXPIRED_PLAN.certificate.valid_until} and "
            "never renewed; its year-end reading is signed after the calibration expired",
        )
        register_meters(self.world, EXPIRED_PLAN)
        readings = read_period(EXPIRED_PLAN)[EXPIRED_PLAN.device_id]
        citation = cite(EXPIRED_PLAN, readings[0], readings[-1])
        cert = EXPIRED_PLAN.certificate
        record = MeteringRecord(
            "elec", EXPIRED_PLAN.device_id, cert.number, cert.institute, cert.valid_until
        )
        pub = self._republish_metered("battery_pack", Decimal("2.5"), citation, record)
        self._certifier_check(
            "reading from a meter whose calibration had expired", pub.attestation_id, None
        )

    def implausible_against_ets(self) -> None:
        self.story.say(
            "fraud 16",
            "the panel maker states that its metered line made 3,000,000 panels instead of "
            "2,000,000, so the same honest readings give 120 kWh a panel; the plant's "
            "verified ETS year says 190",
        )
        read = self.metering.read["display_panel"]
        citation = read.citation(output=Decimal(3000000))
        pub = self._republish_metered("display_panel", Decimal("120"), citation)
        review = panel_ets_review(
            self.metering.ets_attestation, str(self.certifier.org_id), self.certifier.now()
        )
        self._certifier_check(
            "per-unit emissions implausible against the facility's ETS data",
            pub.attestation_id,
            review,
        )

    def suspended_label(self) -> None:
        self.story.say(
            "fraud 17",
            "the certifier certifies the display panel (certificate bound on chain), then "
            "suspends the label after a surveillance audit; a shop still shows it",
        )
        check = self.stage.supplier_checks["display_panel"]
        certificate = self.certifier.certify(
            check, standard=STANDARD, certificate=panel_certificate(check, self.world)
        )
        label = certificate.label
        self.story.say(
            "certifier",
            f"issued label {certificate.label_id[:18]}… binding certificate "
            f"{label.certificate_number} (digest {(label.certificate_digest or b'').hex()[:16]}…)",
        )
        label_bytes = bytes.fromhex(certificate.label_id[2:])
        self.certifier.suspend(label_bytes, SUSPENSION_REASON)
        self._audit("label suspended", certificate.label_id, AuditCheck.LABEL)
        self.certifier.restore(label_bytes, "corrective actions verified on site")
        again = self.cast.auditor.verify_label(certificate.label_id)
        self.story.say(
            "auditor",
            f"after the certifier restores it: {again.verdict} "
            f"({again.result(AuditCheck.LABEL).reason})",
        )

    def rewritten_history(self) -> None:
        self.story.say(
            "fraud 18",
            "the log operator rewrites the display panel's entry in its database and tries to "
            "anchor the rewritten log",
        )
        panel = self.supplied["display_panel"].attestation_id
        index, true_leaf = rewrite_leaf(self.world, panel)
        self.story.say("log operator", f"rewrote entry {index} in the node's database")
        glass = self.cast.suppliers["glass"]
        spec = PRODUCT_BY_KEY["glass_substrate"]
        inventory = build_inventory(spec, ORG_BY_KEY["glass"], [], self.world.clock())
        glass.publish(roll_up(inventory).footprint, inventory)
        self.story.say("Lumen", "publishes as usual; the operator tries to anchor the new size")
        try:
            self.world.anchor_now()
        except (TransactionReverted, AnchorsError, SdkError) as exc:
            self.story.say("chain", f"refused the new checkpoint: {exc}")
        except Exception as exc:
            self.story.say("chain", f"refused the new checkpoint: {type(exc).__name__}: {exc}")
        self._audit("log operator rewrote history", self.cert.label_id, AuditCheck.ANCHOR)
        restore_leaf(self.world, panel, true_leaf)
        self.story.say(
            "demo",
            f"puts the true entry {index} back, so the node it leaves running serves the "
            "honest log again",
        )

    def _leader_pub(self) -> Published:
        return self.oem.published[self.cert.disclosure.attestation_id]
