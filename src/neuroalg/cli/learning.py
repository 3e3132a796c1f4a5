"""Commands of singular learning: fisher, generalization, rlct, llc."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import app, emit, fail, out, run, show_progress

_SPEC = ("Network spec: 'mlp 1,2,1 tanh', 'mlp 2,3,1 x^2', 'linear 2,2,2', ... (activations "
         "tanh, erf or a polynomial in x).")
_AT = "Point theta: numbers separated by commas, in the spec's layout (W1 row-major, b1, W2, ...); p/q allowed."


@app.command(help="Fisher information of y = f_theta(x) + N(0, sigma^2), x ~ N(0, I) or an input "
                  "file, at a point or on a stratum: eigenvalues, rank with its evidence, and the "
                  "kernel directions named by the strata that cause them. Exact for polynomial "
                  "networks (Gaussian moments); quadrature or Monte Carlo otherwise.")
def fisher(spec: str = typer.Argument(..., help=_SPEC),
           at: str = typer.Option(None, "--at", help=_AT),
           stratum: str = typer.Option(None, "--stratum", help="Instead of --at: a random rational "
                                       "point of a stratum: zero-outgoing, dead, merged, cancelling "
                                       "(optionally :LAYER, e.g. merged:1)."),
           inputs: Path = typer.Option(None, "--inputs", help='JSON {"mean": [..], "cov": [[..]]} '
                                       'or {"X": [[..]]} (default: standard Gaussian).'),
           noise: float = typer.Option(1.0, "--noise", help="Noise standard deviation sigma."),
           method: str = typer.Option("auto", "--method", help="auto, exact, quadrature, "
                                      "monte-carlo, data."),
           samples: int = typer.Option(200_000, "--samples", help="Monte Carlo sample size."),
           nodes: int = typer.Option(None, "--nodes", help="Gauss-Hermite nodes per input."),
           matrix: bool = typer.Option(False, "--matrix", help="Also print the matrix."),
           as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
           seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded).")):
    from ..learning.fisher import fisher as compute

    result = run(compute, spec, at=at, stratum=stratum, inputs=inputs, noise=noise, method=method,
                 samples=samples, nodes=nodes, seed=seed)
    emit(result, as_json)
    if matrix and not as_json:
        rows = result.exact_matrix or [[f"{v:.6g}" for v in row] for row in result.matrix]
        width = max(len(v) for row in rows for v in row)
        for row in rows:
            out.print("  " + "  ".join(v.rjust(width) for v in row), highlight=False, markup=False,
                      soft_wrap=True)


@app.command(help="Training vs generalization error of maximum likelihood and of the Bayes "
                  "predictive (uniform and Jeffreys priors) at a regular or singular truth of the "
                  "simple models mlp 1,1,1 ACT and mlp 1,2,1 ACT (ACT tanh or erf), against the "
                  "regular d/(2n) and the Gaussian random field prediction (Amari-Park-Ozeki).")
def generalization(spec: str = typer.Argument("mlp 1,1,1 tanh", help="mlp 1,1,1 tanh | mlp 1,2,1 tanh (or erf)."),
                   truth: str = typer.Option("zero", "--truth", help="regular, zero (f* = 0), overlap "
                                             "(two units, w1 = w2), or theta* as numbers."),
                   n: str = typer.Option("50,100,200,400,800", "--n", help="Sample sizes, comma separated."),
                   replications: int = typer.Option(200, "--replications", help="Data sets per n."),
                   noise: float = typer.Option(0.1, "--noise", help="Noise standard deviation sigma."),
                   w_max: float = typer.Option(3.0, "--w-max", help="Box |w| <= w_max."),
                   v_max: float = typer.Option(3.0, "--v-max", help="Box |v| <= v_max."),
                   estimators: str = typer.Option("mle,bayes-uniform,bayes-jeffreys", "--estimators",
                                                  help="Subset of mle, bayes-uniform, bayes-jeffreys."),
                   bayes: str = typer.Option("auto", "--bayes", help="auto (quadrature for one unit, "
                                             "MCMC for two), quadrature, mcmc."),
                   plot: Path = typer.Option(None, "--plot", help="Write the figure (png/pdf/svg)."),
                   as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
                   seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
                   quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
    from ..learning.generalization import generalization as compute
    from ..learning.plot import FORMATS, plot_generalization
    from ..options import check_output_path
    from ..spec import parse_ints

    ns = run(parse_ints, n, "--n", example="50,100,200")
    if plot is not None:
        run(check_output_path, plot, "--plot", suffixes=FORMATS)
    result = run(compute, spec, truth=truth, ns=ns, replications=replications, noise=noise,
                 w_max=w_max, v_max=v_max, estimators=[e.strip() for e in estimators.split(",")],
                 bayes=bayes, seed=seed, show_progress=show_progress(quiet, as_json))
    if plot is not None:
        run(plot_generalization, result, plot)
    emit(result, as_json)


@app.command(help="Learning coefficient (real log canonical threshold) at a true parameter: exact "
                  "where a theorem gives it (constant rank, Aoyagi-Watanabe reduced-rank "
                  "regression, one-input monomial networks), else a proven bracket from the "
                  "Fisher rank, with the strata through the point.")
def rlct(spec: str = typer.Argument(..., help=_SPEC),
         at: str = typer.Option(None, "--at", help="True parameter theta*. " + _AT),
         rank: int = typer.Option(None, "--rank", help="linear M,H,N: rank of the true matrix."),
         as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
         seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded).")):
    from ..learning.rlct import learning_coefficient

    emit(run(learning_coefficient, spec, at=at, rank=rank, seed=seed), as_json)


@app.command(help="SGLD estimate of the local learning coefficient at a point (Lau et al. 2023), "
                  "with R-hat/ESS, next to the exact value or proven bracket when known.")
def llc(spec: str = typer.Argument(..., help=_SPEC),
        at: str = typer.Option(..., "--at", help="The point w* (true or trained). " + _AT),
        data: Path = typer.Option(None, "--data", help='JSON {"X": [[..]], "y": [[..]]} '
                                  "(default: simulated from w* with Gaussian inputs)."),
        samples: int = typer.Option(1000, "--samples", help="Simulated data size n."),
        noise: float = typer.Option(1.0, "--noise", help="Noise sigma of the likelihood."),
        steps: int = typer.Option(5000, "--steps", help="SGLD steps per chain after burn-in."),
        burn_in: int = typer.Option(1000, "--burn-in", help="Burn-in steps per chain."),
        chains: int = typer.Option(4, "--chains", help="Number of chains."),
        step_size: float = typer.Option(None, "--step-size", help="SGLD step eps (default: from "
                                        "the curvature)."),
        localization: float = typer.Option(1.0, "--localization", help="gamma."),
        batch_size: int = typer.Option(None, "--batch-size", help="Minibatch (default min(n, 256))."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        seed: int = typer.Option(None, "--seed", help="Random seed (default: fresh, recorded)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages.")):
    from ..learning.llc import local_learning_coefficient

    if data is not None and samples != 1000:
        fail("--samples applies to simulated data; with --data the data set's size is used")
    emit(run(local_learning_coefficient, spec, at=at, data=data, n_samples=samples, noise=noise,
             n_steps=steps, burn_in=burn_in, n_chains=chains, step_size=step_size,
             localization=localization, batch_size=batch_size, seed=seed,
             show_progress=show_progress(quiet, as_json)), as_json)
