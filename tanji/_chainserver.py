"""``tanji network up --embedded``: an in-process py-evm chain served over JSON-RPC.

Every other process (the node, the organisations' commands) reaches it like anvil, with
:class:`anchors.chain.RpcChain`. Requests go through web3's eth-tester provider with its
request and result formatters; results are written back in JSON-RPC form (quantities and
byte strings as ``0x`` hex, camelCase keys as web3 returns them). The chain lives in this
process only: stopping it ends the chain.

Run as ``python -m tanji._chainserver --port N``.
"""

from __future__ import annotations

import argparse
import ast
import json
import threading
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from hexbytes import HexBytes
from web3 import Web3

from anchors.chain import EmbeddedChain

_DEV_METHODS = {"evm_mine", "evm_increaseTime"}


def to_rpc(value: Any) -> Any:
    """A web3-formatted result in JSON-RPC form."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, bytes | bytearray | HexBytes):
        return "0x" + bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(k): to_rpc(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [to_rpc(v) for v in value]
    return value


def revert_data(exc: BaseException) -> bytes | None:
    """The raw revert data carried somewhere in ``exc``'s chain (eth-tester prints it as a
    Python bytes literal), or None."""
    seen: BaseException | None = exc
    while seen is not None:
        arg = seen.args[0] if seen.args else None
        if isinstance(arg, Exception) and arg.args:
            arg = arg.args[0]
        if isinstance(arg, bytes):
            return arg
        if isinstance(arg, str):
            text = arg.removeprefix("execution reverted: ")
            if text.startswith(("b'", 'b"')):
                try:
                    value = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    value = None
                if isinstance(value, bytes):
                    return value
        seen = seen.__cause__ or seen.__context__
    return None


class ChainServer:
    """One embedded chain answering JSON-RPC requests, one at a time."""

    def __init__(self) -> None:
        self.chain = EmbeddedChain()
        self._lock = threading.Lock()

    @property
    def w3(self) -> Web3:
        """The web3 instance over the embedded chain."""
        return self.chain.w3

    def handle(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Answer one JSON-RPC request object."""
        rid = request.get("id")
        method = str(request.get("method", ""))
        params = request.get("params") or []
        try:
            with self._lock:
                result = self._call(method, list(params))
        except Exception as exc:  # the client decodes the error like any node's
            revert = revert_data(exc)
            if revert is not None:
                error: dict[str, Any] = {
                    "code": 3,
                    "message": "execution reverted",
                    "data": "0x" + revert.hex(),
                }
            else:
                error = {"code": -32000, "message": str(exc) or type(exc).__name__}
            return {"jsonrpc": "2.0", "id": rid, "error": error}
        return {"jsonrpc": "2.0", "id": rid, "result": to_rpc(result)}

    def _call(self, method: str, params: list[Any]) -> Any:
        if method == "evm_mine":
            self.chain.mine(1)
            return "0x0"
        if method == "evm_increaseTime":
            value = params[0]
            seconds = int(value, 16) if isinstance(value, str) else int(value)
            return self.chain.advance_time(seconds)
        if method == "eth_sendRawTransaction":
            return self.w3.eth.send_raw_transaction(HexBytes(params[0]))
        return self.w3.manager.request_blocking(method, params)  # type: ignore[arg-type]


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Serve the chain on ``host:port`` until interrupted."""
    server = ChainServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            try:
                body = json.loads(self.rfile.read(length))
            except ValueError:
                self.send_error(400, "not JSON")
                return
            if isinstance(body, list):
                answer: Any = [server.handle(item) for item in body]
            else:
                answer = server.handle(body)
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer((host, port), Handler)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


def main() -> None:
    """``python -m tanji._chainserver --port N``."""
    parser = argparse.ArgumentParser(prog="python -m tanji._chainserver")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    serve(args.port, args.host)


if __name__ == "__main__":
    main()
