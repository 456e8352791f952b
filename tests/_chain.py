"""Chain helpers shared by the contract, anchor and registry-client tests.

Each module deploys one world on a chain (module-scoped ``base`` fixture) and runs every
test from a snapshot of it (``from_snapshot``); the ``ContractWorld`` mixin sends, calls and
reads events on one contract, and ``deploy_anchor_registry`` sets up an AnchorRegistry with
one operator on any chain client.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest
from eth_account.signers.local import LocalAccount
from web3.contract import Contract
from web3.logs import DISCARD

from anchors.chain import AnchorRegistryClient, ChainClient, EmbeddedChain, find_hardhat
from anchors.errors import TransactionReverted
from tests.conftest import missing_service


def digest(text: str) -> bytes:
    """SHA-256 of ``text`` in UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).digest()


class _OnEmbeddedChain(Protocol):
    @property
    def chain(self) -> EmbeddedChain: ...


W = TypeVar("W", bound=_OnEmbeddedChain)


def from_snapshot(world: W) -> Iterator[W]:
    """Yield ``world``, then put its chain back to the state it had before the yield."""
    snapshot = world.chain.snapshot()
    yield world
    world.chain.revert_to(snapshot)


class ContractWorld:
    """Send, call and read events on ``self.contract`` through ``self.chain``."""

    chain: EmbeddedChain

    @property
    def contract(self) -> Contract:
        raise NotImplementedError

    def send(self, fn: Any, sender: LocalAccount) -> Any:
        return self.chain.transact(fn, sender=sender)

    def refused(self, fn: Any, sender: LocalAccount) -> str | None:
        with pytest.raises(TransactionReverted) as caught:
            self.chain.transact(fn, sender=sender)
        return caught.value.reason

    def call(self, fn: Any) -> Any:
        return self.chain.call(fn)

    def events(self, receipt: Any, name: str) -> list[dict[str, Any]]:
        found = getattr(self.contract.events, name)().process_receipt(receipt, errors=DISCARD)
        return [dict(e["args"]) for e in found]

    @property
    def f(self) -> Any:
        return self.contract.functions


@dataclass
class AnchorSetup:
    """An AnchorRegistry on ``StaticOperatorRegistry`` with one operator of one org."""

    owner: LocalAccount
    operator: LocalAccount
    registry: AnchorRegistryClient


def deploy_anchor_registry(chain: ChainClient, org: bytes) -> AnchorSetup:
    """Deploy the two contracts from a new owner; a new operator account acts for ``org``."""
    owner = chain.new_account()
    operators = chain.deploy("StaticOperatorRegistry", sender=owner)
    address = chain.deploy("AnchorRegistry", operators, sender=owner)
    operator = chain.new_account()
    fn = chain.contract("StaticOperatorRegistry", operators).functions.setOperator
    chain.transact(fn(operator.address, org), owner)
    return AnchorSetup(owner, operator, AnchorRegistryClient(chain, address))


def require_hardhat() -> str:
    """The Hardhat executable (node_modules/.bin/hardhat); skips (laptop) or fails (CI,
    ``TANJI_REQUIRE_SERVICES=1``) the test when ``npm ci`` has not installed it."""
    binary = find_hardhat()
    if binary is None:
        missing_service("hardhat not found (npm ci installs node_modules/.bin/hardhat)")
    assert binary is not None
    return binary


class ScriptedNode:
    """A JSON-RPC peer on a loopback port that answers each method with a fixed result or
    error object: the error shapes and block headers of clients this machine cannot run
    (ganache, Besu, Nethermind, a QBFT network), replayed over real HTTP through web3.

    ``answers`` maps a method to ``{"result": …}`` or ``{"error": {…}}``; an unlisted
    method gets JSON-RPC error -32601.
    """

    def __init__(self, answers: dict[str, dict[str, Any]]) -> None:
        self.answers = answers
        self.calls: list[str] = []
        self._server: Any = None

    def __enter__(self) -> str:
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        node = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                request = json.loads(self.rfile.read(int(self.headers["content-length"])))
                node.calls.append(request["method"])
                answer = node.answers.get(
                    request["method"],
                    {"error": {"code": -32601, "message": f"no {request['method']}"}},
                )
                body = json.dumps({"jsonrpc": "2.0", "id": request["id"], **answer}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass(frozen=True)
class LoggedNetwork:
    """A deployed network with one supplier, one log operator and the log ``main``."""

    deployment: Any  # sdk.deploy.Deployment
    registrar: LocalAccount
    supplier: Any  # sdk.OrgKeys
    operator: Any  # sdk.OrgKeys
    supplier_account: LocalAccount
    operator_account: LocalAccount
    deployment_file: Path


def supplier_and_operator_network(
    chain: ChainClient, directory: Path, *, supplier_id: str, operator_id: str, seed: str
) -> LoggedNetwork:
    """Deploy Tanji on ``chain``, admit a supplier and a log operator (keys from
    ``seed``), create the log ``main`` and write ``directory/deployment.json`` for node
    processes."""
    import json

    from sdk import OrgKeys, Role
    from sdk.deploy import deploy_tanji

    registrar = chain.new_account()
    deployment = deploy_tanji(chain, registrar)
    supplier = OrgKeys.from_seed(supplier_id, hashlib.sha256(f"{seed} supplier".encode()).digest())
    operator = OrgKeys.from_seed(operator_id, hashlib.sha256(f"{seed} operator".encode()).digest())
    supplier_account, operator_account = chain.new_account(), chain.new_account()
    for org, keys, account, role in (
        (supplier_id, supplier, supplier_account, Role.SUPPLIER),
        (operator_id, operator, operator_account, Role.LOG_OPERATOR),
    ):
        deployment.participants.register_organisation(
            org,
            account.address,
            [role],
            bytes(keys.verify_key),
            bytes(keys.public_key),
            sender=registrar,
        )
    deployment.anchors.create_log("main", operator_account)
    deployment_file = directory / "deployment.json"
    deployment_file.write_text(json.dumps(deployment.to_dict()), encoding="utf-8")
    return LoggedNetwork(
        deployment,
        registrar,
        supplier,
        operator,
        supplier_account,
        operator_account,
        deployment_file,
    )
