"""linalg/exact.py against an independent elimination (sympy over Q) and the definitions."""

from fractions import Fraction

import numpy as np
import pytest
import sympy

from neuroalg.linalg.exact import crt_lift, kernel_rref_mod, nullspace_mod, nullspace_q, rank_q, rational_reconstruction


def _random_rational(rng, m, n, rank):
    a = rng.integers(-5, 6, (m, rank)) @ rng.integers(-5, 6, (rank, n))
    return [[Fraction(int(v), int(rng.integers(1, 4))) for v in row] for row in a]


@pytest.mark.parametrize("seed", range(6))
def test_rank_and_nullspace_over_q_match_sympy(seed):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(1, 7, 2)
    mat = _random_rational(rng, int(m), int(n), int(rng.integers(0, min(m, n) + 1)))
    ref = sympy.Matrix(mat)
    assert rank_q(mat) == ref.rank()
    basis = nullspace_q(mat)
    assert len(basis) == n - ref.rank()
    for v in basis:  # each vector is in the kernel, exactly
        assert all(sum(a * x for a, x in zip(row, v)) == 0 for row in mat)
    if basis:  # and they are independent
        assert sympy.Matrix(basis).rank() == len(basis)


def test_rational_reconstruction_recovers_small_fractions_and_refuses_large_ones():
    m = 1_000_003 * 999_983
    for f in (Fraction(3, 7), Fraction(-22, 5), Fraction(1, 1)):
        a = f.numerator * pow(f.denominator, -1, m) % m
        assert rational_reconstruction(a, m) == f
    # beyond sqrt(m/2) a fraction is not recoverable: Wang's bound gives None or another fraction
    big = Fraction(10**9 + 7, 3)
    a = big.numerator * pow(big.denominator, -1, m) % m
    assert rational_reconstruction(a, m) != big


def test_crt_lift_recovers_a_rational_kernel_from_its_reductions():
    mat = np.array([[1, 2, 3], [2, 4, 7]])  # kernel spanned by (-2, 1, 0)
    primes = [10007, 10009, 10037]
    kernels = [kernel_rref_mod(mat, p) for p in primes]
    lifted = crt_lift(kernels, primes)
    assert lifted is not None and len(lifted) == 1
    v = lifted[0]
    assert [Fraction(x) for x in v] == [Fraction(1), Fraction(-1, 2), Fraction(0)]  # RREF scaling
    assert crt_lift([kernels[0], np.zeros((2, 3), dtype=np.int64)], primes[:2]) is None  # shapes differ


def test_nullspace_mod_is_a_kernel_of_the_right_dimension():
    rng = np.random.default_rng(3)
    p = 101
    a = (rng.integers(0, p, (4, 2)) @ rng.integers(0, p, (2, 6))) % p
    k = nullspace_mod(a, p)
    assert k.shape == (6, 4)
    assert not np.any(a.astype(object) @ k.astype(object) % p)
