"""AGF in the limit alpha -> 0 for neurons of degree kappa = 2: dormant neurons as power series
in alpha.

Conventions: :mod:`neuroalg.dynamics.models`; rescaled time tau = t / log(1/alpha).

Mathematics
-----------
The dormant neurons of a *group* form a matrix D, one row per neuron. A group is all dormant
neurons when every neuron has the same utility form (fully connected linear networks,
attention heads: :func:`neuroalg.dynamics.utility.identical_neurons`), otherwise one neuron.
On a plateau with utility form M = sum_k lam_k v_k v_k^T the dormant dynamics is exactly
D(t) = D(0) expm(2 M t), and exp(2 lam t) = alpha^(-2 lam tau). We write D in the eigenbasis,

    D = sum_k a_k v_k^T,    a_k = sum_l alpha^(-e_kl) u_kl   (a series in alpha),

so that a plateau of rescaled length dtau only adds 2 lam_k dtau to the exponents of column k.
A column holds at most one term per dimension of the neuron space: the part of a lower term
along the vectors of higher terms of the same column is of lower order there and is dropped
(Gram-Schmidt), which changes no leading coefficient in any direction. When M changes, the
columns are re-expanded in the new eigenbasis (a'_j = sum_k <v_k, v'_j> a_k, series added):
nothing assumes that successive utilities commute. The initialization is the single term
e = -1, D = theta_hat (size alpha).

A neuron of size alpha^0 = O(1) is active: the group activates when the leading exponent of a
column k* reaches 0, as one neuron along d = v_k* (the combination of the neurons given by the
whole series a* = a_k*). For identical neurons the network sees the group only up to rotations
among its neurons, so the remaining dormant neurons are the combinations orthogonal to a*:
D -> (I - a* a*^T / |a*|^2) D, computed without series division as
(|a*|^2 D - a* (a*^T D)) / |a*_0|^2, which only multiplies D by the series |a*|^2 / |a*_0|^2
of leading term 1 (same leading terms in every direction). Keeping the whole series a* matters:
with only its leading vector, the other eigen-components of the activated combination stay
dormant and a non-whitened linear network jumps far too early (tau 1.63 instead of 5.209 on the
4 -> 3 example of the tests; the high-precision finite-alpha reference
``benchmarks/dynamics_linear_mp.py`` at alpha = 1e-1000 confirms 5.209 and the later jumps of its other examples).

Limitation and its check. Within a column only the leading vector of each order is kept (the
Gram-Schmidt above); the projection at an activation is then exact to first order in the gaps
between exponents of the activated series. For identical neurons whose utilities do not
commute this is proven for the first two jumps only (see
:func:`neuroalg.dynamics.closed_forms.linear_network_jump_times`) and was observed to fail
from the fourth jump of larger examples (tau 9.06 where the high-precision reference gives
7.83). Jumps from the third on are therefore checked against the finite-alpha engine
(:mod:`neuroalg.dynamics.finite_alpha`) at two values of alpha, extrapolated linearly in
1/log(1/alpha) to alpha -> 0 (:func:`confirm_by_finite_alpha`), and refused if they differ by
more than ``CONFIRM_RTOL``.

Non-identical neurons reaching exponent 0 at the same time along the same function are merged
into the activated one (that column's leading term is dropped). A neuron that returns to
dormancy gets exponent 0 along the direction it was active in and keeps the other columns it
had when it activated.

References
----------
[KMC25] D. Kunin et al. (2025), Alternating Gradient Flows: A Theory of Feature Learning in
        Two-layer Neural Networks, arXiv:2506.06489.
"""

from __future__ import annotations

import numpy as np

from ..errors import SpecError
from .cost import cost_step
from .finite_alpha import agf_quadratic_finite, finite_run
from .utility import identical_neurons, neuron_function, quadratic_forms

#: Utility eigenvalues below this fraction of the initial largest utility entry do not grow.
GROWTH_FLOOR = 1e-7
#: Relative size below which a sum of terms cancelled, or a term lies in the span of the
#: higher terms of its column (dropped).
DROP_RTOL = 1e-9
#: Largest relative difference between an unverified jump time and the finite-alpha engine
#: extrapolated to alpha -> 0 (:func:`confirm_by_finite_alpha`).
CONFIRM_RTOL = 0.02
#: Pairs of alpha tried for the extrapolation (the first pair float64 resolves is used).
CONFIRM_ALPHAS = ((1e-8, 1e-12), (1e-6, 1e-9), (1e-4, 1e-6))


