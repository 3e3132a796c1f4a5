"""The elimination's small steps, one contract with two implementations: numpy
(``linalg/kernels.py``) and numba (``linalg/compiled.py``, the ``fast`` extra), each checked
against Python integers and FLINT."""

import importlib
import importlib.util

import flint
import numpy as np
import pytest

HAS_NUMBA = importlib.util.find_spec("numba") is not None
MODULES = ["neuroalg.linalg.kernels",
           pytest.param("neuroalg.linalg.compiled",
                        marks=pytest.mark.skipif(not HAS_NUMBA, reason="numba absent"))]
PRIMES = [7, 1048573, 2147483647]


@pytest.fixture(params=MODULES)
def k(request):
    return importlib.import_module(request.param)


def _ints(rng, shape, high):
    return rng.integers(0, high, shape).astype(np.float64)


@pytest.mark.parametrize("p", PRIMES)
def test_products_reduced_mod_p(k, p):
    rng = np.random.default_rng(p)
    s = _ints(rng, (5, 7), p)
    prod = _ints(rng, (5, 7), min(2**53 - p, 2**50))
    want_sub = (s.astype(object) - prod.astype(object)) % p
    want_store = prod.astype(object) % p
    k.sub_product(s, prod.copy(), p)
    assert (s.astype(object) == want_sub).all()
    t = np.zeros((5, 7))
    k.store_product(t, prod.copy(), p)
    assert (t.astype(object) == want_store).all()


def test_permute_rows(k):
    rng = np.random.default_rng(0)
    a = _ints(rng, (9, 5000), 100)  # wider than one column chunk
    perm = rng.permutation(9)
    want = a[perm].copy()
    k.permute_rows(a, perm)
    assert (a == want).all()


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize("m, n, r", [(20, 8, 8), (20, 8, 5), (6, 8, 6), (12, 8, 0), (15, 3, 2)])
def test_pluq_base_factors_the_block(k, p, m, n, r):
    rng = np.random.default_rng(m * n + r)
    a = (_ints(rng, (m, r), p).astype(object) @ _ints(rng, (r, n), p).astype(object)) % p
    a = a.astype(np.float64) if r else np.zeros((m, n))
    original = a.copy()
    perm, rank = k.pluq_base(a, p)
    want = flint.nmod_mat(m, n, [int(v) for v in original.ravel()], p).rank()
    assert rank == want
    # L (unit lower, m x rank) times U (upper, rank x rank) are the pivot columns of P A
    lu = a[:, :rank].astype(np.int64).astype(object)
    lower = np.array([[lu[i, j] if i > j else int(i == j) for j in range(rank)] for i in range(m)],
                     dtype=object).reshape(m, rank)
    upper = np.array([[lu[i, j] if i <= j else 0 for j in range(rank)] for i in range(rank)],
                     dtype=object).reshape(rank, rank)
    product = (lower @ upper) % p if rank else np.zeros((m, 0), dtype=object)
    rows = original[perm].astype(np.int64).astype(object)
    used = set()
    for c in range(rank):
        match = [j for j in range(n) if j not in used and (rows[:, j] == product[:, c]).all()]
        assert match, f"column {c} of L U is no column of P A"
        used.add(match[0])


@pytest.mark.parametrize("p", PRIMES)
def test_inverse_of_the_unit_lower_part(k, p):
    rng = np.random.default_rng(1)
    l = _ints(rng, (9, 9), p)
    inv = k.inv_unit_lower(l, p).astype(np.int64).astype(object)
    unit = np.tril(l.astype(np.int64), -1).astype(object) + np.eye(9, dtype=np.int64).astype(object)
    assert ((inv @ unit) % p == np.eye(9, dtype=np.int64)).all()
