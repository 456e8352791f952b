"""The `tanji gateway` commands: clients (secret shown once, hashed at rest), the
self-signed certificate, and `serve` refusing what would not be HTTPS."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from typer.testing import CliRunner

from gateway.pact import GatewayState, secret_matches
from tanji.cli import app
from tests.gateway.pact.conftest import BUYER


def test_clients_and_certificate(tmp_path: Path) -> None:
    runner = CliRunner()
    home = ["--home", str(tmp_path)]
    added = runner.invoke(app, [*home, "gateway", "clients", "add", BUYER, "--name", "zb",
                                "--json"])  # fmt: skip
    assert added.exit_code == 0, added.output
    doc = json.loads(added.output)
    state = GatewayState(tmp_path / "gateway" / "gateway.db")
    (client,) = state.clients()
    assert (client.client_id, client.org_id) == (doc["clientId"], BUYER)
    assert secret_matches(client.secret_hash, doc["clientSecret"])
    assert doc["clientSecret"].encode() not in (tmp_path / "gateway" / "gateway.db").read_bytes()
    assert stat.S_IMODE((tmp_path / "gateway" / "gateway.db").stat().st_mode) == 0o600
    listed = json.loads(runner.invoke(app, [*home, "gateway", "clients", "list", "--json"]).output)
    assert [c["clientId"] for c in listed] == [doc["clientId"]]
    assert "clientSecret" not in json.dumps(listed)
    bad = runner.invoke(app, [*home, "gateway", "clients", "add", "not-an-org"])
    assert bad.exit_code != 0
    assert (
        runner.invoke(app, [*home, "gateway", "clients", "remove", doc["clientId"]]).exit_code == 0
    )
    gone = runner.invoke(app, [*home, "gateway", "clients", "remove", doc["clientId"]])
    assert gone.exit_code == 1
    assert "no client" in gone.output
    assert "internal error" not in gone.output
    secret = tmp_path / "partner.secret"
    secret.write_text("s3cret\n")
    partner = [*home, "gateway", "partners"]
    added = runner.invoke(app, [*partner, "add", BUYER, "https://pact.zhiben.example",
                                "--client-id", "glass", "--secret-file", str(secret)])  # fmt: skip
    assert added.exit_code == 0, added.output
    assert state.partner(BUYER) is not None
    plain = runner.invoke(app, [*partner, "add", BUYER, "http://pact.zhiben.example",
                                "--client-id", "glass", "--secret-file", str(secret)])  # fmt: skip
    assert plain.exit_code == 2
    assert "https only" in plain.output
    listed = runner.invoke(app, [*partner, "list", "--json"])
    assert "s3cret" not in listed.output
    assert runner.invoke(app, [*partner, "remove", BUYER]).exit_code == 0
    assert runner.invoke(app, [*partner, "remove", BUYER]).exit_code == 1
    events = runner.invoke(app, [*home, "gateway", "events", "--json"])
    assert (events.exit_code, json.loads(events.output)) == (0, [])
    cert = runner.invoke(app, [*home, "gateway", "cert", "pact.example.com", "--json"])
    assert cert.exit_code == 0, cert.output
    assert stat.S_IMODE((tmp_path / "gateway" / "key.pem").stat().st_mode) == 0o600


def test_serve_refuses_plain_http_and_missing_certificates(tmp_path: Path) -> None:
    runner = CliRunner()
    home = ["--home", str(tmp_path)]
    done = runner.invoke(app, [*home, "gateway", "serve", "--base-url", "http://pact.example.com"])
    assert done.exit_code == 2
    assert "https only" in done.output
    assert "internal error" not in done.output
    done = runner.invoke(app, [*home, "gateway", "serve", "--base-url", "https://pact.example.com"])
    assert done.exit_code == 2
    assert "tanji gateway cert" in done.output
