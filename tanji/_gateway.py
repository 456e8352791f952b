"""``tanji gateway …`` and ``tanji pact …``: the organisation's PACT server and client
(gateway.pact). The gateway's state lives in ``HOME/gateway/`` (``gateway.db``, and
``cert.pem`` / ``key.pem`` from ``gateway cert``)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tanji._app import (
    EXIT_INVALID,
    EXIT_OK,
    CliError,
    Options,
    Session,
    emit,
    load_network,
    say,
    table,
)

if TYPE_CHECKING:
    from gateway.pact import Gateway, GatewayState
    from sdk.roles import Certifier
    from sdk.wallet import Wallet

SECRET_ENV = "TANJI_PACT_CLIENT_SECRET"  # noqa: S105 (a variable name)
BASE_URL_ENV = "TANJI_GATEWAY_BASE_URL"
PASSWORD_ENV = "TANJI_CONSOLE_PASSWORD"  # noqa: S105 (a variable name)


def gateway_dir(opts: Options) -> Path:
    """``HOME/gateway``."""
    return opts.home / "gateway"


def state(opts: Options) -> GatewayState:
    """The gateway state file."""
    from gateway.pact import GatewayState

    return GatewayState(gateway_dir(opts) / "gateway.db")


def _now() -> datetime:
    return datetime.now(UTC)


def _secret(secret_file: Path | None) -> str:
    if secret_file is not None:
        text = secret_file.read_text(encoding="utf-8").splitlines()
        if not text or not text[0].strip():
            raise CliError(f"{secret_file}: the first line must be the client secret")
        return text[0].strip()
    value = os.environ.get(SECRET_ENV)
    if not value:
        raise CliError(f"give the client secret with --secret-file FILE or ${SECRET_ENV}")
    return value


def _verify(ca_file: Path | None) -> Any:
    if ca_file is None:
        return True
    import ssl

    if not ca_file.is_file():
        raise CliError(f"--ca-file {ca_file}: no such file")
    return ssl.create_default_context(cafile=str(ca_file))


# ---------------------------------------------------------------------- gateway


def cert(opts: Options, host: str, out_dir: Path | None, as_json: bool) -> int:
    """Write a self-signed certificate and key for ``host``."""
    from gateway.pact import make_certificate

    directory = out_dir or gateway_dir(opts)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    fingerprint = make_certificate(host, cert_path, key_path, now=_now())
    doc = {"host": host, "cert": str(cert_path), "key": str(key_path), "sha256": fingerprint}
    emit(
        doc,
        as_json,
        lambda con: con.print(
            f"certificate {cert_path}\nkey         {key_path} (mode 0600)\n"
            f"SHA-256     {fingerprint}\nself-signed: clients must trust {cert_path} "
            "(e.g. `tanji pact pull --ca-file`)"
        ),
    )
    return EXIT_OK


def clients_add(opts: Options, org: str, name: str, client_id: str | None, as_json: bool) -> int:
    """Register an OAuth client for a customer organisation; the secret is shown once."""
    from gateway.pact import add_client

    record, secret = add_client(state(opts), org, now=_now(), name=name, client_id=client_id)
    doc = {
        "clientId": record.client_id,
        "clientSecret": secret,
        "orgId": record.org_id,
        "name": record.name,
    }
    emit(
        doc,
        as_json,
        lambda con: con.print(
            f"client id     {record.client_id}\nclient secret {secret}\n"
            f"customer      {record.org_id}\n"
            "The secret is shown this once (only its argon2id hash is stored): hand it to the "
            "customer over a private channel."
        ),
    )
    return EXIT_OK


def clients_list(opts: Options, as_json: bool) -> int:
    """List the OAuth clients."""
    rows = [
        {
            "clientId": c.client_id,
            "orgId": c.org_id,
            "name": c.name,
            "createdAt": c.created_at.isoformat(),
        }
        for c in state(opts).clients()
    ]
    emit(
        rows,
        as_json,
        lambda con: con.print(
            table(
                "PACT clients",
                ["client id", "customer", "name", "created"],
                [(r["clientId"], r["orgId"], r["name"], r["createdAt"]) for r in rows],
            )
        ),
    )
    return EXIT_OK


def clients_remove(opts: Options, client_id: str, as_json: bool) -> int:
    """Remove an OAuth client; its tokens stop working at once."""
    state(opts).remove_client(client_id)
    emit({"removed": client_id}, as_json, lambda con: con.print(f"removed {client_id}"))
    return EXIT_OK


def _password(password_file: Path | None) -> str:
    if password_file is not None:
        lines = password_file.read_text(encoding="utf-8").splitlines()
        if not lines or not lines[0]:
            raise CliError(f"{password_file}: the first line must be the password")
        return lines[0]
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    import getpass

    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise CliError("the two passwords differ; run the command again")
    return first


def users_add(
    opts: Options, name: str, role: str, password_file: Path | None, as_json: bool
) -> int:
    """Create a console account (password from a file, ``$TANJI_CONSOLE_PASSWORD`` or
    asked twice); only its argon2id hash is stored."""
    from gateway.console import add_user

    record = add_user(state(opts), name, role, _password(password_file), _now())
    doc = {"name": record.name, "role": record.role, "createdAt": record.created_at.isoformat()}
    emit(doc, as_json, lambda con: con.print(f"added {record.name} ({record.role})"))
    return EXIT_OK


def users_list(opts: Options, as_json: bool) -> int:
    """The console accounts (no hashes)."""
    rows = [
        {"name": u.name, "role": u.role, "createdAt": u.created_at.isoformat()}
        for u in state(opts).staff()
    ]
    emit(
        rows,
        as_json,
        lambda con: con.print(
            table(
                "console users",
                ["name", "role", "created"],
                [(r["name"], r["role"], r["createdAt"]) for r in rows],
            )
        ),
    )
    return EXIT_OK


def users_remove(opts: Options, name: str, as_json: bool) -> int:
    """Remove a console account; its sessions end at once."""
    state(opts).remove_staff(name)
    emit({"removed": name}, as_json, lambda con: con.print(f"removed {name}"))
    return EXIT_OK


def partners_add(
    opts: Options, org: str, url: str, client_id: str, secret_file: Path | None, as_json: bool
) -> int:
    """Store the credentials a partner gave this organisation for its PACT server."""
    from gateway.pact import PartnerRecord, check_base_url
    from sdk import OrgId

    org_id = str(OrgId.parse(org))
    base = check_base_url(url, allow_loopback_http=False)
    state(opts).put_partner(PartnerRecord(org_id, base, client_id, _secret(secret_file)), _now())
    emit(
        {"orgId": org_id, "baseUrl": base, "clientId": client_id},
        as_json,
        lambda con: con.print(f"partner {org_id}: {base} as {client_id}"),
    )
    return EXIT_OK


def partners_list(opts: Options, as_json: bool) -> int:
    """List partner servers (secrets not shown)."""
    rows = [
        {"orgId": p.org_id, "baseUrl": p.base_url, "clientId": p.client_id}
        for p in state(opts).partners()
    ]
    emit(
        rows,
        as_json,
        lambda con: con.print(
            table(
                "PACT partners",
                ["organisation", "base URL", "client id"],
                [(r["orgId"], r["baseUrl"], r["clientId"]) for r in rows],
            )
        ),
    )
    return EXIT_OK


def partners_remove(opts: Options, org: str, as_json: bool) -> int:
    """Forget a partner's credentials."""
    from sdk import OrgId

    org_id = str(OrgId.parse(org))
    if not state(opts).remove_partner(org_id):
        raise CliError(f"no partner {org_id} (see `gateway partners list`)", EXIT_INVALID)
    emit({"removed": org_id}, as_json, lambda con: con.print(f"removed {org_id}"))
    return EXIT_OK


