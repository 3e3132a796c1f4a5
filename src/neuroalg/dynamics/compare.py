"""AGF prediction and simulated gradient descent on the same problem, with the unit conversion.

AGF jump times tau_k are in rescaled time (kappa = 2: t / log(1/alpha); kappa > 2:
t alpha^(kappa-2)); gradient descent with step ``lr`` reaches tau after
``tau * time_scale(alpha, kappa) / lr`` steps (:func:`neuroalg.dynamics.simulate.steps_for`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..progress import check_progress
from ..random import check_seed
from ..results import Certainty, Result
from .agf import AGFResult, agf
from .simulate import TrainingRun, simulate, time_scale


@dataclass(frozen=True)
class Comparison(Result):
    """An AGF prediction next to a gradient-descent run at finite alpha."""

    agf: AGFResult
    gd: TrainingRun | None
    alpha: float
    lr: float
    steps_per_unit: float
    agf_seconds: float
    gd_seconds: float | None
    reference: dict | None = None

    headline_key: ClassVar[str] = "n_jumps"

    @property
    def status(self) -> Certainty:
        return self.agf.status

    @property
    def spec(self) -> str:
        return self.agf.model

    @property
    def method(self) -> str:
        return self.agf.method + ("; gradient descent at alpha = %g" % self.alpha if self.gd else "")

    @property
    def seed(self) -> int | None:
        return self.agf.seed

    @property
    def seconds(self) -> float:
        return self.agf_seconds + (self.gd_seconds or 0.0)

    @property
    def predicted_steps(self) -> tuple[float, ...]:
        return tuple(t * self.steps_per_unit for t in self.agf.jump_times)

    @property
    def jump_time_errors(self) -> tuple[float, ...]:
        """|tau_GD - tau_AGF| for each AGF jump, matched to the nearest detected GD jump."""
        if self.gd is None or not self.gd.jump_times:
            return ()
        g = np.array(self.gd.jump_times)
        return tuple(float(np.min(np.abs(g - t))) for t in self.agf.jump_times)

    @property
    def speedup(self) -> float | None:
        return None if not self.gd_seconds else self.gd_seconds / max(self.agf_seconds, 1e-9)

    def payload(self) -> dict:
        d = {"n_jumps": self.agf.n_jumps, "order": list(self.agf.order), "jump_times": list(self.agf.jump_times),
             "levels": list(self.agf.levels), "initial_level": self.agf.initial_level,
             "collapsed": [list(c) for c in self.agf.collapsed], "kappa": self.agf.kappa,
             "time_unit": self.agf.time_unit, "alpha": self.alpha, "lr": self.lr,
             "steps_per_unit": self.steps_per_unit, "predicted_steps": list(self.predicted_steps),
             "conversion": f"steps = tau * {'log(1/alpha)' if self.agf.kappa == 2 else 'alpha^(2-kappa)'} / lr",
             "agf_seconds": self.agf_seconds, "notes": list(self.agf.notes)}
        if self.agf.model == "DiagonalLinear":  # learned function at each plateau: beta = u * v
            d["betas"] = [[u * v for u, v in p] for p in self.agf.plateaus]
        if self.gd is not None:
            d["gd"] = {"jump_times": list(self.gd.jump_times), "levels": list(self.gd.levels),
                       "n_steps": self.gd.n_steps, "final_loss": self.gd.losses[-1],
                       "seconds": self.gd_seconds}
            d["jump_time_errors"] = list(self.jump_time_errors)
            d["speedup"] = self.speedup
        if self.reference is not None:
            d["reference"] = self.reference
        return d

    def headline(self) -> str:
        return self.agf.headline()

    def lines(self) -> list[tuple[str, str]]:
        a = self.agf
        rows = [("time unit", f"{a.time_unit}; alpha {self.alpha:g}, lr {self.lr:g}: "
                              f"1 unit = {self.steps_per_unit:.6g} steps")]
        rows += [("note", n) for n in a.notes]
        for k, (n, t, lv) in enumerate(zip(a.order, a.jump_times, a.levels)):
            extra = ""
            if self.gd is not None and self.jump_time_errors:
                extra = f"   GD nearest jump error {self.jump_time_errors[k]:.3g}"
            rows.append((f"jump {k + 1}", f"neuron {n} at tau {t:.8g} (step {t * self.steps_per_unit:.0f})"
                                          f" -> loss {lv:.8g}{extra}"))
        if self.gd is not None:
            rows.append(("GD", f"{len(self.gd.jump_times)} jumps detected in {self.gd.n_steps} steps, "
                               f"{self.gd_seconds:.3f} s; AGF {self.agf_seconds:.3f} s "
                               f"(x{self.speedup:.0f} faster)"))
        if self.reference:
            ref = {k: v for k, v in self.reference.items() if k != "name"}
            rows.append((f"reference ({self.reference.get('name')})", str(ref)))
        rows += [("status", self.status.value), ("seed", str(self.seed))]
        return rows


def compare(model, X, Y, *, alpha: float, lr: float | None = None, seed=None,
            simulate_gd: bool = True, tau_max: float | None = None, Theta0=None,
            gd_Theta0=None, reference: dict | None = None, agf_options: dict | None = None,
            show_progress=False) -> Comparison:
    """Run AGF (alpha -> 0) and, unless ``simulate_gd`` is False, gradient descent at ``alpha``."""
    progress = check_progress(show_progress)
    start = time.perf_counter()
    res = agf(model, X, Y, seed=seed, Theta0=Theta0, show_progress=progress, **(agf_options or {}))
    agf_seconds = time.perf_counter() - start
    kappa = res.kappa
    Xa, Ya = model.check_data(X, Y)
    if lr is None:
        lam = np.linalg.eigvalsh(Xa.T @ Xa / len(Xa))[-1] * model.loss_scale
        lr = 0.01 / max(lam, 1e-12)
    gd = None
    if simulate_gd:
        if tau_max is None:
            tau_max = 1.3 * res.jump_times[-1] if res.jump_times else 1.0
        if gd_Theta0 is None and Theta0 is not None:
            gd_Theta0 = alpha * np.asarray(Theta0)
        gd = simulate(model, Xa, Ya, alpha=alpha, tau_max=tau_max, lr=lr, seed=seed,
                      Theta0=gd_Theta0, show_progress=progress)
    return Comparison(res, gd, float(alpha), float(lr), time_scale(alpha, kappa) / lr,
                      agf_seconds, None if gd is None else gd.seconds, reference)


@dataclass(frozen=True)
class ModularComparison(Result):
    """Closed-form Fourier order and levels of modular addition next to a GD run at finite alpha.

    Loss: mean over samples and outputs of (y - f)^2 (see :func:`modular_levels`); GD times in
    units of gradient-flow time * alpha (kappa = 3)."""

    frequencies: tuple[int, ...]
    levels: tuple[float, ...]
    gd: TrainingRun
    learned: tuple[tuple[int, ...], ...]  # frequencies whose residual power fell below 1% at each GD plateau
    plateau_losses: tuple[float, ...]
    agf: AGFResult | None = None  # the kappa = 3 engine on the same network (experimental)

    headline_key: ClassVar[str] = "frequencies"
    method_name: ClassVar[str] = ("closed form of the AGF staircase on modular addition (Kunin et al. "
                                  "arXiv:2506.06489, Section 6); gradient descent measured")

    @property
    def status(self) -> Certainty:
        return Certainty.NUMERICAL  # the GD side is floating point

    @property
    def seed(self) -> int | None:
        return self.gd.seed

    @property
    def seconds(self) -> float:
        return self.gd.seconds

    def payload(self) -> dict:
        return {"frequencies": list(self.frequencies), "levels": list(self.levels),
                "gd": self.gd.to_dict(), "gd_plateau_losses": list(self.plateau_losses),
                "gd_learned_frequencies": [list(x) for x in self.learned],
                "agf": None if self.agf is None else {"jump_times": list(self.agf.jump_times),
                                                      "levels": list(self.agf.levels),
                                                      "order": list(self.agf.order)}}

    def headline(self) -> str:
        return (f"modular addition: frequencies learned in order {list(self.frequencies)} "
                "(closed form; GD measured below)")

    def lines(self) -> list[tuple[str, str]]:
        rows = [("predicted levels", str([round(v, 8) for v in self.levels])),
                ("GD", f"{self.gd.n_steps} steps, alpha {self.gd.alpha:g}, lr {self.gd.lr:g}")]
        for lv, fr in zip(self.plateau_losses, self.learned):
            rows.append(("GD plateau", f"loss {lv:.6g}, learned frequencies {list(fr)}"))
        if self.agf is not None:
            rows.append(("AGF engine", "kappa = 3, one neuron per jump: " + ", ".join(
                f"{t:.4g} -> {lv:.5g}" for t, lv in zip(self.agf.jump_times, self.agf.levels))))
        rows += [("status", self.status.value), ("seed", str(self.seed))]
        return rows


def modular_comparison(template, *, width: int = 24, alpha: float = 0.05, lr: float = 0.2,
                       tau_max: float = 150.0, seed=None, with_agf: bool = False,
                       show_progress=False) -> ModularComparison:
    """Closed form :func:`modular_levels` and gradient descent on the quadratic network
    sum_i w_i (u_i . x1 + v_i . x2)^2 (:class:`TwoLayer` with x^2 on 2p inputs, p outputs,
    ``loss_scale = 2/p``); plateaus are read where the GD loss rate is smallest between jumps.
    ``with_agf`` also runs the kappa = 3 AGF engine from the same initialization directions."""
    progress = check_progress(show_progress)
    from .closed_forms import modular_levels, template_addition_data
    from .models import TwoLayer

    pred = modular_levels(template)
    X, Y = template_addition_data(template)
    p = Y.shape[1]
    model = TwoLayer(2 * p, width, p, "x^2", 2.0 / p)
    ks = sorted(set(pred.frequencies))
    power0 = _freq_power(Y, ks)
    powers = []
    _, rng = check_seed(seed)
    Th = model.init(1.0, rng)
    res = agf(model, X, Y, Theta0=Th, tau_max=tau_max, show_progress=progress) if with_agf else None
    run = simulate(model, X, Y, alpha=alpha, tau_max=tau_max, lr=lr, Theta0=alpha * Th,
                   seed=seed, n_records=1000, show_progress=progress,
                   callback=lambda tau, T: powers.append(_freq_power(Y - model.forward(T, X), ks)))
    L = np.array(run.losses)
    plateaus, learned = [], []
    for lv in run.jumps.levels:
        idx = int(np.argmin(np.abs(L - lv)))
        plateaus.append(float(lv))
        learned.append(tuple(k for k in ks if powers[idx][k] < 0.01 * power0[k]))
    return ModularComparison(pred.frequencies, pred.levels, run, tuple(learned), tuple(plateaus), res)


def _freq_power(R, ks):
    p = R.shape[1]
    P = np.abs(np.fft.fft(R, axis=1)) ** 2
    return {k: float(np.mean(P[:, k] + (P[:, p - k] if 0 < k and p - k != k else 0.0)))
            for k in ks}
