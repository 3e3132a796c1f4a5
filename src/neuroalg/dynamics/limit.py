"""AGF in the limit alpha -> 0 for neurons of degree kappa = 2: dormant neurons as exponents
of matrices.

Conventions: :mod:`neuroalg.dynamics.models`; rescaled time tau = t / log(1/alpha).

Mathematics. The dormant neurons of a *group* (all dormant neurons when every neuron has the
same utility form, e.g. fully connected linear networks and attention heads, see
:func:`neuroalg.dynamics.utility.identical_neurons`; otherwise each neuron alone) form a
matrix D (one row per neuron) which, at initialization scale alpha, is

    D = sum_l alpha^(-rho_l) X_l,     rho_1 > rho_2 > ...   ("levels")

with X_l independent as vectors of matrices (it starts as the single level rho = -1, X =
theta_hat). A neuron of size alpha^0 = O(1) is active. During a plateau with utility form
M = sum_k lam_k v_k v_k^T the dormant dynamics is D(t) = D(0) expm(2 M t) exactly, and
exp(2 lam t) = alpha^(-2 lam tau): each level splits into its eigen-components
(rho_l + 2 lam_k dtau, X_l v_k v_k^T); components with equal exponents add, and a component
that is a multiple of higher levels is of lower order there (dropped: Gram-Schmidt in the
space of matrices, which keeps the form above and bounds the number of levels by the size of
D). Nothing assumes that the utilities of successive plateaus commute.

Activation: when the top exponent reaches 0, the top level X_0 = sigma q d^T + ... (top
singular pair) activates as one neuron along d. The network sees a group of identical neurons
only up to rotations among them, and the rotation that carries the exact top singular
direction of D into one neuron leaves the others, to leading order in every level, as

    X_l  ->  Q_perp^T X_l (I - d d^T),     Q_perp an orthonormal basis of q^perp,

(first-order perturbation of the top singular pair: the components along d and along the
neuron combination q leave with the activated neuron). Without the rotation (each neuron on
its own, dropping only the component that reached size 1), the other eigen-components of the
activated combination stay dormant and a non-whitened linear network jumps far too early
(tau 1.63 instead of 5.209 on the 4-3 example of the tests, confirmed by the high-precision
finite-alpha reference ``benchmarks/dynamics_linear_mp.py`` at alpha = 1e-3000); without the
projection (I - d d^T) too late (3.86). A group of one neuron simply leaves.

Non-identical neurons reaching exponent 0 at the same time along the same function are merged
into the activated one (their top level is dropped). A neuron that returns to dormancy gets
exponent 0 along the direction it was active in and the lower levels it had when it
activated.

References
----------
[KMC25] D. Kunin et al. (2025), Alternating Gradient Flows: A Theory of Feature Learning in
        Two-layer Neural Networks, arXiv:2506.06489.
"""

from __future__ import annotations

import numpy as np

from .cost import cost_step
from .utility import identical_neurons, neuron_function, quadratic_forms

#: Utility eigenvalues below this fraction of the initial largest utility entry do not grow.
GROWTH_FLOOR = 1e-7
#: A level whose part outside the higher levels (or that survives a rotation) is below this
#: fraction of its norm is of lower order (dropped).
DROP_RTOL = 1e-9


def canonical_levels(pairs, *, atol: float):
    """The canonical form [(rho, X), ...] of sum alpha^(-rho) X (module docstring).

    Exponents within ``atol`` are merged (matrices added); in order of decreasing exponent each
    matrix loses its part in the span of the higher levels (Frobenius inner product) and is
    dropped if nothing of relative size > ``DROP_RTOL`` remains.
    """
    pairs = sorted(((float(r), np.asarray(X, dtype=float)) for r, X in pairs if np.isfinite(r)),
                   key=lambda p: -p[0])
    merged = []
    for r, X in pairs:
        if merged and merged[-1][0] - r <= atol:
            merged[-1][1].append(X)
        else:
            merged.append((r, [X]))
    out, basis = [], []
    for r, Xs in merged:
        X = np.sum(Xs, axis=0)
        size = max(float(np.linalg.norm(Z)) for Z in Xs)
        v = X.ravel()
        if basis:
            Q = np.array(basis)
            v = v - Q.T @ (Q @ v)
        nv = float(np.linalg.norm(v))
        if nv == 0 or nv <= DROP_RTOL * size:
            continue
        out.append((r, v.reshape(X.shape)))
        basis.append(v / nv)
    return out


