"""Benchmark: AGF cost minimization for kappa = 3 on modular addition, variable projection vs
L-BFGS on the raw parameters; time, levels and stationarity, against closed form and GD.

Problem (tests/dynamics/test_modular.py): p = 20, template cos(2 pi n/20) + 0.5 cos(6 pi n/20)
+ 0.25 cos(10 pi n/20), quadratic two-layer network 40 -> 24 -> 20, loss_scale 2/p, directions
``model.init(1, default_rng(0))``, max_jumps 20, tau_max 300. Closed-form plateaus
(``modular_levels``): 0.65625 -> 0.15625 -> 0.03125 -> 0.

* ``projection``: ``agf`` as shipped (two-layer networks: ``dynamics.projection``);
* ``parameters``: the same network wrapped as a generic sum of neurons, so the cost step falls
  back to L-BFGS on all active parameters (the engine before the change).

Each run records CPU and wall seconds (interleaved, ``_measure``), the levels, the distance of
the nearest level to each closed-form plateau, the largest loss gradient over the plateaus
(computed from the model), the residual power of frequency 5 on the plateau nearest 0.03125
(1 = untouched) and when each frequency is learned (residual power below 1% of its initial
value). Gradient descent from the same directions (alpha 0.02, lr 0.1) gives the reference
completion times.

Run: OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/dynamics_cost.py [--repeats N]
Results: benchmarks/results/dynamics_cost.{json,md}
"""

from __future__ import annotations

import _measure  # noqa: I001  (before numpy: single_thread_blas must precede its import)

_measure.single_thread_blas()

import argparse  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from neuroalg.dynamics import TwoLayer, agf, modular_levels, simulate, template_addition_data  # noqa: E402
from neuroalg.dynamics.models import SumOfNeurons  # noqa: E402

RESULTS = Path(__file__).parent / "results"
P = 20
TEMPLATE = (np.cos(2 * np.pi * np.arange(P) / P) + 0.5 * np.cos(6 * np.pi * np.arange(P) / P)
            + 0.25 * np.cos(10 * np.pi * np.arange(P) / P))


class Generic(SumOfNeurons):
    """A two-layer network seen only through the SumOfNeurons interface."""

    def __init__(self, net):
        self.net = net

    n_neurons = property(lambda self: self.net.n_neurons)
    neuron_size = property(lambda self: self.net.neuron_size)
    n_outputs = property(lambda self: self.net.n_outputs)
    degree = property(lambda self: self.net.degree)
    loss_scale = property(lambda self: self.net.loss_scale)

    def neuron_outputs(self, Theta, X):
        return self.net.neuron_outputs(Theta, X)

    def neuron_vjp(self, Theta, X, R):
        return self.net.neuron_vjp(Theta, X, R)

    def forward(self, Theta, X):
        return self.net.forward(Theta, X)

    def loss_and_grad(self, Theta, X, Y):
        return self.net.loss_and_grad(Theta, X, Y)

    def balanced(self, Theta):
        return self.net.balanced(Theta)


def power(net, X, Y, Theta):
    """Residual power of frequencies 1, 3, 5 (mean over samples of |R_hat_k|^2 + |R_hat_-k|^2)."""
    R = Y - net.forward(np.asarray(Theta), X)
    F = np.abs(np.fft.fft(R, axis=1)) ** 2 / P**2
    return {k: float(np.mean(F[:, k] + F[:, P - k])) for k in (1, 3, 5)}


def learned(net, X, Y, states, times):
    p0, done = power(net, X, Y, np.zeros((net.n_neurons, net.neuron_size))), {}
    for t, T in zip(times, states):
        pw = power(net, X, Y, T)
        for k in (1, 3, 5):
            if k not in done and pw[k] < 0.01 * p0[k]:
                done[k] = round(float(t), 2)
    return done


