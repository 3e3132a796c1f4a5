"""Dimension against published values, the MFA reference tables, and the laws it must obey."""

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neuroalg
from neuroalg import BudgetError, Certainty, SpecError, dimension

DATA = Path(__file__).parents[2] / "data"


def _rows(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", _rows("dimensions.csv"), ids=lambda r: r["spec"])
def test_published_dimensions(row):
    r = dimension(row["spec"], seed=0)
    assert r.dimension == int(row["dimension"]), row["source"]
    if row["certified"]:
        assert r.is_certified == (row["certified"] == "true"), row["source"]
    assert r.lower <= int(row["dimension"]) <= r.upper


def test_acceptance_defective_3_5_1():
    """Issue 2: dimension 14, expected 15, proven lower bound 14, error bound below 1e-9; the
    catalecticant certificate (issue 7) makes it certified with error 0."""
    r = dimension("mlp 3,5,1 x^4", seed=1)
    assert (r.dimension, r.expected, r.lower, r.upper) == (14, 15, 14, 14)
    assert r.is_certified and r.error_bound == 0.0 < 1e-9
    assert r.certificate["kind"] == "catalecticant" and r.certificate["matrix_shape"] == [6, 6]
    assert r.is_defective and r.defect == 1 and r.fiber_dimension == 6 and r.is_identifiable is False
    assert str(r).startswith("dim = 14 (certified)")


def test_koszul_certifies_the_cubic_exception():
    """(5,3,7) of Alexander-Hirschowitz: sums of 7 cubes in 5 variables form a hypersurface
    (Ottaviani 2009); no catalecticant sees it, the Koszul flattening K^2_1 (50x50) does."""
    r = dimension("mlp 5,7,1 x^3", seed=1)
    assert (r.dimension, r.expected, r.lower, r.upper) == (34, 35, 34, 34)
    assert r.is_certified and r.certificate["kind"] == "koszul"
    assert r.certificate["matrix_shape"] == [50, 50] and r.certificate["codimension"] == 1


def test_monte_carlo_when_no_certificate_applies():
    """A quadratic network of the MFA table 2_1 (dimension 23 there) whose upper bound 24 is
    not tight: the value is Monte Carlo, with its Schwartz-Zippel error bound."""
    r = dimension("mlp 2,3,30,3,8,2,1 x^2", seed=1)
    assert (r.dimension, r.lower, r.upper) == (23, 23, 24)
    assert r.certainty is Certainty.MONTE_CARLO and not r.is_certified
    assert 0 < r.error_bound < 1e-9
    assert str(r).startswith("dim in [23, 24], Monte Carlo 23, error <= ")
    assert r.to_dict()["certified"] is False


def test_acceptance_certified_3_3_3_3():
    d = dimension("mlp 3,3,3,3 x^2", seed=2).to_dict()
    keys = {"spec", "params", "ambient", "expected", "lower", "upper", "dimension", "certified",
            "error_bound", "defect", "filling", "fiber_dimension", "method", "seed", "seconds"}
    assert keys <= set(d)
    assert (d["dimension"], d["certified"], d["error_bound"], d["lower"], d["upper"]) == (21, True, 0.0, 21, 21)
    json.dumps(d)


def _reference_sample(reference, name, n, seed):
    path = reference / name
    if not path.exists():
        pytest.skip(f"reference table {path} absent")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    rng = np.random.default_rng(seed)
    return [rows[i] for i in sorted(rng.choice(len(rows), size=min(n, len(rows)), replace=False))]


@pytest.mark.parametrize("name", ["2_1_cleaned_architectures.csv", "2_2_cleaned_architectures.csv",
                                  "2_3_cleaned_architectures.csv"])
def test_mfa_reference_sample(name, reference):
    """A deterministic sample of Dao-Rodriguez's table: same dimension, and every filling row
    certified (their value is a rank over a finite field, i.e. a proven lower bound)."""
    for row in _reference_sample(reference, name, 30, seed=7):
        widths = json.loads(row["architecture"])
        r = dimension(f"mlp {','.join(map(str, widths))} x^{row['exponent']}", seed=0)
        assert r.dimension == int(row["dimension_computed"]), row
        assert r.params == int(row["num_parameters"]) and r.ambient == int(row["ambient_dimension"])
        if row["is_full_dimension"] == "True":
            assert r.is_certified, row


@pytest.mark.slow
@pytest.mark.parametrize("name", ["2_1_cleaned_architectures.csv", "2_2_cleaned_architectures.csv",
                                  "2_3_cleaned_architectures.csv"])
def test_mfa_reference_large_sample(name, reference):
    for row in _reference_sample(reference, name, 1500, seed=11):
        widths = json.loads(row["architecture"])
        r = dimension(f"mlp {','.join(map(str, widths))} x^{row['exponent']}", seed=0)
        assert r.dimension == int(row["dimension_computed"]), row


def test_projective_convention():
    a = dimension("mlp 3,3,3,3 x^2", seed=0)
    p = dimension("mlp 3,3,3,3 x^2", seed=0, projective=True)
    assert (p.dimension, p.ambient, p.expected) == (a.dimension - 3, a.ambient - 3, a.expected - 3)
    assert p.fiber_dimension == a.fiber_dimension and p.convention == "projective"
    c = dimension("cnn k=3,2 x^2", seed=0, projective=True)
    assert c.dimension == 3  # P^2 x P^1


def test_numerical_mode_agrees_and_says_so():
    for spec in ["mlp 3,3,3,3 x^2", "mlp 3,5,1 x^4", "cnn k=3,2 s=2,1 x^2"]:
        num = dimension(spec, seed=0, method="numerical")
        assert num.certainty is Certainty.NUMERICAL and num.lower is None and num.gap > 1e6
        assert num.dimension == dimension(spec, seed=0).dimension
        assert "numerical" in str(num).splitlines()[0]


def test_softmax_attention_is_numerical_only():
    r = dimension("attention l=1 d=3 a=2 t=2 softmax", seed=0)
    assert r.certainty is Certainty.NUMERICAL and not r.is_certified
    with pytest.raises(SpecError, match="not algebraic"):
        dimension("attention l=1 d=3 a=2 t=2 softmax", method="exact")


def test_budget_refusal_and_force():
    with pytest.raises(BudgetError, match=r"predicted ~.* GiB .* pass --force"):
        dimension("mlp 200,200,200,1 x^3", seed=0)
    with pytest.raises(BudgetError):
        dimension("mlp 10,10,10,1 x^2", seed=0, memory_limit=1000)
    assert dimension("mlp 10,10,10,1 x^2", seed=0, memory_limit=1000, force=True).dimension > 0


@pytest.mark.parametrize("kwargs, message", [({"method": "magic"}, "method must be"),
                                             ({"error_target": 2.0}, "error_target"),
                                             ({"max_trials": 0}, "max_trials"),
                                             ({"seed": -1}, "seed must be")])
def test_bad_options(kwargs, message):
    with pytest.raises(SpecError, match=message):
        dimension("mlp 3,2,1 x^2", **kwargs)


def test_seed_is_recorded_and_replays():
    r = dimension("mlp 3,5,1 x^4")
    assert isinstance(r.seed, int)
    again = dimension("mlp 3,5,1 x^4", seed=r.seed)
    assert again.primes == r.primes and again.ranks == r.ranks


widths_st = st.lists(st.integers(1, 4), min_size=2, max_size=4)


@given(widths_st, st.integers(1, 3), st.booleans(), st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_laws(widths, r, bias, seed):
    """lower <= dim <= upper <= min(#params, ambient); certified iff lower == upper; the
    dimension does not depend on the seed; the exact and numerical ranks agree."""
    spec = f"mlp {','.join(map(str, [widths[0] + 1] + widths[1:]))} x^{r}" + (" bias" if bias else "")
    a = dimension(spec, seed=seed)
    b = dimension(spec, seed=seed + 1)
    assert a.lower <= a.dimension <= a.upper <= min(a.params, a.ambient)
    assert a.is_certified == (a.lower == a.upper)
    assert a.error_bound == 0.0 if a.is_certified else 0 < a.error_bound < 1e-9
    assert a.dimension == b.dimension
    assert a.dimension == dimension(spec, seed=seed, method="numerical").dimension
    assert a.fiber_dimension == a.params - a.dimension


def test_public_api_docstring_example():
    assert neuroalg.dimension("mlp 2,2,1 x^3+x^2", seed=5).dimension == 6
    assert math.isfinite(neuroalg.dimension("linear 3,2,4", seed=5).seconds)


def test_huge_symmetry_matrix_is_not_built_when_it_cannot_matter():
    """(2,4,200,200,1,1) x^2: so(200) alone has 19,900 fields on 41k parameters (6 GiB as a
    matrix), but P - #fields >= ambient 17, so the upper bound is 17 without it. The function is
    a * z^2 with z a binary octic: dimension 9, certified by composition (9 + 1 - 1) with the
    wide factors bounded by their ambient dimensions; the symmetry rank stays unknown."""
    res = dimension("mlp 2,4,200,200,1,1 x^2", seed=3)
    assert res.symmetry_rank is None and res.lower == res.upper == 9
    assert res.certificate["kind"] == "composition"


@pytest.mark.parametrize("spec, m, n, r, bias", [("linear 4,2,3,5", 4, 5, 2, False),
                                                 ("mlp 3,4,2,5 x bias", 3, 5, 2, True),
                                                 ("linear 6,3,3,4", 6, 4, 3, False)])
def test_deep_linear_networks_are_certified_by_the_determinantal_theorem(spec, m, n, r, bias):
    """The image of a deep linear network lies in the rank <= r variety (r = narrowest width),
    of dimension r (m + n - r) (Harris Prop. 12.2); the rank mod p (an independent lower bound)
    meets it, so the value is certified and says which theorem."""
    res = dimension(spec, seed=3)
    want = r * (m + n - r) + (n if bias else 0)
    assert res.is_certified and res.lower == res.upper == res.dimension == want
    assert res.certificate is None or res.certificate["kind"] == "theorem"
    if res.symmetry_rank is not None and res.params - res.symmetry_rank > want:
        assert res.certificate["kind"] == "theorem" and "Harris" in res.certificate["verification"]


@pytest.mark.parametrize("widths", [(2, 2, 1), (3, 2, 2, 1), (2, 3, 2, 2)])
def test_rational_degrees_are_printed_and_match_the_reduced_fraction(widths):
    """deg P_k and deg Q of a 1/x network from the recursion, against sympy's reduced fraction
    of the network with random integer weights (independent)."""
    import sympy

    res = dimension("rational " + ",".join(map(str, widths)), seed=1)
    a, b = res.rational_degrees
    assert "rational degrees" in str(res) and res.to_dict()["rational_degrees"] == [a, b]
    rng = np.random.default_rng(5)
    xs = sympy.symbols(f"x0:{widths[0]}")
    h = list(xs)
    for l in range(1, len(widths)):
        w = rng.integers(1, 9, (widths[l], widths[l - 1]))
        z = [sum(int(w[i, j]) * h[j] for j in range(widths[l - 1])) for i in range(widths[l])]
        h = z if l == len(widths) - 1 else [1 / zi for zi in z]
    num, den = sympy.fraction(sympy.cancel(sympy.together(h[0])))
    assert (sympy.Poly(num, *xs).total_degree(), sympy.Poly(den, *xs).total_degree()) == (a, b)
