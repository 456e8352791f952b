"""The ``tanji`` command without a network: help names the roles, --version, exit codes,
errors that name the file and JSON Pointer, the wallet's commands, and what start-up
imports."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from demo_chain._files import pact_document
from sdk import uscc_check_char
from tanji.cli import app

ORG = "91340100MA2XGL001" + uscc_check_char("91340100MA2XGL001")
PASS = "cli unit test"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _env(home: Path, **extra: str) -> dict[str, str]:
    return {"TANJI_HOME": str(home), "TANJI_PASSPHRASE": PASS, **extra}


def _init(runner: CliRunner, home: Path) -> None:
    done = runner.invoke(
        app, ["init", ORG, "--name", "Lumen", "--insecure-fast-kdf", "--json"], env=_env(home)
    )
    assert done.exit_code == 0, done.output


def test_help_names_the_role_of_every_command(runner: CliRunner) -> None:
    done = runner.invoke(app, ["--help"])
    assert done.exit_code == 0
    for panel in ("Supplier", "Leader", "Certifier", "Registrar", "Everyone", "Network"):
        assert panel in done.output
    for command in ("publish", "request", "certify", "verify", "network", "init", "node"):
        sub = runner.invoke(app, [command, "--help"] if command != "node" else ["--help"])
        assert sub.exit_code == 0
    assert "(supplier)" in runner.invoke(app, ["publish", "--help"]).output
    assert "(leader)" in runner.invoke(app, ["rollup", "--help"]).output
    assert "(certifier)" in runner.invoke(app, ["certify", "--help"]).output
    assert "(everyone)" in runner.invoke(app, ["label", "verify", "--help"]).output
    assert "(registrar)" in runner.invoke(app, ["org", "register", "--help"]).output


def test_version_and_usage_errors(runner: CliRunner) -> None:
    done = runner.invoke(app, ["--version"])
    assert done.exit_code == 0
    assert done.output.startswith("tanji ")
    assert runner.invoke(app, ["publish"]).exit_code == 2
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2


def test_init_needs_a_passphrase(runner: CliRunner, tmp_path: Path) -> None:
    done = runner.invoke(app, ["init", ORG], env={"TANJI_HOME": str(tmp_path)})
    assert done.exit_code == 2
    assert "TANJI_PASSPHRASE" in done.output
    bad = runner.invoke(app, ["init", "not-an-id"], env=_env(tmp_path))
    assert bad.exit_code == 2
    assert "organisation id" in bad.output


def test_init_writes_a_wallet_and_a_registration_request(runner: CliRunner, tmp_path: Path) -> None:
    _init(runner, tmp_path)
    request = json.loads((tmp_path / "registration.json").read_text())
    assert request["orgId"] == ORG
    assert request["roles"] == ["supplier"]
    keys = runner.invoke(app, ["keys", "list", "--json"], env=_env(tmp_path))
    assert keys.exit_code == 0
    listed = json.loads(keys.output)
    assert {k["kind"] for k in listed} == {"ed25519", "x25519", "evm"}
    assert request["signingKeyId"] in {k["keyId"] for k in listed}
    again = runner.invoke(app, ["init", ORG, "--insecure-fast-kdf"], env=_env(tmp_path))
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_wrong_passphrase_and_tampered_wallet_open_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    _init(runner, tmp_path)
    wrong = runner.invoke(app, ["keys", "list"], env=_env(tmp_path, TANJI_PASSPHRASE="nope"))
    assert wrong.exit_code == 1
    assert "wrong passphrase" in wrong.output
    con = sqlite3.connect(tmp_path / "wallet.db")
    con.execute("update wallet_keys set state='rotated' where kind='evm'")
    con.commit()
    con.close()
    tampered = runner.invoke(app, ["keys", "list"], env=_env(tmp_path))
    assert tampered.exit_code == 1
    assert "changed outside Tanji" in tampered.output
    assert "wallet_keys" in tampered.output


def test_backup_and_restore(runner: CliRunner, tmp_path: Path) -> None:
    home = tmp_path / "org"
    _init(runner, home)
    env = _env(home, TANJI_BACKUP_PASSPHRASE="backup")
    done = runner.invoke(app, ["wallet", "backup", str(tmp_path / "b.bak"), "--json"], env=env)
    assert done.exit_code == 0, done.output
    restored = tmp_path / "restored"
    env2 = _env(restored, TANJI_BACKUP_PASSPHRASE="backup")
    done = runner.invoke(
        app, ["wallet", "restore", str(tmp_path / "b.bak"), "--insecure-fast-kdf"], env=env2
    )
    assert done.exit_code == 0, done.output
    before = runner.invoke(app, ["keys", "list", "--json"], env=env).output
    after = runner.invoke(app, ["keys", "list", "--json"], env=env2).output
    assert json.loads(before) == json.loads(after)
    wrong = runner.invoke(
        app,
        ["wallet", "restore", str(tmp_path / "b.bak")],
        env=_env(tmp_path / "third", TANJI_BACKUP_PASSPHRASE="other"),
    )
    assert wrong.exit_code == 1
    assert "backup passphrase" in wrong.output


def test_publish_refuses_a_bad_document_naming_the_pointer(
    runner: CliRunner, tmp_path: Path
) -> None:
    doc = pact_document("mainboard")
    doc["pcf"]["declaredUnitOfMeasurement"] = "bushel"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    done = runner.invoke(app, ["publish", str(bad)], env=_env(tmp_path))
    assert done.exit_code == 1
    assert "/pcf/declaredUnitOfMeasurement" in done.output
    (tmp_path / "notjson.json").write_text("{")
    done = runner.invoke(app, ["publish", str(tmp_path / "notjson.json")], env=_env(tmp_path))
    assert done.exit_code == 1
    assert "not JSON" in done.output
    done = runner.invoke(app, ["publish", str(tmp_path / "missing.json")], env=_env(tmp_path))
    assert done.exit_code == 2
    (tmp_path / "other.json").write_text("{}")
    done = runner.invoke(app, ["publish", str(tmp_path / "other.json")], env=_env(tmp_path))
    assert done.exit_code == 1
    assert "neither a PACT footprint" in done.output


def test_commands_needing_a_network_say_how_to_get_one(runner: CliRunner, tmp_path: Path) -> None:
    _init(runner, tmp_path)
    done = runner.invoke(app, ["collect"], env=_env(tmp_path))
    assert done.exit_code == 2
    assert "--network" in done.output
    profile = {
        "format": "tanji.network.v1",
        "nodeUrl": "http://127.0.0.1:9",
        "chainUrl": "http://127.0.0.1:9",
        "deployment": {"format": "tanji.deployment.v1"},
    }
    (tmp_path / "network.json").write_text(json.dumps(profile))
    done = runner.invoke(app, ["label", "verify", "0x" + "ab" * 32], env=_env(tmp_path))
    assert done.exit_code == 2
    assert "cannot be used" in done.output
    done = runner.invoke(app, ["label", "verify", "0x12"], env=_env(tmp_path))
    assert done.exit_code == 2


def test_help_and_version_load_nothing_heavy() -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['tanji', '--help']\n"
        "try:\n    runpy.run_module('tanji', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('web3', 'sqlalchemy', 'sdk', 'node', 'anchors', 'eth_account', 'fastapi')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"
