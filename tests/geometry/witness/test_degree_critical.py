"""Degrees and critical-point counts of neurovarieties against published values and closed forms."""

import csv
from math import comb
from pathlib import Path

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.fields import COMPLEX
from neuroalg.geometry import formulas
from neuroalg.geometry.witness.critical import critical_points
from neuroalg.geometry.witness.degree import degree, solve_witness
from neuroalg.geometry.witness.systems import image_system
from neuroalg.homotopy.monodromy import trace_test
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec

with open(Path(__file__).parents[2] / "data" / "homotopy.csv") as handle:
    ROWS = list(csv.DictReader(handle))
#: rows over ~8 s on the 2-core machine: still run by `make test-all`
SLOW = {("critical", "mlp 3,1,1 x^2"), ("critical", "mlp 2,1,1 x^3")}


def _rows(invariant):
    return [pytest.param(r, marks=pytest.mark.slow) if (invariant, r["spec"]) in SLOW else r
            for r in ROWS if r["invariant"] == invariant]


@pytest.mark.parametrize("row", _rows("degree"), ids=lambda r: r["spec"])
def test_degree(row):
    res = degree(row["spec"], seed=7)
    assert res.degree == int(row["value"]), row["source"]
    if res.is_by_theorem:  # linear networks, one hidden neuron: a theorem identifies V
        assert res.status.value == "certified" and res.expected == res.degree
        return
    assert res.is_trace_passed and res.trace_residual < 1e-8
    assert res.n_certified == res.n_solutions == res.degree
    assert res.n_failed < res.n_paths / 20


@pytest.mark.parametrize("spec", ["linear 3,2,3", "linear 2,1,3", "mlp 3,1,1 x^2", "mlp 2,1,2 x^3",
                                  "mlp 3,2,1 x^2", pytest.param("mlp 4,2,1 x^2", marks=pytest.mark.slow)])
def test_witness_degree_agrees_with_theorem(spec):
    """The witness-set count (numerical) against the theorem's value (independent methods)."""
    theorem = degree(spec, seed=3)
    witness = degree(spec, seed=3, method="witness")
    assert theorem.is_by_theorem and not witness.is_by_theorem
    assert witness.degree == theorem.degree and witness.is_trace_passed
    assert witness.expected == theorem.degree


def test_degree_by_theorem_for_linear_networks():
    """Values the formula did not produce: 4 x 4 matrices of rank <= 2 have degree 20 (Harris
    Ex. 19.10; Macaulay2's degree of the kernel, issue 18); m x n matrices (m <= n) of rank
    <= m - 1 are cut out by the maximal minors, of degree C(n, m - 1); full rank: degree 1."""
    res = degree("linear 4,2,4")
    assert (res.degree, res.dimension, res.status.value) == (20, 12, "certified")
    assert "Harris" in res.expected_reference and "by theorem" in str(res)
    assert degree("linear 3,2,5").degree == comb(5, 2)
    assert degree("linear 5,3,4,3,4").degree == comb(5, 3)  # 4 x 5, rank <= 3
    assert degree("linear 2,3,2").degree == 1
    with pytest.raises(SpecError):
        degree("mlp 2,2,1 x^3", method="theorem")


def test_symmetric_determinantal_degrees():
    """Harris-Tu against values the formula did not produce: a conic, the 3 x 3 symmetric
    determinant (a cubic), the Veronese surface (4) and threefold (8), the 4 x 4 symmetric
    determinant (a quartic), and 10 for rank <= 2 in 4 x 4 (Macaulay2, issue 18)."""
    from neuroalg.geometry.witness.degree import symmetric_determinantal_degree as sym

    assert [sym(2, 1), sym(3, 2), sym(3, 1), sym(4, 1), sym(4, 3), sym(4, 2)] == [2, 3, 4, 8, 4, 10]
    res = degree("mlp 4,2,1 x^2")
    assert res.is_by_theorem and (res.degree, res.dimension) == (10, 7)


def test_cnn_degree_beside_the_closed_form():
    """Shahverdi-Marchetti-Kohn: the Segre-Veronese degree is printed beside the count, which
    reaches it (stride 2 included)."""
    res = degree("cnn k=3,2 s=2,1 x^2", seed=1)
    assert res.expected == formulas.cnn_degree([3, 2], 2) == res.degree
    assert "expected by theorem" in str(res) and res.is_trace_passed


@pytest.mark.parametrize("row", _rows("critical"),
                         ids=lambda r: f'{r["spec"]} {r["metric"]}')
def test_critical_count(row):
    res = critical_points(row["spec"], metric=row["metric"], seed=5)
    assert res.n_critical == int(row["value"]), row["source"]
    assert res.n_certified == res.n_solutions
    for pt in res.real_points:
        assert pt.loss >= -1e-9


def test_closed_forms_agree_with_table():
    assert formulas.cnn_degree([2, 2], 2) == 4
    assert formulas.cnn_degree([3, 2], 2) == 12
    assert formulas.determinantal_degree(3, 3, 2) == 3
    assert formulas.segre_veronese_ed_degree([1, 1], [1, 1]) == 6
    assert formulas.segre_veronese_ed_degree([1, 2], [1, 1]) == 10
    assert formulas.segre_veronese_ed_degree([2], [2]) == 13
    assert formulas.segre_veronese_ed_degree([1], [3]) == 7


def test_unit_metric_real_points_are_eckart_young():
    """All C(min(m,n), r) critical points of the Frobenius distance are real, and exactly one
    is a minimum (the truncated SVD)."""
    res = critical_points("linear 3,1,4", metric="unit", seed=3)
    assert res.n_real == 3
    assert sorted(p.index for p in res.real_points) == [0, 1, 2]


def test_expansion_matches_forward_pass():
    rng = np.random.default_rng(0)
    for spec in ["cnn k=3,2 s=2,1 x^2", "mlp 2,2,1 x^3+x^2 bias", "attention l=1 d=2 a=1 t=2"]:
        arch = parse_spec(spec)
        phi = expand(arch)
        theta = arch.random_params(rng, COMPLEX)
        x = arch.random_inputs(rng, 3, COMPLEX)
        coeffs = image_system(phi)(theta)[0]
        for j in range(3):
            want = np.asarray(arch.forward(theta, x[j:j + 1], COMPLEX)).reshape(-1)
            got = np.zeros_like(want)
            flat = x[j].reshape(-1)
            for (k, exps), c in zip(phi.keys, coeffs):
                got[k] += c * np.prod(flat ** np.array(exps))
            np.testing.assert_allclose(got, want, rtol=1e-10)


def test_trace_test_rejects_incomplete_witness_set():
    rng = np.random.default_rng(1)
    w = solve_witness(expand("cnn k=3,2 s=1,1 x^2"), 4, rng, stagnation=30)
    assert len(w.solutions) == 36 and w.n_images == 12  # 3 gauge-slice points per function
    assert w.trace.is_passed
    assert np.bincount(w.labels).tolist() == [3] * 12
    phi_system = image_system(expand("cnn k=3,2 s=1,1 x^2"))
    direction = np.zeros_like(w.parameters)
    direction[:4] = rng.standard_normal(4)

    def image(x):
        return phi_system.evaluate(x)[0]

    for part in (w.solutions[:18], w.solutions[w.labels != 0]):  # half; all preimages of one image
        partial = trace_test(w.system, part, w.parameters, direction, image, rng)
        assert not partial.is_passed and partial.residual > 1e-4
