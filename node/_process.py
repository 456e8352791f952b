"""Running ``tanji node serve`` as a child process (the demo's anvil mode, benches, tests)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from types import TracebackType
from typing import IO

import httpx

from node.errors import NodeProcessError


def wait_healthy(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Return once ``GET {url}/v1/health`` answers 200.

    Raises :class:`NodeProcessError` when ``process`` exits first or ``timeout`` seconds
    pass.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise NodeProcessError(f"the node process exited with status {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/v1/health", timeout=1.0).status_code == 200:
                return
        time.sleep(0.1)
    raise NodeProcessError(f"the node at {url} did not answer within {timeout} s")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NodeProcess:
    """A ``tanji node serve`` child process on 127.0.0.1; a context manager that stops it."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log: IO[bytes]) -> None:
        self.process = process
        self.url = url
        self._log = log

    def output(self) -> str:
        """What the node printed so far (stdout and stderr)."""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def stop(self, timeout: float = 15.0) -> None:
        """Terminate the node, killing it after ``timeout`` seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self._log.close()

    def __enter__(self) -> NodeProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_node_process(
    env: Mapping[str, str],
    *,
    workers: int = 1,
    access_log: bool = False,
    timeout: float = 60.0,
) -> NodeProcess:
    """Start ``tanji node serve`` on a free loopback port and wait until it is healthy.

    ``env`` holds the node's ``TANJI_*`` settings (added to this process's environment);
    ``TANJI_HOST``, ``TANJI_PORT`` and ``TANJI_PUBLIC_URL`` are set to the chosen address.
    Raises :class:`NodeProcessError`, with the node's output, when it exits or does not
    answer within ``timeout`` seconds.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    full = {
        **os.environ,
        **env,
        "TANJI_HOST": "127.0.0.1",
        "TANJI_PORT": str(port),
        "TANJI_PUBLIC_URL": url,
    }
    command = [sys.executable, "-m", "node.cli", "node", "serve", "--log-level", "warning"]
    command += ["--workers", str(workers)]
    if not access_log:
        command.append("--no-access-log")
    log = tempfile.TemporaryFile()  # noqa: SIM115 - owned by the NodeProcess, closed in stop()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command, env=full, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    node = NodeProcess(process, url, log)
    try:
        wait_healthy(url, timeout, process)
    except NodeProcessError as exc:
        output = node.output()
        node.stop()
        raise NodeProcessError(f"{exc}; its output:\n{output}") from exc
    return node
