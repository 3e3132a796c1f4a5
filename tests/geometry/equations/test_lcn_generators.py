"""Recursive generators of LCNs with several strides > 1, against independent routes: the
interpolated ideal I_d (proven upper bounds), the certified dimension (the generators' Jacobian
at a point of V has rank codim V), and points off V."""

import flint
import numpy as np
import pytest

from neuroalg.fields import REAL
from neuroalg.geometry.dimension.dimension import dimension
from neuroalg.geometry.equations import equations
from neuroalg.geometry.equations import structural as st
from neuroalg.geometry.equations.lcn_generators import blocks, lcn_families
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec


@pytest.mark.parametrize("filters, strides, a, t", [
    ((3, 3, 2), (2, 3, 1), (2, 2, 1), (1, 2, 6)),
    ((2, 3, 2), (1, 2, 1), (3, 1), (1, 2)),       # stride 1 joins layers 1 and 2
    ((2, 2, 1), (2, 2, 1), (1, 1), (1, 2)),       # a last filter of size 1 is a constant
    ((4, 3, 4), (3, 2, 2), (3, 2, 3), (1, 3, 6)),
])
def test_blocks(filters, strides, a, t):
    assert blocks(filters, strides) == (a, t)
    # U = prod_l W_l(t^S_l) has the degree sum_j a_j T_j
    s_prod = [int(np.prod(strides[:l])) for l in range(len(filters))]
    assert sum((k - 1) * s for k, s in zip(filters, s_prod)) == sum(x * y for x, y in zip(a, t))


def _families(spec):
    arch = parse_spec(spec)
    phi = expand(arch)
    fams, notes = lcn_families(arch, phi, rng=np.random.default_rng(0))
    return arch, phi, fams, notes


def _point(arch, phi, rng):
    """Phi(theta) at random integer theta from the forward pass alone: the output on the unit
    input e_x is the coefficient of x_x (float64 is exact on these integers, below 2^53)."""
    theta = rng.integers(1, 30, size=arch.n_params) * rng.choice([-1, 1], size=arch.n_params)
    theta = theta.astype(float)  # no zero weight: a generic point, off the padded strata
    out = np.asarray(arch.forward(theta, np.eye(arch.widths[0]), REAL)).reshape(arch.widths[0], -1)
    return [flint.fmpq(int(np.rint(out[e.index(1), k]))) for k, e in phi.keys]


@pytest.mark.parametrize("spec", ["cnn k=2,2,2 s=2,2,1 x", "cnn k=3,2,2 s=2,2,1 x",
                                  "cnn k=3,3,2 s=2,3,1 x",
                                  pytest.param("cnn k=3,2,3 s=3,2,1 x", marks=pytest.mark.slow),
                                  "cnn k=2,2,2 s=2,2,1 x out=2"])
def test_generators_vanish_on_v_and_define_it_near_generic_points(spec):
    """Each generator vanishes at points of V computed by the forward pass (float64, exact for
    small integers), is nonzero at a random point of the ambient space, and together they have
    Jacobian rank = codim V at a point of V (dim V certified by ``dimension``): near generic
    points they cut V out with its reduced structure."""
    arch, phi, fams, _ = _families(spec)
    polys = [f for fam in fams for f in fam.polys]
    rng = np.random.default_rng(1)
    for _ in range(3):
        pt = _point(arch, phi, rng)
        assert all(f(*pt) == 0 for f in polys)
    off = [flint.fmpq(int(v)) for v in rng.integers(-9, 10, size=phi.n_coordinates)]
    assert any(f(*off) != 0 for f in polys)
    codim = phi.n_coordinates - dimension(arch, seed=0).dimension
    pt = _point(arch, phi, rng)
    grads = flint.fmpq_mat([[f.derivative(i)(*pt) for i in range(phi.n_coordinates)] for f in polys])
    assert grads.rank() == codim  # exact


@pytest.mark.parametrize("spec, degree", [
    pytest.param("cnn k=2,2,2 s=2,2,1 x", 3, marks=pytest.mark.slow), ("cnn k=3,2,2 s=2,2,1 x", 3),
    pytest.param("cnn k=3,3,2 s=2,3,1 x", 3, marks=pytest.mark.slow),  # the example
])
def test_recursive_generators_span_the_interpolated_ideal(spec, degree):
    """The issue's example had 10 quadrics + 141 cubics "interpolation only": the structural
    generators now span I_2 and I_3 (rank = the proven upper bound of dim I_d)."""
    res = equations(spec, degree=degree, seed=4)
    assert res.structural and res.structural_claim == ""  # generation of I(V): unproven
    spans = {x.degree: x.spans for x in res.structural_span}
    for p in res.parts:
        if p.upper:
            assert spans[p.degree] is True, (spec, p.degree)
    assert any("generate the ideal I(V) is unproven" in n for n in res.notes)


def test_single_inner_stride_keeps_the_two_layer_families():
    arch = parse_spec("cnn k=3,3 s=2,1 x")
    fams, _ = st.structural(arch, expand(arch), rng=np.random.default_rng(0))
    assert fams and all(not f.name.startswith("LCN stride split") for f in fams)
