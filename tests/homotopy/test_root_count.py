"""Root bounds: multi-homogeneous Bezout numbers against polynomial expansion, the partition
search against brute force, and the start-system choice."""


import numpy as np
import pytest
import sympy

from neuroalg.homotopy import PolySystem, cyclic, katsura, solve
from neuroalg.homotopy.mixed_volume import mixed_volume
from neuroalg.homotopy.polyhedral import supports
from neuroalg.homotopy.root_count import (
    best_partition,
    degree_matrix,
    generic_zero_at_infinity,
    multihomogeneous_bezout,
    root_count,
)


def _expanded_bezout(system, groups):
    """The coefficient of prod_j z_j^|G_j| in prod_i sum_j d_ij z_j, by sympy expansion."""
    z = sympy.symbols(f"z0:{len(groups)}")
    d = degree_matrix(system, groups)
    poly = sympy.expand(sympy.Mul(*[sum(int(d[i, j]) * z[j] for j in range(len(groups)))
                                    for i in range(system.n_eqs)]))
    return int(sympy.Poly(poly, *z).coeff_monomial(sympy.Mul(*[z[j] ** len(g) for j, g in enumerate(groups)])))


def _set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _set_partitions(rest):
        for i in range(len(part)):
            yield part[:i] + [[first] + part[i]] + part[i + 1:]
        yield [[first]] + part


def test_degree_matrix_by_hand():
    x, y, z = sympy.symbols("x y z")
    system = PolySystem.from_sympy([x**2 * y + z, y**3 * z**2 - x, x * y * z - 1], [x, y, z])
    assert degree_matrix(system, [(0,), (1, 2)]).tolist() == [[2, 1], [1, 5], [1, 2]]


@pytest.mark.parametrize("seed", range(4))
def test_multihomogeneous_bezout_matches_expansion(seed, system_named):
    system = system_named(f"sparse{seed}")
    for groups in [[(0, 1, 2)], [(0,), (1, 2)], [(0, 2), (1,)], [(0,), (1,), (2,)]]:
        assert multihomogeneous_bezout(system, groups) == _expanded_bezout(system, groups)
    assert multihomogeneous_bezout(system, [(0, 1, 2)]) == system.bezout_number


@pytest.mark.parametrize("name", ["katsura3", "cyclic4", "sparse1"])
def test_best_partition_between_brute_force_bounds(name, system_named):
    system = system_named(name)
    n = system.n_vars
    everything = {tuple(map(tuple, p)): multihomogeneous_bezout(system, p)
                  for p in _set_partitions(list(range(n)))}
    two = [v for p, v in everything.items() if len(p) <= 2]
    groups, number = best_partition(system)
    assert min(everything.values()) <= number <= min(two)  # every 2-split is tried, then moves
    assert multihomogeneous_bezout(system, groups) == number
    assert sorted(v for g in groups for v in g) == list(range(n))


def test_eigenvalue_system_uses_the_multihomogeneous_count():
    # (A - lambda I) x = 0, c . x = 1: n eigenpairs; Bezout 2^n, 2-homogeneous {x}, {lambda}: n
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 3))
    c = rng.standard_normal(3)
    eqs = []
    for i in range(3):
        terms = {tuple(int(j == k) for k in range(3)) + (0,): a[i, j] for j in range(3)}
        unit = tuple(int(i == k) for k in range(3))
        terms[unit + (0,)] = terms.get(unit + (0,), 0) + 0
        terms[unit + (1,)] = -1.0
        eqs.append(terms)
    eqs.append({**{tuple(int(j == k) for k in range(3)) + (0,): c[j] for j in range(3)},
                (0, 0, 0, 0): -1.0})
    system = PolySystem.from_terms(eqs, 4)
    assert multihomogeneous_bezout(system, [(0, 1, 2), (3,)]) == 3
    groups, number = best_partition(system)
    assert number == 3 and sorted(map(sorted, groups)) == [[0, 1, 2], [3]]
    res = solve(system, seed=2)
    assert res.method == "multihomogeneous homotopy" and res.n_paths == 3
    assert res.details["bezout_number"] == 8
    np.testing.assert_allclose(np.sort_complex(res.solutions[:, 3]),
                               np.sort_complex(np.linalg.eigvals(a)), atol=1e-9)


def test_root_count_choices_and_the_infinity_shortcut():
    rng = np.random.default_rng(0)
    kat = root_count(katsura(4), rng)
    assert kat.method == "total-degree" and kat.mixed_volume == kat.bezout == 16
    assert "Monte Carlo" in kat.mixed_volume_note and kat.subdivision is None
    cyc = root_count(cyclic(5), rng)
    assert cyc.method == "polyhedral" and cyc.mixed_volume == 70 and cyc.torus
    assert cyc.to_dict()["root_bound"] == 70
    forced = root_count(katsura(3), rng, method="polyhedral")
    assert forced.method == "polyhedral" and forced.mixed_volume == 8  # by enumeration


@pytest.mark.parametrize("name", ["katsura3", "katsura4", "cyclic4", "cyclic5", "sparse3"])
def test_zero_at_infinity_test_agrees_with_enumeration(name, system_named):
    system = system_named(name)
    # no generic zero at infinity <=> MV(supports + origin) equals the Bezout number
    at_infinity = generic_zero_at_infinity(system, np.random.default_rng(1))
    mv = mixed_volume(supports(system, origin=True), seed=2)
    assert at_infinity == (mv < system.bezout_number)


def test_mixed_volume_budget_falls_back_and_says_so():
    counts = root_count(cyclic(5), np.random.default_rng(0), max_lps=10)
    assert counts.mixed_volume is None and "not computed" in counts.mixed_volume_note
    assert counts.method == "total-degree"
