"""Zero-shot model stitching through relative representations, on data that ships with sklearn.

Experiment [MNF23, GMKS24]. Two classifiers with the same architecture are trained from different
seeds on the same data: encoder x -> relu(W2 relu(W1 x + b1) + b2) (the latent z), then the
relative representation of z with respect to the latents of k fixed anchor samples, then a linear
head to class logits. Stitching feeds the relative representation computed by network B's
encoder into network A's head, with no further training (zero-shot); the stitched accuracy
measures how interchangeable the two relative spaces are. Three variants are compared:

* ``vanilla``: cosine relative representations [MNF23];
* ``normalized``: coordinates standardized with the anchors' statistics first [GMKS24];
* ``densified``: normalized, plus the topological densification loss on the relative
  representations of each class in every minibatch [HGNK20, GMKS24].

A control row checks the symmetry claim directly: network B' is network A after a random
parameter symmetry of its latent layer (units permuted, each rescaled by a positive factor, as
``symmetry.random_symmetry``): it computes the same logits as A only if the relative layer is
invariant, which the normalized one is exactly and the vanilla one is not.

Everything is numpy (manual backward passes, Adam), deterministic given the seed; the data are
scikit-learn's 8x8 digits (1797 images, shipped with the package: no download). Accuracies are
trained quantities: reported per seed and as mean and standard deviation over seeds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..errors import SpecError
from ..options import check_choice, check_float, check_int
from ..random import check_seed, spawn
from ..results import Certainty, Result
from .persistence import densification_loss
from .relative import relative_backward, relative_forward

VARIANTS = ("vanilla", "normalized", "densified")


def load_digits_data():
    """scikit-learn's digits as (X in [0, 1], shape (1797, 64); y in 0..9). Needs the optional
    extra ``represent`` (scikit-learn); the data ship inside that package."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise SpecError("the stitching experiment uses scikit-learn's bundled digits data: "
                        "pip install 'neuroalg[represent]'") from None
    d = load_digits()
    return d.data / 16.0, d.target.astype(np.int64)


# ---- the network ----------------------------------------------------------------------------

def init_params(rng, d_in, hidden, latent, k, n_classes):
    def dense(m, n):
        return rng.standard_normal((m, n)) * np.sqrt(2.0 / n)

    return {"W1": dense(hidden, d_in), "b1": np.zeros(hidden), "W2": dense(latent, hidden),
            "b2": np.zeros(latent), "W3": rng.standard_normal((n_classes, k)) * np.sqrt(1.0 / k),
            "b3": np.zeros(n_classes)}


def encode(p, X):
    z1 = X @ p["W1"].T + p["b1"]
    h1 = np.maximum(z1, 0)
    z2 = h1 @ p["W2"].T + p["b2"]
    return np.maximum(z2, 0), (X, z1, h1, z2)


def encode_backward(p, cache, dz):
    X, z1, h1, z2 = cache
    d2 = dz * (z2 > 0)
    g = {"W2": d2.T @ h1, "b2": d2.sum(axis=0)}
    d1 = (d2 @ p["W2"]) * (z1 > 0)
    g["W1"], g["b1"] = d1.T @ X, d1.sum(axis=0)
    return g


def logits(p_enc, p_head, X, Xa, normalize):
    """Logits of head(p_head) on the relative representation from encoder(p_enc)."""
    z, _ = encode(p_enc, X)
    za, _ = encode(p_enc, Xa)
    rel, _ = relative_forward(z, za, normalize)
    return rel @ p_head["W3"].T + p_head["b3"]


def accuracy(p_enc, p_head, X, y, Xa, normalize) -> float:
    return float((logits(p_enc, p_head, X, Xa, normalize).argmax(axis=1) == y).mean())


def loss_and_grads(p, Xb, yb, Xa, normalize, dens_weight=0.0, beta=0.0):
    z, cz = encode(p, Xb)
    za, ca = encode(p, Xa)
    rel, cr = relative_forward(z, za, normalize)
    out = rel @ p["W3"].T + p["b3"]
    out = out - out.max(axis=1, keepdims=True)
    prob = np.exp(out)
    prob /= prob.sum(axis=1, keepdims=True)
    n = len(yb)
    loss = -float(np.log(prob[np.arange(n), yb] + 1e-300).mean())
    dout = prob.copy()
    dout[np.arange(n), yb] -= 1.0
    dout /= n
    g = {"W3": dout.T @ rel, "b3": dout.sum(axis=0)}
    drel = dout @ p["W3"]
    if dens_weight:
        dl, dg = densification_loss(rel, yb, beta=beta)
        loss += dens_weight * dl / n
        drel = drel + dens_weight * dg / n
    dz, dza = relative_backward(drel, cr)
    g1, g2 = encode_backward(p, cz, dz), encode_backward(p, ca, dza)
    for key in g1:
        g[key] = g1[key] + g2[key]
    return loss, g


