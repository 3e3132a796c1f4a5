"""Coordinate gauges: fix P - dim V parameters so that Phi restricted to the rest is finite.

A gauge here is a set F of parameters fixed to constants theta_F = c; the other dim V
parameters z = theta_S stay unknowns and psi(z) = Phi(z, c) is the restricted map. It is chosen
so that the Jacobian of psi has rank dim V at a random rational point (exactly, mod a 31-bit
prime: rank mod p <= rank over Q <= dim V), hence psi: C^dim -> V is dominant and generically
finite. Then *every* continuous symmetry is gauged away, the known ones (neuron and filter
rescalings, GL of linear layers and of attention keys/queries, orthogonal fields) and any
hidden one alike: the fibers of psi are finite by construction, not by a list of symmetries.

Which parameters are fixed decides how many points of a fiber of Phi the slice meets. The
columns of :func:`preferred_fixes` are fixed first: one outgoing weight of each rescaled unit
(the orbit t -> (t w_in, t^-r w_out) meets w_out[j] = c in r points, and the incoming weights
keep the size of the function: see there), a d_l x d_l block of incoming weights of each linear
layer (GL(d_l) acts freely on it), and for attention an a x a block of each key matrix K (GL(a))
and one entry of each value matrix V (the V <-> Q rescaling); which ones is drawn at random per
gauge. The rank condition then picks the remaining fixed parameters greedily (a finite group
may still leave several points per fiber; counts are always taken on distinct images).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from ...errors import SpecError
from ...polymap import PolynomialMap

PRIME = 2147483647  # 2^31 - 1


@dataclass(frozen=True)
class Gauge:
    """Parameters ``free`` (the unknowns z) and ``fixed`` (set to ``values``) of a gauge."""

    n_params: int
    free: tuple[int, ...]
    fixed: tuple[int, ...]
    values: tuple[Fraction, ...]

    def embed(self, z) -> np.ndarray:
        """theta (B, P) from z (B, dim): free coordinates z, fixed ones their values."""
        z = np.atleast_2d(np.asarray(z, dtype=np.complex128))
        theta = np.empty((len(z), self.n_params), dtype=np.complex128)
        theta[:, list(self.free)] = z
        if self.fixed:
            theta[:, list(self.fixed)] = np.array([float(v) for v in self.values])
        return theta

    def restrict(self, phi: PolynomialMap) -> PolynomialMap:
        """psi(z) = Phi(z, c): exact polynomials in the free parameters."""
        free = list(self.free)
        fixed = dict(zip(self.fixed, self.values))
        polys = []
        for poly in phi.polys:
            out: dict = {}
            for exps, c in poly.items():
                for k, v in fixed.items():
                    if exps[k]:
                        c = c * v ** exps[k]
                if c:
                    key = tuple(exps[k] for k in free)
                    out[key] = out.get(key, Fraction(0)) + c
            polys.append({k: v for k, v in out.items() if v})
        return PolynomialMap(phi.spec, len(free), phi.labels, tuple(polys), phi.keys)

    def describe(self) -> str:
        return (f"coordinate gauge: {len(self.fixed)} parameters fixed to random rationals "
                f"(t{', t'.join(str(k) for k in self.fixed)}), {len(self.free)} free"
                if self.fixed else f"none needed: all {len(self.free)} parameters free")


def preferred_fixes(arch, rng) -> list[int]:
    """Parameters whose fixing removes the known symmetries: one outgoing weight of each
    rescaled unit (its incoming weight where it has no outgoing one), d_l incoming positions of
    each linear layer (the same for all its units: a d_l x d_l block), a columns of each
    attention key matrix K (an a x a block) and one entry of each value matrix. Which weight,
    positions and columns is drawn at random, so that independent runs fail on different
    hyperplanes.

    Why outgoing: the orbit t -> (t w_in, t^-r w_out) meets w_out[j] = c in r points (r-th roots
    of unity; monodromy keeps one point per image, so they cost it nothing, and a homotopy finds
    r nonsingular solutions per critical point), and the incoming weights then have the size of
    the function, (f / c)^(1/r). Fixing an incoming weight instead meets the orbit once, but a
    critical function whose linear form nearly vanishes at that weight needs a huge other
    incoming weight and a tiny outgoing one: a solution next to the locus w_out = 0 where the
    Jacobian drops rank, ill conditioned (mlp 2,1,1 x^4: |w| ~ 28, w_out ~ 1e-5; a homotopy from
    a start system lost it on 2 seeds of 20, monodromy on seed 1)."""
    from ...arch import Attention

    out: list[int] = []
    units = list(arch.units())
    for unit in units:
        side = unit.outgoing or unit.incoming
        if unit.group == "rescaling" and side:
            out.append(side[int(rng.integers(len(side)))])
    layers: dict[int, list] = {}
    for unit in units:
        if unit.group == "linear":
            layers.setdefault(unit.layer, []).append(unit)
    for group in layers.values():
        width = len(group[0].incoming)
        cols = sorted(rng.choice(width, size=min(len(group), width), replace=False).tolist())
        for unit in group:
            out.extend(unit.incoming[c] for c in cols)
    if isinstance(arch, Attention):
        for ks, _, vs in arch._slices():
            k = np.arange(ks.start, ks.stop).reshape(arch.a, arch.d)
            cols = rng.choice(arch.d, size=arch.a, replace=False)
            out.extend(int(i) for i in k[:, cols].ravel())
            out.append(int(vs.start + rng.integers(vs.stop - vs.start)))
    return out


def _mod(c: Fraction, p: int) -> int:
    return c.numerator % p * pow(c.denominator % p, -1, p) % p


def jacobian_mod(phi: PolynomialMap, theta: list[int], p: int = PRIME) -> np.ndarray:
    """dPhi at an integer point theta, mod p (M x P, Python ints)."""
    jac = np.zeros((phi.n_coordinates, phi.n_params), dtype=object)
    jac[:] = 0
    powers = [[pow(t, e, p) for e in range(16)] for t in theta]
    for j, poly in enumerate(phi.polys):
        for exps, c in poly.items():
            cm = _mod(c, p)
            for k, e in enumerate(exps):
                if not e:
                    continue
                val = cm * e
                for i, f in enumerate(exps):
                    if i != k and f:
                        val = val * (powers[i][f] if f < 16 else pow(theta[i], f, p)) % p
                    elif i == k and e > 1:
                        val = val * (powers[i][e - 1] if e - 1 < 16 else pow(theta[i], e - 1, p)) % p
                jac[j, k] = (jac[j, k] + val) % p
    return jac


def rank_mod(mat, p: int = PRIME) -> int:
    rows, cols = mat.shape
    if rows == 0 or cols == 0:
        return 0
    return flint.nmod_mat(rows, cols, [int(v) % p for v in np.asarray(mat).ravel()], p).rank()


def coordinate_gauge(arch, phi: PolynomialMap, dim: int, rng) -> Gauge:
    """A gauge fixing P - dim parameters to random rationals with rank d psi = dim (proven mod p).

    Raises SpecError when no point of three tries reaches rank ``dim`` (``dim`` is then not the
    generic rank of Phi)."""
    p = phi.n_params
    preferred = [k for k in dict.fromkeys(preferred_fixes(arch, rng)) if k < p]
    order = [k for k in range(p) if k not in set(preferred)] + preferred
    for _ in range(3):
        # a random rational point with entries of size in [1/2, 1] (a fixed value near 0 puts
        # the slice's points near infinity, which slows every path)
        size = rng.integers(500, 1001, size=p) * rng.choice([-1, 1], size=p)
        point = [Fraction(int(a), 1000) for a in size]
        jac = jacobian_mod(phi, [_mod(v, PRIME) for v in point])
        free: list[int] = []
        for k in order:
            if len(free) == dim:
                break
            if rank_mod(jac[:, free + [k]]) == len(free) + 1:
                free.append(k)
        if len(free) == dim:
            free.sort()
            fixed = tuple(k for k in range(p) if k not in set(free))
            return Gauge(p, tuple(free), fixed, tuple(point[k] for k in fixed))
    raise SpecError(f"{arch}: the Jacobian of Phi does not reach rank {dim} at random points; "
                    "the dimension given is not the generic rank")
