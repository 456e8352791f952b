"""The done-when test of the organisation's side: the notebook-computer chain (13
organisations, 241.997 kgCO2e) driven through the ``tanji`` command only, every step its
own process, against anvil and a node process; the suppliers fulfil from new processes
after the node restarted; the label verifies (0), is revoked (1), the chain stops (2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from demo_chain._data import ORG_BY_KEY, ORGS, PRODUCT_BY_KEY
from demo_chain._files import roles_of, write_demo_files
from tests.conftest import require_anvil

pytestmark = [pytest.mark.anvil, pytest.mark.integration]
PASSPHRASE = "cli test passphrase"


class Cli:
    """Runs ``python -m tanji`` as its own process, as one organisation."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.net = root / "net"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TANJI_")} | {
            "TANJI_PASSPHRASE": PASSPHRASE,
            "TANJI_NETWORK_DIR": str(self.net),
        }
        self.runs = 0
        self.timings: list[tuple[float, str]] = []

    def home(self, key: str) -> Path:
        return self.root / "orgs" / key

    def __call__(
        self, *args: object, org: str | None = None, home: Path | None = None, expect: int = 0
    ) -> subprocess.CompletedProcess[str]:
        where = home if home is not None else (self.home(org) if org else None)
        argv = [sys.executable, "-m", "tanji"]
        if where is not None:
            argv += ["--home", str(where)]
        argv += [str(a) for a in args]
        started = time.monotonic()
        done = subprocess.run(
            argv, env=self.env, capture_output=True, text=True, timeout=180, check=False
        )
        self.runs += 1
        self.timings.append((time.monotonic() - started, " ".join(map(str, args[:2]))))
        assert done.returncode == expect, (
            f"{' '.join(argv[3:])} exited {done.returncode}, expected {expect}\n"
            f"stdout: {done.stdout}\nstderr: {done.stderr}"
        )
        return done

    def json(self, *args: object, org: str | None = None, home: Path | None = None) -> Any:
        return json.loads(self(*args, "--json", org=org, home=home).stdout)

    def parallel(self, calls: Sequence[tuple[tuple[object, ...], dict[str, Any]]]) -> list[Any]:
        with ThreadPoolExecutor(max_workers=3) as pool:
            futures = [pool.submit(self, *a, **kw) for a, kw in calls]
            return [f.result() for f in futures]


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    require_anvil()
    runner = Cli(tmp_path)
    try:
        yield runner
    finally:
        if (runner.net / "state.json").exists():
            subprocess.run(
                [sys.executable, "-m", "tanji", "network", "down", "--dir", str(runner.net)],
                env=runner.env,
                capture_output=True,
                timeout=60,
                check=False,
            )


def _org(key: str) -> str:
    return ORG_BY_KEY[key].org_id


def _product(key: str) -> str:
    return PRODUCT_BY_KEY[key].product_id


