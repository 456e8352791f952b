"""The Fiat–Shamir transcript: deterministic, injective framing, challenges ratchet."""

from __future__ import annotations

from sdk.zk import L, Transcript


def _challenge(protocol: bytes, *appends: tuple[bytes, bytes]) -> int:
    t = Transcript(protocol)
    for label, data in appends:
        t.append(label, data)
    return t.challenge(b"e")


def test_same_appends_same_challenge() -> None:
    assert _challenge(b"p", (b"a", b"1")) == _challenge(b"p", (b"a", b"1"))
    assert 0 <= _challenge(b"p") < L


def test_framing_is_injective() -> None:
    base = _challenge(b"p", (b"ab", b"c"))
    # Moving bytes between label and data, or between appends, changes the challenge.
    assert _challenge(b"p", (b"a", b"bc")) != base
    assert _challenge(b"p", (b"ab", b""), (b"", b"c")) != base
    assert _challenge(b"q", (b"ab", b"c")) != base  # another protocol (domain separation)
    assert _challenge(b"p", (b"ab", b"c"), (b"", b"")) != base  # an empty append counts


def test_challenges_depend_on_earlier_challenges() -> None:
    t1, t2 = Transcript(b"p"), Transcript(b"p")
    first = t1.challenge(b"x")
    assert t2.challenge(b"x") == first
    assert t1.challenge(b"x") != first  # the first challenge was absorbed
