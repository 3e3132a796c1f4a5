"""The typer app shared by every command module: the guarded top-level group, consoles, and the
helpers each command uses (``run``, ``emit``, ``fail``, ``show_progress``).

Results go to stdout (a table, or JSON with ``--json``); progress and errors go to stderr. An
error is one line and exit code 2 (``NEUROALG_TRACEBACK=1`` shows the traceback).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn, Protocol, TypeGuard

import typer
from rich.console import Console
from typer.core import TyperGroup

from .._version import __version__
from ..errors import NeuroalgError


class _Guarded(TyperGroup):
    """The top-level command group: every failure becomes one line on stderr and exit code 2.

    Input errors (neuroalg's own, missing or unreadable files, permission errors) name the bad
    part; anything else is reported as an internal error. ``NEUROALG_TRACEBACK=1`` re-raises.
    """

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare ``neuroalg``: the help, no error
                typer.echo(exc.ctx.get_help())  # type: ignore[attr-defined]
                raise typer.Exit(0) from None
            if _is_usage_error(exc):
                fail(f"{exc.format_message()} (see --help)", getattr(exc, "exit_code", 2) or 2)
            raise

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that turns failures into lines
            if _is_usage_error(exc):  # typer may vendor its own click: recognized by shape
                fail(f"{exc.format_message()} (see --help)", getattr(exc, "exit_code", 2) or 2)
            if type(exc).__name__ in ("Exit", "Abort"):
                raise
            if os.environ.get("NEUROALG_TRACEBACK"):
                raise
            fail(_one_line(exc))
        except KeyboardInterrupt:
            err.print("interrupted", highlight=False)
            raise typer.Exit(130) from None


class _UsageError(Protocol):
    """The shape of click's usage errors (typer may vendor its own click)."""

    exit_code: int

    def format_message(self) -> str: ...

    def show(self) -> None: ...


def _is_usage_error(exc: Exception) -> TypeGuard[_UsageError]:
    return hasattr(exc, "format_message") and hasattr(exc, "exit_code") and hasattr(exc, "show")


def _one_line(exc: Exception) -> str:
    if isinstance(exc, NeuroalgError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f"'{exc.filename}': " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return (f"internal error ({type(exc).__name__}{': ' + first if first else ''}); this is a "
            "bug in neuroalg, please report it (NEUROALG_TRACEBACK=1 shows the traceback)")


app = typer.Typer(
    cls=_Guarded,
    name="neuroalg",
    help="Neuroalgebraic geometry: certified invariants of neural-network function spaces.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(emoji=False)  # values are text: ":name:" is never an emoji
err = Console(stderr=True, emoji=False)

SPEC_HELP = "Architecture spec, e.g. 'mlp 3,2,1 x^2' (see 'neuroalg specs')."


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` (one line, never read as markup) on stderr and exit."""
    from rich.markup import escape

    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def run(func, *args, **kwargs):
    """Call a library function; turn neuroalg errors into one-line messages with exit code 2."""
    try:
        return func(*args, **kwargs)
    except NeuroalgError as exc:
        if os.environ.get("NEUROALG_TRACEBACK"):
            raise
        fail(str(exc))


def emit(result, as_json: bool) -> None:
    """Print a result: strict JSON of its ``to_dict()`` (see ``report.to_json``) or its rich
    rendering."""
    if as_json:
        from ..report import to_json

        sys.stdout.write(to_json(result.to_dict()) + "\n")
    else:
        out.print(result)


def parse(spec: str):
    """The architecture of ``spec`` (a one-line error when malformed), before any engine loads."""
    from ..spec import parse_spec

    return run(parse_spec, spec)


def show_progress(quiet: bool, as_json: bool) -> bool:
    """The library's ``show_progress`` for a command: progress on stderr unless ``--quiet``; with
    ``--json`` only when stderr is a terminal (stdout carries only the JSON either way)."""
    return not quiet and (not as_json or sys.stderr.isatty())


@app.callback(invoke_without_command=True)
def _main(version: bool = typer.Option(False, "--version", help="Print the version and exit.")):
    if version:
        out.print(f"neuroalg {__version__}")
        raise typer.Exit()
