"""Benchmark: the Fisher information computed exactly (Gaussian moments) vs Monte Carlo.

For polynomial networks at a random float point (x ~ N(0, I), sigma = 1):
* exact: Gaussian moments in rational arithmetic (neuroalg.learning.moments), exact rank;
* quadrature: tensor Gauss-Hermite with D + 1 nodes per input (exact up to rounding);
* Monte Carlo with N in {1e3, 1e4, 1e5, 1e6} samples: relative Frobenius error against the exact
  matrix and wall time; the error follows c N^(-1/2), so the sample size (and time) Monte Carlo
  needs to reach a target accuracy is extrapolated from the fitted c and the time per sample.
"Equal accuracy" columns: Monte Carlo time to reach relative error 1e-3 and 1e-6, and the
exact computation's accuracy (the rounding of its float64 copy, 1e-16 relative).
For tanh networks (no exact route) quadrature is compared with Monte Carlo the same way, the
reference being the quadrature (its error: the change from a coarser rule). Times are of the
matrix computations alone (best of 3), without the generic rank and strata of ``fisher``.

Run: .venv/bin/python benchmarks/learning_fisher.py
Results: benchmarks/results/learning_fisher.{json,md}
"""

from __future__ import annotations

import json
import platform
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

from neuroalg.learning.fisher import _default_nodes, _gram, fisher
from neuroalg.learning.inputs import standard_gaussian
from neuroalg.learning.moments import exact_fisher, to_float
from neuroalg.learning.network import parse_network

OUT = Path(__file__).parent / "results"
POLY = ["mlp 2,3,1 x^2", "mlp 3,5,1 x^3", "mlp 2,4,4,1 x^2 bias", "mlp 4,6,2 x^2", "linear 5,4,3",
        "mlp 3,3,3,1 x^3+x^2"]
SMOOTH = ["mlp 1,3,1 tanh", "mlp 2,4,1 erf bias"]
NS = (1_000, 10_000, 100_000, 1_000_000)


def _best(fn, reps=3):
    best, out = float("inf"), None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _mc(net, theta, rng, N):
    q = standard_gaussian(net.n_inputs)
    X = q.sample(rng, N)
    return _gram(net, theta, X, np.full(N, 1.0 / N))


def run_case(spec, exact: bool, rng):
    net = parse_network(spec)
    theta = rng.standard_normal(net.n_params) * 0.7
    q = standard_gaussian(net.n_inputs)
    r = fisher(net, at=theta, method="exact" if exact else "quadrature", seed=0)  # rank, status
    m = _default_nodes(net)
    X, w = q.quadrature(m)
    t_q, Fq = _best(lambda: _gram(net, theta, X, w))
    if exact:
        exact_theta = tuple(Fraction(float(t)) for t in theta)
        t_ref, F_ex = _best(lambda: exact_fisher(net.arch, exact_theta))
        F = to_float(F_ex)
        q_err = float(np.linalg.norm(Fq - F) / np.linalg.norm(F))
        ref_name = "exact"
    else:
        t_ref, F = t_q, Fq
        q_err = float(r.error_bound / np.linalg.norm(F))
        ref_name = "quadrature"
    mc = []
    for N in NS:
        t, Fm = _best(lambda N=N: _mc(net, theta, rng, N), reps=1)
        mc.append({"N": N, "seconds": t, "rel_error": float(np.linalg.norm(Fm - F) / np.linalg.norm(F))})
    c = float(np.exp(np.mean([np.log(m["rel_error"]) + 0.5 * np.log(m["N"]) for m in mc])))
    per_sample = mc[-1]["seconds"] / mc[-1]["N"]

    def need(eps):
        N = (c / eps) ** 2
        return {"N": N, "seconds": N * per_sample}

    return {"spec": spec, "n_params": net.n_params, "rank": r.rank, "status": r.status.value,
            "reference": ref_name, "reference_seconds": t_ref, "quadrature_seconds": t_q,
            "quadrature_rel_error": q_err, "n_nodes": len(X), "monte_carlo": mc,
            "mc_constant": c, "mc_for_1e-3": need(1e-3), "mc_for_1e-6": need(1e-6),
            "mc_for_1e-16": need(1e-16)}


def main():
    rng = np.random.default_rng(2025)
    rows = [run_case(s, True, rng) for s in POLY] + [run_case(s, False, rng) for s in SMOOTH]
    OUT.mkdir(exist_ok=True)
    machine = f"{platform.machine()}, {platform.python_version()}"
    (OUT / "learning_fisher.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=1))
    lines = ["# Fisher information: exact Gaussian moments vs Monte Carlo at equal accuracy", "",
             "| network | P | rank (status) | reference: time | quadrature: time, rel. error | "
             "MC N = 1e6: time, rel. error | MC time for 1e-3 | MC time for 1e-6 | MC time for 1e-16 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        last = r["monte_carlo"][-1]
        lines.append(f"| {r['spec']} | {r['n_params']} | {r['rank']} ({r['status']}) | "
                     f"{r['reference']}: {r['reference_seconds'] * 1e3:.1f} ms | "
                     f"{r['quadrature_seconds'] * 1e3:.1f} ms, {r['quadrature_rel_error']:.1e} | "
                     f"{last['seconds']:.2f} s, {last['rel_error']:.1e} | "
                     f"{r['mc_for_1e-3']['seconds']:.2g} s | {r['mc_for_1e-6']['seconds']:.2g} s | "
                     f"{r['mc_for_1e-16']['seconds']:.2g} s |")
    lines += ["", "Monte Carlo error ~ c N^-1/2 (fitted over N = 1e3..1e6); times to reach an accuracy "
              "are extrapolated from the fitted c and the time per sample at N = 1e6. The exact "
              "matrix is exact (rational); its float64 copy is accurate to 1e-16 relative. The rank "
              "status is the reference computation's.", f"Machine: {machine}.", ""]
    (OUT / "learning_fisher.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
