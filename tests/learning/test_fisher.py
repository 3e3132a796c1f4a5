"""Fisher information against closed forms computed by hand (Isserlis/Stein moments), Williams'
arcsine kernel for erf, and independent routes (quadrature, Monte Carlo, data sets)."""

from fractions import Fraction as Fr

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.learning.fisher import fisher
from neuroalg.learning.inputs import EmpiricalInputs
from neuroalg.learning.network import parse_network


def _exact(r):
    return [[Fr(v) for v in row] for row in r.exact_matrix]


def test_one_hidden_quadratic_pair_by_hand():
    # f = v1 (w1 x)^2 + v2 (w2 x)^2: J = [2 v1 w1, 2 v2 w2, w1^2, w2^2] x^2, E[x^4] = 3
    w1, w2, v1, v2 = Fr(1), Fr(2), Fr(3), Fr(-1)
    g = [2 * v1 * w1, 2 * v2 * w2, w1**2, w2**2]
    r = fisher("mlp 1,2,1 x^2", at="1,2,3,-1", seed=0)
    assert _exact(r) == [[3 * a * b for b in g] for a in g]
    assert r.status == "certified" and r.rank == 1 and r.generic_rank == 1


def test_quadratic_neuron_with_biases_by_hand():
    # f = v z^2 + d with z = a x1 + b x2 + c, x ~ N(0, I_2); theta = (a, b, c, v, d).
    # With s2 = a^2 + b^2 and Stein's identity E[x_i g(x)] = E[d_i g]:
    a, b, c, v = Fr(1, 2), Fr(-3, 4), Fr(1, 3), Fr(2)
    s2 = a * a + b * b
    Ez2, Ez4 = s2 + c * c, c**4 + 6 * c * c * s2 + 3 * s2 * s2
    F = [[4 * v * v * (3 * a * a + b * b + c * c), 8 * v * v * a * b, 8 * v * v * a * c, 6 * v * a * Ez2, 2 * v * a],
         [0, 4 * v * v * (a * a + 3 * b * b + c * c), 8 * v * v * b * c, 6 * v * b * Ez2, 2 * v * b],
         [0, 0, 4 * v * v * Ez2, 2 * v * (c**3 + 3 * c * s2), 2 * v * c],
         [0, 0, 0, Ez4, Ez2],
         [0, 0, 0, 0, 1]]
    # F_cv = 2v E[z^3] = 2v (c^3 + 3 c s2)
    F = [[F[min(i, j)][max(i, j)] for j in range(5)] for i in range(5)]
    r = fisher("mlp 2,1,1 x^2 bias", at=["1/2", "-3/4", "1/3", "2", "5"], seed=0)
    assert _exact(r) == F
    # noise sigma scales F by 1/sigma^2
    r2 = fisher("mlp 2,1,1 x^2 bias", at=["1/2", "-3/4", "1/3", "2", "5"], noise=0.5, seed=0)
    assert _exact(r2) == [[4 * x for x in row] for row in F]


def test_non_standard_gaussian_by_hand():
    # f = v (w x)^2 with x ~ N(m, s^2): J = [2 v w x^2, w^2 x^2], E[x^4] = m^4 + 6 m^2 s^2 + 3 s^4
    m, s2, w, v = Fr(1, 2), Fr(3), Fr(2), Fr(-1)
    E4 = m**4 + 6 * m * m * s2 + 3 * s2 * s2
    g = [2 * v * w, w * w]
    r = fisher("mlp 1,1,1 x^2", at="2,-1", inputs={"mean": [0.5], "cov": [[3.0]]}, seed=0)
    assert _exact(r) == [[E4 * x * y for y in g] for x in g]


def test_exact_agrees_with_quadrature_and_monte_carlo():
    spec, at = "mlp 2,2,1 x^3+x^2 bias", "0.5,-1,0.25,1.5,0.3,-0.2,1,-0.5,0.1"
    ex = fisher(spec, at=at, seed=1)
    qu = fisher(spec, at=at, method="quadrature", seed=1)
    mc = fisher(spec, at=at, method="monte-carlo", samples=400_000, seed=1)
    assert ex.method == "exact" and qu.method == "quadrature" and qu.n_nodes == 16  # m = D + 1 = 4 per input
    assert np.allclose(qu.matrix, ex.matrix, rtol=1e-11, atol=1e-11)
    # the smallest eigenvalue (0.0037) is below the Monte Carlo error: the rank is honestly open
    assert mc.status == "undecided" and mc.rank_interval[1] == 9 == ex.rank
    assert np.linalg.norm(mc.matrix - ex.matrix) <= mc.error_bound
    assert mc.error_bound < 0.1 * np.abs(ex.matrix).max()


