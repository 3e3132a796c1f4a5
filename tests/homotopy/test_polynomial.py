"""PolySystem: evaluation against sympy, homogenization, start systems, equation scales."""

import itertools

import numpy as np
import pytest
import sympy

from neuroalg.errors import SpecError
from neuroalg.homotopy.polynomial import PolySystem, start_system


def test_evaluation_matches_sympy_derivatives():
    x, y, p = sympy.symbols("x y p")
    exprs = [x**3 * y - 2 * p * x + 1, (3 + p) * y**2 - x * y + p]
    system = PolySystem.from_sympy(exprs, [x, y], [p])
    rng = np.random.default_rng(0)
    pts = rng.standard_normal((4, 2)) + 1j * rng.standard_normal((4, 2))
    par = rng.standard_normal((4, 1)) + 0j
    values, jac, dp = system.evaluate(pts, par, np.array([1.0]))
    for b in range(4):
        subs = {x: pts[b, 0], y: pts[b, 1], p: par[b, 0]}
        want = [complex(e.subs(subs)) for e in exprs]
        np.testing.assert_allclose(values[b], want, rtol=1e-12)
        want_j = [[complex(sympy.diff(e, v).subs(subs)) for v in (x, y)] for e in exprs]
        np.testing.assert_allclose(jac[b], want_j, rtol=1e-12)
        np.testing.assert_allclose(dp[b], [complex(sympy.diff(e, p).subs(subs)) for e in exprs],
                                   rtol=1e-12)


def test_shape_degrees_and_bezout_number():
    x, y, z = sympy.symbols("x y z")
    system = PolySystem.from_sympy([x**2 * y + z, y**4 - 1, x * y * z], [x, y, z])
    assert (system.n_eqs, system.n_vars, system.n_params, system.n_terms) == (3, 3, 0, 5)
    assert system.degrees.tolist() == [3, 4, 3] and system.bezout_number == 36
    assert system.is_square and system.names == ("x", "y", "z")
    assert "3 equations in 3 unknowns" in str(system) and "degrees [3, 4, 3]" in str(system)


def test_affine_parameters_are_enforced():
    x, p = sympy.symbols("x p")
    with pytest.raises(SpecError, match="not affine in the parameter p"):
        PolySystem.from_sympy([p**2 * x - 1], [x], [p])


@pytest.mark.parametrize("build, match", [
    (lambda: PolySystem.from_terms([{(1, 0, 0): 1.0}], 2), "does not have 2 entries"),
    (lambda: PolySystem(np.array([[-1]]), np.array([0]), np.ones((1, 1)), 1), "non-negative"),
    (lambda: PolySystem(np.array([[1]]), np.array([1]), np.ones((1, 1)), 1), "equation index"),
    (lambda: PolySystem(np.array([1, 2]), np.array([0, 0]), np.ones((2, 1)), 1), "matrix"),
])
def test_malformed_systems_are_refused(build, match):
    with pytest.raises(SpecError, match=match):
        build()


def test_with_parameters_fixes_the_coefficients():
    # coefficient c0 + c1 p: x^2 + (1 + 2p) x - p
    system = PolySystem.from_terms([{(2,): 1.0, (1,): [1.0, 2.0], (0,): [0.0, -1.0]}], 1,
                                   n_params=1)
    fixed = system.with_parameters([3.0])
    assert fixed.n_params == 0
    xs = np.array([[0.5], [-2.0 + 1j]])
    np.testing.assert_allclose(fixed(xs)[:, 0], xs[:, 0] ** 2 + 7 * xs[:, 0] - 3, rtol=1e-14)
    np.testing.assert_allclose(fixed(xs), system(xs, np.array([3.0])), rtol=1e-14)


def test_homogenization_is_homogeneous_and_keeps_the_solutions():
    # (x - 1)(y + 2) = 0, x + y = 3 has the solutions (1, 2) and (5, -2)
    system = PolySystem.from_terms([{(1, 1): 1.0, (1, 0): 2.0, (0, 1): -1.0, (0, 0): -2.0},
                                    {(1, 0): 1.0, (0, 1): 1.0, (0, 0): -3.0}], 2)
    rng = np.random.default_rng(1)
    patch = rng.standard_normal(3) + 1j * rng.standard_normal(3)
    hom = system.homogenize(patch, degrees=[3, 1])
    assert hom.n_vars == 3 and hom.n_eqs == 3 and hom.names[0] == "x0"
    for sol in ([1.0, 2.0], [5.0, -2.0]):
        z = np.array([1.0, *sol])
        z = z / (patch @ z)  # on the patch
        assert np.abs(hom(z)).max() < 1e-12
    z = rng.standard_normal(3) + 0j
    lam = 0.7 - 1.3j
    scaled, base = hom(lam * z)[0], hom(z)[0]
    np.testing.assert_allclose(scaled[:2], [lam**3 * base[0], lam * base[1]], rtol=1e-12)
    with pytest.raises(ValueError, match="at least the total degrees"):
        system.homogenize(patch, degrees=[1, 1])


def test_equation_scales_closed_form():
    system = PolySystem.from_terms([{(2, 0): 3.0, (0, 1): -1j, (0, 0): 0.5},
                                    {(1, 1): 2.0 - 2.0j}], 2)
    x = np.array([[0.5 + 2j, -1.0], [0.1, 0.2]])
    size = np.abs(x).max(axis=1)
    want = np.stack([3 * size**2 + size + 0.5, abs(2 - 2j) * size**2], axis=1)
    np.testing.assert_allclose(system.equation_scales(x), want, rtol=1e-14)


@pytest.mark.parametrize("degrees", [(1,), (3,), (2, 3), (2, 1, 2)])
def test_start_system_roots(degrees):
    system, roots = start_system(degrees)
    assert len(roots) == int(np.prod(degrees)) == system.bezout_number
    np.testing.assert_allclose(roots ** np.array(degrees), 1.0, atol=1e-12)
    assert np.abs(system(roots)).max() < 1e-12
    # distinct: every tuple of d_i-th roots of unity occurs once
    want = set(itertools.product(*[range(d) for d in degrees]))
    got = {tuple(int(round(np.angle(r) / (2 * np.pi) * d)) % d for r, d in zip(row, degrees))
           for row in roots}
    assert got == want
