"""Low-level protocol primitives ("hazardous materials"): use the recipes instead.

:func:`sdk.create_attestation`, :meth:`sdk.Attestation.grant`,
:func:`sdk.open_attestation` and the verification functions build these pieces into
objects that are checked on construction and on use. The primitives here do exactly one
thing each and check nothing beyond their own arguments: sealing an envelope with a
caller-chosen key and nonce, wrapping a data key for a recipient, deriving a claim salt,
signing a statement with a bare key whether or not its ``keyId`` names that key. They
exist for tools, test vectors and other implementations checking their bytes against
Tanji's; misusing one (reusing a nonce, granting the wrong key) is not caught here.
"""

from __future__ import annotations

from sdk._canonical import tagged_digest
from sdk._claims import claim_salt
from sdk._envelope import envelope_aad, make_grant, new_data_key, open_grant, seal_envelope
from sdk._statement import sign_statement_with

__all__ = [
    "claim_salt",
    "envelope_aad",
    "make_grant",
    "new_data_key",
    "open_grant",
    "seal_envelope",
    "sign_statement_with",
    "tagged_digest",
]
