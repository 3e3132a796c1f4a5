"""Exact Gaussian moments against closed forms (double factorials, Isserlis, the binomial
expansion of a shifted scaled normal) and the exact Fisher information of a linear model."""

from fractions import Fraction
from math import comb

import pytest

from neuroalg.learning.moments import exact_fisher, gaussian_moment
from neuroalg.spec import parse_spec


def _double_factorial(n):
    out = 1
    while n > 1:
        out, n = out * n, n - 2
    return out


@pytest.mark.parametrize("k", range(9))
def test_standard_moments(k):
    want = 0 if k % 2 else _double_factorial(k - 1)
    assert gaussian_moment((k,)) == want
    assert gaussian_moment((k, 2)) == want  # independent coordinates: E[x1^k] E[x2^2]


@pytest.mark.parametrize("k", range(7))
def test_shifted_scaled_moment_by_binomial_expansion(k):
    mu, var = Fraction(2, 3), Fraction(9, 4)  # x = mu + (3/2) z
    s = Fraction(3, 2)
    want = sum(comb(k, j) * mu ** (k - j) * s**j * (0 if j % 2 else _double_factorial(j - 1))
               for j in range(k + 1))
    assert gaussian_moment((k,), mean=[mu], cov=[[var]]) == want


def test_isserlis_for_correlated_pairs():
    s11, s12, s22 = Fraction(2), Fraction(1, 3), Fraction(5, 7)
    cov = [[s11, s12], [s12, s22]]
    assert gaussian_moment((1, 1), cov=cov) == s12
    assert gaussian_moment((2, 2), cov=cov) == s11 * s22 + 2 * s12**2
    assert gaussian_moment((3, 1), cov=cov) == 3 * s11 * s12
    assert gaussian_moment((1, 2), cov=cov) == 0  # odd total degree, mean zero


def test_fisher_of_a_linear_model_is_the_second_moment():
    # f = w . x (linear 2,1): J(x) = x^T, F = E[x x^T] / sigma^2 = (cov + mean mean^T) / sigma^2
    arch = parse_spec("linear 2,1")
    mean, cov = (Fraction(1), Fraction(-2)), ((Fraction(3), Fraction(1)), (Fraction(1), Fraction(2)))
    F = exact_fisher(arch, (Fraction(5), Fraction(-7)), mean=mean, cov=cov, noise=Fraction(1, 2))
    want = [[(cov[i][j] + mean[i] * mean[j]) * 4 for j in range(2)] for i in range(2)]
    assert [[Fraction(int(F[i, j].p), int(F[i, j].q)) for j in range(2)] for i in range(2)] == want


def test_fisher_accepts_a_covariance_as_lists():
    F = exact_fisher(parse_spec("linear 2,1"), (Fraction(1), Fraction(1)), mean=[0, 0],
                     cov=[[1, 0], [0, 1]])
    assert F[0, 0] == 1
