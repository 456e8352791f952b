"""The organisation's console: a web front for its staff over the PACT gateway's wallet
(``/console`` on ``tanji gateway serve``). Local accounts with argon2id passwords,
server-side sessions, CSRF-protected forms; pages for suppliers (answer requests, see
publications and their readers), leaders (requests sent, the parts of the roll-up and
their lineage, labels held) and certifiers (pending certifications with their checks,
issue, suspend, restore and revoke labels). See docs/console.md."""

from gateway.console._accounts import (
    ROLES,
    SESSION_SECONDS,
    add_user,
    authenticate,
    hash_password,
)
from gateway.console._app import COOKIE, create_console
from gateway.console._certifier import CertifierFactory

__all__ = [
    "COOKIE",
    "ROLES",
    "SESSION_SECONDS",
    "CertifierFactory",
    "add_user",
    "authenticate",
    "create_console",
    "hash_password",
]
