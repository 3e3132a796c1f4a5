"""Estimating the local learning coefficient by stochastic-gradient Langevin dynamics (SGLD).

For data (x_i, y_i), i = 1..n, from y = f_theta*(x) + N(0, sigma^2) and the per-sample loss
l_i(w) = (y_i - f_w(x_i))^2 / (2 sigma^2) (the negative log-likelihood up to a constant), with
L_n = mean_i l_i, the estimator of Lau, Furman, Wang, Murfet, Wei (2023) is

    lambda^(w*) = n beta [ E_w L_n(w) - L_n(w*) ],   beta = 1 / log n,

the expectation over the localized tempered posterior p(w) ∝ exp(-n beta L_n(w) - gamma/2
|w - w*|^2), sampled by SGLD (Welling, Teh 2011):

    w <- w - (eps/2) [ n beta grad L_B(w) + gamma (w - w*) ] + N(0, eps I),

grad L_B the gradient of the mean loss over a minibatch B. It rests on Watanabe's WBIC identity
E_beta[n L_n] = n L_n(w0) + lambda / beta + O_p(sqrt(log n)) at the inverse temperature
1/log n: it is consistent but biased at finite n, finite gamma and finite step size; the
calibration against exact values (``benchmarks/learning_llc.py``,
``benchmarks/results/learning_llc_calibration.csv``) reports that bias and the spread.

Every chain records L_n(w_t) on the full data after burn-in; the result gives the mean over
chains with its standard error across chains, and split R-hat and the effective sample size of
the loss traces. The step size defaults to eps = 0.1 / (n beta lambda_max(F(w*)) + gamma)
(a quarter of the Euler stability limit eps lambda < 2 of the stiffest direction, F the Fisher
information on the data, maximized over w* and a few random points at the localization scale:
singular points often have F(w*) = 0); a chain that diverges is restarted with half the step
(at most 6 times, recorded in ``step_size``). The localization defaults to a weak gamma = 1: a strong one (gamma of
the order of n beta times the Fisher eigenvalues) confines the chains where n beta K << 1 and
biases the estimate towards 0.

References
----------
[LFW23] E. Lau, Z. Furman, G. Wang, D. Murfet, S. Wei (2023), The local learning coefficient: a
        singularity-aware complexity measure, arXiv:2308.12108.
[Wat13] S. Watanabe (2013), A widely applicable Bayesian information criterion, JMLR 14,
        867-897 (WBIC, beta = 1/log n).
[WT11] M. Welling, Y. W. Teh (2011), Bayesian learning via stochastic gradient Langevin
       dynamics, ICML.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..arch import Architecture
from ..errors import SpecError
from ..options import check_float, check_int, check_keys, check_matrix, load_json
from ..progress import ShowProgress, check_progress
from ..random import check_seed, spawn
from ..results import Certainty, Result
from .diagnostics import effective_sample_size, split_rhat
from .network import AnyNetwork, check_no_poles, parse_network
from .points import parse_point, show

#: eps = STEP_FACTOR / (n beta lambda_max + gamma) (see :func:`default_step_size`)
STEP_FACTOR = 0.5


@dataclass(frozen=True)
class LLCResult(Result):
    """An SGLD estimate of the local learning coefficient (module docstring).

    ``llc`` is the estimate (the headline, ``value`` in JSON) with ``std_error`` across chains;
    ``exact`` the known value at the point (None if unknown) and [``lower``, ``upper``] the proven
    bracket of :func:`~neuroalg.learning.rlct.learning_coefficient`. ``status`` is
    ``monte_carlo``: the estimate is a sampling average (and the estimator is biased at finite
    n, see the calibration table).
    """

    spec: str
    point: tuple[str, ...]
    llc: float
    std_error: float
    center_shift: float  # |w^ - w*|: the localization centre is the minimum reached from w*
    chain_values: tuple[float, ...]
    rhat: float
    ess: float
    exact: float | None
    lower: float | None
    upper: float | None
    exact_method: str
    strata: tuple[str, ...]
    n_samples: int
    noise: float
    beta: float
    step_size: float
    localization: float
    batch_size: int
    n_steps: int
    burn_in: int
    n_chains: int
    seed: int | None
    seconds: float

    headline_key = "llc"
    method_name = "sgld"

    @property
    def status(self) -> Certainty:
        return Certainty.MONTE_CARLO

    def headline(self) -> str:
        ref = f"; exact {self.exact:.4g}" if self.exact is not None else (
            f"; proven bracket [{self.lower:.4g}, {self.upper:.4g}]" if self.lower is not None else "")
        return (f"local learning coefficient of {self.spec}: {self.llc:.4g} +- "
                f"{self.std_error:.2g} (SGLD, Monte Carlo{ref})")

    def lines(self) -> list[tuple[str, str]]:
        return [("point", ", ".join(self.point) + (f" (localized at the nearby minimum, |w^ - w*| = "
                                                   f"{self.center_shift:.3g})" if self.center_shift else "")),
                ("chains", ", ".join(f"{v:.4g}" for v in self.chain_values)),
                ("diagnostics", f"R-hat {self.rhat:.3f}, ESS {self.ess:.0f} (loss traces)"),
                ("exact", f"{self.exact:.6g} ({self.exact_method})" if self.exact is not None
                 else self.exact_method),
                ("strata here", "; ".join(self.strata) if self.strata else "none"),
                ("data", f"n = {self.n_samples}, sigma = {self.noise:g}"),
                ("sampler", f"beta = 1/log n = {self.beta:.4g}, step {self.step_size:.3g}, gamma "
                            f"{self.localization:g}, batch {self.batch_size}, {self.n_chains} chains "
                            f"x {self.n_steps} steps ({self.burn_in} burn-in)"),
                ("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]

    def payload(self) -> dict[str, Any]:
        return {"llc": self.llc, "spec": self.spec, "seed": self.seed,
                "seconds": round(self.seconds, 4), "point": list(self.point),
                "std_error": self.std_error, "center_shift": self.center_shift,
                "chain_values": list(self.chain_values), "rhat": self.rhat, "ess": self.ess,
                "exact": self.exact, "lower": self.lower, "upper": self.upper,
                "exact_method": self.exact_method, "strata": list(self.strata),
                "n_samples": self.n_samples, "noise": self.noise, "beta": self.beta,
                "step_size": self.step_size, "localization": self.localization,
                "batch_size": self.batch_size, "n_steps": self.n_steps, "burn_in": self.burn_in,
                "n_chains": self.n_chains}


def local_learning_coefficient(spec: str | Architecture | AnyNetwork, *, at: str | Sequence[Any],
                               data: dict[str, Any] | str | os.PathLike[str] | None = None,
                               n_samples: int = 1000, noise: float = 1.0, n_steps: int = 5000,
                               burn_in: int = 1000, n_chains: int = 4,
                               step_size: float | None = None, localization: float = 1.0,
                               batch_size: int | None = None, exact: bool = True,
                               optimize: bool = True,
                               seed: int | np.random.Generator | None = None,
                               show_progress: ShowProgress = False) -> LLCResult:
    """SGLD estimate of the local learning coefficient of ``spec`` at the point ``at``.

    lambda^(w*) = n beta [E_w L_n(w) - L_n(w*)], beta = 1/log n, the expectation over the
    localized tempered posterior exp(-n beta L_n(w) - gamma/2 |w - w*|^2) sampled by SGLD
    (Lau et al. 2023; module docstring), with L_n the mean negative log-likelihood of the
    regression model y = f_w(x) + N(0, sigma^2). Consistent but biased at finite n: see the
    calibration against exact values in ``benchmarks/results/learning_llc_calibration.md``.
    Beside the estimate, the exact value or proven bracket where known
    (:func:`~neuroalg.learning.rlct.learning_coefficient`).

    Parameters
    ----------
    spec : str, Architecture or network
        Any network neuroalg evaluates (``mlp 1,2,1 tanh``, ``linear 2,3,2``, ``cnn ...``).
    at : str or sequence
        The point w* (decimals and p/q read exactly): the true parameter when the data are
        simulated, or a trained parameter for given data.
    data : dict or path, optional
        ``{"X": [[...]], "y": [[...]]}`` (a dict or a JSON file, read strictly); default:
        ``n_samples`` standard Gaussian inputs and y = f_w*(x) + N(0, noise^2).
    n_samples : int, default=1000
        Simulated data size n (3 to 10^7; ignored with ``data``).
    noise : float, default=1.0
        The noise sigma of the likelihood (> 0).
    n_steps : int, default=5000
        SGLD steps per chain after the burn-in (10 to 10^7).
    burn_in : int, default=1000
        Burn-in steps per chain.
    n_chains : int, default=4
        Chains (1 to 64), each with its own random stream.
    step_size : float, optional
        eps (default: 0.5 / (n beta lambda_max + gamma), module docstring).
    localization : float, default=1.0
        gamma (>= 0).
    batch_size : int, optional
        Minibatch size (default min(n, 256); n gives full-batch Langevin).
    exact : bool, default=True
        Also report the exact value or bracket (:func:`~neuroalg.learning.rlct.learning_coefficient`).
    optimize : bool, default=True
        Localize at the minimum w^ of L_n reached from w* (L-BFGS) instead of w* itself. At the
        true parameter, L_n(w*) - L_n(w^) ~ chi^2/(2n) would bias the estimate by about
        -beta lambda (-15% at n = 1000); practitioners localize at trained weights (a minimum).
    seed : int, numpy.random.Generator or None, default=None
        Seeds the simulated data and the chains (recorded).
    show_progress : bool or callable(str), default=False
        A message per finished chain (:mod:`neuroalg.progress`).

    Returns
    -------
    LLCResult
        ``llc`` (the estimate, mean over chains) with ``std_error`` across chains, the
        per-chain values, split R-hat and ESS of the loss traces, the sampler settings actually
        used (``step_size`` after any halving), and ``exact`` or [``lower``, ``upper``].
        ``status`` is ``monte_carlo``.

    Raises
    ------
    SpecError
        A bad spec, point, data file or option; or chains that diverge even at 1/64 of the step.

    References
    ----------
    [LFW23] E. Lau, Z. Furman, G. Wang, D. Murfet, S. Wei (2023), The local learning
    coefficient: a singularity-aware complexity measure, arXiv:2308.12108.
    [Wat13] S. Watanabe (2013), A widely applicable Bayesian information criterion, JMLR 14,
    867-897.

    Examples
    --------
    >>> r = local_learning_coefficient("linear 1,1,1", at="1,1", n_steps=200, burn_in=50,
    ...                                n_chains=2, seed=0)
    >>> r.status.value, r.exact   # regular point: lambda = d/2 of the 1-dimensional image
    ('monte_carlo', 0.5)
    """
    progress = check_progress(show_progress)
    clock = time.perf_counter()
    recorded, rng = check_seed(seed)
    net = parse_network(spec)
    theta_exact = parse_point(at, net)
    w_star = np.array([float(t) for t in theta_exact])
    noise = check_float(noise, "noise", low=0, open_low=True)
    n_steps = check_int(n_steps, "steps", low=10, high=10**7)
    burn_in = check_int(burn_in, "burn_in", low=0, high=10**7)
    n_chains = check_int(n_chains, "chains", low=1, high=64)
    localization = check_float(localization, "localization", low=0)
    data_rng, *chain_rngs = spawn(rng, n_chains + 1)
    X, Y = _data(net, w_star, data, n_samples, noise, data_rng)
    n = len(X)
    if n < 3:
        raise SpecError(f"the local learning coefficient needs at least 3 samples; got {n}")
    batch = check_int(batch_size if batch_size is not None else min(n, 256), "batch_size", low=1, high=n)
    beta = 1.0 / math.log(n)
    nbeta = n * beta
    s2 = noise * noise

    def loss(w: np.ndarray) -> float:
        r = net.forward(w, X) - Y
        return float(np.sum(r * r) / (2 * s2 * n))

    def grad(w: np.ndarray, idx: np.ndarray) -> np.ndarray:
        r = net.forward(w, X[idx]) - Y[idx]
        return net.vjp(w, X[idx], r / (s2 * len(idx))).sum(axis=0)

    w_given = w_star
    if optimize:
        from scipy.optimize import minimize

        res = minimize(lambda w: loss(w), w_star, jac=lambda w: grad(w, np.arange(n)),
                       method="L-BFGS-B", options={"maxiter": 2000, "gtol": 1e-10})
        if res.fun <= loss(w_star):
            w_star = res.x
    if step_size is None:
        step_size = default_step_size(net, w_star, X, s2, nbeta, localization, data_rng)
    eps = check_float(step_size, "step_size", low=0, open_low=True)
    L0 = loss(w_star)
    traces = np.zeros((n_chains, n_steps))
    for c, crng in enumerate(chain_rngs):
        for attempt in range(7):
            trace = _chain(w_star, eps, nbeta, localization, burn_in, n_steps, batch, n, grad,
                           loss, crng)
            if trace is not None:
                break
            if attempt == 6:
                raise SpecError(f"SGLD diverged for {net} at this point even with step {eps:.3g}; "
                                "pass a smaller step_size")
            eps /= 2
        traces[c] = trace
        if progress:
            progress(f"chain {c + 1}/{n_chains}: lambda^ = {nbeta * (traces[c].mean() - L0):.4g}")
    per_chain = nbeta * (traces.mean(axis=1) - L0)
    value = float(per_chain.mean())
    se = float(per_chain.std(ddof=1) / math.sqrt(n_chains)) if n_chains > 1 else float("nan")
    ex: float | None = None
    lo: float | None = None
    hi: float | None = None
    how = "not computed" if not net.has_poles else "not computed (1/x: K diverges for Gaussian inputs)"
    strata: tuple[str, ...] = ()
    if exact and not net.has_poles:
        from .rlct import learning_coefficient

        lc = learning_coefficient(net, at=theta_exact, seed=data_rng)
        strata = lc.strata
        if lc.coefficient is not None:
            ex, how = float(lc.coefficient), lc.method
        else:
            how = f"no exact value; proven bracket ({lc.method})"
        lo, hi = float(lc.lower), float(lc.upper)
    return LLCResult(str(net), tuple(show(t) for t in theta_exact), value, se,
                     float(np.linalg.norm(w_star - w_given)),
                     tuple(float(v) for v in per_chain), split_rhat(traces),
                     effective_sample_size(traces), ex, lo, hi, how, strata, n, noise, beta, eps,
                     localization, batch, n_steps, burn_in, n_chains, recorded,
                     time.perf_counter() - clock)


def _chain(w_star: np.ndarray, eps: float, nbeta: float, gamma: float, burn_in: int, n_steps: int,
           batch: int, n: int, grad: Callable[[np.ndarray, np.ndarray], np.ndarray],
           loss: Callable[[np.ndarray], float], rng: np.random.Generator) -> np.ndarray | None:
    """One SGLD chain from w*; the full-data losses after burn-in, or None if it diverged."""
    w = w_star.copy()
    trace = np.empty(n_steps)
    everything = np.arange(n)
    scale = 1e6 * max(1.0, float(np.abs(w_star).max()))
    for t in range(burn_in + n_steps):
        idx = rng.choice(n, size=batch, replace=False) if batch < n else everything
        drift = nbeta * grad(w, idx) + gamma * (w - w_star)
        w = w - 0.5 * eps * drift + math.sqrt(eps) * rng.standard_normal(len(w))
        if not np.all(np.isfinite(w)) or np.abs(w).max() > scale:
            return None
        if t >= burn_in:
            trace[t - burn_in] = loss(w)
    return trace


def default_step_size(net: AnyNetwork, w_star: np.ndarray, X: np.ndarray, s2: float, nbeta: float,
                      localization: float, rng: np.random.Generator, n_probes: int = 8) -> float:
    """eps = 0.5 / (n beta lambda_max + gamma), lambda_max the largest eigenvalue of the data
    Fisher matrix J^T J / (n sigma^2) over w* and ``n_probes`` points w* + N(0, r^2 I),
    r = min(1, gamma^(-1/2)) / 2 (the curvature the chains meet, also where F(w*) = 0)."""
    radius = 0.5 * min(1.0, 1.0 / math.sqrt(localization)) if localization > 0 else 0.5
    lam_max = 0.0
    sub = X[: min(len(X), 2000)]
    for k in range(n_probes + 1):
        w = w_star if k == 0 else w_star + radius * rng.standard_normal(len(w_star))
        J = net.jacobian(w, sub).reshape(-1, net.n_params)
        lam_max = max(lam_max, float(np.linalg.eigvalsh(J.T @ J / (len(sub) * s2))[-1]))
    return STEP_FACTOR / (nbeta * max(lam_max, 1e-12) + localization)


def _data(net: AnyNetwork, w_star: np.ndarray, data: dict[str, Any] | str | os.PathLike[str] | None,
          n_samples: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(X, Y): simulated from w* with Gaussian inputs, or read from ``data``."""
    if data is None:
        check_no_poles(net, "the expected loss K(w) of simulated data", ", or given data (--data)")
        n = check_int(n_samples, "samples", low=3, high=10**7)
        X = rng.standard_normal((n, net.n_inputs))
        Y = net.forward(w_star, X) + noise * rng.standard_normal((n, net.n_outputs))
        return X, Y
    if not isinstance(data, dict):
        data = load_json(data, "--data")
    data = check_keys(data, "--data", required=("X", "y"))
    X = check_matrix(data["X"], '--data "X"', shape=(None, net.n_inputs))
    Y = check_matrix(data["y"], '--data "y"', ndim=(1, 2))
    Y = Y.reshape(len(Y), -1)
    if Y.shape != (len(X), net.n_outputs):
        raise SpecError(f'--data "y" must have {len(X)} rows of {net.n_outputs} outputs; got shape '
                        f"{Y.shape}")
    return X, Y
