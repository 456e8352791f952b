"""Organisation commands: ``init``, ``org register|show``, ``keys``, ``wallet``."""

from __future__ import annotations

import base64
import json
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tanji._app import (
    EXIT_INVALID,
    EXIT_OK,
    NETWORK_FILE,
    REGISTRATION_FILE,
    REGISTRATION_FORMAT,
    CliError,
    Options,
    Session,
    emit,
    load_network,
    now_utc,
    passphrase,
    progress,
    read_json,
    say,
    short,
    table,
    write_private,
)

ROLE_NAMES = ("supplier", "leader", "certifier", "auditor", "log_operator")


def _roles(text: str) -> list[str]:
    roles = [r.strip().lower() for r in text.split(",") if r.strip()]
    unknown = [r for r in roles if r not in ROLE_NAMES]
    if unknown or not roles:
        raise CliError(f"roles must be some of {', '.join(ROLE_NAMES)}; got {text!r}")
    return roles


def init(
    opts: Options,
    org_id: str,
    name: str,
    roles: str,
    network: str | None,
    fast_kdf: bool,
    as_json: bool,
) -> int:
    """Create the wallet with fresh keys and an account; write the registration request."""
    from eth_account import Account

    from sdk import FAST_KDF, KdfParams, OrgId, OrgKeys

    oid = OrgId.parse(org_id)
    wanted = _roles(roles)
    profile = load_network(opts, network) if network else None
    keys = OrgKeys.generate(oid)
    account_key = os.urandom(32)
    from sdk.wallet import Wallet

    Wallet.create(
        opts.wallet_location,
        passphrase(opts, confirm=True),
        keys,
        now=now_utc(),
        account_key=account_key,
        kdf=FAST_KDF if fast_kdf else KdfParams(),
    ).close()
    opts.home.mkdir(parents=True, exist_ok=True, mode=0o700)
    if profile is not None:
        write_private(opts.home / NETWORK_FILE, json.dumps(profile.to_doc(), indent=2))
    request = {
        "format": REGISTRATION_FORMAT,
        "orgId": str(oid),
        "name": name,
        "roles": wanted,
        "account": Account.from_key(account_key).address,
        "signingKey": base64.b64encode(bytes(keys.verify_key)).decode(),
        "encryptionKey": base64.b64encode(bytes(keys.public_key)).decode(),
        "signingKeyId": keys.signing_key_id,
        "encryptionKeyId": keys.encryption_key_id,
    }
    path = opts.home / REGISTRATION_FILE
    write_private(path, json.dumps(request, indent=2) + "\n")

    def render(con: Any) -> None:
        con.print(f"wallet for {oid} created at {opts.wallet_location}")
        con.print(table("", ["", ""], [(k, v) for k, v in request.items() if k != "format"]))
        con.print(f"send {path} to the registrar: tanji org register {path.name}")

    emit({**request, "wallet": opts.wallet_location, "registration": str(path)}, as_json, render)
    return EXIT_OK


def _wei(eth: str) -> int:
    try:
        value = Decimal(eth)
    except InvalidOperation as exc:
        raise CliError(f"--fund must be an amount of ETH, got {eth!r}") from exc
    if value < 0:
        raise CliError("--fund must not be negative")
    return int(value * 10**18)


def _transfer(chain: Any, sender: Any, to: str, wei: int) -> None:
    """A plain value transfer signed locally (works on any EVM node)."""
    from anchors.errors import ChainError

    w3 = chain.w3
    tx = {
        "to": to,
        "value": wei,
        "gas": 21_000,
        "chainId": chain.chain_id,
        "nonce": w3.eth.get_transaction_count(sender.address, "pending"),
        "maxFeePerGas": 2 * int(w3.eth.get_block("latest")["baseFeePerGas"]) + 10**9,
        "maxPriorityFeePerGas": 10**9,
    }
    signed = sender.sign_transaction(tx)
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_raw_transaction(signed.raw_transaction), timeout=30
    )
    if receipt["status"] != 1:
        raise ChainError(f"funding {to} failed")


