"""A Tanji leader pulls from a Tanji supplier's gateway over HTTPS and checks the
extension against the chain: the receipt and the disclosure verify (the node's verifier,
run here against the deployment), and the served document says what was attested."""

from __future__ import annotations

import copy
import io
import ssl
from pathlib import Path
from typing import Any

import pytest

from demo_chain._scenario import honest_path
from demo_chain._story import Story
from demo_chain._world import build_world
from gateway.pact import PactClient, add_client, disclosure_mismatches, extension_evidence
from node.cli import verify_report
from sdk.errors import NodeClientError
from sdk.wallet import PublishState, Wallet
from tests.gateway.pact.conftest import serve_gateway


@pytest.mark.integration
def test_leader_pulls_and_verifies_the_extension_against_the_chain(tmp_path: Path) -> None:
    world = build_world(tmp_path / "world")
    try:
        stage = honest_path(world, tmp_path / "world", Story(io.StringIO()))
        node = world.public_node()

        def receipt(attestation_id: str) -> dict[str, Any] | None:
            try:
                return node.receipt(attestation_id)
            except NodeClientError as exc:
                if exc.status == 404:
                    return None
                raise

        supplier = next(
            s
            for s in stage.cast.suppliers.values()
            if s.wallet is not None
            and any(p.grants for p in s.wallet.publications(state=PublishState.LOGGED))
        )
        assert isinstance(supplier.wallet, Wallet)  # the SQL wallet the gateway serves
        published = [p for p in supplier.wallet.publications(state=PublishState.LOGGED) if p.grants]
        leader = published[0].grants[0].recipient
        served = serve_gateway(
            tmp_path / "gw", str(supplier.org_id), wallet=supplier.wallet, receipt=receipt
        )
        try:
            served.gateway.refresh()
            record, secret = add_client(served.state, leader, now=world.clock())
            ctx = ssl.create_default_context(cafile=str(served.ca))
            with PactClient(served.base_url, record.client_id, secret, verify=ctx) as client:
                docs = list(client.footprints())
        finally:
            served.server.should_exit = True
            served.thread.join(15)
        granted = {p.attestation_id for p in published if leader in {g.recipient for g in p.grants}}
        assert docs
        assert len(docs) == len(granted)
        for doc in docs:
            evidence = extension_evidence(doc)
            assert evidence is not None
            assert evidence["attestationId"] in granted
            assert "receipt" in evidence, "anchored attestations carry their receipt"
            report = verify_report(
                evidence["receipt"], evidence["disclosure"], deployment=world.deployment,
                at=world.clock(),
            )  # fmt: skip
            assert report["ok"], report
            assert disclosure_mismatches(doc, report["values"]) == []
            changed = copy.deepcopy(doc)
            changed["pcf"]["pcfExcludingBiogenicUptake"] = "0.001"
            assert disclosure_mismatches(changed, report["values"]) == [
                "/pcf/pcfExcludingBiogenicUptake"
            ]
    finally:
        world.close()
