"""Supplier and leader commands: ``publish``, ``grant``, ``published``, ``requests``,
``request``, ``collect``, ``rollup``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tanji._app import (
    EXIT_INVALID,
    EXIT_OK,
    CliError,
    Options,
    Session,
    emit,
    progress,
    say,
    short,
    table,
)
from tanji._docs import build_rollup_inventory, load_publishable

if TYPE_CHECKING:
    from sdk import Disclosure
    from sdk.roles import Published, Supplier
    from sdk.wallet import Wallet


def _upstream(wallet: Wallet, inventory: Any) -> list[Disclosure]:
    """The disclosures the leader carries for every BOM line citing a supplier
    attestation, from the footprints it collected into its wallet."""
    from sdk import Disclosure

    out = []
    for line in inventory.bom if inventory is not None else ():
        cited = line.supplier_attestation_id
        if cited is None:
            continue
        received = wallet.received(cited)
        if received is None or not received.disclosures:
            raise CliError(
                f"BOM line {line.line_id!r} cites {short(cited)}, which this wallet did not "
                "collect: 'tanji collect' first",
                EXIT_INVALID,
            )
        out.append(Disclosure.from_dict(received.disclosures[0]))
    return out


def _published_doc(p: Published, source: str = "") -> dict[str, Any]:
    return {
        "file": source,
        "productId": p.product_id,
        "attestationId": p.attestation_id,
        "logId": p.log_id,
        "index": p.index,
    }


def publish(
    opts: Options, files: list[Path], grants: list[str], supersedes: str | None, as_json: bool
) -> int:
    """Publish every footprint in ``files`` (all parsed before anything is sent)."""
    items = [item for path in files for item in load_publishable(path)]
    with Session(opts) as session:
        supplier = session.supplier()
        resumed = supplier.resume_pending()
        for p in resumed:
            say(f"sent {short(p.attestation_id)} left pending by an earlier run (index {p.index})")
        out = []
        with progress("publishing", len(items)) as advance:
            for item in items:
                published = supplier.publish(
                    item.footprint,
                    item.inventory,
                    grants,
                    upstream=_upstream(session.wallet, item.inventory),
                    supersedes=supersedes,
                )
                out.append(_published_doc(published, str(item.path)))
                advance(1)

    def render(con: Any) -> None:
        rows = [(d["file"], d["productId"], d["attestationId"], d["index"]) for d in out]
        con.print(table("published", ["file", "product", "attestation", "log index"], rows))
        if grants:
            con.print(f"granted to {', '.join(grants)}")

    emit(out, as_json, render)
    return EXIT_OK


def grant(opts: Options, attestation: str, orgs: list[str], as_json: bool) -> int:
    """Grant ``orgs`` access to one of this wallet's attestations."""
    with Session(opts) as session:
        supplier = session.supplier()
        done = []
        for org in orgs:
            g = supplier.grant(attestation, org)
            done.append(
                {"attestationId": attestation, "recipient": org, "keyId": g.recipient_key_id}
            )
    emit(done, as_json, lambda con: con.print(f"granted {short(attestation)} to {', '.join(orgs)}"))
    return EXIT_OK


