"""Product and company identifiers in the URN forms PACT recommends.

PACT v3.0 (§ Product Identification) asks for an IANA-registered URN namespace where one
applies, else a widely used one (``urn:gtin:…``), else
``urn:pact:<domain-of-issuer>:<identifier-type>:<id>``. This module builds and checks
those forms and maps the identifiers Chinese manufacturers carry to them:

- GTINs (GS1; 8, 12, 13 or 14 digits with the mod-10 check digit) → ``urn:gtin:<digits>``;
- industrial-internet identifiers (工业互联网标识, Handle-style ``<prefix>/<suffix>``,
  prefix = national code . industry code . enterprise code, e.g. ``88.123.456/ABC``) →
  ``urn:pact:caict.ac.cn:product-id:<prefix>/<suffix>`` (the issuer of the identifier
  system is the national top-level resolution node, operated by CAICT);
- an organisation's own product codes → ``urn:pact:<its domain>:supplier-id:<code>``;
- company ids → ``urn:pact:<domain>:company-id:<code>``; with a unified social credit
  code as the code, :func:`uscc_from_company_ids` finds it again.

Every function raises :class:`~sdk.errors.FootprintError` (pointer ``""`` unless given)
naming what is wrong. docs/pact.md lists the mappings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sdk._ids import OrgId
from sdk.errors import FootprintError, InvalidOrgId
from sdk.footprint import _values as v

#: PACT's recommended ``identifier-type`` values for product ids, plus ``company-id``
#: for company ids (the form the v3.0 text uses for products, applied to companies).
PACT_ID_TYPES = ("product-id", "buyer-id", "supplier-id", "company-id")
#: ``domain-of-issuer`` of industrial-internet identifiers mapped to PACT URNs.
IIOT_ID_DOMAIN = "caict.ac.cn"

# RFC 1035 host name: labels of letters, digits and hyphens, not starting or ending with a
# hyphen, at least two labels, 253 characters at most.
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})+$")
_TYPE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# RFC 8141 NSS characters (pchar and "/"); anything else is percent-encoded by pact_urn.
_NSS_SAFE = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/]")
_GTIN = re.compile(r"^[0-9]{8}$|^[0-9]{12,14}$")
_IIOT_PREFIX = re.compile(r"^[0-9]+(\.[0-9A-Za-z]+){2,}$")
_IIOT_SUFFIX = re.compile(r"^[\x21-\x7e]+$")


@dataclass(frozen=True)
class PactUrn:
    """A ``urn:pact:<domain>:<identifier type>:<id>`` identifier, parsed."""

    domain: str
    id_type: str
    value: str

    def __str__(self) -> str:
        return f"urn:pact:{self.domain}:{self.id_type}:{self.value}"


@dataclass(frozen=True)
class IndustrialId:
    """An industrial-internet identifier (工业互联网标识): ``prefix/suffix``."""

    prefix: str
    suffix: str

    @property
    def national_code(self) -> str:
        """The prefix's first segment (``88`` in ``88.123.456``)."""
        return self.prefix.split(".")[0]

    def __str__(self) -> str:
        return f"{self.prefix}/{self.suffix}"


def pact_urn(domain: str, id_type: str, value: str, pointer: str = "") -> str:
    """``urn:pact:<domain>:<id_type>:<value>``; characters of ``value`` outside RFC 8141's
    NSS set are percent-encoded (UTF-8), so any code fits.

    Raises FootprintError if ``domain`` is not a fully qualified domain name, ``id_type``
    not a lower-case token, or ``value`` empty.
    """
    if not isinstance(domain, str) or not _DOMAIN.match(domain):
        raise FootprintError(pointer, f"{domain!r} is not a fully qualified domain name")
    if not isinstance(id_type, str) or not _TYPE.match(id_type):
        raise FootprintError(pointer, f"identifier type {id_type!r} is not a lower-case token")
    if not isinstance(value, str) or not value:
        raise FootprintError(pointer, "the identifier value must be a non-empty string")
    encoded = "".join(
        ch if _NSS_SAFE.match(ch) else "".join(f"%{b:02X}" for b in ch.encode()) for ch in value
    )
    return f"urn:pact:{domain.lower()}:{id_type}:{encoded}"


def parse_pact_urn(urn: str, pointer: str = "") -> PactUrn:
    """Split a ``urn:pact:<domain>:<type>:<id>`` URN (``urn`` and ``pact`` in any case).

    Raises FootprintError if it is not one, or its domain is not a domain name.
    """
    v.check_urn(urn, pointer)
    parts = urn.split(":", 4)
    if len(parts) != 5 or parts[1].lower() != "pact" or not parts[4]:
        raise FootprintError(pointer, f"{urn!r} is not urn:pact:<domain>:<type>:<id>")
    _, _, domain, id_type, value = parts
    if not _DOMAIN.match(domain):
        raise FootprintError(pointer, f"{urn!r}: {domain!r} is not a fully qualified domain name")
    return PactUrn(domain.lower(), id_type, value)


def company_id_urn(domain: str, code: str) -> str:
    """A company id ``urn:pact:<domain>:company-id:<code>``; a unified social credit code
    as ``code`` is validated (check character) and upper-cased.

    Raises FootprintError for a bad domain or an invalid 18-character code.
    """
    if isinstance(code, str) and len(code.strip()) == 18:
        try:
            code = OrgId.parse(code).value
        except InvalidOrgId as exc:
            raise FootprintError("", str(exc)) from None
    return pact_urn(domain, "company-id", code)


