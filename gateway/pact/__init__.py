"""The organisation's PACT v3.0 (and v2.3) server over its wallet, and a PACT client.

``tanji gateway serve`` runs it (docs/pact.md §6): OAuth client credentials
(``/auth/token``, OpenID discovery), ``/3/footprints`` with every v3.0 filter and
``Link`` pagination, ``/3/footprints/{id}``, ``/3/events`` (requests answered by policy or
by a person, answers sent to the requester's own server), ``/2/…`` for v2.3, and the
Tanji extension's JSON Schema. :class:`PactClient` is what ``tanji pact pull|request``
and the gateway's own callbacks use.
"""

from __future__ import annotations

from gateway.pact._app import create_app
from gateway.pact._auth import TOKEN_SECONDS, TokenStore, add_client, hash_secret, secret_matches
from gateway.pact._catalog import NULL_PRODUCT, Catalog, Entry, Query, list_body
from gateway.pact._client import PactClient, check_base_url, next_link
from gateway.pact._events import TYPES, Event, callback_url, created, parse_event
from gateway.pact._server import Listen, build_app, make_certificate, serve
from gateway.pact._service import POLICIES, Gateway, GatewaySettings
from gateway.pact._source import (
    WalletSource,
    attestation_extension,
    disclosure_mismatches,
    extension_evidence,
    served_document,
)
from gateway.pact._state import (
    ClientRecord,
    GatewayState,
    InboundRequest,
    OutboxEvent,
    PartnerRecord,
    SessionRecord,
    StaffRecord,
)
from gateway.pact.errors import (
    CertifierUnavailable,
    ClientRegistryError,
    GatewayConfigError,
    PactAuthError,
    PactClientError,
    PactError,
    PactRequestError,
)

__all__ = [
    "NULL_PRODUCT",
    "POLICIES",
    "TOKEN_SECONDS",
    "TYPES",
    "Catalog",
    "CertifierUnavailable",
    "ClientRecord",
    "ClientRegistryError",
    "Entry",
    "Event",
    "Gateway",
    "GatewayConfigError",
    "GatewaySettings",
    "GatewayState",
    "InboundRequest",
    "Listen",
    "OutboxEvent",
    "PactAuthError",
    "PactClient",
    "PactClientError",
    "PactError",
    "PactRequestError",
    "PartnerRecord",
    "Query",
    "SessionRecord",
    "StaffRecord",
    "TokenStore",
    "WalletSource",
    "add_client",
    "attestation_extension",
    "build_app",
    "callback_url",
    "check_base_url",
    "create_app",
    "created",
    "disclosure_mismatches",
    "extension_evidence",
    "hash_secret",
    "list_body",
    "make_certificate",
    "next_link",
    "parse_event",
    "secret_matches",
    "serve",
    "served_document",
]
