"""A real embedded chain with Tanji deployed and organisations registered, and nodes on it.

One chain per test session (deploying and registering takes a few seconds); every test
runs from a snapshot of it, so anchors and key revocations never leak between tests.
Nodes run the real app over real SQLite (or PostgreSQL) and are reached through
``httpx.ASGITransport`` or a real uvicorn server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from eth_account.signers.local import LocalAccount
from fastapi import FastAPI

from anchors.chain import EmbeddedChain
from node import Node, Settings, create_app
from sdk import (
    ClaimSet,
    EnvelopeContent,
    OrgId,
    OrgKeys,
    Statement,
    disclose,
    sign_statement,
    uscc_check_char,
)
from sdk.client import NodeClient
from sdk.deploy import Deployment, deploy_tanji
from sdk.hazmat import make_grant, seal_envelope
from sdk.registry import Role

LOG_ID = "main"
SECOND_LOG_ID = "second"
AUDIENCE = "http://node.test"


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


SUPPLIER_ID = uscc("91110108MA01AAAAA")
SUPPLIER2_ID = uscc("91320500MA1BBBBBB")
LEADER_ID = uscc("91310000MA1CCCCCC")
CERTIFIER_ID = uscc("91440300MA5DDDDDD")
AUDITOR_ID = uscc("91500000MA6EEEEEE")
OPERATOR_ID = "urn:tanji:org:operator-one"
OPERATOR2_ID = "urn:tanji:org:operator-two"


def seeded(tag: str) -> Callable[[int], bytes]:
    """A deterministic rng: SHA-256 counter stream named by ``tag``."""
    counter = [0]

    def rng(n: int) -> bytes:
        out = b""
        while len(out) < n:
            counter[0] += 1
            out += hashlib.sha256(f"{tag}:{counter[0]}".encode()).digest()
        return out[:n]

    return rng


@dataclass
class Org:
    org_id: str
    keys: OrgKeys
    account: LocalAccount


@dataclass
class World:
    chain: EmbeddedChain
    deployment: Deployment
    registrar: LocalAccount
    orgs: dict[str, Org] = field(default_factory=dict)

    def org(self, name: str) -> Org:
        return self.orgs[name]


def _register(world: World, name: str, org_id: str, roles: list[Role]) -> Org:
    keys = OrgKeys.from_seed(org_id, hashlib.sha256(f"node-test-{name}".encode()).digest())
    account = world.chain.new_account()
    world.deployment.participants.register_organisation(
        org_id,
        account.address,
        roles,
        bytes(keys.verify_key),
        bytes(keys.public_key),
        sender=world.registrar,
    )
    org = Org(org_id, keys, account)
    world.orgs[name] = org
    return org


@pytest.fixture(scope="session")
def base_world() -> World:
    chain = EmbeddedChain()
    registrar = chain.new_account()
    world = World(chain=chain, deployment=deploy_tanji(chain, registrar), registrar=registrar)
    _register(world, "supplier", SUPPLIER_ID, [Role.SUPPLIER])
    _register(world, "supplier2", SUPPLIER2_ID, [Role.SUPPLIER])
    _register(world, "leader", LEADER_ID, [Role.LEADER, Role.SUPPLIER])
    _register(world, "certifier", CERTIFIER_ID, [Role.CERTIFIER])
    _register(world, "auditor", AUDITOR_ID, [Role.AUDITOR])
    op1 = _register(world, "operator", OPERATOR_ID, [Role.LOG_OPERATOR])
    op2 = _register(world, "operator2", OPERATOR2_ID, [Role.LOG_OPERATOR])
    world.deployment.anchors.create_log(LOG_ID, op1.account)
    world.deployment.anchors.create_log(SECOND_LOG_ID, op2.account)
    return world


@pytest.fixture
def world(base_world: World) -> Iterator[World]:
    snapshot = base_world.chain.snapshot()
    yield base_world
    base_world.chain.revert_to(snapshot)


class Clock:
    """A settable clock (aware UTC) that never runs behind the chain's latest block.

    The embedded chain stamps blocks with its own time, which can run ahead of the wall
    clock when many blocks are mined; a node's clock is never behind its chain.
    """

    def __init__(self, start: datetime, chain: EmbeddedChain | None = None) -> None:
        self.now = start
        self._chain = chain

    def __call__(self) -> datetime:
        if self._chain is not None:
            floor = datetime.fromtimestamp(self._chain.block_timestamp(), UTC)
            if floor > self.now:
                self.now = floor
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(world: World) -> Clock:
    start = datetime.fromtimestamp(world.chain.block_timestamp(), UTC) + timedelta(seconds=5)
    return Clock(start, world.chain)


def node_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "public_url": AUDIENCE,
        "log_id": LOG_ID,
        "registry_cache_seconds": 0.0,
        "anchor_every_entries": 1000,
        "anchor_every_seconds": 3600.0,
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class NodeHarness:
    """A node app on the embedded chain, reached over ASGI; clients per organisation."""

    app: FastAPI
    node: Node
    world: World
    clock: Clock
    base_url: str = AUDIENCE
    transport: SyncASGITransport | None = None

    def client(self, name: str | None = None) -> NodeClient:
        kwargs: dict[str, Any] = {}
        if name is not None:
            org = self.world.org(name)
            kwargs = {
                "org": org.org_id,
                "key_id": org.keys.signing_key_id,
                "signing_key": org.keys.signing_key,
            }
        return NodeClient(
            self.base_url,
            audience=AUDIENCE,
            transport=self.transport,
            clock=self.clock,
            **kwargs,
        )

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, transport=self.transport)

    def anchor(self) -> int | None:
        assert self.node.anchorer is not None
        return self.node.anchorer.run_once(self.clock(), force=True)


class SyncASGITransport(httpx.BaseTransport):
    """Drive an ASGI app from a synchronous httpx client (real HTTP semantics, no socket)."""

    def __init__(self, app: FastAPI) -> None:
        import anyio.from_thread

        self._portal_cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        self._inner = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            req = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._inner.handle_async_request(req)
            content = await response.aread()
            return response.status_code, response.headers.raw, content

        status, headers, content = self._portal.call(call)
        return httpx.Response(status, headers=headers, content=content)

    def close(self) -> None:
        """Clients come and go; the portal lives until :meth:`shutdown`."""

    def shutdown(self) -> None:
        self._portal_cm.__exit__(None, None, None)


def make_harness(
    world: World,
    clock: Clock,
    database_url: str,
    *,
    log_id: str = LOG_ID,
    operator: str = "operator",
    webhook_transport: httpx.BaseTransport | None = None,
    **overrides: Any,
) -> NodeHarness:
    op = world.org(operator)
    settings = node_settings(database_url, log_id=log_id, **overrides)
    app = create_app(
        settings,
        chain=world.chain,
        deployment=world.deployment,
        operator=op.account,
        log_key=op.keys.signing_key,
        clock=clock,
        webhook_transport=webhook_transport,
        start_workers=False,
    )
    node: Node = app.state.node
    return NodeHarness(
        app=app, node=node, world=world, clock=clock, transport=SyncASGITransport(app)
    )


@pytest.fixture
def harness(world: World, clock: Clock, tmp_path: Path) -> Iterator[NodeHarness]:
    h = make_harness(world, clock, f"sqlite:///{tmp_path / 'node.db'}")
    yield h
    h.node.stop()
    if h.transport is not None:
        h.transport.shutdown()
    h.node.engine.dispose()


@dataclass
class Built:
    """An attestation as the issuer holds it, and the body the node takes."""

    body: dict[str, Any]
    attestation_id: str
    claims: ClaimSet
    data_key: bytes
    product_id: str

    def disclosure(self, *pointers: str) -> dict[str, Any]:
        return disclose(self.claims, self.attestation_id, pointers).to_dict()


def build(
    world: World,
    issuer: str,
    *,
    product_id: str = "urn:tanji:product:panel-15",
    value: str = "75.0",
    recipients: tuple[str, ...] = (),
    created: datetime,
    supersedes: str | None = None,
    tag: str = "",
    rng: Callable[[int], bytes] | None = None,
) -> Built:
    """Build a signed attestation of ``issuer`` with grants for ``recipients``."""
    org = world.org(issuer)
    rng = rng or seeded(f"{issuer}:{product_id}:{value}:{tag}")
    master = rng(32)
    footprint: dict[str, Any] = {
        "productIds": [product_id],
        "pcf": {"pcfExcludingBiogenicUptake": value, "declaredUnitOfMeasurement": "kilogram"},
        "tag": tag,
    }
    inventory: dict[str, Any] = {"lines": []}
    claims = ClaimSet.build(footprint, master, inventory=inventory)
    data_key = rng(32)
    issuer_id = OrgId.parse(org.org_id)
    subject = claims.subject
    envelope = seal_envelope(
        EnvelopeContent(footprint=footprint, master_salt=master, inventory=inventory),
        issuer=issuer_id,
        subject_digest=subject,
        data_key=data_key,
        nonce=rng(24),
    )
    statement = Statement(
        issuer=issuer_id,
        key_id=org.keys.signing_key_id,
        subject_digest=subject,
        commitment=claims.commitment,
        claim_count=len(claims),
        created=created.replace(microsecond=0),
        supersedes=supersedes,
        envelope_digest=envelope.digest,
    )
    signed = sign_statement(statement, org.keys)
    grants = [
        make_grant(
            signed.attestation_id,
            data_key,
            OrgId.parse(world.org(r).org_id),
            world.org(r).keys.public_key,
            rng=rng,
        ).to_dict()
        for r in recipients
    ]
    body = {
        "signedStatement": signed.to_dict(),
        "envelope": envelope.to_dict(),
        "grants": grants,
    }
    return Built(body, signed.attestation_id, claims, data_key, product_id)
