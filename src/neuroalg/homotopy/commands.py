"""CLI command of the homotopy engine: ``solve`` (the geometry commands live in ``cli.py``)."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from ..errors import SpecError

def parse_system(text: str):
    """'katsura N', 'cyclic N', or a file with one polynomial equation per line (sympy syntax,
    variables are the free symbols in sorted order; '#' starts a comment)."""
    from .examples import cyclic, katsura
    from .polynomial import PolySystem

    match = re.fullmatch(r"\s*(katsura|cyclic)[\s-]*(\d+)\s*", text)
    if match:
        n = int(match.group(2))
        if not 2 <= n <= 14:
            raise SpecError(f"{match.group(1)} N needs 2 <= N <= 14; got {n}")
        return (katsura if match.group(1) == "katsura" else cyclic)(n)
    path = Path(text)
    if not path.is_file():
        raise SpecError(f"system must be 'katsura N', 'cyclic N' or a file of equations; got {text!r}")
    import sympy

    lines = [ln.split("#")[0].strip() for ln in path.read_text().splitlines()]
    try:
        exprs = [sympy.sympify(ln.replace("^", "**")) for ln in lines if ln]
    except (sympy.SympifyError, SyntaxError, TypeError) as exc:
        raise SpecError(f"{path}: not a polynomial equation ({exc})") from None
    symbols = sorted(set().union(*(e.free_symbols for e in exprs)), key=str)
    try:
        return PolySystem.from_sympy(exprs, symbols)
    except sympy.PolynomialError as exc:
        raise SpecError(f"{path}: not polynomial ({exc})") from None


def register(app: typer.Typer) -> None:
    @app.command(help="All isolated solutions of a square polynomial system (total-degree "
                      "homotopy, Krawczyk certification): 'katsura N', 'cyclic N' or a file with "
                      "one equation per line.")
    def solve(system: str = typer.Argument(..., help="'katsura N', 'cyclic N' or a file."),
              as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
              seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
              no_certify: bool = typer.Option(False, "--no-certify", help="Skip Krawczyk's test."),
              quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
        from ..cli import emit, progress_printer, run
        from .solve import solve as compute

        poly = run(parse_system, system)
        emit(run(compute, poly, seed=seed, certify=not no_certify,
                 show_progress=progress_printer(not quiet and not as_json)), as_json)
