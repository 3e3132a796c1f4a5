"""Experiment: how often gradient descent ends on a subnetwork, MLP vs CNN of equal size, over a
grid of initialization scales (the Razor's Edge contrast: MLP subnetworks are critically
exposed, CNN subnetworks are not; Shahverdi, Marchetti, Kohn 2025, arXiv:2505.11846).

Pairs with the same number of parameters, activation x^2, no biases:
  mlp 2,2,1 x^2 (6 parameters)  vs  cnn k=3,3 x^2 (6),
  mlp 3,2,1 x^2 (8 parameters)  vs  cnn k=4,4 x^2 (8).
For each initialization scale in SCALES and each architecture, ``endpoint_census`` trains RUNS
random initializations (theta = scale * N(0, 1) / sqrt(max width)) by full-batch gradient
descent with an adaptive step (N_STEPS steps) on N = 40 standard normal inputs, with two kinds
of targets: ``generic`` (y ~ N(0, 1) independent of x: a generic point u of function space, the
setting of critical exposure) and ``teacher`` (y = a random network of the same architecture).
An endpoint is a *subnetwork* when a hidden unit is zero (MLP: a neuron's incoming or outgoing
weights; CNN: a zero-padded filter, i.e. a vanishing first or last entry) up to 1e-4 times the
largest parameter; for CNNs the number of those on singular strata (>= 2 placements) is also
counted. Classifications are numerical (thresholds), as in ``neuroalg endpoints``.

Run: .venv/bin/python benchmarks/endpoints_mlp_cnn.py [quick]
Results: benchmarks/results/endpoints_mlp_cnn.{json,md,png}
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from neuroalg.dynamics.endpoints import endpoint_census
from neuroalg.spec import parse_spec

RESULTS = Path(__file__).parent / "results"
PAIRS = (("mlp 2,2,1 x^2", "cnn k=3,3 x^2"), ("mlp 3,2,1 x^2", "cnn k=4,4 x^2"))
SCALES = (0.001, 0.01, 0.1, 1.0)
N_SAMPLES, N_STEPS = 40, 3000


def run(spec: str, scale: float, target: str, runs: int, seed: int) -> dict:
    arch = parse_spec(spec)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_SAMPLES,) + tuple(arch.input_shape))
    Y = rng.standard_normal(N_SAMPLES) if target == "generic" else None
    cpu = time.process_time()
    res = endpoint_census(arch, runs=runs, n_samples=N_SAMPLES, n_steps=N_STEPS, init_scale=scale,
                          X=X if target == "generic" else None, Y=Y, seed=seed)
    f = res.frequencies
    return {"spec": str(arch), "n_params": res.n_params, "scale": scale, "target": target,
            "runs": runs, "subnetwork": f["subnetwork"], "singular": f["singular"],
            "regular": f["regular"], "singular_subnetworks": res.n_singular_subnetworks,
            "median_loss": float(np.median([e.loss for e in res.endpoints])),
            "cpu_seconds": round(time.process_time() - cpu, 2)}


def table(rows: list[dict], target: str) -> list[str]:
    specs = [s for pair in PAIRS for s in pair]
    out = ["| architecture | params | " + " | ".join(f"scale {s:g}" for s in SCALES) + " |",
           "|---|---|" + "---|" * len(SCALES)]
    for spec in specs:
        cells = []
        for s in SCALES:
            r = next(r for r in rows if r["spec"].startswith(spec.split(" x")[0]) and r["scale"] == s
                     and r["target"] == target)
            extra = (f" ({r['singular_subnetworks']} on nodes)" if r["singular_subnetworks"] else "")
            cells.append(f"{r['subnetwork']} + {r['singular']} / {r['runs']}{extra}")
        n = next(r["n_params"] for r in rows if r["spec"].startswith(spec.split(" x")[0]))
        out.append(f"| {spec} | {n} | " + " | ".join(cells) + " |")
    return out


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, len(PAIRS), figsize=(5 * len(PAIRS), 7), sharey=True, sharex=True)
    for i, target in enumerate(("generic", "teacher")):
        for j, pair in enumerate(PAIRS):
            ax = axes[i][j]
            for spec, color in zip(pair, ("tab:red", "tab:blue")):
                mine = sorted((r for r in rows if r["target"] == target
                               and r["spec"].startswith(spec.split(" x")[0])), key=lambda r: r["scale"])
                x = [r["scale"] for r in mine]
                ax.plot(x, [r["subnetwork"] / r["runs"] for r in mine], "-o", color=color,
                        label=f"{spec}: subnetwork")
                ax.plot(x, [(r["subnetwork"] + r["singular"]) / r["runs"] for r in mine], ":s",
                        color=color, label=f"{spec}: subnetwork or rank drop")
            ax.set_xscale("log")
            ax.set_title(f"{target} targets", fontsize=10)
            ax.grid(alpha=0.3)
            if i == 1:
                ax.set_xlabel("initialization scale")
            if j == 0:
                ax.set_ylabel("fraction of endpoints")
            if i == 0:
                ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(quick: bool = False) -> None:
    RESULTS.mkdir(exist_ok=True)
    runs = 6 if quick else 24
    load0 = [round(v, 2) for v in os.getloadavg()]
    rows = []
    for target in ("generic", "teacher"):
        for i, pair in enumerate(PAIRS):
            for spec in pair:
                for j, scale in enumerate(SCALES):
                    rows.append(run(spec, scale, target, runs, seed=1000 * i + j))
                    print(rows[-1], file=sys.stderr, flush=True)
    meta = {"machine": f"{platform.machine()}, Python {platform.python_version()}",
            "load_start": load0, "load_end": [round(v, 2) for v in os.getloadavg()],
            "n_samples": N_SAMPLES, "n_steps": N_STEPS, "runs": runs,
            "cpu_seconds": round(sum(r["cpu_seconds"] for r in rows), 1)}
    (RESULTS / "endpoints_mlp_cnn.json").write_text(json.dumps({**meta, "rows": rows}, indent=1))
    plot(rows, RESULTS / "endpoints_mlp_cnn.png")
    md = ["# Gradient-descent endpoints on subnetworks: MLP vs CNN of equal size", "",
          f"{runs} runs per cell, N = {N_SAMPLES} standard normal inputs, {N_STEPS} GD steps "
          "(adaptive step), activation x^2, no biases. Cells: endpoints on a subnetwork (a zero "
          "unit: MLP neuron, CNN zero-padded filter) + endpoints with a Jacobian rank drop and no "
          "zero unit (MLP: e.g. parallel neurons, the image of a smaller network) / runs; CNN: "
          "how many subnetwork endpoints lie on a node (>= 2 zero placements, singular). "
          "Numerical classification (zero = below 1e-4 of the largest parameter, ranks at "
          "relative 1e-6).", "",
          f"CPU {meta['cpu_seconds']} s; load average {load0} (start), {meta['load_end']} (end); "
          f"{meta['machine']}.", ""]
    for target in ("generic", "teacher"):
        md += [f"## {target} targets", ""] + table(rows, target) + [""]
    md += ["![subnetwork frequency](endpoints_mlp_cnn.png)", ""]
    (RESULTS / "endpoints_mlp_cnn.md").write_text("\n".join(md))


if __name__ == "__main__":
    main(quick="quick" in sys.argv[1:])
