"""Which theorem applies: textbook degrees and critical-point counts, None elsewhere."""

import pytest

from neuroalg.geometry.expected import expected_critical, expected_degree
from neuroalg.spec import parse_spec


@pytest.mark.parametrize("spec, degree, why", [
    ("linear 2,1,2", 2, "2x2 rank <= 1: the quadric det = 0"),
    ("linear 3,2,3", 3, "3x3 rank <= 2: the cubic det = 0"),
    ("linear 2,1,3", 3, "Segre P1 x P2: degree C(3, 1)"),
    ("linear 3,1,3", 6, "Segre P2 x P2: degree C(4, 2)"),
    ("mlp 2,1,1 x^3", 3, "cone over the twisted cubic"),
    ("mlp 3,2,1 x^2", 3, "ternary quadrics of rank <= 2: the discriminant cubic"),
    ("mlp 3,1,1 x^2", 4, "Veronese surface: degree 2^2"),
])
def test_textbook_degrees(spec, degree, why):
    theorem = expected_degree(parse_spec(spec))
    assert theorem is not None and theorem.value == degree, why
    assert theorem.reference and theorem.to_dict()["value"] == degree


@pytest.mark.parametrize("spec, metric, count, why", [
    ("linear 2,1,2", "unit", 2, "Eckart-Young C(2, 1)"),
    ("linear 3,2,4", "unit", 3, "Eckart-Young C(3, 2)"),
    ("linear 2,1,2", "generic", 6, "generic ED degree of P1 x P1 (DHOST)"),
    ("mlp 2,1,1 x^3", "generic", 7, "twisted cubic: 3 d - 2"),
    ("mlp 3,1,1 x^2", "generic", 13, "Veronese surface"),
    ("mlp 3,3,1 x^2", "unit", 1, "all ternary quadrics"),
])
def test_textbook_critical_counts(spec, metric, count, why):
    theorem = expected_critical(parse_spec(spec), metric)
    assert theorem is not None and theorem.value == count, why


def test_data_metric_needs_enough_samples():
    arch = parse_spec("linear 3,1,3")
    assert expected_critical(arch, "data", n_samples=2) is None  # fewer samples than inputs
    assert expected_critical(arch, "data", n_samples=3).value == 3  # whitening: Eckart-Young


@pytest.mark.parametrize("spec", ["mlp 3,3,3,1 x^2", "rational 2,2,1", "mlp 2,2,2,1 x^3"])
def test_no_theorem(spec):
    assert expected_degree(parse_spec(spec)) is None
    assert expected_critical(parse_spec(spec), "generic") is None


def test_filling_needs_a_certified_full_dimension():
    """V = C^M (dim V = M coordinates, certified) has one critical point for any nondegenerate
    metric: f = u. Without a certified dimension, with dim V < M, or with a data metric whose
    evaluations do not determine f (projected dimension < M), no theorem is claimed."""
    arch = parse_spec("mlp 2,2,1 x^3")  # binary cubics: M = 4
    for metric in ("generic", "unit"):
        theorem = expected_critical(arch, metric, n_coordinates=4, dimension=4)
        assert theorem is not None and theorem.value == 1 and "C^4" in theorem.statement
    assert expected_critical(arch, "generic", n_coordinates=4) is None  # not certified
    assert expected_critical(arch, "generic", n_coordinates=4, dimension=3) is None
    assert expected_critical(arch, "data", n_samples=3, n_coordinates=4, dimension=4,
                             projected_dimension=3) is None
    data = expected_critical(arch, "data", n_samples=8, n_coordinates=4, dimension=4,
                             projected_dimension=4)
    assert data is not None and data.value == 1 and "nondegenerate" in data.statement
    # a specific theorem keeps its own statement
    assert "all 2 x 2 matrices" in expected_critical(parse_spec("linear 2,2,2"), "generic",
                                                     n_coordinates=4, dimension=4).statement
