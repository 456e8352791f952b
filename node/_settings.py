"""Node settings: from ``TANJI_*`` environment variables, a TOML file, or keyword arguments."""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from anchors.chain import ChainSettings
from anchors.errors import InvalidChainSettings
from node.errors import InvalidSettings

_LOG_ID = re.compile(r"^[a-z0-9-]{1,64}$")
ENV_PREFIX = "TANJI_"


@dataclass(frozen=True)
class Settings:
    """Everything a node needs to run; validated on construction.

    Field ``x`` is read from the environment variable ``TANJI_X`` (upper case) or from key
    ``x`` of a TOML file. Sizes are bytes, durations seconds.
    """

    database_url: str = "sqlite:///tanji-node.db"
    public_url: str = "http://127.0.0.1:8080"
    host: str = "127.0.0.1"
    port: int = 8080
    log_id: str = "main"
    log_key_hex: str = ""
    """Ed25519 seed (hex, 32 bytes) signing this log's checkpoints and webhook events.

    It should be a signing key registered on chain for the log operator's organisation, so
    verifiers can find it in the ParticipantRegistry."""
    chain_url: str = "embedded"
    """``embedded`` (in-process py-evm, development) or a JSON-RPC URL."""
    public_chain_url: str = ""
    """JSON-RPC URL the label page gives visitors' browsers to re-read the label from the
    chain (it must answer CORS requests); empty: ``chain_url`` when it is http(s)."""
    chain_confirmations: int = 0
    """Blocks on top of an anchoring transaction's block before it counts (docs/chains.md)."""
    chain_fee_mode: str = "auto"
    """``auto``, ``eip1559``, ``legacy``, ``fixed`` or ``zero`` (anchors.chain.FEE_MODES)."""
    chain_gas_price_wei: str = ""
    """Gas price of ``legacy``/``fixed`` transactions (empty: ``legacy`` asks the node)."""
    chain_priority_fee_wei: str = ""
    """EIP-1559 tip (empty: the node's suggestion, else 1 gwei)."""
    chain_poa: bool = False
    """Accept proof-of-authority block headers (Clique, IBFT 2.0, QBFT)."""
    chain_timeout_seconds: float = 30.0
    """One JSON-RPC request, and an anchoring transaction's wait for its confirmations."""
    deployment_file: str = ""
    """JSON file of :meth:`sdk.deploy.Deployment.to_dict` (contract addresses)."""
    operator_key_hex: str = ""
    """Private key (hex) of the EVM account that is this log's operator on chain."""
    anchor_every_entries: int = 1000
    anchor_every_seconds: float = 30.0
    anchor_poll_seconds: float = 0.5
    anchor_retry_max_seconds: float = 60.0
    anchoring_enabled: bool = True
    auto_migrate: bool = True
    """Upgrade the database schema to the newest revision when the app starts."""
    token_ttl_seconds: int = 900
    assertion_max_lifetime_seconds: int = 300
    clock_skew_seconds: int = 60
    registry_cache_seconds: float = 30.0
    max_body_bytes: int = 16 * 1024 * 1024
    max_envelope_bytes: int = 1024 * 1024
    max_batch: int = 5000
    max_grants: int = 64
    max_product_ids: int = 100
    max_range: int = 1000
    webhook_max_attempts: int = 8
    webhook_backoff_seconds: float = 1.0
    webhook_timeout_seconds: float = 5.0
    webhook_poll_seconds: float = 0.5
    webhooks_enabled: bool = True
    db_connect_timeout_seconds: float = 5.0
    """Longest wait for a new database connection (libpq ``connect_timeout``, pool checkout)."""
    db_statement_timeout_seconds: float = 10.0
    """Longest one SQL statement may run (PostgreSQL ``statement_timeout``)."""
    db_lock_timeout_seconds: float = 5.0
    """Longest wait for a row or table lock (PostgreSQL ``lock_timeout``)."""
    db_read_threads: int = 4
    """Database reads running at once; writes have their own threads and go first."""
    db_write_threads: int = 8
    """Database writes running at once (publishes share group commits on top)."""
    read_yield_seconds: float = 0.02
    """How long a read waits, at most, while writes are queued (writes go first)."""
    retry_after_seconds: int = 5
    """``Retry-After`` of a 503, and how long the node stops sending work to a database
    that failed before trying it again (the circuit breaker's open time)."""

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidSettings(problems)

    @property
    def db_deadline_seconds(self) -> float:
        """How long a request waits for the database before answering 503: a connection
        plus one statement (a hung database holds up a request no longer than this)."""
        return self.db_connect_timeout_seconds + self.db_statement_timeout_seconds

    def problems(self) -> list[str]:
        """Every problem with these values, each naming the setting and what it needs."""
        problems: list[str] = []
        if not _LOG_ID.match(self.log_id):
            problems.append(f"log_id {self.log_id!r} must match [a-z0-9-]{{1,64}}")
        if self.public_chain_url and not self.public_chain_url.startswith(("http://", "https://")):
            problems.append(
                f"public_chain_url {self.public_chain_url!r} must be an http(s) JSON-RPC URL"
            )
        if not self.public_url.startswith(("http://", "https://")):
            problems.append(f"public_url {self.public_url!r} must be an http(s) origin")
        for name in ("log_key_hex", "operator_key_hex"):
            value = getattr(self, name).removeprefix("0x")
            if value and (len(value) != 64 or not _is_hex(value)):
                problems.append(f"{name} must be 32 bytes of hex")
        if not self.database_url.strip():
            problems.append("database_url must name a database (e.g. sqlite:///tanji-node.db)")
        positive = (
            "anchor_every_entries",
            "anchor_every_seconds",
            "anchor_poll_seconds",
            "token_ttl_seconds",
            "assertion_max_lifetime_seconds",
            "max_body_bytes",
            "max_envelope_bytes",
            "max_batch",
            "max_grants",
            "max_product_ids",
            "max_range",
            "webhook_max_attempts",
            "db_connect_timeout_seconds",
            "db_statement_timeout_seconds",
            "db_lock_timeout_seconds",
            "db_read_threads",
            "db_write_threads",
            "retry_after_seconds",
        )
        for name in positive:
            if getattr(self, name) <= 0:
                problems.append(f"{name} must be positive, got {getattr(self, name)!r}")
        if self.read_yield_seconds < 0:
            problems.append(f"read_yield_seconds must be >= 0, got {self.read_yield_seconds!r}")
        try:
            self.chain_settings()
        except InvalidSettings as exc:
            problems.extend(exc.problems)
        return problems

    def chain_settings(self) -> ChainSettings:
        """The chain profile of the ``chain_*`` settings (the names ``TANJI_CHAIN_*`` give
        the command line too). Raises :class:`~node.errors.InvalidSettings` naming a bad value."""
        try:
            return ChainSettings.from_mapping(
                {
                    "url": self.chain_url,
                    "confirmations": self.chain_confirmations,
                    "fee_mode": self.chain_fee_mode,
                    "gas_price_wei": self.chain_gas_price_wei,
                    "priority_fee_wei": self.chain_priority_fee_wei,
                    "poa": self.chain_poa,
                    "timeout_seconds": self.chain_timeout_seconds,
                }
            )
        except InvalidChainSettings as exc:
            raise InvalidSettings([f"chain settings: {exc}"]) from exc

    @property
    def audience(self) -> str:
        """The origin auth assertions must name as ``aud`` (``public_url`` without '/')."""
        return self.public_url.rstrip("/")

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied and validated (:class:`~node.errors.InvalidSettings`)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        """Settings from a mapping of field names to values or strings (coerced by type).

        Raises :class:`~node.errors.InvalidSettings` listing every unknown field, value of
        the wrong type and out-of-range value at once (``problems``).
        """
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        problems: list[str] = []
        for key, raw in values.items():
            if key not in known:
                problems.append(f"unknown setting {key!r}")
                continue
            try:
                kwargs[key] = _coerce(key, known[key].type, raw)
            except InvalidSettings as exc:
                problems.extend(exc.problems)
        if problems:
            # Report the values that did parse too, checked with the defaults for the rest.
            try:
                cls(**kwargs)
            except InvalidSettings as exc:
                problems.extend(exc.problems)
            raise InvalidSettings(problems)
        return cls(**kwargs)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, file: str | Path | None = None
    ) -> Settings:
        """Settings from a TOML file (``file`` or ``TANJI_CONFIG``) overridden by ``TANJI_*``.

        Environment variables not naming a setting are ignored (``TANJI_CONFIG`` names the
        file). Raises :class:`~node.errors.InvalidSettings` (every bad value at once) or for
        an unreadable file.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        path = file if file is not None else env.get(ENV_PREFIX + "CONFIG")
        if path:
            values.update(_read_toml(Path(path)))
        for f in fields(cls):
            key = ENV_PREFIX + f.name.upper()
            if key in env:
                values[f.name] = env[key]
        return cls.from_mapping(values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidSettings([f"settings file {path}: {exc}"]) from exc
    section = data.get("node", data)
    if not isinstance(section, dict):
        raise InvalidSettings([f"settings file {path}: [node] must be a table"])
    return section


def _is_hex(value: str) -> bool:
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def _coerce(name: str, annotation: Any, raw: Any) -> Any:
    kind = str(annotation)
    try:
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"not a boolean: {raw!r}")
        if kind == "int":
            if isinstance(raw, bool):
                raise ValueError("not an integer")
            return int(raw)
        if kind == "float":
            if isinstance(raw, bool):
                raise ValueError("not a number")
            return float(raw)
        if not isinstance(raw, str):
            raise ValueError(f"expected a string, got {type(raw).__name__}")
        return raw
    except ValueError as exc:
        raise InvalidSettings([f"setting {name}: {exc}"]) from exc
