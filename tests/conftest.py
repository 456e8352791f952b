"""Shared fixtures: real services where the machine has them.

Tests that need PostgreSQL or anvil skip with a reason on a laptop without them; with
``TANJI_REQUIRE_SERVICES=1`` (set by ``.ci/run``) a missing service is a failure instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def services_required() -> bool:
    return os.environ.get("TANJI_REQUIRE_SERVICES", "") == "1"


def missing_service(reason: str) -> None:
    """Skip (developer laptop) or fail (CI) because a service the test needs is absent."""
    if services_required():
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def anvil_binary() -> str | None:
    local = ROOT / "node_modules" / ".bin" / "anvil"
    if local.exists():
        return str(local)
    return shutil.which("anvil")


def require_anvil() -> str:
    """The anvil binary's path; skips (laptop) or fails (CI) the test when it is missing."""
    binary = anvil_binary()
    if binary is None:
        missing_service("anvil binary not found (npm ci installs node_modules/.bin/anvil)")
    assert binary is not None
    return binary


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of the PostgreSQL test server (``TANJI_TEST_POSTGRES_URL``)."""
    url = os.environ.get("TANJI_TEST_POSTGRES_URL")
    if not url:
        missing_service("TANJI_TEST_POSTGRES_URL is not set")
    assert url is not None
    try:
        import sqlalchemy

        engine = sqlalchemy.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text("select 1"))
        engine.dispose()
    except Exception as exc:
        missing_service(f"PostgreSQL at {url} is unreachable: {exc}")
    return url


@pytest.fixture
def postgres_schema(postgres_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for one test; yields a URL whose search_path is it."""
    import sqlalchemy

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f'create schema "{schema}"'))
    sep = "&" if "?" in postgres_url else "?"
    yield f"{postgres_url}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f'drop schema "{schema}" cascade'))
    engine.dispose()


@pytest.fixture
def private_postgres() -> Iterator[Any]:
    """A PostgreSQL server of the test's own (tests/_postgres.py), to stop and freeze."""
    from tests._postgres import PrivatePostgres, postgres_bin

    bin_dir = postgres_bin()
    if bin_dir is None:
        missing_service("PostgreSQL server binaries (initdb, pg_ctl) not found")
    assert bin_dir is not None
    server = PrivatePostgres(bin_dir)
    try:
        yield server
    finally:
        server.close()