def _column(terms, *, atol: float):
    """Canonical series [(e, u), ...]: equal exponents (within ``atol``) added, then in order of
    decreasing exponent each vector loses its part along the higher vectors (dropped if nothing
    of relative size > ``DROP_RTOL`` is left)."""
    terms = sorted(terms, key=lambda t: -t[0])
    merged: list[tuple[float, list[np.ndarray]]] = []
    for e, u in terms:
        if merged and merged[-1][0] - e <= atol:
            merged[-1][1].append(u)
        else:
            merged.append((e, [u]))
    out = []
    basis: list[np.ndarray] = []
    for e, us in merged:
        u = np.sum(us, axis=0)
        size = max(float(np.linalg.norm(v)) for v in us)
        if basis:
            Q = np.array(basis)
            u = u - Q.T @ (Q @ u)
        nu = float(np.linalg.norm(u))
        if nu == 0 or nu <= DROP_RTOL * size:
            continue
        out.append((float(e), u))
        basis.append(u / nu)
    return out


def _times(A, B, op):
    """Product of two series with the bilinear ``op`` on their coefficients (unsimplified)."""
    return [(ea + eb, op(x, y)) for ea, x in A for eb, y in B]


class _Group:
    """Dormant neurons ``slots``; D = sum_k a_k V[:, k]^T with ``cols[k]`` the series a_k."""

    #: the utility form of the last plateau
    M: np.ndarray | None = None

    def __init__(self, slots, Theta_hat, atol):
        self.slots = list(slots)
        m = Theta_hat.shape[1]
        self.V = np.eye(m)
        self.cols = [_column([(-1.0, Theta_hat[:, k].copy())], atol=atol) for k in range(m)]

    @classmethod
    def from_columns(cls, slots, V, cols, atol):
        g = cls.__new__(cls)
        g.slots, g.V = list(slots), V
        g.cols = [_column(col, atol=atol) for col in cols]
        return g

    @property
    def is_live(self):
        return bool(self.slots) and any(self.cols)

    def rebase(self, V_new, overlap_rtol, atol):
        """Re-expand the columns in the orthonormal basis ``V_new``; returns the largest overlap
        dropped as at most ``overlap_rtol`` (rounding unless raised)."""
        O = self.V.T @ V_new  # O[k, j] = <v_k, v'_j>
        dropped = float(np.max(np.where(np.abs(O) <= overlap_rtol, np.abs(O), 0.0)))
        cols = []
        for j in range(O.shape[1]):
            keep = np.flatnonzero(np.abs(O[:, j]) > overlap_rtol)
            cols.append(_column([(e, O[k, j] * u) for k in keep for e, u in self.cols[k]],
                                atol=atol))
        self.V, self.cols = V_new, cols
        return dropped

    def advance(self, lam, dtau):
        self.cols = [[(min(e + 2 * l * dtau, 0.0), u) for e, u in col]
                     for l, col in zip(lam, self.cols)]

    def activate(self, k, together, atol):
        """Column ``k`` reached exponent 0: returns (slot, direction d = v_k, the activated
        neuron's other columns for a later return to dormancy) and removes it from D."""
        a = self.cols[k]
        q = a[0][1] / np.linalg.norm(a[0][1])  # the activated combination (leading order)
        slot = self.slots.pop(0)
        d = self.V[:, k]
        own = [[(e, np.array([q @ u])) for e, u in col] for col in self.cols]
        own[k] = []
        if not self.slots:
            self.cols = [[] for _ in self.cols]
            return slot, d, own
        # D -> (|a|^2 D - a (a^T D)) / |a_0|^2: the combinations orthogonal to the whole series
        # a; dividing by the constant |a_0|^2 (a_0 the leading vector of a) keeps the leading
        # coefficients at their size (without it they shrink like |a_0|^(2k) after k
        # activations and underflow: issue 12's whitened 30-10-20 network lost its last jumps)
        norm2 = _times(a, a, lambda x, y: float(x @ y))
        c0 = float(a[0][1] @ a[0][1])
        new = []
        for col in self.cols:
            inner = _times(a, col, lambda x, y: float(x @ y))
            terms = _times(norm2, col, lambda c, u: c * u)
            terms += [(e, -u) for e, u in _times(inner, a, lambda c, v: c * v)]
            new.append(_column([(e, u / c0) for e, u in terms], atol=atol))
        new[k] = []
        self.cols = new
        return slot, d, own

    def add(self, slot, direction, own, atol, overlap_rtol):
        """A neuron returns to dormancy: exponent 0 along ``direction``, and its columns
        ``own`` (in the basis of its activation, re-expanded here via the standard basis)."""
        n = len(self.slots) + 1
        self.slots.append(slot)
        pad = [[(e, np.append(u, np.zeros(max(0, n - len(u))))[:n]) for e, u in col]
               for col in self.cols]
        c = self.V.T @ direction
        for k in range(len(pad)):
            unit = np.zeros(n)
            unit[-1] = c[k]
            extra = [(e, np.concatenate([np.zeros(n - 1), u])) for e, u in own.get(k, [])]
            top = [(0.0, unit)] if abs(c[k]) > overlap_rtol else []
            pad[k] = _column(pad[k] + top + extra, atol=atol)
        self.cols = pad


