"""The criss-cross feasibility tableau against scipy's linprog (HiGHS)."""

import numpy as np
from scipy.optimize import linprog

from neuroalg.homotopy.feasibility import FIXED, NONNEG, Tableau


def test_tableau_feasibility_matches_linprog():
    rng = np.random.default_rng(0)
    for _ in range(150):
        n, m, k = int(rng.integers(2, 6)), int(rng.integers(1, 20)), int(rng.integers(0, 3))
        a = rng.integers(-3, 4, (m + k, n)).astype(float)
        b = rng.integers(-5, 6, m + k).astype(float)
        kinds = np.array([NONNEG] * m + [FIXED] * k, dtype=np.int8)
        tab = Tableau(n)
        tab.add(a[: m // 2], b[: m // 2], kinds[: m // 2])  # two blocks: a warm start
        tab.feasible()
        tab.add(a[m // 2:], b[m // 2:], kinds[m // 2:])
        ok = tab.feasible()
        ref = linprog(np.zeros(n), A_ub=a[:m], b_ub=b[:m], A_eq=a[m:] if k else None,
                      b_eq=b[m:] if k else None, bounds=(None, None), method="highs")
        assert ok == (ref.status == 0)
        if ok:
            x = tab.point()
            assert np.all(a[:m] @ x <= b[:m] + 1e-7) and np.allclose(a[m:] @ x, b[m:])

def test_copies_are_independent_warm_starts():
    tab = Tableau(2)
    tab.add(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 1.0]), np.array([NONNEG, NONNEG], dtype=np.int8))
    assert tab.feasible()
    child = tab.copy()
    child.add(np.array([[-1.0, -1.0]]), np.array([-3.0]), np.array([NONNEG], dtype=np.int8))  # a + b >= 3
    assert not child.feasible()  # a, b <= 1
    assert tab.feasible()  # the parent is untouched
    other = tab.copy()
    other.add(np.array([[1.0, 1.0]]), np.array([1.5]), np.array([FIXED], dtype=np.int8))
    assert other.feasible()
    x = other.point()
    assert abs(x.sum() - 1.5) < 1e-9 and (x <= 1 + 1e-9).all()
