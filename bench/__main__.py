"""``make bench``: run every benchmark module and print one table.

Each ``bench/bench_*.py`` module has ``run(quick: bool) -> list[Row]``. ``--quick`` runs
reduced sizes (for a smoke check); ``--only NAME`` runs one module.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from bench._report import Row, render, save

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="reduced sizes, for a smoke run")
    parser.add_argument("--only", action="append", default=[], help="module name, e.g. log")
    args = parser.parse_args(argv)

    names = sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(HERE)])
        if m.name.startswith("bench_")
    )
    if args.only:
        unknown = set(args.only) - set(names)
        if unknown:
            parser.error(f"unknown benchmark(s) {sorted(unknown)}; known: {names}")
        names = [n for n in names if n in args.only]

    rows: list[Row] = []
    for name in names:
        print(f"== bench {name}", file=sys.stderr, flush=True)
        module = importlib.import_module(f"bench.bench_{name}")
        got = module.run(quick=args.quick)
        save(got, HERE / "results" / f"{name}.json")
        rows.extend(got)
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
