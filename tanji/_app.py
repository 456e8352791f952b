"""What every command shares: options, output (rich tables or ``--json``), progress,
exit codes, the network profile and the organisation's session on its wallet.

Heavy modules (web3, SQLAlchemy, the SDK's roles) are imported inside the functions that
need them, so ``tanji --help`` and commands that do not use them start fast.

Exit codes: 0 done / valid; 1 checked and invalid, or refused (a failed verification, a
wrong passphrase, a tampered wallet, an invalid document, a node or contract refusal);
2 could not check (usage, a missing file, the network or chain unreachable, no wallet).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from anchors.chain import RpcChain
    from sdk import OrgKeys
    from sdk.client import NodeClient
    from sdk.deploy import Deployment
    from sdk.roles import Certifier, Leader, Supplier
    from sdk.wallet import Wallet

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNAVAILABLE = 2

NETWORK_FILE = "network.json"
NETWORK_FORMAT = "tanji.network.v1"
REGISTRATION_FILE = "registration.json"
REGISTRATION_FORMAT = "tanji.registration.v1"
HOME_ENV = "TANJI_HOME"
WALLET_ENV = "TANJI_WALLET"
NETWORK_ENV = "TANJI_NETWORK"


class CliError(Exception):
    """A command cannot go on; ``code`` is the exit status, the message says what to do."""

    def __init__(self, message: str, code: int = EXIT_UNAVAILABLE) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Options:
    """The global options (``tanji --home … --wallet … --network …``)."""

    home: Path
    wallet: str | None = None
    passphrase_file: Path | None = None
    network: str | None = None

    @classmethod
    def from_env(cls) -> Options:
        """Defaults from ``$TANJI_HOME`` (else ``~/.tanji``), ``$TANJI_WALLET``,
        ``$TANJI_NETWORK``."""
        home = os.environ.get(HOME_ENV) or str(Path("~/.tanji").expanduser())
        return cls(
            home=Path(home),
            wallet=os.environ.get(WALLET_ENV) or None,
            network=os.environ.get(NETWORK_ENV) or None,
        )

    @property
    def wallet_location(self) -> str:
        """The wallet: ``--wallet`` (a path or a database URL), else ``<home>/wallet.db``."""
        return self.wallet or str(self.home / "wallet.db")


# ---------------------------------------------------------------------- output

_CONSOLES: dict[bool, Console] = {}


def console(stderr: bool = False) -> Console:
    """The rich console for standard output (or standard error)."""
    if stderr not in _CONSOLES:
        from rich.console import Console

        _CONSOLES[stderr] = Console(stderr=stderr, highlight=False, soft_wrap=False)
    return _CONSOLES[stderr]


def emit(data: Any, as_json: bool, render: Callable[[Console], None]) -> None:
    """Print ``data`` as JSON (``--json``) or through ``render`` for people."""
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()
    else:
        render(console())


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Any:
    """A rich table with ``columns`` and ``rows`` (values shown with ``str``)."""
    from rich.table import Table

    out = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        out.add_column(column, overflow="fold")
    for row in rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    return out


def say(message: str) -> None:
    """A line of progress for people, on standard error (never mixed into ``--json``)."""
    console(stderr=True).print(message, soft_wrap=True, markup=False)


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error; yields ``advance(n)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar: Progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=False,
        disable=not sys.stderr.isatty(),
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance


def short(text: str, n: int = 16) -> str:
    """The first ``n`` characters of an id, with an ellipsis."""
    return text if len(text) <= n else text[:n] + "…"


# ---------------------------------------------------------------------- errors


def classify(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one-line message for an error a command raised."""
    if isinstance(exc, CliError):
        return exc.code, str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return 130, "interrupted"
    name = type(exc).__name__
    mro = {c.__name__ for c in type(exc).__mro__}
    message = str(exc) or name
    if "NodeClientError" in mro:
        status = getattr(exc, "status", 0)
        if status == 0 or status >= 500:
            return EXIT_UNAVAILABLE, f"the node could not be reached or failed: {message}"
        return EXIT_INVALID, f"the node refused: {message}"
    if "TransactionReverted" in mro or "RegistryRefused" in mro:
        return EXIT_INVALID, f"the chain refused: {message}"
    if "ChainError" in mro or "AnchorsError" in mro:
        return EXIT_UNAVAILABLE, f"the chain could not be reached: {message}"
    if "RegistryError" in mro:
        cause = exc.__cause__
        if cause is not None and {"ChainError", "AnchorsError"} & {
            c.__name__ for c in type(cause).__mro__
        }:
            return EXIT_UNAVAILABLE, f"the chain could not be reached: {message}"
        return EXIT_INVALID, message
    if name in ("PassphraseUnavailable", "WalletNotFound", "WalletSchemaError"):
        return EXIT_UNAVAILABLE, message
    if name == "WalletLocked":
        return EXIT_INVALID, f"the wallet did not open: {message}"
    if name == "WalletIntegrityError":
        return EXIT_INVALID, f"the wallet did not open, it was changed outside Tanji: {message}"
    if "WalletError" in mro and name not in ("WalletExists", "WalletConflict", "BackupError"):
        return EXIT_UNAVAILABLE, message
    if "VerificationError" in mro:
        return EXIT_INVALID, f"check failed at step {getattr(exc, 'step', '?')}: " + str(
            getattr(exc, "reason", message)
        )
    if "InvalidOrgId" in mro:
        return EXIT_UNAVAILABLE, f"not an organisation id: {message}"
    if "SdkError" in mro:
        return EXIT_INVALID, message
    if "PactClientError" in mro:
        status = getattr(exc, "status", None)
        if status is None or status >= 500:
            return EXIT_UNAVAILABLE, f"the PACT server could not be used: {message}"
        return EXIT_INVALID, f"the PACT server refused: {message}"
    if "GatewayConfigError" in mro:
        return EXIT_UNAVAILABLE, message
    if "PactError" in mro:
        return EXIT_INVALID, message
    if isinstance(exc, FileNotFoundError):
        return EXIT_UNAVAILABLE, f"no such file: {exc.filename}"
    if isinstance(exc, OSError):
        return EXIT_UNAVAILABLE, message
    if isinstance(exc, ValueError):
        return EXIT_UNAVAILABLE, message
    return EXIT_UNAVAILABLE, f"internal error ({name}): {message}"


