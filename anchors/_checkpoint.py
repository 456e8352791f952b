"""Checkpoints: C2SP tlog-checkpoint bodies in C2SP signed notes, Ed25519 signatures.

A signed checkpoint is, byte for byte::

    tanji/31337/main-log          origin
    1234                          tree size, decimal, no leading zeros
    <base64 root>                 32-byte RFC 9162 root, standard base64
    [extension lines]             optional, non-empty; preserved as they are
                                  blank line: end of the note text
    — <key name> <base64(key hash || signature)>

(c2sp.org/tlog-checkpoint, c2sp.org/signed-note). The key hash is the first 4 bytes of
``SHA-256(key name || "\\n" || 0x01 || Ed25519 public key)``; the signature covers the
note text including its final newline. Parsing is strict: every defect raises
:class:`~anchors.errors.CheckpointFormatError` naming it, and a checkpoint is only
trusted through :func:`verify_checkpoint`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import re
from dataclasses import dataclass

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from anchors._log import LOG_ID_PATTERN
from anchors._merkle import HASH_SIZE
from anchors.errors import CheckpointFormatError, CheckpointSignatureError

ED25519_ALG = 0x01
"""signed-note signature type of Ed25519 keys."""

SIG_PREFIX = "— "  # U+2014 EM DASH, then a space
MAX_SIGNATURES = 100  # as golang.org/x/mod/sumdb/note: bounds work on hostile input
MAX_SIZE = (1 << 64) - 1


# A key name with none of the defects `_check_key_name` names: no whitespace (re's \s is
# str.isspace over all of Unicode), no '+', no control character, no lone surrogate.
_PLAIN_KEY_NAME = re.compile(r"[^\s+\x00-\x1f\ud800-\udfff]+")


def _check_text_chars(text: str, what: str) -> None:
    # Fast accept: str.isprintable() is False for every C0 control character (and for
    # some other characters, which the loop then clears).
    if isinstance(text, str) and text.replace("\n", " ").isprintable():
        return
    for ch in text:
        if ch != "\n" and ord(ch) < 0x20:
            raise CheckpointFormatError(f"{what} contains control character {ord(ch):#04x}")
        if 0xD800 <= ord(ch) <= 0xDFFF:  # e.g. from a JSON "\ud800": no UTF-8 encoding
            raise CheckpointFormatError(f"{what} is not UTF-8: lone surrogate U+{ord(ch):04X}")


def _check_key_name(name: str) -> None:
    if isinstance(name, str) and _PLAIN_KEY_NAME.fullmatch(name):
        return
    # Name the first defect, in this order.
    if not name:
        raise CheckpointFormatError("key name is empty")
    if any(ch.isspace() for ch in name):
        raise CheckpointFormatError(f"key name {name!r} contains a space")
    if "+" in name:
        raise CheckpointFormatError(f"key name {name!r} contains '+'")
    _check_text_chars(name, f"key name {name!r}")


def key_hash(key_name: str, verify_key: VerifyKey) -> bytes:
    """The 4-byte signed-note key hash of an Ed25519 key under ``key_name``.

    Raises :class:`~anchors.errors.CheckpointFormatError` for an invalid key name.
    """
    if type(key_name) is str and type(verify_key) is VerifyKey:
        return _cached_key_hash(key_name, bytes(verify_key))
    return _key_hash(key_name, verify_key)


def _key_hash(key_name: str, verify_key: VerifyKey | bytes) -> bytes:
    _check_key_name(key_name)
    material = key_name.encode() + b"\n" + bytes([ED25519_ALG]) + bytes(verify_key)
    return hashlib.sha256(material).digest()[:4]


# A verifier checks every note against the few keys it trusts (Go's note.Verifier holds
# its key hash too): computed once per (name, key). Refusals raise and are not cached.
_cached_key_hash = functools.lru_cache(maxsize=64)(_key_hash)


def verifier_key(key_name: str, verify_key: VerifyKey) -> str:
    """The signed-note verifier key string ``<name>+<hex key hash>+<base64(0x01||key)>``."""
    blob = base64.b64encode(bytes([ED25519_ALG]) + bytes(verify_key)).decode()
    return f"{key_name}+{key_hash(key_name, verify_key).hex()}+{blob}"


def checkpoint_origin(chain_id: int, log_id: str) -> str:
    """The origin line of a Tanji log's checkpoints: ``tanji/<chain-id>/<log-id>``.

    Raises :class:`~anchors.errors.CheckpointFormatError` for a non-positive chain id or
    a log id outside ``[a-z0-9-]{1,64}``.
    """
    if isinstance(chain_id, bool) or not isinstance(chain_id, int) or chain_id <= 0:
        raise CheckpointFormatError(f"chain id must be a positive integer, got {chain_id!r}")
    if not isinstance(log_id, str) or not LOG_ID_PATTERN.fullmatch(log_id):
        raise CheckpointFormatError(f"invalid log id {log_id!r}: expected [a-z0-9-]{{1,64}}")
    return f"tanji/{chain_id}/{log_id}"


@dataclass(frozen=True)
class Checkpoint:
    """A tlog-checkpoint body: origin, tree size, root, optional extension lines.

    Validated on construction (raises :class:`~anchors.errors.CheckpointFormatError`).
    """

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise CheckpointFormatError("origin line is empty or contains a newline")
        _check_text_chars(self.origin, "origin")
        if isinstance(self.size, bool) or not isinstance(self.size, int):
            raise CheckpointFormatError(f"tree size must be an int, got {self.size!r}")
        if not 0 <= self.size <= MAX_SIZE:
            raise CheckpointFormatError(f"tree size {self.size} is outside [0, 2**64)")
        if not isinstance(self.root, bytes) or len(self.root) != HASH_SIZE:
            raise CheckpointFormatError(f"root must be {HASH_SIZE} bytes")
        for line in self.extensions:
            if not line or "\n" in line:
                raise CheckpointFormatError("extension line is empty or contains a newline")
            _check_text_chars(line, "extension line")

    def body(self) -> str:
        """The note text that is signed (ends with a newline)."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"


