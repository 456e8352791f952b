"""The same flow on every chain profile this machine can run: publish → anchor → verify
(the node's ``/v1/verify``) → label → audit, with anchoring times read back.

Profiles (docs/chains.md): anvil with its defaults; a Hardhat 2 node; anvil with a zero
base fee and zero gas price, every account unfunded (what a Besu QBFT network with
``--min-gas-price=0`` or FISCO BCOS looks like to a client); anvil stamping blocks in
milliseconds (FISCO BCOS before ``feature_evm_timestamp``). The node is built from its
settings (``TANJI_CHAIN_*``), so the profile reaches the node as an operator configures
it, and its clock is the wall clock, never the chain's.

Marked ``anvil`` / ``hardhat``: skipped with a reason when the binary is missing on a
laptop, a failure in CI (``TANJI_REQUIRE_SERVICES=1``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from anchors.chain import (
    ChainSettings,
    RpcChain,
    block_time_seconds,
    later_of,
    start_anvil,
    start_hardhat,
)
from node import Settings, create_app
from sdk import OrgKeys, product_id_digest
from sdk.client import NodeClient
from sdk.deploy import deploy_tanji
from sdk.registry import Role
from sdk.roles import DEFAULT_STANDARD, PUBLIC_POINTERS, Auditor, Supplier, label_unit
from tests._chain import require_hardhat
from tests.conftest import require_anvil
from tests.node.conftest import SyncASGITransport

AUDIENCE = "http://node.test"
LOG_ID = "profile-log"
SUPPLIER_ID = "urn:tanji:org:profile-supplier"
CERTIFIER_ID = "urn:tanji:org:profile-certifier"
OPERATOR_ID = "urn:tanji:org:profile-operator"
PRODUCT = "urn:tanji:product:profile-panel"
FOOTPRINT: dict[str, Any] = {
    "productIds": [PRODUCT],
    "pcf": {
        "declaredUnitOfMeasurement": "piece",
        "declaredUnitAmount": "1",
        "pcfExcludingBiogenicUptake": "75.25",
        "referencePeriodStart": "2025-01-01T00:00:00Z",
        "referencePeriodEnd": "2025-12-31T23:59:59Z",
    },
}


@dataclass(frozen=True)
class Party:
    org_id: str
    keys: OrgKeys
    account: Any


@dataclass(frozen=True)
class Outcome:
    """What the flow observed."""

    verify_report: dict[str, Any]
    audit_ok: bool
    audit_text: str
    page: str
    anchored_at: datetime
    anchored_stamp: int
    raw_block_stamp: int
    started: datetime
    finished: datetime
    balances: dict[str, int]


def _party(chain: RpcChain, deployment: Any, registrar: Any, org_id: str, role: Role) -> Party:
    keys = OrgKeys.from_seed(org_id, hashlib.sha256(f"profile:{org_id}".encode()).digest())
    account = chain.new_account()
    deployment.participants.register_organisation(
        org_id,
        account.address,
        [role],
        bytes(keys.verify_key),
        bytes(keys.public_key),
        sender=registrar,
    )
    return Party(org_id, keys, account)


@dataclass
class ProfileWorld:
    """Tanji deployed on a chain, three organisations admitted, and a node built from its
    settings (``TANJI_CHAIN_*`` as an operator gives them) reached over ASGI."""

    chain: RpcChain
    deployment: Any
    registrar: Any
    supplier: Party
    certifier: Party
    operator: Party
    node: Any
    transport: SyncASGITransport

    def client(self, party: Party | None = None) -> NodeClient:
        who: dict[str, Any] = {}
        if party is not None:
            who = {
                "org": party.org_id,
                "key_id": party.keys.signing_key_id,
                "signing_key": party.keys.signing_key,
            }
        return NodeClient(AUDIENCE, audience=AUDIENCE, transport=self.transport, **who)

    def publish(self) -> Any:
        """The supplier publishes the footprint (wall-clock time), certifier granted."""
        publisher = Supplier(
            self.supplier.keys,
            node=self.client(self.supplier),
            participants=self.deployment.participants,
        )
        return publisher.publish(FOOTPRINT, {"lines": []}, [CERTIFIER_ID])

    def anchor(self) -> int | None:
        """One pass of the node's own anchoring worker, forced."""
        return self.node.anchorer.run_once(datetime.now(UTC), force=True)  # type: ignore[no-any-return]