def fail(exc: BaseException, command: str) -> int:
    """Print ``exc`` as one line (a traceback with ``TANJI_DEBUG=1``); its exit code."""
    code, message = classify(exc)
    if os.environ.get("TANJI_DEBUG") == "1" or message.startswith("internal error"):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    from rich.markup import escape

    console(stderr=True).print(
        f"[bold red]tanji {command}:[/] {escape(message)}", markup=True, soft_wrap=True
    )
    return code


# ---------------------------------------------------------------------- files


def read_json(path: Path, what: str) -> Any:
    """JSON from ``path``; :class:`CliError` (exit 2 missing, 1 malformed) otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CliError(f"no such {what} file: {path}") from exc
    except OSError as exc:
        raise CliError(f"cannot read {what} file {path}: {exc}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"{path} is not JSON: line {exc.lineno} column {exc.colno}: {exc.msg}", EXIT_INVALID
        ) from exc


def write_private(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` readable by the owner only, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


# ---------------------------------------------------------------------- network


@dataclass
class Network:
    """Where the shared infrastructure is: the node, the chain and the deployment."""

    node_url: str
    chain_url: str
    deployment_doc: dict[str, Any]
    kind: str = "remote"
    log_id: str = ""
    source: str = ""
    dev_fund_eth: str = "0"
    _chain: RpcChain | None = field(default=None, repr=False)
    _deployment: Deployment | None = field(default=None, repr=False)

    @classmethod
    def from_doc(cls, doc: Any, source: str) -> Network:
        """Parse a ``network.json``; :class:`CliError` naming what is missing."""
        if not isinstance(doc, dict) or doc.get("format") != NETWORK_FORMAT:
            raise CliError(f"{source} is not a {NETWORK_FORMAT} file")
        try:
            return cls(
                node_url=str(doc["nodeUrl"]),
                chain_url=str(doc["chainUrl"]),
                deployment_doc=dict(doc["deployment"]),
                kind=str(doc.get("kind", "remote")),
                log_id=str(doc.get("logId", "")),
                source=source,
                dev_fund_eth=str(doc.get("devFundEth", "0")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CliError(f"{source} lacks {exc}") from exc

    def to_doc(self) -> dict[str, Any]:
        """The ``network.json`` an organisation's home keeps (public facts only)."""
        return {
            "format": NETWORK_FORMAT,
            "kind": self.kind,
            "nodeUrl": self.node_url,
            "chainUrl": self.chain_url,
            "logId": self.log_id,
            "deployment": self.deployment_doc,
            "devFundEth": self.dev_fund_eth,
        }

    def chain(self) -> RpcChain:
        """A JSON-RPC client of the chain (nothing is contacted yet)."""
        if self._chain is None:
            from anchors.chain import RpcChain

            self._chain = RpcChain(self.chain_url, timeout=10.0)
        return self._chain

    def deployment(self) -> Deployment:
        """The deployment, checked against the chain (ids, code, wiring)."""
        if self._deployment is None:
            from sdk.deploy import Deployment
            from sdk.errors import RegistryError

            try:
                self._deployment = Deployment.from_dict(self.deployment_doc, self.chain())
            except RegistryError as exc:
                # A deployment that does not match the chain is the environment's problem.
                raise CliError(
                    f"the deployment in {self.source or 'the network profile'} cannot be "
                    f"used: {exc}"
                ) from exc
        return self._deployment

    def clock(self) -> Callable[[], datetime]:
        """Now, but never behind the chain's latest block (dev chains run ahead of the
        wall clock; a key registered "in the future" would not be valid yet). The chain
        is read once."""
        offset = max(0.0, float(self.chain().block_timestamp()) - time.time())
        return lambda: datetime.fromtimestamp(time.time() + offset, UTC)

    def public_node(self) -> NodeClient:
        """An anonymous client of the node."""
        from sdk.client import NodeClient

        return NodeClient(self.node_url)


