"""The ``tanji`` command: migrate, config, and a clean error for bad settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from node.cli import main


def test_migrate_and_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TANJI_DATABASE_URL", url)
    monkeypatch.setenv("TANJI_LOG_KEY_HEX", "11" * 32)
    assert main(["node", "migrate"]) == 0
    engine = create_engine(url)
    assert "attestations" in inspect(engine).get_table_names()
    engine.dispose()
    capsys.readouterr()
    assert main(["node", "config"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["database_url"] == url
    assert shown["log_key_hex"] == "***"


def test_bad_settings_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TANJI_MAX_BATCH", "lots")
    assert main(["node", "config"]) == 2
    assert "max_batch" in capsys.readouterr().err


def test_serve_refuses_incomplete_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TANJI_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    monkeypatch.setenv("TANJI_CHAIN_URL", "embedded")
    assert main(["node", "serve"]) == 2
    assert "embedded" in capsys.readouterr().err
