"""Architectures: exact vs float evaluation, reverse mode vs finite differences, symmetries in
the kernel of the Jacobian, degree bounds, ambient dimensions."""

import math

import numpy as np
import pytest

from neuroalg import parse_spec
from neuroalg.fields import GF, REAL

SPECS = [
    "mlp 3,2,1 x^2", "mlp 2,3,2 x^3+x^2", "mlp 2,2,2,1 x^2 bias", "mlp 3,3,3,1 x^2,x^3",
    "linear 3,2,4", "mlp 2,3,1 x bias", "rational 2,3,1", "rational 3,2,2,1", "cnn k=3,2 s=2,1 x^2",
    "cnn k=2,3,2 s=1,2,1 x^2-x", "cnn k=3,3 x out=2", "attention l=1 d=3 a=2 t=3",
    "attention l=2 d=2 a=1 t=2 out=1", "mlp 3,3,1 x^2", "mlp 3,3,3,1 2x^2 bias", "mlp 2,4,1,2 x^2,x^3",
]
P = 1000003


@pytest.mark.parametrize("spec", SPECS)
def test_vjp_matches_finite_differences(spec):
    arch = parse_spec(spec)
    rng = np.random.default_rng(0)
    theta = arch.random_params(rng, REAL)
    x = arch.random_inputs(rng, 4, REAL, theta)
    cot = arch.random_cotangents(rng, 4, REAL)
    jac = arch.vjp(theta, x, cot, REAL)
    axes = tuple(range(1, cot.ndim))
    eps = 1e-6
    for i in range(arch.n_params):
        e = np.zeros(arch.n_params)
        e[i] = eps
        fd = ((arch.forward(theta + e, x, REAL) - arch.forward(theta - e, x, REAL)) * cot).sum(axes)
        assert np.allclose(fd / (2 * eps), jac[:, i], rtol=1e-5, atol=1e-6 * np.abs(jac).max())


@pytest.mark.parametrize("spec", [s for s in SPECS if "rational" not in s])
def test_exact_evaluation_agrees_with_float_on_small_integers(spec):
    """Over GF(p) and in float64 (exact for small integers) the maps must agree mod p."""
    arch = parse_spec(spec)
    rng = np.random.default_rng(1)
    theta = rng.integers(-2, 3, arch.n_params)
    x = rng.integers(-2, 3, (3,) + arch.input_shape)
    cot = rng.integers(-2, 3, (3,) + arch.output_shape)
    f = GF(P)
    if any(c.denominator != 1 for a in getattr(arch, "activations", ()) for c in a.coefficients):
        pytest.skip("rational coefficients")
    y_float = arch.forward(theta.astype(float), x.astype(float), REAL)
    assert np.abs(y_float).max() < 2**50
    assert (np.round(y_float).astype(np.int64) % P == arch.forward(theta, x, f)).all()
    j_float = arch.vjp(theta.astype(float), x.astype(float), cot.astype(float), REAL)
    assert (np.round(j_float).astype(np.int64) % P == arch.vjp(theta, x, cot, f)).all()


def test_rational_evaluation_exact():
    """1/x network: compare GF(p) with exact rational arithmetic (fractions)."""
    from fractions import Fraction

    arch = parse_spec("rational 2,2,1")
    theta = [1, 2, 3, -1, 5, 7]  # W1 = [[1,2],[3,-1]], W2 = [[5,7]]
    x = [[1, 1], [2, -3]]
    want = []
    for x0, x1 in x:
        h = [Fraction(1, 1 * x0 + 2 * x1), Fraction(1, 3 * x0 - 1 * x1)]
        v = 5 * h[0] + 7 * h[1]
        want.append(v.numerator * pow(v.denominator, -1, P) % P)
    got = arch.forward(np.array(theta), np.array(x), GF(P))
    assert got[:, 0].tolist() == want


def test_poles_are_avoided():
    arch = parse_spec("rational 2,3,1")
    f = GF(101)
    rng = np.random.default_rng(0)
    theta = arch.random_params(rng, f)
    x = arch.random_inputs(rng, 200, f, theta)
    assert not arch.pole_mask(theta, x, f).any()
    w1 = theta[:6].reshape(3, 2)
    assert ((x @ w1.T) % 101 != 0).all()


@pytest.mark.parametrize("spec", SPECS)
def test_symmetry_fields_lie_in_the_kernel(spec):
    arch = parse_spec(spec)
    f = GF(P)
    rng = np.random.default_rng(2)
    theta = arch.random_params(rng, f)
    s = arch.symmetry_fields(theta, f)
    if s.shape[1] == 0:
        return
    x = arch.random_inputs(rng, arch.n_params + 3, f, theta)
    jac = arch.vjp(theta, x, arch.random_cotangents(rng, len(x), f), f)
    assert (f.matmul(jac, s) == 0).all()


@pytest.mark.parametrize("spec", [s for s in SPECS if "rational" not in s])
def test_jacobian_degree_bounds_the_degree_along_a_line(spec):
    """Along a random line t -> (theta, x, c)(t) over GF(p), each sketched Jacobian entry is a
    polynomial in t of degree <= e: its (e+1)-th finite difference vanishes identically."""
    arch = parse_spec(spec)
    f = GF(P)
    rng = np.random.default_rng(3)
    e = arch.jacobian_degree
    base = [arch.random_params(rng, f), arch.random_inputs(rng, 2, f), arch.random_cotangents(rng, 2, f)]
    step = [arch.random_params(rng, f), arch.random_inputs(rng, 2, f), arch.random_cotangents(rng, 2, f)]
    rows = [arch.vjp(*[(b + t * s) % P for b, s in zip(base, step)], f) for t in range(e + 2)]
    diff = sum((-1) ** (e + 1 - t) * math.comb(e + 1, t) * rows[t] for t in range(e + 2))
    assert (diff % P == 0).all()
    lower = [arch.vjp(*[(b + t * s) % P for b, s in zip(base, step)], f) for t in range(e + 1)]
    diff_e = sum((-1) ** (e - t) * math.comb(e, t) * lower[t] for t in range(e + 1))
    assert (diff_e % P != 0).any(), "degree bound is not attained: it may be loose"