def load_network(opts: Options, explicit: str | None = None) -> Network:
    """The network profile: ``explicit`` (a directory or file), ``--network`` /
    ``$TANJI_NETWORK``, else ``<home>/network.json``."""
    for candidate in (explicit, opts.network):
        if candidate:
            path = Path(candidate)
            if path.is_dir():
                path = path / NETWORK_FILE
            return Network.from_doc(read_json(path, "network"), str(path))
    path = opts.home / NETWORK_FILE
    if not path.exists():
        raise CliError(
            f"no network profile: {path} does not exist. Run 'tanji init … --network DIR' "
            "or pass --network DIR (the directory 'tanji network up' wrote)"
        )
    return Network.from_doc(read_json(path, "network"), str(path))


# ---------------------------------------------------------------------- session


def passphrase(opts: Options, *, confirm: bool = False) -> str:
    """The wallet passphrase from ``--passphrase-file``, the environment, or a prompt."""
    from sdk.wallet import read_passphrase

    return read_passphrase(file=opts.passphrase_file, confirm=confirm)


class Session:
    """One organisation acting: its wallet (opened once), the network, its role objects.

    Close it (or use ``with``) to release the wallet and the HTTP clients.
    """

    def __init__(self, opts: Options, network: Network | None = None) -> None:
        self.opts = opts
        self.network = network if network is not None else load_network(opts)
        self._wallet: Wallet | None = None
        self._clients: list[NodeClient] = []
        self._clock: Callable[[], datetime] | None = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release everything opened."""
        while self._clients:
            self._clients.pop().close()
        if self._wallet is not None:
            self._wallet.close()
            self._wallet = None

    @property
    def wallet(self) -> Wallet:
        """The organisation's wallet, opened and authenticated on first use."""
        if self._wallet is None:
            from sdk.wallet import Wallet

            self._wallet = Wallet.open(self.opts.wallet_location, passphrase(self.opts))
        return self._wallet

    @property
    def keys(self) -> OrgKeys:
        """The current keys."""
        return self.wallet.org_keys()

    def clock(self) -> datetime:
        """Now (see :meth:`Network.clock`)."""
        if self._clock is None:
            self._clock = self.network.clock()
        return self._clock()

    def node(self) -> NodeClient:
        """A node client authenticated as this organisation."""
        from sdk.client import NodeClient

        keys = self.keys
        client = NodeClient(
            self.network.node_url,
            org=str(keys.org_id),
            key_id=keys.signing_key_id,
            signing_key=keys.signing_key,
            clock=self.clock,
        )
        self._clients.append(client)
        return client

    def public_node(self) -> NodeClient:
        """An anonymous node client."""
        client = self.network.public_node()
        self._clients.append(client)
        return client

    def supplier(self) -> Supplier:
        """This organisation as a supplier on its wallet."""
        from sdk.roles import Supplier

        return Supplier(
            self.keys,
            node=self.node(),
            participants=self.network.deployment().participants,
            wallet=self.wallet,
            clock=self.clock,
        )

    def leader(self) -> Leader:
        """This organisation as a chain leader on its wallet."""
        from sdk.roles import Leader

        return Leader(
            self.keys,
            node=self.node(),
            participants=self.network.deployment().participants,
            wallet=self.wallet,
            clock=self.clock,
        )

    def certifier(self, factor_publishers: Sequence[str] = ()) -> Certifier:
        """This organisation as a certifier on its wallet (its EVM account signs)."""
        from sdk.roles import Certifier

        account = self.wallet.account()
        if account is None:
            raise CliError("the wallet holds no EVM account to issue labels with", EXIT_INVALID)
        deployment = self.network.deployment()
        return Certifier(
            self.keys,
            node=self.node(),
            participants=deployment.participants,
            labels=deployment.labels,
            anchors=deployment.anchors,
            account=account,
            verification_base=self.network.node_url,
            factor_publishers=factor_publishers,
            wallet=self.wallet,
            clock=self.clock,
            meters=None if deployment.meter_registry is None else deployment.meters,
        )


def now_utc() -> datetime:
    """The wall clock, UTC."""
    return datetime.now(UTC)
