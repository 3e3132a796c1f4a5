"""The ``neuroalg`` command (typer + rich): one module per command group, the only package that
imports typer. A command parses its options, calls one library function (imported inside the
command, so that ``neuroalg --help`` imports no engine) and renders the result.

Commands register on the app (``_app.py``) when their module is imported. typer builds every
registered command on each run, so the script loads only the module of the command it is asked
for (:data:`COMMANDS`), and every module when it is asked for none (``--help``, ``--version``) or
for an unknown one. ``neuroalg.cli.app`` is the app with every command.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

#: the modules holding the commands, in the order ``neuroalg --help`` lists them
MODULES = ("atlas", "dynamics", "geometry", "harmonics", "homotopy", "learning", "represent", "tropical")
#: every command and command group -> the module defining it (checked by tests/test_cli.py)
COMMANDS = {
    "atlas": "atlas",
    "agf": "dynamics", "endpoints": "dynamics",
    "specs": "geometry", "dim": "geometry", "degree": "geometry", "critical": "geometry",
    "equations": "geometry", "fiber": "geometry", "singular": "geometry", "member": "geometry",
    "verify": "geometry", "demo": "geometry",
    "irreps": "harmonics", "harmonics": "harmonics", "fourier-bridge": "harmonics",
    "solve": "homotopy",
    "fisher": "learning", "generalization": "learning", "rlct": "learning", "llc": "learning",
    "stitch": "represent", "hyperdga": "represent",
    "regions": "tropical", "tropical": "tropical",
}


def load(argv: list[str] | None = None) -> typer.Typer:
    """The app, with the commands that the command line ``argv`` (without the program name)
    runs registered: those of its first word's module, or all when ``argv`` is None or its first
    word is no command."""
    first = argv[0] if argv else None
    for module in (COMMANDS[first],) if first in COMMANDS else MODULES:
        importlib.import_module(f"{__name__}.{module}")
    from ._app import app

    return app


def main() -> None:
    """Entry point of the ``neuroalg`` script."""
    load(sys.argv[1:])()


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the app with every command (tests, embedding)
        globals()["app"] = app = load()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
