"""The simple models of Amari, Park and Ozeki: one-input networks with one or two hidden units.

f_theta(x) = sum_{h=1}^H v_h phi(w_h x),  x in R,  phi = tanh or erf,  H in {1, 2},

with theta = (w_1, ..., w_H, v_1, ..., v_H) (the parameter layout of ``mlp 1,H,1 tanh``), a
bounded parameter box |w_h| <= w_max, |v_h| <= v_max (the compact parameter space that maximum
likelihood and the uniform prior need), and Gaussian inputs x ~ N(0, 1).

True functions (``TRUTHS``):

* H = 1, ``regular``: w = 1, v = 1 (Fisher rank 2 = d);
* H = 1, ``zero``: f* = 0, the singular set {v = 0} u {w = 0} (the "cone" singularity);
* H = 2, ``regular``: w = (1/2, 2), v = (1, 1) (Fisher rank 4 = d);
* H = 2, ``overlap``: w = (1, 1), v = (1/2, 1/2), f* = phi(x): the overlap singularity
  w_1 = w_2 where only v_1 + v_2 is identified (Fisher rank 2);
* H = 2, ``zero``: f* = 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import SpecError
from .activations import SmoothActivation

TRUTHS: dict[int, dict[str, tuple[float, ...]]] = {
    1: {"regular": (1.0, 1.0), "zero": (0.0, 0.0)},
    2: {"regular": (0.5, 2.0, 1.0, 1.0), "overlap": (1.0, 1.0, 0.5, 0.5), "zero": (0.0, 0.0, 0.0, 0.0)},
}


@dataclass(frozen=True)
class SimpleModel:
    """f(x) = sum_h v_h phi(w_h x) on the box |w| <= w_max, |v| <= v_max (module docstring)."""

    H: int
    activation: SmoothActivation
    w_max: float = 3.0
    v_max: float = 3.0

    def __post_init__(self):
        if self.H not in (1, 2):
            raise SpecError(f"the simple models have 1 or 2 hidden units; got {self.H}")
        if self.activation.name not in ("tanh", "erf"):
            raise SpecError(f"the simple models use tanh or erf; got {self.activation}")
        if not (self.w_max > 0 and self.v_max > 0):
            raise SpecError("the parameter box needs w_max > 0 and v_max > 0")

    @property
    def spec(self) -> str:
        return f"mlp 1,{self.H},1 {self.activation}"

    @property
    def d(self) -> int:
        return 2 * self.H

    @property
    def lower(self) -> np.ndarray:
        return np.array([-self.w_max] * self.H + [-self.v_max] * self.H)

    @property
    def upper(self) -> np.ndarray:
        return -self.lower

    def features(self, w, x) -> np.ndarray:
        """phi(w_h x): w (..., H), x (..., n) -> (..., n, H)."""
        return self.activation(np.asarray(x)[..., :, None] * np.asarray(w)[..., None, :])

    def f(self, theta, x) -> np.ndarray:
        """f_theta(x): theta (..., 2H), x (..., n) broadcastable -> (..., n)."""
        theta = np.asarray(theta, dtype=float)
        w, v = theta[..., : self.H], theta[..., self.H:]
        return np.einsum("...nh,...h->...n", self.features(w, x), v)

    def jacobian(self, theta, x) -> np.ndarray:
        """df/dtheta at inputs x (n,): (n, 2H)."""
        theta = np.asarray(theta, dtype=float)
        w, v = theta[: self.H], theta[self.H:]
        z = np.asarray(x)[:, None] * w[None, :]
        dw = v[None, :] * np.asarray(x)[:, None] * self.activation.derivative(z)
        return np.concatenate([dw, self.activation(z)], axis=1)

    def in_box(self, theta) -> np.ndarray:
        t = np.asarray(theta)
        return np.all((t >= self.lower - 1e-12) & (t <= self.upper + 1e-12), axis=-1)


@dataclass(frozen=True)
class Truth:
    """A true parameter of a simple model and what kind of point it is."""

    name: str
    theta: tuple[float, ...]
    fisher_rank: int
    d: int

    @property
    def is_regular(self) -> bool:
        return self.fisher_rank == self.d


def simple_model(spec: str, *, w_max: float = 3.0, v_max: float = 3.0) -> SimpleModel:
    """``mlp 1,1,1 tanh`` / ``mlp 1,2,1 erf`` -> the simple model (no bias)."""
    from .network import Network, parse_network

    net = parse_network(spec)
    if not (isinstance(net, Network) and len(net.widths) == 3 and net.widths[0] == 1
            and net.widths[2] == 1 and net.widths[1] in (1, 2) and not net.bias
            and net.activations[0].name in ("tanh", "erf")):
        raise SpecError(f"the generalization harness takes the simple models mlp 1,1,1 ACT and "
                        f"mlp 1,2,1 ACT with ACT tanh or erf (no bias); got '{spec}'")
    return SimpleModel(net.widths[1], net.activations[0], w_max, v_max)


def make_truth(model: SimpleModel, truth: str | Sequence[float]) -> Truth:
    """A named truth (``TRUTHS``) or an explicit parameter vector inside the box."""
    from .inputs import gauss_hermite

    if isinstance(truth, str) and truth in TRUTHS[model.H]:
        name, theta = truth, TRUTHS[model.H][truth]
    elif isinstance(truth, str) and not any(ch.isdigit() for ch in truth):
        raise SpecError(f"truth '{truth}' for {model.spec}: allowed are "
                        f"{', '.join(TRUTHS[model.H])} or {model.d} numbers")
    else:
        from .network import parse_network
        from .points import parse_point

        theta = tuple(float(t) for t in parse_point(truth, parse_network(model.spec), "--truth"))
        name = "theta* = (" + ", ".join(f"{t:g}" for t in theta) + ")"
    if not model.in_box(np.array(theta)):
        raise SpecError(f"truth {theta} lies outside the parameter box |w| <= {model.w_max}, "
                        f"|v| <= {model.v_max}")
    x, wts = gauss_hermite(200)
    J = model.jacobian(np.array(theta), x)
    eig = np.linalg.eigvalsh((J * wts[:, None]).T @ J)
    rank = int(np.sum(eig > 1e-10 * max(eig[-1], 1e-300)))
    return Truth(name, tuple(theta), rank, model.d)
