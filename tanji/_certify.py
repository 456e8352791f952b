"""Certifier commands: ``certify``, ``label revoke|qr|list``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tanji._app import (
    EXIT_INVALID,
    EXIT_OK,
    CliError,
    Options,
    Session,
    emit,
    load_network,
    passphrase,
    progress,
    say,
    short,
    table,
)

CHECK_STEPS = (
    ("leaf", "the node serves the statement and its log position"),
    ("anchor", "its leaf is in a head anchored on chain"),
    ("signature", "signed by a key of the leader valid at anchoring time"),
    ("grant / envelope / claims.commitment", "the granted content recomputes the commitment"),
    ("upstream.*", "each supplier disclosure verifies against its anchored attestation"),
    ("rollup.lineage", "every BOM line uses exactly the verified supplier value"),
    ("rollup.factors", "factors as in the reference (or cited public) factor set"),
    ("rollup.recompute", "the roll-up recomputed from the inventory equals the footprint"),
    ("subject", "the statement is about the footprint's product"),
)


def _wait_anchored(session: Session, attestation: str, wait: float) -> None:
    from sdk.errors import NodeClientError

    node = session.public_node()
    deadline = time.monotonic() + wait
    announced = False
    while True:
        try:
            node.receipt(attestation)
            return
        except NodeClientError as exc:
            if exc.status != 404 or time.monotonic() >= deadline:
                return  # the check reports it at its step
            if not announced:
                say(f"waiting up to {wait:.0f} s for {short(attestation)} to be anchored")
                announced = True
            time.sleep(0.5)


def certify(
    opts: Options,
    attestation: str,
    issue: bool,
    grade: str,
    standard: str,
    qr: Path | None,
    wait: float,
    factor_publishers: list[str],
    as_json: bool,
) -> int:
    """Run the certifier's checks; with ``issue`` issue the label."""
    from sdk.errors import VerificationError

    with Session(opts) as session:
        certifier = session.certifier(factor_publishers)
        _wait_anchored(session, attestation, wait)
        try:
            with progress("checking", 1) as advance:
                check = certifier.check(attestation)
                advance(1)
        except VerificationError as exc:
            refused = {
                "ok": False,
                "attestationId": attestation,
                "failedStep": exc.step,
                "reason": exc.reason,
            }
            line = f"[bold red]REFUSED[/] at step {exc.step}: {exc.reason}"
            emit(refused, as_json, lambda con: con.print(line))
            return EXIT_INVALID
        data: dict[str, Any] = {
            "ok": True,
            "attestationId": attestation,
            "leader": check.leader,
            "productId": check.product_id,
            "claimed": str(check.claimed),
            "recomputed": str(check.recomputed),
            "unit": check.unit,
            "factorSet": check.factor_set_id,
            "anchoredAt": check.anchored.anchored_at.isoformat(),
            "upstream": [
                {
                    "supplier": u.supplier,
                    "productId": u.product_id,
                    "value": str(u.value),
                    "unit": u.declared_unit,
                    "attestationId": u.attestation_id,
                }
                for u in check.upstream
            ],
            "steps": [{"step": s, "status": "passed", "what": w} for s, w in CHECK_STEPS],
            "unverifiedLines": list(check.unverified),
        }
        if issue:
            label_path = qr
            cert = certifier.certify(check, grade=grade, standard=standard, qr_path=None)
            if label_path is None:
                label_path = opts.home / "labels" / f"{cert.label_id}.png"
            from sdk.roles import write_qr

            write_qr(cert.url, label_path)
            data["label"] = {
                "labelId": cert.label_id,
                "value": cert.label.value,
                "unit": cert.label.unit,
                "grade": cert.label.grade,
                "validUntil": cert.label.valid_until,
                "url": cert.url,
                "qr": str(label_path),
            }

    def render(con: Any) -> None:
        rows = [(s["step"], "passed", s["what"]) for s in data["steps"]]
        con.print(
            table(
                f"certification checks of {short(attestation)} by {data['leader']}",
                ["step", "result", "what"],
                rows,
            )
        )
        up = [
            (u["supplier"], u["productId"], f"{u['value']} kgCO2e/{u['unit']}")
            for u in data["upstream"]
        ]
        if up:
            con.print(table("upstream values verified", ["supplier", "product", "value"], up))
        if data["unverifiedLines"]:
            con.print(
                table(
                    "UNVERIFIED lines (no attestation: secondary data, primary share 0 %)",
                    ["line", "product", "value"],
                    [
                        (u["lineId"], u["supplierProductId"],
                         f"{u['supplierPcf']} kgCO2e/{u['supplierDeclaredUnit']}")
                        for u in data["unverifiedLines"]
                    ],
                )
            )  # fmt: skip
        con.print(f"recomputed {data['recomputed']} = claimed {data['claimed']} {data['unit']}")
        if "label" in data:
            label = data["label"]
            con.print(
                f"[bold green]label issued[/] {label['labelId']}: {label['value']} "
                f"{label['unit']}; QR code {label['qr']} → {label['url']}"
            )

    emit(data, as_json, render)
    return EXIT_OK