@dataclass(frozen=True)
class NoteSignature:
    """One signature line of a signed note (not yet verified)."""

    key_name: str
    key_hash: bytes
    signature: bytes


@dataclass(frozen=True)
class SignedCheckpoint:
    """A parsed, *unverified* signed checkpoint; trust it only via :func:`verify_checkpoint`."""

    checkpoint: Checkpoint
    signatures: tuple[NoteSignature, ...]
    text: str


def sign_checkpoint(checkpoint: Checkpoint, signing_key: SigningKey, key_name: str) -> str:
    """Return the signed note text of ``checkpoint``, signed by ``signing_key`` as ``key_name``.

    Deterministic (Ed25519). Raises :class:`~anchors.errors.CheckpointFormatError` for an
    invalid key name.
    """
    return sign_note(checkpoint.body(), signing_key, key_name)


def sign_note(text: str, signing_key: SigningKey, key_name: str) -> str:
    """Sign a C2SP note text (non-empty, ends with a newline, no blank line) with Ed25519."""
    if not text.endswith("\n") or "\n\n" in text or text.startswith("\n"):
        raise CheckpointFormatError("note text must be non-empty lines ending with a newline")
    _check_text_chars(text, "note text")
    kh = key_hash(key_name, signing_key.verify_key)
    sig = signing_key.sign(text.encode()).signature
    return f"{text}\n{SIG_PREFIX}{key_name} {base64.b64encode(kh + sig).decode()}\n"


def _b64(value: str, what: str) -> bytes:
    try:
        raw = binascii.a2b_base64(value, strict_mode=True)  # = b64decode(validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CheckpointFormatError(f"{what} is not valid base64") from exc
    if binascii.b2a_base64(raw, newline=False).decode("ascii") != value:
        raise CheckpointFormatError(f"{what} is not canonical base64")
    return raw


def _parse_signature_line(line: str, index: int) -> NoteSignature:
    if not line.startswith(SIG_PREFIX):
        raise CheckpointFormatError(f"signature line {index} does not start with '— '")
    fields = line[len(SIG_PREFIX) :].split(" ")
    if len(fields) != 2:
        raise CheckpointFormatError(f"signature line {index} is not '— <name> <base64>'")
    name, blob = fields
    _check_key_name(name)
    raw = _b64(blob, f"signature {index}")
    if len(raw) < 5:
        raise CheckpointFormatError(f"signature {index} is shorter than key hash + signature")
    return NoteSignature(name, raw[:4], raw[4:])