@pytest.mark.parametrize("d0, widths, r", [(3, (3, 2, 1), 2), (2, (2, 3, 3, 2), 2), (4, (4, 2, 1), 3),
                                           (2, (2, 2, 2, 2, 1), 3)])
def test_monomial_ambient_dimension(d0, widths, r):
    arch = parse_spec(f"mlp {','.join(map(str, widths))} x^{r}")
    D = r ** (len(widths) - 2)
    assert arch.ambient_dimension == widths[-1] * math.comb(d0 + D - 1, D)


def test_generic_activation_ambient():
    # x^3 + x^2 on (2,2,1): homogeneous parts of degrees 2 and 3 in 2 variables: 3 + 4 = 7
    assert parse_spec("mlp 2,2,1 x^3+x^2").ambient_dimension == 7
    # with biases all degrees 0..3 appear: C(2 + 3, 3) = 10
    assert parse_spec("mlp 2,2,1 x^3+x^2 bias").ambient_dimension == 10


@pytest.mark.parametrize("spec", ["mlp 2,3,2 x^3+x^2 bias", "cnn k=3,2 s=2,1 x^2", "rational 2,3,2",
                                  "attention l=2 d=2 a=1 t=2"])
def test_full_jacobian_over_gf_and_complex(spec):
    """The full Jacobian contracted with a covector is the vjp; complex128 agrees with float64 on
    real points and with finite differences in a complex direction (holomorphy)."""
    from neuroalg.fields import COMPLEX

    arch = parse_spec(spec)
    f = GF(P)
    rng = np.random.default_rng(4)
    theta = arch.random_params(rng, f)
    x = arch.random_inputs(rng, 3, f, theta)
    cot = arch.random_cotangents(rng, 3, f)
    full = arch.jacobian(theta, x, f)
    assert full.shape == (3, arch.n_outputs, arch.n_params)
    contracted = f.sum(f.mul(full, cot.reshape(3, -1, 1)), axis=1)
    assert (contracted == arch.vjp(theta, x, cot, f)).all()

    th = arch.random_params(rng, REAL)
    xr = arch.random_inputs(rng, 2, REAL, th)
    assert np.allclose(arch.forward(th.astype(complex), xr.astype(complex), COMPLEX), arch.forward(th, xr, REAL))
    thc = arch.random_params(rng, COMPLEX)
    xc = arch.random_inputs(rng, 2, COMPLEX, thc)
    jac = arch.jacobian(thc, xc, COMPLEX)
    v = arch.random_params(rng, COMPLEX)
    h = 1e-6
    fd = (arch.forward(thc + h * v, xc, COMPLEX) - arch.forward(thc - h * v, xc, COMPLEX)) / (2 * h)
    assert np.allclose(fd.reshape(2, -1), jac @ v, rtol=1e-5, atol=1e-7 * np.abs(jac).max())


@pytest.mark.parametrize("spec", ["mlp 3,2,1 x^2", "mlp 3,3,3,1 x^2 bias", "linear 3,2,4",
                                  "mlp 2,3,2 x bias", "mlp 2,2,1 x^3+x^2", "rational 2,3,1",
                                  "mlp 3,4,2,1 x^2,x", "cnn k=3,2 s=1,1 x^2"])
def test_symmetry_field_count_formula(spec):
    from neuroalg.fields import REAL

    arch = parse_spec(spec)
    theta = arch.random_params(np.random.default_rng(1), REAL)
    assert arch.n_symmetry_fields == arch.symmetry_fields(theta, REAL).shape[1]


@pytest.mark.parametrize("spec", ["mlp 3,2,2,1 x^2", "mlp 2,3,1 x^3 bias", "rational 2,3,1",
                                  "cnn k=3,2,2 s=2,1,1 x^2", "linear 2,3,2", "mlp 2,2,1 x^3+x^2"])
def test_units_layout_gives_symmetries_in_the_kernel(spec):
    """Each rescaling unit's field (t on input_side, -power t on outgoing) is killed by dPhi, and
    the units cover each hidden parameter block exactly once."""
    from neuroalg.fields import GF
    from neuroalg.geometry.jacobian import sketched_jacobian
    from neuroalg.spec import parse_spec

    arch = parse_spec(spec)
    units = arch.units()
    p = 2_147_483_629
    f, rng = GF(p), np.random.default_rng(1)
    theta = arch.random_params(rng, f)
    jac = sketched_jacobian(arch, theta, arch.n_params + 2, f, rng)
    incoming = [k for u in units for k in u.input_side]
    assert len(incoming) == len(set(incoming))
    for u in units:
        v = np.zeros(arch.n_params, dtype=np.int64)
        v[list(u.input_side)] = theta[list(u.input_side)]
        if u.group == "rescaling":
            v[list(u.outgoing)] = (-u.power * theta[list(u.outgoing)]) % p
            assert not np.any(jac.astype(object) @ v.astype(object) % p)
        elif u.group == "none":
            v[list(u.outgoing)] = (-theta[list(u.outgoing)]) % p
            assert np.any(jac.astype(object) @ v.astype(object) % p)  # x^3+x^2: no rescaling