def _meter_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    """The panel maker registers a meter, reads it through DL/T 645 from a simulated
    meter, renews its calibration and retires it; everyone reads it from the chain."""
    key = tmp_path / "device-key.json"
    subprocess.run(
        [sys.executable, "-m", "gateway.meters", "keygen", "--out", str(key)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    cert = {
        "institute": "provincial institute of metrology",
        "number": "JJG596-T-1",
        "validFrom": "2024-12-01",
        "validUntil": "2027-12-31",
    }
    cert_file = tmp_path / "calibration.json"
    cert_file.write_text(json.dumps(cert), encoding="utf-8")
    registered = cli.json(
        "meter", "register", "CQ-EM-99", "--key", key, "--calibration", cert_file,
        "--multiplier", "6000", "--in-service", "2024-12-01T00:00:00Z", org="panel",
    )  # fmt: skip
    assert registered["owner"] == _org("panel")
    assert registered["multiplier"] == "6000"
    shown = cli.json("meter", "show", "CQ-EM-99", "--owner", _org("panel"), org="auditor")
    assert shown["digest"] == registered["digest"]
    cli("meter", "show", "CQ-EM-98", org="panel", expect=1)
    bad = cli("meter", "register", "CQ-EM-98", "--key", key, "--calibration", tmp_path / "none",
              org="panel", expect=2)  # fmt: skip
    assert "no such calibration certificate file" in bad.stderr
    from gateway.meters import MeterAddress, SimulatedMeter, simulate_in_thread

    meter = SimulatedMeter(MeterAddress.parse("99"), forward_energy=Decimal("123.45"))
    with simulate_in_thread([meter]) as sim:
        read = cli.json("meter", "read", "CQ-EM-99", "--key", key, "--port", sim.port, org="panel")
        assert read["ok"]
        assert read["reading"]["reading"]["counter"] == "123.45"
        renewal = {**cert, "number": "JJG596-T-2", "validFrom": "2026-01-01"}
        cert_file.write_text(json.dumps(renewal), encoding="utf-8")
        renewed = cli.json("meter", "calibrate", "CQ-EM-99", cert_file, org="panel")
        assert [c["number"] for c in renewed["calibrations"]] == ["JJG596-T-1", "JJG596-T-2"]
        cli("meter", "retire", "CQ-EM-99", org="panel")
        after = cli("meter", "read", "CQ-EM-99", "--key", key, "--port", sim.port, "--json",
                    org="panel", expect=1)  # fmt: skip
        assert json.loads(after.stdout)["failedStep"] == "meter.registration"


def _certified_label(cli: Cli, tmp_path: Path, attestation: str) -> None:
    """A second label of the notebook binding a CNCA-CFP-00:2025 certificate; one for
    another value is refused before anything is issued."""
    from datetime import datetime

    from sdk import (
        CHINA_STANDARD_TIME,
        CertificateParty,
        CertificationBasis,
        FootprintCertificate,
        default_valid_until,
    )

    issued = datetime.now(CHINA_STANDARD_TIME).date()
    oem = CertificateParty(ORG_BY_KEY["oem"].name, None, _org("oem"))
    certificate = FootprintCertificate(
        number="CFP-CLI-0001", applicant=oem, producer=oem,
        product_name="14-inch notebook computer", models=("ZB-14",),
        basis=CertificationBasis("illustrative PCR for notebook computers"),
        mode="product carbon footprint verification", conclusion="conforms",
        pcf_value=Decimal("241.997"), pcf_unit="kgCO2e/piece", boundary="partial",
        issued=issued, valid_until=default_valid_until(issued),
        certifier=CertificateParty(ORG_BY_KEY["certifier"].name, None, _org("certifier")),
        attestation_id=attestation,
    )  # fmt: skip
    path = tmp_path / "certificate.json"
    path.write_text(json.dumps(certificate.to_dict()), encoding="utf-8")
    certified = cli.json(
        "certify", attestation, "--issue", "--certificate", path, "--wait", 0, org="certifier"
    )
    assert certified["label"]["certificate"] == "CFP-CLI-0001"
    view = cli.json("label", "verify", certified["label"]["labelId"], org="auditor")
    assert view["label"]["certificate"] == "CFP-CLI-0001"
    wrong = {
        **certificate.to_dict(),
        "footprint": {**certificate.to_dict()["footprint"], "value": "1"},
    }
    path.write_text(json.dumps(wrong), encoding="utf-8")
    refused = cli("certify", attestation, "--issue", "--certificate", path, org="certifier",
                  expect=2)  # fmt: skip
    assert "does not match the check" in refused.stderr


def test_the_notebook_chain_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    started = time.monotonic()
    files = write_demo_files(tmp_path / "files")
    up = cli.json("network", "up", "--dir", cli.net, "--insecure-fast-kdf", "--anchor-every", "1")
    assert up["ok"]
    assert up["kind"] == "anvil"

    # Every organisation makes its wallet; the registrar admits them all.
    members = [spec for spec in ORGS if spec.key != "operator"]
    cli.parallel(
        [
            (
                (
                    "init",
                    spec.org_id,
                    "--name",
                    spec.name,
                    "--roles",
                    roles_of(spec),
                    "--join",
                    cli.net,
                    "--insecure-fast-kdf",
                ),
                {"org": spec.key},
            )
            for spec in members
        ]
    )
    admitted = cli.json(
        "org",
        "register",
        *[cli.home(s.key) / "registration.json" for s in members],
        home=cli.net / "registrar",
    )
    assert len(admitted) == len(members) == 12

    # Tier 2 publishes PACT files; the tier-1 assemblers ask for them.
    cli.parallel(
        [
            (("publish", files.pact["glass_substrate"]), {"org": "glass"}),
            (("publish", files.pact["cell"]), {"org": "cells"}),
            (("request", _org("glass"), _product("glass_substrate")), {"org": "panel"}),
            (("request", "--bom", files.bom["battery_pack"]), {"org": "pack"}),
        ]
    )
    cli.parallel(
        [
            (("requests", "fulfil", "--all"), {"org": "glass"}),
            (("requests", "fulfil", "--all"), {"org": "cells"}),
        ]
    )
    cli.parallel([(("collect",), {"org": "panel"}), (("collect",), {"org": "pack"})])
    rolled = {
        key: cli.json("rollup", files.bom[product], "--publish", org=key)
        for key, product in (("panel", "display_panel"), ("pack", "battery_pack"))
    }
    assert Decimal(rolled["panel"]["pcf"]) == Decimal(75)
    assert Decimal(rolled["pack"]["pcf"]) == Decimal(7)

    # The other tier-1 suppliers publish; the OEM asks each of its six suppliers.
    plain = {"board": "mainboard", "ssd": "ssd", "chassis": "chassis", "adapter": "adapter"}
    cli.parallel([(("publish", files.pact[p]), {"org": k}) for k, p in plain.items()])
    bom = {**plain, "panel": "display_panel", "pack": "battery_pack"}
    sent = cli.json("request", "--bom", files.bom["notebook"], "--message", "2026 BOM", org="oem")
    assert {r["supplier"] for r in sent} == {_org(k) for k in bom}

    # The node restarts; the suppliers fulfil from new processes.
    cli("network", "down", "--node-only", "--dir", cli.net)
    assert cli("network", "status", "--dir", cli.net, expect=1)
    cli("network", "up", "--dir", cli.net)
    cli.parallel([(("requests", "fulfil", "--all"), {"org": k}) for k in bom])

    # The OEM rotates its keys: the grants sealed to the old one still open.
    rotated = cli.json("keys", "rotate", org="oem")
    assert sorted(k["state"] for k in rotated if k["kind"] == "x25519") == ["current", "rotated"]

    # The OEM collects and rolls up: the demo's hand-calculated figure.
    collected = cli.json("collect", org="oem")
    assert {c["productId"] for c in collected} == {_product(p) for p in bom.values()}
    notebook = cli.json(
        "rollup", files.bom["notebook"], "--publish", "--grant", _org("certifier"), org="oem"
    )
    assert notebook["pcf"] == "241.997"
    attestation = notebook["published"]["attestationId"]

    # The certifier checks and issues the label; the auditor verifies it.
    certified = cli.json("certify", attestation, "--issue", "--grade", "B", org="certifier")
    assert certified["recomputed"] == certified["claimed"] == "241.997"
    label = certified["label"]["labelId"]
    assert Path(certified["label"]["qr"]).exists()
    evidence = tmp_path / "evidence.json"
    report = cli.json("label", "verify", label, "--save-evidence", evidence, org="auditor")
    assert report["verdict"] == "valid"
    bundle = json.loads(evidence.read_text(encoding="utf-8"))
    # version 2: the labelled statement commits to its value, its roll-up proof is public
    assert (bundle["type"], bundle["version"]) == ("tanji.label-evidence", 2)
    rollup = report["checks"][8]
    assert (rollup["step"], rollup["status"]) == ("rollup.commitments", "passed"), rollup
    assert cli.json("log", "status", org="auditor")["ok"]
    qr = tmp_path / "label.svg"
    art = tmp_path / "printable.svg"
    cli("label", "qr", label, "--out", qr, "--label", art, org="certifier")
    assert qr.read_text().startswith("<?xml")
    printable = art.read_text()
    assert printable.startswith("<?xml")
    assert "241.997" in printable  # the value, in the title read by screen readers
    assert label in printable  # the label number, in the description

    # A supplier's receipt and a disclosure of its value verify against the chain alone.
    (board,) = cli.json("published", org="board")
    receipt, disclosure = tmp_path / "receipt.json", tmp_path / "disclosure.json"
    cli("receipt", board["attestationId"], "--out", receipt, org="auditor")
    cli(
        "disclose",
        board["attestationId"],
        "/pcf/pcfExcludingBiogenicUptake",
        "--out",
        disclosure,
        org="board",
    )
    assert cli.json("verify", receipt, org="auditor")["ok"]
    checked = cli.json("verify", disclosure, org="auditor")
    assert checked["values"] == {"/pcf/pcfExcludingBiogenicUptake": "55.000"}
    forged = json.loads(disclosure.read_text())
    forged["claims"][0]["value"] = "5.00"
    disclosure.write_text(json.dumps(forged))
    cli("verify", disclosure, org="auditor", expect=1)
    # Suspended, the label verifies as suspended (exit 1); restored, it is valid again.
    cli("label", "suspend", label, "--reason", "surveillance audit pending", org="certifier")
    suspended = json.loads(cli("label", "verify", label, "--json", org="auditor", expect=1).stdout)
    assert suspended["verdict"] == "invalid (label)"
    assert "suspended at" in suspended["checks"][0]["reason"]
    assert suspended["label"]["suspensions"][0]["reason"] == "surveillance audit pending"
    cli("label", "restore", label, "--reason", "audit closed", org="certifier")
    assert cli.json("label", "verify", label, org="auditor")["verdict"] == "valid"
    _meter_through_the_cli(cli, tmp_path)
    _certified_label(cli, tmp_path, attestation)
    _pact_gateway(cli, tmp_path, board)
    cli("label", "revoke", label, "--reason", "test of revocation", org="certifier")
    cli("label", "verify", label, org="auditor", expect=1)

    # Without the chain nothing can be checked.
    cli("network", "down", "--dir", cli.net)
    cli("label", "verify", label, org="auditor", expect=2)
    # The evidence saved while it was valid still verifies offline (docs/evidence.md);
    # an edited bundle fails where the online audit would; another label's, or a file
    # that is not a bundle, cannot be checked.
    assert cli.json("label", "verify", label, "--evidence", evidence)["verdict"] == "valid"
    for claim in bundle["disclosure"]["disclosure"]["claims"]:
        if claim["pointer"] == "/pcf/pcfExcludingBiogenicUptake":
            claim["value"] = "180.000"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(bundle), encoding="utf-8")
    assert "invalid (disclosure)" in cli("label", "verify", "--evidence", edited, expect=1).stdout
    other = cli("label", "verify", "0x" + "00" * 32, "--evidence", evidence, expect=2)
    assert "is the evidence of label" in other.stderr
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"type": "tanji.label-evidence", "version": 9}')
    assert "tanji.label-evidence" in cli("label", "verify", "--evidence", garbage, expect=2).stderr
    # Started again, anvil reloads its state: the label is still there, still revoked.
    cli("network", "up", "--dir", cli.net)
    revoked = json.loads(cli("label", "verify", label, "--json", org="auditor", expect=1).stdout)
    assert revoked["verdict"] == "invalid (label)"
    cli("network", "down", "--dir", cli.net)
    elapsed = time.monotonic() - started
    slowest = ", ".join(f"{c} {t:.1f} s" for t, c in sorted(cli.timings, reverse=True)[:6])
    print(f"\nCLI flow: {cli.runs} processes in {elapsed:.1f} s; slowest: {slowest}")


