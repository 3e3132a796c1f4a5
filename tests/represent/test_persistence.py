"""0-dimensional persistence against an independent library (gudhi), and the densification
gradient against finite differences."""

import numpy as np
import pytest

from neuroalg.represent import densification_loss, zero_dim_persistence


def _gudhi_deaths(x):
    gudhi = pytest.importorskip("gudhi")
    st = gudhi.RipsComplex(points=x, max_edge_length=np.inf).create_simplex_tree(max_dimension=1)
    pairs = st.persistence(homology_coeff_field=2, min_persistence=-1)
    deaths = sorted(d for dim, (b, d) in pairs if dim == 0 and np.isfinite(d))
    assert sum(1 for dim, (b, d) in pairs if dim == 0 and not np.isfinite(d)) == 1
    return np.array(deaths)


@pytest.mark.parametrize("n,d,seed", [(5, 2, 0), (40, 3, 1), (120, 8, 2), (60, 1, 3)])
def test_deaths_match_gudhi(n, d, seed):
    x = np.random.default_rng(seed).standard_normal((n, d))
    ours = zero_dim_persistence(x)
    theirs = _gudhi_deaths(x)
    assert len(ours) == n - 1 == len(theirs)
    assert np.abs(ours - theirs).max() < 1e-12


def test_deaths_hand_example():
    # points on a line at 0, 1, 3, 7: components merge at 1, 2, 4
    assert zero_dim_persistence([[0.0], [1.0], [3.0], [7.0]]).tolist() == [1.0, 2.0, 4.0]


def test_densification_gradient():
    rng = np.random.default_rng(5)
    z = rng.standard_normal((20, 4))
    labels = rng.integers(0, 3, 20)
    loss, grad = densification_loss(z, labels, beta=0.4)
    # loss = sum over classes of |deaths - beta|
    want = sum(np.abs(zero_dim_persistence(z[labels == c]) - 0.4).sum() for c in range(3))
    assert abs(loss - want) < 1e-12
    eps = 1e-7
    for idx in list(np.ndindex(z.shape))[::3]:
        old = z[idx]
        z[idx] = old + eps
        fp = densification_loss(z, labels, beta=0.4)[0]
        z[idx] = old - eps
        fm = densification_loss(z, labels, beta=0.4)[0]
        z[idx] = old
        assert abs((fp - fm) / (2 * eps) - grad[idx]) < 1e-5


def test_densification_tightens_classes():
    rng = np.random.default_rng(6)
    z = rng.standard_normal((30, 3)) * 2
    labels = np.repeat([0, 1, 2], 10)
    before = max(zero_dim_persistence(z[labels == c]).max() for c in range(3))
    loss0 = densification_loss(z, labels, beta=0.1)[0]
    for _ in range(300):
        _, g = densification_loss(z, labels, beta=0.1)
        z -= 0.01 * g
    after = max(zero_dim_persistence(z[labels == c]).max() for c in range(3))
    assert densification_loss(z, labels, beta=0.1)[0] < 0.3 * loss0 and after < 0.6 * before
