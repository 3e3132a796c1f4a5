"""Strata through a point: found where they were put, and every candidate direction is a kernel
direction of the Jacobian (checked by finite differences at random inputs)."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.learning.network import parse_network
from neuroalg.learning.strata import parse_stratum, point_on_stratum, strata_at, symmetry_vectors


def _kernel_residual(net, theta, v, rng):
    """max |J(x) v| over random inputs, relative to |J(x)|."""
    x = rng.standard_normal((20, net.n_inputs))
    J = net.jacobian(np.asarray(theta, dtype=float), x).reshape(-1, net.n_params)
    return np.abs(J @ np.asarray(v, dtype=float)).max() / max(1.0, np.abs(J).max())


@pytest.mark.parametrize("spec", ["mlp 2,3,1 tanh", "mlp 2,2,1 x^2", "mlp 1,3,2 erf", "mlp 2,2,2,1 tanh"])
@pytest.mark.parametrize("kind", ["zero-outgoing", "dead", "merged", "cancelling"])
def test_every_stratum_is_found_with_kernel_directions(spec, kind):
    net = parse_network(spec)
    rng = np.random.default_rng(0)
    theta = point_on_stratum(net, kind, rng)
    hits = strata_at(net, theta, exact=True)
    mine = [h for h in hits if h.kind == kind and h.layer == 1]
    assert mine, [h.name for h in hits]
    for hit in mine:
        for v in hit.candidates:
            assert _kernel_residual(net, theta, v, rng) < 1e-12, hit.name
    assert "layer 1" in mine[0].name


def test_a_generic_point_lies_on_no_stratum():
    net = parse_network("mlp 2,3,1 tanh")
    theta = net.random_params(np.random.default_rng(1))
    assert strata_at(net, theta, exact=False) == []


def test_symmetry_vectors_are_kernel_directions():
    net = parse_network("mlp 2,2,1 x^2")
    rng = np.random.default_rng(2)
    theta = net.random_params(rng)
    vectors = symmetry_vectors(net, theta, exact=False)
    # one rescaling per hidden x^2 neuron, and so(2) of the form sum_i u_i z_i^2 (an x^2 layer
    # feeding a single output: docs/architecture.md)
    assert len(vectors) == 3
    for v in vectors:
        assert _kernel_residual(net, theta, v, rng) < 1e-12
    assert symmetry_vectors(parse_network("mlp 2,2,1 tanh"), theta, exact=False) == []


@pytest.mark.parametrize("name, match", [("frozen", "allowed are"), ("dead:3", "hidden layers 1..1"),
                                         ("merged:x", "must be an integer"),
                                         ("cancelling", "needs 2")])
def test_bad_stratum_names(name, match):
    with pytest.raises(SpecError, match=match):
        parse_stratum(name, parse_network("mlp 2,1,1 tanh"))
    assert parse_stratum("Merged_Neurons:1", parse_network("mlp 2,2,1 tanh")) == ("merged", 1)
