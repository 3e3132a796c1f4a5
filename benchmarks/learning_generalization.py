"""Benchmark: training vs generalization error at regular and singular points (the closing note).

The Amari–Park–Ozeki experiment with neuroalg.learning.generalization, sigma = 0.1, x ~ N(0, 1),
box |w| <= 3, |v| <= 3, n in {50, 100, 200, 400, 800}:

* mlp 1,1,1 tanh at the regular truth (w, v) = (1, 1) and at f* = 0 (the cone singularity),
  200 replications, Bayes by exact quadrature;
* mlp 1,2,1 tanh at a regular truth, at the overlap singularity w_1 = w_2 and at f* = 0,
  100 replications, Bayes by adaptive Metropolis (R-hat and ESS reported).

Run: .venv/bin/python benchmarks/learning_generalization.py [quick] [only=TAG-PART, e.g. only=121]
Results: one json and png per experiment (learning_generalization_<widths>_<truth>), assembled
into benchmarks/results/learning_generalization.{json,md}.
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


def _tag(spec, truth):
    return f"learning_generalization_{spec.split()[1].replace(',', '')}_{truth}"


def main(quick: bool = False, only: str | None = None) -> None:
    """Run the experiments (those whose tag contains ``only``, if given), write one JSON per
    experiment, and assemble the report from every experiment's JSON present."""
    OUT.mkdir(exist_ok=True)
    ns = (50, 100, 200) if quick else (50, 100, 200, 400, 800)
    for spec, truth, reps in EXPERIMENTS:
        tag = _tag(spec, truth)
        if only and only not in tag:
            continue
        t0 = time.time()
        r = generalization(spec, truth=truth, ns=ns, replications=20 if quick else reps, seed=15,
                           mcmc_warmup=3000, mcmc_samples=6000,
                           show_progress=lambda m: print(f"  {m}", file=sys.stderr, flush=True))
        plot_generalization(r, OUT / f"{tag}.png")
        print(f"{spec} {truth}: {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
        d = r.to_dict()
        d["text"] = str(r)
        (OUT / f"{tag}.json").write_text(json.dumps(d, indent=1))
    results, md = [], ["# Training vs generalization error at regular and singular points", "",
                       "sigma = 0.1, x ~ N(0, 1), box |w| <= 3, |v| <= 3; errors in KL units; "
                       "n E[...] with 95% half-widths (1.96 s.e. over replications). Every "
                       "experiment uses seed 15, so the inputs and noise of replication k at size n "
                       "are the same in all experiments (common random numbers).", ""]
    for spec, truth, _ in EXPERIMENTS:
        path = OUT / f"{_tag(spec, truth)}.json"
        if not path.exists():
            continue
        d = json.loads(path.read_text())
        results.append(d)
        tag = _tag(spec, truth)
        md += [f"## {spec}, {truth} truth", "", "```", d["text"], "```", "", f"![{tag}]({tag}.png)", ""]
    (OUT / "learning_generalization.json").write_text(json.dumps(
        {"machine": f"{platform.machine()}, {platform.python_version()}",
         "results": [{k: v for k, v in d.items() if k != "text"} for d in results]}, indent=1))
    (OUT / "learning_generalization.md").write_text("\n".join(md))


if __name__ == "__main__":
    args = sys.argv[1:]
    only = next((a.split("=", 1)[1] for a in args if a.startswith("only=")), None)
    main(quick="quick" in args, only=only)
