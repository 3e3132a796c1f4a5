import csv

import numpy as np
import pytest

from neuroalg.atlas.frontier import frontier_search, is_unimodal
from neuroalg.atlas.region import parse_region
from neuroalg.atlas.store import Store
from neuroalg.atlas.sweep import sweep
from neuroalg.errors import SpecError


def _widths(label):
    return tuple(map(int, label.split()[1].split(",")))


def test_unimodal_agrees_with_reference_column(reference):
    with open(reference / "2_1_cleaned_architectures.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for r in rows:
        w = tuple(int(x) for x in r["architecture"].strip("[]").split(","))
        assert is_unimodal(w) == (r["is_unimodal"] == "True"), w


def test_reference_minimal_filling_up_to_depth_5(tmp_path, reference):
    with Store(tmp_path / "a.sqlite") as s:
        res = frontier_search("mlp d0=2 dL=1 depth=2..5 width<=8 r=2", s)
    with open(reference / "2_1_cleaned_architectures.csv", newline="") as f:
        ref = {f"mlp {r['architecture'].strip('[]').replace(' ', '')} x^2"
               for r in csv.DictReader(f) if r["is_minimal"] == "True" and int(r["h"]) <= 5}
    assert set(res.minimal) == ref
    assert all(not d.undecided and not d.violations for d in res.depths)


@pytest.mark.parametrize("region", ["mlp d0=2 dL=1 depth=4 width<=5 r=2",
                                    "mlp d0=2 dL=2 depth=3 width<=6 r=2",
                                    pytest.param("mlp d0=3 dL=1 depth=3 width<=7 r=2",
                                                 marks=pytest.mark.slow)])
def test_frontier_equals_brute_force(tmp_path, region):
    """Minimal elements by definition, from a sweep of the whole box."""
    with Store(tmp_path / "a.sqlite") as s:
        sweep(region, s, backend="serial")
        obs = {o.label: o for o in s.observations(method="exact")}
        res = frontier_search(region, s, verify=True)
    fill = {lab: o.lower >= o.detail["ambient"] for lab, o in obs.items()}
    brute = set()
    for lab, ok in fill.items():
        w = _widths(lab)
        if not ok:
            continue
        preds = [w[:i] + (w[i] - 1,) + w[i + 1:] for i in range(1, len(w) - 1) if w[i] > 1]
        preds = [lab.replace(lab.split()[1], ",".join(map(str, p))) for p in preds]
        if not any(fill[p] for p in preds):
            brute.add(lab)
    assert set(res.minimal) == brute
    assert res.depths[0].violations == ()


def test_implied_observations_rest_on_comparable_sources(tmp_path):
    region = "mlp d0=2 dL=1 depth=5 width<=6 r=2"
    with Store(tmp_path / "a.sqlite") as s:
        res = frontier_search(region, s)
        implied = s.observations(method="monotonicity")
        assert implied and res.depths[0].n_implied == len(implied)
        labels = [o.label for o in implied]
        sweep(region, s, labels=labels, backend="serial")  # compute them directly
        direct = {o.label: o for o in s.observations(method="exact")}
        sources = {o.label: o for o in s.observations()}
    for o in implied:
        (src,) = o.derived_from
        assert src in sources
        w, v = _widths(o.label), _widths(src)
        d = direct[o.label]
        if o.value is not None:  # filling, implied from a smaller filling architecture
            assert all(a >= b for a, b in zip(w, v))
            assert d.value == o.value == d.detail["ambient"]
        else:  # not filling, implied from a larger non-filling one
            assert all(a <= b for a, b in zip(w, v))
            assert d.value < d.detail["ambient"]


def test_frontier_needs_one_family_member():
    from neuroalg import SpecError

    with pytest.raises(SpecError, match="one d0, one dL and one activation"):
        frontier_search(parse_region("mlp d0=2,3 dL=1 depth=3 width<=3 r=2"), None)


@pytest.mark.slow
def test_depth_6_unique_minimal(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        res = frontier_search("mlp d0=2 dL=1 depth=6 width<=8 r=2", s, verify=True)
    assert res.minimal == ("mlp 2,3,3,4,4,2,1 x^2",)
    assert res.depths[0].violations == ()


@pytest.mark.slow
def test_depth_7_against_reference(tmp_path, reference):
    """About 3 minutes: the 13 minimal filling architectures of depth 7 (widths <= 8)."""
    with Store(tmp_path / "a.sqlite") as s:
        res = frontier_search("mlp d0=2 dL=1 depth=7 width<=8 r=2", s)
    with open(reference / "2_1_cleaned_architectures.csv", newline="") as f:
        ref = {f"mlp {r['architecture'].strip('[]').replace(' ', '')} x^2"
               for r in csv.DictReader(f) if r["is_minimal"] == "True" and r["h"] == "7"}
    assert set(res.minimal) == ref
    flags = dict(zip(res.minimal, res.depths[0].unimodal))
    assert flags["mlp 2,3,4,5,4,6,4,1 x^2"] is False


def test_frontier_does_not_depend_on_workers(tmp_path):
    from neuroalg.atlas.export import export

    out = []
    for w in (1, 2):
        with Store(tmp_path / f"{w}.sqlite") as s:
            res = frontier_search("mlp d0=2 dL=1 depth=5 width<=6 r=2", s, workers=w)
            export(s, tmp_path / f"{w}.csv")
        out.append((res.minimal, res.depths[0].n_computed, (tmp_path / f"{w}.csv").read_bytes()))
    assert out[0] == out[1]


@pytest.mark.parametrize("search", [sweep, frontier_search])
def test_a_generator_seed_is_refused_by_name(search):
    # task seeds derive from an integer sweep seed; the frontier search used to fail with a
    # TypeError (int(None)) where the sweep names the problem
    with Store(":memory:") as s, pytest.raises(SpecError, match="needs an integer seed"):
        search("mlp d0=2 dL=1 depth=2 width<=2 r=2", s, seed=np.random.default_rng(0), workers=1)
