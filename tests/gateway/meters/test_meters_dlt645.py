"""DL/T 645-2007 frames, addresses and value formats, against published frames."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.meters import (
    COMBINED_ACTIVE_ENERGY,
    COMMUNICATION_ADDRESS,
    FORWARD_ACTIVE_ENERGY,
    PHASE_A_CURRENT,
    WILDCARD_ADDRESS,
    Control,
    DataFormatError,
    DataId,
    Frame,
    FrameBuffer,
    FrameError,
    Function,
    MeterAddress,
    abnormal_reply,
    data_format,
    decode_frame,
    decode_value,
    encode_value,
    error_reasons,
    read_address_request,
    read_reply,
    read_request,
)

D = Decimal
VECTORS = json.loads(
    (Path(__file__).parent / "vectors" / "dlt645_frames.json").read_text(encoding="utf-8")
)["frames"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_published_frames_decode_and_re_encode(vector: dict[str, str]) -> None:
    raw = bytes.fromhex(vector["hex"])
    frame = decode_frame(raw)
    assert str(frame.address) == vector["address"]
    assert frame.control.byte == int(vector["control"], 16)
    assert frame.data == bytes.fromhex(vector["data"])
    preamble = len(raw) - len(raw.lstrip(b"\xfe"))
    assert frame.encode(preamble) == raw
    if "dataId" in vector:
        assert DataId.from_wire(frame.data[:4]) == DataId.parse(vector["dataId"])
    if "value" in vector:
        data_id = DataId.parse(vector["dataId"])
        assert decode_value(data_id, frame.data[4:]) == D(vector["value"])
        assert read_reply(frame.address, data_id, D(vector["value"])) == frame


def test_builders_produce_the_published_requests() -> None:
    by_name = {v["name"]: bytes.fromhex(v["hex"]) for v in VECTORS}
    meter = MeterAddress.parse("161")
    assert (
        read_request(meter, FORWARD_ACTIVE_ENERGY).encode(4)
        == (by_name["read_forward_active_energy_request"])
    )
    assert read_address_request().encode(4) == by_name["read_address_request"]
    assert (
        read_request(WILDCARD_ADDRESS, FORWARD_ACTIVE_ENERGY).encode()
        == (by_name["read_forward_active_energy_wildcard_request"])
    )


@pytest.mark.parametrize(
    ("index", "step"),
    [
        (4, "frame.start"),  # first 68H
        (5, "frame.checksum"),  # an address byte: still BCD, but the sum changes
        (11, "frame.start"),  # second 68H
        (12, "frame.checksum"),  # control code
        (14, "frame.checksum"),  # a data byte
        (18, "frame.checksum"),  # CS itself
        (19, "frame.end"),  # 16H
    ],
)
def test_a_changed_byte_is_named(index: int, step: str) -> None:
    raw = bytearray(bytes.fromhex(VECTORS[0]["hex"]))
    raw[index] ^= 0x01
    with pytest.raises(FrameError) as info:
        decode_frame(bytes(raw))
    assert info.value.step == step


def test_every_byte_flip_of_every_published_frame_is_refused() -> None:
    for vector in VECTORS:
        raw = bytes.fromhex(vector["hex"])
        start = len(raw) - len(raw.lstrip(b"\xfe"))
        for i in range(start, len(raw)):
            for bit in range(8):
                tampered = bytearray(raw)
                tampered[i] ^= 1 << bit
                with pytest.raises(FrameError):
                    decode_frame(bytes(tampered))


def test_length_and_trailing_bytes() -> None:
    raw = bytes.fromhex(VECTORS[1]["hex"])
    with pytest.raises(FrameError) as info:
        decode_frame(raw[:-1])
    assert info.value.step == "frame.length"
    with pytest.raises(FrameError) as info:
        decode_frame(raw + b"\x00")
    assert info.value.step == "frame.length"
    with pytest.raises(FrameError, match="at most 200"):
        Frame(WILDCARD_ADDRESS, Control(Function.READ_DATA), bytes(201))


def test_addresses() -> None:
    address = MeterAddress.parse("123456789012")
    assert address.wire == bytes.fromhex("129078563412")
    assert MeterAddress.from_wire(address.wire) == address
    assert MeterAddress.parse("1").digits == "000000000001"
    assert MeterAddress.parse("aaaaaaaa0161") == MeterAddress("AAAAAAAA0161")
    assert MeterAddress("AAAAAAAA0161").matches(MeterAddress.parse("161"))
    assert not MeterAddress("AAAAAAAA0162").matches(MeterAddress.parse("161"))
    with pytest.raises(FrameError) as info:
        MeterAddress.from_wire(bytes.fromhex("1A0000000000"))
    assert info.value.step == "frame.address"
    for bad in ("12345678901X", "1234567890123", "A23456789012"):
        with pytest.raises(FrameError):
            MeterAddress.parse(bad)


def test_value_formats() -> None:
    assert encode_value(FORWARD_ACTIVE_ENERGY, D("123456.78")) == bytes.fromhex("78563412")
    assert decode_value(FORWARD_ACTIVE_ENERGY, bytes.fromhex("78563412")) == D("123456.78")
    # combined energy: sign in the top bit of the most significant byte
    negative = encode_value(COMBINED_ACTIVE_ENERGY, D("-12.34"))
    assert negative == bytes.fromhex("34120080")
    assert decode_value(COMBINED_ACTIVE_ENERGY, negative) == D("-12.34")
    assert decode_value(PHASE_A_CURRENT, encode_value(PHASE_A_CURRENT, D("-1.5"))) == D("-1.500")
    assert decode_value(COMMUNICATION_ADDRESS, bytes.fromhex("610100000000")) == "000000000161"
    assert data_format(DataId.parse("00 01 01 03")).name == (
        "forward active energy, tariff 1, settlement day 3"
    )
    with pytest.raises(DataFormatError, match="decimals"):
        encode_value(FORWARD_ACTIVE_ENERGY, D("1.234"))
    with pytest.raises(DataFormatError, match="does not fit"):
        encode_value(FORWARD_ACTIVE_ENERGY, D("1000000.00"))
    with pytest.raises(DataFormatError, match="does not fit"):
        encode_value(COMBINED_ACTIVE_ENERGY, D("800000.00"))
    with pytest.raises(DataFormatError, match="negative"):
        encode_value(FORWARD_ACTIVE_ENERGY, D("-1"))
    with pytest.raises(DataFormatError, match="not BCD"):
        decode_value(FORWARD_ACTIVE_ENERGY, bytes.fromhex("0A000000"))
    with pytest.raises(DataFormatError, match="4 bytes"):
        decode_value(FORWARD_ACTIVE_ENERGY, bytes(3))
    with pytest.raises(DataFormatError, match="not one this reader knows"):
        data_format(DataId.parse("04000101"))


def test_abnormal_reply_and_error_bits() -> None:
    frame = abnormal_reply(MeterAddress.parse("161"), Function.READ_DATA, 0x06)
    decoded = decode_frame(frame.encode())
    assert decoded.control == Control(Function.READ_DATA, from_meter=True, abnormal=True)
    assert decoded.control.byte == 0xD1
    assert error_reasons(decoded.data[0]) == (
        "no requested data (无请求数据)",
        "password error or unauthorised (密码错/未授权)",
    )


def test_frame_buffer_reassembles_a_stream() -> None:
    buffer = FrameBuffer()
    stream = b"\x00\x13" + bytes.fromhex(VECTORS[1]["hex"]) + bytes.fromhex(VECTORS[3]["hex"])
    frames = []
    for byte in stream:  # one byte at a time, as a slow link delivers them
        buffer.feed(bytes([byte]))
        while (frame := buffer.next_frame()) is not None:
            frames.append(frame)
    assert [f.data[:4] for f in frames] == [FORWARD_ACTIVE_ENERGY.wire, DataId(0x02010100).wire]
    # a corrupt frame is reported once, then the next good frame comes through
    corrupt = bytearray(bytes.fromhex(VECTORS[1]["hex"]))
    corrupt[-2] ^= 0xFF
    buffer.feed(bytes(corrupt) + bytes.fromhex(VECTORS[3]["hex"]))
    with pytest.raises(FrameError) as info:
        buffer.next_frame()
    assert info.value.step == "frame.checksum"
    good = buffer.next_frame()
    assert good is not None
    assert good.data[:4] == DataId(0x02010100).wire
    assert buffer.next_frame() is None


@settings(max_examples=200, deadline=None)
@given(
    address=st.lists(
        st.one_of(st.integers(0, 99).map(lambda n: f"{n:02d}"), st.just("AA")),
        min_size=6,
        max_size=6,
    ),
    function=st.integers(0, 0x1F),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    data=st.binary(max_size=200),
    preamble=st.integers(0, 4),
)
def test_encode_decode_round_trip(
    address: list[str],
    function: int,
    flags: tuple[bool, bool, bool],
    data: bytes,
    preamble: int,
) -> None:
    frame = Frame(MeterAddress("".join(address)), Control(function, *flags), data)
    assert decode_frame(frame.encode(preamble)) == frame


@settings(max_examples=200, deadline=None)
@given(cents=st.integers(0, 99_999_999))
def test_energy_value_round_trip(cents: int) -> None:
    value = D(cents).scaleb(-2)
    assert decode_value(FORWARD_ACTIVE_ENERGY, encode_value(FORWARD_ACTIVE_ENERGY, value)) == value
