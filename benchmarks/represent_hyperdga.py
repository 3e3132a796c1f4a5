"""Benchmark: the hyperbolic Delaunay graph at scale, and the HyperDGA shift experiment.

1. **Scaling.** Wrapped-normal samples (sigma 2) in the Poincare disk, n = 10^3 .. 10^5: time of
   ``hyperbolic_delaunay`` (Qhull lower hull of the hyperboloid lifts + vectorized clipping)
   against scipy.spatial.Delaunay of the same number of points (the Euclidean yardstick), edges
   before and after clipping. In 3-D, n = 10^2 .. 2*10^3: time and the number of faces that
   needed a QP.
2. **Shift experiment.** Two samples of one wrapped normal, B translated by hyperbolic distance
   s: HyperDGA, hyperbolic Wasserstein and symmetric Chamfer (mean ± std over seeds), in 2-D and
   3-D; and a picture of one 2-D graph.

Written to benchmarks/results/represent_hyperdga.{md,json} and represent_hyperdga.png.
Run: OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/represent_hyperdga.py [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
from scipy.spatial import Delaunay

from neuroalg._version import __version__
from neuroalg.hyperbolic import hyperbolic_delaunay, hyperdga, shift_experiment, wrapped_normal
from neuroalg.hyperbolic.plot import plot_hyperdga

RESULTS = Path(__file__).parent / "results"


def scaling(quick):
    rows = []
    for d, sizes in ((2, [1000, 10000, 100000]), (3, [100, 500, 2000])):
        for n in sizes[:2] if quick else sizes:
            x = wrapped_normal(n, d, np.random.default_rng(n + d), sigma=2.0)
            t = time.perf_counter()
            g = hyperbolic_delaunay(x)
            th = time.perf_counter() - t
            t = time.perf_counter()
            Delaunay(x)
            te = time.perf_counter() - t
            rows.append({"dim": d, "n": n, "seconds": th, "scipy_delaunay_seconds": te,
                         "edges": g.n_edges, "hull_edges": g.n_hull_edges, "qp_faces": g.n_qp,
                         "undecided": g.n_undecided})
            print(rows[-1], flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    out = {"version": __version__, "date": datetime.date.today().isoformat(),
           "machine": f"{platform.machine()}, {os.cpu_count()} cores"}
    out["scaling"] = scaling(args.quick)
    shifts = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
    out["shift_2d"] = shift_experiment(shifts, n_points=200, dim=2, n_seeds=3 if args.quick else 10,
                                       seed=0).to_dict()
    out["shift_3d"] = shift_experiment(shifts, n_points=150, dim=3, n_seeds=2 if args.quick else 5,
                                       seed=0).to_dict()
    out["load"] = [round(v, 2) for v in os.getloadavg()]
    rng = np.random.default_rng(0)
    r = hyperdga(wrapped_normal(200, 2, rng, sigma=1.5),
                 wrapped_normal(200, 2, rng, sigma=1.5, center=[0.45, 0.2]))
    RESULTS.mkdir(exist_ok=True)
    plot_hyperdga(r, RESULTS / "represent_hyperdga.png")
    (RESULTS / "represent_hyperdga.json").write_text(json.dumps(out, indent=1))
    lines = ["# Hyperbolic Delaunay graph and HyperDGA", "",
             f"neuroalg {__version__}, {out['date']}, {out['machine']}, load average {out['load']}.",
             "", "## Scaling (wrapped normal, sigma 2)", "",
             "| dim | points | hyperbolic Delaunay (s) | scipy Euclidean Delaunay (s) | edges | "
             "lower-hull edges | faces decided by min-norm (d >= 3) |", "|---|---|---|---|---|---|---|"]
    for s in out["scaling"]:
        lines.append(f"| {s['dim']} | {s['n']} | {s['seconds']:.2f} | {s['scipy_delaunay_seconds']:.2f} "
                     f"| {s['edges']} | {s['hull_edges']} | {s['qp_faces']} |")
    for key, label in (("shift_2d", "2-D, 2 x 200 points"), ("shift_3d", "3-D, 2 x 150 points")):
        sd = out[key]
        n_seeds = len(sd["score"][0])
        lines += ["", f"## Shift experiment ({label}, wrapped normal sigma 1, {n_seeds} seeds)", "",
                  "B is A's distribution translated by hyperbolic distance s. Mean ± std over seeds "
                  "(Monte Carlo).", "",
                  "| s | HyperDGA (higher = more similar) | hyperbolic Wasserstein | symmetric Chamfer |",
                  "|---|---|---|---|"]
        for i, s in enumerate(sd["shifts"]):
            cells = [f"{np.mean(sd[k][i]):.4f} ± {np.std(sd[k][i]):.4f}"
                     for k in ("score", "wasserstein", "chamfer")]
            lines.append(f"| {s:g} | " + " | ".join(cells) + " |")
        lines.append(f"\nMonotone in s (means): {sd['is_monotone']}")
    lines += ["", "Picture: `represent_hyperdga.png` (geodesic edges; A-B edges black): "
              f"HyperDGA = {r.score:.3f}."]
    (RESULTS / "represent_hyperdga.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
