"""Real realizability of real points of neurovarieties, against known answers.

Known answers: every real matrix of rank <= r is realized by a real linear network (SVD); a real
binary cubic has real rank 2 iff it has one real root, and 3 (the degree) when its three roots
are real (Sylvester; Comas–Seiguer); a real quadric of rank <= h is a signed sum of h squares.
"""

import numpy as np
import pytest

from neuroalg.geometry.witness.critical import critical_points
from neuroalg.geometry.witness.realizable import NO, UNDECIDED, YES, real_realization
from neuroalg.geometry.witness.systems import image_system
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec


def _coords(spec, theta):
    arch = parse_spec(spec)
    phi = expand(arch)
    f = image_system(phi).evaluate(np.asarray(theta, dtype=np.complex128)[None])[0][0]
    return arch, phi, f.real


def _binary(spec, coefficients):
    """Coordinates of sum_i coefficients[i] x1^(r-i) x2^i in phi's order."""
    arch = parse_spec(spec)
    phi = expand(arch)
    f = np.array([coefficients[exps[1]] for _, exps in phi.keys], dtype=float)
    return arch, phi, f


@pytest.mark.parametrize("spec", ["linear 2,1,2", "linear 3,2,4", "linear 4,2,3,5", "linear 3,3,3"])
def test_every_real_point_of_a_determinantal_variety_is_realized(spec):
    rng = np.random.default_rng(7)
    arch = parse_spec(spec)
    for _ in range(3):
        r = min(arch.widths[1:-1])
        a = rng.standard_normal((arch.widths[-1], r)) @ rng.standard_normal((r, arch.widths[0]))
        phi = expand(arch)
        f = np.array([a[k, int(np.argmax(e))] for k, e in phi.keys])
        out = real_realization(arch, phi, f)
        assert out.status == YES, out.reason
        values = image_system(phi).evaluate(out.theta.astype(complex)[None])[0][0]
        assert np.allclose(values.real, f, atol=1e-10)


def test_binary_cubic_three_real_roots_vs_one():
    # x1 x2 (x1 - x2) = x1^2 x2 - x1 x2^2: three real roots -> real rank 3 > 2
    arch, phi, f = _binary("mlp 2,2,1 x^3", [0, 1, -1, 0])
    assert real_realization(arch, phi, f).status == NO
    # x1^3 + x2^3 = (x1 + x2)(x1^2 - x1 x2 + x2^2): one real root -> real rank 2
    arch, phi, f = _binary("mlp 2,2,1 x^3", [1, 0, 0, 1])
    out = real_realization(arch, phi, f)
    assert out.status == YES and out.theta is not None
    # random real cubics: the verdict follows the discriminant's sign
    rng = np.random.default_rng(3)
    for _ in range(20):
        c = rng.standard_normal(4)
        n_real = int(np.sum(np.abs(np.roots(c).imag) < 1e-9))
        arch, phi, f = _binary("mlp 2,2,1 x^3", c)
        assert real_realization(arch, phi, f).status == (YES if n_real == 1 else NO)


def test_binary_form_on_the_border_is_undecided():
    # x1^2 x2 has border rank 2 but rank 3: the apolar form t^2 has a double root
    arch, phi, f = _binary("mlp 2,2,1 x^3", [0, 1, 0, 0])
    assert real_realization(arch, phi, f).status == UNDECIDED


def test_binary_quartic_sum_of_conjugate_powers_is_not_real():
    # (x1 + i x2)^4 + (x1 - i x2)^4 = 2 x1^4 - 12 x1^2 x2^2 + 2 x2^4: apolar form t^2 + 1
    arch, phi, f = _binary("mlp 2,2,1 x^4", [2, 0, -12, 0, 2])
    assert real_realization(arch, phi, f).status == NO
    arch, phi, f = _coords("mlp 2,2,1 x^4", [1.0, 0.5, 1.0, -2.0, 1.5, -0.7])
    assert real_realization(arch, phi, f).status == YES


def test_binary_forms_of_degree_at_most_the_width_are_real():
    # a cubic with three real roots needs three real neurons: realized by mlp 2,3,1 x^3
    arch, phi, f = _binary("mlp 2,3,1 x^3", [0, 1, -1, 0])
    out = real_realization(arch, phi, f)
    assert out.status == YES
    arch, phi, f = _binary("mlp 2,4,1 x^3", [1, 2, -3, 0.5])
    assert real_realization(arch, phi, f).status == YES


def test_quadrics_of_low_rank_are_real():
    rng = np.random.default_rng(11)
    for spec in ("mlp 3,2,1 x^2", "mlp 4,3,1 x^2"):
        arch = parse_spec(spec)
        h = arch.widths[1]
        theta = rng.standard_normal(arch.n_params)
        theta[-h:] *= np.sign(rng.standard_normal(h))  # output weights of both signs
        arch, phi, f = _coords(spec, theta)
        assert real_realization(arch, phi, f).status == YES


def test_a_given_real_preimage_decides_other_families():
    arch, phi, f = _coords("mlp 2,2,2 x^2", [1, 2, -1, 0.5, 1, -1, 2, 0.3])
    assert real_realization(arch, phi, f).status == UNDECIDED
    out = real_realization(arch, phi, f, real_preimage=[1, 2, -1, 0.5, 1, -1, 2, 0.3])
    assert out.status == YES


def test_critical_points_of_a_linear_network_are_all_realizable():
    """Regression: 'linear 2,1,2' called a real rank-1 critical matrix 'not in the real
    neuromanifold' because no real preimage lay on the random gauge slice."""
    res = critical_points("linear 2,1,2", seed=1)
    assert res.n_real >= 1
    for pt in res.real_points:
        assert pt.realizable == YES and pt.index is not None and pt.weights is not None
    d = res.to_dict()
    assert all(len(p["function"]) == len(d["coordinates"]) for p in d["real_points"])
