"""Relative representations: exact invariances (and the ones vanilla lacks), exact gradients."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.represent import relative_representation
from neuroalg.represent.relative import relative_backward, relative_forward


def _random_pd(rng, d):
    """A random element of (permutations) x (positive diagonal): the matrix P D."""
    P = np.eye(d)[rng.permutation(d)]
    D = np.diag(np.exp(2.0 * rng.standard_normal(d)))
    return P @ D


def test_normalized_invariant_under_permutation_and_positive_scaling():
    rng = np.random.default_rng(0)
    for trial in range(50):
        d, k, n = rng.integers(2, 12), rng.integers(2, 20), rng.integers(1, 10)
        z = rng.standard_normal((n, d)) * rng.uniform(0.1, 10)
        a = rng.standard_normal((k, d)) + rng.standard_normal(d)
        M = _random_pd(rng, d)
        base = relative_representation(z, a)
        moved = relative_representation(z @ M.T, a @ M.T)
        assert np.abs(moved - base).max() < 1e-12
        # isotropic rescaling too (also for vanilla)
        assert np.abs(relative_representation(3.7 * z, 3.7 * a) - base).max() < 1e-12


def test_vanilla_invariances_and_what_it_lacks():
    rng = np.random.default_rng(1)
    z, a = rng.standard_normal((6, 5)), rng.standard_normal((8, 5))
    Q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    base = relative_representation(z, a, normalize=False)
    assert np.abs(relative_representation(2.5 * z @ Q.T, 2.5 * a @ Q.T, normalize=False) - base).max() < 1e-12
    D = np.diag([1.0, 10.0, 0.1, 3.0, 0.5])
    assert np.abs(relative_representation(z @ D, a @ D, normalize=False) - base).max() > 1e-2
    # cosine similarities are in [-1, 1] and rel(a_j)_j = 1
    self_rel = relative_representation(a, a, normalize=False)
    assert np.allclose(np.diag(self_rel), 1.0) and np.abs(self_rel).max() <= 1 + 1e-12


def test_dead_coordinate_is_ignored_exactly():
    rng = np.random.default_rng(2)
    z, a = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    a[:, 1] = 0.7  # constant on the anchors: sigma = 0
    r1 = relative_representation(z, a)
    z2 = z.copy()
    z2[:, 1] = 100.0
    assert np.abs(relative_representation(z2, a) - r1).max() < 1e-15


@pytest.mark.parametrize("normalize", [False, True])
def test_backward_matches_finite_differences(normalize):
    rng = np.random.default_rng(3)
    z, a, G = rng.standard_normal((5, 4)), rng.standard_normal((6, 4)), rng.standard_normal((5, 6))
    _, cache = relative_forward(z, a, normalize)
    dz, da = relative_backward(G, cache)

    def f(z, a):
        return float((relative_forward(z, a, normalize)[0] * G).sum())

    eps = 1e-6
    for arr, grad in ((z, dz), (a, da)):
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + eps
            fp = f(z, a)
            arr[idx] = old - eps
            fm = f(z, a)
            arr[idx] = old
            assert abs((fp - fm) / (2 * eps) - grad[idx]) < 1e-7


@pytest.mark.parametrize("z,a,match", [
    ([[1.0, 2.0]], [[1.0, 2.0, 3.0], [0.0, 1.0, 2.0]], "same latent dimension"),
    ([[1.0, 2.0]], [[1.0, 2.0]], "at least 2 anchors"),
    ([[1.0, float("nan")]], [[1.0, 2.0], [3.0, 4.0]], "finite"),
    ([1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]], "list of rows"),
])
def test_bad_input(z, a, match):
    with pytest.raises(SpecError, match=match):
        relative_representation(z, a)
