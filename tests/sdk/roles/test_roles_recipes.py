"""The role recipes' own refusals: clear typed errors, nothing half-done."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from demo_chain._data import ORG_BY_KEY, PRODUCT_BY_KEY
from demo_chain._scenario import Stage, build_inventory
from sdk import create_attestation, uscc_check_char
from sdk.errors import FootprintError, InvalidOrgId, NodeClientError, RoleError, VerificationError
from sdk.footprint import roll_up
from sdk.roles import Leader
from tests.sdk.roles._forge import with_subject


def test_rejected_request_is_reported_with_its_reason(stage: Stage) -> None:
    panel = stage.cast.leader("panel")
    ssd = stage.cast.suppliers["ssd"]
    req = panel.request(ORG_BY_KEY["ssd"].org_id, [PRODUCT_BY_KEY["ssd"].product_id])
    assert any(r["id"] == req["id"] for r in ssd.open_requests())
    ssd.reject(req["id"], "we do not sell SSDs to panel makers")
    with pytest.raises(RoleError, match=r"rejected.*do not sell SSDs"):
        panel.collect([req])
    ssd_attestation = stage.published["ssd"].attestation_id
    with pytest.raises(RoleError, match="already rejected"):
        ssd.fulfil(req["id"], ssd_attestation)
    # Nothing half-done: the panel maker got no grant out of the refused fulfilment.
    with pytest.raises(NodeClientError) as denied:
        panel.node.envelope(ssd_attestation)
    assert denied.value.status in (403, 404)


def test_open_request_cannot_be_collected(stage: Stage) -> None:
    oem = stage.cast.leader("oem")
    req = oem.request(ORG_BY_KEY["chassis"].org_id, [PRODUCT_BY_KEY["chassis"].product_id])
    with pytest.raises(RoleError, match="is open"):
        oem.collect([req["id"]])


def test_a_supplier_only_fulfils_with_its_own_attestations(stage: Stage) -> None:
    oem = stage.cast.leader("oem")
    chassis = stage.cast.suppliers["chassis"]
    req = oem.request(ORG_BY_KEY["chassis"].org_id, [PRODUCT_BY_KEY["chassis"].product_id])
    with pytest.raises(RoleError, match="not published by this supplier"):
        chassis.fulfil(req, stage.published["ssd"].attestation_id)
    assert chassis.node.get_request(req["id"])["status"] == "open"


def test_publishing_to_an_unknown_recipient_is_refused_before_sending(stage: Stage) -> None:
    board = stage.cast.suppliers["board"]
    spec = PRODUCT_BY_KEY["mainboard"]
    inventory = build_inventory(spec, ORG_BY_KEY["board"], [], stage.world.clock())
    size = stage.world.public_node().health()["logSize"]
    stranger = "91110000MA00TAN01" + uscc_check_char("91110000MA00TAN01")
    with pytest.raises(RoleError, match=r"not a registered organisation|no unrevoked"):
        board.publish(roll_up(inventory).footprint, inventory, [stranger])
    with pytest.raises(InvalidOrgId):
        board.publish(roll_up(inventory).footprint, inventory, ["91110000MA00TAN010"])
    assert stage.world.public_node().health()["logSize"] == size


def test_a_footprint_for_urn_pact_null_is_refused_before_sending(stage: Stage) -> None:
    board = stage.cast.suppliers["board"]
    spec = PRODUCT_BY_KEY["mainboard"]
    inventory = build_inventory(spec, ORG_BY_KEY["board"], [], stage.world.clock())
    footprint = dataclasses.replace(roll_up(inventory).footprint, product_ids=("urn:pact:null",))
    size = stage.world.public_node().health()["logSize"]
    with pytest.raises(FootprintError, match="urn:pact:null names no product"):
        board.publish(footprint, inventory, [])
    assert stage.world.public_node().health()["logSize"] == size


def test_naive_publication_time_is_refused(stage: Stage) -> None:
    board = stage.cast.suppliers["board"]
    spec = PRODUCT_BY_KEY["mainboard"]
    inventory = build_inventory(spec, ORG_BY_KEY["board"], [], stage.world.clock())
    with pytest.raises(ValueError, match=r"naive|aware"):
        board.publish_at(roll_up(inventory).footprint, inventory, now=datetime(2026, 1, 1))


def test_leader_refuses_to_roll_up_a_value_it_was_not_given(stage: Stage) -> None:
    oem = stage.cast.leader("oem")
    supplied = list(stage.supplied.values())
    bom = [
        Leader.bom_line(s, line_id=f"bom-{i}", quantity=s.declared_amount)
        for i, s in enumerate(supplied)
    ]
    bom[0] = dataclasses.replace(bom[0], supplier_pcf=bom[0].supplier_pcf - 1)
    spec = PRODUCT_BY_KEY["notebook"]
    inventory = build_inventory(spec, ORG_BY_KEY["oem"], bom, stage.world.clock())
    with pytest.raises(RoleError, match="the supplier attested"):
        oem.roll_up(inventory, supplied)
    with pytest.raises(RoleError, match="was not collected"):
        oem.roll_up(
            build_inventory(spec, ORG_BY_KEY["oem"], bom[1:], stage.world.clock()), supplied[2:]
        )


def test_grantee_sees_the_supplier_footprint_but_not_its_upstream(stage: Stage) -> None:
    panel = stage.supplied["display_panel"]
    # The OEM was granted the panel maker's footprint and inventory ...
    assert panel.footprint["pcf"]["pcfExcludingBiogenicUptake"] == "75.000"
    inventory = panel.opened.content.inventory
    assert isinstance(inventory, dict)
    # ... which names the glass attestation and value, but the OEM holds no grant for it.
    glass_id = stage.published["glass_substrate"].attestation_id
    with pytest.raises(NodeClientError) as info:
        stage.world.orgs["oem"].node.envelope(glass_id)
    assert info.value.status in (403, 404)


def test_leader_refuses_an_attestation_whose_subject_is_not_its_footprint_product(
    stage: Stage,
) -> None:
    # Built below the role API: the footprint names the requested product, the signed
    # statement's subject commits to another one. The leader refuses it when collecting
    # (open_attestation checks the subject; the certifier would refuse it the same way).
    oem = stage.cast.leader("oem")
    chassis = stage.cast.suppliers["chassis"]
    spec = PRODUCT_BY_KEY["chassis"]
    inventory = build_inventory(spec, ORG_BY_KEY["chassis"], [], stage.world.clock())
    honest = create_attestation(
        chassis.keys,
        footprint=roll_up(inventory).footprint.to_dict(),
        inventory=inventory.to_dict(),
        now=stage.world.clock(),
    )
    attestation = with_subject(honest, chassis.keys, spec.product_id + "-other")
    grant = attestation.grant(oem.org_id, chassis.encryption_key_of(oem.org_id))
    chassis.node.publish(
        attestation.signed_statement.to_dict(), attestation.envelope.to_dict(), [grant.to_dict()]
    )
    req = oem.request(ORG_BY_KEY["chassis"].org_id, [spec.product_id])
    chassis.node.fulfil_request(req["id"], attestation.attestation_id)
    with pytest.raises(VerificationError) as info:
        oem.collect([req])
    assert info.value.step == "claims.subject"
