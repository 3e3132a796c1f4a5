"""Commands of the training dynamics: ``neuroalg agf diagonal-linear|linear|modular|attention``
and ``neuroalg endpoints SPEC``.

Every option is validated before any computation (numbers, output paths, input files, the
plotting library), so that a bad option fails in a second with one line and exit code 2.
"""

from __future__ import annotations

import typer

from .app import app, emit, run, show_progress

#: Largest values accepted for sizes (beyond them the computation would not finish anyway).
MAX_WIDTH = 10_000
MAX_PROMPTS = 10_000_000


def load_xy(path: str, *, y_ndim=(1, 2)):
    """``X`` (N x d) and ``y`` (N, or N x d_out) from the JSON file ``path`` of ``--data``.

    The file must hold exactly the keys "X" and "y"; both must be finite numbers with one row of
    y per row of X.
    """
    from ..errors import SpecError
    from ..options import check_keys, check_matrix, load_json

    data = check_keys(load_json(path, "--data"), "--data", required=("X", "y"))
    X = check_matrix(data["X"], "--data: X", ndim=2)
    y = check_matrix(data["y"], "--data: y", ndim=y_ndim)
    if len(X) == 0 or X.shape[1] == 0:
        raise SpecError(f"--data: X must have at least one row and one column; got shape {X.shape}")
    if len(y) != len(X):
        raise SpecError(f"--data: y must have one entry (row) per row of X: X has {len(X)} rows, "
                        f"y has {len(y)}")
    return X, y


def check_plot(path):
    """``--plot``: a writable file in an existing folder, and matplotlib importable."""
    from ..dynamics.plot import require_matplotlib
    from ..options import check_output_path

    if path is None:
        return None
    path = check_output_path(path, "--plot")
    require_matplotlib()
    return path


def check_alpha(alpha) -> float:
    from ..options import check_float

    return check_float(alpha, "--alpha", low=0.0, high=1.0, open_low=True, open_high=True)


def check_lr(lr):
    from ..options import check_float

    return None if lr is None else check_float(lr, "--lr", low=0.0, open_low=True)


def check_width(width, name: str = "--width") -> int:
    from ..options import check_int

    return check_int(width, name, low=1, high=MAX_WIDTH)


def parse_floats(text: str, name: str, *, at_least: int = 1):
    """Comma-separated finite numbers (``--template``, ``--lams``)."""
    import math

    from ..errors import SpecError

    try:
        vals = [float(t) for t in text.replace(" ", "").split(",") if t]
    except ValueError:
        raise SpecError(f"{name} must be numbers separated by commas; got '{text}'") from None
    if len(vals) < at_least:
        raise SpecError(f"{name} needs at least {at_least} number(s); got '{text}'")
    if not all(math.isfinite(v) for v in vals):
        raise SpecError(f"{name} must be finite numbers (no nan or inf); got '{text}'")
    return vals


agf_app = typer.Typer(help="Alternating Gradient Flows: predicted jumps vs simulated gradient "
                           "descent from small initialization.", no_args_is_help=True)
app.add_typer(agf_app, name="agf")

common_json = typer.Option(False, "--json", help="Print one JSON object.")

@agf_app.command("diagonal-linear", help="Diagonal linear network beta = u*v on data.json "
                 "({'X': [[...]], 'y': [...]}), loss 1/2 mean((y - X beta)^2); AGF, the "
                 "Pesme-Flammarion algorithm and GD at --alpha. Jump times in units of "
                 "log(1/alpha); steps = tau log(1/alpha) / lr.")
