import importlib.util

import flint
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroalg.fields import GF, matmul_mod
from neuroalg.linalg import numerical_rank, rank_lower_bound_mod, rank_mod

HAS_NUMBA = importlib.util.find_spec("numba") is not None
#: both implementations of the elimination's small steps: numpy, and numba when installed
KERNELS = [False, pytest.param(True, marks=pytest.mark.skipif(not HAS_NUMBA, reason="numba absent"))]
#: primes exercising every arithmetic path: tiny, one float64 limb with delayed reduction in the
#: compiled base case (21 and 24 bits), float products reduced per update (26 bits), int64 (31 bits)
PRIMES = [5, 1048573, 16777213, 67108859, 2147483647]


def _low_rank(rng, m, n, r, p):
    return matmul_mod(rng.integers(0, p, (m, r)), rng.integers(0, p, (r, n)), p)


def _flint_rank(a, p):
    return flint.nmod_mat(a.shape[0], a.shape[1], a.astype(np.int64).ravel().tolist(), p).rank()


@pytest.mark.parametrize("compiled", KERNELS)
@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize("m, n, r", [(10, 10, 10), (30, 50, 17), (100, 80, 40), (130, 120, 119),
                                     (400, 200, 190), (64, 64, 0), (70, 600, 69)])
def test_blas_rank_matches_flint(p, m, n, r, compiled):
    rng = np.random.default_rng(m * n + r)
    a = _low_rank(rng, m, n, r, p) if r else np.zeros((m, n), dtype=np.int64)
    want = _flint_rank(a, p)
    assert rank_mod(a, p, method="blas", compiled=compiled) == want == rank_mod(a, p)
    assert want <= r


@pytest.mark.parametrize("compiled", KERNELS)
@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 40), st.integers(0, 2**32),
       st.sampled_from([2, 3, 7, 65537, 16777213, 2147483647]))
@settings(max_examples=60, deadline=None)
def test_rank_property(compiled, m, n, r, seed, p):
    """Structured matrices (repeated rows/columns, zero blocks) against FLINT."""
    rng = np.random.default_rng(seed)
    r = min(r, m, n)
    a = _low_rank(rng, m, n, r, p) if r else np.zeros((m, n), dtype=np.int64)
    if m > 2:
        a[rng.integers(0, m)] = a[0]
    if n > 3:
        a[:, rng.integers(0, n)] = 0
    assert rank_mod(a, p, method="blas", compiled=compiled) == _flint_rank(a, p)


@pytest.mark.skipif(not HAS_NUMBA, reason="numba absent")
@pytest.mark.parametrize("spec", ["mlp 4,12,12,10,1 x^2", "mlp 3,8,8,8 x^3", "mlp 4,9,9,3 x^2+x"])
def test_kernels_agree_on_jacobians(spec):
    """Sketched Jacobians of defective and non-defective networks (dependent rows and columns
    scattered through the matrix): numpy and numba kernels and FLINT give one rank."""
    from neuroalg import parse_spec
    from neuroalg.geometry.jacobian import sketched_jacobian

    arch, f = parse_spec(spec), GF(1048573)
    rng = np.random.default_rng(7)
    jac = sketched_jacobian(arch, arch.random_params(rng, f), arch.n_params + 5, f, rng)
    ranks = {rank_mod(jac, f.p, method="blas", compiled=c) for c in (False, True)}
    assert ranks == {_flint_rank(jac, f.p)}


def test_rank_of_known_matrix():
    # Vandermonde 5x5 on distinct nodes mod 101 has rank 5; repeating a node drops it to 4.
    p = 101
    nodes = np.array([1, 2, 3, 4, 5])
    v = np.vander(nodes, 5, increasing=True) % p
    assert rank_mod(v, p, method="blas") == 5
    v[4] = v[3]
    assert rank_mod(v, p, method="blas") == 4


def test_compiled_requires_numba_or_says_how(monkeypatch):
    if HAS_NUMBA:
        pytest.skip("numba installed")
    from neuroalg.errors import SpecError

    with pytest.raises(SpecError, match=r"neuroalg\[fast\]"):
        rank_mod(np.eye(3, dtype=np.int64), 7, method="blas", compiled=True)


@pytest.mark.parametrize("p", [1048573, 2147483647])
@pytest.mark.parametrize("r", [0, 1, 37, 60])
def test_rank_lower_bound_of_tall_sparse(p, r):
    """Tall sparse matrices of known rank r (r independent sparse columns, the others repeat
    them): the compressed rank is a lower bound, and here equal (it fails with probability
    below p^-2)."""
    rng = np.random.default_rng(r)
    m, n = 2000, 60
    a = np.zeros((m, n), dtype=np.int64)
    for j in range(r):  # column j: 30 random entries, disjoint supports -> independent
        rows = rng.choice(np.arange(j * 30, (j + 1) * 30), 30, replace=False)
        a[rows, j] = rng.integers(1, p, 30)
    a[:, r:] = a[:, : max(r, 1)][:, rng.integers(0, max(r, 1), n - r)] if r else 0
    a[:, 0] += (a[:, 1] * 3 % p) if r > 1 else 0  # still rank r: column 0 mixes column 1 in
    a %= p
    assert rank_lower_bound_mod(a, p, np.random.default_rng(0)) == _flint_rank(a, p) == r


def test_rank_lower_bound_never_exceeds_rank():
    """A dense tall matrix and a heavy column (the limb split of the sparse products)."""
    p = 2147483647
    rng = np.random.default_rng(1)
    a = np.zeros((3000, 40), dtype=np.int64)
    a[:, 0] = rng.integers(0, p, 3000)  # one column with 3000 entries near 2**31
    a[rng.integers(0, 3000, 200), rng.integers(1, 40, 200)] = rng.integers(0, p, 200)
    bound = rank_lower_bound_mod(a, p, np.random.default_rng(2))
    assert bound == _flint_rank(a, p)


def test_numerical_rank_gap():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((40, 7)) @ rng.standard_normal((7, 30))
    nr = numerical_rank(a)
    assert nr.rank == 7 and nr.gap > 1e8
