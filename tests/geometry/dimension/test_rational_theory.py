"""The dimension theory of 1/x networks against certified Jacobian-rank dimensions.

The certified dimensions come from neuroalg.dimension (rank mod p of the sketched Jacobian of the
forward pass, upper bound from the symmetry fields): an independent route from the closed forms
of rational_theory (partial fractions, the levels of linear forms of deep binary networks) and
from the filling classification of deep binary RationalNets (Grosdos-Robeva-Zubkov).
"""

import pytest

import neuroalg
from neuroalg.atlas.region import parse_region
from neuroalg.geometry.dimension.rational_theory import rational_checks, rational_prediction
from neuroalg.spec import parse_spec

#: every architecture with hidden widths 2, d0 <= 4, dL <= 3 and 2 <= L <= 5 weight layers
BINARY = parse_region("rational d0=1..4 dL=1..3 depth=2..5 width=2").labels()


def test_the_region_is_every_binary_architecture():
    assert len(BINARY) == 4 * 3 * 4
    assert {parse_spec(s).widths[1:-1] for s in BINARY} == {(2,) * k for k in range(1, 5)}


@pytest.mark.parametrize("spec", BINARY)
def test_binary_dimension_and_filling_against_certified_dimension(spec):
    arch = parse_spec(spec)
    res = neuroalg.dimension(arch, seed=0)
    assert res.is_certified
    d0, m, L = arch.widths[0], arch.widths[-1], arch.depth
    assert res.dimension == (m if d0 == 1 else 2 * (d0 + L + m) - 6)
    if d0 == 2:  # the classification: fills iff L = 2 or dL = 1
        assert res.is_filling == (L == 2 or m == 1)
    else:  # d0 = 1 always fills, d0 >= 3 never
        assert res.is_filling == (d0 == 1)
    kinds = {t.kind: t for t in res.theory}
    assert set(kinds) == {"dimension", "filling"}
    assert all(t.agrees is True for t in res.theory)
    assert ("not filling" not in kinds["filling"].statement) == res.is_filling
    if d0 == 2:
        assert "deep binary classification" in kinds["filling"].statement


@pytest.mark.parametrize("spec", [f"rational {d0},{h},{m}" for d0 in (2, 3, 4) for h in (1, 3, 4)
                                  for m in (1, 2)])
def test_shallow_dimension_is_h_times_d0_plus_m_minus_1(spec):
    arch = parse_spec(spec)
    res = neuroalg.dimension(arch, seed=1)
    d0, h, m = arch.widths
    assert res.is_certified and res.dimension == h * (d0 + m - 1) == rational_prediction(arch)[0]
    assert all(t.agrees is True for t in res.theory)


@pytest.mark.parametrize("spec", ["rational 2,3,2,1", "rational 3,2,3,1", "rational 2,1,2,1"])
def test_other_widths_get_the_rescaling_bound(spec):
    arch = parse_spec(spec)
    res = neuroalg.dimension(arch, seed=2)
    (check,) = res.theory
    assert check.kind == "bound" and check.agrees is True
    assert res.dimension <= check.value == min(arch.n_params - sum(arch.widths[1:-1]), arch.ambient_dimension)


def test_projective_convention_shifts_the_prediction():
    res = neuroalg.dimension("rational 2,2,2,3", seed=0, projective=True)
    dim_check = next(t for t in res.theory if t.kind == "dimension")
    assert dim_check.value == 10 - 3 == res.dimension and dim_check.agrees is True


def test_a_wrong_computed_dimension_is_flagged():
    arch = parse_spec("rational 2,2,2,1")  # theory: 6 = ambient, fills
    checks = rational_checks(arch, dimension=5, lower=5, upper=5, certified=True, ambient=6)
    assert [t.agrees for t in checks] == [False, False]
    assert "DISAGREES" in checks[0].line()
    undecided = rational_checks(arch, dimension=5, lower=5, upper=6, certified=False, ambient=6)
    assert [t.agrees for t in undecided] == [None, None]


def test_printed_lines_and_json():
    res = neuroalg.dimension("rational 2,2,2,2,1", seed=0)
    text = str(res)
    assert "theory: filling" in text and "filling by the deep binary classification" in text
    record = res.to_dict()
    assert [t["kind"] for t in record["theory"]] == ["dimension", "filling"]
    assert neuroalg.dimension("mlp 2,2,1 x^2", seed=0).theory == ()