@contextmanager
def profile_world(url: str, profile: dict[str, Any], tmp: Path) -> Iterator[ProfileWorld]:
    """Deploy Tanji on the chain at ``url`` with ``profile`` (ChainSettings fields) and run
    a node on it built from its settings; the node is stopped on exit."""
    chain = RpcChain.from_settings(ChainSettings(url=url, **profile))
    registrar = chain.new_account()
    deployment = deploy_tanji(chain, registrar)
    supplier = _party(chain, deployment, registrar, SUPPLIER_ID, Role.SUPPLIER)
    certifier = _party(chain, deployment, registrar, CERTIFIER_ID, Role.CERTIFIER)
    operator = _party(chain, deployment, registrar, OPERATOR_ID, Role.LOG_OPERATOR)
    deployment.anchors.create_log(LOG_ID, operator.account)
    (tmp / "deployment.json").write_text(json.dumps(deployment.to_dict()))

    env = {f"chain_{k}": str(v) for k, v in profile.items() if k in _NODE_CHAIN_FIELDS}
    settings = Settings.from_mapping(
        {
            "database_url": f"sqlite:///{tmp / 'node.db'}",
            "public_url": AUDIENCE,
            "log_id": LOG_ID,
            "log_key_hex": bytes(operator.keys.signing_key).hex(),
            "operator_key_hex": operator.account.key.hex(),
            "deployment_file": str(tmp / "deployment.json"),
            "chain_url": url,
            "anchoring_enabled": "false",
            "webhooks_enabled": "false",
            "registry_cache_seconds": "0",
            **env,
        }
    )
    app = create_app(settings, start_workers=False)  # the node opens the chain itself
    node = app.state.node
    transport = SyncASGITransport(app)
    try:
        yield ProfileWorld(
            chain, deployment, registrar, supplier, certifier, operator, node, transport
        )
    finally:
        node.stop()
        transport.shutdown()
        node.engine.dispose()


def run_flow(url: str, profile: dict[str, Any], tmp: Path) -> Outcome:
    """Publish → anchor → /v1/verify → label → audit on the chain at ``url``."""
    started = datetime.now(UTC).replace(microsecond=0)
    with profile_world(url, profile, tmp) as world:
        return _flow(world, started)


def _flow(world: ProfileWorld, started: datetime) -> Outcome:
    chain, deployment, client = world.chain, world.deployment, world.client
    supplier, certifier, registrar, operator = (
        world.supplier,
        world.certifier,
        world.registrar,
        world.operator,
    )
    # Publish (wall-clock time), anchor with the node's own worker pass.
    published = world.publish()
    assert world.anchor() == 1
    # Verify the receipt and a disclosure with the node's /v1/verify.
    receipt = client().receipt(published.attestation_id)
    att = published.attestation
    disclosure = att.disclose([p for p in PUBLIC_POINTERS if p in att.claims])
    report = client().verify(receipt, disclosure.to_dict())
    # The certifier labels the attestation; anyone audits the label.
    pcf = FOOTPRINT["pcf"]
    label_id = hashlib.sha256(f"label:{published.attestation_id}".encode()).digest()
    deployment.labels.issue(
        label_id=label_id,
        product_id_digest=product_id_digest(PRODUCT),
        log_id=LOG_ID,
        leaf_index=published.index,
        leaf_hash=published.attestation.signed_statement.leaf_hash,
        value=pcf["pcfExcludingBiogenicUptake"],
        unit=label_unit(pcf["declaredUnitOfMeasurement"], pcf["declaredUnitAmount"]),
        grade="",
        standard=DEFAULT_STANDARD,
        disclosure_digest=disclosure.digest,
        sender=certifier.account,
    )
    client(certifier).put_label_disclosure("0x" + label_id.hex(), disclosure.to_dict())
    auditor = Auditor(
        node=client(),
        participants=deployment.participants,
        labels=deployment.labels,
        anchors=deployment.anchors,
    )
    audit = auditor.verify_label_at(
        "0x" + label_id.hex(), at=later_of(datetime.now(UTC), chain.block_timestamp())
    )
    with httpx.Client(base_url=AUDIENCE, transport=world.transport) as http:
        page = http.get(f"/labels/0x{label_id.hex()}").text
    head = deployment.anchors.latest(LOG_ID)
    assert head is not None
    ref = deployment.anchors.find_anchor(LOG_ID, head.index)
    assert ref is not None
    raw = int(chain.w3.eth.get_block(ref.block_number)["timestamp"])
    accounts = {
        "registrar": registrar.address,
        "supplier": supplier.account.address,
        "certifier": certifier.account.address,
        "operator": operator.account.address,
    }
    return Outcome(
        verify_report=report,
        audit_ok=audit.ok,
        audit_text=audit.to_text(),
        page=page,
        anchored_at=head.anchored_at,
        anchored_stamp=head.timestamp,
        raw_block_stamp=raw,
        started=started,
        finished=datetime.now(UTC),
        balances={name: chain.balance(a) for name, a in accounts.items()},
    )


