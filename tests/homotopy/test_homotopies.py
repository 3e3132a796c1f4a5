"""Homotopies against direct evaluation of their start and target systems."""

import numpy as np
import pytest

from neuroalg.homotopy import PolySystem, cyclic
from neuroalg.homotopy.homotopies import ParameterHomotopy, StraightLine
from neuroalg.homotopy.polynomial import start_system


def test_homotopies_match_direct_evaluation():
    rng = np.random.default_rng(0)
    target = cyclic(5)
    start, _ = start_system(target.degrees)
    hom = StraightLine(start, target, 0.3 + 0.4j)
    x = rng.standard_normal((6, 5)) + 1j * rng.standard_normal((6, 5))
    t = rng.random(6) + 0j
    v, j, dt = hom.evaluate(x, t)
    g, gx = start.evaluate(x)
    f, fx = target.evaluate(x)
    a = ((1 - t) * hom.gamma)[:, None]
    np.testing.assert_allclose(v, a * g + t[:, None] * f, atol=1e-12)
    np.testing.assert_allclose(j, a[:, :, None] * gx + t[:, None, None] * fx, atol=1e-12)
    np.testing.assert_allclose(dt, f - hom.gamma * g, atol=1e-12)
    system = PolySystem.from_terms([{(2, 0): [1, 2], (0, 1): [0, 0, 1]}, {(1, 1): [1, 1, 1]}], 2,
                                   n_params=2)
    p0, p1 = np.array([0.5, 1j]), np.array([-1.0, 2.0])
    ph = ParameterHomotopy(system, p0, p1)
    v, j, dt = ph.evaluate(x[:, :2], t)
    p = (1 - t)[:, None] * p0 + t[:, None] * p1
    want_v, want_j, want_dt = system.evaluate(x[:, :2], p, p1 - p0)
    np.testing.assert_allclose(v, want_v, atol=1e-12)
    np.testing.assert_allclose(j, want_j, atol=1e-12)
    np.testing.assert_allclose(dt, want_dt, atol=1e-12)

def test_straight_line_refuses_mismatched_systems():
    start, _ = start_system([2, 2])
    with pytest.raises(ValueError, match="differ in shape"):
        StraightLine(start, cyclic(3), 1.0)
    with_params = PolySystem.from_terms([{(1, 0): [1.0, 1.0]}, {(0, 1): 1.0}], 2, n_params=1)
    with pytest.raises(ValueError, match="fix the parameters"):
        StraightLine(start, with_params, 1.0)
