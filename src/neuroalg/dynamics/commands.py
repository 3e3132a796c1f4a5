"""CLI: ``neuroalg agf diagonal-linear|linear|modular|attention ...`` and ``neuroalg endpoints SPEC``."""

from __future__ import annotations

import json

import typer


def _load_data(path: str):
    from ..errors import SpecError

    try:
        with open(path) as fh:
            data = json.load(fh)
    except OSError as exc:
        raise SpecError(f"--data: cannot read '{path}': {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise SpecError(f"--data: '{path}' is not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or "X" not in data or "y" not in data:
        raise SpecError(f"--data: '{path}' must hold an object {{\"X\": [[...], ...], \"y\": [...]}}")
    import numpy as np

    try:
        X = np.asarray(data["X"], dtype=float)
        y = np.asarray(data["y"], dtype=float)
    except (TypeError, ValueError):
        raise SpecError(f"--data: X and y in '{path}' must be numbers (X a list of rows)") from None
    return X, y


def _check_alpha(alpha):
    from ..errors import SpecError

    if not 0 < alpha < 1:
        raise SpecError(f"--alpha must be in (0, 1); got {alpha}")


def register(app: typer.Typer) -> None:
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
        alpha: float = typer.Option(1e-6, "--alpha", help="Initialization scale of the GD run."),
        lr: float = typer.Option(None, "--lr", help="GD step (default 0.01 / lambda_max(X^T X / n))."),
        plot: str = typer.Option(None, "--plot", help="Save a PNG of GD vs AGF here."),
        no_gd: bool = typer.Option(False, "--no-gd", help="Skip the GD simulation."),
        as_json: bool = common_json,
        seed: int = typer.Option(0, "--seed"),
        quiet: bool = typer.Option(False, "--quiet", "-q"),
    ):
        from ..cli import emit, progress_printer, run
        from .closed_forms import pesme_flammarion
        from .compare import compare
        from .models import DiagonalLinear

        X, y = run(_load_data, data)
        run(_check_alpha, alpha)
        model = run(DiagonalLinear, X.shape[1] if X.ndim == 2 else 0)
        pf = run(pesme_flammarion, X, y)
        ref = {"name": "Pesme-Flammarion algorithm", "order": pf.order,
               "jump_times": list(pf.times), "levels": list(pf.levels)}
        res = run(compare, model, X, y, alpha=alpha, lr=lr, seed=seed, simulate_gd=not no_gd,
                  reference=ref, progress=progress_printer(not quiet and not as_json))
        if plot:
            from .plot import plot_comparison

            plot_comparison(res, plot, title=f"diagonal linear network, d={X.shape[1]}")
        emit(res, as_json)

    @agf_app.command("linear", help="Fully connected two-layer linear network (width --width) on "
                     "data.json ({'X': [[...]], 'y': [[...]]}), loss 1/2 mean ||y - W2 W1 x||^2.")
    def linear_cmd(
        data: str = typer.Option(..., "--data"),
        width: int = typer.Option(4, "--width"),
        alpha: float = typer.Option(1e-6, "--alpha"),
        lr: float = typer.Option(None, "--lr"),
        plot: str = typer.Option(None, "--plot"),
        no_gd: bool = typer.Option(False, "--no-gd"),
        finite_alpha: bool = typer.Option(False, "--finite-alpha", help="AGF at --alpha instead "
                                          "of alpha -> 0 (exact expm(2Mt) dormant dynamics)."),
        as_json: bool = common_json,
        seed: int = typer.Option(0, "--seed"),
        quiet: bool = typer.Option(False, "--quiet", "-q"),
    ):
        from ..cli import emit, progress_printer, run
        from .compare import compare
        from .models import TwoLayer

        X, y = run(_load_data, data)
        run(_check_alpha, alpha)
        Y = y[:, None] if y.ndim == 1 else y
        model = run(TwoLayer, X.shape[1], width, Y.shape[1], "x")
        res = run(compare, model, X, Y, alpha=alpha, lr=lr, seed=seed, simulate_gd=not no_gd,
                  agf_options={"alpha": alpha} if finite_alpha else None,
                  progress=progress_printer(not quiet and not as_json))
        if plot:
            from .plot import plot_comparison

            plot_comparison(res, plot, title=f"linear network {X.shape[1]},{width},{Y.shape[1]}")
        emit(res, as_json)

    @agf_app.command("modular", help="Quadratic network sum_i w_i (u_i.x1 + v_i.x2)^2 on modular "
                     "addition with a template (comma-separated, length p): closed-form Fourier "
                     "order and levels vs gradient descent. Loss = mean over samples and outputs of "
                     "(y - f)^2; time = gradient-flow time * alpha (kappa = 3).")
    def modular_cmd(
        template: str = typer.Option(..., "--template", help="x[0],...,x[p-1]"),
        width: int = typer.Option(24, "--width"),
        alpha: float = typer.Option(0.05, "--alpha"),
        lr: float = typer.Option(0.2, "--lr"),
        tau_max: float = typer.Option(300.0, "--tau-max", help="Rescaled time to simulate."),
        with_agf: bool = typer.Option(False, "--agf", help="Also run the kappa = 3 AGF engine "
                                      "(minutes for p = 20)."),
        plot: str = typer.Option(None, "--plot", help="Save a PNG of GD vs the levels (and AGF)."),
        as_json: bool = common_json,
        seed: int = typer.Option(0, "--seed"),
        quiet: bool = typer.Option(False, "--quiet", "-q"),
    ):
        from ..cli import emit, progress_printer, run
        from .compare import modular_comparison

        run(_check_alpha, alpha)
        x = run(_parse_floats, template)
        res = run(modular_comparison, x, width=width, alpha=alpha, lr=lr, tau_max=tau_max,
                  seed=seed, with_agf=with_agf, progress=progress_printer(not quiet and not as_json))
        if plot:
            from .plot import plot_modular

            plot_modular(res, plot)
        emit(res, as_json)

    @agf_app.command("attention", help="Attention-only linear transformer (rank-one key-query "
                     "heads) on in-context linear regression with x ~ N(0, diag(--lams)), "
                     "N = --context examples: AGF on sampled prompts vs the closed-form levels.")
    def attention_cmd(
        lams: str = typer.Option("3,1.5,0.5", "--lams", help="Eigenvalues of the input covariance."),
        context: int = typer.Option(8, "--context"),
        heads: int = typer.Option(4, "--heads"),
        prompts: int = typer.Option(20000, "--prompts"),
        alpha: float = typer.Option(1e-6, "--alpha"),
        gd: bool = typer.Option(False, "--gd", help="Also simulate GD at --alpha (slow for many "
                                "prompts)."),
        plot: str = typer.Option(None, "--plot", help="Save a PNG of the AGF staircase (and GD)."),
        as_json: bool = common_json,
        seed: int = typer.Option(0, "--seed"),
        quiet: bool = typer.Option(False, "--quiet", "-q"),
    ):
        import numpy as np

        from ..cli import emit, progress_printer, run
        from .closed_forms import linear_attention_levels
        from .compare import compare
        from .models import LinearAttention, in_context_regression_data

        run(_check_alpha, alpha)
        lam = run(_parse_floats, lams)
        ref = {"name": "closed form levels", "levels": list(run(linear_attention_levels, lam, context))}
        model = run(LinearAttention, len(lam), heads, context)
        X, y = in_context_regression_data(lam, context, prompts, rng=np.random.default_rng(seed))
        res = run(compare, model, X, y, alpha=alpha, seed=seed, simulate_gd=gd, reference=ref,
                  agf_options={"overlap_rtol": 0.05},
                  progress=progress_printer(not quiet and not as_json))
        if plot:
            from .plot import plot_comparison

            plot_comparison(res, plot, title=f"linear attention, {heads} heads, N = {context}")
        emit(res, as_json)

    @app.command(help="Where training ends: GD from many random initializations of SPEC; each "
                 "endpoint classified as subnetwork / singular / regular, with the Fisher rank.")
    def endpoints(
        spec: str = typer.Argument(..., help="Architecture spec, e.g. 'mlp 2,3,1 x^2'."),
        runs: int = typer.Option(20, "--runs", help="Number of random initializations."),
        samples: int = typer.Option(30, "--samples", help="Random data points (teacher targets)."),
        steps: int = typer.Option(3000, "--steps", help="GD steps per run."),
        scale: float = typer.Option(0.5, "--scale", help="Initialization scale."),
        data: str = typer.Option(None, "--data", help="JSON {'X': [[...]], 'y': [...]} instead of "
                                 "random inputs with a random teacher."),
        as_json: bool = common_json,
        seed: int = typer.Option(None, "--seed"),
        quiet: bool = typer.Option(False, "--quiet", "-q"),
    ):
        from ..cli import emit, progress_printer, run
        from .endpoints import endpoint_census

        X, y = run(_load_data, data) if data else (None, None)
        res = run(endpoint_census, spec, runs=runs, n_samples=samples, n_steps=steps,
                  init_scale=scale, X=X, Y=y, seed=seed,
                  progress=progress_printer(not quiet and not as_json))
        emit(res, as_json)


def _parse_floats(text: str):
    from ..errors import SpecError

    try:
        vals = [float(t) for t in text.replace(" ", "").split(",") if t]
    except ValueError:
        raise SpecError(f"--template must be numbers separated by commas; got '{text}'") from None
    if len(vals) < 2:
        raise SpecError(f"--template needs at least 2 numbers; got '{text}'")
    return vals