def _commute(A, B, rtol: float = 1e-9) -> bool:
    """AB = BA up to rounding (then the eigenbases of successive utilities can be shared)."""
    return bool(np.linalg.norm(A @ B - B @ A) <= rtol * np.linalg.norm(A) * np.linalg.norm(B))


def _own_in_basis(own, V_from, V_to, overlap_rtol, atol):
    """Columns ``own`` (one neuron, basis ``V_from``) re-expanded in basis ``V_to``."""
    O = V_from.T @ V_to
    out = {}
    for j in range(O.shape[1]):
        terms = [(e, O[k, j] * u) for k in range(O.shape[0]) if abs(O[k, j]) > overlap_rtol
                 for e, u in own[k]]
        col = _column(terms, atol=atol)
        if col:
            out[j] = col
    return out


def confirm_by_finite_alpha(model, X, Y, Theta_hat, times, first: int, **engine_options) -> str:
    """Check jump times ``times[first:]`` of the limit engine against the finite-alpha engine.

    The finite-alpha engine (exact dormant dynamics at a given alpha, its own rounding check)
    is run at the first pair (alpha_1, alpha_2) of ``CONFIRM_ALPHAS`` that float64 resolves;
    its jump times, affine in 1/log(1/alpha) up to O(1/log(1/alpha)^2), are extrapolated
    linearly to 1/log(1/alpha) = 0. Returns a note; raises SpecError if a jump differs by more
    than ``CONFIRM_RTOL`` (relative) or the number of jumps differs.
    """
    for a1, a2 in CONFIRM_ALPHAS:
        try:  # the rounding check at the smaller alpha covers the larger one
            t2 = np.array(agf_quadratic_finite(model, X, Y, Theta_hat, alpha=a2, progress=None,
                                               **engine_options)[1])
        except SpecError:
            continue  # float64 cannot resolve this alpha on these data: try larger ones
        t1 = np.array(finite_run(model, X, Y, Theta_hat, alpha=a1, progress=None, noise=0.0,
                                 **engine_options)[1])
        break
    else:
        raise SpecError("alpha -> 0 limit: jumps from the third on could not be checked (the "
                        "finite-alpha engine cannot resolve any alpha tried); use a finite alpha")
    if not len(t1) == len(t2) == len(times):
        raise SpecError(f"alpha -> 0 limit: {len(times)} jumps, but the finite-alpha engine "
                        f"finds {len(t2)} at alpha = {a2:g}; the limit is not confirmed; use a "
                        "finite alpha (--finite-alpha)")
    k1, k2 = np.log(1 / a1), np.log(1 / a2)
    limit = t2 + (t2 - t1) * (1 / k2) / (1 / k1 - 1 / k2)
    times = np.asarray(times)
    rel = np.abs(limit[first:] - times[first:]) / np.maximum(times[first:], 1e-300)
    if len(rel) and rel.max() > CONFIRM_RTOL:
        k = first + int(np.argmax(rel))
        raise SpecError(
            f"alpha -> 0 limit: jump {k + 1} at tau = {times[k]:.6g} is not confirmed: the "
            f"finite-alpha engine at alpha = {a1:g} and {a2:g} extrapolates to {limit[k]:.6g}. "
            "Identical neurons whose utilities do not commute are resolved here only to first "
            "order from the third jump on; use a finite alpha (--finite-alpha) instead")
    return (f"jumps {first + 1}-{len(times)} (identical neurons, non-commuting utilities) "
            f"confirmed against the finite-alpha engine at alpha = {a1:g}, {a2:g} extrapolated "
            f"to alpha -> 0: largest relative difference {rel.max():.1e}")


