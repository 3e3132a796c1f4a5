"""R-hat and effective sample size on chains whose answers are known."""

import numpy as np
import pytest

from neuroalg.learning.diagnostics import effective_sample_size, split_rhat


def _ar1(rng, chains, length, rho):
    x = np.zeros((chains, length))
    x[:, 0] = rng.standard_normal(chains) / np.sqrt(1 - rho**2)
    for t in range(1, length):
        x[:, t] = rho * x[:, t - 1] + rng.standard_normal(chains)
    return x


def test_independent_chains():
    rng = np.random.default_rng(0)
    chains = rng.standard_normal((4, 4000))
    assert split_rhat(chains) == pytest.approx(1.0, abs=0.01)
    assert effective_sample_size(chains) == pytest.approx(16000, rel=0.1)


def test_chains_that_disagree_have_a_large_rhat():
    rng = np.random.default_rng(1)
    chains = rng.standard_normal((4, 1000)) + np.array([[0.0], [0.0], [3.0], [3.0]])
    assert split_rhat(chains) > 1.5


@pytest.mark.parametrize("rho", [0.5, 0.9])
def test_ess_of_an_ar1_chain(rho):
    # integrated autocorrelation time of AR(1): (1 + rho) / (1 - rho)
    rng = np.random.default_rng(2)
    chains = _ar1(rng, 4, 20000, rho)
    want = 4 * 20000 * (1 - rho) / (1 + rho)
    assert effective_sample_size(chains) == pytest.approx(want, rel=0.15)
    assert split_rhat(chains) == pytest.approx(1.0, abs=0.02)
