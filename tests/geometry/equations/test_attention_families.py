"""Equations of one-layer attention: the linear span first, and the attention invariant families
against independent constructions (sympy's resultant, interpolation over all coordinates)."""

from math import comb

import numpy as np
import pytest
import sympy

from neuroalg.geometry.equations import equations
from neuroalg.geometry.equations.equations import _interpolate
from neuroalg.geometry.equations.structural import structural
from neuroalg.linalg import random_prime
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec

PAPER = "attention l=1 d=2 a=2 t=2 out=1"


def _quadrics(arch, phi):
    """F_1, F_2 (binary quadrics in z0, z1 with coordinate coefficients), read off independently
    through Attention.quadric_key."""
    index = {k: i for i, k in enumerate(phi.keys)}
    z0, z1 = sympy.symbols("z0 z1")
    ys = sympy.symbols(f"y0:{phi.n_coordinates}")
    return [sum(ys[index[arch.quadric_key(0, q, m)]] * z0 ** m[0] * z1 ** m[1]
                for m in ((2, 0), (1, 1), (0, 2))) for q in (0, 1)], z0, z1, ys


def test_quartic_of_one_layer_attention():
    """Henry-Marchetti-Kohn's hypersurface: 20 coordinates, 14 linear forms (I_1 certified), and
    in the 6 free coordinates exactly one quartic, which is sympy's resultant of the two binary
    quadrics F_1, F_2 modulo I_1."""
    res = equations(PAPER, degree=4, seed=0, structural=False)
    assert [p.upper for p in res.parts] == [14, comb(21, 2) - comb(7, 2), comb(22, 3) - comb(8, 3),
                                           comb(23, 4) - comb(9, 4) + 1]
    assert res.status.value == "certified" and any("6 free coordinates" in n for n in res.notes)
    (f1, f2), z0, z1, ys = _quadrics(parse_spec(PAPER), expand(PAPER))
    resultant = sympy.resultant(f1, f2, z0).subs(z1, 1)
    free = (11, 13, 16, 17, 18, 19)  # the note's free coordinates
    pivots = sympy.solve([sympy.sympify(g) for g in res.generators[:14]],
                         [ys[i] for i in range(20) if i not in free], dict=True)[0]
    reduced = sympy.expand(resultant.subs(pivots))
    assert sympy.simplify(sympy.sympify(res.generators[-1]) / reduced).is_number


def test_sylvester_family_is_the_resultant_and_generates_with_i1():
    arch, phi = parse_spec(PAPER), expand(PAPER)
    families, _ = structural(arch, phi, rng=np.random.default_rng(0))
    (fam,) = [f for f in families if "Sylvester" in f.name]
    assert fam.cuts_out == "ideal" and "exact" in fam.verification
    (f1, f2), z0, z1, _ = _quadrics(arch, phi)
    ratio = sympy.simplify(sympy.sympify(fam.generators[0]) / sympy.resultant(f1, f2, z0).subs(z1, 1))
    assert ratio.is_number and ratio != 0
    assert len(fam.polys[0].factor()[1]) == 1  # irreducible over Q, as the claim needs


def test_quotient_interpolation_matches_full_interpolation():
    """dim I_d in the quotient coordinates plus (I_1)_d equals the proven bound of the
    interpolation over all 20 coordinates (the old route: the rank of 1540 cubic monomials)."""
    res = equations(PAPER, degree=3, seed=1, structural=False)
    assert any("free coordinates y11, y13, y16, y17, y18, y19" in n for n in res.notes)
    phi, rng = expand(PAPER), np.random.default_rng(7)
    primes = [random_prime(30, rng)]
    for d in (2, 3):
        _, upper, _, _ = _interpolate(phi, list(range(phi.n_coordinates)), d, primes, rng, 0)
        assert upper == res.parts[d - 1].upper == res.parts[d - 1].lower


@pytest.mark.parametrize("spec, degree", [("attention l=1 d=2 a=2 t=2", 2),
                                          ("attention l=1 d=2 a=1 t=2 out=1", 2),
                                          ("attention l=1 d=2 a=2 t=3 out=1", 1)])
def test_families_span_the_low_degrees(spec, degree):
    """Linear invariants span I_1; with two outputs the rank-one values (quadrics) complete
    I_2; for a = 1 the 2x3 flattening of rank one gives the ideal (determinantal)."""
    res = equations(spec, degree=degree, seed=2)
    assert all(p.is_certified for p in res.parts)
    assert [x.spans for x in res.structural_span] == [True] * degree
    assert all("exact" in f.verification or "over Q" in f.verification for f in res.structural)
    assert not any("dropped" in n for n in res.notes)


def test_cubic_families_for_three_features():
    """d = 3, a = 2: the 3x6 flattening of rank <= 2 (20 cubics) and the Chow-type cubics vanish
    on V (verified exactly); I_2 is only (I_1)_2."""
    spec = "attention l=1 d=3 a=2 t=2 out=1"
    families, _ = structural(parse_spec(spec), expand(spec), rng=np.random.default_rng(3))
    names = [f.name for f in families]
    assert "attention low rank (value side)" in names and sum("Chow" in n for n in names) == 10
    (low,) = [f for f in families if f.name == "attention low rank (value side)"]
    assert low.n_generators == comb(6, 3) and low.degree == 3
    assert all("exact" in f.verification or "over Q" in f.verification for f in families)
    res = equations(spec, degree=2, seed=3, structural=False)
    assert res.parts[1].upper == res.parts[1].lower == comb(57, 2) - comb(19, 2)


def test_single_token_has_no_families():
    res = equations("attention l=1 d=2 a=1 t=1", degree=1, seed=0)
    assert not res.structural and any("one token" in n for n in res.notes)


@pytest.mark.parametrize("spec", ["attention l=1 d=2 a=1 t=2 out=1", "attention l=1 d=2 a=2 t=2"])
def test_spans_modulo_i1_match_the_full_comparison(spec):
    """The structural spans computed modulo I_1 in the free coordinates have the ranks of the
    comparison over all coordinates (the products of every generator with every monomial)."""
    from neuroalg.geometry.equations.structural import span

    res = equations(spec, degree=2, seed=4)
    bounds = {p.degree: (p.lower, p.upper) for p in res.parts}
    polys = [g for f in res.structural for g in f.polys]
    full = span(polys, bounds, len(res.coordinates), prime=res.primes[0], max_rows=10**5)
    assert [x.rank for x in full] == [x.rank for x in res.structural_span]
    assert [x.spans for x in full] == [x.spans for x in res.structural_span] == [True, True]