def agf_quadratic_limit(model, X, Y, Theta_hat, *, max_jumps, eps, gtol, collapse_tol, atol,
                        tau_max, progress, L0, overlap_rtol, **_ignored):
    """kappa = 2 AGF as alpha -> 0 (module docstring); returns the engine tuple
    (order, times, levels, collapsed, plateaus, notes) of :func:`neuroalg.dynamics.agf`.

    Raises
    ------
    SpecError
        If jumps the engine resolves only to first order are not confirmed by the
        finite-alpha engine (:func:`confirm_by_finite_alpha`).
    """
    n, m = model.n_neurons, model.neuron_size
    Theta_hat = np.asarray(Theta_hat, dtype=float)
    together = identical_neurons(model, X, np.random.default_rng(0))
    if together:
        groups = [_Group(range(n), Theta_hat, atol)]
    else:
        groups = [_Group([i], Theta_hat[i:i + 1], atol) for i in range(n)]
    saved = {}  # neuron -> (its other columns at activation, that basis)
    active = np.zeros(n, dtype=bool)
    grown = np.zeros((n, m))
    Theta = np.zeros((n, m))
    scale = float(np.max(np.abs(quadratic_forms(model, X, Y, np.arange(n))))) + 1e-300
    floor = max(atol, GROWTH_FLOOR) * scale
    tau = 0.0
    order: list[int] = []
    times: list[float] = []
    levels: list[float] = []
    collapsed_all: list[list[int]] = []
    plateaus: list[np.ndarray] = []
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
        live = [g for g in groups if g.is_live]
        if not live:
            break
        R = Y - model.forward(Theta, X)
        M = quadratic_forms(model, X, R, [g.slots[0] for g in live])
        waits, eig = [], []
        for a, g in enumerate(live):
            lam, V = np.linalg.eigh(M[a])
            if g.M is not None and not _commute(g.M, M[a]):
                n_mixed += 1  # (a new basis of a degenerate eigenspace is not a change)
            g.M = M[a]
            worst_dropped = max(worst_dropped, g.rebase(V, overlap_rtol, atol))
            eig.append(lam)
            for k, col in enumerate(g.cols):
                if col and lam[k] > floor:
                    e, u = col[0]
                    waits.append((max(-e, 0.0) / (2 * lam[k]), -np.log(np.linalg.norm(u)),
                                  min(g.slots), a, k))
        if not waits:
            break
        dmin = min(w[0] for w in waits)
        if tau + dmin > tau_max:
            break
        # ties (equal waits): the larger prefactor is larger at any finite alpha
        _, _, _, a_best, k_best = min(
            (w for w in waits if w[0] <= dmin + 1e-12 * max(1.0, dmin)), key=lambda w: w[1:3])
        for g, lam in zip(live, eig):
            g.advance(lam, dmin)
        tau += dmin
        g_act = live[a_best]
        V_act = g_act.V
        i, d, own = g_act.activate(k_best, together, atol)
        saved[i] = (own, V_act)
        active[i] = True
        grown[i] = d
        Theta[i] = eps * d
        if not together:
            f_act = neuron_function(model, X, i, d)
            for g in live:
                if not g.slots:
                    continue
                for k, col in enumerate(g.cols):
                    if col and col[0][0] >= -atol:
                        f2 = neuron_function(model, X, g.slots[0], g.V[:, k])
                        if abs(np.sum(f_act * f2)) >= ((1 - 1e-6) * np.linalg.norm(f_act)
                                                       * np.linalg.norm(f2)):
                            g.cols[k] = col[1:]
                            n_merged += 1
        Theta, collapsed = cost_step(model, X, Y, Theta, active, gtol=gtol,
                                     collapse_tol=collapse_tol,
                                     utility_in_direction=utility_in_direction,
                                     is_aligned=is_aligned)
        for j in collapsed:
            own_j, V_j = saved[j]
            if together:
                g = groups[0]
                g.add(j, grown[j], _own_in_basis(own_j, V_j, g.V, overlap_rtol, atol), atol,
                      overlap_rtol)
            else:
                c = V_j.T @ grown[j]
                cols = [col + ([(0.0, np.array([c[k]]))] if abs(c[k]) > overlap_rtol else [])
                        for k, col in enumerate(own_j)]
                groups[j] = _Group.from_columns([j], V_j, cols, atol)
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
    if together and n_mixed and len(times) > 2:
        notes.append(confirm_by_finite_alpha(
            model, X, Y, Theta_hat, times, 2, max_jumps=max_jumps, gtol=gtol,
            collapse_tol=collapse_tol, tau_max=tau_max, L0=L0))
    if together and n > 1:
        notes.append("identical neurons: the dormant neurons are tracked together, up to "
                     "rotations among them (each activation takes a whole combination of them)")
    if n_merged:
        notes.append(f"{n_merged} dormant neuron(s) reached an activated function direction at "
                     "the same time as the activated neuron and were merged into it")
    if worst_dropped > 1e-12:
        notes.append(f"dropped eigen-components with relative overlap up to {worst_dropped:.2e} "
                     f"(overlap_rtol = {overlap_rtol:g}): an approximation when above rounding")
    if n_mixed:
        notes.append(f"utilities of successive plateaus do not commute ({n_mixed} changes of "
                     "eigenbasis): dormant neurons tracked as power series in alpha (jump times "
                     "exact as alpha -> 0, error O(1/log(1/alpha)) at finite alpha)")
    return order, times, levels, collapsed_all, plateaus, notes