def train(X, y, Xa, *, normalize: bool, rng, epochs: int = 60, batch: int = 64, lr: float = 3e-3,
          hidden: int = 64, latent: int = 32, dens_weight: float = 0.0, beta: float = 0.3):
    """Adam on cross-entropy (+ densification); returns the parameters."""
    p = init_params(rng, X.shape[1], hidden, latent, len(Xa), int(y.max()) + 1)
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(v) for k, v in p.items()}
    b1, b2, step = 0.9, 0.999, 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch):
            idx = order[s:s + batch]
            _, g = loss_and_grads(p, X[idx], y[idx], Xa, normalize, dens_weight, beta)
            step += 1
            for k in p:
                m[k] = b1 * m[k] + (1 - b1) * g[k]
                v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
                p[k] -= lr * (m[k] / (1 - b1**step)) / (np.sqrt(v[k] / (1 - b2**step)) + 1e-8)
    return p


def latent_symmetry(p, rng, log_scale: float = 1.0):
    """p with its latent units permuted and rescaled by positive factors (W2 rows and b2 times t,
    then permuted): the latent becomes z -> (t * z)[perm]. (The head reads only the relative
    representation, so nothing downstream needs compensating.)"""
    t = np.exp(log_scale * rng.standard_normal(len(p["b2"])))
    perm = rng.permutation(len(p["b2"]))
    q = dict(p)
    q["W2"] = (p["W2"] * t[:, None])[perm]
    q["b2"] = (p["b2"] * t)[perm]
    return q


# ---- the experiment ---------------------------------------------------------------------------

@dataclass(frozen=True)
class VariantRow:
    """Accuracies of one variant, one value per seed (test set)."""

    variant: str
    acc_a: tuple[float, ...]
    acc_b: tuple[float, ...]
    stitched: tuple[float, ...]  # B's encoder -> A's head
    stitched_reverse: tuple[float, ...]  # A's encoder -> B's head
    symmetry_control: tuple[float, ...]  # A's symmetry-transformed encoder -> A's head


def _ms(v) -> str:
    a = np.array(v)
    return f"{100 * a.mean():.1f} +- {100 * a.std():.1f}"


@dataclass(frozen=True)
class StitchingResult(Result):
    """Zero-shot stitching accuracies (in %, mean +- standard deviation over seeds)."""

    rows: tuple[VariantRow, ...]
    n_seeds: int
    n_anchors: int
    n_train: int
    n_test: int
    settings: str
    seed: int | None
    seconds: float

    headline_key: ClassVar[str] = "mean_stitched"
    method_name: ClassVar[str] = ("zero-shot stitching through relative representations (Moschella "
                                  "et al. arXiv:2209.15430; normalization and densification: "
                                  "Garcia-Castellanos et al. arXiv:2409.10967)")

    @property
    def status(self) -> Certainty:
        return Certainty.NUMERICAL  # trained networks; spreads over seeds are reported

    def row(self, variant: str) -> VariantRow:
        return next(r for r in self.rows if r.variant == variant)

    def headline(self) -> str:
        parts = [f"{r.variant} {100 * np.mean(r.stitched):.1f}%" for r in self.rows]
        return (f"zero-shot stitching on digits, B encoder -> A head, {self.n_seeds} seeds: "
                + ", ".join(parts) + " (numerical: trained networks)")

    def lines(self) -> list[tuple[str, str]]:
        out = [("columns", "acc A | acc B | stitched B->A | stitched A->B | A after a latent "
                           "symmetry -> A head")]
        for r in self.rows:
            out.append((r.variant, " | ".join(_ms(v) for v in (r.acc_a, r.acc_b, r.stitched,
                                                              r.stitched_reverse, r.symmetry_control))))
        out += [("data", f"sklearn digits, {self.n_train} train / {self.n_test} test, "
                         f"{self.n_anchors} anchors (same samples for both networks)"),
                ("training", self.settings), ("status", "numerical (trained; spreads over seeds)"),
                ("seed", str(self.seed)), ("time", f"{self.seconds:.1f} s")]
        return out

    def payload(self) -> dict:
        return {"mean_stitched": {r.variant: float(np.mean(r.stitched)) for r in self.rows},
                "n_seeds": self.n_seeds, "n_anchors": self.n_anchors, "n_train": self.n_train,
                "n_test": self.n_test, "settings": self.settings,
                "rows": [{"variant": r.variant, "acc_a": list(r.acc_a), "acc_b": list(r.acc_b),
                          "stitched": list(r.stitched), "stitched_reverse": list(r.stitched_reverse),
                          "symmetry_control": list(r.symmetry_control)} for r in self.rows]}


