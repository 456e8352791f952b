"""``python -m gateway.meters``: run a simulated meter, read a meter, sign a reading.

Exit codes: 0 done; 1 the meter did not answer or refused (timeout, abnormal reply,
corrupt frames, gateway unreachable); 2 bad arguments or files.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

from nacl.signing import SigningKey

from gateway.meters._dlt645 import FORWARD_ACTIVE_ENERGY, DataId, MeterAddress
from gateway.meters._reader import DEFAULT_RETRIES, DEFAULT_TIMEOUT, Dlt645Client
from gateway.meters._signing import MeterPoint, read_signed
from gateway.meters._simulator import MeterSimulator, SimulatedMeter
from gateway.meters.errors import DataFormatError, FrameError, MeterError
from sdk.footprint import device_key_id

#: ``type`` of a device key file.
DEVICE_KEY_TYPE = "tanji.device-key"


class UsageError(ValueError):
    """Bad arguments or files (exit code 2)."""


def _address(text: str) -> MeterAddress:
    try:
        return MeterAddress.parse(text)
    except FrameError as exc:
        raise UsageError(f"--address: {exc.reason}") from None


def _data_id(text: str) -> DataId:
    try:
        data_id = DataId.parse(text)
        _ = data_id.format
    except DataFormatError as exc:
        raise UsageError(f"--data-id: {exc}") from None
    return data_id


def _meter(text: str) -> SimulatedMeter:
    address, _, energy = text.partition("=")
    try:
        value = Decimal(energy or "0")
    except InvalidOperation:
        raise UsageError(f"--meter {text!r}: the energy must be a decimal (kWh)") from None
    return SimulatedMeter(_address(address), forward_energy=value)


def write_device_key(path: Path, key: SigningKey) -> None:
    """Write ``key``'s seed to a new file readable by its owner only (0600); refuses to
    overwrite. The file is not encrypted: a production gateway keeps device keys in its
    wallet or a secure element."""
    doc = {"type": DEVICE_KEY_TYPE, "version": 1, "seed": bytes(key).hex()}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(doc, out)
        out.write("\n")


def read_device_key(path: Path) -> SigningKey:
    """Load a device key file written by :func:`write_device_key`; raises UsageError."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("type") != DEVICE_KEY_TYPE or doc.get("version") != 1:
            raise ValueError(f"not a {DEVICE_KEY_TYPE} file")
        seed = bytes.fromhex(doc["seed"])
        if len(seed) != 32:
            raise ValueError("the seed is not 32 bytes")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"--key {path}: {exc}") from None
    return SigningKey(seed)


def _print(out: TextIO, doc: dict[str, Any], as_json: bool, text: str) -> None:
    out.write((json.dumps(doc, ensure_ascii=False) if as_json else text) + "\n")


async def _simulate(args: argparse.Namespace, out: TextIO) -> int:
    meters = [_meter(m) for m in args.meter] or [SimulatedMeter(MeterAddress.parse("1"))]
    simulator = MeterSimulator(meters, host=args.host, port=args.port)
    try:
        await simulator.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc}") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(sig, stop.set)
    listed = ", ".join(f"{m.address}={m.forward_energy} kWh" for m in meters)
    _print(
        out,
        {"host": args.host, "port": simulator.port, "meters": [str(m.address) for m in meters]},
        args.json,
        f"DL/T 645 meter simulator on {args.host}:{simulator.port} ({listed}); Ctrl-C stops",
    )
    out.flush()
    try:
        await stop.wait()
    finally:
        await simulator.stop()
    return 0


async def _read(args: argparse.Namespace, out: TextIO) -> int:
    data_id = _data_id(args.data_id)
    given = None if args.address is None else _address(args.address)
    async with Dlt645Client(
        args.host, args.port, timeout=args.timeout, retries=args.retries
    ) as client:
        address = await client.read_address() if given is None else given
        result = await client.read(address, data_id)
    value = str(result.value)
    _print(
        out,
        {
            "address": str(result.address),
            "dataId": str(data_id),
            "name": result.name,
            "value": value,
            "unit": result.unit,
        },
        args.json,
        f"{result.address} {data_id} {result.name}: {value} {result.unit}".rstrip(),
    )
    return 0


async def _sign(args: argparse.Namespace, out: TextIO) -> int:
    key = read_device_key(Path(args.key))
    try:
        point = MeterPoint(args.device_id, _address(args.address), _data_id(args.data_id))
    except DataFormatError as exc:
        raise UsageError(f"--data-id: {exc}") from None
    async with Dlt645Client(
        args.host, args.port, timeout=args.timeout, retries=args.retries
    ) as client:
        signed = await read_signed(client, point, key)
    out.write(json.dumps(signed.to_dict(), indent=None if args.json else 2) + "\n")
    return 0


def _keygen(args: argparse.Namespace, out: TextIO) -> int:
    key = SigningKey.generate()
    try:
        write_device_key(Path(args.out), key)
    except OSError as exc:
        raise UsageError(f"--out {args.out}: {exc}") from None
    public = bytes(key.verify_key)
    doc = {"publicKey": base64.b64encode(public).decode(), "keyId": device_key_id(public)}
    text = f"device key written to {args.out}\npublic key {doc['publicKey']}\nkey id {doc['keyId']}"
    _print(out, doc, args.json, text)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gateway.meters",
        description="DL/T 645-2007 meters over a TCP serial gateway: simulate, read, sign.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def connection(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1", help="gateway host (default 127.0.0.1)")
        p.add_argument("--port", type=int, required=True, help="gateway TCP port")
        p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per try")
        p.add_argument("--retries", type=int, default=DEFAULT_RETRIES, help="further tries")
        p.add_argument("--json", action="store_true", help="machine-readable output")

    sim = sub.add_parser("simulate", help="run simulated meters behind a TCP gateway")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=0, help="0 picks a free port")
    sim.add_argument(
        "--meter",
        action="append",
        default=[],
        metavar="ADDRESS=KWH",
        help="a meter and its forward active energy (repeatable; default 000000000001=0)",
    )
    sim.add_argument("--json", action="store_true")

    read = sub.add_parser("read", help="read one register of a meter")
    connection(read)
    read.add_argument("--address", help="meter address (default: ask the only meter on the bus)")
    read.add_argument("--data-id", default=str(FORWARD_ACTIVE_ENERGY), help="DI3..DI0 in hex")

    sign = sub.add_parser("sign", help="read a meter's energy register and sign the reading")
    connection(sign)
    sign.add_argument("--address", required=True)
    sign.add_argument("--device-id", required=True, help="the meter's registered device id")
    sign.add_argument("--key", required=True, help="device key file (from keygen)")
    sign.add_argument("--data-id", default=str(FORWARD_ACTIVE_ENERGY))

    keygen = sub.add_parser("keygen", help="create a device signing key file (mode 0600)")
    keygen.add_argument("--out", required=True)
    keygen.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (see the module docstring)."""
    stream = sys.stdout if out is None else out
    args = _parser().parse_args(argv)
    try:
        if args.command == "keygen":
            return _keygen(args, stream)
        command = {"simulate": _simulate, "read": _read, "sign": _sign}[args.command]
        return asyncio.run(command(args, stream))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MeterError as exc:
        print(f"meter error: {exc}", file=sys.stderr)
        return 1
