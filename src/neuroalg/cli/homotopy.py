"""Command of the homotopy engine: ``solve``."""

from __future__ import annotations

import typer

from .app import app, emit, run, show_progress


@app.command(help="All isolated solutions of a square polynomial system (homotopy from the "
                  "start system of the smallest root bound: total degree, multi-homogeneous or "
                  "polyhedral; Krawczyk certification): 'katsura N', 'cyclic N' or a file with "
                  "one equation per line.")
def solve(system: str = typer.Argument(..., help="'katsura N', 'cyclic N' or a file."),
          as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
          seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
          no_certify: bool = typer.Option(False, "--no-certify", help="Skip Krawczyk's test."),
          method: str = typer.Option("auto", "--method",
                                     help="Start system: auto (smallest root bound), "
                                          "total-degree, multihomogeneous or polyhedral."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
    from ..homotopy.solve import solve as compute
    from ..homotopy.text import parse_system

    poly = run(parse_system, system)
    emit(run(compute, poly, seed=seed, certify=not no_certify, method=method,
             show_progress=show_progress(quiet, as_json)), as_json)
