"""The spectral network: spectra invariant at the true irreducibles, which are exact minimizers,
and gradients against finite differences."""

import numpy as np

from neuroalg.harmonics import irreducible_representations, parse_group
from neuroalg.harmonics.recovery import cayley_from_weights
from neuroalg.harmonics.spectral import SpectralNetwork, orbit_data


def test_true_irreducibles_are_exact_minimizers():
    G = parse_group("D4")
    R = irreducible_representations(G, seed=0)
    net = SpectralNetwork(G.order, R.dims, list(R.matrices))
    data = orbit_data(G, 6, np.random.default_rng(0))
    total, inv, reg, grad = net.loss_and_grad(data)
    assert total < 1e-28 and np.abs(grad).max() < 1e-13
    table, resid, margin = cayley_from_weights(list(R.matrices))
    assert np.array_equal(table, G.table) and resid < 1e-12 and margin > 1


def test_invariance_of_spectra_exact():
    G = parse_group("Q8")
    R = irreducible_representations(G, seed=0)
    net = SpectralNetwork(G.order, R.dims, list(R.matrices))
    x = np.random.default_rng(1).standard_normal((3, 8)) + 0j
    for g in range(8):
        for a, b in zip(net.spectra(x), net.spectra(G.act(g, x))):
            assert np.abs(a - b).max() < 1e-13


def test_gradient_matches_finite_differences():
    G = parse_group("D3")
    rng = np.random.default_rng(4)
    data = orbit_data(G, 4, rng)
    net = SpectralNetwork.random(G.order, (1, 1, 2), rng)
    v = net.get_vector()
    _, _, _, g = net.loss_and_grad(data, lam=0.7)
    eps = 1e-6
    for k in range(0, len(v), 5):
        vp, vm = v.copy(), v.copy()
        vp[k] += eps
        vm[k] -= eps
        net.set_vector(vp)
        fp = net.loss_and_grad(data, lam=0.7)[0]
        net.set_vector(vm)
        fm = net.loss_and_grad(data, lam=0.7)[0]
        assert abs((fp - fm) / (2 * eps) - g[k]) < 1e-7
