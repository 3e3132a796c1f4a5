"""katsura-n and cyclic-n: shapes, degrees and solutions known in closed form."""

import numpy as np
import pytest

from neuroalg.homotopy.examples import KNOWN_ROOT_COUNTS, cyclic, katsura


@pytest.mark.parametrize("n", [1, 2, 5])
def test_katsura_shape_and_the_solution_e0(n):
    system = katsura(n)
    assert system.n_vars == system.n_eqs == n + 1 and system.is_square
    assert system.degrees.tolist() == [1] + [2] * n and system.bezout_number == 2**n
    assert KNOWN_ROOT_COUNTS["katsura", n] == 2**n
    e0 = np.zeros(n + 1)
    e0[0] = 1.0  # u0 = 1, u_i = 0: u0^2 = u0 and every other equation is a multiple of some u_i
    assert np.abs(system(e0)).max() == 0
    assert system.names[0] == "u0"


@pytest.mark.parametrize("n", [3, 5, 7])
def test_cyclic_roots_of_unity_are_a_solution(n):
    # z_i = w^i (w = exp(2 pi i / n)): sum_i prod_{j<k} z_{i+j} = w^(k(k-1)/2) sum_i w^(ik) = 0
    # for 0 < k < n, and z_1 ... z_n = w^(n(n-1)/2) = 1 for odd n
    system = cyclic(n)
    assert system.degrees.tolist() == list(range(1, n)) + [n]
    w = np.exp(2j * np.pi * np.arange(n) / n)
    assert np.abs(system(w)).max() < 1e-12
    assert np.abs(system(w * np.exp(2j * np.pi / n))).max() < 1e-12  # rotating keeps it a root
    assert np.abs(system(np.ones(n))).max() > 1  # and not everything is a root