def summary(net, X, Y, res) -> dict:
    lv = np.array(res.levels)
    closed = modular_levels(TEMPLATE).levels
    p0 = power(net, X, Y, np.zeros((net.n_neurons, net.neuron_size)))
    at = res.plateaus[int(np.argmin(np.abs(lv - closed[2])))]
    return {"levels": [float(v) for v in lv], "jump_times": [float(t) for t in res.jump_times],
            "order": list(res.order),
            "nearest": {f"{c:g}": float(np.min(np.abs(lv - c))) for c in closed[1:3]},
            "max_plateau_gradient": max(float(np.linalg.norm(net.loss_and_grad(np.array(T), X, Y)[1]))
                                        for T in res.plateaus),
            "frequency5_power_at_0.03125": power(net, X, Y, at)[5] / p0[5],
            "learned": learned(net, X, Y, res.plateaus, res.jump_times), "notes": list(res.notes)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    env = _measure.environment()
    X, Y = template_addition_data(TEMPLATE)
    net = TwoLayer(2 * P, 24, P, "x^2", 2 / P)
    Th = net.init(1.0, np.random.default_rng(0))
    out: dict = {}

    def run(name, model):
        def go():
            out[name] = summary(net, X, Y, agf(model, X, Y, Theta0=Th, max_jumps=20, tau_max=300))
        return go

    rec = _measure.interleave({"projection": run("projection", net),
                               "parameters": run("parameters", Generic(net))}, args.repeats)
    snaps: list = []
    gd_time = _measure.timed(lambda: simulate(
        net, X, Y, alpha=0.02, tau_max=1.5 * max(out["projection"]["learned"].values()), lr=0.1,
        Theta0=0.02 * Th, n_records=600, callback=lambda t, T: snaps.append((t, T.copy()))))
    gd = {"alpha": 0.02, "lr": 0.1, "cpu_wall": gd_time,
          "learned": learned(net, X, Y, [T for _, T in snaps], [t for t, _ in snaps])}
    result = {"environment": env, "timing": rec, "ratio_parameters_over_projection":
              _measure.ratio(rec, "parameters", "projection"), "runs": out, "gd": gd,
              "closed_form": list(modular_levels(TEMPLATE).levels)}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dynamics_cost.json").write_text(json.dumps(result, indent=1))
    lines = ["# AGF cost minimization on modular addition (kappa = 3): variable projection vs "
             "L-BFGS on the raw parameters", "",
             "Produced by `benchmarks/dynamics_cost.py` (set-up in its docstring); "
             f"{env['date']}, load average {env['load_average_start']} -> "
             f"{rec['load_average']['end']}, BLAS {env['blas']}.", "",
             "| cost step | CPU s (min) | wall s (min) | |level - 0.15625| | |level - 0.03125| | "
             "max plateau gradient | freq 5 power at 0.03125 | learned (tau) |", "|---|---|---|---|---|---|---|---|"]
    for name in ("projection", "parameters"):
        r = out[name]
        lines.append(f"| {name} | {rec[name]['cpu_min']:.1f} | {rec[name]['wall_min']:.1f} | "
                     f"{r['nearest']['0.15625']:.2g} | {r['nearest']['0.03125']:.2g} | "
                     f"{r['max_plateau_gradient']:.2g} | {r['frequency5_power_at_0.03125']:.3f} | "
                     f"{r['learned']} |")
    lines += ["", f"Gradient descent (alpha 0.02, lr 0.1, {gd_time[0]:.1f} s CPU): learned {gd['learned']}.",
              "", "Levels (projection): " + ", ".join(f"{v:.6g}" for v in out["projection"]["levels"]),
              "", "Levels (parameters): " + ", ".join(f"{v:.6g}" for v in out["parameters"]["levels"]),
              "", f"CPU ratio parameters / projection (min): "
              f"{result['ratio_parameters_over_projection']['cpu_min']}"]
    (RESULTS / "dynamics_cost.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
