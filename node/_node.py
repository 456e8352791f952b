"""The node's parts wired together: store, log, chain readers, services and workers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from eth_account import Account
from eth_account.signers.local import LocalAccount
from nacl.signing import SigningKey
from sqlalchemy import Engine

from anchors import checkpoint_origin
from anchors.chain import ChainClient
from anchors.errors import AnchorsError
from node._anchoring import Anchorer
from node._attestations import Attestations
from node._auth import Authenticator
from node._db import InvalidDatabaseUrl, make_engine, upgrade_database
from node._gate import Gate, database_failure, first_line
from node._log import LogAccess
from node._logview import LogView
from node._participants import ChainParticipantSource, Participants
from node._requests import Requests
from node._settings import Settings
from node._util import b64, rfc3339
from node._verification import ChainReader, Verifier
from node._webhooks import WebhookDispatcher, Webhooks
from node.errors import InvalidInput, Unavailable
from sdk import key_id
from sdk.deploy import Deployment
from sdk.errors import RegistryError


def utc_now() -> datetime:
    """The wall clock, timezone-aware UTC (the default clock of a node)."""
    return datetime.now(UTC)


@dataclass
class Node:
    """Everything one node process holds; the HTTP layer calls into these parts."""

    settings: Settings
    engine: Engine
    chain: ChainClient
    deployment: Deployment
    clock: Callable[[], datetime]
    log_key: SigningKey
    origin: str
    participants: Participants
    auth: Authenticator
    log: LogAccess
    attestations: Attestations
    requests: Requests
    webhooks: Webhooks
    log_view: LogView
    verifier: Verifier
    anchorer: Anchorer | None
    dispatcher: WebhookDispatcher
    gate: Gate

    def now(self) -> datetime:
        """The node's clock, read once per operation."""
        return self.clock()

    def info(self) -> dict[str, Any]:
        """Public facts about this node: log, checkpoint key, chain contracts, limits."""
        public = bytes(self.log_key.verify_key)
        s = self.settings
        return {
            "logId": s.log_id,
            "origin": self.origin,
            "audience": s.audience,
            "checkpointKey": {
                "name": self.origin,
                "publicKey": b64(public),
                "keyId": key_id("ed25519", public),
            },
            "chainId": self.deployment.chain_id,
            "contracts": self.deployment.to_dict()["contracts"],
            "limits": {
                "maxBodyBytes": s.max_body_bytes,
                "maxEnvelopeBytes": s.max_envelope_bytes,
                "maxBatch": s.max_batch,
                "maxGrants": s.max_grants,
                "maxRange": s.max_range,
            },
            "anchoring": {
                "everyEntries": s.anchor_every_entries,
                "everySeconds": s.anchor_every_seconds,
            },
        }

    def health(self) -> dict[str, Any]:
        """Log size, anchoring backlog and chain status, webhook backlog (reads the database:
        call through :attr:`gate`; see :meth:`degraded_health` for when it cannot)."""
        size = self.log.size()
        body: dict[str, Any] = {
            "status": "ok",
            "logId": self.settings.log_id,
            "logSize": size,
            "database": {"status": "ok", "error": None},
        }
        if self.anchorer is not None:
            st = self.anchorer.status()
            body["anchoring"] = {
                "anchoredSize": st.anchored_size,
                "backlog": st.backlog,
                "lastAnchorAt": None if st.last_anchor_at is None else rfc3339(st.last_anchor_at),
                "lastError": st.last_error,
                "consecutiveFailures": st.consecutive_failures,
                "nextAttemptAt": (
                    None if st.next_attempt_at is None else rfc3339(st.next_attempt_at)
                ),
            }
            if st.last_error is not None:
                body["status"] = "degraded"
        body["webhooks"] = {"pending": self.webhooks.pending_count()}
        return body

    def degraded_health(self, cause: str) -> dict[str, Any]:
        """The health answer when the database cannot be read: ``degraded`` with the cause."""
        return {
            "status": "degraded",
            "logId": self.settings.log_id,
            "logSize": None,
            "database": {"status": "unavailable", "error": cause},
        }

    def start(self) -> None:
        """Start the background workers the settings enable."""
        if self.anchorer is not None and self.settings.anchoring_enabled:
            self.anchorer.start()
        if self.settings.webhooks_enabled:
            self.dispatcher.start()

    def stop(self) -> None:
        """Stop the background workers (waiting for their current pass)."""
        if self.anchorer is not None:
            self.anchorer.stop()
        self.dispatcher.stop()