class _Group:
    """Dormant neurons ``slots`` whose matrix D is ``levels`` (rows in the order of slots)."""

    def __init__(self, slots, levels):
        self.slots = list(slots)
        self.levels = levels

    def pieces(self, lam, V, overlap_rtol):
        """Eigen-components (rho, lam_k, X v_k v_k^T, ||X v_k||) of every level, and the largest
        relative overlap ||X v_k|| / ||X|| dropped as at most ``overlap_rtol``."""
        out, dropped = [], 0.0
        for r, X in self.levels:
            XV = X @ V
            rel = np.linalg.norm(XV, axis=0) / np.linalg.norm(X)
            for k in range(len(lam)):
                if rel[k] > overlap_rtol:
                    out.append((r, float(lam[k]), np.outer(XV[:, k], V[:, k]),
                                float(np.linalg.norm(XV[:, k]))))
                else:
                    dropped = max(dropped, float(rel[k]))
        return out, dropped

    def activate(self, atol):
        """Split off the top singular combination of the level at exponent 0; returns (slot,
        unit direction d, the activated neuron's lower levels)."""
        r0, X0 = self.levels[0]
        assert abs(r0) <= 1e-9, "the activated level reached size 1"
        U, _, Wt = np.linalg.svd(X0)
        q, d = U[:, 0], Wt[0]
        j = int(np.argmax(np.abs(q)))
        if q[j] < 0:
            q, d = -q, -d
        own = [(r, (q @ X)[None, :]) for r, X in self.levels[1:]]
        slot = self.slots.pop(j)
        P = np.eye(len(d)) - np.outer(d, d)
        Q_perp = U[:, 1:]
        rest = []
        for r, X in self.levels:
            Z = Q_perp.T @ X @ P
            if np.linalg.norm(Z) > DROP_RTOL * np.linalg.norm(X):
                rest.append((r, Z))
        self.levels = canonical_levels(rest, atol=atol) if self.slots else []
        return slot, d, own

    def add(self, slot, levels, atol):
        """A neuron returns to dormancy with ``levels`` (1 x m matrices)."""
        k = len(self.slots)
        self.slots.append(slot)
        grown = [(r, np.vstack([X, np.zeros((1, X.shape[1]))])) for r, X in self.levels]
        new = [(r, np.vstack([np.zeros((k, X.shape[1])), X])) for r, X in levels]
        self.levels = canonical_levels(grown + new, atol=atol)


def _mixes(pieces, scale):
    """Whether some level splits over eigen-directions of different eigenvalues (the new
    utility does not commute with the earlier ones on these neurons)."""
    seen = {}
    for r, l, _, _ in pieces:
        seen.setdefault(r, []).append(l)
    return any(max(ls) - min(ls) > 1e-9 * scale for ls in seen.values())


