"""How the demo talks: numbered acts, who does what, and what each party can and cannot see."""

from __future__ import annotations

import sys
import textwrap
from typing import TextIO

_WIDTH = 92


class Story:
    """Prints the scenario as a story; every line also goes to ``transcript`` for the files."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out if out is not None else sys.stdout
        self._act = 0
        self.transcript: list[str] = []

    def _emit(self, text: str = "") -> None:
        self.transcript.append(text)
        print(text, file=self._out, flush=True)

    def title(self, text: str) -> None:
        """The demo's heading."""
        self._emit("=" * _WIDTH)
        self._emit(text)
        self._emit("=" * _WIDTH)

    def act(self, title: str, summary: str) -> None:
        """Start the next numbered act with a one-paragraph summary."""
        self._act += 1
        self._emit()
        self._emit(f"Act {self._act}. {title}")
        self._emit("-" * _WIDTH)
        for line in textwrap.wrap(summary, _WIDTH - 2):
            self._emit(f"  {line}")

    def say(self, who: str, text: str) -> None:
        """One party does or says something."""
        prefix = f"  [{who}] "
        lines = textwrap.wrap(
            text, _WIDTH - len(prefix), break_long_words=False, break_on_hyphens=False
        ) or [""]
        self._emit(prefix + lines[0])
        for line in lines[1:]:
            self._emit(" " * len(prefix) + line)

    def sees(self, who: str, can: str, cannot: str) -> None:
        """What one party can and cannot see at this point."""
        self.say(who, f"can see: {can}")
        self.say(who, f"cannot see: {cannot}")

    def block(self, text: str, indent: int = 4) -> None:
        """A pre-formatted block (tables, reports), indented."""
        for line in text.splitlines():
            self._emit(" " * indent + line)

    def note(self, text: str) -> None:
        """A plain narrator line."""
        for line in textwrap.wrap(text, _WIDTH - 2):
            self._emit(f"  {line}")
