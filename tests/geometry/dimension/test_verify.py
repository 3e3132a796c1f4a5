"""neuroalg verify: a record is re-proved, a tampered one is rejected."""

import importlib
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.errors import SpecError
from neuroalg.geometry import dimension
from neuroalg.geometry.dimension.verify import verify


def test_certified_record_is_verified_and_tampering_is_caught():
    record = dimension("mlp 3,5,1 x^4", seed=4).to_dict()
    res = verify(record, seed=9)
    assert res.is_verified and res.fresh_lower == res.fresh_upper == 14
    assert "catalecticant" in res.fresh_certificate
    for key, value in [("dimension", 15), ("primes", [101]), ("lower", 13)]:
        bad = dict(record, **{key: value})
        assert not verify(bad, seed=9).is_verified


def test_cli_verify(tmp_path):
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(dimension("mlp 3,3,3,3 x^2", seed=1).to_dict()))
    assert CliRunner().invoke(app, ["verify", str(path)]).exit_code == 0
    path.write_text("{}")
    out = CliRunner().invoke(app, ["verify", str(path)])
    assert out.exit_code == 2 and "missing key 'spec'" in out.output


def test_numerical_record_is_refused_with_a_reason(tmp_path):
    # a non-algebraic architecture has a numerical dimension only (lower = upper = None): there is
    # nothing exact to re-check (this used to fail with a TypeError comparing None and int)
    record = dimension("attention l=1 d=2 a=1 t=2 softmax", seed=0).to_dict()
    with pytest.raises(SpecError, match="not algebraic"):
        verify(record, seed=1)
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(record))
    out = CliRunner().invoke(app, ["verify", str(path)])
    assert out.exit_code == 2 and "not algebraic" in out.output and "internal" not in out.output


def test_generator_seed_drives_the_fresh_run(monkeypatch):
    # seed may be a numpy Generator (documented); it used to be dropped for a fresh OS seed
    # the module (the package re-exports its function under the same name)
    dimension_module = importlib.import_module("neuroalg.geometry.dimension.dimension")
    record = dimension("mlp 3,2,1 x^2", seed=0).to_dict()
    seeds = []
    real = dimension_module.dimension
    monkeypatch.setattr(dimension_module, "dimension",
                        lambda spec, *, seed, **kw: seeds.append(seed) or real(spec, seed=seed, **kw))
    rng = np.random.default_rng(3)
    res = verify(record, seed=rng)
    assert res.is_verified and res.fresh_seed is None  # a Generator's seed is recorded as None
    assert seeds == [0, rng]  # the replay, then the fresh run from the given generator
    assert verify(record, seed=5).fresh_seed == 5 and seeds[-1] == 5
