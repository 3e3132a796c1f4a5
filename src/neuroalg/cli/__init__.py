"""The ``neuroalg`` command (typer + rich): one module per command group, the only package that
imports typer. A command parses its options, calls one library function (imported inside the
command, so that ``neuroalg --help`` imports no engine) and renders the result.
"""

from __future__ import annotations

from . import atlas as atlas  # noqa: F401  (registers the commands on ``app``)
from . import geometry as geometry  # noqa: F401
from . import harmonics as harmonics  # noqa: F401
from . import homotopy as homotopy  # noqa: F401
from . import represent as represent  # noqa: F401
from . import tropical as tropical  # noqa: F401
from .app import _register_extensions
from .app import app as app

# re-exported for the package commands
from .app import emit as emit
from .app import err as err
from .app import fail as fail
from .app import progress_printer as progress_printer
from .app import run as run

_register_extensions()


def main() -> None:
    """Entry point of the ``neuroalg`` script."""
    app()
