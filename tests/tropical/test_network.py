import json
from fractions import Fraction

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.tropical import ReLUNetwork, load_network


def test_exact_weights_detected_and_evaluated_exactly():
    net = ReLUNetwork.from_layers([([[1, "1/3"], [0.5, -2]], [0, 1]), ([[1, -1]], ["2/7"])])
    assert net.is_exact and net.widths == (2, 2, 1)
    x = [Fraction(1, 5), Fraction(-3, 2)]
    h1 = max(Fraction(1, 5) + Fraction(1, 3) * Fraction(-3, 2), 0)
    h2 = max(Fraction(1, 2) * Fraction(1, 5) + 3 + 1, 0)
    assert net.evaluate_exact(x) == [h1 - h2 + Fraction(2, 7)]
    assert net([0.2, -1.5])[0] == pytest.approx(float(h1 - h2 + Fraction(2, 7)))


def test_float_weights_stay_float():
    net = ReLUNetwork.from_layers([([[0.1, 1]], [0]), ([[1]], [0])])
    assert not net.is_exact and net.weights[0].dtype == float


def test_json_round_trip(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"layers": [{"weight": [[1], [-1]], "bias": [0, 0]},
                                           {"weight": [[1, 1]], "bias": [0], "activation": "linear"}]}))
    net = load_network(str(path))
    assert net.widths == (1, 2, 1) and net([-3.0])[0] == 3.0


def test_random_spec_is_seeded():
    a, b = load_network("relu 2,6,1", seed=4), load_network("relu 2,6,1", seed=4)
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    assert str(a) == "relu 2,6,1"


def test_patterns_and_affine_map_agree_with_evaluation():
    net = ReLUNetwork.random((3, 4, 5, 2), seed=1)
    X = np.random.default_rng(0).standard_normal((20, 3))
    for x, pat in zip(X, net.patterns(X)):
        F, f = net.affine_map(pat)
        assert np.allclose(F @ x + f, net(x))


@pytest.mark.parametrize("layers, message", [
    ([{"weight": [[1]], "bias": [0], "activation": "tanh"}, {"weight": [[1]], "bias": [0]}], "activation 'tanh'"),
    ([{"weight": [[1]], "bias": [0]}, {"weight": [[1]], "bias": [0], "activation": "relu"}], "last layer is affine"),
    ([([[1, 2]], [0]), ([[1, 2]], [0])], "weight has 2 columns but layer 1 has 1 outputs"),
    ([([[1, 2]], [0, 1]), ([[1]], [0])], "bias has shape"),
    ([([[1, float("nan")]], [0]), ([[1]], [0])], "finite"),
    ([([[1, "x"]], [0]), ([[1]], [0])], "not a number"),
    ([], "non-empty list"),
])
def test_bad_networks_rejected(layers, message):
    with pytest.raises(SpecError, match=message):
        ReLUNetwork.from_layers(layers)


@pytest.mark.parametrize("text, message", [
    ("relu 2,,1", "entry 2 is empty"),
    ("relu 2", "need at least"),
    ("sigmoid 2,3,1", "expected a JSON file or a spec"),
    ("missing.json", "does not exist"),
])
def test_bad_specs_rejected(text, message):
    with pytest.raises(SpecError, match=message):
        load_network(text)


def test_torch_sequential():
    torch = pytest.importorskip("torch", reason="torch is an optional extra (pip install "
                                "'neuroalg[torch]'); not installed, so the torch path is not tested")
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 3), nn.ReLU(), nn.Linear(3, 1)).double()
    net = load_network(model)
    X = np.random.default_rng(0).standard_normal((10, 2))
    assert np.allclose(net(X), model(torch.tensor(X)).detach().numpy())
    with pytest.raises(SpecError, match="only Linear and ReLU"):
        load_network(nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1)))


def test_torch_missing_is_a_clear_error(monkeypatch):
    import builtins

    real = builtins.__import__

    def fake(name, *a, **k):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("no torch")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(SpecError, match="needs torch"):
        ReLUNetwork.from_torch(object())


@pytest.mark.parametrize("layers", [[([[1, "1/3"], [0.5, -2]], [0, 1]), ([[1, -1]], ["2/7"])],
                                    [([[0.1, 1.7]], [0.3]), ([[2.5]], [0.0])]])
def test_to_json_round_trip_is_lossless(tmp_path, layers):
    net = ReLUNetwork.from_layers(layers)
    net.to_json(tmp_path / "n.json")
    back = load_network(str(tmp_path / "n.json"))
    assert back.is_exact == net.is_exact
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, back.weights))
    assert all(np.array_equal(a, b) for a, b in zip(net.biases, back.biases))
