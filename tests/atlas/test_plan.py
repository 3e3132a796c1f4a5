import numpy as np
import pytest

from neuroalg import parse_spec
from neuroalg.atlas.plan import n_symmetry_fields, predict
from neuroalg.fields import GF


@pytest.mark.parametrize("spec", ["mlp 3,3,3,1 x^2", "mlp 5,5,3,1 x^2", "mlp 2,4,1 x^2",
                                  "linear 3,2,4", "mlp 2,3,2,2 x^3", "mlp 2,2,2 x^3+x^2",
                                  "rational 2,3,1"])
def test_symmetry_count_matches_the_fields(spec):
    arch = parse_spec(spec)
    theta = arch.random_params(np.random.default_rng(0), GF(1000003))
    assert n_symmetry_fields(arch) >= arch.symmetry_fields(theta, GF(1000003)).shape[1]


def test_wide_shallow_field_matrix_is_not_predicted_when_dimension_skips_it():
    # 188,161 parameters; 922 rescalings + C(305, 2) orthogonal fields of x^2 -> width 1: a
    # 330 GiB field matrix, which dimension() does not build because P - #fields >= ambient 33
    arch = parse_spec("mlp 2,6,305,305,305,1,1 x^2")
    assert arch.n_params == 2 * 6 + 6 * 305 + 2 * 305 * 305 + 305 + 1
    assert n_symmetry_fields(arch) == 6 + 3 * 305 + 1 + 305 * 304 // 2
    assert arch.n_params - n_symmetry_fields(arch) >= arch.ambient_dimension == 33
    assert predict(str(arch)).memory < 2**30  # the 35 x 188,161 Jacobian