def parse_checkpoint(text: str) -> SignedCheckpoint:
    """Parse a signed checkpoint note, checking its form but not its signatures.

    Raises :class:`~anchors.errors.CheckpointFormatError` naming the defect: missing
    trailing newline, control characters, no blank line before the signatures, fewer than
    three body lines, empty origin, non-decimal or leading-zero size, root not canonical
    base64 of 32 bytes, empty extension line, no signature, malformed signature line, bad
    key name, duplicate signature.
    """
    if not isinstance(text, str):
        raise CheckpointFormatError("checkpoint must be text (str)")
    if not text.endswith("\n"):
        raise CheckpointFormatError("note does not end with a newline")
    _check_text_chars(text, "note")
    split = text.rfind("\n\n")
    if split < 0:
        raise CheckpointFormatError("no blank line between the checkpoint and its signatures")
    body, sig_block = text[: split + 1], text[split + 2 :]
    if not sig_block:
        raise CheckpointFormatError("checkpoint has no signatures")
    sig_lines = sig_block[:-1].split("\n")
    if len(sig_lines) > MAX_SIGNATURES:
        raise CheckpointFormatError(f"more than {MAX_SIGNATURES} signatures")
    signatures = []
    seen: set[tuple[str, bytes]] = set()
    for i, line in enumerate(sig_lines):
        sig = _parse_signature_line(line, i)
        if (sig.key_name, sig.key_hash) in seen:
            raise CheckpointFormatError(f"duplicate signature by key {sig.key_name!r}")
        seen.add((sig.key_name, sig.key_hash))
        signatures.append(sig)

    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointFormatError(
            f"checkpoint body has {len(lines)} lines, needs origin, size and root"
        )
    origin, size_line, root_line, *extensions = lines
    if not origin:
        raise CheckpointFormatError("origin line is empty")
    if not size_line.isascii() or not size_line.isdecimal():
        raise CheckpointFormatError(f"tree size {size_line!r} is not a decimal number")
    if size_line != "0" and size_line.startswith("0"):
        raise CheckpointFormatError(f"tree size {size_line!r} has leading zeros")
    size = int(size_line)
    if size > MAX_SIZE:
        raise CheckpointFormatError(f"tree size {size_line} does not fit in 64 bits")
    root = _b64(root_line, "root hash")
    if len(root) != HASH_SIZE:
        raise CheckpointFormatError(f"root hash is {len(root)} bytes, expected {HASH_SIZE}")
    if "" in extensions:
        raise CheckpointFormatError("empty extension line in the checkpoint body")
    checkpoint = Checkpoint(origin, size, root, tuple(extensions))
    return SignedCheckpoint(checkpoint, tuple(signatures), text)


def open_note_signature(
    body: str, signatures: tuple[NoteSignature, ...], key_name: str, verify_key: VerifyKey
) -> None:
    """Check that one of ``signatures`` is a valid Ed25519 signature of ``body`` by the key.

    Signatures by other keys are ignored. Raises
    :class:`~anchors.errors.CheckpointSignatureError` if none by this key verifies.
    """
    want = key_hash(key_name, verify_key)
    mine = [
        s for s in signatures if s.key_name == key_name and hmac.compare_digest(s.key_hash, want)
    ]
    if not mine:
        names = sorted({s.key_name for s in signatures})
        raise CheckpointSignatureError(
            f"no signature by key {key_name!r} ({want.hex()}); signed by {names}"
        )
    for sig in mine:
        if len(sig.signature) != 64:
            continue
        try:
            verify_key.verify(body.encode(), sig.signature)
        except BadSignatureError:
            continue
        return
    raise CheckpointSignatureError(f"signature by key {key_name!r} does not verify")


def verify_checkpoint(text: str, key_name: str, verify_key: VerifyKey) -> Checkpoint:
    """Parse a signed checkpoint and return it if ``key_name``/``verify_key`` signed it.

    Raises :class:`~anchors.errors.CheckpointFormatError` if the note is malformed and
    :class:`~anchors.errors.CheckpointSignatureError` if no signature by that key verifies.
    """
    signed = parse_checkpoint(text)
    body = text[: text.rfind("\n\n") + 1]
    open_note_signature(body, signed.signatures, key_name, verify_key)
    return signed.checkpoint