_NODE_CHAIN_FIELDS = ("fee_mode", "gas_price_wei", "priority_fee_wei", "poa", "confirmations")


def check(outcome: Outcome, *, skew_seconds: int = 5) -> None:
    """The flow passed, and the anchoring time read back is the anchoring block's time."""
    assert outcome.verify_report["ok"], outcome.verify_report
    assert outcome.audit_ok, outcome.audit_text
    assert 'data-state="valid"' in outcome.page
    assert outcome.anchored_stamp == block_time_seconds(outcome.raw_block_stamp)
    assert outcome.anchored_at.timestamp() == outcome.anchored_stamp
    low = outcome.started.timestamp() - skew_seconds
    high = outcome.finished.timestamp() + skew_seconds
    assert low <= outcome.anchored_at.timestamp() <= high, outcome


@pytest.fixture
def anvil_binary() -> str:
    return require_anvil()


@pytest.mark.anvil
@pytest.mark.integration
def test_flow_on_anvil(anvil_binary: str, tmp_path: Path) -> None:
    with start_anvil(binary=anvil_binary) as node:
        outcome = run_flow(node.url, {}, tmp_path)
    check(outcome)


@pytest.mark.anvil
@pytest.mark.integration
def test_flow_on_anvil_with_zero_gas_price_from_unfunded_accounts(
    anvil_binary: str, tmp_path: Path
) -> None:
    free_gas = ["--base-fee", "0", "--gas-price", "0", "--disable-min-priority-fee"]
    with start_anvil(binary=anvil_binary, extra_args=free_gas) as node:
        outcome = run_flow(node.url, {"fee_mode": "zero", "funding": "none"}, tmp_path)
    check(outcome)
    # Deployment, registration, publishing, anchoring and labelling paid nothing.
    assert outcome.balances == dict.fromkeys(outcome.balances, 0)


@pytest.mark.anvil
@pytest.mark.integration
def test_flow_on_anvil_stamping_blocks_in_milliseconds(anvil_binary: str, tmp_path: Path) -> None:
    genesis_ms = time.time_ns() // 1_000_000
    with start_anvil(binary=anvil_binary, extra_args=["--timestamp", str(genesis_ms)]) as node:
        outcome = run_flow(node.url, {}, tmp_path)
    check(outcome)
    assert outcome.raw_block_stamp >= 10**12  # the chain really stamped milliseconds


@pytest.mark.hardhat
@pytest.mark.integration
def test_flow_on_a_hardhat_node(tmp_path: Path) -> None:
    with start_hardhat(binary=require_hardhat()) as node:
        outcome = run_flow(node.url, {"fee_mode": "eip1559"}, tmp_path)
    # Hardhat's clock may run ahead of the wall clock (an honest receipt must still pass).
    check(outcome, skew_seconds=60)
