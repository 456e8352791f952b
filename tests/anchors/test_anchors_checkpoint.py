"""C2SP tlog-checkpoint / signed-note: signing, strict parsing, verification, tampering."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from nacl.signing import SigningKey

from anchors import (
    Checkpoint,
    checkpoint_origin,
    leaf_hash,
    parse_checkpoint,
    sign_checkpoint,
    verifier_key,
    verify_checkpoint,
)
from anchors._checkpoint import key_hash, open_note_signature, sign_note
from anchors.errors import CheckpointFormatError, CheckpointSignatureError

# Published example of golang.org/x/mod/sumdb/note (package documentation, BSD-3-Clause):
# signer key, verifier key and the signed note it produces. Ed25519 is deterministic, so
# our signer must reproduce the note byte for byte and our key hash must be c74f20a3.
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n— PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)

KEY = SigningKey(bytes(range(32)))
NAME = "node.tanji.example"
ROOT = leaf_hash(b"root")


def _go_key() -> SigningKey:
    blob = base64.b64decode(GO_SIGNER.split("+", 4)[4])
    assert blob[0] == 0x01
    return SigningKey(blob[1:])


def test_go_signed_note_vector() -> None:
    key = _go_key()
    assert key_hash("PeterNeumann", key.verify_key).hex() == "c74f20a3"
    assert verifier_key("PeterNeumann", key.verify_key) == GO_VERIFIER
    assert sign_note(GO_TEXT, key, "PeterNeumann") == GO_NOTE


def _signed(cp: Checkpoint | None = None) -> str:
    return sign_checkpoint(cp or Checkpoint(checkpoint_origin(31337, "main"), 42, ROOT), KEY, NAME)


def test_sign_parse_verify_roundtrip() -> None:
    cp = Checkpoint(checkpoint_origin(31337, "main"), 42, ROOT)
    text = sign_checkpoint(cp, KEY, NAME)
    lines = text.split("\n")
    assert lines[:4] == ["tanji/31337/main", "42", base64.b64encode(ROOT).decode(), ""]
    assert lines[4].startswith("— node.tanji.example ")
    assert text.endswith("\n")
    assert verify_checkpoint(text, NAME, KEY.verify_key) == cp
    parsed = parse_checkpoint(text)
    assert parsed.checkpoint == cp
    assert parsed.signatures[0].key_hash == key_hash(NAME, KEY.verify_key)
    assert len(parsed.signatures[0].signature) == 64


def test_extension_lines_are_preserved_and_signed() -> None:
    cp = Checkpoint("tanji/1/log", 7, ROOT, ("Timestamp: 1700000000", "extra ✓"))
    text = sign_checkpoint(cp, KEY, NAME)
    assert verify_checkpoint(text, NAME, KEY.verify_key) == cp
    with pytest.raises(CheckpointSignatureError, match="does not verify"):
        verify_checkpoint(text.replace("extra ✓", "extra ✗"), NAME, KEY.verify_key)


def test_zero_size_and_cosignatures() -> None:
    cp = Checkpoint("tanji/1/log", 0, ROOT)
    text = sign_checkpoint(cp, KEY, NAME)
    other = SigningKey(bytes(32))
    cosigned = text + sign_checkpoint(cp, other, "witness.example").split("\n\n")[1]
    assert verify_checkpoint(cosigned, NAME, KEY.verify_key) == cp
    assert verify_checkpoint(cosigned, "witness.example", other.verify_key) == cp
    assert len(parse_checkpoint(cosigned).signatures) == 2


def test_checkpoint_origin() -> None:
    assert checkpoint_origin(1, "main-log-2") == "tanji/1/main-log-2"
    for chain_id, log_id in [(0, "a"), (-1, "a"), (True, "a"), (1, "A"), (1, ""), (1, "a/b")]:
        with pytest.raises(CheckpointFormatError):
            checkpoint_origin(chain_id, log_id)


def test_constructor_validates() -> None:
    with pytest.raises(CheckpointFormatError, match="root must be 32 bytes"):
        Checkpoint("o", 1, ROOT[:31])
    with pytest.raises(CheckpointFormatError, match="outside"):
        Checkpoint("o", -1, ROOT)
    with pytest.raises(CheckpointFormatError, match="origin"):
        Checkpoint("", 1, ROOT)
    with pytest.raises(CheckpointFormatError, match="origin"):
        Checkpoint("a\nb", 1, ROOT)
    with pytest.raises(CheckpointFormatError, match="extension"):
        Checkpoint("o", 1, ROOT, ("",))
    with pytest.raises(CheckpointFormatError, match="control character"):
        Checkpoint("o\tx", 1, ROOT)
    for bad in ["a b", "a+b", "", "a\u00a0b"]:
        with pytest.raises(CheckpointFormatError, match="key name"):
            sign_checkpoint(Checkpoint("o", 1, ROOT), KEY, bad)


def _replace_line(text: str, index: int, new: str) -> str:
    lines = text.split("\n")
    lines[index] = new
    return "\n".join(lines)


ROOT_B64 = base64.b64encode(ROOT).decode()

MALFORMED: dict[str, tuple[Callable[[str], str], str]] = {
    "missing trailing newline": (lambda t: t[:-1], "does not end with a newline"),
    "no blank line": (lambda t: t.replace("\n\n", "\n"), "no blank line"),
    "no signatures": (lambda t: t.split("\n\n")[0] + "\n\n", "no signatures"),
    "size not decimal": (lambda t: _replace_line(t, 1, "0x2a"), "not a decimal"),
    "size negative": (lambda t: _replace_line(t, 1, "-42"), "not a decimal"),
    "size with plus": (lambda t: _replace_line(t, 1, "+42"), "not a decimal"),
    "size unicode digits": (lambda t: _replace_line(t, 1, "٤٢"), "not a decimal"),
    "size leading zero": (lambda t: _replace_line(t, 1, "042"), "leading zeros"),
    "size too large": (lambda t: _replace_line(t, 1, str(1 << 64)), "64 bits"),
    "size empty": (lambda t: _replace_line(t, 1, ""), "not a decimal"),
    "root bad base64": (lambda t: _replace_line(t, 2, "not*base64"), "not valid base64"),
    "root urlsafe base64": (
        lambda t: _replace_line(t, 2, base64.urlsafe_b64encode(b"\xff" * 32).decode()),
        "not valid base64",
    ),
    "root unpadded": (lambda t: _replace_line(t, 2, ROOT_B64.rstrip("=")), "base64"),
    "root 31 bytes": (
        lambda t: _replace_line(t, 2, base64.b64encode(ROOT[:31]).decode()),
        "31 bytes, expected 32",
    ),
    "root 33 bytes": (
        lambda t: _replace_line(t, 2, base64.b64encode(ROOT + b"x").decode()),
        "33 bytes",
    ),
    "missing root line": (
        lambda t: t.replace(ROOT_B64 + "\n", ""),
        "needs origin, size and root",
    ),
    "empty origin": (lambda t: _replace_line(t, 0, ""), "origin line is empty"),
    "carriage return": (lambda t: t.replace("\n", "\r\n", 1), "control character"),
    "signature without dash": (lambda t: t.replace("— ", "- "), "does not start with"),
    "signature name with space": (lambda t: t.replace(NAME, "node tanji"), "not '— <name>"),
    "signature name with plus": (lambda t: t.replace(NAME, "node+tanji"), r"contains '\+'"),
    "signature bad base64": (lambda t: t[:-3] + "!!\n", "not valid base64"),
    "signature too short": (
        lambda t: t.split("\n\n")[0] + "\n\n— k " + base64.b64encode(b"1234").decode() + "\n",
        "shorter",
    ),
    "duplicate signature": (
        lambda t: t + t.split("\n\n")[1],
        "duplicate signature",
    ),
    "blank line in signatures": (lambda t: t + "\n", "no signatures"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_checkpoints_are_named(case: str) -> None:
    mutate, message = MALFORMED[case]
    text = mutate(_signed())
    with pytest.raises(CheckpointFormatError, match=message):
        parse_checkpoint(text)
    with pytest.raises(CheckpointFormatError):
        verify_checkpoint(text, NAME, KEY.verify_key)


def test_wrong_key_or_name() -> None:
    text = _signed()
    other = SigningKey(bytes(32))
    with pytest.raises(CheckpointSignatureError, match="no signature by key"):
        verify_checkpoint(text, NAME, other.verify_key)
    with pytest.raises(CheckpointSignatureError, match="no signature by key"):
        verify_checkpoint(text, "someone.else", KEY.verify_key)
    # Right name and key hash, signature made by another key: refused.
    forged = sign_checkpoint(Checkpoint("tanji/31337/main", 42, ROOT), other, NAME)
    kh = key_hash(NAME, KEY.verify_key)
    sig = base64.b64decode(forged.split(" ")[-1])[4:]
    forged = forged.rsplit(" ", 1)[0] + " " + base64.b64encode(kh + sig).decode() + "\n"
    with pytest.raises(CheckpointSignatureError, match="does not verify"):
        verify_checkpoint(forged, NAME, KEY.verify_key)


def test_every_tampered_byte_is_rejected() -> None:
    text = _signed()
    raw = text.encode()
    body_len = len(text[: text.rfind("\n\n") + 1].encode())
    # Flip one bit in every byte of the signed body and of the signature line.
    for i in range(len(raw)):
        for bit in (0x01, 0x20):
            tampered = bytearray(raw)
            tampered[i] ^= bit
            try:
                candidate = tampered.decode()
            except UnicodeDecodeError:
                continue  # not text: cannot even be handed to the verifier
            if candidate == text:
                continue
            with pytest.raises((CheckpointFormatError, CheckpointSignatureError)):
                verify_checkpoint(candidate, NAME, KEY.verify_key)
    assert body_len > 0


def test_open_note_signature_ignores_wrong_length_signatures() -> None:
    parsed = parse_checkpoint(_signed())
    sig = parsed.signatures[0]
    short = type(sig)(sig.key_name, sig.key_hash, sig.signature[:63])
    body = parsed.text[: parsed.text.rfind("\n\n") + 1]
    with pytest.raises(CheckpointSignatureError, match="does not verify"):
        open_note_signature(body, (short,), NAME, KEY.verify_key)
    open_note_signature(body, (short, sig), NAME, KEY.verify_key)


@pytest.mark.parametrize(
    ("old", "new"),
    [("tanji/31337/main", "tanji/31337/main\ud800"), (f"— {NAME} ", f"— {NAME}\udc80 ")],
)
def test_lone_surrogates_are_format_errors(old: str, new: str) -> None:
    # A JSON string may carry "\ud800"; such text has no UTF-8 bytes to verify, so it is a
    # malformed note (CheckpointFormatError), not a UnicodeEncodeError escaping the tree.
    text = sign_checkpoint(Checkpoint("tanji/31337/main", 3, ROOT), KEY, NAME)
    bad = text.replace(old, new)
    assert bad != text
    with pytest.raises(CheckpointFormatError, match="surrogate"):
        parse_checkpoint(bad)
    with pytest.raises(CheckpointFormatError, match="surrogate"):
        verify_checkpoint(bad, NAME, KEY.verify_key)


def test_lone_surrogates_are_refused_when_signing() -> None:
    with pytest.raises(CheckpointFormatError, match="surrogate"):
        Checkpoint("tanji/1/a\udfff", 1, ROOT)
    with pytest.raises(CheckpointFormatError, match="surrogate"):
        Checkpoint("tanji/1/a", 1, ROOT, ("ext\ud800",))
    with pytest.raises(CheckpointFormatError, match="surrogate"):
        key_hash("op\ud800", KEY.verify_key)
    with pytest.raises(CheckpointFormatError, match="surrogate"):
        sign_note("text\udc00\n", KEY, NAME)
