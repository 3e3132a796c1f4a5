"""Commands on learned representations: ``stitch`` (zero-shot stitching through relative
representations) and ``hyperdga`` (similarity of two point sets in hyperbolic space)."""

from __future__ import annotations

import typer

from .app import app, emit, err, run, show_progress

POINTS_HELP = ("A JSON file holding a list of points [[x1, x2, ...], ...] (or {\"points\": [...]}) "
               "inside the unit ball (Poincare model).")


@app.command(help="Zero-shot model stitching on scikit-learn's digits: pairs of networks from "
                  "different seeds, stitched through vanilla, normalized and normalized+densified "
                  "relative representations (Moschella et al. arXiv:2209.15430; Garcia-Castellanos "
                  "et al. arXiv:2409.10967). Needs the extra 'represent' (scikit-learn).")
def stitch(
    seeds: int = typer.Option(5, "--seeds", help="Independent repetitions."),
    anchors: int = typer.Option(64, "--anchors", help="Anchor samples."),
    epochs: int = typer.Option(60, "--epochs"),
    variants: str = typer.Option("vanilla,normalized,densified", "--variants",
                                 help="Comma-separated subset of vanilla, normalized, densified."),
    dens_weight: float = typer.Option(1.0, "--dens-weight", help="Weight of the densification loss."),
    beta: float = typer.Option(0.3, "--beta", help="Target death time of the densification loss."),
    seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
):
    from ..represent.stitching import stitching_experiment

    names = tuple(v.strip() for v in variants.split(",") if v.strip())
    if show_progress(quiet, as_json):
        err.print(f"training {2 * seeds * len(names)} networks...", style="dim", highlight=False,
                  markup=False)
    emit(run(stitching_experiment, n_seeds=seeds, n_anchors=anchors, epochs=epochs,
             variants=names, dens_weight=dens_weight, beta=beta, seed=seed), as_json)


@app.command(help="HyperDGA (Medbouhi et al. arXiv:2404.08608): the fraction of hyperbolic "
                  "Delaunay edges joining two point sets in the Poincare ball, with the hyperbolic "
                  "Wasserstein and symmetric Chamfer baselines; or, with --shift-experiment, the "
                  "synthetic shift experiment.\n\nA, B: " + POINTS_HELP)
def hyperdga(
    a: str = typer.Argument(None, help="Points of A. " + POINTS_HELP),
    b: str = typer.Argument(None, help="Points of B. " + POINTS_HELP),
    plot: str = typer.Option(None, "--plot", help="Write a picture of the graph (2-D), e.g. g.png."),
    no_baselines: bool = typer.Option(False, "--no-baselines", help="Skip Wasserstein and Chamfer."),
    edges: bool = typer.Option(False, "--edges", help="Include the edge list in --json output."),
    shift_experiment: bool = typer.Option(False, "--shift-experiment", help="Run the synthetic "
                                          "shift experiment instead (A and B not needed)."),
    points: int = typer.Option(200, "--points", help="Points per set in the shift experiment."),
    dim: int = typer.Option(2, "--dim", help="Dimension in the shift experiment."),
    seeds: int = typer.Option(5, "--seeds", help="Seeds per shift in the shift experiment."),
    seed: int = typer.Option(None, "--seed", help="Random seed of the shift experiment."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    from ..errors import SpecError

    if shift_experiment:
        from ..hyperbolic.experiment import shift_experiment as run_shift

        emit(run(run_shift, n_points=points, dim=dim, n_seeds=seeds, seed=seed), as_json)
        return
    if a is None or b is None:
        run(_raise, SpecError("hyperdga needs two point files A and B (or --shift-experiment)"))
    from ..hyperbolic.hyperdga import hyperdga as compute

    if plot:
        from ..options import check_output_path

        run(check_output_path, plot, "--plot")
    A, B = run(_load_points, a, "A"), run(_load_points, b, "B")
    result = run(compute, A, B, baselines=not no_baselines)
    if plot:
        from ..hyperbolic.plot import plot_hyperdga

        run(plot_hyperdga, result, plot)
    if as_json:
        import sys

        from ..report import to_json

        data = result.to_dict()
        if not edges:
            del data["edges"]
        sys.stdout.write(to_json(data) + "\n")
    else:
        emit(result, False)


def _raise(exc):
    raise exc


def _load_points(path: str, name: str):
    from ..errors import SpecError
    from ..options import check_matrix, load_json

    data = load_json(path, name)
    if isinstance(data, dict):
        if set(data) != {"points"}:
            raise SpecError(f"{name}: a JSON object must have exactly the key \"points\"; got "
                            f"keys {sorted(data)}")
        data = data["points"]
    return check_matrix(data, f"{name} ('{path}')", ndim=2)
