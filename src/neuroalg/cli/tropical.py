"""Commands of the tropical side of ReLU networks: ``regions`` and ``tropical``."""

from __future__ import annotations

import typer

from ._app import app, emit, err, run, show_progress

NET_HELP = ("A JSON file {\"layers\": [{\"weight\": [[...], ...], \"bias\": [...]}, ...]} (ReLU after "
            "every layer but the last, affine output), or a random network spec 'relu n0,...,nL' "
            "(standard normal weights and biases, drawn from --seed).")


@app.command(help="Exact activation regions, linear regions and distinct affine maps of a ReLU "
                  "network, with the bounds panel and a sampling estimate.\n\nNET: " + NET_HELP)
def regions(
    net: str = typer.Argument(..., help=NET_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
    box: str = typer.Option(None, "--box", help="Restrict to a box: LO,HI or LO1,HI1;LO2,HI2 "
                            "(default: the whole input space)."),
    rtol: float = typer.Option(1e-7, "--rtol", help="Smallest inradius of a region, relative "
                               "to the domain's length scale."),
    samples: int = typer.Option(20000, "--samples", help="Points of the sampling estimate (0: none)."),
    symmetric: bool = typer.Option(False, "--symmetric", help="Count only regions meeting the "
                                   "fundamental domain x1>=...>=xn of a permutation-invariant "
                                   "network, weighted by orbit size."),
    plot: str = typer.Option(None, "--plot", help="Write a picture of the regions (2 inputs) "
                             "colored by affine map, e.g. regions.png."),
    certify: bool = typer.Option(None, "--certify/--no-certify", help="Re-check every region "
                                 "in exact arithmetic (default: exact networks with <= 2000 "
                                 "regions); proves the count for 1-2 inputs on a box."),
    method: str = typer.Option("auto", "--method", help="auto (pieces classified by their "
                               "vertices/rays, LPs where needed) or lp (LPs only)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars (they appear on "
                               "stderr once a stage runs for 1 s; with --json only when "
                               "stderr is a terminal)."),
):

    from ..options import check_output_path
    from ..tropical.network import load_network
    from ..tropical.regions import check_options, count_regions, parse_box

    # every option is checked before any computation (a bad --plot fails in a second)
    rtol, samples = run(check_options, rtol=rtol, n_samples=samples, names=("--rtol", "--samples"))
    b = run(parse_box, box)
    if plot:
        run(check_output_path, plot, "--plot")
    network = run(load_network, net, seed=seed)
    bars = show_progress(quiet, as_json)
    if symmetric:
        from ..tropical.symmetry import count_regions_symmetric

        result = run(count_regions_symmetric, network, box=b, rtol=rtol, seed=seed,
                     n_samples=samples, show_progress=bars)
    else:
        result = run(count_regions, network, box=b, rtol=rtol, seed=seed, n_samples=samples,
                     method=method, certify=certify, show_progress=bars)
    if plot:
        from ..tropical.plot import plot_regions

        run(plot_regions, network, plot, box=b, rtol=rtol)
        if bars:
            err.print(f"wrote {plot}", highlight=False, markup=False)
    emit(result, as_json)

@app.command(help="The tropical rational map F ⊘ G of a ReLU network (Zhang-Naitzat-Lim), "
                  "with monomial counts and optionally the sampling radius.\n\nNET: "
                  + NET_HELP)
def tropical(
    net: str = typer.Argument(..., help=NET_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    seed: int = typer.Option(None, "--seed", help="Random seed of a spec network."),
    no_prune: bool = typer.Option(False, "--no-prune", help="Keep redundant monomials."),
    radius: bool = typer.Option(False, "--radius", help="Also compute the sampling radius R: "
                                "[-R,R]^n meets the interior of every linear region, proven "
                                "in exact arithmetic (small one-output networks)."),
):
    from ..tropical.expression import tropical_expression

    emit(run(tropical_expression, net, prune=not no_prune, radius=radius, seed=seed), as_json)
