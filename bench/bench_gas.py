"""Gas benchmarks: anchoring checkpoints vs attesting one by one with EAS, same chain.

(a) Gas per checkpoint: ``AnchorRegistry.anchor`` with its RFC 9162 consistency proof,
    verified on chain, for a log of ~1M entries (100k with --quick) growing by 1k, 10k and
    100k entries per checkpoint; three checkpoints each (one full cycle of the registry's
    three-heads-per-slot packing), mean reported.
(b) Gas per attestation = gas per checkpoint / entries per checkpoint.
Baseline, measured in the same run on the same embedded chain (eth-tester + py-evm):
the Ethereum Attestation Service ``attest`` (eas-contracts 1.9.0, compiled with the
project's solc-js by bench/eas/build.mjs) of one attestation with one bytes32 field, and
with the 8 PCF fields a label needs.
(d) Meters and label status (issue 14): registering a meter with its first calibration
    certificate, against EAS ``attest`` with the 8 PCF fields; issuing a label that binds a
    certificate, against issuing one without; suspending a label, against revoking one.
(c) The compile target: the committed artifacts are built for the minimum fork the chain
    profiles need (Paris, docs/chains.md); the same sources built for Cancun
    (``contracts/build.mjs --evm-version cancun``, PUSH0 and MCOPY) are the baseline, for
    gas per checkpoint (same log, same checkpoints) and for deploying the registries.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import HexStr

from anchors import MemoryLogStore, MerkleLog, leaf_hash
from anchors.chain import AnchorRegistryClient, EmbeddedChain
from bench._report import Row
from contracts import Artifact, available, load_artifact

HERE = Path(__file__).resolve().parent
CONTRACTS_BUILD = HERE.parent / "contracts" / "build.mjs"
EAS_BUILD = HERE / "eas" / "build.mjs"
EAS_OUT = HERE / "eas" / "node_modules" / ".build"
BATCHES = (1_000, 10_000, 100_000)
CHECKPOINTS = 3
ORG = hashlib.sha256(b"urn:tanji:org:bench-log-operator").digest()
ONE_FIELD = "bytes32 commitment"
PCF_FIELDS = (
    "string productId,string declaredUnit,string declaredUnitAmount,"
    "string pcfExcludingBiogenicUptake,string pcfIncludingBiogenicUptake,"
    "string referencePeriodStart,string referencePeriodEnd,bytes32 commitment"
)


def _log(msg: str) -> None:
    print(f"   [gas] {msg}", file=sys.stderr, flush=True)


def _artifact_file(path: Path) -> Artifact:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Artifact(
        name=data["contractName"],
        abi=tuple(data["abi"]),
        bytecode=data["bytecode"],
        deployed_bytecode=data.get("deployedBytecode", "0x"),
        provenance=MappingProxyType(data["provenance"]),
    )


def build_for(evm_version: str, out: Path) -> dict[str, Artifact]:
    """Tanji's contracts compiled for ``evm_version`` into ``out`` (contracts/build.mjs)."""
    _log(f"compiling contracts/src for {evm_version}")
    subprocess.run(
        ["node", str(CONTRACTS_BUILD), "--evm-version", evm_version, "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return {p.stem: _artifact_file(p) for p in sorted(out.glob("*.json"))}


def eas_artifact(name: str) -> Artifact:
    """The compiled EAS contract ``name``, building it (bench/eas/build.mjs) if needed."""
    path = EAS_OUT / f"{name}.json"
    if not path.is_file():
        _log("compiling EAS (bench/eas/build.mjs; fetches its npm tarball once)")
        subprocess.run(["node", str(EAS_BUILD)], check=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    return Artifact(
        name=name,
        abi=tuple(data["abi"]),
        bytecode=data["bytecode"],
        deployed_bytecode="0x",
        provenance=MappingProxyType(data["provenance"]),
    )


@dataclass
class Eas:
    chain: EmbeddedChain
    registry: Any
    eas: Any
    attester: LocalAccount

    def register(self, schema: str) -> bytes:
        receipt = self.chain.transact(
            self.registry.functions.register(schema, "0x" + "00" * 20, True), self.attester
        )
        (event,) = self.registry.events.Registered().process_receipt(receipt)
        return bytes(event["args"]["uid"])

    def attest(self, schema_uid: bytes, data: bytes, recipient: str) -> int:
        request = (schema_uid, (recipient, 0, True, bytes(32), data, 0))
        receipt = self.chain.transact(self.eas.functions.attest(request), self.attester)
        return int(receipt["gasUsed"])


def deploy_eas(chain: EmbeddedChain) -> Eas:
    attester = chain.new_account()
    registry = chain.deploy_artifact(eas_artifact("SchemaRegistry"), sender=attester)
    eas = chain.deploy_artifact(eas_artifact("EAS"), registry, sender=attester)
    return Eas(
        chain=chain,
        registry=chain.w3.eth.contract(
            address=registry, abi=list(eas_artifact("SchemaRegistry").abi)
        ),
        eas=chain.w3.eth.contract(address=eas, abi=list(eas_artifact("EAS").abi)),
        attester=attester,
    )


def eas_gas(chain: EmbeddedChain, rounds: int) -> tuple[float, float]:
    """Mean gas of EAS ``attest`` with one bytes32 field, and with the 8 PCF fields."""
    from eth_abi.abi import encode

    eas = deploy_eas(chain)
    one = eas.register(ONE_FIELD)
    pcf = eas.register(PCF_FIELDS)
    one_gas, pcf_gas = [], []
    for i in range(rounds):
        commitment = hashlib.sha256(f"attestation {i}".encode()).digest()
        recipient = chain.new_account(fund_wei=0).address
        one_gas.append(eas.attest(one, encode(["bytes32"], [commitment]), recipient))
        values = [
            f"urn:tanji:product:91310000MA1BBBBBB2:nb-14-{i:04d}",
            "unit",
            "1",
            "314.25",
            "309.80",
            "2025-01-01T00:00:00Z",
            "2025-12-31T23:59:59Z",
        ]
        pcf_data = encode(["string"] * 7 + ["bytes32"], [*values, commitment])
        pcf_gas.append(eas.attest(pcf, pcf_data, recipient))
    return statistics.fmean(one_gas), statistics.fmean(pcf_gas)


def _registry(
    chain: EmbeddedChain, build: Mapping[str, Artifact]
) -> tuple[AnchorRegistryClient, LocalAccount]:
    """An AnchorRegistry of ``build`` on a StaticOperatorRegistry, and its operator."""
    owner = chain.new_account()
    operators = chain.deploy_artifact(build["StaticOperatorRegistry"], sender=owner)
    address = chain.deploy_artifact(build["AnchorRegistry"], operators, sender=owner)
    registry = AnchorRegistryClient(chain, address)
    operator = chain.new_account()
    set_operator = chain.contract("StaticOperatorRegistry", operators).functions.setOperator
    chain.transact(set_operator(operator.address, ORG), owner)
    return registry, operator


def _log_of(total: int) -> MerkleLog:
    _log(f"building a {total:,}-entry log in memory")
    log = MerkleLog(MemoryLogStore())
    log.append_leaf_hashes([leaf_hash(i.to_bytes(8, "big")) for i in range(total)])
    return log


def _committed() -> dict[str, Artifact]:
    return {n: load_artifact(n) for n in ("StaticOperatorRegistry", "AnchorRegistry")}


def anchor_gas(chain: EmbeddedChain, base: int) -> dict[int, list[int]]:
    """Gas of each checkpoint anchored (with proof) per batch size, log starting at ``base``."""
    registry, operator = _registry(chain, _committed())
    log = _log_of(base + CHECKPOINTS * max(BATCHES))

    gas: dict[int, list[int]] = {}
    for batch in BATCHES:
        log_id = f"bench-{batch}"
        registry.create_log(log_id, operator)
        registry.anchor(log_id, base, log.root(base), [], operator)
        gas[batch] = []
        previous = base
        for k in range(1, CHECKPOINTS + 1):
            size = base + k * batch
            proof = log.consistency_proof(previous, size)
            ref = registry.anchor(log_id, size, log.root(size), proof, operator)
            receipt = chain.w3.eth.get_transaction_receipt(HexStr(ref.tx_hash))
            gas[batch].append(int(receipt["gasUsed"]))
            previous = size
        _log(f"{batch:,} entries/checkpoint: gas {gas[batch]}")
    return gas


def checkpoint_gas(
    chain: EmbeddedChain, build: Mapping[str, Artifact], log: MerkleLog, sizes: list[int]
) -> list[int]:
    """Gas of anchoring ``sizes`` in order (each with its proof) on a registry of ``build``."""
    registry, operator = _registry(chain, build)
    registry.create_log("target", operator)
    gas: list[int] = []
    previous = 0
    for size in sizes:
        proof = log.consistency_proof(previous, size) if previous else []
        ref = registry.anchor("target", size, log.root(size), proof, operator)
        gas.append(int(chain.w3.eth.get_transaction_receipt(HexStr(ref.tx_hash))["gasUsed"]))
        previous = size
    return gas[1:]  # the first head takes no proof


def deploy_gas(chain: EmbeddedChain, build: Mapping[str, Artifact]) -> int:
    """Gas of deploying the four registries of ``build``, wired as deploy_tanji does (the
    embedded chain mines one block per transaction: each block's gas is one deployment)."""
    admin = chain.new_account()
    total = 0
    participants = chain.deploy_artifact(build["ParticipantRegistry"], admin.address, sender=admin)
    total += int(chain.w3.eth.get_block("latest")["gasUsed"])
    for name in ("AnchorRegistry", "LabelRegistry", "MeterRegistry"):
        chain.deploy_artifact(build[name], participants, sender=admin)
        total += int(chain.w3.eth.get_block("latest")["gasUsed"])
    return total


def target_rows(chain: EmbeddedChain, base: int) -> list[Row]:
    """Gas of the committed (Paris) build against the same sources built for Cancun."""
    committed = {name: load_artifact(name) for name in available()}
    with tempfile.TemporaryDirectory(prefix="tanji-cancun-") as tmp:
        cancun = build_for("cancun", Path(tmp))
    target = committed["AnchorRegistry"].provenance["evmVersion"]
    batch = 10_000
    sizes = [base + k * batch for k in range(2 * CHECKPOINTS + 1)]
    log = _log_of(sizes[-1])
    paris_gas = checkpoint_gas(chain, committed, log, sizes)
    cancun_gas = checkpoint_gas(chain, cancun, log, sizes)
    _log(f"{target}: gas {paris_gas}; cancun: gas {cancun_gas}")
    paris, baseline = statistics.fmean(paris_gas), statistics.fmean(cancun_gas)
    paris_deploy, cancun_deploy = deploy_gas(chain, committed), deploy_gas(chain, cancun)
    return [
        Row(
            group="gas",
            what=(
                f"anchor one checkpoint, committed {target} build vs the Cancun build "
                f"(10,000 entries per checkpoint, {len(paris_gas)} checkpoints, "
                f"{min(paris_gas):,}–{max(paris_gas):,})"
            ),
            figure=f"{paris:,.0f} gas",
            baseline=f"Cancun build: {baseline:,.0f} gas",
            ratio=baseline / paris,
            goal="≤ 1 % more gas than Cancun",
            met=paris <= baseline * 1.01,
        ),
        Row(
            group="gas",
            what=f"deploy the four registries, committed {target} build vs the Cancun build",
            figure=f"{paris_deploy:,} gas",
            baseline=f"Cancun build: {cancun_deploy:,} gas",
            ratio=cancun_deploy / paris_deploy,
            goal="—",
            met=True,
        ),
    ]


def meter_label_gas(chain: EmbeddedChain) -> dict[str, int]:
    """Gas of the issue-14 operations on a fresh deployment (one of each, deterministic)."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from nacl.public import PrivateKey
    from nacl.signing import SigningKey

    from sdk.deploy import deploy_tanji
    from sdk.footprint import CalibrationCertificate, MeterRegistration
    from sdk.registry import Role

    registrar = chain.new_account()
    d = deploy_tanji(chain, registrar)
    owner, certifier = chain.new_account(), chain.new_account()
    orgs = (
        ("91500112MA5UDP002F", owner, Role.SUPPLIER),
        ("91110000MA0CERT00X", certifier, Role.CERTIFIER),
    )
    for n, (org, account, role) in enumerate(orgs, start=1):
        d.participants.register_organisation(
            org, account.address, [role], bytes(SigningKey(bytes([n]) * 32).verify_key),
            bytes(PrivateKey(bytes([n]) * 32).public_key), sender=registrar,
        )  # fmt: skip
    cert = CalibrationCertificate(
        "Chongqing Example Metrology Institute", "JJG596-CQ-2025-0311",
        date(2025, 1, 1), date(2026, 12, 31), "0.5S",
    )  # fmt: skip
    registration = MeterRegistration(
        "CQ-EM-11", orgs[0][0], bytes(SigningKey(bytes([9]) * 32).verify_key), "electricity",
        "kWh", "dlt645:00010000", (cert,), datetime(2025, 1, 1, tzinfo=UTC),
        multiplier=Decimal(6000),
    )  # fmt: skip

    def last_gas() -> int:
        return int(chain.w3.eth.get_block("latest")["gasUsed"])

    d.meters.register(registration, sender=owner)
    gas = {"register": last_gas()}
    renewal = CalibrationCertificate(cert.institute, "JJG596-CQ-2027-0042", date(2027, 1, 1),
                                     date(2028, 12, 31), "0.5S")  # fmt: skip
    gas["renew"] = int(d.meters.renew(orgs[0][0], "CQ-EM-11", renewal, sender=owner)["gasUsed"])
    fields: dict[str, Any] = {
        "product_id_digest": hashlib.sha256(b"urn:tanji:product:panel").digest(),
        "log_id": "main", "leaf_index": 7, "leaf_hash": hashlib.sha256(b"leaf").digest(),
        "value": "75.000", "unit": "kgCO2e/piece", "grade": "", "standard": "GB/T 24067-2024",
        "disclosure_digest": hashlib.sha256(b"disclosure").digest(), "sender": certifier,
    }  # fmt: skip
    d.labels.issue(label_id=b"\x01" * 32, **fields)
    gas["issue"] = last_gas()
    d.labels.issue(label_id=b"\x02" * 32, certificate=("CFP-2026-CQ-0042", b"\x44" * 32), **fields)
    gas["issue_certified"] = last_gas()
    gas["suspend"] = int(
        d.labels.suspend(b"\x02" * 32, "surveillance audit", sender=certifier)["gasUsed"]
    )
    gas["restore"] = int(
        d.labels.restore(b"\x02" * 32, "audit closed", sender=certifier)["gasUsed"]
    )
    gas["revoke"] = int(
        d.labels.revoke(b"\x01" * 32, "surveillance audit", sender=certifier)["gasUsed"]
    )
    return gas


def meter_label_rows(chain: EmbeddedChain, eas_pcf: float) -> list[Row]:
    """Rows (d) of the module docstring."""
    gas = meter_label_gas(chain)
    _log(f"meters and labels: {gas}")
    return [
        Row(
            group="gas",
            what="register a meter with its first calibration certificate (MeterRegistry)",
            figure=f"{gas['register']:,} gas",
            baseline=f"EAS attest, 8 PCF fields: {eas_pcf:,.0f} gas",
            ratio=eas_pcf / gas["register"],
            goal="—",
            met=True,
        ),
        Row(
            group="gas",
            what=(
                "issue a label binding a certificate number and digest (renewing a meter's "
                f"calibration: {gas['renew']:,} gas)"
            ),
            figure=f"{gas['issue_certified']:,} gas",
            baseline=f"issue a label without: {gas['issue']:,} gas",
            ratio=gas["issue"] / gas["issue_certified"],
            goal="—",
            met=True,
        ),
        Row(
            group="gas",
            what=f"suspend a label (restore: {gas['restore']:,} gas)",
            figure=f"{gas['suspend']:,} gas",
            baseline=f"revoke a label: {gas['revoke']:,} gas",
            ratio=gas["revoke"] / gas["suspend"],
            goal="—",
            met=True,
        ),
    ]


def run(quick: bool) -> list[Row]:
    """Measure and return the gas rows (see the module docstring)."""
    chain = EmbeddedChain()
    base = 100_000 if quick else 1_000_000
    eas_one, eas_pcf = eas_gas(chain, rounds=3 if quick else 5)
    _log(f"EAS attest: {eas_one:,.0f} gas (1 field), {eas_pcf:,.0f} gas (8 PCF fields)")
    gas = anchor_gas(chain, base)
    targets = target_rows(chain, base)

    every = [g for batch in BATCHES for g in gas[batch]]
    per_checkpoint = statistics.fmean(every)
    top = base + CHECKPOINTS * max(BATCHES)
    eas_label = f"EAS attest, 1 field: {eas_one:,.0f} gas"
    rows = [
        Row(
            group="gas",
            what=(
                f"anchor one checkpoint, consistency proof checked on chain "
                f"(log {base:,}–{top:,} entries; {len(every)} checkpoints, "
                f"{min(every):,}–{max(every):,})"
            ),
            figure=f"{per_checkpoint:,.0f} gas",
            baseline=eas_label,
            ratio=eas_one / per_checkpoint,
            goal="≈52–70k gas (prototype)",
            met=per_checkpoint <= 70_000,
        )
    ]
    for batch in BATCHES:
        per_attestation = statistics.fmean(gas[batch]) / batch
        goal_here = batch == 10_000
        rows.append(
            Row(
                group="gas",
                what=f"per attestation, {batch:,} entries per checkpoint",
                figure=f"{per_attestation:,.2f} gas",
                baseline=eas_label,
                ratio=eas_one / per_attestation,
                goal="≤ 10 gas and ≥ 10,000×" if goal_here else "—",
                met=(per_attestation <= 10 and eas_one / per_attestation >= 10_000)
                if goal_here
                else True,
            )
        )
    per_10k = statistics.fmean(gas[10_000]) / 10_000
    rows.append(
        Row(
            group="gas",
            what="per attestation, 10,000 entries per checkpoint, vs EAS with 8 PCF fields",
            figure=f"{per_10k:,.2f} gas",
            baseline=f"EAS attest, 8 PCF fields: {eas_pcf:,.0f} gas",
            ratio=eas_pcf / per_10k,
            goal="—",
            met=True,
        )
    )
    return rows + targets + meter_label_rows(chain, eas_pcf)