def diagonal_linear(
    data: str = typer.Option(..., "--data", help="JSON file with X (n x d) and y (n)."),
    alpha: float = typer.Option(1e-6, "--alpha", help="Initialization scale of the GD run, "
                                "in (0, 1)."),
    lr: float = typer.Option(None, "--lr", help="GD step > 0 (default 0.01 / "
                             "lambda_max(X^T X / n))."),
    plot: str = typer.Option(None, "--plot", help="Save a PNG of GD vs AGF here."),
    no_gd: bool = typer.Option(False, "--no-gd", help="Skip the GD simulation."),
    as_json: bool = common_json,
    seed: int = typer.Option(0, "--seed"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
):
    from ..dynamics.closed_forms import pesme_flammarion
    from ..dynamics.compare import compare
    from ..dynamics.models import DiagonalLinear

    alpha, lr, plot = run(check_alpha, alpha), run(check_lr, lr), run(check_plot, plot)
    X, y = run(load_xy, data, y_ndim=1)
    model = run(DiagonalLinear, X.shape[1])
    pf = run(pesme_flammarion, X, y)
    ref = {"name": "Pesme-Flammarion algorithm", "order": pf.order,
           "jump_times": list(pf.times), "levels": list(pf.levels)}
    res = run(compare, model, X, y, alpha=alpha, lr=lr, seed=seed, simulate_gd=not no_gd,
              reference=ref, show_progress=show_progress(quiet, as_json))
    if plot:
        from ..dynamics.plot import plot_comparison

        plot_comparison(res, str(plot), title=f"diagonal linear network, d={X.shape[1]}")
    emit(res, as_json)

@agf_app.command("linear", help="Fully connected two-layer linear network (width --width) on "
                 "data.json ({'X': [[...]], 'y': [[...]]}), loss 1/2 mean ||y - W2 W1 x||^2.")
def linear_cmd(
    data: str = typer.Option(..., "--data", help="JSON file with X (n x d_in) and y (n or "
                             "n x d_out)."),
    width: int = typer.Option(4, "--width", help=f"Hidden width, 1..{MAX_WIDTH}."),
    alpha: float = typer.Option(1e-6, "--alpha", help="Initialization scale, in (0, 1)."),
    lr: float = typer.Option(None, "--lr", help="GD step > 0."),
    plot: str = typer.Option(None, "--plot"),
    no_gd: bool = typer.Option(False, "--no-gd"),
    finite_alpha: bool = typer.Option(False, "--finite-alpha", help="AGF at --alpha instead "
                                      "of alpha -> 0 (exact expm(2Mt) dormant dynamics)."),
    as_json: bool = common_json,
    seed: int = typer.Option(0, "--seed"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
):
    from ..dynamics.compare import compare
    from ..dynamics.models import TwoLayer

    alpha, lr, plot = run(check_alpha, alpha), run(check_lr, lr), run(check_plot, plot)
    width = run(check_width, width)
    X, y = run(load_xy, data)
    Y = y[:, None] if y.ndim == 1 else y
    model = run(TwoLayer, X.shape[1], width, Y.shape[1], "x")
    res = run(compare, model, X, Y, alpha=alpha, lr=lr, seed=seed, simulate_gd=not no_gd,
              agf_options={"alpha": alpha} if finite_alpha else None,
              show_progress=show_progress(quiet, as_json))
    if plot:
        from ..dynamics.plot import plot_comparison

        plot_comparison(res, str(plot), title=f"linear network {X.shape[1]},{width},{Y.shape[1]}")
    emit(res, as_json)

@agf_app.command("modular", help="Quadratic network sum_i w_i (u_i.x1 + v_i.x2)^2 on modular "
                 "addition with a template (comma-separated, length p): closed-form Fourier "
                 "order and levels vs gradient descent. Loss = mean over samples and outputs of "
                 "(y - f)^2; time = gradient-flow time * alpha (kappa = 3).")
def modular_cmd(
    template: str = typer.Option(..., "--template", help="x[0],...,x[p-1] (p >= 2)"),
    width: int = typer.Option(24, "--width", help=f"Hidden width, 1..{MAX_WIDTH}."),
    alpha: float = typer.Option(0.05, "--alpha", help="Initialization scale, in (0, 1)."),
    lr: float = typer.Option(0.2, "--lr", help="GD step > 0."),
    tau_max: float = typer.Option(300.0, "--tau-max", help="Rescaled time to simulate (> 0)."),
    with_agf: bool = typer.Option(False, "--agf", help="Also run the kappa = 3 AGF engine "
                                  "(minutes for p = 20)."),
    plot: str = typer.Option(None, "--plot", help="Save a PNG of GD vs the levels (and AGF)."),
    as_json: bool = common_json,
    seed: int = typer.Option(0, "--seed"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
):
    from ..dynamics.compare import modular_comparison
    from ..options import check_float

    alpha, lr, plot = run(check_alpha, alpha), run(check_lr, lr), run(check_plot, plot)
    width = run(check_width, width)
    tau_max = run(check_float, tau_max, "--tau-max", low=0.0, open_low=True)
    x = run(parse_floats, template, "--template", at_least=2)
    res = run(modular_comparison, x, width=width, alpha=alpha, lr=lr, tau_max=tau_max,
              seed=seed, with_agf=with_agf, show_progress=show_progress(quiet, as_json))
    if plot:
        from ..dynamics.plot import plot_modular

        plot_modular(res, str(plot))
    emit(res, as_json)

@agf_app.command("attention", help="Attention-only linear transformer (rank-one key-query "
                 "heads) on in-context linear regression with x ~ N(0, diag(--lams)), "
                 "N = --context examples: AGF on sampled prompts vs the closed-form levels.")
def attention_cmd(
    lams: str = typer.Option("3,1.5,0.5", "--lams", help="Eigenvalues of the input "
                             "covariance (positive)."),
    context: int = typer.Option(8, "--context", help="Examples per prompt (>= 1)."),
    heads: int = typer.Option(4, "--heads", help=f"Heads, 1..{MAX_WIDTH}."),
    prompts: int = typer.Option(20000, "--prompts", help=f"Sampled prompts, 1..{MAX_PROMPTS}."),
    alpha: float = typer.Option(1e-6, "--alpha", help="Initialization scale, in (0, 1)."),
    gd: bool = typer.Option(False, "--gd", help="Also simulate GD at --alpha (slow for many "
                            "prompts)."),
    plot: str = typer.Option(None, "--plot", help="Save a PNG of the AGF staircase (and GD)."),
    as_json: bool = common_json,
    seed: int = typer.Option(0, "--seed"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
):
    import numpy as np

    from ..dynamics.closed_forms import linear_attention_levels
    from ..dynamics.compare import compare
    from ..dynamics.models import LinearAttention, in_context_regression_data
    from ..options import check_int

    alpha, plot = run(check_alpha, alpha), run(check_plot, plot)
    context = run(check_int, context, "--context", low=1, high=MAX_WIDTH)
    heads = run(check_width, heads, "--heads")
    prompts = run(check_int, prompts, "--prompts", low=1, high=MAX_PROMPTS)
    lam = run(parse_floats, lams, "--lams")
    ref = {"name": "closed form levels", "levels": list(run(linear_attention_levels, lam, context))}
    model = run(LinearAttention, len(lam), heads, context)
    X, y = in_context_regression_data(lam, context, prompts, rng=np.random.default_rng(seed))
    res = run(compare, model, X, y, alpha=alpha, seed=seed, simulate_gd=gd, reference=ref,
              agf_options={"overlap_rtol": 0.05},
              show_progress=show_progress(quiet, as_json))
    if plot:
        from ..dynamics.plot import plot_comparison

        plot_comparison(res, str(plot), title=f"linear attention, {heads} heads, N = {context}")
    emit(res, as_json)

@app.command(help="Where training ends: GD from many random initializations of SPEC; each "
             "endpoint classified as subnetwork / singular / regular, with the Fisher rank. "
             "Families: mlp, linear, rational, cnn (zero units and zero-padded filters "
             "detected, with how many lie on singular strata), attention (singular / regular "
             "only).")
def endpoints(
    spec: str = typer.Argument(..., help="Architecture spec, e.g. 'mlp 2,3,1 x^2'."),
    runs: int = typer.Option(20, "--runs", help="Number of random initializations (>= 1)."),
    samples: int = typer.Option(30, "--samples", help="Random data points (>= 1; teacher "
                                "targets)."),
    steps: int = typer.Option(3000, "--steps", help="GD steps per run (>= 1)."),
    scale: float = typer.Option(0.5, "--scale", help="Initialization scale (> 0)."),
    lr: float = typer.Option(0.05, "--lr", help="Initial GD step (> 0; adapted)."),
    data: str = typer.Option(None, "--data", help="JSON {'X': [[...]], 'y': [...]} instead of "
                             "random inputs with a random teacher."),
    as_json: bool = common_json,
    seed: int = typer.Option(None, "--seed"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
):
    from ..dynamics.endpoints import endpoint_census

    X, y = run(load_xy, data) if data else (None, None)
    res = run(endpoint_census, spec, runs=runs, n_samples=samples, n_steps=steps,
              init_scale=scale, lr=lr, X=X, Y=y, seed=seed,
              show_progress=show_progress(quiet, as_json))
    emit(res, as_json)
