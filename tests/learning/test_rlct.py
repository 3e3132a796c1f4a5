"""Learning coefficients against published and independently derived values."""

from fractions import Fraction as Fr

import numpy as np
import pytest
from scipy import integrate, special

from neuroalg.errors import SpecError
from neuroalg.learning.rlct import learning_coefficient, reduced_rank_regression


@pytest.mark.parametrize("M, N, H, r, lam, m", [
    (1, 1, 1, 0, Fr(1, 2), 2),   # K ~ a^2 b^2
    (1, 1, 1, 1, Fr(1, 2), 1),   # y = b a x, truth nonzero: smooth, dim 1
    (1, 1, 2, 0, Fr(1, 2), 1),   # K ~ (a1 b1 + a2 b2)^2: lct of a non-degenerate quadric = 1
    (2, 2, 2, 2, Fr(2), 1),      # regular point of the full 2x2 matrices: dim/2
    (3, 3, 3, 3, Fr(9, 2), 1),
    (3, 3, 2, 1, Fr(7, 2), 2),   # linear 3,2,3 with a rank-1 truth
    (3, 1, 1, 1, Fr(3, 2), 1),   # case 3: r(M + N - r)/2 = 3/2, minimally singular
    (1, 3, 1, 1, Fr(3, 2), 1),   # case 2, by the symmetry M <-> N
    (2, 2, 5, 1, Fr(2), 1),      # case 4: M N / 2, the model fills the 2x2 matrices
])
def test_aoyagi_watanabe_values(M, N, H, r, lam, m):
    assert reduced_rank_regression(M, N, H, r)[:2] == (lam, m)
    assert reduced_rank_regression(N, M, H, r)[0] == lam  # transposing the regression


def test_minimally_singular_rrr_is_half_the_dimension():
    # H = r: the true set is a manifold, lambda = dim of rank-r matrices / 2 = r (M + N - r) / 2
    for M in range(1, 5):
        for N in range(1, 5):
            for r in range(1, min(M, N) + 1):
                assert reduced_rank_regression(M, N, r, r)[0] == Fr(r * (M + N - r), 2)


def test_rrr_never_exceeds_half_the_parameters():
    for M in range(1, 5):
        for N in range(1, 5):
            for H in range(1, 5):
                for r in range(min(M, N, H) + 1):
                    lam = reduced_rank_regression(M, N, H, r)[0]
                    assert 0 < lam <= Fr(H * (M + N), 2)


def test_linear_networks_agree_with_the_newton_polyhedron_formula():
    # linear 1,H,1 at 0 is mlp 1,H,1 x (r = 1): lct(sum a_h b_h) = min(1, H)/2 = 1/2
    for H in (1, 2, 3):
        assert learning_coefficient(f"linear 1,{H},1", rank=0).coefficient == Fr(1, 2)


@pytest.mark.parametrize("spec, at, lam", [
    ("mlp 1,1,1 x^2", "0,0", Fr(1, 4)),        # a^2 b^4: normal crossing, min(1/2, 1/4)
    ("mlp 1,1,1 x^3", "0,5", Fr(1, 6)),        # a^2 b^6 near a = 5
    ("mlp 1,2,1 x^2", "0,0,0,0", Fr(1, 2)),    # min(1, 2/2)/2
    ("mlp 1,3,1 x^2", "0,0,0,0,0,0", Fr(1, 2)),  # capped: smooth real zeros
    ("mlp 1,3,1 x^2", "0,0,0,1,2,3", Fr(3, 4)),  # definite: H/(2r)
    ("mlp 1,3,1 x^2", "0,0,0,1,-2,3", Fr(1, 2)),  # indefinite: capped
    ("mlp 1,2,1 x^4", "0,0,1,1", Fr(1, 4)),     # H/(2r) = 2/8
    ("mlp 1,2,1 x^2", "1,0,1,0", Fr(1, 2)),     # b_1 != 0: smooth
])
def test_one_input_monomial_networks(spec, at, lam):
    r = learning_coefficient(spec, at=at, seed=0)
    assert r.coefficient == lam and r.status == "certified"
    assert r.lower <= lam <= r.upper


def _log_slope(Z, n):
    return (np.log(Z(n * 1.01)) - np.log(Z(n / 1.01))) / (2 * np.log(1.01))


def test_rlct_against_quadrature_of_the_partition_function():
    # Z(n) = int_{[-1,1]^2} exp(-n K) ~ c n^-lambda (log n)^(m-1): d log Z / d log n -> -lambda + (m-1)/log n
    def Z_ab2(n):  # K = a^2 b^2, inner integral over a in closed form
        f = lambda b: np.sqrt(np.pi / n) / b * special.erf(np.sqrt(n) * b) if b > 0 else 2.0
        return 2 * integrate.quad(f, 0, 1, limit=200, points=[1 / np.sqrt(n)])[0]

    def Z_ab4(n):  # K = a^2 b^4
        f = lambda b: np.sqrt(np.pi / n) / b**2 * special.erf(np.sqrt(n) * b * b) if b > 0 else 2.0
        return 2 * integrate.quad(f, 0, 1, limit=200, points=[n**-0.25])[0]

    n = 1e10
    lam1, m1 = reduced_rank_regression(1, 1, 1, 0)[:2]
    assert abs(_log_slope(Z_ab2, n) - (-float(lam1) + (m1 - 1) / np.log(n))) < 5e-3
    lam2 = learning_coefficient("mlp 1,1,1 x^2", at="0,0").coefficient
    assert abs(_log_slope(Z_ab4, n) + float(lam2)) < 5e-3


def test_constant_rank_and_bracket():
    reg = learning_coefficient("mlp 1,1,1 tanh", at="1,1", seed=0)
    assert reg.coefficient == 1 and reg.fisher_rank == 2  # regular: d/2
    merged = learning_coefficient("mlp 2,2,1 x^2", at="1,0,1,0,1,-1", seed=0)
    assert merged.coefficient is None and merged.status == "undecided"
    assert (merged.lower, merged.upper) == (1, 2)  # rank 2 of 6: [2/2, 2/2 + 4/4]
    assert "cancelling" in "; ".join(merged.strata)
    d = merged.to_dict()
    assert d["value"] is None and d["status"] == "undecided" and d["lower"] == 1.0


def test_rlct_errors():
    with pytest.raises(SpecError, match="two-layer linear"):
        learning_coefficient("mlp 1,2,1 x^2", rank=1)
    with pytest.raises(SpecError, match=r"rank must be an integer in \[0, 1\]"):
        learning_coefficient("linear 2,1,2", rank=2)
    with pytest.raises(SpecError, match="not both"):
        learning_coefficient("linear 2,1,2", rank=1, at="1,1,1,1")
