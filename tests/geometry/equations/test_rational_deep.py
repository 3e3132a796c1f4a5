"""Equations of deep binary 1/x networks: the common-factor minors against interpolation.

The interpolation (ranks mod p, lifted and verified exactly) never sees the structural family;
the dimensions come from neuroalg.dimension; the counts of minors are those of determinantal
ideals of the expected codimension (Eagon-Northcott: the maximal minors of a 4 x 5 matrix of
rank <= 3, codimension 2, are 5 independent quartics).
"""

import numpy as np
import pytest

import neuroalg
from neuroalg.geometry.equations import structural as st
from neuroalg.geometry.equations.equations import equations
from neuroalg.geometry.equations.rational_map import rational_map
from neuroalg.spec import parse_spec


def test_common_factor_minors_vanish_and_count():
    arch = parse_spec("rational 2,2,2,2")
    phi = rational_map(arch)
    (fam,), notes = st.structural(arch, phi, rng=np.random.default_rng(0))
    assert fam.name == "deep binary common factor" and fam.n_generators == 5 and fam.degree == 4
    assert "(exact)" in fam.verification and "substituted symbolically" in fam.verification
    assert fam.cuts_out == "set" and not notes
    # V has codimension 2 in the cone of (P1, P2, Q): the expected codimension of the minors
    assert phi.n_coordinates - (neuroalg.dimension(arch, seed=0).dimension + 1) == 2


def test_three_outputs_add_the_numerator_span():
    arch = parse_spec("rational 2,2,2,3")
    fams, _ = st.structural(arch, rational_map(arch), rng=np.random.default_rng(1))
    assert [(f.name, f.degree, f.n_generators) for f in fams] == [
        ("deep binary common factor", 4, 75), ("deep binary numerator span", 3, 4)]


@pytest.mark.parametrize("spec", ["rational 2,2,2,1", "rational 2,2,2,2,1", "rational 3,2,2,2", "rational 2,3,2,2"])
def test_no_family_where_the_theorem_does_not_apply(spec):
    """dL = 1 fills (deep binary classification); d0 = 3 and widths 3 are outside the theorem."""
    arch = parse_spec(spec)
    fams, _ = st.structural(arch, rational_map(arch), rng=np.random.default_rng(0))
    assert fams == []


@pytest.mark.slow
def test_interpolation_finds_exactly_the_five_quartics():
    res = equations("rational 2,2,2,2", degree=4, seed=0)
    assert [p.upper for p in res.parts] == [0, 0, 0, 5] and res.status.value == "certified"
    (fam,) = res.structural
    assert [s.spans for s in res.structural_span] == [True]


@pytest.mark.slow
def test_interpolation_finds_the_four_cubics_of_three_outputs():
    res = equations("rational 2,2,2,3", degree=3, seed=0)
    assert [p.upper for p in res.parts] == [0, 0, 4] and res.status.value == "certified"
    assert [s.spans for s in res.structural_span] == [True]