def agf_quadratic_limit(model, X, Y, Theta_hat, *, max_jumps, eps, gtol, collapse_tol, atol,
                        tau_max, progress, L0, overlap_rtol, **_):
    """kappa = 2 AGF as alpha -> 0 (module docstring); returns the engine tuple
    (order, times, levels, collapsed, plateaus, notes) of :func:`neuroalg.dynamics.agf`."""
    n, m = model.n_neurons, model.neuron_size
    Theta_hat = np.asarray(Theta_hat, dtype=float)
    together = identical_neurons(model, X, np.random.default_rng(0))
    if together:
        groups = [_Group(range(n), canonical_levels([(-1.0, Theta_hat)], atol=atol))]
    else:
        groups = [_Group([i], canonical_levels([(-1.0, Theta_hat[i:i + 1])], atol=atol))
                  for i in range(n)]
    saved = [[] for _ in range(n)]  # lower levels at activation (for a return to dormancy)
    active = np.zeros(n, dtype=bool)
    grown = np.zeros((n, m))
    Theta = np.zeros((n, m))
    scale = float(np.max(np.abs(quadratic_forms(model, X, Y, np.arange(n))))) + 1e-300
    floor = max(atol, GROWTH_FLOOR) * scale
    tau = 0.0
    order, times, levels, collapsed_all, plateaus = [], [], [], [], []
    n_merged = n_mixed = 0
    worst_dropped = 0.0

    def utility_in_direction(j, R):
        return float(grown[j] @ quadratic_forms(model, X, R, [j])[0] @ grown[j])

    def is_aligned(j, theta):
        """The neuron's function still correlates positively with the one it grew as."""
        f = neuron_function(model, X, j, theta)
        g = neuron_function(model, X, j, grown[j])
        return float(np.sum(f * g)) > 1e-3 * np.linalg.norm(f) * np.linalg.norm(g)

    for _ in range(max_jumps):
        live = [g for g in groups if g.slots and g.levels]
        if not live:
            break
        R = Y - model.forward(Theta, X)
        M = quadratic_forms(model, X, R, [g.slots[0] for g in live])
        pieces, waits = [], []
        for a, g in enumerate(live):
            lam, V = np.linalg.eigh(M[a])
            p, dropped = g.pieces(lam, V, overlap_rtol)
            pieces.append(p)
            worst_dropped = max(worst_dropped, dropped)
            n_mixed += bool(times) and _mixes(p, scale)
            for r, l, _, size in p:
                if l > floor:
                    waits.append((max(-r, 0.0) / (2 * l), -np.log(size), min(g.slots), a))
        if not waits:
            break
        dmin = min(w[0] for w in waits)
        if tau + dmin > tau_max:
            break
        # ties (equal waits): the larger prefactor is larger at any finite alpha
        a_best = min((w for w in waits if w[0] <= dmin + 1e-12 * max(1.0, dmin)),
                     key=lambda w: (w[1], w[2]))[3]
        for g, p in zip(live, pieces):
            g.levels = canonical_levels([(min(r + 2 * l * dmin, 0.0), Z) for r, l, Z, _ in p],
                                        atol=atol)
        tau += dmin
        i, d, saved_i = live[a_best].activate(atol)
        saved[i] = saved_i
        active[i] = True
        grown[i] = d
        Theta[i] = eps * d
        if not together:
            f_act = neuron_function(model, X, i, d)
            for g in live:
                if g.slots and g.levels and g.levels[0][0] >= -atol:
                    f2 = neuron_function(model, X, g.slots[0], g.levels[0][1][0])
                    if abs(np.sum(f_act * f2)) >= ((1 - 1e-6) * np.linalg.norm(f_act)
                                                   * np.linalg.norm(f2)):
                        g.levels = g.levels[1:]
                        n_merged += 1
        Theta, collapsed = cost_step(model, X, Y, Theta, active, gtol=gtol,
                                     collapse_tol=collapse_tol,
                                     utility_in_direction=utility_in_direction,
                                     is_aligned=is_aligned)
        for j in collapsed:
            back = [(0.0, grown[j][None, :])] + saved[j]
            if together:
                groups[0].add(j, back, atol)
            else:
                groups[j] = _Group([j], canonical_levels(back, atol=atol))
        level = model.loss(Theta, X, Y)
        order.append(int(i))
        times.append(tau)
        levels.append(level)
        collapsed_all.append(collapsed)
        plateaus.append(Theta.copy())
        if progress:
            progress(f"jump {len(times)}: neuron {i} at {tau:.6g}, loss {level:.6g}")
        if level <= 1e-14 * L0:
            break
    notes = []
    if together and n > 1:
        notes.append("identical neurons: dormant neurons tracked together up to rotations among "
                     "them (each activation takes a whole neuron combination)")
    if n_merged:
        notes.append(f"{n_merged} dormant neuron(s) reached an activated function direction at "
                     "the same time as the activated neuron and were merged into it")
    if worst_dropped > 1e-12:
        notes.append(f"dropped eigen-components with relative overlap up to {worst_dropped:.2e} "
                     f"(overlap_rtol = {overlap_rtol:g}): an approximation when above rounding")
    if n_mixed:
        notes.append(f"utilities of successive plateaus do not commute ({n_mixed} mixing(s) of "
                     "dormant levels): tracked exactly in the limit (jump times exact as alpha "
                     "-> 0, error O(1/log(1/alpha)) at finite alpha)")
    return order, times, levels, collapsed_all, plateaus, notes
