"""Exports: rows ordered by key, byte-identical files, CSV and JSONL agree."""

import csv
import json

import pytest

from neuroalg.atlas.export import check_format, export, rows, to_csv
from neuroalg.atlas.observation import Observation
from neuroalg.atlas.store import Store
from neuroalg.errors import SpecError


def _fill(store):
    obs = [Observation(label=f"mlp 2,{w},1 x^2", invariant="dimension", method="exact",
                       status="certified", value=min(3, 2 * w), lower=min(3, 2 * w),
                       upper=min(3, 2 * w), seed=w, primes=(101,), seconds=0.1 * w)
           for w in (3, 1, 2)]
    obs.append(Observation(label="mlp 2,1,1 x^2", invariant="dimension", method="exact",
                           status="timeout", seed=99, seconds=5.0))
    store.add(obs)


def test_rows_are_ordered_and_carry_the_architecture(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        _fill(s)
        data = rows(s)
    assert [(r["label"], r["seed"]) for r in data] == [
        ("mlp 2,1,1 x^2", 1), ("mlp 2,1,1 x^2", 99), ("mlp 2,2,1 x^2", 2), ("mlp 2,3,1 x^2", 3)]
    first = data[0]
    # binary quadrics: ambient C(3, 2) = 3; (2, w, 1) x^2 has 3 w parameters and w rescalings
    assert (first["ambient"], first["n_params"], first["d0"], first["dL"]) == (3, 3, 2, 1)
    assert "seconds" not in first
    with Store(tmp_path / "a.sqlite") as s:
        narrow = rows(s, region="mlp d0=2 dL=1 depth=2 width<=1 r=2")  # depth: weight layers
        assert [r["label"] for r in narrow] == ["mlp 2,1,1 x^2"] * 2
        assert rows(s, timings=True)[0]["seconds"] == pytest.approx(0.1)


def test_files_are_byte_identical_and_formats_agree(tmp_path):
    texts = []
    for name in ("a", "b"):
        with Store(tmp_path / f"{name}.sqlite") as s:
            _fill(s)
            assert export(s, tmp_path / f"{name}.csv") == 4
            assert export(s, tmp_path / f"{name}.jsonl") == 4
        texts.append((tmp_path / f"{name}.csv").read_bytes())
    assert texts[0] == texts[1]
    table = list(csv.DictReader((tmp_path / "a.csv").read_text().splitlines()))
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [r["label"] for r in table] == [r["label"] for r in lines]
    assert [json.loads(r["primes"]) if r["primes"] else None for r in table] == \
        [r["primes"] for r in lines]
    assert table[1]["value"] == "" and lines[1]["value"] is None  # the timeout has no value


def test_formats():
    assert check_format("x.CSV") == "csv" and check_format("x.txt", "jsonl") == "jsonl"
    with pytest.raises(SpecError, match="unknown export format 'xlsx'"):
        check_format("x.xlsx")
    assert to_csv([]) == ""
