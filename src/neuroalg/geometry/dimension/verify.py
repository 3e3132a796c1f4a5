"""Re-check a recorded dimension result (the JSON of ``neuroalg dim --json``).

Two independent checks, both exact:
1. **replay**: the recorded seed reproduces the recorded primes, ranks and bounds (the lower
   bound is a rank over GF(p) at points determined by the seed);
2. **fresh**: a new seed (new points, new primes) proves a lower bound >= the recorded one, and
   the upper bound (symmetry fields, and the structural certificate if one was used) again
   reaches the recorded value, with the certificate re-verified at a new point.
The record is ``verified`` when both hold and, for a certified record, the fresh run certifies
the same dimension.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import SpecError
from ...options import check_int, check_keys
from ...results import Certainty, Result

#: the keys of ``DimensionResult.to_dict()`` (a record); "nonfinite" comes from strict JSON
RECORD_KEYS = ("spec", "params", "ambient", "expected", "expected_formula", "expected_reference",
               "lower", "upper", "dimension", "certainty", "error_bound", "symmetry_rank",
               "convention", "method", "seed", "primes", "ranks", "rows", "gap", "seconds",
               "version", "notes", "certificate", "output_scalings", "rational_degrees",
               "certified", "defect", "filling", "fiber_dimension", "identifiable", "value",
               "status", "nonfinite", "theory")


@dataclass(frozen=True)
class VerifyResult(Result):
    """A re-check of a dimension record: exact replay of its seed and a fresh exact run."""

    headline_key = "verified"
    method_name = "replay of the recorded seed and a fresh exact run"

    spec: str
    claimed: int
    claimed_certified: bool
    is_replayed: bool
    fresh_lower: int
    fresh_upper: int
    fresh_certificate: str | None
    fresh_seed: int | None  # None when the fresh run used a given numpy Generator

    @property
    def is_verified(self) -> bool:
        bounds = self.fresh_lower <= self.claimed <= self.fresh_upper
        if self.claimed_certified:
            bounds = self.fresh_lower == self.claimed == self.fresh_upper
        return self.is_replayed and bounds

    def headline(self) -> str:
        return f"{'verified' if self.is_verified else 'NOT verified'}: dim = {self.claimed}"

    def lines(self) -> list[tuple[str, str]]:
        return [("architecture", self.spec),
                ("replay", "recorded seed reproduces primes, ranks and bounds"
                 if self.is_replayed else "recorded seed does NOT reproduce the record"),
                ("fresh run", f"bounds [{self.fresh_lower}, {self.fresh_upper}] with seed {self.fresh_seed}"),
                ("certificate", self.fresh_certificate or "none needed (symmetry bound)")]

    @property
    def status(self) -> Certainty:
        return Certainty.CERTIFIED  # both checks are exact computations

    def payload(self) -> dict:
        return {"spec": self.spec, "claimed": self.claimed, "claimed_certified": self.claimed_certified,
                "replayed": self.is_replayed, "fresh_lower": self.fresh_lower,
                "fresh_upper": self.fresh_upper, "fresh_certificate": self.fresh_certificate,
                "fresh_seed": self.fresh_seed, "verified": self.is_verified}


def verify(record: dict, *, seed=None) -> VerifyResult:
    """Re-check a dimension record (``DimensionResult.to_dict()``, the JSON of ``neuroalg dim
    SPEC --json``).

    Two exact checks: the recorded seed replays the recorded primes, ranks and bounds; and a
    fresh seed proves a lower bound >= the recorded one and an upper bound reaching it again
    (with the structural certificate, if any, re-verified at a new point).

    Parameters
    ----------
    record : dict
        Needs ``spec``, ``dimension`` and ``seed``; any other key must be one of the record's.
    seed : int, numpy.random.Generator or None, default=None
        Seed of the fresh run (None: fresh, recorded).

    Returns
    -------
    VerifyResult
        ``verified`` (both checks hold and, for a certified record, the fresh run certifies the
        same value); ``status`` is ``"certified"`` (both checks are exact computations).

    Examples
    --------
    >>> from neuroalg.geometry.dimension import dimension
    >>> verify(dimension("mlp 3,2,1 x^2", seed=0).to_dict(), seed=1).is_verified
    True
    """
    from ...random import check_seed
    from ...spec import parse_spec
    from .dimension import dimension

    required = ("spec", "dimension", "seed")
    check_keys(record, "record (the output of 'neuroalg dim SPEC --json')", required=required,
               optional=tuple(k for k in RECORD_KEYS if k not in required))
    spec = record["spec"]
    if not isinstance(spec, str):
        raise SpecError(f"record: 'spec' must be an architecture spec string; got {spec!r}")
    if not parse_spec(spec).is_algebraic:
        raise SpecError(f"record: {spec} is not algebraic: its dimension is numerical only, with no "
                        f"exact checks to replay")
    claimed = check_int(record["dimension"], "record: 'dimension'", low=0)
    rec_seed = check_int(record["seed"], "record: 'seed'", low=0)
    projective = record.get("convention") == "projective"
    replay = dimension(spec, seed=rec_seed, projective=projective)
    same = (list(replay.primes) == list(record.get("primes", [])) and replay.lower == record.get("lower")
            and replay.upper == record.get("upper") and replay.dimension == claimed)
    fresh_seed, fresh_rng = check_seed(seed)
    fresh = dimension(spec, seed=fresh_rng if fresh_seed is None else fresh_seed, projective=projective)
    assert fresh.lower is not None and fresh.upper is not None  # an exact run (algebraic architecture)
    cert = fresh.certificate
    text = None if cert is None else f"{cert['kind']}: {cert['verification']}"
    return VerifyResult(spec, claimed, bool(record.get("certified")), same, fresh.lower,
                        fresh.upper, text, fresh_seed)
