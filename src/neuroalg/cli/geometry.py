"""Commands of the invariants: specs, dim, degree, critical, equations, fiber, singular, member,
verify, demo."""

from __future__ import annotations

from pathlib import Path

import typer

from ..spec import GRAMMAR
from ._app import SPEC_HELP, app, emit, fail, out, parse, run, show_progress


@app.command(help="The architecture spec grammar.")
def specs():
    out.print(GRAMMAR, highlight=False, markup=False)


@app.command(help="Dimension of the neurovariety of SPEC, with proven bounds.\n\n\b\n" + GRAMMAR)
def dim(
    spec: str = typer.Argument(..., help=SPEC_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
    numerical: bool = typer.Option(False, "--numerical", help="float64 rank with its singular-value gap."),
    projective: bool = typer.Option(False, "--projective", help="Product-of-projective-spaces convention."),
    error_target: float = typer.Option(1e-12, "--error-target", help="Monte Carlo error bound to reach."),
    force: bool = typer.Option(False, "--force", help="Run even if predicted to exceed the budget."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages."),
):
    spec = parse(spec)  # a bad spec fails before any engine is imported
    from ..geometry import dimension

    result = run(dimension, spec, seed=seed, method="numerical" if numerical else "auto",
                 projective=projective, error_target=error_target, force=force,
                 show_progress=show_progress(quiet, as_json))
    emit(result, as_json)


@app.command(help="Degree of the neurovariety of SPEC (monodromy + trace test).")
def degree(spec: str = typer.Argument(..., help=SPEC_HELP),
           method: str = typer.Option("auto", "--method",
                                      help="auto (a theorem where one identifies V: linear networks, "
                                           "one hidden neuron), witness (always the witness set) or "
                                           "theorem."),
           as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
           seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
           quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
    spec = parse(spec)  # a bad spec fails before any engine is imported
    from ..geometry.witness.degree import degree as compute


    emit(run(compute, spec, seed=seed, method=method, show_progress=show_progress(quiet, as_json)),
         as_json)


@app.command(help="Critical points of the squared loss on the neurovariety of SPEC: ED degree "
                  "(generic or unit metric) or learning degree (data metric), and the real "
                  "critical points for a real target with their Hessian index.")
def critical(spec: str = typer.Argument(..., help=SPEC_HELP),
             metric: str = typer.Option("generic", "--metric", help="generic | unit | data"),
             data: Path = typer.Option(None, "--data", help='JSON {"X": [[...]], "Y": [[...]]} '
                                       "for --metric data (default: random Gaussian data)."),
             samples: int = typer.Option(None, "--samples", min=1, help="Random data size for "
                                         "--metric data (default 4 P)."),
             strata: bool = typer.Option(False, "--strata", help="Also count critical points on "
                                         "each subnetwork stratum (MLPs: one neuron removed; "
                                         "attention: key/query rank a - 1)."),
             method: str = typer.Option("auto", "--method", help="param (gauge-fixed parameters) | "
                                        "implicit (Lagrange system on the equations of V, in "
                                        "function space) | auto (= param)."),
             solver: str = typer.Option("auto", "--solver", help="How the square system is "
                                        "solved: homotopy (from a start system: every path "
                                        "accounted for) | monodromy | auto (homotopy when its "
                                        "root bound is small)."),
             check: bool = typer.Option(True, "--check/--no-check", help="Completeness evidence: "
                                        "an independent second run and a homotopy to a fresh "
                                        "target (default on)."),
             checkpoint: Path = typer.Option(None, "--checkpoint", help="JSON file of the "
                                             "solutions found so far, written after every round; "
                                             "an existing file for the same problem is resumed "
                                             "(its seed is reused when --seed is not given)."),
             as_json: bool = typer.Option(False, "--json", help="Print one JSON object (with "
                                          "the complex critical points, their weights and the "
                                          "target: critical_points)."),
             seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
             quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
    spec = parse(spec)  # a bad spec fails before any engine is imported
    from ..geometry.witness.critical import critical_points
    from ..options import load_json

    payload = None
    if data is not None and metric != "data":
        fail("--data needs --metric data")
    if samples is not None and metric != "data":
        fail("--samples needs --metric data (it sets the size of random data)")
    if samples is not None and data is not None:
        fail("--samples sets the size of random data; --data gives the data: use one of them")
    if data is not None:
        payload = run(load_json, data, "--data")
    emit(run(critical_points, spec, metric=metric, data=payload, n_samples=samples, seed=seed,
             strata=strata, method=method, solver=solver, check=check, checkpoint=checkpoint,
             show_progress=show_progress(quiet, as_json)), as_json)


@app.command(help="Defining equations of the neurovariety of SPEC up to a degree: interpolation "
                  "over GF(p), rational reconstruction, exact verification; Hilbert function.")
def equations(spec: str = typer.Argument(..., help=SPEC_HELP),
              degree: int = typer.Option(..., "--degree", "-d", help="Highest degree (1..8)."),
              as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
              seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
              max_generators: int = typer.Option(6000, "--max-generators",
                                                 help="Compute generators up to this many monomials."),
              latex: bool = typer.Option(False, "--latex", help="Print the generators in LaTeX."),
              structural: bool = typer.Option(True, "--structural/--no-structural",
                                              help="Add the known structural generators "
                                                   "(catalecticants, determinantal, LCN)."),
              quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
    spec = parse(spec)  # a bad spec fails before any engine is imported
    from ..geometry.equations import equations as compute

    result = run(compute, spec, degree=degree, seed=seed, max_generators=max_generators,
                 structural=structural, show_progress=show_progress(quiet, as_json))
    if latex and not as_json:
        lines = list(result.latex())
        for fam in result.structural:
            lines += [f"% {fam.name}: rank <= {fam.rank_bound}" if fam.rank_bound is not None
                      else f"% {fam.name}", fam.matrix_latex(), *fam.generators_latex()]
        for line in filter(None, lines):
            out.print(line, highlight=False, markup=False, soft_wrap=True)
        return
    emit(result, as_json)


@app.command(help="Generic fiber of the parameterization of SPEC modulo rescalings (Kruskal's "
                  "criterion or monodromy on a gauge slice), and hidden symmetries.")
def fiber(spec: str = typer.Argument(..., help=SPEC_HELP),
          method: str = typer.Option("auto", "--method",
                                     help="auto (Kruskal's criterion where it proves the count: "
                                          "shallow MLPs with x^r, no biases; else monodromy), "
                                          "theorem, or monodromy."),
          as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
          seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
    spec = parse(spec)  # a bad spec fails before any engine is imported
    from ..geometry.witness.fiber import fiber as compute

    emit(run(compute, spec, seed=seed, method=method, show_progress=show_progress(quiet, as_json)),
         as_json)


@app.command(help="Subnetwork strata of SPEC: dimension, Jacobian rank, singular-point test "
                  "(proven when positive) and critical exposure (numerical).")
def singular(spec: str = typer.Argument(..., help=SPEC_HELP),
             as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
             seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
             quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
    spec = parse(spec)  # a bad spec fails before any engine is imported
    from ..geometry.witness.singular import singular as compute

    emit(run(compute, spec, seed=seed, show_progress=show_progress(quiet, as_json)),
         as_json)


@app.command(help="Is FUNCTION (a polynomial in x1, x2, ...; outputs separated by ';') in the "
                  "neurovariety of SPEC, and which weights realize it.")
def member(spec: str = typer.Argument(..., help=SPEC_HELP),
           function: str = typer.Argument(..., help="e.g. 'x1^3 + x2^3', 'x1 + x2; 2*x1', or for "
                                           "1/x networks '1/(x1 + x2) - 2/x1'."),
           as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
           seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
           method: str = typer.Option("auto", "--method",
                                      help="auto (a decomposition where one decides, else equations "
                                           "and the witness-set test), decomposition, or witness."),
           quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
    spec = parse(spec)  # a bad spec fails before any engine is imported
    from ..geometry.membership.member import member as compute

    emit(run(compute, spec, function, seed=seed, method=method,
             show_progress=show_progress(quiet, as_json)), as_json)


@app.command(help="Re-check a dimension record (the JSON of 'neuroalg dim SPEC --json'): replay "
                  "its seed and re-prove its bounds with a fresh seed.")
def verify(record: Path = typer.Argument(..., help="JSON file with one dimension record ('-' = stdin)."),
           as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
           seed: int = typer.Option(None, "--seed", help="Seed of the fresh run.")):
    from ..options import load_json

    data = run(load_json, record, "RECORD")
    from ..geometry.dimension.verify import verify as compute

    result = run(compute, data, seed=seed)
    emit(result, as_json)
    if not result.is_verified:
        raise typer.Exit(1)


DEMO = ("mlp 3,5,1 x^4", "mlp 5,7,1 x^3", "mlp 2,3,30,3,8,2,1 x^2", "mlp 3,3,3,3 x^2", "mlp 5,5,3,1 x^2",
        "mlp 2,2,1 x^3+x^2", "linear 3,2,4", "rational 2,3,1",
        "cnn k=3,2 s=2,1 x^2", "attention l=2 d=3 a=2 t=3")


@app.command(help="Dimension reports for a few classic architectures.")
def demo(seed: int = typer.Option(0, "--seed"), full: bool = typer.Option(False, "--full",
         help="Print every report in full after the summary.")):
    from rich.console import Console
    from rich.table import Table

    from ..geometry import dimension

    results = [run(dimension, spec, seed=seed) for spec in DEMO]
    table = Table(title="neuroalg: dimensions of classic neurovarieties (affine, over C)",
                  title_justify="left")
    for col in ("architecture", "#params", "ambient", "expected", "proven bounds", "dimension", "status"):
        table.add_column(col, justify="left" if col in ("architecture", "status") else "right",
                         no_wrap=True)
    for r in results:
        status = ("certified" if r.is_certified else f"Monte Carlo, error <= {r.error_bound:.0e}")
        table.add_row(r.spec, str(r.params), str(r.ambient if r.ambient is not None else "-"),
                      str(r.expected), f"[{r.lower}, {r.upper}]", str(r.dimension), status)
    wide = out if out.width >= 132 else Console(width=132)
    wide.print(table)
    out.print(f"seed {seed}; 'neuroalg dim SPEC' prints the full report with its evidence.")
    if full:
        for r in results:
            out.print()
            out.print(r)
