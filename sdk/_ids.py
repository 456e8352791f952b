"""Organisation ids: unified social credit codes (GB 32100-2015) and URNs (RFC 8141)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sdk.errors import InvalidOrgId

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of GB 32100-2015 (no I, O, S, V, Z), in value order 0..30."""

USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}

# RFC 8141 §2: NID = (alphanum) 0*30(ldh) alphanum; NSS = pchar *(pchar / "/");
# pchar = unreserved / pct-encoded / sub-delims / ":" / "@". r-, q- and f-components
# ("?+", "?=", "#") are not part of an organisation's name and are refused.
_NID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]")
_NSS = re.compile(
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*"
)
_MAX_URN = 255


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters of a code.

    Check = 31 - (Σ value(cᵢ)·wᵢ mod 31), with 31 written as ``0``. Raises
    :class:`~sdk.errors.InvalidOrgId` if ``first17`` is not 17 characters of the charset.
    """
    if len(first17) != 17:
        raise InvalidOrgId(f"need the first 17 characters, got {len(first17)}")
    total = 0
    for i, (char, weight) in enumerate(zip(first17, USCC_WEIGHTS, strict=True)):
        value = _VALUE.get(char)
        if value is None:
            raise InvalidOrgId(f"illegal character {char!r} at position {i + 1}")
        total += value * weight
    return USCC_CHARSET[(31 - total % 31) % 31]


@dataclass(frozen=True, slots=True)
class OrgId:
    """A validated organisation id; ``str(org_id)`` is its canonical text.

    ``kind`` is ``"uscc"`` (统一社会信用代码, stored upper-case) or ``"urn"`` (``urn:``
    and the NID lower-cased, the NSS as given). Build with :meth:`parse`.
    """

    value: str
    kind: Literal["uscc", "urn"]

    @classmethod
    def parse(cls, text: str) -> OrgId:
        """Validate and normalise an organisation id.

        Raises :class:`~sdk.errors.InvalidOrgId` with the reason: wrong length, illegal
        character at position N (1-based), non-numeric administrative division code, check
        character expected X got Y, or a malformed URN.
        """
        if isinstance(text, OrgId):
            return text
        if not isinstance(text, str):
            raise InvalidOrgId(f"organisation id must be a string, got {type(text).__name__}")
        if text[:4].lower() == "urn:":
            return cls(_parse_urn(text), "urn")
        return cls(_parse_uscc(text), "uscc")

    def __str__(self) -> str:
        return self.value

    @property
    def registration_authority(self) -> str | None:
        """USCC character 1 (登记管理部门代码), ``None`` for a URN."""
        return self.value[0] if self.kind == "uscc" else None

    @property
    def org_type(self) -> str | None:
        """USCC character 2 (机构类别代码), ``None`` for a URN."""
        return self.value[1] if self.kind == "uscc" else None

    @property
    def division_code(self) -> str | None:
        """USCC characters 3–8, the administrative division code; ``None`` for a URN."""
        return self.value[2:8] if self.kind == "uscc" else None

    @property
    def organisation_code(self) -> str | None:
        """USCC characters 9–17, the organisation code (组织机构代码); ``None`` for a URN."""
        return self.value[8:17] if self.kind == "uscc" else None


def _parse_uscc(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 18:
        raise InvalidOrgId(
            f"{text!r}: a unified social credit code has 18 characters, got {len(code)}"
        )
    for i, char in enumerate(code):
        if char not in _VALUE:
            raise InvalidOrgId(f"{text!r}: illegal character {char!r} at position {i + 1}")
    if not code[2:8].isdigit():
        raise InvalidOrgId(
            f"{text!r}: administrative division code (positions 3-8) must be digits, "
            f"got {code[2:8]!r}"
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise InvalidOrgId(f"{text!r}: check character expected {expected!r} got {code[17]!r}")
    return code


def _parse_urn(text: str) -> str:
    if len(text) > _MAX_URN:
        raise InvalidOrgId(f"URN longer than {_MAX_URN} characters")
    rest = text[4:]
    nid, sep, nss = rest.partition(":")
    if not sep:
        raise InvalidOrgId(f"{text!r}: a URN is urn:<NID>:<NSS>")
    if not _NID.fullmatch(nid):
        raise InvalidOrgId(f"{text!r}: namespace identifier {nid!r} is not 2-32 letters, digits, -")
    if "?" in nss or "#" in nss:
        raise InvalidOrgId(f"{text!r}: r-, q- and f-components are not allowed in an org id")
    if not _NSS.fullmatch(nss):
        raise InvalidOrgId(f"{text!r}: namespace-specific string {nss!r} has illegal characters")
    return f"urn:{nid.lower()}:{nss}"
