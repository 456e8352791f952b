"""Where a wallet's passphrase comes from: a file, an environment variable, or a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from sdk.wallet.errors import PassphraseUnavailable

PASSPHRASE_ENV = "TANJI_PASSPHRASE"  # noqa: S105 - a variable name
"""Environment variable holding the passphrase itself."""
PASSPHRASE_FILE_ENV = "TANJI_PASSPHRASE_FILE"  # noqa: S105 - a variable name
"""Environment variable naming a file whose first line is the passphrase."""


def _from_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PassphraseUnavailable(f"cannot read passphrase file {path}: {exc}") from exc
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    if not passphrase:
        raise PassphraseUnavailable(f"passphrase file {path} is empty")
    return passphrase


def read_passphrase(
    *,
    file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    prompt: str = "Wallet passphrase: ",
    confirm: bool = False,
    interactive: bool | None = None,
    ask: Callable[[str], str] = getpass.getpass,
) -> str:
    """The passphrase, from the first source that has one: ``file`` (its first line),
    ``$TANJI_PASSPHRASE``, the file named by ``$TANJI_PASSPHRASE_FILE``, else a prompt
    when standard input is a terminal (``interactive`` overrides the check; ``confirm``
    asks twice, for a new wallet).

    Raises :class:`PassphraseUnavailable` when none gives a non-empty passphrase, or the
    two prompted entries differ.
    """
    env = os.environ if environ is None else environ
    if file is not None:
        return _from_file(Path(file))
    if env.get(PASSPHRASE_ENV):
        return env[PASSPHRASE_ENV]
    if env.get(PASSPHRASE_FILE_ENV):
        return _from_file(Path(env[PASSPHRASE_FILE_ENV]))
    if interactive is None:
        interactive = sys.stdin.isatty()
    if not interactive:
        raise PassphraseUnavailable(
            f"no passphrase: set {PASSPHRASE_ENV} or {PASSPHRASE_FILE_ENV}, pass "
            "--passphrase-file, or run in a terminal to be asked"
        )
    first = ask(prompt)
    if not first:
        raise PassphraseUnavailable("an empty passphrase is not accepted")
    if confirm and ask("Repeat the passphrase: ") != first:
        raise PassphraseUnavailable("the two passphrases differ")
    return first