def outbox(opts: Options, as_json: bool) -> int:
    """The events the gateway sent, is sending, or gave up on."""
    rows = [
        {
            "id": e.id,
            "type": str(e.body.get("type", "")).split(".")[-2],
            "to": e.url,
            "state": "sent" if e.sent_at else "abandoned" if e.abandoned_at else "pending",
            "attempts": e.attempts,
            "lastError": e.last_error,
            "createdAt": e.created_at.isoformat(),
        }
        for e in state(opts).outbox()
    ]

    def render(con: Any) -> None:
        con.print(
            table(
                "PACT events sent by the gateway",
                ["#", "event", "to", "state", "attempts", "last error"],
                [
                    (r["id"], r["type"], r["to"], r["state"], r["attempts"], r["lastError"])
                    for r in rows
                ],
            )
        )

    emit(rows, as_json, render)
    return EXIT_OK


def make_gateway(
    opts: Options,
    wallet: Wallet,
    base_url: str,
    policy: str,
    ca_file: Path | None,
    allow_loopback_http: bool = False,
) -> Gateway:
    """The gateway over ``wallet``; receipts come from the network's node when the
    organisation has a network profile."""
    from gateway.pact import POLICIES, Gateway, GatewaySettings

    if policy not in POLICIES:
        raise CliError(f"--policy must be one of {', '.join(POLICIES)}")
    receipt = None
    try:
        network = load_network(opts)
    except CliError:
        network = None
    if network is not None:
        from sdk.errors import NodeClientError

        node = network.public_node()

        def receipt(attestation_id: str) -> dict[str, Any] | None:
            try:
                return node.receipt(attestation_id)
            except NodeClientError as exc:
                if exc.status == 404:
                    return None
                raise

    settings = GatewaySettings(
        base_url=base_url,
        policy=policy,  # type: ignore[arg-type]
        ca_file=None if ca_file is None else str(ca_file),
        allow_loopback_http=allow_loopback_http,
    )
    return Gateway(settings, wallet, state(opts), receipt=receipt)