def revoke(opts: Options, label_id: str, reason: str, as_json: bool) -> int:
    """Revoke a label this certifier issued."""
    from sdk.roles import label_id_bytes

    try:
        raw = label_id_bytes(label_id)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    with Session(opts) as session:
        session.certifier().revoke(raw, reason)
    doc = {"labelId": "0x" + raw.hex(), "revoked": True, "reason": reason}
    emit(doc, as_json, lambda con: con.print(f"revoked {doc['labelId']}: {reason}"))
    return EXIT_OK


def qr(
    opts: Options, label_id: str, out: Path | None, as_json: bool, label: Path | None = None
) -> int:
    """The label's QR code: in the terminal, or written to a file; with ``label``, the
    printable carbon label (SVG or PNG by its suffix) drawn from the label on chain."""
    from sdk.roles import label_id_bytes, qr_text, verification_url, write_qr

    try:
        raw = label_id_bytes(label_id)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if label is not None and label.suffix.lower() not in (".svg", ".png"):
        raise CliError(f"--label {label}: give a .svg or .png file name")
    network = load_network(opts)
    url = verification_url(network.node_url, raw)
    if out is not None:
        write_qr(url, out)
    if label is not None:
        _write_label_art(network, raw, url, label)
    doc = {
        "labelId": "0x" + raw.hex(),
        "url": url,
        "file": None if out is None else str(out),
        "label": None if label is None else str(label),
    }

    def render(con: Any) -> None:
        if out is None and label is None:
            con.print(qr_text(url), markup=False, highlight=False)
        con.print(url if out is None else f"wrote {out} → {url}")
        if label is not None:
            con.print(f"wrote the printable label {label} → {url}")

    emit(doc, as_json, render)
    return EXIT_OK


def _write_label_art(network: Any, raw: bytes, url: str, path: Path) -> None:
    """Draw the printable label of ``raw`` as read from the chain. The certifier is named
    by its registered id: the registry records no display names (docs/label-page.md)."""
    from sdk.errors import RegistryError
    from sdk.label_art import LabelArtError, LabelInfo, render_label

    deployment = network.deployment()
    try:
        found = deployment.labels.label(raw)
        if found is None:
            raise CliError(f"no label 0x{raw.hex()} on chain")
        certifier = deployment.participants.org_id_of_account(found.issuer) or found.issuer
        art = render_label(LabelInfo.from_label(found, certifier), url)
    except (RegistryError, LabelArtError) as exc:
        raise CliError(str(exc)) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(art.svg if path.suffix.lower() == ".svg" else art.png)


def labels(opts: Options, as_json: bool) -> int:
    """Labels in the wallet."""
    from sdk.wallet import Wallet

    with Wallet.open(opts.wallet_location, passphrase(opts)) as wallet:
        data: list[dict[str, Any]] = [
            {
                "labelId": r.label_id,
                "role": r.role.value,
                "productId": r.product_id,
                "value": r.value,
                "unit": r.unit,
                "grade": r.grade,
                "validUntil": r.valid_until.isoformat(),
                "revoked": r.revoked,
                "reason": r.reason,
                "url": r.url,
            }
            for r in wallet.labels()
        ]

    def render(con: Any) -> None:
        rows = [
            (
                d["labelId"],
                d["productId"],
                f"{d['value']} {d['unit']}",
                d["validUntil"][:10],
                "revoked" if d["revoked"] else "active",
            )
            for d in data
        ]
        con.print(table("labels", ["label", "product", "value", "valid until", "state"], rows))

    emit(data, as_json, render)
    return EXIT_OK
