"""Organisation ids: GB 32100-2015 unified social credit codes and RFC 8141 URNs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdk import OrgId, uscc_check_char
from sdk._ids import USCC_CHARSET
from sdk.errors import InvalidOrgId

# Published codes (company registers), check characters computed by their issuers.
REAL_CODES = ["91350100M000100Y43", "91110000802100433B", "91440300708461136T"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_validate(code: str) -> None:
    org = OrgId.parse(code)
    assert org.kind == "uscc"
    assert str(org) == code
    assert uscc_check_char(code[:17]) == code[17]


def test_fields_of_a_code() -> None:
    org = OrgId.parse("91350100M000100Y43")
    assert org.registration_authority == "9"
    assert org.org_type == "1"
    assert org.division_code == "350100"
    assert org.organisation_code == "M000100Y4"


def test_lower_case_input_is_normalised() -> None:
    assert str(OrgId.parse("91350100m000100y43")) == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("91350100M000100Y4", "18 characters, got 17"),
        ("91350100M000100Y433", "18 characters, got 19"),
        ("91350100M0001O0Y43", "illegal character 'O' at position 14"),
        ("91350100M000100Y4I", "illegal character 'I' at position 18"),
        ("913501A0M000100Y43", "administrative division code"),
        ("91350100M000100Y44", "check character expected '3' got '4'"),
    ],
)
def test_bad_codes_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidOrgId, match=reason.replace("(", r"\(")):
        OrgId.parse(text)


FIRST17 = st.builds(
    lambda a, b, c: a + b + c,
    st.text(alphabet=USCC_CHARSET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=USCC_CHARSET, min_size=9, max_size=9),
)


@settings(max_examples=60)
@given(FIRST17)
def test_generated_codes_roundtrip_and_every_wrong_check_char_fails(first17: str) -> None:
    check = uscc_check_char(first17)
    assert OrgId.parse(first17 + check).value == first17 + check
    wrong = USCC_CHARSET[(USCC_CHARSET.index(check) + 1) % 31]
    with pytest.raises(InvalidOrgId, match="check character"):
        OrgId.parse(first17 + wrong)


@settings(max_examples=150)
@given(
    FIRST17,
    st.integers(0, 16),
    st.sampled_from(USCC_CHARSET),
)
def test_single_substitution_is_detected(first17: str, pos: int, char: str) -> None:
    # The weights are non-zero mod 31 (a prime), so every single-character change shifts
    # the checksum and is caught.
    code = first17 + uscc_check_char(first17)
    changed = code[:pos] + char + code[pos + 1 :]
    if changed == code or not changed[2:8].isdigit():
        return
    with pytest.raises(InvalidOrgId, match="check character"):
        OrgId.parse(changed)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("urn:lei:5493001KJTIIGC8Y1R12", "urn:lei:5493001KJTIIGC8Y1R12"),
        ("URN:LEI:5493001KJTIIGC8Y1R12", "urn:lei:5493001KJTIIGC8Y1R12"),
        ("urn:tanji:org:acme-gmbh", "urn:tanji:org:acme-gmbh"),
        ("urn:example:a%2Fb/c", "urn:example:a%2Fb/c"),
    ],
)
def test_urns(text: str, canonical: str) -> None:
    org = OrgId.parse(text)
    assert (org.kind, str(org)) == ("urn", canonical)
    assert org.division_code is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("urn:lei", "urn:<NID>:<NSS>"),
        ("urn:a:x", "namespace identifier"),
        ("urn:-ab:x", "namespace identifier"),
        ("urn:lei:", "namespace-specific string"),
        ("urn:lei:/x", "namespace-specific string"),
        ("urn:lei:a b", "namespace-specific string"),
        ("urn:lei:abc?=q", "q- and f-components"),
        ("urn:lei:abc#f", "q- and f-components"),
    ],
)
def test_bad_urns(text: str, reason: str) -> None:
    with pytest.raises(InvalidOrgId, match=reason):
        OrgId.parse(text)


def test_not_a_string() -> None:
    with pytest.raises(InvalidOrgId, match="must be a string"):
        OrgId.parse(12345)  # type: ignore[arg-type]
