"""Observations: keys, round trips, ratios, headlines and the weakest status."""

import json

import pytest

from neuroalg.atlas.observation import RETRYABLE, Observation, Status, dumps, weakest
from neuroalg.results import Certainty


def _obs(**kw):
    base = dict(label="mlp 2,2,1 x^2", invariant="dimension", method="exact", status="certified",
                value=3, lower=3, upper=3, seed=7, primes=(1000003,), seconds=2.0,
                predicted_seconds=0.5, peak_memory=300, predicted_memory=100)
    base.update(kw)
    return Observation(**base)


def test_statuses_map_to_certainties_and_values():
    with_value = {s for s in Status if s.has_value}
    assert with_value == {Status.CERTIFIED, Status.MONTE_CARLO, Status.NUMERICAL, Status.IMPLIED}
    assert set(RETRYABLE) == set(Status) - with_value  # nothing learned = may be retried
    assert Status.IMPLIED.certainty is Certainty.NUMERICAL
    assert Status.TIMEOUT.certainty is Status.SKIPPED_BUDGET.certainty is Certainty.UNDECIDED


def test_weakest_status_is_the_least_sure():
    assert weakest([]) is Certainty.CERTIFIED
    assert weakest(["certified", "monte_carlo"]) is Certainty.MONTE_CARLO
    assert weakest(["certified", Status.IMPLIED, "monte_carlo"]) is Certainty.NUMERICAL
    assert weakest(["numerical", "timeout"]) is Certainty.UNDECIDED
    assert weakest(["timeout", "failed", "certified"]) is Certainty.FAILED


def test_round_trip_and_key():
    o = _obs(status="monte_carlo", derived_from=["a", "b"], detail={"error_bound": 1e-12})
    assert o.status is Status.MONTE_CARLO and o.derived_from == ("a", "b")
    back = Observation.from_dict(json.loads(json.dumps(o.to_dict())))
    assert back == o and back.key == ("mlp 2,2,1 x^2", "dimension", "exact", o.version, 7)
    assert "time_ratio" not in o.to_dict(timings=False) and "seconds" not in o.to_dict(timings=False)


def test_ratios_measured_over_predicted():
    o = _obs()
    assert o.time_ratio == 4.0 and o.memory_ratio == 3.0
    assert _obs(predicted_seconds=None).time_ratio is None
    assert _obs(predicted_memory=0).memory_ratio is None


@pytest.mark.parametrize("kw, want", [
    ({}, "dimension(mlp 2,2,1 x^2) = 3 (certified)"),
    ({"status": "monte_carlo", "lower": 2, "value": 3, "upper": 3},
     "dimension(mlp 2,2,1 x^2) = 3 (monte_carlo, bounds [2, 3])"),
    ({"status": "timeout", "value": None, "lower": None, "upper": None},
     "dimension(mlp 2,2,1 x^2): timeout"),
])
def test_headline(kw, want):
    assert str(_obs(**kw)) == want


def test_canonical_json_is_byte_identical_for_equal_data():
    assert dumps({"b": 1, "a": [1, 2]}) == dumps({"a": [1, 2], "b": 1}) == '{"a":[1,2],"b":1}'
