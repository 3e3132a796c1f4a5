"""TermPlan against PolySystem.evaluate (an independent evaluator) and direct powers."""

import numpy as np

from neuroalg.homotopy.polynomial import PolySystem
from neuroalg.homotopy.terms import TermPlan


def _random_system(rng, n=3, n_eqs=3, terms=6, top=4):
    eqs = []
    for _ in range(n_eqs):
        eqs.append({tuple(int(v) for v in rng.integers(0, top, n)): complex(*rng.standard_normal(2))
                    for _ in range(terms)})
    return PolySystem.from_terms(eqs, n)


def test_monomials_are_products_of_powers():
    rng = np.random.default_rng(0)
    system = _random_system(rng)
    plan = TermPlan(system.exponents, system.equation, system.n_eqs)
    x = rng.standard_normal((5, 3)) + 1j * rng.standard_normal((5, 3))
    mono = plan.monomials(x).copy()
    # every term's monomial appears among them, with the value x^a
    for a in system.exponents:
        want = np.prod(x ** a, axis=1)
        assert np.min(np.abs(mono - want[None, :]).max(axis=1)) < 1e-12


def test_fixed_coefficients_match_polysystem():
    rng = np.random.default_rng(1)
    system = _random_system(rng)
    plan = TermPlan(system.exponents, system.equation, system.n_eqs)
    x = rng.standard_normal((7, 3)) + 1j * rng.standard_normal((7, 3))
    values, jac = plan.split(plan.matrix(system.coefficients[:, 0]) @ plan.monomials(x), len(x))
    want_v, want_j = system.evaluate(x)
    np.testing.assert_allclose(values, want_v, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(jac, want_j, rtol=1e-12, atol=1e-12)


def test_per_path_coefficients_match_one_system_per_path():
    rng = np.random.default_rng(2)
    base = _random_system(rng)
    plan = TermPlan(base.exponents, base.equation, base.n_eqs)
    batch = 4
    coef = rng.standard_normal((base.n_terms, batch)) + 1j * rng.standard_normal((base.n_terms, batch))
    dcoef = rng.standard_normal((base.n_terms, batch)) + 0j
    x = rng.standard_normal((batch, 3)) + 1j * rng.standard_normal((batch, 3))
    values, jac, dvalues = plan.per_path(x, coef, dcoef)
    for b in range(batch):
        one = PolySystem(base.exponents, base.equation, coef[:, b:b + 1], base.n_eqs)
        v, j = one.evaluate(x[b:b + 1])
        np.testing.assert_allclose(values[b], v[0], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(jac[b], j[0], rtol=1e-12, atol=1e-12)
        d = PolySystem(base.exponents, base.equation, dcoef[:, b:b + 1], base.n_eqs)
        np.testing.assert_allclose(dvalues[b], d(x[b])[0], rtol=1e-12, atol=1e-12)


def test_work_arrays_are_reused_across_batch_sizes():
    rng = np.random.default_rng(3)
    system = _random_system(rng)
    plan = TermPlan(system.exponents, system.equation, system.n_eqs)
    big = rng.standard_normal((9, 3)) + 0j
    plan.monomials(big)
    buffer = plan._flat
    small = big[:2]
    values, _ = plan.split(plan.matrix(system.coefficients[:, 0]) @ plan.monomials(small), 2)
    assert plan._flat is buffer  # no new allocation for a smaller batch
    np.testing.assert_allclose(values, system(small), rtol=1e-12, atol=1e-12)
