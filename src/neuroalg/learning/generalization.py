"""Training versus generalization error at regular and singular points: the simulation harness.

The experiment of Amari, Park and Ozeki (2001) on their simple models (:mod:`.simple_models`):
for each sample size n, ``replications`` independent data sets (x_i ~ N(0, 1),
y_i = f*(x_i) + N(0, sigma^2), i = 1..n) are drawn, and on each

* the **maximum-likelihood estimator** (:mod:`.mle`: global least squares on the box by profiling
  and multi-start; the result reports how often the refined starts agreed on the optimum),
* the **Bayesian predictive distribution** under the **uniform** and the **Jeffreys** prior on the
  box (:mod:`.bayes`: exact quadrature for one hidden unit, Markov chain Monte Carlo with split
  R-hat and ESS for two),

are computed together with their training and generalization errors in Kullback–Leibler units
(:mod:`.errors`). Reported per n and estimator: the means of T and G over the replications, their
standard errors and 95% confidence intervals (mean +- 1.96 s.e.), and the scaled means n E[T],
n E[G], compared with

* the regular theory (AIC; Watanabe's Bayes theory with lambda = d/2): n E[G] -> d/2,
  n E[T] -> -d/2, so that n E[G - T] -> d (the bias AIC corrects);
* the Gaussian random field prediction for maximum likelihood (:mod:`.random_field`):
  n E[G] -> E[sup Z^2]/2 and n E[T] -> -E[sup Z^2]/2, E[sup Z^2] by Monte Carlo of the field;
* Watanabe's n E[G_Bayes] -> lambda for priors positive at the truth, where the learning
  coefficient lambda of the truth is known (one unit: regular d/2; f* = 0: lambda = 1/2 for the
  uniform prior, whose density is positive at the singular set, and lambda = 1 = d/2 for the
  Jeffreys prior, which vanishes there like |v| |w|^3: the normal-crossing formula
  min((h_j + 1)/(2 k_j)) for K ~ v^2 w^2 with prior |v|^1 |w|^3).

Everything is Monte Carlo over data sets and says so (status ``monte_carlo``); the random seed
flows through :func:`neuroalg.random.spawn`, one stream per (n, replication).

References
----------
[APO01] S. Amari, H. Park, T. Ozeki (2001), Geometrical singularities in the neuromanifold of
        multilayer perceptrons, NeurIPS 14, 343-350.
[Aka74] H. Akaike (1974), A new look at the statistical model identification, IEEE TAC 19(6).
[Wat09] S. Watanabe (2009), Algebraic Geometry and Statistical Learning Theory, Cambridge UP.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SpecError
from ..options import check_choice, check_float, check_int
from ..progress import Progress, ShowProgress, check_progress
from ..random import check_seed, spawn
from ..results import Certainty, Result
from .bayes import PRIORS, mcmc_posteriors, quadrature_posterior
from .errors import bayes_errors, point_errors
from .mle import MLEFit, fit_mle
from .random_field import FieldPrediction, mle_field_prediction
from .simple_models import SimpleModel, Truth, make_truth, simple_model

ESTIMATORS = ("mle", "bayes-uniform", "bayes-jeffreys")


@dataclass(frozen=True)
class ErrorRow:
    """Errors of one estimator at one sample size over the replications."""

    n: int
    estimator: str
    train: np.ndarray  # (replications,)
    gen: np.ndarray
    reliability: float | None = None  # MLE: fraction of fits where >= 2 starts agreed
    rhat_max: float | None = None  # MCMC: worst replication
    ess_min: float | None = None
    rhat_ok: float | None = None  # MCMC: fraction of replications with R-hat < 1.05

    def _stats(self, a: np.ndarray) -> tuple[float, float]:
        """(mean, standard error) over the replications."""
        m = float(np.mean(a))
        se = float(np.std(a, ddof=1) / np.sqrt(len(a))) if len(a) > 1 else float("nan")
        return m, se

    @property
    def train_mean(self) -> float:
        return self._stats(self.train)[0]

    @property
    def train_se(self) -> float:
        return self._stats(self.train)[1]

    @property
    def gen_mean(self) -> float:
        return self._stats(self.gen)[0]

    @property
    def gen_se(self) -> float:
        return self._stats(self.gen)[1]

    def to_dict(self) -> dict[str, Any]:
        tm, ts = self._stats(self.train)
        gm, gs = self._stats(self.gen)
        return {"n": self.n, "estimator": self.estimator, "train_mean": tm, "train_se": ts,
                "train_ci95": [tm - 1.96 * ts, tm + 1.96 * ts], "gen_mean": gm, "gen_se": gs,
                "gen_ci95": [gm - 1.96 * gs, gm + 1.96 * gs], "n_train_mean": self.n * tm,
                "n_gen_mean": self.n * gm, "n_gen_se": self.n * gs, "n_train_se": self.n * ts,
                "optimism_n": self.n * (gm - tm),
                "optimism_n_se": self.n * float(np.std(self.gen - self.train, ddof=1)
                                                / np.sqrt(len(self.gen))),
                "mle_reliability": self.reliability, "mcmc_rhat_max": self.rhat_max,
                "mcmc_ess_min": self.ess_min, "mcmc_rhat_below_1.05": self.rhat_ok}


@dataclass(frozen=True)
class GeneralizationResult(Result):
    """Mean training and generalization errors against n (module docstring).

    The headline (``value`` in JSON, key ``n_gen_mean``) is n E[G] of the first estimator
    (maximum likelihood when it ran) at the largest n; ``rows`` hold every (n, estimator) with
    its replications. ``status`` is ``monte_carlo``: means over simulated data sets, with their
    standard errors and 95% confidence intervals.
    """

    spec: str
    truth: Truth
    noise: float
    box: tuple[float, float]
    ns: tuple[int, ...]
    replications: int
    rows: tuple[ErrorRow, ...]
    field: FieldPrediction | None
    lambdas: dict[str, str]
    bayes_method: str
    seed: int | None
    seconds: float

    headline_key = "n_gen_mean"

    @property
    def status(self) -> Certainty:
        return Certainty.MONTE_CARLO

    @property
    def method(self) -> str:
        return f"mle (profile + multi-start), Bayes ({self.bayes_method})"

    def row(self, n: int, estimator: str) -> ErrorRow:
        """The row of sample size ``n`` and ``estimator`` (``mle``, ``bayes-uniform``, ...)."""
        return next(r for r in self.rows if r.n == n and r.estimator == estimator)

    @property
    def estimators(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.estimator for r in self.rows))

    @property
    def headline_row(self) -> ErrorRow:
        """The first estimator at the largest n (maximum likelihood when it ran)."""
        return self.row(max(self.ns), self.estimators[0])

    def headline(self) -> str:
        kind = "regular" if self.truth.is_regular else "singular"
        r = self.headline_row
        field = (f"; random field E[sup Z^2]/2 = {self.field.mean / 2:.3g}" if self.field else "")
        return (f"errors of {self.spec} at the {self.truth.name} truth ({kind}, Fisher rank "
                f"{self.truth.fisher_rank} of {self.truth.d}): n E[G_{r.estimator}] = "
                f"{r.n * r.gen_mean:.3g} +- {1.96 * r.n * r.gen_se:.2g} at n = {r.n}; AIC d/2 = "
                f"{self.truth.d / 2:g}{field} (Monte Carlo)")

    def lines(self) -> list[tuple[str, str]]:
        out = [("truth", f"theta* = ({', '.join(f'{t:g}' for t in self.truth.theta)})"),
               ("setting", f"sigma = {self.noise:g}, box |w| <= {self.box[0]:g}, |v| <= {self.box[1]:g}, "
                           f"x ~ N(0, 1), {self.replications} replications per n"),
               ("regular (AIC)", f"n E[G] = d/2 = {self.truth.d / 2:g}, n E[T] = -{self.truth.d / 2:g}")]
        if self.field is not None:
            f = self.field
            ev = "exact" if f.is_exact else (f"+- {f.std_error / 2:.2g} (Monte Carlo of the field, "
                                             f"{f.n_draws} draws), grid error {f.grid_error / 2:.1g}")
            out.append(("random field", f"MLE: n E[G] = -n E[T] = E[sup Z^2]/2 = {f.mean / 2:.4g} {ev}"))
        for k, v in self.lambdas.items():
            out.append((f"lambda ({k})", v))
        out.append(("Bayes", self.bayes_method))
        for r in self.rows:
            d = r.to_dict()
            extra = ""
            if r.reliability is not None:
                extra = f"; MLE starts agreed in {r.reliability:.0%}"
            if r.rhat_max is not None:
                extra = (f"; R-hat < 1.05 in {r.rhat_ok:.0%} of replications (worst "
                         f"{r.rhat_max:.3f}), ESS >= {r.ess_min:.0f}")
            out.append((f"n = {r.n} {r.estimator}",
                        f"n E[T] = {d['n_train_mean']:+.3f} +- {1.96 * d['n_train_se']:.3f}, "
                        f"n E[G] = {d['n_gen_mean']:.3f} +- {1.96 * d['n_gen_se']:.3f}, "
                        f"n E[G - T] = {d['optimism_n']:.3f}{extra}"))
        out += [("seed", str(self.seed)), ("time", f"{self.seconds:.1f} s")]
        return out

    def payload(self) -> dict[str, Any]:
        head = self.headline_row
        return {"n_gen_mean": head.n * head.gen_mean,
                "headline": {"n": head.n, "estimator": head.estimator},
                "spec": self.spec, "method": self.method,
                "seed": self.seed, "seconds": round(self.seconds, 3),
                "truth": {"name": self.truth.name, "theta": list(self.truth.theta),
                          "fisher_rank": self.truth.fisher_rank, "d": self.truth.d,
                          "regular": self.truth.is_regular},
                "noise": self.noise, "box": {"w_max": self.box[0], "v_max": self.box[1]},
                "ns": list(self.ns), "replications": self.replications,
                "aic_n_gen": self.truth.d / 2, "aic_n_train": -self.truth.d / 2,
                "random_field": None if self.field is None else self.field.to_dict(),
                "lambda": self.lambdas, "rows": [r.to_dict() for r in self.rows]}


def _lambdas(model: SimpleModel, truth: Truth) -> dict[str, str]:
    """The learning coefficient of the truth for each prior, as text (module docstring)."""
    if truth.is_regular:
        return {"uniform": f"d/2 = {model.d / 2:g} (regular)", "jeffreys": f"d/2 = {model.d / 2:g} (regular)"}
    if model.H == 1:
        return {"uniform": "1/2 (K ~ v^2 w^2, prior positive: normal crossing, multiplicity 2)",
                "jeffreys": "1 (K ~ v^2 w^2, prior ~ |v| |w|^3: min(2/2, 4/2))"}
    return {"uniform": "unknown for this singularity (the measurement estimates it)",
            "jeffreys": "unknown for this singularity (the measurement estimates it)"}


def generalization(spec: str = "mlp 1,1,1 tanh", *, truth: str | Sequence[float] = "zero",
                   ns: Sequence[int] = (50, 100, 200, 400, 800), replications: int = 200,
                   noise: float = 0.1, w_max: float = 3.0, v_max: float = 3.0,
                   estimators: Sequence[str] = ESTIMATORS, bayes: str = "auto",
                   n_draws: int = 1000, mcmc_warmup: int = 3000, mcmc_samples: int = 6000,
                   mcmc_chains: int = 4, field_draws: int = 4000,
                   seed: int | np.random.Generator | None = None,
                   show_progress: ShowProgress = False) -> GeneralizationResult:
    """Mean training and generalization errors against n at a regular or singular truth.

    The experiment of Amari, Park and Ozeki (2001) on the simple models
    f(x) = sum_h v_h phi(w_h x) (one input, H = 1 or 2 hidden units, phi = tanh or erf, box
    |w| <= w_max, |v| <= v_max): for each n, ``replications`` data sets x_i ~ N(0, 1),
    y_i = f*(x_i) + N(0, sigma^2); on each, maximum likelihood (global: profiling and
    multi-start) and the Bayes predictive distribution under the uniform and the Jeffreys prior
    (exact quadrature for one unit, adaptive Metropolis for two), with their training and
    generalization errors in Kullback–Leibler units. Printed beside them: the regular (AIC)
    values n E[G] = -n E[T] = d/2, the Gaussian-random-field prediction E[sup Z^2]/2 for maximum
    likelihood, and the learning coefficients lambda where known (module docstring).

    Parameters
    ----------
    spec : str, default="mlp 1,1,1 tanh"
        ``mlp 1,1,1 tanh`` (one hidden unit) or ``mlp 1,2,1 tanh`` (two), or erf.
    truth : str or sequence, default="zero"
        ``regular``, ``zero`` (f* = 0), ``overlap`` (two units, w_1 = w_2), or theta* inside
        the box (layout (w_1, ..., w_H, v_1, ..., v_H)).
    ns : sequence of int, default=(50, 100, 200, 400, 800)
        Sample sizes (5 to 10^6).
    replications : int, default=200
        Data sets per sample size (2 to 100,000).
    noise : float, default=0.1
        sigma (> 0).
    w_max, v_max : float, default=3.0
        The parameter box (> 0).
    estimators : subset of ("mle", "bayes-uniform", "bayes-jeffreys"), default=all three
    bayes : {"auto", "quadrature", "mcmc"}, default="auto"
        auto: exact quadrature for one unit, MCMC for two.
    n_draws : int, default=1000
        Posterior draws of the quadrature posterior.
    mcmc_warmup, mcmc_samples, mcmc_chains : int, default=3000, 6000, 4
        Adaptive Metropolis settings (draws kept: chains * samples / 10).
    field_draws : int, default=4000
        Monte Carlo draws of the Gaussian random field.
    seed : int, numpy.random.Generator or None, default=None
        One stream per (n, replication) and one for the field, spawned from it (recorded).
    show_progress : bool or callable(str), default=False
        A message after each (n, estimator) (:mod:`neuroalg.progress`).

    Returns
    -------
    GeneralizationResult
        ``rows`` (per n and estimator: the errors of every replication, their means, standard
        errors and 95% intervals, MLE reliability or MCMC R-hat/ESS), the ``truth`` with its
        Fisher rank, the random-field prediction ``field`` and the ``lambdas``; headline
        n E[G] of the first estimator at the largest n. ``status`` is ``monte_carlo``.

    Raises
    ------
    SpecError
        A spec other than the simple models, a truth outside the box or unknown, a bad option.

    References
    ----------
    [APO01] S. Amari, H. Park, T. Ozeki (2001), Geometrical singularities in the neuromanifold
    of multilayer perceptrons, NeurIPS 14, 343-350.
    [Aka74] H. Akaike (1974), A new look at the statistical model identification, IEEE TAC 19(6).
    [Wat09] S. Watanabe (2009), Algebraic Geometry and Statistical Learning Theory, Cambridge UP.

    Examples
    --------
    >>> r = generalization("mlp 1,1,1 tanh", truth="regular", ns=(20,), replications=3,
    ...                    estimators=("mle",), seed=0)
    >>> r.status.value, r.truth.is_regular, r.field.mean   # AIC: E sup Z^2 = d = 2
    ('monte_carlo', True, 2.0)
    """
    progress = check_progress(show_progress)
    clock = time.perf_counter()
    recorded, rng = check_seed(seed)
    model = simple_model(spec, w_max=check_float(w_max, "w_max", low=0, open_low=True),
                         v_max=check_float(v_max, "v_max", low=0, open_low=True))
    tr = make_truth(model, truth)
    noise = check_float(noise, "noise", low=0, open_low=True)
    replications = check_int(replications, "replications", low=2, high=100_000)
    ns = tuple(check_int(n, "sample size n", low=5, high=10**6) for n in ns)
    if not ns:
        raise SpecError("give at least one sample size n")
    estimators = tuple(check_choice(e, "estimator", ESTIMATORS) for e in estimators)
    if not estimators:
        raise SpecError(f"give at least one estimator of {', '.join(ESTIMATORS)}")
    bayes = check_choice(bayes, "bayes", ("auto", "quadrature", "mcmc"))
    n_draws = check_int(n_draws, "n_draws", low=1, high=10**7)
    mcmc_warmup = check_int(mcmc_warmup, "mcmc_warmup", low=0, high=10**7)
    mcmc_samples = check_int(mcmc_samples, "mcmc_samples", low=40, high=10**7)
    mcmc_chains = check_int(mcmc_chains, "mcmc_chains", low=1, high=64)
    field_draws = check_int(field_draws, "field_draws", low=2, high=10**7)
    if bayes == "quadrature" and model.H != 1:
        raise SpecError("exact quadrature of the posterior is implemented for one hidden unit; "
                        "use bayes='mcmc' for two")
    use_quad = bayes == "quadrature" or (bayes == "auto" and model.H == 1)
    bayes_method = ("exact quadrature (trapezoid in w, Gauss-Legendre in v), "
                    f"{n_draws} posterior draws for the predictive" if use_quad else
                    f"adaptive Metropolis, {mcmc_chains} chains x {mcmc_samples} (+{mcmc_warmup} "
                    "warm-up) per data set, started at the MLE's local optima")
    field_rng, *n_rngs = spawn(rng, len(ns) + 1)
    theta_star = np.array(tr.theta)
    field = mle_field_prediction(model, tr, n_draws=field_draws, rng=field_rng)
    rows = []
    for n, nrng in zip(ns, n_rngs):
        reps = spawn(nrng, replications)
        X = np.stack([r.standard_normal(n) for r in reps])
        Y = model.f(theta_star, X) + noise * np.stack([r.standard_normal(n) for r in reps])
        fits = [fit_mle(model, X[i], Y[i], reps[i]) for i in range(replications)]
        if "mle" in estimators:
            TG = np.array([point_errors(model, f.theta, theta_star, X[i], Y[i], noise)
                           for i, f in enumerate(fits)])
            rel = float(np.mean([f.n_best >= 2 for f in fits]))
            rows.append(ErrorRow(n, "mle", TG[:, 0], TG[:, 1], reliability=rel))
            _say(progress, rows[-1])
        for prior in PRIORS:
            name = f"bayes-{prior}"
            if name not in estimators:
                continue
            if use_quad:
                posts = [quadrature_posterior(model, X[i], Y[i], noise, prior, reps[i], n_draws=n_draws)
                         for i in range(replications)]
            else:
                starts = np.stack([_starts(f, mcmc_chains, model, reps[i]) for i, f in enumerate(fits)])
                posts = mcmc_posteriors(model, X, Y, noise, prior, starts, nrng,
                                        n_warmup=mcmc_warmup, n_samples=mcmc_samples)
            TG = np.array([bayes_errors(model, p.draws, theta_star, X[i], Y[i], noise)
                           for i, p in enumerate(posts)])
            if use_quad:
                rows.append(ErrorRow(n, name, TG[:, 0], TG[:, 1]))
            else:
                rhat = np.array([p.rhat for p in posts], dtype=float)
                ess = np.array([p.ess for p in posts], dtype=float)
                rows.append(ErrorRow(n, name, TG[:, 0], TG[:, 1], rhat_max=float(rhat.max()),
                                     ess_min=float(ess.min()), rhat_ok=float(np.mean(rhat < 1.05))))
            _say(progress, rows[-1])
    return GeneralizationResult(model.spec, tr, noise, (model.w_max, model.v_max), ns,
                                replications, tuple(rows), field, _lambdas(model, tr),
                                bayes_method, recorded, time.perf_counter() - clock)


def _starts(fit: MLEFit, C: int, model: SimpleModel, rng: np.random.Generator) -> np.ndarray:
    """C chain starts: the fit's distinct local optima (best first), repeated, slightly jittered."""
    opts = fit.optima
    pts = [opts[k % len(opts)] for k in range(C)]
    jitter = 1e-3 * (model.upper - model.lower)
    return np.clip(np.stack(pts) + jitter * rng.standard_normal((C, model.d)), model.lower, model.upper)


def _say(progress: Progress, row: ErrorRow) -> None:
    if progress:
        progress(f"n = {row.n} {row.estimator}: n E[T] = {row.n * row.train_mean:+.3f}, "
                 f"n E[G] = {row.n * row.gen_mean:.3f}")
