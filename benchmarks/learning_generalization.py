"""Benchmark: training vs generalization error at regular and singular points (the closing note).

The Amari–Park–Ozeki experiment with neuroalg.learning.generalization, sigma = 0.1, x ~ N(0, 1),
box |w| <= 3, |v| <= 3, n in {50, 100, 200, 400, 800}:

* mlp 1,1,1 tanh at the regular truth (w, v) = (1, 1) and at f* = 0 (the cone singularity),
  200 replications, Bayes by exact quadrature;
* mlp 1,2,1 tanh at a regular truth, at the overlap singularity w_1 = w_2 and at f* = 0,
  100 replications, Bayes by adaptive Metropolis (R-hat and ESS reported).

Run: .venv/bin/python benchmarks/learning_generalization.py [quick]
Results: benchmarks/results/learning_generalization.{json,md} and one png per experiment.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

from neuroalg.learning.generalization import generalization
from neuroalg.learning.plot import plot_generalization

OUT = Path(__file__).parent / "results"

EXPERIMENTS = [
    ("mlp 1,1,1 tanh", "regular", 200),
    ("mlp 1,1,1 tanh", "zero", 200),
    ("mlp 1,2,1 tanh", "regular", 100),
    ("mlp 1,2,1 tanh", "overlap", 100),
    ("mlp 1,2,1 tanh", "zero", 100),
]


def main(quick: bool = False) -> None:
    OUT.mkdir(exist_ok=True)
    ns = (50, 100, 200) if quick else (50, 100, 200, 400, 800)
    results, md = [], ["# Training vs generalization error at regular and singular points", "",
                       "sigma = 0.1, x ~ N(0, 1), box |w| <= 3, |v| <= 3; errors in KL units; "
                       "n E[...] with 95% half-widths (1.96 s.e. over replications).", ""]
    for spec, truth, reps in EXPERIMENTS:
        t0 = time.time()
        r = generalization(spec, truth=truth, ns=ns, replications=20 if quick else reps, seed=15,
                           progress=lambda m: print(f"  {m}", file=sys.stderr, flush=True))
        tag = f"learning_generalization_{spec.split()[1].replace(',', '')}_{truth}"
        plot_generalization(r, OUT / f"{tag}.png")
        print(f"{spec} {truth}: {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
        d = r.to_dict()
        results.append(d)
        md += [f"## {spec}, {truth} truth", "", "```", str(r), "```", "", f"![{tag}]({tag}.png)", ""]
        (OUT / "learning_generalization.json").write_text(json.dumps(
            {"machine": f"{platform.machine()}, {platform.python_version()}", "results": results},
            indent=1))
        (OUT / "learning_generalization.md").write_text("\n".join(md))


if __name__ == "__main__":
    main(quick="quick" in sys.argv[1:])
