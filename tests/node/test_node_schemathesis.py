"""schemathesis over every operation of the node's OpenAPI, anonymous and authenticated.

Bounded (a few examples per operation, derandomized): every answer must be no 5xx, a
status the operation documents, a body matching its schema, and the headers it
declares. The counts are printed (``-s``) for the record.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis import checks as st_checks
from schemathesis.core.result import Err

from tests.node.conftest import NodeHarness

EXAMPLES = 10
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
    st_checks.response_headers_conformance,
]
NEGATIVE_CHECKS = [*CHECKS, st_checks.negative_data_rejection]
"""Requests that break the schema must be refused with a 4xx."""


def _runner(
    operation: Any,
    mode: str,
    headers: dict[str, str],
    generation: GenerationMode,
    counts: dict[str, int],
    failures: list[str],
) -> Any:
    checks = CHECKS if generation is GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data: Any) -> None:
        case = data.draw(operation.as_strategy(generation_mode=generation))
        response = case.call(headers=headers)
        counts["requests"] += 1
        if response.status_code >= 500:
            counts["server_errors"] += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # counted, then reported together
            counts["violations"] += 1
            failures.append(f"{mode} {generation.value} {operation.label}: {str(exc)[:600]}")

    return run


def test_every_operation_anonymous_and_authenticated(harness: NodeHarness) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", harness.app)
    token = harness.client("supplier").token()
    modes: dict[str, dict[str, str]] = {
        "anonymous": {},
        "authenticated": {"Authorization": f"Bearer {token}"},
    }
    counts = {
        "operations": 0,
        "requests": 0,
        "server_errors": 0,
        "violations": 0,
        "no_negative_case": 0,
    }
    failures: list[str] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # the node's OpenAPI document has an invalid operation
        operation = result.ok()
        if not operation.path.startswith("/v1/"):
            continue  # the HTML pages are another test's
        counts["operations"] += 1
        for mode, headers in modes.items():
            for generation in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _runner(operation, mode, headers, generation, counts, failures)()
                except Unsatisfiable:
                    assert generation is GenerationMode.NEGATIVE  # nothing to break here
                    counts["no_negative_case"] += 1
    print(f"schemathesis: {counts}")
    assert counts["operations"] >= 30
    assert counts["requests"] >= counts["operations"] * 4
    assert counts["server_errors"] == 0, failures[:5]
    assert failures == [], "\n".join(failures[:10])
