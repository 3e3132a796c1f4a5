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
    ([([[1, 2]], [0]), ([[1, 2]], [0])], "layer 2 weight has 2 columns but layer 1 has 1 rows"),
    ([([[1, 2]], [0, 1]), ([[1]], [0])], "layer 1 bias has 2 entries; it needs one per row of the weight \\(1 rows\\)"),
    ([([[1, float("nan")]], [0]), ([[1]], [0])], "layer 1 weight row 1 entry 2 must be a finite number"),
    ([([[1, "x"]], [0]), ([[1]], [0])], "layer 1 weight row 1 entry 2 must be a finite number"),
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


# --- issue 12: NET files are checked strictly, with one-line messages naming the bad part -------

LAYER = {"weight": [[1, 2], [3, 4]], "bias": [0, 1]}
OUT = {"weight": [[1, -1]], "bias": [0]}


@pytest.mark.parametrize("data, message", [
    ({"layers": [LAYER, OUT], "name": "x"}, "NET: unknown key 'name'; allowed keys: \"layers\""),
    ({"layers": [{**LAYER, "wieght": 1}, OUT]},
     "NET: layer 1: unknown key 'wieght'; allowed keys: \"weight\", \"bias\", \"activation\""),
    ({"layers": [{"bias": [0]}, OUT]}, "NET: layer 1: missing key 'weight'"),
    ({"net": []}, "NET: unknown key 'net'"),
    ([LAYER, OUT], "NET: expected a JSON object with keys \"layers\"; got list"),
    ({"layers": {"weight": 1}}, "NET: 'layers' must be a non-empty list"),
    ({"layers": []}, "NET: 'layers' must be a non-empty list"),
    ({"layers": [LAYER, 3]}, "NET: layer 2: expected a pair \\(weight, bias\\) or an object"),
    ({"layers": [{"weight": [[1, 2], [3]], "bias": [0, 0]}, OUT]},
     "NET: layer 1 weight must have rows of equal, non-zero length; row 1 has 2 entries, row 2 has 1"),
    ({"layers": [{"weight": [1, 2], "bias": [0]}, OUT]}, "NET: layer 1 weight must be a non-empty list of rows"),
    ({"layers": [{"weight": [[[1], [2]]], "bias": [0]}, OUT]},
     "NET: layer 1 weight row 1 entry 1 must be .* nested list"),
    ({"layers": [{"weight": [[1, 2]], "bias": [0, 0]}, OUT]}, "NET: layer 1 bias has 2 entries; it needs one per row"),
    ({"layers": [{"weight": [[1, 2]], "bias": 0}, OUT]}, "NET: layer 1 bias must be a list of numbers; got int"),
    ({"layers": [LAYER, {"weight": [[1, 1, 1]], "bias": [0]}]},
     "NET: layer 2 weight has 3 columns but layer 1 has 2 rows"),
    ({"layers": [{"weight": [[1, True], [0, 1]], "bias": [0, 1]}, OUT]},
     "NET: layer 1 weight row 1 entry 2 must be .*; got True"),
    ({"layers": [{"weight": [[1, None], [0, 1]], "bias": [0, 1]}, OUT]},
     "NET: layer 1 weight row 1 entry 2 must be .*; got None"),
    ({"layers": [{"weight": [[1, "inf"], [0, 1]], "bias": [0, 1]}, OUT]},
     "NET: layer 1 weight row 1 entry 2 must be .*; got 'inf'"),
    ({"layers": [{"weight": [[1, "1/0"], [0, 1]], "bias": [0, 1]}, OUT]}, "NET: layer 1 weight row 1 entry 2 must be"),
    ({"layers": [LAYER, {"weight": [[1, "1e400"]], "bias": [0.1]}]},
     "NET: layer 2 weight row 1 entry 2 = '1e400' is outside the float64 range"),
    ({"layers": [LAYER, {"weight": [[1, "1e-400"]], "bias": [0.1]}]},
     "NET: layer 2 weight row 1 entry 2 = '1e-400' is outside the float64 range"),
    ({"layers": [{**LAYER, "activation": "tanh"}, OUT]}, "NET: layer 1: activation 'tanh' is not allowed"),
])
def test_bad_net_files(tmp_path, data, message):
    import json

    path = tmp_path / "net.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SpecError, match=message) as err:
        load_network(str(path))
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("text, message", [
    ('{"layers": [{"weight": [[NaN]], "bias": [0]}]}', "NaN is not allowed in JSON"),
    ('{"layers": [{"weight": [[Infinity]], "bias": [0]}]}', "Infinity is not allowed"),
    ('{"layers": [', "is not JSON"),
    ('{"layers": [{"weight": [[1e400]], "bias": [0]}, {"weight": [[1]]}]}',   # parsed as inf
     "NET: layer 1 weight row 1 entry 1 must be a finite number.*got inf"),
])
def test_non_json_net_files(tmp_path, text, message):
    path = tmp_path / "net.json"
    path.write_text(text)
    with pytest.raises(SpecError, match=message):
        load_network(str(path))


def test_exact_huge_entries_are_kept_exactly(tmp_path):
    import json

    # "1e400" as a string is the exact integer 10^400 in an exact network
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"layers": [{"weight": [["1e400"], [-1]], "bias": [0, 0]},
                                           {"weight": [["1e-400", 1]], "bias": [0]}]}))
    net = load_network(str(path))
    assert net.is_exact and net.weights[0][0, 0] == 10 ** 400
    assert net.evaluate_exact([Fraction(-2)]) == [Fraction(2)]