def _pact_gateway(cli: Cli, tmp_path: Path, board: dict[str, Any]) -> None:
    """The board maker's PACT gateway started as the README says; the OEM pulls from it
    (stored not attested) and an auditor verifies a served footprint's Tanji extension
    against the chain with `tanji verify`."""
    import socket
    import ssl

    import httpx

    from gateway.pact import PactClient

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"https://127.0.0.1:{port}"
    cli("gateway", "cert", "127.0.0.1", org="board")
    client = cli.json("gateway", "clients", "add", _org("oem"), org="board")
    ca = cli.home("board") / "gateway" / "cert.pem"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tanji", "--home", str(cli.home("board")), "gateway", "serve",
         "--base-url", base, "--port", str(port)],
        env=cli.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        ctx = ssl.create_default_context(cafile=str(ca))
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/.well-known/openid-configuration", verify=ctx, timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, "the gateway exited"
                assert time.monotonic() < deadline, "the gateway did not start"
                time.sleep(0.2)
        secret = tmp_path / "oem-pact.secret"
        secret.write_text(client["clientSecret"] + "\n")
        pulled = cli.json("pact", "pull", base, "--client-id", client["clientId"],
                          "--secret-file", secret, "--ca-file", ca, org="oem")  # fmt: skip
        assert pulled["refused"] == []
        assert board["productId"] in {p["productId"] for p in pulled["stored"]}
        assert all(p["attested"] is False for p in pulled["stored"])
        with PactClient(base, client["clientId"], client["clientSecret"], verify=ctx) as pact:
            doc = next(d for d in pact.footprints() if d["productIds"][0] == board["productId"])
        served = tmp_path / "board-pact.json"
        served.write_text(json.dumps(doc))
        checked = cli.json("verify", served, org="auditor")
        assert checked["ok"]
        assert checked["steps"][-1] == {
            "step": "footprint.match",
            "status": "passed",
            "reason": None,
        }
        doc["pcf"]["pcfExcludingBiogenicUptake"] = "5.000"
        served.write_text(json.dumps(doc))
        cli("verify", served, org="auditor", expect=1)
    finally:
        proc.terminate()
        proc.wait(30)
