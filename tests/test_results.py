"""results.py: the protocol adds value, status and provenance to a result's own payload."""

from dataclasses import dataclass
from typing import ClassVar

import pytest

from neuroalg.results import PROVENANCE, Certainty, Result


@dataclass(frozen=True)
class Count(Result):
    n_things: int
    seed: int | None
    seconds: float
    headline_key: ClassVar[str] = "n_things"
    method_name: ClassVar[str] = "counting"

    @property
    def status(self):
        return Certainty.CERTIFIED if self.n_things >= 0 else Certainty.FAILED

    def payload(self):
        return {"n_things": self.n_things}

    def headline(self):
        return f"{self.n_things} things ({self.status})"

    def lines(self):
        return [("status", str(self.status))]


def test_to_dict_has_the_headline_value_status_and_provenance():
    d = Count(4, 9, 0.5).to_dict()
    assert d["value"] == d["n_things"] == 4 and d["status"] == "certified"
    assert set(PROVENANCE) <= set(d)
    assert (d["method"], d["seed"], d["seconds"], d["spec"]) == ("counting", 9, 0.5, None)
    assert isinstance(d["version"], str) and d["version"]


def test_certainty_prints_as_its_value():
    assert str(Count(-1, None, 0.0).status) == "failed"
    assert f"{Certainty.MONTE_CARLO}" == "monte_carlo" and Certainty("numerical") is Certainty.NUMERICAL
    assert "(certified)" in str(Count(1, None, 0.0))


def test_reserved_keys_cannot_be_shadowed_by_a_payload():
    @dataclass(frozen=True)
    class Bad(Count):
        def payload(self):
            return {"n_things": 1, "status": "mine"}

    with pytest.raises(AssertionError, match="reserved"):
        Bad(1, None, 0.0).to_dict()