def serve(
    opts: Options,
    base_url: str | None,
    host: str,
    port: int,
    cert_file: Path | None,
    key_file: Path | None,
    policy: str,
    ca_file: Path | None,
    insecure_http: bool,
) -> int:
    """Serve PACT until interrupted."""
    from gateway.pact import Listen
    from gateway.pact import serve as run

    base = base_url or os.environ.get(BASE_URL_ENV)
    if not base:
        raise CliError(f"give the public base URL with --base-url or ${BASE_URL_ENV}")
    listen = Listen(
        host=host,
        port=port,
        cert=cert_file or gateway_dir(opts) / "cert.pem",
        key=key_file or gateway_dir(opts) / "key.pem",
        insecure_http=insecure_http,
    )
    listen.check(base)
    with Session(opts, network=_maybe_network(opts)) as session:
        gw = make_gateway(opts, session.wallet, base, policy, ca_file, insecure_http)
        scheme = "http" if insecure_http else "https"
        run(
            gw,
            listen,
            ready=lambda: say(
                f"PACT gateway of {session.wallet.org_id} on {scheme}://{host}:{port} "
                f"(public {base}), policy {policy}"
            ),
            certifier=lambda: console_certifier(session),
        )
    return EXIT_OK


def console_certifier(session: Session) -> Certifier:
    """The organisation as a certifier for the console (``session.certifier()``); raises
    :class:`~gateway.pact.errors.CertifierUnavailable` saying what is missing (a network
    profile, an EVM account in the wallet)."""
    from gateway.pact import CertifierUnavailable

    if isinstance(session.network, _NoNetwork):
        raise CertifierUnavailable(
            f"the gateway runs without a network profile ({session.opts.home / 'network.json'} "
            "does not exist): restart it as `tanji --network DIR gateway serve …`, or after "
            "`tanji init … --network DIR`"
        )
    try:
        return session.certifier()
    except CliError as exc:
        raise CertifierUnavailable(str(exc)) from exc


def _maybe_network(opts: Options) -> Any:
    try:
        return load_network(opts)
    except CliError:
        return _NoNetwork()


class _NoNetwork:
    """A session without a network profile (the gateway needs only the wallet)."""


# ---------------------------------------------------------------------- requests


def answer(
    opts: Options,
    request_id: str,
    attestation: str | None,
    reject_reason: str | None,
    base_url: str | None,
) -> dict[str, Any]:
    """Fulfil or reject a request received over PACT; the answer is queued for the
    running gateway to send (or sent at its next start)."""
    from gateway.pact import PactError

    base = base_url or os.environ.get(BASE_URL_ENV) or "https://localhost"
    with Session(opts, network=_maybe_network(opts)) as session:
        gw = make_gateway(opts, session.wallet, base, "manual", None)
        try:
            if reject_reason is not None:
                gw.reject(request_id, reject_reason)
                return {"id": request_id, "rejected": reject_reason}
            sent = gw.fulfil(request_id, attestation)
        except PactError as exc:
            raise CliError(str(exc), EXIT_INVALID) from None
        finally:
            gw.close()
    return {"id": request_id, "footprints": sent}


def split_pact(opts: Options, request_ids: list[str]) -> tuple[list[str], list[str]]:
    """``(received over PACT, others)`` among ``request_ids``."""
    with Session(opts, network=_maybe_network(opts)) as session:
        pact = []
        for rid in request_ids:
            req = session.wallet.request(rid)
            if req is not None and req.origin == "pact":
                pact.append(rid)
    return pact, [r for r in request_ids if r not in pact]


