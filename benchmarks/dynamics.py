"""Benchmark: AGF prediction time vs the gradient-descent simulation it predicts; jump-time error.

Same problem, same run:
* diagonal linear network beta = u * v, n = 60 samples, d = 30 features, realizable target with
  12 nonzero coefficients of geometrically spread sizes; loss 1/2 mean((y - X beta)^2);
* fully connected linear network 30 -> width 10 -> 20 on N = 300 whitened inputs (Sigma_xx = I),
  8 singular values geometric from 3 to 0.5 (AGF: reduced-rank regression in closed form);
* fully connected linear network 20 -> width 6 -> 10 on N = 200 non-whitened Gaussian inputs
  (covariance spectrum 1.5..0.5, random rotation), rank-4 linear target; the first two AGF jump
  times (alpha -> 0 engine) also compared with their closed form ``linear_network_jump_times``;
* quadratic two-layer network 3 -> 3 -> 1 (activation x^2, kappa = 3) on a sum of two squared
  projections, 50 samples; rescaled time t * alpha, alpha in {1e-2, 1e-3, 1e-4}, lr = 0.01, GD
  started from alpha times the directions AGF uses.
For each, AGF (alpha -> 0) is timed (best of 3; where the limit engine refuses jumps it cannot
confirm, AGF at alpha = 1e-8 instead, and the refusal is recorded), then gradient descent is run from the small
initialization of scale alpha in {1e-2, 1e-4, 1e-8, 1e-16} with step lr = 0.005 / lambda_max(X^T X/n)
to 1.2x the last predicted jump (a step this size keeps the time-discretization error of a jump,
about lr * s / 2 relative, below the finite-alpha error being measured; GD is the vectorized
numpy loop of ``neuroalg.dynamics.simulate``). Reported: wall times, ratio GD / AGF, and the error of the GD
jump times (rescaled by log(1/alpha); detected by ``detect_jumps``) against the AGF times, each
AGF jump matched to the nearest detected GD jump (max and mean over jumps), and the number of
AGF jumps that GD resolved (a GD jump within 0.1 of the AGF time). For the diagonal network the
AGF times are also compared with the independent Pesme-Flammarion algorithm.

Run: .venv/bin/python benchmarks/dynamics.py; results: benchmarks/results/dynamics.{json,md}
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

import numpy as np

import neuroalg
from neuroalg.dynamics import DiagonalLinear, TwoLayer, agf, linear_network_jump_times, pesme_flammarion, simulate
from neuroalg.errors import SpecError

RESULTS = Path(__file__).parent / "results"
ALPHAS = (1e-2, 1e-4, 1e-8, 1e-16)
#: AGF at this finite alpha where the alpha -> 0 engine refuses (jumps it cannot confirm)
FALLBACK_ALPHA = 1e-8


def best_of(fn, repeats=3):
    best, out = np.inf, None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def diagonal_problem():
    rng = np.random.default_rng(0)
    n, d = 60, 30
    X = rng.standard_normal((n, d))
    b = np.zeros(d)
    b[:12] = rng.standard_normal(12) * np.geomspace(3, 0.3, 12)
    return DiagonalLinear(d), X, X @ b


def linear_problem():
    rng = np.random.default_rng(1)
    d_in, width, d_out, N = 30, 10, 20, 300
    s = np.geomspace(3.0, 0.5, 8)
    U, _ = np.linalg.qr(rng.standard_normal((d_out, d_out)))
    V, _ = np.linalg.qr(rng.standard_normal((d_in, d_in)))
    Q, _ = np.linalg.qr(rng.standard_normal((N, d_in)))
    X = Q * np.sqrt(N)  # X^T X / N = I exactly
    Syx = U[:, : len(s)] @ np.diag(s) @ V[:, : len(s)].T
    return TwoLayer(d_in, width, d_out, "x"), X, X @ Syx.T


def linear_nonwhitened_problem():
    rng = np.random.default_rng(2)
    d_in, width, d_out, N = 20, 6, 10, 200
    X = rng.standard_normal((N, d_in)) @ np.diag(np.geomspace(1.5, 0.5, d_in))
    X = X @ np.linalg.qr(rng.standard_normal((d_in, d_in)))[0]
    B = rng.standard_normal((d_out, 4)) @ rng.standard_normal((4, d_in)) / np.sqrt(d_in)
    return TwoLayer(d_in, width, d_out, "x"), X, X @ B.T


def quadratic_problem():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3))
    Y = (X @ [1.0, 0.5, -0.3]) ** 2 - 0.6 * (X @ [0.2, -1.0, 0.4]) ** 2
    model = TwoLayer(3, 3, 1, "x^2")
    return model, X, Y, model.init(1.0, np.random.default_rng(5))


def recursion(X, Y):
    """Closed form of the first two jump times for generic Sigma_xx, on the data moments."""
    n = len(X)
    return linear_network_jump_times(X.T @ X / n, Y.T @ X / n)


def run_case(name, model, X, Y, reference=None, Theta0=None, alphas=ALPHAS, lr=None):
    prediction = "alpha -> 0 limit"
    try:
        t_agf, res = best_of(lambda: agf(model, X, Y, seed=0, Theta0=Theta0))
    except SpecError as exc:  # the limit engine refuses what it cannot confirm: say so
        alpha = FALLBACK_ALPHA
        t_agf, res = best_of(lambda: agf(model, X, Y, seed=0, Theta0=Theta0, alpha=alpha))
        prediction = f"finite alpha = {alpha:g} (the alpha -> 0 engine refused: {exc})"
        print(f"{name}: {prediction}", flush=True)
    rows = []
    if lr is None:
        lr = 0.005 / np.linalg.eigvalsh(X.T @ X / len(X))[-1]
    tau_agf = np.array(res.jump_times)
    for alpha in alphas:
        t = time.perf_counter()
        run = simulate(model, X, Y, alpha=alpha, tau_max=1.2 * tau_agf[-1], lr=lr, seed=0,
                       n_records=40000, Theta0=None if Theta0 is None else alpha * Theta0)
        t_gd = time.perf_counter() - t
        g = np.array(run.jump_times)
        err = np.array([np.min(np.abs(g - tt)) for tt in tau_agf]) if len(g) else np.full(len(tau_agf), np.nan)
        rows.append({"alpha": alpha, "gd_seconds": t_gd, "gd_steps": run.n_steps,
                     "ratio_gd_over_agf": t_gd / t_agf, "n_gd_jumps": len(g),
                     "n_agf_jumps_resolved": int(np.sum(err < 0.1)),
                     "max_jump_time_error": float(np.max(err)),
                     "mean_jump_time_error": float(np.mean(err)),
                     "first_jump_error": float(err[0]),
                     "final_loss_gd": run.losses[-1]})
        print(f"{name} alpha={alpha:g}: GD {t_gd:.2f} s ({run.n_steps} steps), ratio "
              f"{t_gd / t_agf:.0f}, resolved {rows[-1]['n_agf_jumps_resolved']}/{len(tau_agf)}, "
              f"max err {rows[-1]['max_jump_time_error']:.3g}, first {err[0]:.3g}", flush=True)
    out = {"problem": name, "prediction": prediction, "agf_seconds": t_agf, "n_jumps": res.n_jumps,
           "agf_jump_times": list(res.jump_times), "agf_levels": list(res.levels), "lr": lr,
           "gd": rows}
    if reference is recursion:
        t_ref, ref = best_of(lambda: recursion(X, Y))
        out["recursion_seconds"] = t_ref
        k = len(ref.times)  # the closed form gives the first two jumps only
        out["recursion_n_jumps"] = k
        out["agf_vs_recursion_max_time_diff"] = float(np.max(np.abs(tau_agf[:k] - np.array(ref.times))))
        out["agf_vs_recursion_max_level_diff"] = float(np.max(np.abs(np.array(res.levels) - np.array(ref.levels))))
    elif reference is not None:
        t_pf, pf = best_of(lambda: reference(X, Y))
        out["pesme_flammarion_seconds"] = t_pf
        out["agf_vs_pf_max_time_diff"] = float(np.max(np.abs(tau_agf - np.array(pf.times))))
        out["agf_vs_pf_max_level_diff"] = float(np.max(np.abs(np.array(res.levels) - np.array(pf.levels))))
        out["agf_vs_pf_same_order"] = list(res.order) == pf.order
    return out


def main():
    start = time.perf_counter()
    cases = [run_case("diagonal linear n=60 d=30", *diagonal_problem(), reference=pesme_flammarion),
             run_case("linear 30-10-20 whitened, N=300", *linear_problem()),
             run_case("linear 20-6-10 non-whitened (rank-4 target), N=200",
                      *linear_nonwhitened_problem(), reference=recursion)]
    model, X, Y, Th = quadratic_problem()
    cases.append(run_case("quadratic 3-3-1 x^2 (kappa=3)", model, X, Y, Theta0=Th,
                          alphas=(1e-2, 1e-3, 1e-4), lr=0.01))
    result = {"version": neuroalg.__version__, "machine": platform.processor() or platform.machine(),
              "python": platform.python_version(), "seconds": time.perf_counter() - start,
              "cases": cases}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dynamics.json").write_text(json.dumps(result, indent=1) + "\n")
    lines = ["# dynamics benchmark: AGF prediction vs gradient-descent simulation", "",
             "Produced by `benchmarks/dynamics.py` (see its docstring for the set-up).", ""]
    for c in cases:
        lines += [f"## {c['problem']}", "",
                  f"AGF ({c['prediction']}): {c['agf_seconds']:.3f} s, {c['n_jumps']} jumps; "
                  f"GD step lr = {c['lr']:.4g}."]
        if "agf_vs_pf_max_time_diff" in c:
            lines.append(f"AGF vs Pesme-Flammarion: same order {c['agf_vs_pf_same_order']}, max |dt| "
                         f"{c['agf_vs_pf_max_time_diff']:.2e}, max |dlevel| {c['agf_vs_pf_max_level_diff']:.2e} "
                         f"(PF itself: {c['pesme_flammarion_seconds']:.4f} s).")
        if "agf_vs_recursion_max_time_diff" in c:
            lines.append(f"AGF engine vs the closed form of the first {c['recursion_n_jumps']} jump times: max |dt| "
                         f"{c['agf_vs_recursion_max_time_diff']:.2e}, max |dlevel| "
                         f"{c['agf_vs_recursion_max_level_diff']:.2e} (closed form itself: "
                         f"{c['recursion_seconds']:.4f} s).")
        lines += ["", "| alpha | GD steps | GD s | GD / AGF | AGF jumps resolved | first-jump error | "
                  "max error | mean error |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in c["gd"]:
            lines.append(f"| {r['alpha']:g} | {r['gd_steps']} | {r['gd_seconds']:.2f} | "
                         f"{r['ratio_gd_over_agf']:.0f}x | {r['n_agf_jumps_resolved']}/{c['n_jumps']} | "
                         f"{r['first_jump_error']:.3g} | {r['max_jump_time_error']:.3g} | "
                         f"{r['mean_jump_time_error']:.3g} |")
        lines.append("")
    lines.append("Jump-time errors are in rescaled time: gradient-flow time / log(1/alpha) for kappa = 2, "
                 "gradient-flow time * alpha for kappa = 3.")
    (RESULTS / "dynamics.md").write_text("\n".join(lines) + "\n")
    print(f"total {result['seconds']:.1f} s")


if __name__ == "__main__":
    main()