def build_node(
    settings: Settings,
    *,
    chain: ChainClient | None = None,
    deployment: Deployment | None = None,
    engine: Engine | None = None,
    operator: LocalAccount | None = None,
    log_key: SigningKey | None = None,
    clock: Callable[[], datetime] = utc_now,
    webhook_transport: httpx.BaseTransport | None = None,
) -> Node:
    """Wire a :class:`Node` from ``settings``; explicit arguments override the settings.

    Raises :class:`~node.errors.InvalidInput` for missing or inconsistent configuration
    (no checkpoint key, no deployment, an unreadable deployment file).
    """
    if engine is None:
        engine = engine_for(settings)
    if settings.auto_migrate:
        migrate_database(engine)
    if chain is None:
        chain = _open_chain(settings)
    if deployment is None:
        deployment = _load_deployment(settings, chain)
    if log_key is None:
        if not settings.log_key_hex:
            raise InvalidInput("log_key_hex (TANJI_LOG_KEY_HEX) is required")
        log_key = SigningKey(bytes.fromhex(settings.log_key_hex.removeprefix("0x")))
    if operator is None and settings.operator_key_hex:
        operator = Account.from_key(bytes.fromhex(settings.operator_key_hex.removeprefix("0x")))
    origin = checkpoint_origin(deployment.chain_id, settings.log_id)
    participants = Participants(
        ChainParticipantSource(deployment.participants),
        settings.registry_cache_seconds,
        clock_skew=timedelta(seconds=settings.clock_skew_seconds),
    )
    log_access = LogAccess(engine, settings.log_id)
    anchorer = None
    if operator is not None:
        anchorer = Anchorer(
            engine,
            settings,
            log_access,
            deployment.anchors,
            operator,
            log_key,
            key_name=origin,
            origin=origin,
            clock=clock,
        )
    reader = ChainReader(
        anchors=deployment.anchors,
        participants=deployment.participants,
        log_owner=lambda log_id: _log_owner(deployment, log_id),
        chain_seconds=chain.block_timestamp,
    )
    return Node(
        settings=settings,
        engine=engine,
        chain=chain,
        deployment=deployment,
        clock=clock,
        log_key=log_key,
        origin=origin,
        participants=participants,
        auth=Authenticator(engine, settings, participants),
        log=log_access,
        attestations=Attestations(engine, settings, participants, log_access),
        requests=Requests(engine, participants, settings.max_product_ids),
        webhooks=Webhooks(engine),
        log_view=LogView(engine, log_access, settings.max_range),
        verifier=Verifier(reader),
        anchorer=anchorer,
        dispatcher=WebhookDispatcher(engine, settings, log_key, clock, webhook_transport),
        gate=Gate(settings),
    )


def migrate_database(engine: Engine) -> None:
    """:func:`~node._db.upgrade_database`, with an unreachable database reported as
    :class:`Unavailable` naming it and what to check (not a driver traceback)."""
    try:
        upgrade_database(engine)
    except Exception as exc:
        failure = database_failure(exc)
        if failure is None:
            raise
        where = engine.url.render_as_string(hide_password=True)
        raise Unavailable(
            f"cannot reach the database at {where}: {first_line(failure)} "
            "(is it running, and are database_url's host, port, user and name right?)"
        ) from exc


def engine_for(settings: Settings) -> Engine:
    """The engine of ``settings.database_url`` with the settings' database timeouts.

    Raises :class:`InvalidInput` naming ``database_url`` when it is not a usable URL.
    """
    try:
        return make_engine(
            settings.database_url,
            connect_timeout=settings.db_connect_timeout_seconds,
            statement_timeout=settings.db_statement_timeout_seconds,
            lock_timeout=settings.db_lock_timeout_seconds,
        )
    except InvalidDatabaseUrl as exc:
        raise InvalidInput(str(exc)) from exc


def _open_chain(settings: Settings) -> ChainClient:
    if settings.chain_url == "embedded":
        raise InvalidInput(
            "an embedded chain lives in one process: pass chain= and deployment= to "
            "create_app, or set TANJI_CHAIN_URL to a JSON-RPC endpoint"
        )
    from anchors.chain import RpcChain

    return RpcChain.from_settings(settings.chain_settings())


def _load_deployment(settings: Settings, chain: ChainClient) -> Deployment:
    if not settings.deployment_file:
        raise InvalidInput("deployment_file (TANJI_DEPLOYMENT_FILE) is required")
    try:
        data = json.loads(Path(settings.deployment_file).read_text(encoding="utf-8"))
        return Deployment.from_dict(data, chain)
    except (OSError, ValueError, RegistryError, AnchorsError) as exc:
        raise InvalidInput(f"deployment file {settings.deployment_file}: {exc}") from exc


def _log_owner(deployment: Deployment, log_id: str) -> str | None:
    """The org id string of the organisation owning ``log_id`` on chain, or None."""
    owner = deployment.anchors.log_owner(log_id)
    if owner is None:
        return None
    contract = deployment.participants.contract
    view = deployment.chain.call(contract.functions.organisation(owner))
    return str(view[1])
