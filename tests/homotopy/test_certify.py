"""Krawczyk certification against closed-form roots: it proves true roots and rejects others."""

import numpy as np
import pytest

from neuroalg.homotopy.certify import krawczyk, krawczyk_certify
from neuroalg.homotopy.polynomial import PolySystem


def univariate(coeffs) -> PolySystem:
    """sum_k coeffs[k] x^(d - k) (numpy.roots order)."""
    d = len(coeffs) - 1
    return PolySystem.from_terms([{(d - k,): c for k, c in enumerate(coeffs) if c != 0}], 1)


def closed_form_system():
    """x^2 = 2, y^3 = x: the six solutions (+-sqrt 2, cube roots of x)."""
    system = PolySystem.from_terms([{(2, 0): 1.0, (0, 0): -2.0}, {(0, 3): 1.0, (1, 0): -1.0}], 2)
    sols = [(x, x ** (1 / 3) * np.exp(2j * np.pi * k / 3))
            for x in (np.sqrt(2) + 0j, -np.sqrt(2) + 0j) for k in range(3)]
    return system, np.array(sols)


def test_roots_from_numpy_are_certified():
    rng = np.random.default_rng(0)
    coeffs = rng.standard_normal(7) + 1j * rng.standard_normal(7)
    roots = np.roots(coeffs)
    cert = krawczyk_certify(univariate(coeffs), roots[:, None])
    assert cert.n_certified == 6 and cert.is_certified.all()
    assert (cert.radii > 0).all()


def test_closed_form_solutions_are_certified_and_perturbed_ones_rejected():
    system, sols = closed_form_system()
    assert krawczyk_certify(system, sols).n_certified == 6
    for point in sols:
        assert krawczyk(system, point, radius=1e-9)
        assert not krawczyk(system, point + 1e-3, radius=1e-9)  # no zero in that box
        assert not krawczyk(system, point + np.array([0.0, 0.3]), radius=1e-2)


def test_repeated_points_are_not_distinct():
    system, sols = closed_form_system()
    doubled = np.vstack([sols[:1], sols[:1], sols[1:2]])
    assert krawczyk_certify(system, doubled).is_certified.tolist() == [False, False, True]


def test_a_double_root_is_never_certified():
    # (x - 1)^2 (x + 2): Krawczyk proves only nonsingular zeros
    system = univariate(np.poly([1.0, 1.0, -2.0]))
    cert = krawczyk_certify(system, np.array([[1.0], [-2.0]]))
    assert cert.is_certified.tolist() == [False, True]


def test_a_close_pair_needs_and_gets_212_bit_arithmetic():
    coeffs = np.poly([1.0, 1.0 + 1e-8, -2.0])
    system = univariate(coeffs)
    roots = np.sort(np.roots(coeffs).real)[1:]  # the two close ones (of the stored system)
    assert not any(krawczyk(system, [r], radius=1e-9) for r in roots)  # double precision fails
    assert all(krawczyk(system, [r], radius=1e-30, prec=212) for r in roots)
    assert krawczyk_certify(system, roots[:, None]).n_certified == 2


def test_empty_input_and_free_parameters():
    system, _ = closed_form_system()
    assert krawczyk_certify(system, np.zeros((0, 2))).n_certified == 0
    with_params = PolySystem.from_terms([{(1,): 1.0, (0,): [0.0, 1.0]}], 1, n_params=1)
    with pytest.raises(ValueError, match="fix the parameters"):
        krawczyk_certify(with_params, np.array([[1.0]]))