def stitching_experiment(*, n_seeds: int = 5, n_anchors: int = 64, epochs: int = 60,
                         variants=VARIANTS, dens_weight: float = 1.0, beta: float = 0.3,
                         n_train: int = 1200, seed=None, data=None) -> StitchingResult:
    """Train pairs of networks and stitch them (see the module docstring).

    Parameters
    ----------
    n_seeds : int, default=5
        Independent repetitions (new split, anchors, initializations, batch orders).
    n_anchors : int, default=64
    epochs : int, default=60
    variants : sequence of {"vanilla", "normalized", "densified"}
    dens_weight, beta : float
        Weight and target scale of the densification loss (variant ``densified``).
    n_train : int, default=1200
        Training images (the rest of the 1797 are the test set).
    seed : int, Generator or None
    data : (X, y), optional
        Other data instead of the digits (rows of X are inputs, y integer classes).
    """
    clock = time.perf_counter()
    n_seeds = check_int(n_seeds, "n_seeds", low=1, high=1000)
    n_anchors = check_int(n_anchors, "n_anchors", low=2, high=10000)
    epochs = check_int(epochs, "epochs", low=1, high=100000)
    dens_weight = check_float(dens_weight, "dens_weight", low=0.0)
    beta = check_float(beta, "beta", low=0.0)
    variants = tuple(check_choice(v, "variant", VARIANTS) for v in variants)
    if not variants:
        raise SpecError(f"variants must name at least one of {', '.join(VARIANTS)}")
    X, y = load_digits_data() if data is None else (np.asarray(data[0], float), np.asarray(data[1]))
    n_train = check_int(n_train, "n_train", low=n_anchors, high=len(X) - 1)
    seed, rng = check_seed(seed)
    per: dict[str, dict[str, list[float]]] = {v: {k: [] for k in ("a", "b", "s", "r", "c")}
                                              for v in variants}
    for run_rng in spawn(rng, n_seeds):
        split_rng, anchor_rng, sym_rng, *net_rngs = spawn(run_rng, 3 + 2 * len(variants))
        order = split_rng.permutation(len(X))
        tr, te = order[:n_train], order[n_train:]
        Xa = X[tr[anchor_rng.choice(n_train, n_anchors, replace=False)]]
        for i, v in enumerate(variants):
            norm = v != "vanilla"
            dw = dens_weight if v == "densified" else 0.0
            pa = train(X[tr], y[tr], Xa, normalize=norm, rng=net_rngs[2 * i], epochs=epochs,
                       dens_weight=dw, beta=beta)
            pb = train(X[tr], y[tr], Xa, normalize=norm, rng=net_rngs[2 * i + 1], epochs=epochs,
                       dens_weight=dw, beta=beta)
            Xt, yt = X[te], y[te]
            per[v]["a"].append(accuracy(pa, pa, Xt, yt, Xa, norm))
            per[v]["b"].append(accuracy(pb, pb, Xt, yt, Xa, norm))
            per[v]["s"].append(accuracy(pb, pa, Xt, yt, Xa, norm))
            per[v]["r"].append(accuracy(pa, pb, Xt, yt, Xa, norm))
            per[v]["c"].append(accuracy(latent_symmetry(pa, sym_rng), pa, Xt, yt, Xa, norm))
    rows = tuple(VariantRow(v, *(tuple(per[v][k]) for k in ("a", "b", "s", "r", "c")))
                 for v in variants)
    settings = (f"encoder {X.shape[1]}-64-32 ReLU, linear head on {n_anchors} relative coordinates, "
                f"Adam lr 3e-3, batch 64, {epochs} epochs; densification weight {dens_weight:g}, "
                f"beta {beta:g}")
    return StitchingResult(rows, n_seeds, n_anchors, n_train, len(X) - n_train, settings, seed,
                           time.perf_counter() - clock)
