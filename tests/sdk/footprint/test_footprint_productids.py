"""Product and company ids in PACT's URN forms: GTINs, industrial-internet ids (工业互联网
标识), urn:pact ids and unified social credit codes."""

from __future__ import annotations

import pytest

from sdk._ids import uscc_check_char
from sdk.errors import FootprintError
from sdk.footprint import (
    IndustrialId,
    PactUrn,
    company_id_urn,
    gtin_check_digit,
    gtin_urn,
    industrial_id_urn,
    pact_urn,
    parse_gtin,
    parse_industrial_id,
    parse_pact_urn,
    product_id_urn,
    uscc_from_company_ids,
)

USCC = "91110108MA01NB009" + uscc_check_char("91110108MA01NB009")

# Published GS1 examples and PACT's own: GTIN-13 4006381333931 (GS1's check-digit
# example), GTIN-12 036000291452, GTIN-8 96385074, GTIN-14 10614141000415.
VALID_GTINS = ["4006381333931", "036000291452", "96385074", "10614141000415", "4712345060507"]


@pytest.mark.parametrize("gtin", VALID_GTINS)
def test_valid_gtins(gtin: str) -> None:
    assert parse_gtin(gtin) == gtin
    assert gtin_check_digit(gtin[:-1]) == gtin[-1]
    assert gtin_urn(gtin) == f"urn:gtin:{gtin}"
    assert product_id_urn(gtin) == f"urn:gtin:{gtin}"
    assert product_id_urn(f"urn:gtin:{gtin}") == f"urn:gtin:{gtin}"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("4006381333932", "check digit expected 1, got 2"),
        ("400638133393", "check digit"),
        ("40063813339311", "check digit"),
        ("4006-381333931", "neither"),
        ("123", "not a GTIN"),
        ("urn:gtin:4006381333932", "check digit"),
    ],
)
def test_bad_gtins(text: str, fragment: str) -> None:
    with pytest.raises(FootprintError) as err:
        product_id_urn(text, "/productIds/0")
    assert err.value.pointer == "/productIds/0"
    assert fragment in err.value.reason


def test_industrial_internet_ids_map_to_pact_urns() -> None:
    iid = parse_industrial_id("88.123.456/ABC")
    assert iid == IndustrialId("88.123.456", "ABC")
    assert iid.national_code == "88"
    assert industrial_id_urn("88.123.456/ABC") == "urn:pact:caict.ac.cn:product-id:88.123.456/ABC"
    long = "88.118.8866/4521.ZB14.20250301.000001"
    assert product_id_urn(long) == f"urn:pact:caict.ac.cn:product-id:{long}"
    assert parse_pact_urn(product_id_urn(long)).value == long
    for bad, fragment in [
        ("88.123/ABC", "prefix"),
        ("CN.123.456/ABC", "prefix"),
        ("88.123.456/", "suffix"),
        ("88.123.456/A B", "suffix"),
        ("88.123.456", "neither"),
    ]:
        with pytest.raises(FootprintError) as err:
            product_id_urn(bad)
        assert fragment in err.value.reason, bad


def test_pact_urns() -> None:
    urn = pact_urn("catalog.zhiben.example", "supplier-id", "ZB 14/2025 型号")
    assert urn == "urn:pact:catalog.zhiben.example:supplier-id:ZB%2014/2025%20%E5%9E%8B%E5%8F%B7"
    assert parse_pact_urn(urn) == PactUrn(
        "catalog.zhiben.example", "supplier-id", "ZB%2014/2025%20%E5%9E%8B%E5%8F%B7"
    )
    assert product_id_urn("urn:pact:sample.com:product-id:44055-9c05bc35-68f8").startswith("urn:")
    for domain, id_type, value, fragment in [
        ("localhost", "product-id", "1", "domain"),
        ("-bad.example", "product-id", "1", "domain"),
        ("ok.example", "Product ID", "1", "token"),
        ("ok.example", "product-id", "", "non-empty"),
    ]:
        with pytest.raises(FootprintError) as err:
            pact_urn(domain, id_type, value)
        assert fragment in err.value.reason
    with pytest.raises(FootprintError):
        parse_pact_urn("urn:pact:company:customcode:buyer-assigned:4321x")
    with pytest.raises(FootprintError):
        product_id_urn("urn:pact:nodomain:product-id:1")


def test_company_ids_carry_the_unified_social_credit_code() -> None:
    urn = company_id_urn("zhiben-computer.example", USCC.lower())
    assert urn == f"urn:pact:zhiben-computer.example:company-id:{USCC}"
    assert uscc_from_company_ids(["urn:gln:123", urn]) == USCC
    assert uscc_from_company_ids([f"urn:uscc:{USCC}"]) == USCC
    assert uscc_from_company_ids(["urn:pact:x.example:company-id:ACME-1"]) is None
    bad = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    with pytest.raises(FootprintError) as err:
        company_id_urn("zhiben-computer.example", bad)
    assert "check character" in err.value.reason
    # A code that is not a USCC (a foreign registry number) is kept as given.
    assert company_id_urn("acme.example", "HRB 12345").endswith(":company-id:HRB%2012345")
