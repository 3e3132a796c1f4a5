"""Critical points in function space: the Lagrange formulation on the equations of V.

The second, independent method of ``critical`` (``method="implicit"``). It uses the
parameterization only to sample points of V; the critical points are solved in function space:

1. the linear span of V: s coordinates (pivots) independent on V, the others linear in them,
   f = B y (exact over Q from sampled points, each relation verified exactly:
   F(Phi(theta)) = 0 in Q[theta]);
2. the equations of V in the pivot coordinates, degree by degree: the kernel of the monomials
   of degree d evaluated at random integer points of V (exact over Q); every kernel vector is
   verified exactly, and then the kernel *is* I_d (the kernel contains I_d, the verified
   vectors lie in I_d). Degrees are added until the gradients of the forms have rank
   c = s - dim V at a point of V (exact; the largest rank at a few random points, see
   :func:`generic_gradient_rank`), so that they cut out V near its generic points;
3. c random combinations H = R G (a complete intersection containing V) and the Lagrange
   system Q_s y - w_s = dH(y)^T lam, H(y) = 0 (:func:`.systems.lagrange_system`), where
   Q_s = B^T Q B and w_s = B^T w restrict the loss to the span;
4. monodromy in w_s from a constructed start (y0 on V, lam0 random), keeping only points where
   G vanishes (all generators, not only the combinations) and dG has rank c (smooth points of
   Z(G): the singular locus is removed), counted as distinct y. Monodromy starts on V and its
   loops stay in V's critical correspondence; the found points are not tested for membership in
   V otherwise (Z(G) equals V near the generic points of V, but the forms up to the degree
   reached need not cut out V alone: another component of Z(G) of the same dimension is not
   excluded, and a homotopy from a start system would reach its critical points too).

References: Draisma, Horobeț, Ottaviani, Sturmfels, Thomas (2016), The Euclidean distance degree
of an algebraic variety, Found. Comput. Math. 16, Section 2 (Lagrange and rank formulations).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ...errors import SpecError
from ...homotopy.polynomial import PolySystem
from ...linalg.exact import nullspace_q, rank_q, rref_q
from ...polymap import PolynomialMap, random_rational, vanishes_on
from .systems import lagrange_system

#: interpolation limits: highest degree and number of monomials in one degree
MAX_DEGREE = 6
MAX_MONOMIALS = 2000


@dataclass(frozen=True)
class ImplicitModel:
    """V in the coordinates y (pivots) of its linear span: f = B y and equations G(y) = 0."""

    pivots: tuple[int, ...]
    span: np.ndarray  # B, M x s Fractions
    forms: tuple[dict, ...]  # G_i: {exponent tuple in y: Fraction}
    degrees: tuple[int, ...]  # degrees in which forms were found
    codimension: int  # c = s - dim V

    @property
    def n_span(self) -> int:
        return len(self.pivots)

    def describe(self) -> str:
        return (f"function space: span of V has dimension {self.n_span}; "
                + (f"{len(self.forms)} verified equation{'s' if len(self.forms) != 1 else ''} of degree "
                   f"{', '.join(map(str, self.degrees))} cut out V near its generic points "
                   f"(codimension {self.codimension}), {self.codimension} random combinations "
                   "in the Lagrange system" if self.codimension else "V fills its span"))


def _evaluate(poly: dict, theta) -> Fraction:
    total = Fraction(0)
    for a, c in poly.items():
        term = c
        for t, e in zip(theta, a):
            if e:
                term *= t**e
        total += term
    return total


#: half-width of the box of integer parameters for the rank check (Schwartz–Zippel: a
#: polynomial of degree D in theta, not zero, vanishes at a uniform point of the box with
#: probability <= D / (2 * CHECK_SIZE + 1))
CHECK_SIZE = 2**20
#: points of V at which the gradient rank is computed (the largest rank is kept)
CHECK_POINTS = 3


def _points(phi: PolynomialMap, n: int, rng, *, size: int = 30) -> list[list[Fraction]]:
    """Phi(theta_j) exactly at n random integer points theta_j in [-size, size]^P."""
    thetas = rng.integers(-size, size + 1, size=(n, phi.n_params))
    return [[_evaluate(poly, [int(t) for t in theta]) for poly in phi.polys] for theta in thetas]


def _monomial_rows(points, exponents) -> list[list[Fraction]]:
    rows = []
    for y in points:
        row = []
        for a in exponents:
            v = Fraction(1)
            for yi, e in zip(y, a):
                if e:
                    v *= yi**e
            row.append(v)
        rows.append(row)
    return rows


def _gradient_rank(forms, point) -> int:
    """Exact rank of dG at a point (Fractions)."""
    if not forms:
        return 0
    rows = []
    for form in forms:
        row = []
        for i in range(len(point)):
            d = Fraction(0)
            for a, c in form.items():
                if a[i]:
                    term = c * a[i]
                    for k, (yk, e) in enumerate(zip(point, a)):
                        f = e - 1 if k == i else e
                        if f:
                            term *= yk**f
                    d += term
            row.append(d)
        rows.append(row)
    return rank_q(rows)


def generic_gradient_rank(forms, points, codim: int) -> int:
    """The largest exact rank of dG over ``points`` of V (Fractions), stopping at ``codim``.

    For G in I(V), rank dG(p) <= codim V at every point p of V (dG(p) vanishes on the Zariski
    tangent space T_p V, of dimension >= dim V). Where it equals codim V, Z(G) is near p a
    manifold of dimension dim V containing V, so Z(G) = V near p; and the set of such p is
    open in V, hence dense once it is not empty (V, the closure of an image of C^P, is
    irreducible). So one point of rank codim V proves that G cuts out V near the points of a
    dense open subset of V. A single point may fail: on the singular locus of V (or of Z(G))
    the rank drops (mlp 3,2,1 x^2 with an outgoing weight 0 gives a rank-1 quadric, where
    the gradient of the determinant vanishes). With points Phi(theta) at independent uniform
    integer theta in [-N, N]^P, when the generic rank is codim V each point falls where it
    drops with probability <= D / (2N + 1) (Schwartz–Zippel; D the degree in theta of a
    nonzero codim-minor of dG(Phi(theta))), so the largest rank over k points is below the
    generic rank with probability <= (D / (2N + 1))^k. A rank < codim V is therefore evidence,
    not proof, that the equations do not cut out V; a rank = codim V is proof that they do."""
    best = 0
    for point in points:
        best = max(best, _gradient_rank(forms, point))
        if best >= codim:
            break
    return best


def implicit_model(phi: PolynomialMap, dim: int, rng, *, max_degree: int = MAX_DEGREE,
                   max_monomials: int = MAX_MONOMIALS) -> ImplicitModel:
    """The span and the equations of V (see the module docstring); SpecError when the equations
    up to ``max_degree`` (or ``max_monomials`` monomials per degree) do not cut V out locally."""
    m = phi.n_coordinates
    pts = _points(phi, m + 5, rng)
    rref, pivots = rref_q(pts)
    s = len(pivots)
    span = np.array([[rref[i][j] for i in range(s)] for j in range(m)], dtype=object).reshape(m, s)
    for j in range(m):  # f_j = sum_i B_ji f_pivot_i on V, exactly
        if j in pivots:
            continue
        mono = np.array([[j]] + [[p] for p in pivots])
        if not vanishes_on(phi, mono, [Fraction(1)] + [-span[j, i] for i in range(s)]):
            raise SpecError(f"{phi.spec}: the linear span of the image was not found exactly "
                            "(unverified linear relation); try another seed")
    sub = PolynomialMap(phi.spec, phi.n_params, tuple(phi.labels[p] for p in pivots),
                        tuple(phi.polys[p] for p in pivots), tuple(phi.keys[p] for p in pivots))
    codim = s - dim
    forms: list[dict] = []
    degrees: list[int] = []
    # points for the rank check: large random integer parameters, not the interpolation points
    # (in [-30, 30] a weight is 0 with probability 1/61, and Phi(theta) may then be a singular
    # point of V)
    checks = [[y[p] for p in pivots]
              for y in _points(phi, CHECK_POINTS, rng, size=CHECK_SIZE)] if codim else []
    for d in range(2, max_degree + 1):
        if codim == 0 or generic_gradient_rank(forms, checks, codim) == codim:
            break
        combos = list(itertools.combinations_with_replacement(range(s), d))
        if len(combos) > max_monomials:
            break
        exponents = [tuple(c.count(i) for i in range(s)) for c in combos]
        sample = [[y[p] for p in pivots] for y in _points(phi, len(combos) + 10, rng)]
        kernel = nullspace_q(_monomial_rows(sample, exponents))
        found = []
        for vec in kernel:
            mono = np.array(combos, dtype=np.int64)
            if vanishes_on(sub, mono, vec):
                found.append({a: c for a, c in zip(exponents, vec) if c})
            else:
                raise SpecError(f"{phi.spec}: an interpolated equation of degree {d} does not "
                                "vanish on V (too few or special sample points); try another seed")
        if found:
            forms += found
            degrees.append(d)
    if codim and (rank := generic_gradient_rank(forms, checks, codim)) != codim:
        raise SpecError(f"{phi.spec}: equations of degree <= {max_degree} (at most {max_monomials} "
                        f"monomials per degree) do not cut out V locally (their gradients have "
                        f"rank {rank} < codim V = {codim} at {len(checks)} random points of V); "
                        "the implicit method does not apply (use --method param)")
    return ImplicitModel(tuple(pivots), span, tuple(forms), tuple(degrees), codim)


def restricted_metric(model: ImplicitModel, q) -> np.ndarray:
    """Q_s = B^T Q B (exact)."""
    return model.span.T @ q @ model.span


def on_smooth_part(model: ImplicitModel, y, *, rtol: float = 1e-8) -> np.ndarray:
    """G(y) = 0 (all generators, relative to the size of their terms) and rank dG(y) = c
    (numerically: sigma_c > rtol sigma_1): y is a smooth point of V."""
    if not model.codimension or not len(y):
        return np.ones(len(y), dtype=bool)
    forms = PolySystem.from_terms([{a: float(c) for a, c in f.items()} for f in model.forms],
                                  model.n_span)
    values, jac = forms.evaluate(y)
    scale = forms.equation_scales(y)
    small = np.all(np.abs(values) <= 1e-7 * np.maximum(scale, 1e-300), axis=1)
    s = np.linalg.svd(jac, compute_uv=False)
    c = model.codimension
    return small & (s[:, c - 1] > rtol * s[:, 0])


def is_lagrange(system: PolySystem, x, w, *, rtol: float = 1e-8) -> np.ndarray:
    """The Lagrange system holds at x for parameters w (relative to the size of its terms)."""
    if not len(x):
        return np.zeros(0, dtype=bool)
    values = system.evaluate(x, w)[0]
    scale = system.equation_scales(x, w)
    return np.all(np.abs(values) <= rtol * np.maximum(scale, 1e-300), axis=1)


def lagrange_system_for(model: ImplicitModel, q, phi: PolynomialMap, rng):
    """The Lagrange system of |f - u|_Q^2 on V (c random combinations H = R G of the
    equations), a start solution and its parameters: y0 = the pivots of Phi(theta0) for a
    random complex theta0 (the only use of the parameterization), lam0 random,
    w0 = Q_s y0 - dH(y0)^T lam0. Returns (system, w0, start)."""
    from .systems import image_system

    s, c = model.n_span, model.codimension
    combos = []
    for row in random_rational(rng, (c, len(model.forms))) if c else ():
        h: dict = {}
        for coef, form in zip(row, model.forms):
            for a, v in form.items():
                h[a] = h.get(a, Fraction(0)) + coef * v
        combos.append({a: v for a, v in h.items() if v})
    system = lagrange_system(combos, restricted_metric(model, q))
    theta0 = (rng.standard_normal(phi.n_params) + 1j * rng.standard_normal(phi.n_params)) / np.sqrt(2)
    y0 = image_system(phi).evaluate(theta0[None])[0][0][list(model.pivots)]
    lam0 = (rng.standard_normal(c) + 1j * rng.standard_normal(c)) / np.sqrt(2)
    x0 = np.concatenate([y0, lam0])
    # with w = 0 the Lagrange block evaluates to Q_s y0 - dH(y0)^T lam0 = w0
    w0 = system.evaluate(x0[None], np.zeros(s))[0][0][:s]
    return system, w0, x0[None]
