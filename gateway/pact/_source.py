"""Building the catalog from the organisation's wallet (I/O edge).

Served: every publication the node logged. Who sees it: every organisation granted it
(the wallet's grants) or given it through PACT (the gateway's shares). A publication a
later one supersedes is served ``Deprecated``; the successor lists it in
``precedingPfIds`` (the wallet's footprints are made with ``superseded_by``).

Each document carries the Tanji extension with ``data.attestation``: the attestation id,
log id and index, the receipt when the node has anchored it, and a disclosure of the PCF
value claims (product id, PCF, declared unit and amount, reference period), so a
Tanji-aware buyer checks them against the chain (``tanji verify``) and a plain PACT
client ignores them.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from gateway.pact._catalog import Catalog, Entry
from sdk.footprint import ProductFootprint, from_pact, is_tanji_extension_schema, to_pact
from sdk.roles import PUBLIC_POINTERS
from sdk.wallet import PublishedRecord, PublishState


class Publications(Protocol):
    """What the catalog reads from a wallet."""

    def publications(
        self, *, state: PublishState | None = None, product_id: str | None = None
    ) -> list[PublishedRecord]: ...


def attestation_extension(
    record: PublishedRecord, receipt: Mapping[str, Any] | None
) -> dict[str, Any]:
    """``data.attestation`` of the served Tanji extension: what ``tanji verify`` checks."""
    have = {c.pointer for c in record.attestation.claims.claims}
    disclosure = record.attestation.disclose([p for p in PUBLIC_POINTERS if p in have])
    out: dict[str, Any] = {
        "attestationId": record.attestation_id,
        "logId": record.log_id,
        "index": record.index,
        "disclosure": disclosure.to_dict(),
    }
    if receipt is not None:
        out["receipt"] = dict(receipt)
    return out


def served_document(
    fp: ProductFootprint, base_url: str, attestation: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The v3.0 document served for ``fp``: its Tanji extension names the gateway's
    schema URL and, for an attested footprint, carries ``data.attestation``."""
    doc = to_pact(fp, "3.0", strict=False, extension_base_url=base_url)
    if attestation is not None:
        for ext in doc.get("extensions", ()):
            if is_tanji_extension_schema(ext.get("dataSchema")):
                ext["data"]["attestation"] = dict(attestation)
    return doc


def extension_evidence(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    """``data.attestation`` of a served footprint's Tanji extension (``attestationId``,
    ``disclosure``, ``receipt`` once anchored), or None when the document has none."""
    for ext in doc.get("extensions") or ():
        if isinstance(ext, Mapping) and is_tanji_extension_schema(ext.get("dataSchema")):
            data = ext.get("data")
            found = data.get("attestation") if isinstance(data, Mapping) else None
            return dict(found) if isinstance(found, Mapping) else None
    return None


def _at_pointer(doc: Any, pointer: str) -> Any:
    node = doc
    for part in pointer.lstrip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


_MISSING = object()


def disclosure_mismatches(doc: Mapping[str, Any], values: Mapping[str, Any]) -> list[str]:
    """The pointers whose value in the PACT v3 document ``doc`` differs from the value
    the verified disclosure ``values`` reveals (what was signed); empty when the document
    says what was attested."""
    return [p for p, v in values.items() if _at_pointer(doc, p) != v]


class WalletSource:
    """Builds :class:`Catalog` snapshots from a wallet; entries are rebuilt only for
    publications whose audience, status or receipt changed."""

    def __init__(
        self,
        wallet: Publications,
        *,
        base_url: str,
        shares: Callable[[], dict[str, set[str]]],
        receipts: Callable[[], dict[str, dict[str, Any]]],
    ) -> None:
        self.wallet = wallet
        self.base_url = base_url
        self._shares = shares
        self._receipts = receipts
        self._cache: dict[str, tuple[tuple[Any, ...], Entry]] = {}
        self._lock = threading.Lock()

    def build(self) -> Catalog:
        """A catalog of every logged publication, oldest first."""
        with self._lock:
            pubs = self.wallet.publications(state=PublishState.LOGGED)
            shares = self._shares()
            receipts = self._receipts()
            superseded = {p.supersedes for p in pubs if p.supersedes}
            entries: list[Entry] = []
            for p in pubs:
                audience = frozenset(
                    {g.recipient for g in p.grants} | shares.get(p.attestation_id, set())
                )
                deprecated = p.attestation_id in superseded
                receipt = receipts.get(p.attestation_id)
                key = (audience, deprecated, receipt is not None)
                cached = self._cache.get(p.attestation_id)
                if cached is not None and cached[0] == key:
                    entries.append(cached[1])
                    continue
                fp = from_pact(p.footprint, strict=False)
                if deprecated and fp.status != "Deprecated":
                    fp = dataclasses.replace(fp, status="Deprecated")
                doc = served_document(fp, self.base_url, attestation_extension(p, receipt))
                entry = Entry(doc, audience, p.attestation_id)
                self._cache[p.attestation_id] = (key, entry)
                entries.append(entry)
            entries.sort(key=lambda e: (e.created, e.key))
            return Catalog(entries)

    def missing_receipts(self) -> list[str]:
        """Logged attestations whose receipt is not cached yet."""
        have = self._receipts()
        return [
            p.attestation_id
            for p in self.wallet.publications(state=PublishState.LOGGED)
            if p.attestation_id not in have
        ]
