"""``tanji``: the command line of every Tanji role (``tanji --help``; ``python -m tanji``).

Commands are in :mod:`tanji.cli` (typer); what they share in :mod:`tanji._app`. The
package holds no API of its own: everything it does goes through :mod:`sdk` (roles,
wallet), :mod:`node` and :mod:`anchors`, so a script can do the same in Python.
"""

__all__: list[str] = []
