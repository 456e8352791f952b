"""``tanji network up|status|down``: a local Tanji network in one directory.

``up`` starts a chain (anvil, its state saved in the directory; or ``--embedded``, a
py-evm chain served over JSON-RPC by a process of ours, gone when stopped), deploys the
contracts with a fresh registrar account, admits the log operator with its checkpoint key
as the operator's registered signing key, opens the log on the AnchorRegistry, and starts
a node (``tanji node serve``) anchoring to it. Everything lands in the directory::

    network.json           what organisations join with (node, chain, deployment)
    deployment.json        the contract addresses (tanji.deployment.v1)
    registrar/, operator/  their homes: wallet.db (+ network.json)
    passphrase             the two wallets' passphrase, when none was given (mode 0600)
    node/node.toml         the node's settings, with its keys (mode 0600); node/node.db
    chain/                 anvil's state
    logs/                  chain.log, node.log
    run/                   chain.pid, node.pid

``up`` on an existing directory starts whatever is not running (the node after a
``down --node-only``, or both after a ``down``, anvil reloading its state).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tanji._app import (
    EXIT_INVALID,
    EXIT_OK,
    NETWORK_FILE,
    CliError,
    Network,
    emit,
    progress,
    read_json,
    say,
    table,
    write_private,
)

REGISTRAR_ORG = "urn:tanji:org:registrar"
OPERATOR_ORG = "urn:tanji:org:log-operator"
STATE_FILE = "state.json"
_REGISTRAR_FUNDS = 10**24
_OPERATOR_FUNDS = 10**21


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) is not running.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _pid(directory: Path, name: str) -> int | None:
    try:
        return int((directory / "run" / f"{name}.pid").read_text().strip())
    except (OSError, ValueError):
        return None


def _spawn(directory: Path, name: str, argv: list[str], env: dict[str, str] | None = None) -> int:
    logs = directory / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (directory / "run").mkdir(parents=True, exist_ok=True)
    with (logs / f"{name}.log").open("ab") as log:
        # Our own interpreter or this checkout's anvil: trusted programs.
        process = subprocess.Popen(  # noqa: S603
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
            cwd=directory,
        )
    (directory / "run" / f"{name}.pid").write_text(f"{process.pid}\n")
    return process.pid


def _log_tail(directory: Path, name: str) -> str:
    try:
        return (directory / "logs" / f"{name}.log").read_text(errors="replace")[-2000:]
    except OSError:
        return ""


def _stop(directory: Path, name: str, sig: int, timeout: float = 20.0) -> bool:
    pid = _pid(directory, name)
    if not _alive(pid):
        return False
    assert pid is not None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    (directory / "run" / f"{name}.pid").unlink(missing_ok=True)
    return True


def _port_free(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                pass
        except OSError:
            return True
        time.sleep(0.05)
    return False


# ---------------------------------------------------------------------- up


def _start_chain(directory: Path, state: dict[str, Any]) -> None:
    port = int(state["chainPort"])
    if state["kind"] == "embedded":
        argv = [sys.executable, "-m", "tanji._chainserver", "--port", str(port)]
    else:
        from anchors.chain import find_anvil

        anvil = find_anvil()
        if anvil is None:
            raise CliError(
                "anvil not found: run 'npm ci' (node_modules/.bin/anvil), put anvil on PATH, "
                "or use 'tanji network up --embedded'"
            )
        chain_dir = directory / "chain"
        chain_dir.mkdir(parents=True, exist_ok=True)
        argv = [anvil, "--host", "127.0.0.1", "--port", str(port), "--silent"]
        argv += ["--state", str(chain_dir / "anvil-state.json"), "--state-interval", "1"]
    _spawn(directory, "chain", argv)
    from anchors.chain import RpcChain
    from anchors.errors import ChainError

    client = RpcChain(state["chainUrl"], timeout=2.0)
    deadline = time.monotonic() + 60
    while True:
        if not _alive(_pid(directory, "chain")):
            raise CliError(f"the chain exited: {_log_tail(directory, 'chain')}")
        try:
            client.wait_until_ready(0.0)
            return
        except ChainError:
            if time.monotonic() > deadline:
                raise CliError(
                    f"the chain did not answer: {_log_tail(directory, 'chain')}"
                ) from None
            time.sleep(0.1)


def _start_node(directory: Path, state: dict[str, Any]) -> None:
    argv = [sys.executable, "-m", "tanji", "node", "serve", "--config"]
    argv += [str(directory / "node" / "node.toml"), "--log-level", "warning", "--no-access-log"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANJI_")}
    _spawn(directory, "node", argv, env)
    from node import wait_healthy
    from node.errors import NodeError

    deadline = time.monotonic() + 90
    while True:
        if not _alive(_pid(directory, "node")):
            raise CliError(f"the node exited: {_log_tail(directory, 'node')}")
        try:
            wait_healthy(state["nodeUrl"], 1.0)
            return
        except NodeError:
            if time.monotonic() > deadline:
                raise CliError(f"the node did not answer: {_log_tail(directory, 'node')}") from None


def _wallet_passphrase(directory: Path) -> str:
    from sdk.wallet import PassphraseUnavailable, read_passphrase

    try:
        return read_passphrase(interactive=False)
    except PassphraseUnavailable:
        path = directory / "passphrase"
        if path.exists():
            return path.read_text(encoding="utf-8").splitlines()[0]
        passphrase = secrets.token_urlsafe(24)
        write_private(path, passphrase + "\n")
        return passphrase


def _deploy(
    directory: Path, state: dict[str, Any], log_id: str, anchor_every: float, fast_kdf: bool
) -> dict[str, Any]:
    from anchors.chain import RpcChain
    from sdk import FAST_KDF, KdfParams, OrgKeys
    from sdk.deploy import deploy_tanji
    from sdk.registry import Role
    from sdk.wallet import Wallet

    chain = RpcChain(state["chainUrl"], timeout=30.0)
    kdf = FAST_KDF if fast_kdf else KdfParams()
    passphrase = _wallet_passphrase(directory)
    registrar = chain.new_account(fund_wei=_REGISTRAR_FUNDS)
    deployment = deploy_tanji(chain, registrar)
    write_private(directory / "deployment.json", json.dumps(deployment.to_dict(), indent=2))
    operator_keys = OrgKeys.generate(OPERATOR_ORG)
    operator = chain.new_account(fund_wei=_OPERATOR_FUNDS)
    # The checkpoint key IS the operator's registered signing key: verifiers find the log's
    # key as the signing key of the organisation owning the log on chain.
    deployment.participants.register_organisation(
        OPERATOR_ORG,
        operator.address,
        [Role.LOG_OPERATOR],
        bytes(operator_keys.verify_key),
        bytes(operator_keys.public_key),
        sender=registrar,
    )
    deployment.anchors.create_log(log_id, operator)
    now = _utc()
    network = Network(
        node_url=state["nodeUrl"],
        chain_url=state["chainUrl"],
        deployment_doc=deployment.to_dict(),
        kind=state["kind"],
        log_id=log_id,
        dev_fund_eth="10",
    )
    registrar_keys = OrgKeys.generate(REGISTRAR_ORG)
    for name, keys, account in (
        ("registrar", registrar_keys, registrar),
        ("operator", operator_keys, operator),
    ):
        home = directory / name
        Wallet.create(
            home / "wallet.db", passphrase, keys, now=now, account_key=bytes(account.key), kdf=kdf
        ).close()
        write_private(home / NETWORK_FILE, json.dumps(network.to_doc(), indent=2))
    node_dir = directory / "node"
    settings = {
        "database_url": f"sqlite:///{node_dir / 'node.db'}",
        "public_url": state["nodeUrl"],
        "host": "127.0.0.1",
        "port": int(state["nodePort"]),
        "log_id": log_id,
        "log_key_hex": bytes(operator_keys.signing_key).hex(),
        "operator_key_hex": bytes(operator.key).hex(),
        "chain_url": state["chainUrl"],
        "deployment_file": str(directory / "deployment.json"),
        "anchor_every_seconds": anchor_every,
        "anchor_every_entries": 1000,
        "registry_cache_seconds": 1.0,
    }
    lines = ["[node]"] + [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    write_private(node_dir / "node.toml", "\n".join(lines) + "\n")
    return network.to_doc()


def _utc() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def up(
    directory: Path,
    embedded: bool,
    log_id: str,
    anchor_every: float,
    as_json: bool,
    fast_kdf: bool = False,
) -> int:
    """Start (or restart) the network in ``directory``; see the module docstring."""
    directory = directory.resolve()
    state_path = directory / STATE_FILE
    fresh = not state_path.exists()
    if fresh:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        chain_port, node_port = _free_port(), _free_port()
        state: dict[str, Any] = {
            "kind": "embedded" if embedded else "anvil",
            "chainPort": chain_port,
            "nodePort": node_port,
            "chainUrl": f"http://127.0.0.1:{chain_port}",
            "nodeUrl": f"http://127.0.0.1:{node_port}",
        }
    else:
        state = read_json(state_path, "network state")
        if embedded and state["kind"] != "embedded":
            raise CliError(f"{directory} holds an anvil network; drop --embedded", EXIT_INVALID)
    chain_up = _alive(_pid(directory, "chain"))
    if not fresh and not chain_up and state["kind"] == "embedded":
        raise CliError(
            f"the embedded chain of {directory} was stopped and its state is gone with it; "
            "remove the directory and run 'tanji network up --embedded' again",
            EXIT_INVALID,
        )
    steps = (
        ["chain", "contracts and log", "node"]
        if fresh
        else [
            s
            for s, up_ in (("chain", chain_up), ("node", _alive(_pid(directory, "node"))))
            if not up_
        ]
    )
    with progress("network up", len(steps)) as advance:
        if "chain" in steps:
            say(f"starting the chain ({state['kind']}) on {state['chainUrl']}")
            _start_chain(directory, state)
            advance(1)
        if fresh:
            say("deploying the contracts, admitting the log operator, opening the log")
            profile = _deploy(directory, state, log_id, anchor_every, fast_kdf)
            write_private(directory / NETWORK_FILE, json.dumps(profile, indent=2))
            write_private(state_path, json.dumps(state, indent=2))
            advance(1)
        if "node" in steps:
            say(f"starting the node on {state['nodeUrl']}")
            _start_node(directory, state)
            advance(1)
    return status(directory, as_json)


# ---------------------------------------------------------------------- status


def _probe(directory: Path) -> dict[str, Any]:
    from anchors.chain import RpcChain
    from anchors.errors import AnchorsError
    from sdk.errors import SdkError

    state = read_json(directory / STATE_FILE, "network state")
    profile = Network.from_doc(read_json(directory / NETWORK_FILE, "network"), str(directory))
    out: dict[str, Any] = {
        "directory": str(directory),
        "kind": state["kind"],
        "chain": {"url": state["chainUrl"], "running": False},
        "node": {"url": state["nodeUrl"], "running": False},
        "logId": profile.log_id,
    }
    if _alive(_pid(directory, "chain")):
        chain = RpcChain(state["chainUrl"], timeout=3.0)
        try:
            out["chain"].update(
                running=True, chainId=chain.chain_id, block=int(chain.rpc("eth_blockNumber"), 16)
            )
            head = profile.deployment().anchors.latest(profile.log_id)
            out["chain"]["anchoredSize"] = 0 if head is None else head.size
        except (AnchorsError, SdkError) as exc:
            out["chain"]["error"] = str(exc)
            out["chain"]["running"] = False
    if _alive(_pid(directory, "node")):
        import httpx

        try:
            health = httpx.get(f"{state['nodeUrl']}/v1/health", timeout=3.0).json()
            out["node"].update(running=True, health=health)
        except (httpx.HTTPError, ValueError) as exc:
            out["node"]["error"] = str(exc)
    return out


def status(directory: Path, as_json: bool) -> int:
    """Print the state of the network in ``directory``; 0 when chain and node run."""
    directory = directory.resolve()
    if not (directory / STATE_FILE).exists():
        raise CliError(f"no network in {directory}: run 'tanji network up --dir {directory}'")
    report = _probe(directory)
    ok = report["chain"]["running"] and report["node"]["running"]
    report["ok"] = ok

    def render(con: Any) -> None:
        node = report["node"]
        health = node.get("health", {})
        rows = [
            (
                "chain",
                report["kind"],
                report["chain"]["url"],
                "running" if report["chain"]["running"] else "stopped",
                f"block {report['chain'].get('block', '-')}",
            ),
            (
                "node",
                f"log {report['logId']}",
                node["url"],
                health.get("status", "running") if node["running"] else "stopped",
                f"size {health.get('logSize', '-')}, anchored "
                f"{report['chain'].get('anchoredSize', '-')}",
            ),
        ]
        con.print(
            table(f"Tanji network in {directory}", ["part", "what", "url", "state", ""], rows)
        )
        con.print(f"join it with: tanji init ORG_ID --join {directory}")

    emit(report, as_json, render)
    return EXIT_OK if ok else EXIT_INVALID


# ---------------------------------------------------------------------- down


def down(directory: Path, node_only: bool) -> int:
    """Stop the node (and the chain unless ``node_only``)."""
    directory = directory.resolve()
    if not (directory / STATE_FILE).exists():
        raise CliError(f"no network in {directory}")
    state = read_json(directory / STATE_FILE, "network state")
    stopped = []
    if _stop(directory, "node", signal.SIGTERM):
        stopped.append("node")
    if not node_only:
        # SIGINT: anvil writes its state file before it exits.
        if _stop(directory, "chain", signal.SIGINT):
            stopped.append("chain")
        _port_free(int(state["chainPort"]), 10.0)
    _port_free(int(state["nodePort"]), 10.0)
    say(f"stopped: {', '.join(stopped) or 'nothing was running'}")
    return EXIT_OK
