"""The demo's infrastructure: a chain with Tanji deployed, the organisations admitted, a node.

Two set-ups run the same scenario:

* embedded (default): py-evm in process, the node app served by uvicorn on a loopback
  port in a thread of this process, SQLite in the output directory; the log operator
  anchors by running the node's anchoring pass;
* anvil (``--anvil``): anvil started from ``node_modules``, the node started as a separate
  process (``tanji node serve``) with its own anchoring worker, talking JSON-RPC to anvil.

Either way every participant talks to the node over real HTTP with :class:`NodeClient`.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from eth_account.signers.local import LocalAccount
from nacl.signing import SigningKey

from anchors.chain import (
    AnchorRegistryClient,
    AnvilProcess,
    ChainClient,
    EmbeddedChain,
    start_anvil,
)
from demo_chain._data import ORGS, OrgSpec
from node import start_node_process, wait_healthy
from sdk import OrgKeys
from sdk.client import NodeClient
from sdk.deploy import Deployment, deploy_tanji
from sdk.labels import LabelRegistryClient
from sdk.registry import ParticipantRegistryClient, Role

LOG_ID = "tanji-demo"
_SEED_TAG = b"tanji.demo.v1\0"


def seed(name: str) -> bytes:
    """A fixed 32-byte seed per name, so every run of the demo has the same keys."""
    return hashlib.sha256(_SEED_TAG + name.encode("utf-8")).digest()


@dataclass
class Org:
    """One admitted organisation: who it is, its keys, its chain account and node client."""

    spec: OrgSpec
    keys: OrgKeys
    account: LocalAccount
    node: NodeClient

    @property
    def org_id(self) -> str:
        """The unified social credit code."""
        return self.spec.org_id


@dataclass
class World:
    """Everything the scenario acts on; :meth:`close` stops what was started."""

    chain: ChainClient
    deployment: Deployment
    registrar: LocalAccount
    orgs: dict[str, Org]
    node_url: str
    anchor_now: Callable[[], int]
    kind: str
    clock: Callable[[], datetime]
    database_url: str
    _stoppers: list[Callable[[], None]] = field(default_factory=list)
    _clients: list[NodeClient] = field(default_factory=list)

    @property
    def participants(self) -> ParticipantRegistryClient:
        """The participant registry client."""
        return self.deployment.participants

    @property
    def labels(self) -> LabelRegistryClient:
        """The label registry client."""
        return self.deployment.labels

    @property
    def anchors(self) -> AnchorRegistryClient:
        """The anchor registry client."""
        return self.deployment.anchors

    def public_node(self) -> NodeClient:
        """An anonymous client (what an auditor or a consumer uses); closed by :meth:`close`."""
        client = NodeClient(self.node_url, clock=self.clock)
        self._clients.append(client)
        return client

    def on_close(self, stop: Callable[[], None]) -> None:
        """Run ``stop`` when the world closes (before the node and chain stop)."""
        self._stoppers.append(stop)

    def close(self) -> None:
        """Close clients and stop the node and chain processes this world started."""
        for org in self.orgs.values():
            org.node.close()
        while self._clients:
            self._clients.pop().close()
        while self._stoppers:
            self._stoppers.pop()()


def chain_clock(chain: ChainClient) -> Callable[[], datetime]:
    """A clock that never runs behind the chain.

    A development chain mines one block per transaction, each at least one second after
    the previous one, so after a burst of transactions its time runs ahead of the wall
    clock; keys registered "in the future" would look not yet valid. Reading the later
    of the two keeps every party, the node and the chain in one timeline.
    """

    def now() -> datetime:
        return datetime.fromtimestamp(max(time.time(), float(chain.block_timestamp())), UTC)

    return now


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _role_set(spec: OrgSpec) -> list[Role]:
    return [Role[name] for name in spec.roles]


def admit(
    chain: ChainClient, deployment: Deployment, registrar: LocalAccount
) -> dict[str, tuple[OrgSpec, OrgKeys, LocalAccount]]:
    """The registrar admits every organisation of the demo with its keys and roles."""
    admitted: dict[str, tuple[OrgSpec, OrgKeys, LocalAccount]] = {}
    for spec in ORGS:
        keys = OrgKeys.from_seed(spec.org_id, seed(spec.key))
        account = chain.new_account()
        deployment.participants.register_organisation(
            spec.org_id,
            account.address,
            _role_set(spec),
            bytes(keys.verify_key),
            bytes(keys.public_key),
            sender=registrar,
        )
        admitted[spec.key] = (spec, keys, account)
    return admitted


def build_world(
    out: Path,
    *,
    anvil: bool = False,
    database_url: str | None = None,
    registry_cache_seconds: float = 0.0,
) -> World:
    """Start the chain, deploy Tanji, admit the organisations, start the node.

    The node's store is SQLite in ``out`` unless ``database_url`` names another (e.g. a
    PostgreSQL schema). The embedded node reads the registry afresh on every request
    (``registry_cache_seconds`` 0: the frauds revoke keys mid-story) unless told to cache.

    Raises :class:`anchors.errors.ChainError` when anvil cannot be started and
    :class:`node.errors.NodeProcessError` when the node does not come up.
    """
    out.mkdir(parents=True, exist_ok=True)
    stoppers: list[Callable[[], None]] = []
    anvil_proc: AnvilProcess | None = None
    if anvil:
        anvil_proc = start_anvil()
        stoppers.append(anvil_proc.stop)
        chain: ChainClient = anvil_proc.chain()
    else:
        chain = EmbeddedChain()
    registrar = chain.new_account()
    deployment = deploy_tanji(chain, registrar)
    admitted = admit(chain, deployment, registrar)
    _, operator_keys, operator = admitted["operator"]
    deployment.anchors.create_log(LOG_ID, operator)
    # The node signs checkpoints with a key of its own, registered for the log operator's
    # organisation (the operator's account adds it next to its signing key): verifiers
    # find it there and check it was valid when each checkpoint was anchored.
    log_key = SigningKey(seed("log-checkpoint-key"))
    deployment.participants.rotate_signing_key(bytes(log_key.verify_key), sender=operator)
    clock = chain_clock(chain)
    db = out / "node.db"
    for stale in out.glob("node.db*"):
        stale.unlink()
    db_url = database_url or f"sqlite:///{db}"
    if anvil:
        assert anvil_proc is not None
        (out / "deployment.json").write_text(json.dumps(deployment.to_dict(), indent=2))
        node_process = start_node_process(
            {
                "TANJI_DATABASE_URL": db_url,
                "TANJI_LOG_ID": LOG_ID,
                "TANJI_LOG_KEY_HEX": bytes(log_key).hex(),
                "TANJI_CHAIN_URL": anvil_proc.url,
                "TANJI_DEPLOYMENT_FILE": str(out / "deployment.json"),
                "TANJI_OPERATOR_KEY_HEX": operator.key.hex(),
                "TANJI_ANCHORING_ENABLED": "false",
                "TANJI_WEBHOOKS_ENABLED": "false",
                "TANJI_REGISTRY_CACHE_SECONDS": "0",
            }
        )
        stoppers.append(node_process.stop)
        url = node_process.url
        from node import Settings, build_node

        # The operator runs the node's own anchoring pass against the node's database
        # (SQLite in WAL mode is shared safely between the two processes), when the story
        # needs it: the same code as the node's worker, at a moment the demo chooses.
        local = build_node(
            Settings(database_url=db_url, public_url=url, log_id=LOG_ID),
            chain=chain,
            deployment=deployment,
            operator=operator,
            log_key=log_key,
            clock=clock,
        )
        stoppers.append(local.engine.dispose)
        anchorer = local.anchorer
    else:
        from node import Settings, create_app

        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        settings = Settings(
            database_url=db_url,
            public_url=url,
            port=port,
            log_id=LOG_ID,
            webhooks_enabled=False,
            anchoring_enabled=False,
            registry_cache_seconds=registry_cache_seconds,
        )
        app = create_app(
            settings,
            chain=chain,
            deployment=deployment,
            operator=operator,
            log_key=log_key,
            start_workers=False,
            clock=clock,
        )
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        )
        thread = threading.Thread(target=server.run, name="tanji-node", daemon=True)
        thread.start()

        def stop_server() -> None:
            server.should_exit = True
            thread.join(timeout=10)
            app.state.node.engine.dispose()

        stoppers.append(stop_server)
        wait_healthy(url, 30.0)
        anchorer = app.state.node.anchorer

    def anchor_now() -> int:
        assert anchorer is not None
        anchorer.run_once(clock(), force=True)
        return int(anchorer.status().anchored_size)

    orgs = {
        key: Org(
            spec,
            keys,
            account,
            NodeClient(
                url,
                org=spec.org_id,
                key_id=keys.signing_key_id,
                signing_key=keys.signing_key,
                clock=clock,
            ),
        )
        for key, (spec, keys, account) in admitted.items()
    }
    del operator_keys
    return World(
        chain=chain,
        deployment=deployment,
        registrar=registrar,
        orgs=orgs,
        node_url=url,
        anchor_now=anchor_now,
        kind="anvil" if anvil else "embedded",
        clock=clock,
        database_url=db_url,
        _stoppers=stoppers,
    )
