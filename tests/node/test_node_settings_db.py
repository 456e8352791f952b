"""Settings from environment and file; Alembic migrations from an empty database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select

from anchors import LOG_METADATA
from node import NODE_METADATA, Settings, make_engine, upgrade_database
from node._tables import auth_nonces
from node.errors import InvalidInput

EXPECTED_TABLES = {
    "alembic_version",
    "anchors_log_heads",
    "anchors_log_tiles",
    "attestations",
    "grants",
    "footprint_requests",
    "webhooks",
    "webhook_deliveries",
    "checkpoints",
    "auth_nonces",
    "auth_tokens",
}


def test_settings_from_env_and_file(tmp_path: Path) -> None:
    config = tmp_path / "node.toml"
    config.write_text(
        '[node]\nlog_id = "hub-east"\nmax_batch = 10\nanchor_every_seconds = 2.5\n',
        encoding="utf-8",
    )
    settings = Settings.from_env(
        {
            "TANJI_CONFIG": str(config),
            "TANJI_MAX_BATCH": "20",
            "TANJI_WEBHOOKS_ENABLED": "false",
            "UNRELATED": "x",
        }
    )
    assert settings.log_id == "hub-east"
    assert settings.max_batch == 20  # the environment overrides the file
    assert settings.anchor_every_seconds == 2.5
    assert settings.webhooks_enabled is False


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"TANJI_LOG_ID": "Bad Id"}, "log_id"),
        ({"TANJI_MAX_BATCH": "many"}, "max_batch"),
        ({"TANJI_MAX_BATCH": "0"}, "max_batch"),
        ({"TANJI_PUBLIC_URL": "ftp://x"}, "public_url"),
        ({"TANJI_LOG_KEY_HEX": "abcd"}, "log_key_hex"),
        ({"TANJI_ANCHORING_ENABLED": "maybe"}, "anchoring_enabled"),
    ],
)
def test_settings_refuse_bad_values(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        Settings.from_env(env)


def test_settings_refuse_unknown_keys_in_file(tmp_path: Path) -> None:
    config = tmp_path / "node.toml"
    config.write_text("[node]\nmax_bach = 3\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="max_bach"):
        Settings.from_env({}, file=config)


def _check_schema(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade_database(engine)
        assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
        upgrade_database(engine)  # idempotent at head
        with engine.connect() as conn:
            # alembic compares a list of MetaData (as autogenerate's target_metadata) though
            # its annotation names one
            diff = compare_metadata(
                MigrationContext.configure(conn),
                [NODE_METADATA, LOG_METADATA],  # type: ignore[arg-type]
            )
        assert diff == [], f"migrations and table definitions differ: {diff}"
    finally:
        engine.dispose()


def test_migrations_create_every_table_on_empty_sqlite(tmp_path: Path) -> None:
    _check_schema(f"sqlite:///{tmp_path / 'fresh.db'}")


@pytest.mark.postgres
def test_migrations_create_every_table_on_empty_postgres(postgres_schema: str) -> None:
    _check_schema(postgres_schema)


def test_times_are_stored_as_aware_utc_and_naive_times_are_refused(tmp_path: Path) -> None:
    from datetime import UTC, timedelta, timezone

    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    upgrade_database(engine)
    beijing = timezone(timedelta(hours=8))
    when = datetime(2026, 3, 1, 8, 0, tzinfo=beijing)
    with engine.begin() as conn:
        conn.execute(insert(auth_nonces).values(org="o", nonce="n" * 16, expires_at=when))
    with engine.connect() as conn:
        got = conn.execute(select(auth_nonces.c.expires_at)).scalar_one()
    assert got == when
    assert got.tzinfo == UTC
    with pytest.raises(Exception, match="naive"), engine.begin() as conn:
        conn.execute(
            insert(auth_nonces).values(org="o", nonce="m" * 16, expires_at=datetime(2026, 1, 1))
        )
    engine.dispose()
