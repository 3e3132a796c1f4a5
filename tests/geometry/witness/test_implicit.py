"""The implicit method's model of V: the span and verified equations, and the rank check that
decides whether they cut out V (mlp 3,2,1 x^2: V = the 3 x 3 symmetric matrices of rank <= 2,
the hypersurface det = 0 in the 6 coefficients of a ternary quadric)."""

import itertools
from fractions import Fraction

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.geometry.witness.implicit import _gradient_rank, generic_gradient_rank, implicit_model
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec

SPEC = "mlp 3,2,1 x^2"  # f = a1 (w1.x)^2 + a2 (w2.x)^2; weights 0-5 incoming, 6-7 outgoing


def _entry(keys, i, j):
    """The coordinate holding x_i x_j and the factor of the symmetric matrix entry M_ij."""
    exps = [0, 0, 0]
    exps[i] += 1
    exps[j] += 1
    col = [e for _, e in keys].index(tuple(exps))
    return col, Fraction(1) if i == j else Fraction(1, 2)


def _determinant(keys) -> dict:
    """det M as a polynomial in the coefficients (exponent tuples), written out by the Leibniz
    formula: the equation of V, independent of any interpolation."""
    out: dict = {}
    for perm in itertools.permutations(range(3)):
        sign = (-1) ** sum(a > b for a, b in itertools.combinations(perm, 2))
        exps = [0] * len(keys)
        coef = Fraction(sign)
        for i, j in enumerate(perm):
            col, factor = _entry(keys, i, j)
            exps[col] += 1
            coef *= factor
        out[tuple(exps)] = out.get(tuple(exps), Fraction(0)) + coef
    return {a: c for a, c in out.items() if c}


def _image(phi, theta) -> list[Fraction]:
    """Phi(theta) exactly, from the expanded polynomials."""
    out = []
    for poly in phi.polys:
        total = Fraction(0)
        for a, c in poly.items():
            term = c
            for t, e in zip(theta, a):
                term *= Fraction(t) ** e
            total += term
        out.append(total)
    return out


def test_one_point_of_the_singular_locus_does_not_decide_the_rank():
    """With an outgoing weight 0, Phi(theta) = a1 (w1.x)^2 is a rank-1 quadric, a singular
    point of det = 0: the gradient of det (its 2 x 2 minors) vanishes there. The rank check
    takes the largest rank over several points, and one generic point gives codim V = 1."""
    phi = expand(parse_spec(SPEC))
    det = _determinant(phi.keys)
    assert len(det) == 5  # ac f + b d e / 4 - ... : the five terms of a symmetric determinant
    zero_weight = _image(phi, [-6, -11, 28, -12, 2, 7, 0, -3])  # the audit's seed-1037 point
    generic = _image(phi, [3, -1, 4, 1, -5, 9, 2, 6])
    assert _determinant_value(det, zero_weight) == _determinant_value(det, generic) == 0  # on V
    assert _gradient_rank([det], zero_weight) == 0
    assert _gradient_rank([det], generic) == 1
    assert generic_gradient_rank([det], [zero_weight], 1) == 0
    assert generic_gradient_rank([det], [zero_weight, generic], 1) == 1
    assert generic_gradient_rank([], [generic], 1) == 0


def _determinant_value(det, point) -> Fraction:
    total = Fraction(0)
    for a, c in det.items():
        term = c
        for y, e in zip(point, a):
            term *= y**e
        total += term
    return total


@pytest.mark.parametrize("seed", [1037, 2])
def test_the_equation_of_the_symmetric_determinantal_hypersurface(seed):
    """Seed 1037 draws a first interpolation point with an outgoing weight 0 (a singular point
    of V); the rank check there rejected the determinant before the fix ('do not cut out V
    locally'). The model must be one cubic, proportional to the determinant written out by
    hand, on the whole 6-dimensional span (V spans the quadrics)."""
    phi = expand(parse_spec(SPEC))
    model = implicit_model(phi, 5, np.random.default_rng(seed))
    assert model.n_span == 6 and model.codimension == 1 and model.degrees == (3,)
    (form,) = model.forms
    # pivots are the coordinates (the span is everything): compare in the original order
    order = list(model.pivots)
    det = _determinant(phi.keys)
    mapped = {tuple(a[order.index(j)] for j in range(6)): c for a, c in form.items()}
    assert set(mapped) == set(det)
    ratios = {mapped[a] / det[a] for a in det}
    assert len(ratios) == 1


def test_too_low_a_degree_does_not_cut_out_v():
    """Quadrics do not vanish on V (det is the only equation up to degree 3): with degrees <= 2
    the check finds gradient rank 0 < 1 and refuses the method."""
    phi = expand(parse_spec(SPEC))
    with pytest.raises(SpecError, match=r"do not cut out V locally \(their gradients have rank 0 < "
                                        r"codim V = 1"):
        implicit_model(phi, 5, np.random.default_rng(0), max_degree=2)
