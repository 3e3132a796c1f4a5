"""The parameter symmetries of homogeneous networks (those ``neuroalg fiber`` reports) act on
hidden representations by P D, D > 0, and the normalized relative representation is invariant."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.fields import REAL
from neuroalg.geometry.witness.fiber import gauge_blocks
from neuroalg.represent import (
    hidden_representation,
    permute_units,
    random_symmetry,
    relative_representation,
    rescale_units,
    rescaling_flow,
)
from neuroalg.spec import parse_spec

SPECS = ["mlp 3,5,4,2 x^2", "mlp 3,4,3 x^3", "mlp 2,6,3 x^2 bias"]


def _setup(spec, seed=0):
    arch = parse_spec(spec)
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(arch.n_params)
    x = rng.standard_normal((30, arch.widths[0]))
    anchors = rng.standard_normal((12, arch.widths[0]))
    return arch, theta, x, anchors, rng


@pytest.mark.parametrize("spec", SPECS)
def test_random_group_elements(spec):
    arch, theta, x, anchors, rng = _setup(spec)
    for layer in range(1, arch.depth):
        for _ in range(10):
            new, perm, d = random_symmetry(arch, theta, layer, rng)
            # a symmetry: the network function does not change
            assert np.abs(arch.forward(new, x, REAL) - arch.forward(theta, x, REAL)).max() < 1e-10
            h, h2 = (hidden_representation(arch, t, x, layer) for t in (theta, new))
            assert np.abs(h2 - d * h[:, perm]).max() < 1e-10 * max(1, np.abs(h2).max())
            assert np.all(d > 0)
            a, a2 = (hidden_representation(arch, t, anchors, layer) for t in (theta, new))
            rel, rel2 = relative_representation(h, a), relative_representation(h2, a2)
            assert np.abs(rel2 - rel).max() < 1e-12
            van = relative_representation(h, a, normalize=False)
            van2 = relative_representation(h2, a2, normalize=False)
            assert np.abs(van2 - van).max() > 1e-3  # vanilla is not invariant


@pytest.mark.parametrize("spec", SPECS)
def test_symmetry_fields_reported_by_fiber(spec):
    arch, theta, x, anchors, rng = _setup(spec, 1)
    fields = arch.symmetry_fields(theta, REAL)
    rescaling = [u for u in arch.units() if u.group == "rescaling"]
    assert len(gauge_blocks(arch)) == len(rescaling)  # what `neuroalg fiber` fixes by its gauge
    for col, unit in zip(fields.T[:len(rescaling)], rescaling):
        s = float(rng.uniform(-1.5, 1.5))
        new = rescaling_flow(col, theta, s)
        # the flow is tangent to the field, stays in the fiber, and rescales one hidden unit
        eps = 1e-6
        tangent = (rescaling_flow(col, theta, eps) - rescaling_flow(col, theta, -eps)) / (2 * eps)
        assert np.abs(tangent - col).max() < 1e-8
        assert np.abs(arch.forward(new, x, REAL) - arch.forward(theta, x, REAL)).max() < 1e-10
        h, h2 = (hidden_representation(arch, t, x, unit.layer) for t in (theta, new))
        ratio = np.ones(h.shape[1])
        ratio[unit.index] = np.exp(s * unit.power)
        assert np.abs(h2 - h * ratio).max() < 1e-10 * max(1, np.abs(h).max())
        a, a2 = (hidden_representation(arch, t, anchors, unit.layer) for t in (theta, new))
        assert np.abs(relative_representation(h2, a2) - relative_representation(h, a)).max() < 1e-12


def test_hidden_representation_matches_a_truncated_network():
    arch, theta, x, _, _ = _setup("mlp 3,5,4,2 x^2")
    h2 = hidden_representation(arch, theta, x, 2)
    # the output is W3 h2 (no bias): compare with the architecture's own forward pass
    W3 = theta[-8:].reshape(2, 4)
    assert np.abs(h2 @ W3.T - arch.forward(theta, x, REAL)).max() < 1e-12


def test_errors():
    arch, theta, x, _, rng = _setup("mlp 3,4,3 x^3")
    with pytest.raises(SpecError, match="hidden layer"):
        hidden_representation(arch, theta, x, 2)
    with pytest.raises(SpecError, match="non-zero factors"):
        rescale_units(arch, theta, 1, [1.0, 2.0])
    with pytest.raises(SpecError, match="permutation"):
        permute_units(arch, theta, 1, [0, 0, 1, 2])
    lin = parse_spec("linear 2,3,2")
    with pytest.raises(SpecError, match="no rescaling symmetry"):
        rescale_units(lin, rng.standard_normal(lin.n_params), 1, [1.0, 2.0, 3.0])
