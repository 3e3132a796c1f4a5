"""Queries and method comparisons on a hand-filled store."""

import pytest

from neuroalg.atlas.observation import Observation
from neuroalg.atlas.query import compare, is_filling, query
from neuroalg.atlas.store import Store
from neuroalg.results import Certainty


def _o(label, method, value, status="certified", lower=None, upper=None, seed=1):
    lower = value if lower is None else lower
    upper = value if upper is None else upper
    return Observation(label=label, invariant="dimension", method=method, status=status,
                       value=value, lower=lower, upper=upper, seed=seed)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "q.sqlite") as s:
        s.add([_o("mlp 2,1,1 x^2", "exact", 2), _o("mlp 2,2,1 x^2", "exact", 3),
               _o("mlp 2,3,1 x^2", "exact", 3, status="monte_carlo", lower=2),
               _o("mlp 2,1,1 x^2", "reference:mfa_pnns", 2, seed=None),
               _o("mlp 2,2,1 x^2", "reference:mfa_pnns", 2, seed=None)])
        yield s


def test_filters(store):
    assert query(store).n_rows == 5
    certified = query(store, status="certified", method="exact")
    assert [r["label"] for r in certified.rows] == ["mlp 2,1,1 x^2", "mlp 2,2,1 x^2"]
    assert certified.status is Certainty.CERTIFIED
    # filling means a proven lower bound at the ambient dimension 3 (binary quadrics)
    filling = query(store, method="exact", filling=True)
    assert [r["label"] for r in filling.rows] == ["mlp 2,2,1 x^2"]
    not_filling = query(store, method="exact", filling=False)
    assert [r["label"] for r in not_filling.rows] == ["mlp 2,1,1 x^2"]
    assert query(store, limit=2).n_rows == 2
    mixed = query(store, method="exact")
    assert mixed.status is Certainty.MONTE_CARLO and mixed.headline().startswith("3 observations")
    assert mixed.to_dict()["n_rows"] == mixed.to_dict()["value"] == 3


def test_is_filling_three_ways():
    row = {"ambient": 3, "lower": 2, "value": 3, "upper": 3}
    assert is_filling(row) is None  # Monte Carlo 3 = ambient, but not proven
    assert is_filling({**row, "lower": 3}) is True
    assert is_filling({**row, "value": 2}) is False
    assert is_filling({**row, "value": None, "upper": 2}) is False
    assert is_filling({**row, "ambient": None}) is None


def test_compare_reports_each_disagreement(store):
    c = compare(store)
    assert (c.n_common, c.n_agree) == (2, 1)
    (d,) = c.disagreements
    assert d["label"] == "mlp 2,2,1 x^2" and (d["a"]["value"], d["b"]["value"]) == (3, 2)
    assert c.to_dict()["n_disagree"] == c.to_dict()["value"] == 1
    assert "2 architectures in common, 1 agree, 1 disagree" in str(c)
