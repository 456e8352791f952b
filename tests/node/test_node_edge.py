"""The HTTP edge and the node's start: OpenAPI truth, 405 with Allow, unknown query
parameters, dependency overrides, settings problems all at once, preflight, publish
admission through the sdk's issuer check."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import SigningKey

from node import Problem, Settings, preflight
from node._auth import Caller
from node.cli import main
from node.errors import InvalidSettings
from node.routes import current_caller
from tests.node.conftest import LOG_ID, Clock, NodeHarness, World, build, make_harness


def _spec(harness: NodeHarness) -> dict[str, Any]:
    spec: dict[str, Any] = harness.http().get("/openapi.json").json()
    return spec


def test_openapi_declares_bearer_and_every_status_with_the_error_schema(
    harness: NodeHarness,
) -> None:
    spec = _spec(harness)
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from POST /v1/auth/token: `Authorization: Bearer <token>`.",
    }
    operations = 0
    for path, item in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, op in item.items():
            operations += 1
            responses = op["responses"]
            assert "400" in responses, f"{method} {path}"
            for status, response in responses.items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if int(status) >= 400:
                    assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (
                        f"{method} {path} {status}"
                    )
                elif int(status) != 204:
                    assert schema, f"{method} {path} {status} has no schema"
            if op.get("security"):
                assert op["security"] == [{"bearer": []}]
                assert "401" in responses, f"{method} {path}"
    assert operations >= 30
    publish = spec["paths"]["/v1/attestations"]["post"]
    assert set(publish["responses"]) >= {"200", "201", "400", "401", "403", "413", "422", "503"}
    assert publish["security"] == [{"bearer": []}]
    assert "Retry-After" in publish["responses"]["503"]["headers"]


def test_405_names_the_allowed_methods(harness: NodeHarness) -> None:
    http = harness.http()
    r = http.delete("/v1/log")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET"
    assert r.json()["code"] == "method_not_allowed"
    r = http.post("/v1/webhook")
    assert r.status_code == 405
    assert r.headers["Allow"] == "DELETE, GET, PUT"


def test_unknown_query_parameter_is_a_400_naming_it(harness: NodeHarness) -> None:
    http = harness.http()
    r = http.get("/v1/log/checkpoints", params={"limt": "5"})
    assert r.status_code == 400
    assert r.json()["code"] == "unknown_parameter"
    assert "limt" in r.json()["message"]
    assert "limit" in r.json()["message"]
    assert http.get("/v1/log/checkpoints", params={"limit": "5"}).status_code == 200


def test_the_caller_comes_through_depends(harness: NodeHarness, world: World) -> None:
    org = world.org("leader").org_id
    harness.app.dependency_overrides[current_caller] = lambda: Caller(org=org, key_id="k")
    try:
        r = harness.http().get("/v1/requests")  # no token: the override answers
        assert r.status_code == 200
        assert r.json() == {"requests": []}
    finally:
        harness.app.dependency_overrides.clear()
    assert harness.http().get("/v1/requests").status_code == 401


def test_publish_refuses_a_statement_from_the_future(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    supplier = harness.client("supplier")
    later = build(world, "supplier", created=clock() + timedelta(hours=2), tag="future")
    r = harness.http().post(
        "/v1/attestations",
        json=later.body,
        headers={"Authorization": f"Bearer {supplier.token()}"},
    )
    assert r.status_code == 422
    assert r.json()["code"] == "future_statement"
    assert "statement.time" in r.json()["message"] or "after" in r.json()["message"]
    assert harness.node.log.size() == 0


def test_settings_report_every_problem_at_once() -> None:
    with pytest.raises(InvalidSettings) as caught:
        Settings.from_mapping(
            {
                "log_id": "Bad Id",
                "max_batch": "many",
                "db_statement_timeout_seconds": 0,
                "retry_after_seconds": -1,
                "max_bach": 3,
            }
        )
    text = "\n".join(caught.value.problems)
    for name in ("log_id", "max_batch", "db_statement_timeout_seconds", "retry_after_seconds"):
        assert name in text
    assert "unknown setting 'max_bach'" in text
    assert len(caught.value.problems) == 5


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not a url", "is not a database URL"),
        ("mysql+nodriver://x/y", "database_url"),
        (f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nothing", "cannot reach"),
    ],
)
def test_a_bad_database_url_is_a_clear_message(
    url: str, fragment: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TANJI_DATABASE_URL", url)
    monkeypatch.setenv("TANJI_DB_CONNECT_TIMEOUT_SECONDS", "2")
    assert main(["node", "migrate"]) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert "Traceback" not in err


def test_preflight_finds_every_problem(world: World, clock: Clock, tmp_path: Path) -> None:
    h = make_harness(world, clock, f"sqlite:///{tmp_path / 'node.db'}")
    node = h.node
    try:
        args: dict[str, Any] = {
            "engine": node.engine,
            "chain": world.chain,
            "deployment": world.deployment,
            "at": clock(),
        }
        assert preflight(node.settings, log_key=node.log_key, **args) == []
        stranger = SigningKey(b"\x07" * 32)
        problems = preflight(node.settings, log_key=stranger, **args)
        assert [p.check for p in problems] == ["checkpoint key"]
        assert "not a valid signing key" in problems[0].message
        unknown_log = node.settings.replace(log_id="nowhere")
        problems = preflight(unknown_log, log_key=node.log_key, **args)
        assert [p.check for p in problems] == ["log"]
        assert "'nowhere' is not registered" in str(problems[0])
        wrong_operator = node.settings.replace(operator_key_hex="22" * 32)
        problems = preflight(wrong_operator, log_key=node.log_key, **args)
        assert [p.check for p in problems] == ["operator"]
        from node import make_engine

        dead = make_engine(
            f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/x", connect_timeout=2
        )
        problems = preflight(node.settings, log_key=node.log_key, **{**args, "engine": dead})
        assert problems[0] == Problem(problems[0].check, problems[0].message)
        assert [p.check for p in problems] == ["database"]
        dead.dispose()
        assert node.settings.log_id == LOG_ID
    finally:
        h.transport.shutdown()  # type: ignore[union-attr]
        node.engine.dispose()
