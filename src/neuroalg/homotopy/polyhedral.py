"""Polyhedral homotopy: all solutions of a random-coefficient system with given supports.

For supports A_1, ..., A_n and random complex coefficients c (unit modulus), the system
G_i(x) = sum_{a in A_i} c_a x^a has exactly MV(conv A_1, ..., conv A_n) solutions in (C*)^n, all
nonsingular (Bernstein, *The number of roots of a system of equations*, 1975). With a generic
lifting w, G_i(x, t) = sum c_a t^(w(a)) x^a and, for each mixed cell (alpha, {p_i, q_i}), the
substitution x = y t^alpha gives
    h_i(y, t) = t^(-beta_i) G_i(y t^alpha, t) = sum c_a t^(e_a) y^a,  e_a = <a, alpha> + w(a) - beta_i,
with e = 0 exactly at p_i, q_i: at t = 0 the binomial system c_p y^p + c_q y^q = 0, whose
|det(p_i - q_i)| solutions are explicit, and the cells' paths together reach every solution of
G = h(., 1) (Huber–Sturmfels, *A polyhedral method for solving sparse polynomial systems*, Math.
Comp. 64, 1995, Thm 6.1). The paths are tracked in s = log t from s_0 (where the neglected terms
are below ``1e-6``) to s = 0, all cells in one batch.

Binomial systems: with V the matrix of rows v_i = p_i - q_i, y^V = r means V w = log r + 2 pi i k
for y = exp(w), and the solutions are w = V^-1 (log r + 2 pi i k) for k over Z^n / V Z^n, whose
representatives are the box 0 <= k_j < H_jj of the Hermite normal form H of V^T.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import flint
import numpy as np

from .mixed_volume import MixedSubdivision, mixed_cells
from .polynomial import PolySystem
from .terms import TermPlan
from .tracker import TrackStatus, newton, track

START_ACCURACY = 1e-6


def supports(system: PolySystem, *, origin: bool) -> list[np.ndarray]:
    """The support of each equation (exponents of its nonzero terms), with the origin added
    when ``origin`` (the root count in C^n rather than in the torus (C*)^n)."""
    out = []
    for i in range(system.n_eqs):
        pts = system.exponents[(system.equation == i) & (system.coefficients[:, 0] != 0)]
        if origin:
            pts = np.vstack([pts, np.zeros((1, system.n_vars), dtype=np.int64)])
        out.append(np.unique(pts, axis=0))
    return out


def has_no_zero_coordinates(system: PolySystem) -> bool:
    """A sufficient condition for every solution to lie in the torus: for each variable x_j
    some equation has a nonzero constant term and x_j in all its other terms (then x_j = 0
    turns that equation into a nonzero constant)."""
    e, q, c = system.exponents, system.equation, system.coefficients[:, 0]
    constant = np.zeros(system.n_eqs, dtype=bool)
    constant[q[(e.sum(axis=1) == 0) & (c != 0)]] = True
    for j in range(system.n_vars):
        lacking = np.zeros(system.n_eqs, dtype=bool)
        lacking[q[(e.sum(axis=1) > 0) & (e[:, j] == 0) & (c != 0)]] = True
        if not (constant & ~lacking).any():
            return False
    return True


def binomial_solutions(v: np.ndarray, r: np.ndarray) -> np.ndarray:
    """All |det v| solutions y in (C*)^n of y^(v_i) = r_i (v integer (n, n), nonsingular)."""
    n = len(v)
    vq = flint.fmpq_mat([[int(a) for a in row] for row in v])
    inv = np.array([[float(vq.inv()[i, j]) for j in range(n)] for i in range(n)])
    h = flint.fmpz_mat([[int(a) for a in row] for row in v.T]).hnf()
    box = [range(int(h[j, j])) for j in range(n)]
    ks = np.array(list(itertools.product(*box)), dtype=float).reshape(-1, n)
    w = (np.log(r.astype(np.complex128))[None, :] + 2j * np.pi * ks) @ inv.T
    return np.exp(w)


class CellHomotopy:
    """h(y, s) = sum_k c_k exp(s e_k) y^(a_k) with per-path exponents e (T, B)."""

    def __init__(self, plan: TermPlan, coefficients, exponents):
        self.plan, self.coefficients, self.exponents = plan, coefficients[:, None], exponents
        self.n_vars = plan.n_vars

    def select(self, idx) -> "CellHomotopy":
        return CellHomotopy(self.plan, self.coefficients[:, 0], self.exponents[:, idx])

    def evaluate(self, y, s):
        s = np.broadcast_to(np.asarray(s, dtype=np.complex128), (len(y),))
        c = self.coefficients * np.exp(self.exponents * s)
        return self.plan.per_path(y, c, c * self.exponents)


@dataclass(frozen=True)
class PolyhedralStart:
    """A random-coefficient system ``system`` with the supports of the target, its solutions
    (``solutions``, one per path that reached s = 0 and refined), and the subdivision used."""

    system: PolySystem
    solutions: np.ndarray
    subdivision: MixedSubdivision
    n_failed: int
    torus: bool

    @property
    def mixed_volume(self) -> int:
        return self.subdivision.mixed_volume


def polyhedral_start(target: PolySystem, rng: np.random.Generator, *,
                     subdivision: MixedSubdivision | None = None) -> PolyhedralStart:
    """Solve a random-coefficient system with the supports of ``target`` (the origin added
    unless :func:`has_no_zero_coordinates`) by the polyhedral homotopy."""
    torus = has_no_zero_coordinates(target)
    sup = supports(target, origin=not torus)
    if subdivision is None:
        subdivision = mixed_cells(sup, seed=rng)
    n = target.n_vars
    exps = np.vstack(sup)
    eq = np.concatenate([np.full(len(a), i) for i, a in enumerate(sup)])
    offsets = np.concatenate([[0], np.cumsum([len(a) for a in sup])])
    coef = np.exp(2j * np.pi * rng.random(len(exps)))
    system = PolySystem(exps, eq, coef[:, None], target.n_eqs, target.names)
    lift = np.concatenate(subdivision.lifting).astype(float)
    starts, path_exps, s0 = [], [], []
    for cell in subdivision.cells:
        alpha = np.array([float(a) for a in cell.normal])
        e = exps @ alpha + lift
        v = np.zeros((n, n), dtype=np.int64)
        r = np.zeros(n, dtype=np.complex128)
        for i, (p, q) in enumerate(cell.edges):
            kp, kq = offsets[i] + p, offsets[i] + q
            block = slice(offsets[i], offsets[i + 1])
            e[block] -= e[kp]
            e[kq] = e[kp] = 0.0  # exactly: the cell's points are tied
            v[i] = exps[kp] - exps[kq]
            r[i] = -coef[kq] / coef[kp]
        e = np.maximum(e, 0.0)
        y = binomial_solutions(v, r)
        starts.append(y)
        path_exps.append(np.repeat(e[None], len(y), axis=0))
        s0.append(np.full(len(y), np.log(START_ACCURACY) / e[e > 0].min()))
    if not starts:
        return PolyhedralStart(system, np.zeros((0, n), dtype=np.complex128), subdivision, 0,
                               torus)
    y0, e_all, s_start = np.vstack(starts), np.vstack(path_exps), np.concatenate(s0)
    hom = CellHomotopy(TermPlan(exps, eq, target.n_eqs), coef, np.ascontiguousarray(e_all.T))
    y0, _ = newton(lambda z: hom.evaluate(z, s_start)[:2], y0, 3)
    res = track(hom, y0, s_start, 0.0)
    ok = res.status == TrackStatus.SUCCESS
    x, norms = newton(lambda z: system.evaluate(z), res.x[ok], 2)
    good = norms[-1] <= 1e-10 if len(x) else np.zeros(0, dtype=bool)
    return PolyhedralStart(system, x[good], subdivision, int(len(y0) - good.sum()), torus)
