"""The ``neuroalg`` command (typer + rich): one module per command group, the only package that
imports typer. A command parses its options, calls one library function (imported inside the
command, so that ``neuroalg --help`` imports no engine) and renders the result.
"""

from __future__ import annotations

from . import atlas as atlas  # noqa: F401  (registers the commands on ``app``)
from . import dynamics as dynamics  # noqa: F401
from . import geometry as geometry  # noqa: F401
from . import harmonics as harmonics  # noqa: F401
from . import homotopy as homotopy  # noqa: F401
from . import learning as learning  # noqa: F401
from . import represent as represent  # noqa: F401
from . import tropical as tropical  # noqa: F401
from .app import app as app


def main() -> None:
    """Entry point of the ``neuroalg`` script."""
    app()
