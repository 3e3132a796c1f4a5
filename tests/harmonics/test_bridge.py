"""The agf modular staircase learns the Fourier modes of Z_p in decreasing magnitude."""

import numpy as np
import pytest

from neuroalg.dynamics.closed_forms import modular_levels
from neuroalg.errors import SpecError
from neuroalg.harmonics import irreducible_representations
from neuroalg.harmonics.bridge import fourier_bridge, mode_energies
from neuroalg.harmonics.groups import cyclic


@pytest.mark.parametrize("p", [5, 7, 12, 20])
def test_order_matches_closed_form_on_random_templates(p):
    rng = np.random.default_rng(p)
    for _ in range(5):
        x = rng.standard_normal(p)
        b = fourier_bridge(x, seed=1)
        assert b.is_consistent and b.fft_residual < 1e-12
        assert b.order == modular_levels(x).frequencies
        mags = np.abs(np.fft.fft(x))
        assert np.allclose(b.magnitudes, [mags[k] for k in b.order], atol=1e-12)


def test_kmc_template():
    n = np.arange(20)
    x = np.cos(2 * np.pi * n / 20) + 0.5 * np.cos(6 * np.pi * n / 20) + 0.25 * np.cos(10 * np.pi * n / 20)
    b = fourier_bridge(x, seed=0)
    assert b.order == (1, 3, 5)
    assert np.allclose(b.magnitudes, [10.0, 5.0, 2.5], atol=1e-12)  # |x_hat_k| = p a_k / 2


def test_mode_energies_parseval():
    R = irreducible_representations(cyclic(9), seed=0)
    w = np.random.default_rng(0).standard_normal((4, 9))
    e = mode_energies(w, R)
    assert np.allclose(e.sum(axis=1), (w ** 2).sum(axis=1), atol=1e-12)
    pure = np.cos(2 * np.pi * 2 * np.arange(9) / 9 + 0.3)
    e = mode_energies(pure, R)[0]
    assert abs(e[2] / e.sum() - 1) < 1e-12


def test_trained_network_has_fourier_features():
    n = np.arange(7)
    x = np.cos(2 * np.pi * n / 7) + 0.5 * np.cos(4 * np.pi * n / 7) + 0.25 * np.cos(6 * np.pi * n / 7)
    b = fourier_bridge(x, seed=0, train=True, width=12, tau_max=300)
    assert b.is_trained and len(b.purities) >= 6
    assert np.median(b.purities) > 0.95  # neurons concentrate on one real Fourier mode
    assert set(b.neuron_modes) <= set(b.order)
    # every GD plateau's learned set is a prefix of the predicted order
    for learned in b.gd_learned:
        assert list(learned) == sorted(b.order[:len(learned)])


def test_bad_template():
    with pytest.raises(SpecError, match="template"):
        fourier_bridge([1.0, float("nan"), 2.0])
    with pytest.raises(SpecError, match="p >= 2"):
        fourier_bridge([1.0])
