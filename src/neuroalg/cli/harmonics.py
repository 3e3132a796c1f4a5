"""Commands on finite groups and the harmonics of invariant networks: ``irreps``, ``harmonics``
(train a spectral network on orbit data and recover the group) and ``fourier-bridge`` (the
Fourier modes of Z_p behind ``agf modular``)."""

from __future__ import annotations

import typer

from ._app import app, emit, err, run, show_progress

GROUP_ARG = ("A finite group: C<n> or Z<n>, D<n> (order 2n), S<n>, A<n>, Q8, products such as "
             "C2xC3, or 'perm (1 2 3), (1 2)' (generators in 1-based cycle notation).")


@app.command(help="The irreducible unitary representations of a finite group, computed from its "
                  "Cayley table (commutant of the regular representation), with the character "
                  "table and the checks: homomorphism, unitarity, orthogonality, sum d^2 = |G|."
                  "\n\nGROUP: " + GROUP_ARG)
def irreps(
    group: str = typer.Argument(..., help=GROUP_ARG),
    seed: int = typer.Option(None, "--seed", help="Random seed of the commutant element "
                             "(default: fresh, recorded)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    from ..harmonics.groups import parse_group
    from ..harmonics.irreps import irreducible_representations

    G = run(parse_group, group)
    emit(run(irreducible_representations, G, seed=seed), as_json)


@app.command(help="Train the spectral invariant network of Marchetti-Hillar-Kragic-Sanborn "
                  "(arXiv:2312.08550) on orbit data of GROUP and recover the Cayley table from "
                  "its weights; checks W(gh) = W(g)W(h), an isomorphism with the true group and "
                  "unitary equivalence to the true irreducibles.\n\nGROUP: " + GROUP_ARG)
def harmonics(
    group: str = typer.Argument(..., help=GROUP_ARG),
    seed: int = typer.Option(None, "--seed", help="Random seed (data, initializations)."),
    restarts: int = typer.Option(4, "--restarts", help="Random initializations (best kept)."),
    noise: float = typer.Option(0.0, "--noise", help="Relative noise on the translated signals."),
    signals: int = typer.Option(None, "--signals", help="Signals in the training set (each paired "
                                "with all |G| translates; default max(8, 48 // |G| + 2))."),
    max_iter: int = typer.Option(3000, "--max-iter", help="L-BFGS iterations per restart."),
    lam: float = typer.Option(1.0, "--lam", help="Weight of the Plancherel (unitarity) term; "
                              "smaller values helped at order 60 (see the README)."),
    atol: float = typer.Option(1e-3, "--atol", help="Largest accepted unitary-equivalence "
                               "residual for status 'numerical'."),
    method: str = typer.Option("numpy", "--method", help="numpy (no extra dependency) or torch."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    from ..harmonics.groups import parse_group
    from ..harmonics.recovery import recover_group

    G = run(parse_group, group)
    emit(run(recover_group, G, seed=seed, restarts=restarts, noise=noise, n_signals=signals,
             max_iter=max_iter, lam=lam, atol=atol, method=method), as_json)


@app.command("fourier-bridge", help="Rank the real Fourier modes of Z_p for a template with the "
             "computed irreducibles of Z_p and compare with the agf modular closed form (Kunin et "
             "al., arXiv:2506.06489); --train also runs gradient descent and measures how "
             "concentrated each trained neuron is on one Fourier mode.")
def fourier_bridge_cmd(
    template: str = typer.Option(..., "--template", help="x[0],...,x[p-1]"),
    train: bool = typer.Option(False, "--train", help="Also train the quadratic network (GD)."),
    width: int = typer.Option(24, "--width"),
    alpha: float = typer.Option(0.05, "--alpha"),
    lr: float = typer.Option(0.2, "--lr"),
    tau_max: float = typer.Option(150.0, "--tau-max", help="Rescaled time to simulate."),
    seed: int = typer.Option(0, "--seed"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
):
    from ..harmonics.bridge import fourier_bridge

    x = run(_parse_floats, template)
    if train and show_progress(quiet, as_json):
        err.print("training the quadratic network (gradient descent)...", style="dim",
                  highlight=False, markup=False)
    emit(run(fourier_bridge, x, train=train, width=width, alpha=alpha, lr=lr, tau_max=tau_max,
             seed=seed), as_json)


def _parse_floats(text: str):
    from ..errors import SpecError

    try:
        vals = [float(t) for t in text.replace(" ", "").split(",") if t != ""]
    except ValueError:
        raise SpecError(f"--template must be comma-separated numbers; got {text!r}") from None
    if not vals:
        raise SpecError("--template must hold at least 2 numbers")
    return vals
