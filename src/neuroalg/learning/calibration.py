"""Calibration of the SGLD learning-coefficient estimator against exact values.

Each case is a network, a true parameter w* and its exact local learning coefficient from
:mod:`.rlct` (a theorem: constant rank, Aoyagi–Watanabe, or the Newton polyhedron of a
one-input monomial network). For every case the estimator (:func:`.llc.local_learning_coefficient`,
its default hyperparameters unless given) runs on ``n_seeds`` independent data sets and chains;
the table reports the mean, its standard error, the spread (standard deviation over seeds), the
bias mean - exact and the relative bias, with the worst split R-hat and the smallest ESS of the
loss traces.

For reduced-rank regression the exact value is the RLCT of the whole true set; the true
parameter used puts the H - r unused hidden units at zero (the origin-type point where
Aoyagi–Watanabe's resolution is centred).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import SpecError
from ..options import check_int
from ..progress import ShowProgress, check_progress
from ..random import check_seed, spawn
from ..results import Certainty, Result
from .llc import local_learning_coefficient
from .rlct import learning_coefficient, reduced_rank_regression


@dataclass(frozen=True)
class Case:
    name: str
    spec: str
    point: str
    exact: Fraction
    source: str


def _rrr(M, H, N, r) -> Case:
    W1 = np.zeros((H, M), dtype=int)
    W2 = np.zeros((N, H), dtype=int)
    for k in range(r):
        W1[k, k] = 1
        W2[k, k] = 1 + k  # distinct singular values 1, 2, ...
    point = ",".join(map(str, np.concatenate([W1.ravel(), W2.ravel()])))
    lam, m, case = reduced_rank_regression(M, N, H, r)
    return Case(f"RRR M={M} H={H} N={N} r={r}", f"linear {M},{H},{N}", point, lam,
                f"Aoyagi-Watanabe {case}, m = {m}")


def default_cases() -> list[Case]:
    """The calibration set: regular, minimally singular and singular points of small networks."""
    cases = [
        _rrr(2, 2, 2, 2), _rrr(1, 1, 1, 0), _rrr(2, 2, 2, 1), _rrr(3, 2, 3, 1), _rrr(3, 3, 3, 1),
    ]
    for spec, point in [("mlp 1,1,1 x^2", "0,0"), ("mlp 1,2,1 x^2", "0,0,0,0"),
                        ("mlp 1,1,1 x^3", "0,1"), ("mlp 1,1,1 tanh", "1,1"),
                        ("mlp 1,2,1 tanh", "0.5,2,1,1"), ("mlp 2,2,1 x^2", "1,2,-1,1,1,1")]:
        lc = learning_coefficient(spec, at=point, seed=0)
        assert lc.coefficient is not None, spec
        cases.append(Case(f"{spec} at ({point})", spec, point, lc.coefficient, lc.method))
    return cases


@dataclass(frozen=True)
class CalibrationRow:
    case: Case
    values: tuple[float, ...]
    rhat_max: float
    ess_min: float
    seconds: float

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def spread(self) -> float:
        return float(np.std(self.values, ddof=1)) if len(self.values) > 1 else float("nan")

    @property
    def std_error(self) -> float:
        return self.spread / np.sqrt(len(self.values))

    @property
    def bias(self) -> float:
        return self.mean - float(self.case.exact)

    @property
    def relative_bias(self) -> float:
        return self.bias / float(self.case.exact)


@dataclass(frozen=True)
class Calibration(Result):
    """The calibration table (module docstring). The headline (``value``, key
    ``mean_abs_relative_bias``) is the mean over cases of |mean - exact| / exact; ``status`` is
    ``monte_carlo``."""

    rows: tuple[CalibrationRow, ...]
    n_samples: int
    settings: dict[str, Any]
    seed: int | None
    seconds: float

    headline_key = "mean_abs_relative_bias"
    method_name = "sgld"

    @property
    def status(self) -> Certainty:
        return Certainty.MONTE_CARLO

    @property
    def mean_abs_relative_bias(self) -> float:
        return float(np.mean([abs(r.relative_bias) for r in self.rows]))

    def headline(self) -> str:
        return (f"SGLD learning-coefficient calibration on {len(self.rows)} cases: mean |relative "
                f"bias| {self.mean_abs_relative_bias:.1%} (Monte Carlo)")

    def lines(self) -> list[tuple[str, str]]:
        out = []
        for r in self.rows:
            out.append((r.case.name, f"exact {float(r.case.exact):.4g}, estimate {r.mean:.4g} +- "
                        f"{r.std_error:.2g} (spread {r.spread:.2g}), bias {r.bias:+.3g} "
                        f"({r.relative_bias:+.0%}), R-hat <= {r.rhat_max:.3f}, ESS >= {r.ess_min:.0f}"))
        out += [("settings", ", ".join(f"{k} {v}" for k, v in self.settings.items())),
                ("seed", str(self.seed)), ("time", f"{self.seconds:.1f} s")]
        return out

    def payload(self) -> dict[str, Any]:
        return {"mean_abs_relative_bias": self.mean_abs_relative_bias, "seed": self.seed,
                "seconds": round(self.seconds, 2), "n_samples": self.n_samples,
                "settings": self.settings,
                "rows": [{"case": r.case.name, "spec": r.case.spec, "point": r.case.point,
                          "exact": float(r.case.exact), "exact_source": r.case.source,
                          "mean": r.mean, "std_error": r.std_error, "spread": r.spread,
                          "bias": r.bias, "relative_bias": r.relative_bias,
                          "rhat_max": r.rhat_max, "ess_min": r.ess_min, "values": list(r.values),
                          "seconds": round(r.seconds, 2)} for r in self.rows]}

    def to_csv(self) -> str:
        head = ("case,spec,point,exact,exact_source,n_seeds,mean,std_error,spread,bias,"
                "relative_bias,rhat_max,ess_min,seconds")
        lines = [head]
        for r in self.rows:
            c = r.case
            lines.append(",".join([f'"{c.name}"', f'"{c.spec}"', f'"{c.point}"', f"{float(c.exact):.6g}",
                                   f'"{c.source}"', str(len(r.values)), f"{r.mean:.5g}",
                                   f"{r.std_error:.3g}", f"{r.spread:.3g}", f"{r.bias:.4g}",
                                   f"{r.relative_bias:.4g}", f"{r.rhat_max:.4f}",
                                   f"{r.ess_min:.0f}", f"{r.seconds:.1f}"]))
        return "\n".join(lines) + "\n"


def calibrate(cases: Iterable[Case] | None = None, *, n_seeds: int = 8, n_samples: int = 1000,
              seed: int | np.random.Generator | None = 0, show_progress: ShowProgress = False,
              **llc_options: Any) -> Calibration:
    """Run the estimator ``n_seeds`` times per case (independent data and chains).

    Parameters
    ----------
    cases : iterable of Case, optional
        Networks, points and exact values (default: :func:`default_cases`).
    n_seeds : int, default=8
        Independent data sets and chains per case.
    n_samples : int, default=1000
        Simulated data size n.
    seed : int, numpy.random.Generator or None, default=0
        One stream per case, spawned per seed (recorded).
    show_progress : bool or callable(str), default=False
        A message per finished case (:mod:`neuroalg.progress`).
    **llc_options
        Settings of :func:`~neuroalg.learning.llc.local_learning_coefficient`.

    Returns
    -------
    Calibration
        Per case the estimates, their mean, standard error, spread, bias and relative bias,
        worst R-hat and smallest ESS; ``status`` is ``monte_carlo``.
    """
    progress = check_progress(show_progress)
    n_seeds = check_int(n_seeds, "n_seeds", low=1, high=10_000)
    clock = time.perf_counter()
    recorded, rng = check_seed(seed)
    cases = default_cases() if cases is None else list(cases)
    rows = []
    for case, crng in zip(cases, spawn(rng, len(cases))):
        t0 = time.perf_counter()
        vals: list[float] = []
        rh: list[float] = []
        es: list[float] = []
        for srng in spawn(crng, n_seeds):
            r = local_learning_coefficient(case.spec, at=case.point, n_samples=n_samples,
                                           exact=False, seed=srng, **llc_options)
            vals.append(r.llc)
            rh.append(r.rhat)
            es.append(r.ess)
        row = CalibrationRow(case, tuple(vals), float(np.nanmax(rh)), float(np.nanmin(es)),
                             time.perf_counter() - t0)
        rows.append(row)
        if progress:
            progress(f"{case.name}: exact {float(case.exact):.4g}, mean {row.mean:.4g} "
                     f"(bias {row.bias:+.3g}, spread {row.spread:.3g})")
    settings = {"n": n_samples, "seeds": n_seeds, **{k: v for k, v in llc_options.items()}}
    settings.setdefault("defaults", "steps 5000, burn-in 1000, 4 chains, gamma 1, batch 256, "
                                    "eps = 0.5/(n beta lambda_max + gamma)")
    return Calibration(tuple(rows), n_samples, settings, recorded, time.perf_counter() - clock)


@dataclass(frozen=True)
class StratumRow:
    kind: str  # "generic" or a stratum name of :mod:`.strata`
    point: tuple[str, ...]
    strata: tuple[str, ...]
    fisher_rank: int | None
    generic_rank: int | None
    exact: float | None
    lower: float
    upper: float
    method: str
    estimates: tuple[float, ...]

    @property
    def mean(self) -> float:
        return float(np.mean(self.estimates))

    @property
    def std_error(self) -> float:
        return float(np.std(self.estimates, ddof=1) / np.sqrt(len(self.estimates))) \
            if len(self.estimates) > 1 else float("nan")


@dataclass(frozen=True)
class StrataTable(Result):
    """Learning coefficients of one polynomial network at a generic point and on each stratum:
    Fisher rank, exact value or proven bracket (:mod:`.rlct`), and the SGLD estimate. The
    headline (``value``, key ``generic_llc``) is the mean SGLD estimate at the generic point;
    ``status`` is ``monte_carlo``."""

    spec: str
    rows: tuple[StratumRow, ...]
    seed: int | None
    seconds: float

    headline_key = "generic_llc"
    method_name = "rlct + sgld"

    @property
    def status(self) -> Certainty:
        return Certainty.MONTE_CARLO

    def headline(self) -> str:
        return f"learning coefficients of {self.spec} by stratum (exact/bracket and SGLD, Monte Carlo)"

    def lines(self) -> list[tuple[str, str]]:
        out = []
        for r in self.rows:
            ref = f"exact {r.exact:.4g}" if r.exact is not None else f"in [{r.lower:.4g}, {r.upper:.4g}]"
            out.append((r.kind, f"Fisher rank {r.fisher_rank}/{r.generic_rank}, lambda {ref}; SGLD "
                                f"{r.mean:.3f} +- {r.std_error:.3f}"))
        return out + [("seed", str(self.seed)), ("time", f"{self.seconds:.1f} s")]

    def payload(self) -> dict[str, Any]:
        return {"generic_llc": self.rows[0].mean, "spec": self.spec, "seed": self.seed,
                "seconds": round(self.seconds, 2),
                "rows": [{"kind": r.kind, "point": list(r.point), "strata": list(r.strata),
                          "fisher_rank": r.fisher_rank, "generic_rank": r.generic_rank,
                          "exact": r.exact, "lower": r.lower, "upper": r.upper,
                          "method": r.method, "estimates": list(r.estimates), "mean": r.mean,
                          "std_error": r.std_error} for r in self.rows]}


def strata_table(spec: str, *, n_seeds: int = 3, n_samples: int = 1000,
                 seed: int | np.random.Generator | None = 0, show_progress: ShowProgress = False,
                 **llc_options: Any) -> StrataTable:
    """For a polynomial MLP: a generic rational point and one random rational point per stratum
    (:func:`.strata.point_on_stratum`), each with its learning coefficient (exact or bracket)
    and ``n_seeds`` SGLD estimates (``show_progress``: a message per point)."""
    from .network import parse_network
    from .points import show
    from .strata import NAMES, parse_stratum, point_on_stratum

    progress = check_progress(show_progress)
    clock = time.perf_counter()
    recorded, rng = check_seed(seed)
    net = parse_network(spec)
    kinds = ["generic"]
    for k in NAMES:
        try:
            parse_stratum(k, net)
            kinds.append(k)
        except SpecError:  # a stratum this network does not have
            continue
    rows: list[StratumRow] = []
    for kind, krng in zip(kinds, spawn(rng, len(kinds))):
        if kind == "generic":
            pt = tuple(Fraction(int(k) * int(s), 4) for k, s in
                       zip(krng.integers(1, 9, net.n_params), krng.choice([-1, 1], net.n_params)))
        else:
            pt = point_on_stratum(net, kind, krng)
        lc = learning_coefficient(net, at=pt, seed=krng)
        ests = tuple(local_learning_coefficient(net, at=pt, n_samples=n_samples, exact=False,
                                                seed=s, **llc_options).llc
                     for s in spawn(krng, n_seeds))
        row = StratumRow(kind, tuple(show(t) for t in pt), lc.strata, lc.fisher_rank,
                         lc.generic_rank, None if lc.coefficient is None else float(lc.coefficient),
                         float(lc.lower), float(lc.upper), lc.method, ests)
        rows.append(row)
        if progress:
            progress(f"{spec} {kind}: {lc.headline()}; SGLD {row.mean:.3f}")
    return StrataTable(str(net), tuple(rows), recorded, time.perf_counter() - clock)
