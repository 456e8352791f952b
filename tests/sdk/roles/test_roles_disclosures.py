"""The node's label-disclosure resource, checked against the LabelRegistry on chain."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest

from demo_chain._scenario import Stage, honest_path
from demo_chain._story import Story
from demo_chain._world import build_world
from sdk.client import NodeClient
from sdk.errors import NodeClientError


def test_label_view_and_disclosure_are_public(stage: Stage) -> None:
    cert = stage.certificate
    public = stage.world.public_node()
    assert public.label_disclosure(cert.label_id) == cert.disclosure.to_dict()
    view = public.label(cert.label_id)
    assert view["value"] == "241.997"
    assert view["unit"] == "kgCO2e/piece"
    assert view["status"] == "active"
    assert view["disclosure"] == cert.disclosure.to_dict()
    assert cert.url == f"{stage.world.node_url}/labels/{cert.label_id}"


def test_republishing_the_same_disclosure_is_idempotent(stage: Stage) -> None:
    cert = stage.certificate
    answer = stage.cast.certifier.node.put_label_disclosure(
        cert.label_id, cert.disclosure.to_dict()
    )
    assert answer["status"] == "existing"


def test_only_the_issuing_certifier_publishes(stage: Stage) -> None:
    cert = stage.certificate
    oem: NodeClient = stage.world.orgs["oem"].node
    with pytest.raises(NodeClientError) as info:
        oem.put_label_disclosure(cert.label_id, cert.disclosure.to_dict())
    assert info.value.status == 403
    anonymous = httpx.put(
        f"{stage.world.node_url}/v1/labels/{cert.label_id}/disclosure",
        json={"disclosure": cert.disclosure.to_dict()},
    )
    assert anonymous.status_code == 401
    assert set(anonymous.json()) == {"code", "message"}


def test_a_disclosure_the_label_does_not_name_is_refused(stage: Stage) -> None:
    cert = stage.certificate
    other = stage.cast.leader("oem").published[cert.disclosure.attestation_id].attestation
    wrong = other.disclose(["/productIds/0"])
    with pytest.raises(NodeClientError) as info:
        stage.cast.certifier.node.put_label_disclosure(cert.label_id, wrong.to_dict())
    assert info.value.status == 422
    assert info.value.code == "digest_mismatch"
    assert stage.world.public_node().label_disclosure(cert.label_id) == cert.disclosure.to_dict()


def test_unknown_label_and_malformed_disclosure(stage: Stage) -> None:
    node = stage.cast.certifier.node
    with pytest.raises(NodeClientError) as unknown:
        node.put_label_disclosure("0x" + "22" * 32, stage.certificate.disclosure.to_dict())
    assert unknown.value.status == 404
    with pytest.raises(NodeClientError) as malformed:
        node.put_label_disclosure(stage.certificate.label_id, {"type": "nope"})
    assert malformed.value.status == 422
    with pytest.raises(NodeClientError) as missing:
        stage.world.public_node().label_disclosure("0x" + "33" * 32)
    assert missing.value.status == 404


@pytest.mark.postgres
def test_honest_path_and_label_disclosure_on_postgres(postgres_schema: str, tmp_path: Path) -> None:
    world = build_world(tmp_path, database_url=postgres_schema)
    try:
        pg = honest_path(world, tmp_path, Story(io.StringIO()))
        assert pg.report.ok, pg.report.to_text()
        cert = pg.certificate
        node = pg.cast.certifier.node
        assert node.put_label_disclosure(cert.label_id, cert.disclosure.to_dict())["status"] == (
            "existing"
        )
        wrong = pg.cast.leader("oem").published[cert.disclosure.attestation_id].attestation
        with pytest.raises(NodeClientError) as info:
            node.put_label_disclosure(cert.label_id, wrong.disclose(["/productIds/0"]).to_dict())
        assert info.value.status == 422
    finally:
        world.close()
