"""``python -m demo_chain [--anvil] [--out DIR] [--no-frauds] [--serve]``: the end-to-end demo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from anchors.errors import ChainError
from demo_chain._scenario import run
from node.errors import NodeProcessError


def main(argv: Sequence[str] | None = None) -> int:
    """Run the notebook-computer scenario; exit 0 when the label verifies and every fraud
    is caught, 1 otherwise, 2 when the chain cannot be started (e.g. no anvil binary)."""
    parser = argparse.ArgumentParser(
        prog="python -m demo_chain",
        description="Tanji end-to-end demo: a notebook computer's carbon footprint, "
        "from its suppliers to a verified label.",
    )
    parser.add_argument(
        "--anvil",
        action="store_true",
        help="run against anvil (node_modules/.bin/anvil) and a node process",
    )
    parser.add_argument("--out", type=Path, default=Path("out"), help="output directory")
    parser.add_argument("--no-frauds", action="store_true", help="skip the fraud attempts")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="keep the node (and chain) running afterwards, so the label's QR code opens; "
        "Ctrl-C stops them",
    )
    args = parser.parse_args(argv)
    try:
        outcome = run(args.out, anvil=args.anvil, frauds=not args.no_frauds, serve=args.serve)
    except ChainError as exc:
        print(f"demo: the chain is not available: {exc}", file=sys.stderr)
        return 2
    except NodeProcessError as exc:
        print(f"demo: the node process did not start: {exc}", file=sys.stderr)
        return 2
    ok = outcome.report.ok and all(f.caught for f in outcome.frauds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
