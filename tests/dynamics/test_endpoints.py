"""Endpoints: zero neurons are critical points for any data, and the Jacobian rank drops there."""

import json

import numpy as np
import pytest
from scipy.optimize import minimize
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.dynamics.endpoints import (
    endpoint_census,
    jacobian_rank,
    loss_grad,
    zero_neurons,
)
from neuroalg.fields import REAL
from neuroalg.spec import parse_spec


@pytest.mark.parametrize("act", ["x^2", "x^3+x^2", "2x^4-x^2"])
def test_zeroed_neuron_is_critical_and_singular(act):
    big, small = parse_spec(f"mlp 3,2,1 {act}"), parse_spec(f"mlp 3,1,1 {act}")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((25, 3))
    Y = rng.standard_normal((25, 1))  # any data
    # a critical point of the width-1 network, by gradient descent
    th0 = 0.5 * small.random_params(rng, REAL)
    th = minimize(lambda t: loss_grad(small, t, X, Y), th0, jac=True, method="BFGS",
                  options={"gtol": 1e-12, "maxiter": 10000}).x
    _, g = loss_grad(small, th, X, Y)
    assert np.linalg.norm(g) < 1e-8
    # embed: neuron 2 of the hidden layer has zero incoming and outgoing weights
    theta = np.zeros(big.n_params)
    theta[0:3] = th[0:3]      # W1 row 0
    theta[6] = th[3]          # W2[0, 0]
    assert zero_neurons(big, theta) == ((1, 1),)
    _, G = loss_grad(big, theta, X, Y)
    assert np.linalg.norm(G) < 1e-8  # critical for the big network too
    probe = rng.standard_normal((big.n_params + 10, 3))
    generic = jacobian_rank(big, big.random_params(rng, REAL), probe)
    assert jacobian_rank(big, theta, probe) < generic


def test_census_and_cli():
    res = endpoint_census("mlp 2,2,1 x^2", runs=4, n_steps=500, seed=1)
    assert sum(res.frequencies.values()) == 4
    assert all(e.fisher_rank <= e.jacobian_rank <= res.generic_rank for e in res.endpoints)
    out = CliRunner().invoke(app, ["endpoints", "mlp 2,2,1 x^2", "--runs", "3", "--steps", "300",
                                   "--seed", "0", "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert set(d["frequencies"]) == {"subnetwork", "singular", "regular"} and len(d["endpoints"]) == 3
    out = CliRunner().invoke(app, ["endpoints", "mlp 2,2,1 relu", "--runs", "2"])
    assert out.exit_code == 2


def test_census_finds_singular_local_minima():
    """mlp 3,2,1 x^2 from a random teacher: besides global minima (loss 0, generic rank 5) GD can
    end where the two neurons are parallel: the function is a rank-one quadratic form, whose
    variety has dimension 3 (< 5), so the Jacobian rank drops to 3 there."""
    res = endpoint_census("mlp 3,2,1 x^2", runs=10, seed=0)
    assert res.generic_rank == 5  # symmetric 3x3 matrices of rank <= 2: 6 - 1
    for e in res.endpoints:
        if e.kind == "regular":
            assert e.loss < 1e-20 and e.jacobian_rank == 5
        if e.kind == "singular":
            assert e.jacobian_rank == 3 and e.loss > 1e-3 and e.gap < 1e-5
    assert res.frequencies["singular"] >= 1


def test_cli_with_data(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 2))
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"X": X.tolist(), "y": (X[:, 0] ** 2 - X[:, 1] ** 2).tolist()}))
    out = CliRunner().invoke(app, ["endpoints", "mlp 2,2,1 x^2", "--data", str(data), "--runs", "2",
                                   "--steps", "300", "--seed", "0", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["n_samples"] == 20
    out = CliRunner().invoke(app, ["endpoints", "mlp 3,2,1 x^2", "--data", str(data), "--runs", "2"])
    assert out.exit_code == 2 and "shape (N, 3)" in out.output


def test_cnn_zero_padded_filter_is_a_subnetwork_on_a_node():
    """A CNN filter with a vanishing end entry computes the network with a shorter filter
    (checked on the forward pass); the census calls such an endpoint a subnetwork, and counts
    those on singular strata (>= 2 zero placements, geometry/witness/cnn_strata.py)."""
    from neuroalg.geometry.witness.cnn_strata import n_branches, padding

    big, small = parse_spec("cnn k=2,2 x^2"), parse_spec("cnn k=1,1 x^2")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    v, u = 1.7, -0.6
    for theta, window in (([0.0, v, u, 0.0], 1), ([v, 0.0, 0.0, u], 1), ([0.0, v, 0.0, u], 2)):
        theta = np.array(theta)
        f_big = big.forward(theta, X, REAL).ravel()
        f_small = small.forward(np.array([v, u]), X[:, window:window + 1], REAL).ravel()
        assert np.allclose(f_big, f_small)
        assert n_branches(big, *padding(big, theta)) == (2 if window == 1 else 1)
    # a census whose data is the padded network's own output ends on the subnetwork at once
    Y = big.forward(np.array([0.0, v, u, 0.0]), X, REAL)
    res = endpoint_census("cnn k=2,2 x^2", runs=1, n_steps=1, X=X, Y=Y, seed=0)
    assert res.endpoints[0].padding is not None and res.n_singular_subnetworks is not None
    d = res.to_dict()
    assert d["n_singular_subnetworks"] == res.n_singular_subnetworks
    assert "padding" in d["endpoints"][0] and "CNN:" in str(res)
