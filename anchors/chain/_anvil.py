"""Starting and stopping local development chains: anvil (the ``@foundry-rs/anvil`` npm
package) and a Hardhat 2 node (the ``hardhat`` npm package), both pinned in package.json."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from anchors.chain._rpc import RpcChain
from anchors.errors import ChainError, ChainUnavailable

_REPO = Path(__file__).resolve().parents[2]
HARDHAT_CONFIG = Path(__file__).resolve().parent / "hardhat.config.cjs"
"""The network settings ``start_hardhat`` gives ``hardhat node`` (chain id 31337)."""


def find_anvil() -> str | None:
    """Path of the anvil executable: ``node_modules/.bin/anvil`` of this checkout, else
    ``anvil`` on PATH, else None."""
    local = _REPO / "node_modules" / ".bin" / "anvil"
    if local.exists():
        return str(local)
    return shutil.which("anvil")


def find_hardhat() -> str | None:
    """Path of ``node_modules/.bin/hardhat`` of this checkout, else None (Hardhat refuses
    to run from outside the project that installs it)."""
    local = _REPO / "node_modules" / ".bin" / "hardhat"
    return str(local) if local.exists() else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_closed(port: int, timeout: float) -> bool:
    """Wait until nothing accepts connections on 127.0.0.1:``port``; False on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                pass
        except OSError:
            return True
        time.sleep(0.05)
    return False


class AnvilProcess:
    """A running local chain (anvil, or a Hardhat node) on 127.0.0.1; a context manager
    that stops it on exit.

    ``url`` is its JSON-RPC endpoint, :meth:`chain` a client for it. With ``state_file``
    (anvil) the chain is loaded from that file if it exists and written back when stopped
    (and every ``state_interval`` seconds), so a restarted node keeps its contracts and
    anchors.
    """

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        port: int,
        log_path: Path,
        state_file: Path | None,
    ) -> None:
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.state_file = state_file
        self._log_path = log_path

    def chain(self, confirmations: int = 0, timeout: float = 30.0, **profile: Any) -> RpcChain:
        """A JSON-RPC client of this node; ``profile``: further :class:`RpcChain` keyword
        arguments (``fee_mode``, ``funding``, …)."""
        return RpcChain(self.url, confirmations=confirmations, timeout=timeout, **profile)

    def output(self) -> str:
        """What anvil printed so far (stdout and stderr)."""
        try:
            return self._log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> None:
        """Stop anvil (SIGINT, so it writes its state file), killing it after ``timeout``."""
        if self.process.poll() is None:
            # The npm wrapper forwards the signal to the anvil binary; signal the group
            # this launcher created so neither outlives it.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout)
                # The wrapper can exit before the anvil binary it started has closed its
                # port (and written its state file): wait for the port, not the wrapper.
                if not _port_closed(self.port, timeout):
                    raise subprocess.TimeoutExpired("anvil", timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
                _port_closed(self.port, timeout)
        with contextlib.suppress(OSError):
            self._log_path.unlink()

    def __enter__(self) -> AnvilProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_anvil(
    port: int | None = None,
    state_file: str | os.PathLike[str] | None = None,
    *,
    binary: str | None = None,
    state_interval: int | None = None,
    block_time: int | None = None,
    startup_timeout: float = 30.0,
    extra_args: Sequence[str] = (),
) -> AnvilProcess:
    """Start anvil on 127.0.0.1 (a free port unless ``port`` is given) and wait until its
    JSON-RPC endpoint answers. ``extra_args`` go to anvil as they are (e.g. ``--base-fee
    0 --gas-price 0`` for a free-gas profile, ``--timestamp`` for a genesis time).

    Raises :class:`~anchors.errors.ChainError` when no anvil binary is found and
    :class:`~anchors.errors.ChainUnavailable` when anvil exits or does not answer within
    ``startup_timeout`` seconds (its output is in the message).
    """
    exe = binary or find_anvil()
    if exe is None:
        raise ChainError(
            "anvil not found: run 'npm ci' (node_modules/.bin/anvil) or put it on PATH"
        )
    chosen = port if port is not None else _free_port()
    args = [exe, "--host", "127.0.0.1", "--port", str(chosen), *extra_args]
    state = Path(state_file) if state_file is not None else None
    if state is not None:
        state.parent.mkdir(parents=True, exist_ok=True)
        args += ["--state", str(state)]
        if state_interval is not None:
            args += ["--state-interval", str(state_interval)]
    if block_time is not None:
        args += ["--block-time", str(block_time)]
    return _launch("anvil", args, chosen, state, startup_timeout)


def start_hardhat(
    port: int | None = None,
    *,
    binary: str | None = None,
    startup_timeout: float = 60.0,
) -> AnvilProcess:
    """Start a Hardhat 2 node (``hardhat node``, chain id 31337, one block per transaction)
    on 127.0.0.1 and wait until its JSON-RPC endpoint answers.

    Raises :class:`~anchors.errors.ChainError` when Hardhat is not installed (``npm ci``)
    and :class:`~anchors.errors.ChainUnavailable` when it exits or does not answer within
    ``startup_timeout`` seconds (its output is in the message).
    """
    exe = binary or find_hardhat()
    if exe is None:
        raise ChainError("hardhat not found: run 'npm ci' (node_modules/.bin/hardhat)")
    chosen = port if port is not None else _free_port()
    args = [exe, "--config", str(HARDHAT_CONFIG), "node", "--hostname", "127.0.0.1"]
    args += ["--port", str(chosen)]
    env = {**os.environ, "HARDHAT_DISABLE_TELEMETRY_PROMPT": "true"}
    # Hardhat runs only from inside the project that installs it: start it from here.
    return _launch("hardhat", args, chosen, None, startup_timeout, env=env, cwd=_REPO)


def _launch(
    name: str,
    args: list[str],
    port: int,
    state: Path | None,
    startup_timeout: float,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> AnvilProcess:
    fd, log_name = tempfile.mkstemp(prefix=f"{name}-", suffix=".log")
    log_path = Path(log_name)
    with os.fdopen(fd, "wb") as log:
        # The executable is this checkout's anvil/hardhat or one the caller names: trusted.
        process = subprocess.Popen(  # noqa: S603
            args,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=cwd,
            env=env,
        )
    node = AnvilProcess(process, port, log_path, state)
    client = RpcChain(node.url, timeout=2.0)
    deadline = time.monotonic() + startup_timeout
    while True:
        if process.poll() is not None:
            output = node.output()
            node.stop()
            raise ChainUnavailable(
                f"{name} exited with status {process.returncode} on port {port}: {output[-2000:]}"
            )
        try:
            client.wait_until_ready(0.0)
            return node
        except ChainError:
            if time.monotonic() >= deadline:
                output = node.output()
                node.stop()
                raise ChainUnavailable(
                    f"{name} did not answer on {node.url} within {startup_timeout} s: "
                    f"{output[-2000:]}"
                ) from None
            time.sleep(0.1)
