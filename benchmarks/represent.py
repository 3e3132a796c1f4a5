"""Benchmark: zero-shot stitching through relative representations on scikit-learn's digits.

Pairs of networks (encoder 64-64-32 ReLU, linear head on the relative coordinates) from different
seeds, for three relative layers: vanilla cosine [Moschella et al. 2023], normalized (anchor
statistics) and normalized + topological densification [Garcia-Castellanos et al. 2024]. Reported
per variant, mean +- std over seeds: accuracy of A and B alone, stitched B->A and A->B (zero
shot), and the symmetry control (A's encoder after a random permutation + positive rescaling of
its latent units, into A's head). Written to benchmarks/results/represent.{md,json}.

Run: .venv/bin/python benchmarks/represent.py [--seeds 5] [--epochs 60]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
from pathlib import Path

import numpy as np

from neuroalg._version import __version__
from neuroalg.represent.stitching import stitching_experiment

RESULTS = Path(__file__).parent / "results"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--anchors", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    r = stitching_experiment(n_seeds=args.seeds, epochs=args.epochs, n_anchors=args.anchors,
                             seed=args.seed)
    print(r)
    RESULTS.mkdir(exist_ok=True)
    data = r.to_dict()
    data.update({"date": datetime.date.today().isoformat(),
                 "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                 "load": [round(v, 2) for v in os.getloadavg()]})
    (RESULTS / "represent.json").write_text(json.dumps(data, indent=1))

    def ms(v):
        a = 100 * np.array(v)
        return f"{a.mean():.1f} ± {a.std():.1f}"

    lines = ["# Zero-shot stitching benchmark (sklearn digits)", "",
             f"neuroalg {__version__}, {data['date']}, {data['machine']}, load average "
             f"{data['load']}; {r.n_seeds} seeds (seed {r.seed}), {r.n_train} train / {r.n_test} "
             f"test images, {r.n_anchors} anchors; {r.settings}; {r.seconds:.0f} s.", "",
             "Accuracy on the test set in %, mean ± standard deviation over seeds (trained "
             "networks: numerical, not certified).", "",
             "| relative layer | A alone | B alone | stitched B→A | stitched A→B | A after a latent "
             "symmetry → A head |", "|---|---|---|---|---|---|"]
    for row in r.rows:
        lines.append(f"| {row.variant} | {ms(row.acc_a)} | {ms(row.acc_b)} | {ms(row.stitched)} | "
                     f"{ms(row.stitched_reverse)} | {ms(row.symmetry_control)} |")
    lines += ["", "Per seed (stitched B→A, %):", ""]
    for row in r.rows:
        lines.append(f"- {row.variant}: " + ", ".join(f"{100 * v:.1f}" for v in row.stitched))
    (RESULTS / "represent.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