def uscc_from_company_ids(company_ids: Iterable[str]) -> str | None:
    """The unified social credit code among ``company_ids``: the id of the first
    ``urn:pact:<domain>:company-id:<code>`` (or legacy ``urn:uscc:<code>``) whose code
    is a valid one; None when there is none."""
    for urn in company_ids:
        code: str | None = None
        lowered = urn.lower()
        if lowered.startswith("urn:uscc:"):
            code = urn[len("urn:uscc:") :]
        elif lowered.startswith("urn:pact:"):
            try:
                parsed = parse_pact_urn(urn)
            except FootprintError:
                continue
            if parsed.id_type == "company-id":
                code = parsed.value
        if code is not None and len(code) == 18:
            try:
                org = OrgId.parse(code)
            except InvalidOrgId:
                continue
            if org.kind == "uscc":
                return org.value
    return None


# ---------------------------------------------------------------- GTIN


def gtin_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for the digits of a GTIN before its check digit.

    Raises FootprintError if ``body`` is not 7, 11, 12 or 13 digits.
    """
    if not isinstance(body, str) or not body.isascii() or not body.isdigit():
        raise FootprintError("", "a GTIN body is digits only")
    if len(body) not in (7, 11, 12, 13):
        raise FootprintError("", f"a GTIN body has 7, 11, 12 or 13 digits, got {len(body)}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def parse_gtin(text: str, pointer: str = "") -> str:
    """A GTIN-8, -12, -13 or -14 (digits only; spaces and hyphens are not part of it),
    check digit verified; returned unchanged.

    Raises FootprintError naming the expected check digit when it is wrong.
    """
    if not isinstance(text, str) or not _GTIN.match(text):
        raise FootprintError(pointer, f"{text!r} is not a GTIN (8, 12, 13 or 14 digits)")
    expected = gtin_check_digit(text[:-1])
    if text[-1] != expected:
        raise FootprintError(
            pointer, f"GTIN {text}: check digit expected {expected}, got {text[-1]}"
        )
    return text


def gtin_urn(gtin: str, pointer: str = "") -> str:
    """``urn:gtin:<gtin>`` (the widely used form PACT's examples show), check digit
    verified."""
    return "urn:gtin:" + parse_gtin(gtin, pointer)


# ---------------------------------------------------------------- industrial internet


def parse_industrial_id(text: str, pointer: str = "") -> IndustrialId:
    """An industrial-internet identifier ``<prefix>/<suffix>``: the prefix has at least
    three dot-separated segments (national code of digits . industry code . enterprise
    code), the suffix is printable ASCII without spaces (for electronics: SJ/T 11144 class
    code . model . production date . serial; not checked further).

    Raises FootprintError naming the part that is wrong.
    """
    if not isinstance(text, str) or "/" not in text:
        raise FootprintError(pointer, f"{text!r} is not an industrial-internet id prefix/suffix")
    prefix, suffix = text.split("/", 1)
    if not _IIOT_PREFIX.match(prefix):
        raise FootprintError(
            pointer,
            f"{text!r}: prefix {prefix!r} must be national code . industry code . enterprise "
            "code (e.g. 88.123.456)",
        )
    if not _IIOT_SUFFIX.match(suffix):
        raise FootprintError(
            pointer, f"{text!r}: suffix must be non-empty printable ASCII without spaces"
        )
    return IndustrialId(prefix, suffix)


def industrial_id_urn(text: str, pointer: str = "") -> str:
    """``urn:pact:caict.ac.cn:product-id:<prefix>/<suffix>`` for an industrial-internet
    identifier (validated by :func:`parse_industrial_id`)."""
    return pact_urn(IIOT_ID_DOMAIN, "product-id", str(parse_industrial_id(text, pointer)))


# ---------------------------------------------------------------- any product id


def product_id_urn(text: str, pointer: str = "") -> str:
    """A product id as a PACT ``productIds`` URN, from what a user may type:

    - a URN: checked (RFC 8141 shape; a ``urn:gtin:`` check digit; a ``urn:pact:`` domain)
      and returned unchanged;
    - digits: a GTIN → ``urn:gtin:…``;
    - ``prefix/suffix``: an industrial-internet identifier → ``urn:pact:caict.ac.cn:…``.

    Raises FootprintError saying which form was tried and why it failed.
    """
    if not isinstance(text, str) or not text.strip():
        raise FootprintError(pointer, "a product id must be a non-empty string")
    text = text.strip()
    if text[:4].lower() == "urn:":
        v.check_urn(text, pointer)
        nid = text.split(":", 2)[1].lower()
        if nid == "gtin":
            parse_gtin(text.split(":", 2)[2], pointer)
        elif nid == "pact":
            parse_pact_urn(text, pointer)
        return text
    if text.isascii() and text.isdigit():
        return gtin_urn(text, pointer)
    if "/" in text:
        return industrial_id_urn(text, pointer)
    raise FootprintError(
        pointer,
        f"{text!r} is neither a URN, a GTIN nor an industrial-internet id (prefix/suffix)",
    )