def disclose(opts: Options, attestation: str, pointers: list[str], out: Path | None) -> int:
    """Write (or print) a disclosure of ``pointers`` of one of this wallet's attestations."""
    import json

    from sdk.wallet import Wallet
    from tanji._app import passphrase, write_private

    with Wallet.open(opts.wallet_location, passphrase(opts)) as wallet:
        record = wallet.publication(attestation)
        if record is None:
            raise CliError(
                f"attestation {attestation} was not published by this wallet", EXIT_INVALID
            )
        try:
            disclosure = record.attestation.disclose(pointers)
        except KeyError as exc:
            raise CliError(f"the attestation has no claim {exc}", EXIT_INVALID) from exc
    text = json.dumps(disclosure.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        write_private(out, text)
        say(f"wrote the disclosure of {len(pointers)} claim(s) to {out}")
    return EXIT_OK


def published(opts: Options, as_json: bool) -> int:
    """What this wallet published."""
    from sdk.wallet import Wallet
    from tanji._app import passphrase

    with Wallet.open(opts.wallet_location, passphrase(opts)) as wallet:
        data: list[dict[str, Any]] = [
            {
                "attestationId": r.attestation_id,
                "productId": r.product_id,
                "state": r.state.value,
                "logId": r.log_id,
                "index": r.index,
                "createdAt": r.created_at.isoformat(),
                "grants": [{"recipient": g.recipient, "state": g.state.value} for g in r.grants],
            }
            for r in wallet.publications()
        ]

    def render(con: Any) -> None:
        rows = [
            (
                d["attestationId"],
                d["productId"],
                d["state"],
                d["index"],
                ", ".join(g["recipient"] for g in d["grants"]),
            )
            for d in data
        ]
        con.print(
            table("published", ["attestation", "product", "state", "index", "granted to"], rows)
        )

    emit(data, as_json, render)
    return EXIT_OK


def _request_doc(r: Any) -> dict[str, Any]:
    return {
        "id": r.request_id,
        "direction": r.direction.value,
        "counterparty": r.counterparty,
        "productIds": list(r.product_ids),
        "state": r.state.value,
        "attestationId": r.attestation_id,
        "reason": r.reason,
        "message": r.message,
        "updatedAt": r.updated_at.isoformat(),
    }


def requests_list(opts: Options, direction: str, state: str | None, as_json: bool) -> int:
    """Requests in the wallet, refreshed from the node first."""
    from sdk.wallet import RequestDirection, RequestState

    if direction not in ("all", "incoming", "outgoing"):
        raise CliError("--direction must be incoming, outgoing or all")
    wanted_state = None
    if state is not None:
        try:
            wanted_state = RequestState(state)
        except ValueError as exc:
            raise CliError("--state must be open, fulfilled or rejected") from exc
    with Session(opts) as session:
        leader = session.leader()
        if direction in ("all", "incoming"):
            leader.incoming_requests(state)
        if direction in ("all", "outgoing"):
            leader.requests(state)
        records = session.wallet.requests(
            direction=None if direction == "all" else RequestDirection(direction),
            state=wanted_state,
        )
        data = [_request_doc(r) for r in records]

    def render(con: Any) -> None:
        rows = [
            (
                d["id"],
                d["direction"],
                d["counterparty"],
                " ".join(d["productIds"]),
                d["state"],
                short(d["attestationId"] or "") or d["reason"] or "",
            )
            for d in data
        ]
        con.print(
            table("footprint requests", ["id", "direction", "with", "products", "state", ""], rows)
        )

    emit(data, as_json, render)
    return EXIT_OK


def _attestation_for(supplier: Supplier, product_ids: Sequence[str]) -> str | None:
    from sdk.wallet import PublishState

    matches = [
        r
        for r in supplier.wallet.publications(state=PublishState.LOGGED)
        if r.product_id in product_ids
    ]
    return matches[-1].attestation_id if matches else None


def fulfil(
    opts: Options, request_ids: list[str], attestation: str | None, fulfil_all: bool, as_json: bool
) -> int:
    """Answer requests with this wallet's attestation of the requested product."""
    if not request_ids and not fulfil_all:
        raise CliError("name request ids, or pass --all")
    with Session(opts) as session:
        supplier = session.supplier()
        if fulfil_all:
            targets: list[dict[str, Any]] = supplier.open_requests()
        else:
            targets = [supplier.node.get_request(rid) for rid in request_ids]
        done, skipped = [], []
        with progress("fulfilling", len(targets)) as advance:
            for req in targets:
                chosen = attestation or _attestation_for(supplier, req["productIds"])
                if chosen is None:
                    skipped.append(
                        {
                            "id": req["id"],
                            "reason": "no published attestation of " + ", ".join(req["productIds"]),
                        }
                    )
                else:
                    answered = supplier.fulfil(req, chosen)
                    done.append(
                        {
                            "id": answered["id"],
                            "attestationId": chosen,
                            "leader": answered["leader"],
                        }
                    )
                advance(1)

    def render(con: Any) -> None:
        rows = [(d["id"], d["leader"], d["attestationId"]) for d in done]
        con.print(table("fulfilled", ["request", "customer", "attestation"], rows))
        for s in skipped:
            con.print(f"[yellow]not fulfilled[/] {s['id']}: {s['reason']}")

    emit({"fulfilled": done, "skipped": skipped}, as_json, render)
    return EXIT_INVALID if skipped and not fulfil_all else EXIT_OK


def reject(opts: Options, request_id: str, reason: str, as_json: bool) -> int:
    """Decline a request."""
    with Session(opts) as session:
        answered = session.supplier().reject(request_id, reason)
    emit(answered, as_json, lambda con: con.print(f"rejected {request_id}: {reason}"))
    return EXIT_OK


def request(
    opts: Options,
    supplier: str | None,
    products: list[str],
    bom: Path | None,
    message: str | None,
    as_json: bool,
) -> int:
    """File footprint requests: with one supplier for ``products``, or with every
    supplier a ``bom`` names for the components it supplies."""
    from tanji._docs import bom_requests

    if bom is not None:
        if supplier is not None or products:
            raise CliError("give either SUPPLIER PRODUCT… or --bom, not both")
        wanted = bom_requests(bom)
    elif supplier is None or not products:
        raise CliError("name the supplier and at least one product id (or pass --bom)")
    else:
        wanted = {supplier: list(products)}
    with Session(opts) as session:
        leader = session.leader()
        sent = []
        with progress("requesting", len(wanted)) as advance:
            for org, ids in wanted.items():
                sent.append(leader.request(org, ids, message))
                advance(1)

    def render(con: Any) -> None:
        rows = [(r["id"], r["supplier"], " ".join(r["productIds"])) for r in sent]
        con.print(table("requests sent", ["request", "supplier", "products"], rows))

    emit(sent, as_json, render)
    return EXIT_OK


def _supplied_doc(s: Any) -> dict[str, Any]:
    return {
        "requestId": s.request_id,
        "supplier": str(s.supplier),
        "productId": s.product_id,
        "attestationId": s.attestation_id,
        "value": str(s.value),
        "unit": f"kgCO2e/{s.declared_unit}",
    }


def collect(opts: Options, as_json: bool) -> int:
    """Collect every fulfilled request not collected yet; show all collected."""
    with Session(opts) as session:
        leader = session.leader()
        fulfilled = leader.requests("fulfilled")
        pending = [r for r in fulfilled if session.wallet.received(str(r["attestationId"])) is None]
        with progress("collecting", len(pending)) as advance:
            for req in pending:
                leader.collect([req])
                advance(1)
        data = [_supplied_doc(s) for s in leader.collected()]
        open_ = [r for r in leader.requests("open")]

    def render(con: Any) -> None:
        rows = [
            (d["supplier"], d["productId"], d["value"], d["unit"], d["attestationId"]) for d in data
        ]
        con.print(
            table(
                "collected (decrypted, signature and commitment checked)",
                ["supplier", "product", "PCF", "unit", "attestation"],
                rows,
            )
        )
        if open_:
            con.print(f"{len(open_)} request(s) still open")

    emit(data, as_json, render)
    return EXIT_OK


def rollup(opts: Options, bom: Path, publish_it: bool, grants: list[str], as_json: bool) -> int:
    """Roll the collected footprints up through ``bom``; optionally publish."""
    with Session(opts) as session:
        leader = session.leader()
        inventory, used = build_rollup_inventory(
            bom, leader.collected(), session.clock(), session.wallet.received_all()
        )
        with progress("rolling up", 1) as advance:
            rolled = leader.roll_up(inventory, used)
            advance(1)
        result = rolled.result
        data: dict[str, Any] = result.to_dict()
        data["unverifiedLines"] = [
            {"lineId": b.line_id, "productId": b.supplier_product_id, "description": b.description}
            for b in inventory.bom
            if b.supplier_attestation_id is None and b.supplier_product_id is not None
        ]
        if publish_it:
            published_ = leader.publish_rollup(rolled, grants)
            data["published"] = _published_doc(published_, str(bom))

    def render(con: Any) -> None:
        rows = [
            (
                ln.line_id,
                ln.kind,
                f"{ln.quantity} {ln.unit}",
                f"{ln.intensity}",
                f"{ln.emissions}",
                f"{ln.share_percent} %",
            )
            for ln in result.lines
        ]
        con.print(
            table(
                f"roll-up of {inventory.product_ids[0]} (kgCO2e per "
                f"{inventory.declared_unit_amount} {inventory.declared_unit})",
                ["line", "kind", "quantity", "intensity", "emissions", "share"],
                rows,
            )
        )
        for u in data["unverifiedLines"]:
            con.print(
                f"[yellow]UNVERIFIED[/] {u['lineId']}: {u['productId']} was received without "
                "an attestation (PACT pull): secondary data, 0 % primary"
            )
        con.print(
            f"total {result.total} → declared {result.pcf} kgCO2e; primary data share "
            f"{result.primary_data_share} %"
        )
        if "published" in data:
            p = data["published"]
            con.print(f"published {p['attestationId']} at log index {p['index']}")

    emit(data, as_json, render)
    return EXIT_OK