def register(
    opts: Options, files: list[Path], roles: str | None, fund: str | None, as_json: bool
) -> int:
    """The registrar admits the organisations named by registration files."""
    from sdk import OrgId
    from sdk.registry import Role

    requests = []
    for path in files:
        doc = read_json(path, "registration")
        if not isinstance(doc, dict) or doc.get("format") != REGISTRATION_FORMAT:
            raise CliError(f"{path} is not a {REGISTRATION_FORMAT} file", EXIT_INVALID)
        try:
            org = str(OrgId.parse(doc["orgId"]))
            signing = base64.b64decode(doc["signingKey"], validate=True)
            encryption = base64.b64decode(doc["encryptionKey"], validate=True)
            account = str(doc["account"])
            wanted = _roles(roles if roles is not None else ",".join(doc["roles"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise CliError(f"{path}: malformed registration request: {exc}", EXIT_INVALID) from exc
        requests.append((path, org, signing, encryption, account, wanted, doc.get("name", "")))
    with Session(opts) as session:
        registrar = session.wallet.account()
        if registrar is None:
            raise CliError("this wallet holds no registrar account", EXIT_INVALID)
        deployment = session.network.deployment()
        wei = _wei(fund if fund is not None else session.network.dev_fund_eth)
        admitted = []
        with progress("admitting", len(requests)) as advance:
            for _path, org, signing, encryption, account, wanted, name in requests:
                if deployment.participants.is_registered(org):
                    say(f"{org} is already registered; skipped")
                else:
                    deployment.participants.register_organisation(
                        org,
                        account,
                        [Role[r.upper()] for r in wanted],
                        signing,
                        encryption,
                        sender=registrar,
                    )
                    if wei:
                        _transfer(deployment.chain, registrar, account, wei)
                admitted.append({"orgId": org, "name": name, "roles": wanted, "account": account})
                advance(1)

    def render(con: Any) -> None:
        rows = [(a["orgId"], a["name"], "+".join(a["roles"]), a["account"]) for a in admitted]
        con.print(table("admitted", ["organisation", "name", "roles", "account"], rows))

    emit(admitted, as_json, render)
    return EXIT_OK


def show(opts: Options, org_id: str | None, as_json: bool) -> int:
    """An organisation as registered on chain."""
    network = load_network(opts)
    if org_id is None:
        with Session(opts, network) as session:
            org_id = str(session.wallet.org_id)
    participants = network.deployment().participants
    org = participants.organisation(org_id)
    if org is None:
        raise CliError(f"{org_id} is not registered on chain", EXIT_INVALID)

    def keys_of(history: Any) -> list[dict[str, Any]]:
        return [
            {
                "publicKey": base64.b64encode(r.public_key).decode(),
                "validFrom": r.valid_from,
                "revokedAt": r.revoked_at,
            }
            for r in history
        ]

    data: dict[str, Any] = {
        "orgId": org_id,
        "roles": sorted(r.name.lower() for r in org.roles),
        "accounts": list(org.accounts),
        "signingKeys": keys_of(participants.signing_key_history(org_id)),
        "encryptionKeys": keys_of(participants.encryption_key_history(org_id)),
    }

    def render(con: Any) -> None:
        con.print(f"{org_id}: {', '.join(data['roles'])}; accounts {', '.join(data['accounts'])}")
        rows = [
            (kind, k["publicKey"], k["validFrom"], k["revokedAt"] or "")
            for kind, keys in (
                ("signing", data["signingKeys"]),
                ("encryption", data["encryptionKeys"]),
            )
            for k in keys
        ]
        con.print(table("keys on chain", ["kind", "public key", "valid from", "revoked at"], rows))

    emit(data, as_json, render)
    return EXIT_OK


def _key_doc(entry: Any) -> dict[str, Any]:
    return {
        "keyId": entry.key_id,
        "kind": entry.kind.value,
        "publicKey": entry.public_key,
        "state": entry.state.value,
        "createdAt": entry.created_at.isoformat(),
        "retiredAt": entry.retired_at.isoformat() if entry.retired_at else None,
        "revokedAt": entry.revoked_at.isoformat() if entry.revoked_at else None,
        "reason": entry.reason,
    }


def keys_list(opts: Options, as_json: bool) -> int:
    """The wallet's keys (no network needed)."""
    from sdk.wallet import Wallet

    with Wallet.open(opts.wallet_location, passphrase(opts)) as wallet:
        data = [_key_doc(k) for k in wallet.list_keys()]
        org = str(wallet.org_id)

    def render(con: Any) -> None:
        rows = [
            (k["keyId"], k["kind"], k["state"], k["createdAt"][:19], k["reason"] or "")
            for k in data
        ]
        con.print(table(f"keys of {org}", ["key id", "kind", "state", "created", "note"], rows))

    emit(data, as_json, render)
    return EXIT_OK


def keys_rotate(opts: Options, as_json: bool) -> int:
    """Stage new keys in the wallet, register them on chain, then make them current."""
    from sdk import OrgKeys

    with Session(opts) as session:
        wallet = session.wallet
        account = wallet.account()
        if account is None:
            raise CliError("the wallet holds no EVM account to rotate keys with", EXIT_INVALID)
        participants = session.network.deployment().participants
        old = wallet.org_keys()
        new = wallet.pending_keys()
        if new is None:
            new = OrgKeys.generate(old.org_id)
            # Write-ahead: the new private keys are in the wallet before the chain knows them.
            wallet.stage_keys(new, session.clock())
        with progress("rotating keys", 2) as advance:
            if participants.key_owner(bytes(new.verify_key)) is None:
                participants.rotate_signing_key(
                    bytes(new.verify_key), sender=account, replaces=bytes(old.verify_key)
                )
            advance(1)
            if participants.key_owner(bytes(new.public_key)) is None:
                participants.rotate_encryption_key(
                    bytes(new.public_key), sender=account, replaces=bytes(old.public_key)
                )
            advance(1)
        wallet.promote_keys(session.clock())
        data = [_key_doc(k) for k in wallet.list_keys()]

    def render(con: Any) -> None:
        con.print(
            f"signing key {short(old.signing_key_id)} → {short(new.signing_key_id)}, "
            f"encryption key {short(old.encryption_key_id)} → {short(new.encryption_key_id)}; "
            "the old keys stay in the wallet to open what was sealed to them"
        )

    emit(data, as_json, render)
    return EXIT_OK


def keys_revoke(opts: Options, key_id: str, reason: str, as_json: bool) -> int:
    """Revoke one of the organisation's keys on chain, and record it in the wallet."""
    from sdk.registry import RevocationReason

    try:
        why = RevocationReason[reason.upper()]
    except KeyError as exc:
        names = ", ".join(r.name.lower() for r in RevocationReason)
        raise CliError(f"--reason must be one of {names}") from exc
    with Session(opts) as session:
        wallet = session.wallet
        entry = next((k for k in wallet.list_keys() if k.key_id == key_id), None)
        if entry is None or entry.kind.value == "evm":
            raise CliError(f"no signing or encryption key {key_id} in the wallet", EXIT_INVALID)
        account = wallet.account()
        if account is None:
            raise CliError("the wallet holds no EVM account", EXIT_INVALID)
        public = base64.b64decode(entry.public_key)
        session.network.deployment().participants.revoke_key(
            str(wallet.org_id), public, why, sender=account
        )
        done = wallet.mark_key_revoked(key_id, session.clock(), why.name)
    emit(_key_doc(done), as_json, lambda con: con.print(f"revoked {key_id} ({why.name.lower()})"))
    return EXIT_OK


def _backup_passphrase(confirm: bool) -> str:
    from sdk.wallet import read_passphrase

    value = os.environ.get("TANJI_BACKUP_PASSPHRASE")
    if value:
        return value
    return read_passphrase(environ={}, prompt="Backup passphrase: ", confirm=confirm)


def backup(opts: Options, path: Path, as_json: bool) -> int:
    """Write an encrypted backup of the whole wallet."""
    from sdk.wallet import Wallet

    with Wallet.open(opts.wallet_location, passphrase(opts)) as wallet:
        rows = wallet.export_backup(path, _backup_passphrase(confirm=True), now=now_utc())
    emit(
        {"backup": str(path), "rows": rows},
        as_json,
        lambda con: con.print(f"backed up {rows} rows to {path} (encrypted)"),
    )
    return EXIT_OK


def restore(opts: Options, path: Path, fast_kdf: bool, as_json: bool) -> int:
    """Restore a backup into a new wallet at ``--home`` / ``--wallet``."""
    from sdk import FAST_KDF, KdfParams
    from sdk.wallet import Wallet

    with Wallet.restore(
        path,
        _backup_passphrase(confirm=False),
        opts.wallet_location,
        passphrase(opts, confirm=True),
        now=now_utc(),
        kdf=FAST_KDF if fast_kdf else KdfParams(),
    ) as wallet:
        rows = wallet.verify()
        org = str(wallet.org_id)
    emit(
        {"wallet": opts.wallet_location, "orgId": org, "rows": rows},
        as_json,
        lambda con: con.print(f"restored {rows} rows of {org} into {opts.wallet_location}"),
    )
    return EXIT_OK


def verify_wallet(opts: Options, as_json: bool) -> int:
    """Open the wallet (which authenticates every row) and count what it holds."""
    from sdk.wallet import Wallet

    with Wallet.open(opts.wallet_location, passphrase(opts)) as wallet:
        data = {
            "orgId": str(wallet.org_id),
            "rows": wallet.verify(),
            "published": len(wallet.publications()),
            "received": len(wallet.received_all()),
            "requests": len(wallet.requests()),
            "labels": len(wallet.labels()),
        }
    emit(
        data, as_json, lambda con: con.print(table("wallet verified", ["", ""], list(data.items())))
    )
    return EXIT_OK
