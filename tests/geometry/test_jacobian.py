"""The sketched Jacobian: each row is c_j^T dPhi(theta)(x_j), checked against the full Jacobian
of the same inputs and covectors, over the reals and over GF(p); its rank is the dimension."""

import numpy as np
import pytest

from neuroalg.fields import GF, REAL
from neuroalg.geometry.jacobian import sketched_jacobian
from neuroalg.linalg.modular import rank_mod
from neuroalg.spec import parse_spec

SPECS = ["mlp 3,2,2 x^2", "cnn k=3,2 x^2", "mlp 2,3,1 x^3+x^2"]


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("block", [None, 32])
def test_rows_are_covector_jacobian_products(spec, block):
    arch = parse_spec(spec)
    rng = np.random.default_rng(0)
    theta = arch.random_params(rng, REAL)
    rows = sketched_jacobian(arch, theta, 40, REAL, np.random.default_rng(1), block=block)
    # replay the draws of each block: inputs, then covectors
    replay, size = np.random.default_rng(1), block or 256
    for start in range(0, 40, size):
        n = min(size, 40 - start)
        x = arch.random_inputs(replay, n, REAL, theta)
        c = arch.random_cotangents(replay, n, REAL)
        full = arch.jacobian(theta, x, REAL).reshape(n, -1, arch.n_params)  # (n, outputs, P)
        want = np.einsum("nk,nkp->np", c.reshape(n, -1), full)
        np.testing.assert_allclose(rows[start:start + n], want, rtol=1e-10, atol=1e-12)


def test_rank_mod_p_is_the_dimension():
    # binary quadrics: mlp 2,1,1 x^2 gives the squares (dimension 2), mlp 2,2,1 x^2 all 3
    p = 1048573
    for spec, dim in [("mlp 2,1,1 x^2", 2), ("mlp 2,2,1 x^2", 3), ("linear 3,1,3", 5)]:
        arch = parse_spec(spec)
        rng = np.random.default_rng(2)
        field = GF(p)
        jac = sketched_jacobian(arch, arch.random_params(rng, field), dim + 2, field, rng)
        assert jac.shape == (dim + 2, arch.n_params) and rank_mod(jac, p) == dim
