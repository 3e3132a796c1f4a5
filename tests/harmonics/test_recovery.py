"""The spectral network trained on orbit data recovers the group (fixed seeds, no torch)."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.harmonics import irreducible_representations, parse_group
from neuroalg.harmonics.recovery import cayley_from_weights, recover_group
from neuroalg.harmonics.spectral import SpectralNetwork, orbit_data


@pytest.mark.parametrize("name", ["C5", "C6", "C2xC3", "D3", "D4"])
def test_recovers_exact_table(name):
    r = recover_group(name, seed=0)
    G = r.group
    assert r.is_group and r.n_mismatches == 0 and np.array_equal(r.table, G.table)
    phi = r.isomorphism
    assert phi is not None
    assert np.array_equal(phi[r.table], G.table[phi[:, None], phi[None, :]])
    # W(gh) = W(g) W(h) and unitary equivalence to distinct true irreducibles
    assert r.representation_residual < 1e-4 and r.unitarity_residual < 1e-4
    assert r.is_equivalent and sorted(m.irrep for m in r.matches) == list(range(len(r.dims)))
    assert all(abs(m.overlap - 1) < 1e-6 for m in r.matches)
    assert r.held_out_invariance < 1e-10
    assert r.status == "numerical"
    d = r.to_dict()
    assert d["value"] is True and d["recovered_table"] == G.table.tolist()


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


def test_approximately_invariant_data_still_recovers():
    r = recover_group("D3", seed=0, noise=0.02, atol=0.05)
    assert r.is_recovered and r.is_equivalent and r.status == "numerical"
    assert max(m.equivalence_residual for m in r.matches) > 1e-4  # approximate, and says so
    assert r.invariance > 1e-6  # the data are not exactly invariant


def test_wrong_block_sizes_fail_honestly():
    r = recover_group("D3", dims=(1, 1, 1, 1, 1, 1), seed=0, restarts=2)
    assert r.status == "failed"
    assert "failed" in str(r).splitlines()[0]


def test_deterministic_given_seed():
    a = recover_group("C5", seed=3, restarts=2)
    b = recover_group("C5", seed=3, restarts=2)
    assert a.restart_losses == b.restart_losses and np.array_equal(a.table, b.table)


@pytest.mark.parametrize("kwargs,match", [
    ({"restarts": 0}, "restarts"), ({"method": "jax"}, "method"), ({"noise": -1}, "noise"),
    ({"dims": (0, 1)}, "dims"),
])
def test_bad_options(kwargs, match):
    with pytest.raises(SpecError, match=match):
        recover_group("C3", seed=0, **kwargs)


@pytest.mark.slow
def test_torch_path_agrees():
    pytest.importorskip("torch")
    r = recover_group("D3", seed=0, method="torch", restarts=2)
    assert r.is_recovered and r.is_equivalent and "torch" in r.method


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Q8", "A4", "D6", "C12", "C2xC2xC2"])
def test_recovers_order_up_to_12(name):
    r = recover_group(name, seed=0)
    assert r.is_recovered and r.is_equivalent