def answer_all(
    opts: Options,
    request_ids: list[str],
    attestation: str | None,
    reject_reason: str | None,
    base_url: str | None,
    as_json: bool,
) -> int:
    """``tanji requests fulfil|reject`` for requests received over PACT."""
    done = [answer(opts, rid, attestation, reject_reason, base_url) for rid in request_ids]

    def render(con: Any) -> None:
        for d in done:
            outcome = (
                f"rejected ({d['rejected']})"
                if "rejected" in d
                else "fulfilled with " + ", ".join(d["footprints"])
            )
            con.print(f"{d['id']}: {outcome}; the gateway sends the answer")

    emit(done, as_json, render)
    return EXIT_OK


# ---------------------------------------------------------------------- client


def pact_pull_entry(
    opts: Options,
    url: str,
    client_id: str,
    secret_file: Path | None,
    org: str | None,
    version: int,
    ca_file: Path | None,
    as_json: bool,
) -> int:
    """Import every footprint a PACT server lists for this client, as not attested."""
    from gateway.pact import PactClient
    from sdk import OrgId
    from sdk.errors import FootprintError
    from sdk.footprint import from_pact, uscc_from_company_ids
    from sdk.wallet import ReceivedRecord

    stored, refused = [], []
    with PactClient(url, client_id, _secret(secret_file), verify=_verify(ca_file)) as client:
        docs = list(client.footprints(version=version))
    with Session(opts, network=_maybe_network(opts)) as session:
        for i, doc in enumerate(docs):
            try:
                fp = from_pact(doc, strict=False)
                issuer = org or uscc_from_company_ids(fp.company_ids) or fp.company_ids[0]
                issuer = str(OrgId.parse(issuer)) if org else issuer
            except (FootprintError, ValueError) as exc:
                refused.append({"index": i, "id": doc.get("id"), "error": str(exc)})
                continue
            key = f"pact:{fp.id.lower()}"
            session.wallet.put_received(
                ReceivedRecord(
                    attestation_id=key,
                    issuer=issuer,
                    product_id=fp.product_ids[0],
                    source=f"pact:{url}",
                    attested=False,
                    received_at=_now(),
                    footprint=fp.to_dict(),
                )
            )
            stored.append(
                {
                    "key": key,
                    "id": fp.id,
                    "productId": fp.product_ids[0],
                    "issuer": issuer,
                    "attested": False,
                }
            )

    def render(con: Any) -> None:
        con.print(
            table(
                f"pulled from {url} (not attested)",
                ["wallet key", "product", "issuer"],
                [(s["key"], s["productId"], s["issuer"]) for s in stored],
            )
        )
        for r in refused:
            con.print(f"[red]refused[/] #{r['index']} {r['id']}: {r['error']}")

    emit({"stored": stored, "refused": refused}, as_json, render)
    return EXIT_INVALID if refused else EXIT_OK


def request(
    opts: Options,
    org: str,
    products: list[str],
    comment: str | None,
    base_url: str | None,
    ca_file: Path | None,
    as_json: bool,
    version: int = 3,
) -> int:
    """Send a RequestCreated to a partner's PACT server; the answer arrives at this
    organisation's gateway (``/3/events``) and lands in the wallet."""
    from gateway.pact import PactClient, created
    from sdk import OrgId
    from sdk.wallet import RequestDirection, RequestRecord, RequestState

    base = base_url or os.environ.get(BASE_URL_ENV)
    if not base:
        raise CliError(
            f"give this organisation's gateway base URL (--base-url or ${BASE_URL_ENV}): "
            "the answer is sent to its /3/events"
        )
    org_id = str(OrgId.parse(org))
    partner = state(opts).partner(org_id)
    if partner is None:
        raise CliError(f"no credentials for {org_id}: `tanji gateway partners add {org_id} URL`")
    now = _now()
    events = f"{base.rstrip('/')}/{version}/events"
    event = created(version, events, {"productId": products}, now, comment)
    with Session(opts, network=_maybe_network(opts)) as session:
        # Recorded before sending, so an answer that arrives at once finds it.
        session.wallet.put_request(
            RequestRecord(
                request_id=event["id"],
                direction=RequestDirection.OUTGOING,
                counterparty=org_id,
                product_ids=tuple(products),
                state=RequestState.OPEN,
                created_at=now,
                updated_at=now,
                message=comment,
                origin="pact",
            ),
            f"PACT RequestCreated sent to {partner.base_url}",
        )
        with PactClient(
            partner.base_url, partner.client_id, partner.client_secret, verify=_verify(ca_file)
        ) as client:
            client.send_event(event, f"{partner.base_url}/{version}/events")
    emit(
        {"id": event["id"], "supplier": org_id, "productIds": products},
        as_json,
        lambda con: con.print(f"requested {', '.join(products)} from {org_id}: {event['id']}"),
    )
    return EXIT_OK
