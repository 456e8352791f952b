"""What a carbon label discloses, how its id and unit are formed, and its QR code.

The label's public disclosure reveals exactly the claims a label reader needs, as JSON
Pointers into the PACT v3 footprint document the attestation commits to: the product id,
the PCF value (excluding biogenic uptake) and its declared unit and amount, the reference
period, and the boundary description. Everything else (the inventory digest, upstream
references, metering, factors, company details) stays hidden behind its salt.
"""

from __future__ import annotations

import hashlib
import io
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

VALUE_POINTER = "/pcf/pcfExcludingBiogenicUptake"
UNIT_POINTER = "/pcf/declaredUnitOfMeasurement"
UNIT_AMOUNT_POINTER = "/pcf/declaredUnitAmount"
PRODUCT_POINTER = "/productIds/0"
PERIOD_POINTERS = ("/pcf/referencePeriodStart", "/pcf/referencePeriodEnd")
BOUNDARY_POINTER = "/pcf/boundaryProcessesDescription"

LABEL_POINTERS: tuple[str, ...] = (
    PRODUCT_POINTER,
    VALUE_POINTER,
    UNIT_POINTER,
    UNIT_AMOUNT_POINTER,
)
"""Claims every label disclosure must reveal (checked by the auditor)."""

NAME_POINTERS: tuple[str, ...] = ("/productNameCompany", "/productDescription", "/companyName")
"""The names a label page shows (product, model and description, producer): PACT claims of
the producer's signed footprint, revealed by the public disclosure (docs/label-page.md)."""

PUBLIC_POINTERS: tuple[str, ...] = (*LABEL_POINTERS, *PERIOD_POINTERS, *NAME_POINTERS)
"""Claims a certifier reveals in a label's public disclosure (those the footprint has)."""

_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_HEX = re.compile(r"(0x)?[0-9a-fA-F]{64}")


def label_id_bytes(label_id: bytes | str) -> bytes:
    """A label id as 32 bytes, from bytes or (``0x``-prefixed) hex.

    Raises :class:`ValueError` for anything else.
    """
    if isinstance(label_id, bytes):
        if len(label_id) != 32:
            raise ValueError(f"label id must be 32 bytes, got {len(label_id)}")
        return label_id
    if isinstance(label_id, str) and _HEX.fullmatch(label_id):
        return bytes.fromhex(label_id.removeprefix("0x"))
    raise ValueError(f"label id must be 32 bytes or 64 hex characters, got {label_id!r}")


def derive_label_id(certifier: str, attestation_id: str, nonce: bytes) -> bytes:
    """``SHA-256("tanji.label.v1\\0" + certifier + "\\0" + attestation id + "\\0" + nonce)``.

    Binding the id to the certifier and the attestation makes ids from different
    certifiers disjoint; the nonce lets one certifier label one attestation twice (renewal).
    """
    data = b"\0".join(
        [b"tanji.label.v1", certifier.encode("utf-8"), attestation_id.encode("ascii"), nonce]
    )
    return hashlib.sha256(data).digest()


def label_unit(declared_unit: str, declared_amount: str) -> str:
    """The unit a label shows: ``kgCO2e/<declared unit>``, or ``kgCO2e/<amount> <unit>``.

    Raises :class:`ValueError` for an amount that is not a positive decimal.
    """
    if not isinstance(declared_amount, str) or not _AMOUNT.fullmatch(declared_amount):
        raise ValueError(
            f"declared unit amount is not a decimal (ASCII digits): {declared_amount!r}"
        )
    try:
        amount = Decimal(declared_amount)
    except InvalidOperation as exc:
        raise ValueError(f"declared unit amount is not a decimal: {declared_amount!r}") from exc
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"declared unit amount must be positive, got {declared_amount!r}")
    if amount == 1:
        return f"kgCO2e/{declared_unit}"
    return f"kgCO2e/{declared_amount} {declared_unit}"


def verification_url(base_url: str, label_id: bytes) -> str:
    """The URL a label's QR code carries: ``<base>/labels/0x<label id hex>``, the node's
    human-readable verification page (the JSON form stays at ``/v1/labels/0x…``)."""
    return f"{base_url.rstrip('/')}/labels/0x{label_id.hex()}"


def write_qr(url: str, path: Path) -> Path:
    """Write a QR code (error correction M) for ``url`` to ``path`` (``.png`` or ``.svg``).

    Returns the path. Raises :class:`ValueError` for another suffix.
    """
    if path.suffix not in (".png", ".svg"):
        raise ValueError(f"QR code file must end in .png or .svg, got {path.name}")
    import segno  # only the label's issuer draws QR codes; verifiers never load it

    qr = segno.make(url, error="m")
    path.parent.mkdir(parents=True, exist_ok=True)
    qr.save(str(path), scale=6, border=4)
    return path


def qr_text(url: str) -> str:
    """The QR code for ``url`` drawn with text blocks (for a terminal)."""
    import segno

    qr = segno.make(url, error="m")
    buf = io.StringIO()
    qr.terminal(out=buf, compact=True, border=2)
    return buf.getvalue()
