"""Is a real point of the neurovariety in the real neuromanifold (are there real weights)?

A real function f on V = closure of Phi(C^P) need not be Phi(theta) for a real theta. A random
gauge slice {C theta = c} cannot decide it: a real fiber may meet a real slice in complex points
only (``linear 2,1,2``: u v^T with u, v real, while the slice equation t^2 = c may have c < 0).
:func:`real_realization` decides by methods that do not depend on any slice:

* **linear networks** (activation x, no biases): every real matrix of rank <= r (the narrowest
  width) is U S V^T with real factors (singular value decomposition), so the answer is yes; the
  weights are built from the SVD.
* **shallow quadratic networks** ``mlp d0,h,1 x^2``: f = x^T S x with S real symmetric of rank
  <= h; the spectral theorem S = sum_i lambda_i v_i v_i^T gives real weights (w_i = v_i,
  a_i = lambda_i): yes.
* **shallow binary forms** ``mlp 2,h,1 x^r``: Sylvester's theorem (Reznick 1996, Thm 5.1;
  Comas–Seiguer 2011). With moments c_i = coeff(x1^(r-i) x2^i) / C(r, i), a form
  G(t) = sum_j g_j t^j is apolar to f iff sum_j c_(i+j) g_j = 0 for i = 0..r-h (the
  catalecticant C_h). If f = sum_l a_l (x1 + t_l x2)^r with h real terms, then
  prod_l (t - t_l) is apolar to f. So when ker C_h is one-dimensional, its form is the only
  candidate: f has real weights iff it has h distinct real roots (a root at infinity is the
  term x2^r). For h >= r every real binary form of degree r has real weights (the real rank of
  a binary form is at most its degree: Comas–Seiguer 2011; Blekherman 2015), found from an
  apolar form with r real roots.
* otherwise a real preimage found by the caller (e.g. on a gauge slice) proves yes; failing
  that the answer is "undecided".

All of this runs in float64 on a numerically computed f: a verdict needs a clear singular-value
gap and roots clearly real or clearly not, and every "yes" is checked by evaluating Phi at the
weights (relative residual below ``1e-7``); the reason says that the verdict is numerical.

References
----------
Reznick (1996), Homogeneous polynomial solutions to constant coefficient PDE's, Adv. Math. 117.
Comas, Seiguer (2011), On the rank of a binary form, Found. Comput. Math. 11, arXiv:math/0112311.
Blekherman (2015), Typical real ranks of binary forms, Found. Comput. Math. 15, arXiv:1205.3257.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

YES, NO, UNDECIDED = "yes", "no", "undecided"
_GAP = 1e-6      # singular values below _GAP * s_max are zero ...
_CLEAR = 1e-3    # ... and a verdict needs the next one above _CLEAR * s_max
_RESIDUAL = 1e-7


@dataclass(frozen=True)
class Realization:
    """``status`` is "yes" (real weights exist; ``theta`` holds some), "no" (proven impossible
    up to the stated numerical tolerance) or "undecided"; ``reason`` says how."""

    status: str
    reason: str
    theta: np.ndarray | None = None


def real_realization(arch, phi, f, *, real_preimage=None, rng=None) -> Realization:
    """Decide whether the real coordinates ``f`` (in ``phi``'s monomial coordinates, ``phi =
    expand(arch)``) are Phi(theta) for a real theta. ``real_preimage``: a real theta already
    found with Phi(theta) ~ f, if any."""
    f = np.asarray(f, dtype=float)
    rng = np.random.default_rng(0) if rng is None else rng
    for method in (_linear, _quadric, _binary):
        out = method(arch, phi, f, rng)
        if out is not None and (out.status != UNDECIDED or real_preimage is None):
            return out
    if real_preimage is not None:
        theta = np.asarray(real_preimage, dtype=float)
        if _residual(phi, theta, f) <= _RESIDUAL:
            return Realization(YES, "a real preimage was found (numerical)", theta)
    return Realization(UNDECIDED, "no real preimage found and no decision method for this "
                                  "family")


def _residual(phi, theta, f) -> float:
    from .systems import image_system

    values = image_system(phi).evaluate(np.asarray(theta, dtype=np.complex128)[None])[0][0]
    return float(np.abs(values - f).max() / max(np.abs(f).max(), 1e-300))


def _checked(phi, theta, f, reason) -> Realization:
    res = _residual(phi, theta, f)
    if res <= _RESIDUAL:
        return Realization(YES, f"{reason}; weights reproduce f to {res:.1e} (numerical)", theta)
    return Realization(UNDECIDED, f"{reason}, but the weights leave a residual {res:.1e}")


def _numerical_rank(s) -> int | None:
    """Rank from singular values when the gap is clear, else None."""
    if not len(s) or s[0] == 0:
        return 0
    small = s < _GAP * s[0]
    rank = int(np.argmax(small)) if small.any() else len(s)
    return rank if rank == 0 or s[rank - 1] >= _CLEAR * s[0] else None


def _layered_mlp(arch, *, depth: int | None = None):
    from ...arch import MLP

    ok = isinstance(arch, MLP) and not arch.bias and not arch.is_rational
    return ok and (depth is None or arch.depth == depth)


def _linear(arch, phi, f, rng):
    if not (_layered_mlp(arch) and arch.is_linear):
        return None
    d0, dl = arch.widths[0], arch.widths[-1]
    a = np.zeros((dl, d0))
    for value, (k, exps) in zip(f, phi.keys):
        a[k, int(np.argmax(exps))] = value
    r = min(arch.widths[1:-1])
    u, s, vt = np.linalg.svd(a)
    rank = _numerical_rank(s)
    if rank is None or rank > r:
        return Realization(UNDECIDED, f"the matrix's numerical rank is unclear or above {r}")
    mats, root = [], np.sqrt(s[:rank])
    for l in range(1, arch.depth + 1):
        m = np.zeros((arch.widths[l], arch.widths[l - 1]))
        if l == 1:
            m[:rank] = root[:, None] * vt[:rank]
        elif l == arch.depth:
            m[:, :rank] = u[:, :rank] * root[None, :]
        else:
            m[:rank, :rank] = np.eye(rank)
        mats.append(m.ravel())
    return _checked(phi, np.concatenate(mats), f,
                    f"yes: a real matrix of rank {rank} <= {r} factors over R (SVD)")


def _quadric(arch, phi, f, rng):
    if not (_layered_mlp(arch, depth=2) and arch.widths[-1] == 1
            and arch.activations[0].monomial_power == 2):
        return None
    d0, h = arch.widths[:2]
    sym = np.zeros((d0, d0))
    for value, (_, exps) in zip(f, phi.keys):
        idx = [i for i, e in enumerate(exps) for _ in range(e)]
        i, j = idx
        sym[i, j] = sym[j, i] = value if i == j else value / 2
    lam, vecs = np.linalg.eigh(sym)
    order = np.argsort(-np.abs(lam))
    rank = _numerical_rank(np.abs(lam[order]))
    if rank is None or rank > h:
        return Realization(UNDECIDED, f"the quadric's numerical rank is unclear or above {h}")
    ws = np.zeros((h, d0))
    ws[:, 0] = 1.0  # dead neurons: any input weight, output weight 0
    a = np.zeros(h)
    ws[:rank] = vecs[:, order[:rank]].T
    a[:rank] = lam[order[:rank]]
    return _checked(phi, np.concatenate([ws.ravel(), a]), f,
                    f"yes: the spectral theorem writes the rank-{rank} quadric as a real sum of "
                    "squares with signs")


def _binary(arch, phi, f, rng):
    if not (_layered_mlp(arch, depth=2) and arch.widths[0] == 2 and arch.widths[-1] == 1):
        return None
    r = arch.activations[0].monomial_power
    if r is None or r < 2:
        return None
    h = arch.widths[1]
    c = np.zeros(r + 1)
    for value, (_, exps) in zip(f, phi.keys):
        c[exps[1]] = value / math.comb(r, exps[1])
    if h >= r:
        return _binary_high(phi, f, c, r, h, rng)
    cat = np.array([[c[i + j] for j in range(h + 1)] for i in range(r - h + 1)])
    _, s, vt = np.linalg.svd(cat)
    s_full = np.concatenate([s, np.zeros(h + 1 - len(s))])
    rank = _numerical_rank(s_full)
    if rank is None:
        return Realization(UNDECIDED, "Sylvester: the catalecticant's kernel dimension is unclear")
    if h + 1 - rank != 1:
        return Realization(UNDECIDED, f"Sylvester: the apolar forms of degree {h} form a space of "
                                      f"dimension {h + 1 - rank}, not a unique one")
    return _from_apolar(phi, f, c, r, h, h, vt[-1], unique=True)


def _from_apolar(phi, f, c, r, k, h, g, *, unique: bool, why: str = "") -> Realization:
    """Weights (1, t_l) from the roots t_l of the degree-k apolar form G(t) = sum_j g_j t^j (and
    (0, 1) for a root at infinity), output weights by least squares on the moments; dead
    neurons fill the width h >= k."""
    g = g / np.abs(g).max()
    lead = int(np.max(np.nonzero(np.abs(g) > _GAP)[0]))
    roots = np.roots(g[:lead + 1][::-1]) if lead > 0 else np.zeros(0)
    scale = 1 + np.abs(roots)
    if np.any(np.abs(roots.imag) > _CLEAR * scale):
        if unique:
            return Realization(NO, f"no: the unique apolar form of degree {k} (Sylvester) has "
                                   f"non-real roots (|Im t| up to {np.abs(roots.imag).max():.2g}); "
                                   "numerical")
        return Realization(UNDECIDED, "the apolar form tried has non-real roots")
    if np.any(np.abs(roots.imag) > _GAP * scale):
        return Realization(UNDECIDED, "Sylvester: roots of the apolar form neither clearly real "
                                      "nor clearly complex")
    t = np.sort(roots.real)
    if len(t) > 1 and np.min(np.diff(t)) < 1e-6 * (1 + np.abs(t).max()):
        return Realization(UNDECIDED, "Sylvester: the apolar form has a (nearly) repeated root")
    ws = [(1.0, ti) for ti in t] + [(0.0, 1.0)] * (k - lead)
    mat = np.array([[w0 ** (r - i) * w1 ** i for w0, w1 in ws] for i in range(r + 1)])
    a, *_ = np.linalg.lstsq(mat, c, rcond=None)
    ws += [(1.0, 0.0)] * (h - k)
    theta = np.concatenate([np.array(ws).ravel(), a, np.zeros(h - k)])
    how = "the unique apolar form" if unique else "an apolar form"
    return _checked(phi, theta, f, why or f"yes: Sylvester, {how} of degree {k} has real roots")


def _binary_high(phi, f, c, r, h, rng) -> Realization:
    """h >= r: G(t) = q(t) (t - b) with q real-rooted of degree r - 1 and b fixed by the one
    linear apolarity condition sum_j c_j g_j = 0 (G of degree r); extra neurons are dead."""
    for _ in range(20):
        q = np.poly(np.sort(rng.uniform(-3, 3, r - 1)))[::-1]  # ascending coefficients
        # G = q (t - b): g_j = q_(j-1) - b q_j; sum_j c_j g_j = 0 is linear in b
        shifted = np.concatenate([[0.0], q])
        padded = np.concatenate([q, [0.0]])
        denom = float(c @ padded)
        if abs(denom) < 1e-9 * (np.abs(c).max() * np.abs(q).max() + 1e-300):
            continue
        b = float(c @ shifted) / denom
        g = shifted - b * padded
        out = _from_apolar(phi, f, c, r, r, h, g, unique=False,
                           why=f"yes: every real binary form of degree {r} has real rank <= {r} "
                               "(Comas-Seiguer; Blekherman)")
        if out.status == YES:
            return out
    return Realization(UNDECIDED, "no real-rooted apolar form found in 20 random trials")
