"""Checks before a node serves: what would make it fail later, found now, all at once.

``tanji node serve`` runs :func:`preflight` and refuses to start on any problem, naming
each with what to do. It reads only; it changes nothing on chain or in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nacl.signing import SigningKey
from sqlalchemy import Engine, text

from anchors.chain import ChainClient
from anchors.errors import AnchorsError
from node._gate import database_failure, first_line
from node._settings import Settings
from node._util import check_aware
from sdk import key_id
from sdk.deploy import Deployment
from sdk.errors import RegistryError


@dataclass(frozen=True)
class Problem:
    """One thing that stops the node from working: ``check`` names it, ``message`` says
    what is wrong and what to do."""

    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


def preflight(
    settings: Settings,
    *,
    engine: Engine,
    chain: ChainClient,
    deployment: Deployment,
    at: datetime,
    log_key: SigningKey | None = None,
) -> list[Problem]:
    """Every problem found: the database unreachable, the log not registered on chain,
    the checkpoint key not a signing key of the log operator valid at ``at``, the
    operator account not the log's owner. Empty when the node can serve.

    ``log_key`` defaults to ``settings.log_key_hex``. Raises nothing for what it checks.
    """
    check_aware(at)
    problems: list[Problem] = []
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        if database_failure(exc) is None:
            raise
        problems.append(
            Problem(
                "database",
                f"cannot reach {where}: {first_line(database_failure(exc) or exc)}; start "
                "the database or fix database_url (TANJI_DATABASE_URL)",
            )
        )
    log_id = settings.log_id
    try:
        owner = deployment.anchors.log_owner(log_id)
    except (AnchorsError, RegistryError) as exc:
        problems.append(Problem("chain", f"cannot read the AnchorRegistry: {exc}"))
        return problems
    if owner is None:
        problems.append(
            Problem(
                "log",
                f"log {log_id!r} is not registered in the AnchorRegistry at "
                f"{deployment.anchor_registry}; the operator creates it (tanji network, or "
                "AnchorRegistry.createLog) or fix log_id (TANJI_LOG_ID)",
            )
        )
        return problems
    if log_key is None and settings.log_key_hex:
        log_key = SigningKey(bytes.fromhex(settings.log_key_hex.removeprefix("0x")))
    participants = deployment.participants
    try:
        org = str(chain.call(participants.contract.functions.organisation(owner))[1])
        history = participants.signing_key_history(org)
        if settings.operator_key_hex:
            from eth_account import Account

            key = bytes.fromhex(settings.operator_key_hex.removeprefix("0x"))
            account = Account.from_key(key).address
            if participants.org_id_of_account(account) != org:
                problems.append(
                    Problem(
                        "operator",
                        f"operator_key_hex is account {account}, not an account of {org}, "
                        f"the operator of log {log_id!r}: anchoring would be refused",
                    )
                )
    except (AnchorsError, RegistryError) as exc:
        problems.append(Problem("chain", f"cannot read the ParticipantRegistry: {exc}"))
        return problems
    if log_key is None:
        problems.append(Problem("checkpoint key", "log_key_hex (TANJI_LOG_KEY_HEX) is required"))
        return problems
    public = bytes(log_key.verify_key)
    kid = key_id("ed25519", public)
    when = int(at.timestamp())
    if not any(
        bytes(r.public_key) == public
        and r.valid_from <= when
        and (r.revoked_at is None or when < r.revoked_at)
        for r in history
    ):
        problems.append(
            Problem(
                "checkpoint key",
                f"key {kid} (log_key_hex) is not a valid signing key of {org}, the operator "
                f"of log {log_id!r}: verifiers would reject every checkpoint; register it "
                "(tanji org keys add) or set log_key_hex to a registered key",
            )
        )
    return problems
