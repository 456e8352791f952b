"""Running the gateway: a self-signed certificate for tests and local use, and
``serve`` (uvicorn over TLS, with a worker thread that refreshes the catalog, answers
requests by policy and delivers the outbox)."""

from __future__ import annotations

import ipaddress
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gateway.pact._auth import TokenStore
from gateway.pact._events import _loopback
from gateway.pact._service import Gateway
from gateway.pact.errors import GatewayConfigError

if TYPE_CHECKING:
    from sdk.roles import Certifier


def make_certificate(
    host: str, cert_path: Path, key_path: Path, *, now: datetime, days: int = 365
) -> str:
    """Write a self-signed certificate for ``host`` (a DNS name or an IP address; also
    valid for localhost and 127.0.0.1 when ``host`` is one of them) and its P-256 key
    (mode 0600). Returns the certificate's SHA-256 fingerprint (hex)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    hosts = [host] + (["localhost", "127.0.0.1"] if _loopback(host) else [])
    for h in dict.fromkeys(hosts):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            names.append(x509.DNSName(h))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert.fingerprint(hashes.SHA256()).hex()


@dataclass(frozen=True)
class Listen:
    """Where and how the server listens. ``cert``/``key``: PEM files (required unless
    ``insecure_http``, which only loopback hosts accept: tests behind nothing)."""

    host: str
    port: int
    cert: Path | None
    key: Path | None
    insecure_http: bool = False

    def check(self, base_url: str) -> None:
        """Refuse settings that would serve PACT over plain http. Raises
        :class:`GatewayConfigError` saying what to change."""
        parts = urlsplit(base_url)
        if parts.scheme != "https" and not self.insecure_http:
            raise GatewayConfigError(
                f"--base-url {base_url!r}: PACT is served over https only; give https://…"
            )
        if not parts.hostname or parts.query or parts.fragment or base_url.endswith("/"):
            raise GatewayConfigError(
                f"--base-url {base_url!r}: give https://host[:port][/path] without a "
                "trailing slash, query or fragment"
            )
        if self.insecure_http:
            if not _loopback(self.host):
                raise GatewayConfigError(
                    "--insecure-http-loopback serves plain http on 127.0.0.1/::1/localhost only"
                )
            return
        for name, path in (("--cert", self.cert), ("--key", self.key)):
            if path is None or not path.is_file():
                raise GatewayConfigError(
                    f"{name} {path}: no such file; make a pair with `tanji gateway cert HOST` "
                    "or give your CA-issued certificate and key"
                )


def worker(gateway: Gateway, stop: threading.Event) -> None:
    """Refresh the catalog, answer by policy and deliver events until ``stop``."""
    import time

    last = 0.0
    while not stop.is_set():
        try:
            if time.monotonic() - last >= gateway.settings.refresh_seconds:
                gateway.refresh()
                last = time.monotonic()
            gateway.process()
            gateway.deliver()
        except Exception as exc:  # keep serving; the next round retries
            import sys

            print(f"tanji gateway: background work failed: {exc!r}", file=sys.stderr)
        gateway.wake.wait(1.0)
        gateway.wake.clear()


@asynccontextmanager
async def _lifespan_for(gateway: Gateway, background: bool) -> AsyncIterator[None]:
    stop = threading.Event()
    thread = None
    if background:
        thread = threading.Thread(target=worker, args=(gateway, stop), daemon=True)
        thread.start()
    try:
        yield
    finally:
        stop.set()
        gateway.wake.set()
        if thread is not None:
            thread.join(10)
        gateway.close()


def build_app(
    gateway: Gateway,
    *,
    background: bool = True,
    certifier: Callable[[], Certifier] | None = None,
) -> Any:
    """The ASGI app with the worker started and stopped by its lifespan; recovers
    accepted requests and builds the catalog first. ``certifier`` makes the console's
    certifier page work: called (once, on first use) for the organisation as a
    :class:`~sdk.roles.Certifier` on the gateway's wallet; it raises
    :class:`~gateway.pact.errors.CertifierUnavailable` when it cannot."""
    from gateway.pact._app import create_app

    gateway.recover()
    gateway.refresh()
    app = create_app(gateway, TokenStore(gateway.state))
    from gateway.console import create_console

    app.mount("/console", create_console(gateway, certifier=certifier))
    app.router.lifespan_context = lambda _app: _lifespan_for(gateway, background)
    return app


def serve(
    gateway: Gateway,
    listen: Listen,
    *,
    ready: Callable[[], None] | None = None,
    certifier: Callable[[], Certifier] | None = None,
) -> None:
    """Serve until interrupted (SIGINT/SIGTERM); ``certifier`` as for :func:`build_app`."""
    import uvicorn

    listen.check(gateway.settings.base_url)
    app = build_app(gateway, certifier=certifier)
    config = uvicorn.Config(
        app,
        host=listen.host,
        port=listen.port,
        log_level="warning",
        ssl_certfile=None if listen.insecure_http else str(listen.cert),
        ssl_keyfile=None if listen.insecure_http else str(listen.key),
        lifespan="on",
        access_log=False,
        timeout_graceful_shutdown=10,
    )
    server = uvicorn.Server(config)
    if ready is not None:
        ready()
    server.run()
