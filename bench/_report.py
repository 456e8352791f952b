"""Rows of the benchmark table and their rendering."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    """One measured figure next to the baseline it is compared with.

    ``ratio`` is figure / baseline when larger is better (rates) and baseline / figure
    when smaller is better (latencies, gas); it is always "how many times better than the
    baseline" so the table reads one way.
    """

    group: str
    what: str
    figure: str
    baseline: str
    ratio: float
    goal: str
    met: bool

    def markdown(self) -> str:
        mark = "yes" if self.met else "**no**"
        # Below 0.01 (an operation worth hundreds of baseline operations) two decimals
        # would print 0.00: keep two significant digits instead.
        ratio = f"{self.ratio:,.2f}" if self.ratio >= 0.01 else f"{self.ratio:.2g}"
        return (
            f"| {self.group} | {self.what} | {self.figure} | {self.baseline} | "
            f"{ratio}× | {self.goal} | {mark} |"
        )


HEADER = (
    "| area | what | measured | baseline (same run) | ratio | goal | met |\n"
    "|---|---|---|---|---|---|---|"
)


def render(rows: list[Row]) -> str:
    return "\n".join([HEADER, *(row.markdown() for row in rows)])


def save(rows: list[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")