def test_erf_entries_against_arcsine_kernel():
    # f = v erf(w x): F_vv = E[erf(wx)^2] = (2/pi) arcsin(2w^2 / (1 + 2w^2))  (Williams 1997),
    # F_ww = v^2 (4/pi) E[x^2 exp(-2 w^2 x^2)] = v^2 (4/pi) (1 + 4 w^2)^(-3/2)
    w, v = 0.7, 1.3
    r = fisher("mlp 1,1,1 erf", at=[w, v], seed=0)
    F_vv = 2 / np.pi * np.arcsin(2 * w * w / (1 + 2 * w * w))
    F_ww = v * v * 4 / np.pi * (1 + 4 * w * w) ** -1.5
    assert r.status == "numerical" and "numerical computation only" in r.notes[0]
    assert abs(r.matrix[1, 1] - F_vv) < 1e-12 and abs(r.matrix[0, 0] - F_ww) < 1e-12
    mc = fisher("mlp 1,1,1 erf", at=[w, v], method="monte-carlo", samples=200_000, seed=3)
    assert abs(mc.matrix[1, 1] - F_vv) < mc.error_bound


def test_data_set_is_an_exact_average():
    X = np.random.default_rng(0).standard_normal((7, 2))
    net = parse_network("mlp 2,2,1 tanh bias")
    theta = np.linspace(-1, 1, net.n_params)
    J = net.jacobian(theta, X)[:, 0, :]
    r = fisher(net, at=theta, inputs=EmpiricalInputs(X), seed=0)
    assert r.method == "data" and np.allclose(r.matrix, J.T @ J / 7, rtol=1e-13)
    assert r.rank == 7  # 7 samples: rank <= 7 < 9 parameters


@pytest.mark.parametrize("spec, at, rank, parts", [
    ("mlp 1,1,1 tanh", "1,0", 1, {"zero outgoing weight (neuron 0 of layer 1)": 1}),
    ("mlp 1,1,1 tanh", "0,1", 1, {"dead neuron (neuron 0 of layer 1)": 1}),
    ("mlp 1,2,1 tanh", "1,1,0.5,0.5", 2, {"merged neurons (neurons 0 and 1 of layer 1)": 2}),
    ("mlp 1,2,1 tanh", "1,-1,0.5,0.5", 2, {"merged neurons (neurons 0 and 1 of layer 1)": 2}),
    ("mlp 3,2,1 x^2", "1,2,-1,1,2,-1,3,-2", 3,
     {"known symmetries": 3, "merged neurons (neurons 0 and 1 of layer 1)": 2}),
    ("mlp 2,2,1 x^3", "1,2,-1,-2,3,3", 2,
     # one output: the merged pair's incoming coupling already moves the cancelling pair
     {"known symmetries": 2, "merged neurons (neurons 0 and 1 of layer 1)": 2,
      "cancelling neurons (neurons 0 and 1 of layer 1)": 0}),
])
def test_kernel_named_by_strata(spec, at, rank, parts):
    r = fisher(spec, at=at, seed=0)
    assert r.rank == rank and r.unexplained == 0
    got = {p.cause: p.dimension for p in r.parts}
    for cause, dim in parts.items():
        assert got[cause] == dim
    assert sum(got.values()) == r.n_params - rank


def test_dead_tanh_neuron_frees_its_outgoing_weight_only():
    # v tanh(w x) at w = 0: f = 0 for every v (tanh 0 = 0), but df/dw = v x (tanh'(0) = 1)
    r = fisher("mlp 1,1,1 tanh", at="0,1", seed=0)
    assert r.rank == 1 and np.allclose(np.abs(r.kernel[0]), [0, 1], atol=1e-12)
    assert r.matrix[0, 0] == pytest.approx(1.0, abs=1e-12)  # E[(v x)^2] = 1


def test_strata_points_drop_rank_below_the_neurovariety_dimension():
    # f = v1 (w1.x)^2, v2 = 0: tangents w1 d^T + d w1^T (3 dims) and (w2.x)^2: rank 4 < dim V = 5
    r = fisher("mlp 3,2,1 x^2", stratum="zero-outgoing", seed=4)
    assert r.status == "certified" and r.generic_rank == 5 and r.rank == 4
    assert "zero outgoing weight" in r.strata[0]
    d = r.to_dict()
    assert d["value"] == 4 and d["status"] == "certified" and d["version"]
    assert str(r).splitlines()[0] == ("Fisher information of mlp 3,2,1 x^2: rank 4 of 8 "
                                      "(certified: exact rational arithmetic)")


@pytest.mark.parametrize("kwargs, match", [
    (dict(at="1,2"), "has 4 parameters"),
    (dict(at="1,2,x,4"), "entry 3"),
    (dict(at="1,2,3,4", stratum="dead"), "not both"),
    (dict(stratum="asleep"), "allowed are zero-outgoing, dead, merged, cancelling"),
    (dict(stratum="merged:3"), "hidden layers 1..1"),
    (dict(method="exact"), "not available"),
    (dict(method="fast"), "method must be one of"),
    (dict(noise=0), "noise must be"),
    (dict(inputs={"mean": [0, 0]}), "must have 1 entries"),
    (dict(inputs={"X": [[1.0]], "cov": [[1.0]]}), "not both"),
    (dict(inputs={"cov": [[-1.0]]}), "positive semidefinite"),
])
def test_bad_input_is_one_clear_error(kwargs, match):
    with pytest.raises(SpecError, match=match):
        fisher("mlp 1,2,1 tanh", seed=0, **kwargs)


def test_bad_activation_names_allowed_ones():
    with pytest.raises(SpecError, match="tanh, erf"):
        fisher("mlp 1,2,1 relu", seed=0)
