"""Generic fibers against known identifiability results."""

import pytest

from neuroalg.geometry.witness.fiber import fiber


@pytest.mark.parametrize("spec, size, degree, source", [
    ("mlp 2,2,1 x^3+x^2", 2, 3, "fiber = the permutation of the two neurons; a cubic hypersurface"),
    ("mlp 2,2,1 x^3", 2, 1, "Sylvester: a generic binary cubic is a sum of 2 cubes in one way"),
    ("cnn k=3,2 s=1,1 x^2", 1, 12, "Shahverdi-Marchetti-Kohn: isomorphism up to filter rescaling"),
    ("cnn k=3,2 s=2,1 x^2+x", 1, None, "issue 7: generically injective (stride 2, y^2 + y)"),
])
def test_finite_fibers(spec, size, degree, source):
    res = fiber(spec, seed=2)
    assert res.fiber_size == size, source
    assert res.coincidence <= 1e-6 and res.n_full >= 1
    if degree is not None:
        assert res.is_trace_passed and res.degree == degree


def test_positive_dimensional_fiber_and_symmetries():
    res = fiber("mlp 3,3,3,1 x^2", seed=0)
    assert res.fiber_size is None and res.fiber_dimension == 3  # so(3) of the quadratic form
    assert res.n_params - res.dimension == 9 and res.symmetry_rank == 9  # 6 rescalings + 3
    assert res.n_hidden_symmetries == 0
    assert fiber("linear 2,2,2", seed=0).fiber_dimension == 4  # GL(2)


@pytest.mark.parametrize("spec, n_linear", [
    ("linear 2,2,2", 4),  # gl(2) acting on the hidden layer
    ("mlp 2,3,1 x^3", 3),  # the rescalings only: the kernel excess of this filling net is not linear
    ("mlp 3,3,3,1 x^2", 6),  # rescalings; its so(3) is quadratic in theta (a known field)
])
def test_linear_ansatz_finds_exactly_the_linear_symmetries(spec, n_linear):
    res = fiber(spec, seed=1)
    assert res.n_linear_fields == n_linear and res.n_extra_linear == 0


def test_hidden_symmetries_of_single_token_attention_are_reported():
    """t = 1: only sym(K^T Q) is seen, so the fields mixing the key and query rows by a skew
    matrix are symmetries the architecture does not declare; they are found, verified exactly
    and printed (2 directions beyond the 5 known ones for d = 3, a = 2)."""
    res = fiber("attention l=1 d=3 a=2 t=1 out=3", seed=0)
    assert res.n_hidden_symmetries == 2 and res.n_extra_linear == 2
    assert len(res.extra_fields) == 2 and all("d t" in f for f in res.extra_fields)
    assert res.to_dict()["extra_fields_verified"] == list(res.extra_fields)


def test_neuron_moves_keep_the_function_and_the_slice():
    """Exchanging two neurons and rescaling back: same Phi (exact symmetry), same gauge levels."""
    import numpy as np

    from neuroalg.geometry.witness.fiber import gauge_matrix, neuron_moves
    from neuroalg.geometry.witness.preimages import SliceMap
    from neuroalg.polymap import expand, random_rational
    from neuroalg.spec import parse_spec

    arch = parse_spec("mlp 2,3,2,1 x^3")
    rng = np.random.default_rng(0)
    gauge = gauge_matrix(arch, rng)
    phi = expand(arch)
    system = SliceMap(phi, random_rational(rng, (4, phi.n_coordinates)), gauge)
    theta = rng.standard_normal((3, arch.n_params)) + 1j * rng.standard_normal((3, arch.n_params))
    levels = system.map(theta)[0, system.dim:]
    theta[1:] = neuron_moves(arch, gauge)(theta[:1], levels)[0][[0, 0]]  # two copies of a move
    moves = neuron_moves(arch, gauge)(theta, levels)
    assert len(moves) == 2 + 1  # adjacent transpositions: 2 in the width-3 layer, 1 in the width-2
    for moved in moves:
        np.testing.assert_allclose(system.image(moved), system.image(theta), rtol=1e-10)
        np.testing.assert_allclose(system.map(moved)[:, system.dim:], np.broadcast_to(levels, (3, 5)),
                                   rtol=1e-10)
    assert neuron_moves(parse_spec("cnn k=3,2 s=1,1 x^2"), gauge_matrix(parse_spec("cnn k=3,2 s=1,1 x^2"),
                                                                          rng)) is None


@pytest.mark.slow
def test_fiber_with_and_without_the_known_permutations_agree():
    """Sums of 3 cubes in 3 variables (rank 3 < generic rank 4: identifiable): 3! = 6 points,
    found by monodromy alone and with the neuron permutations filling the fibers."""
    import numpy as np

    from neuroalg.geometry.witness.fiber import gauge_matrix, neuron_moves
    from neuroalg.geometry.witness.preimages import SliceMap, solve_fibers
    from neuroalg.polymap import expand, random_rational
    from neuroalg.spec import parse_spec

    arch = parse_spec("mlp 3,3,1 x^3")
    rng = np.random.default_rng(1)
    gauge = gauge_matrix(arch, rng)
    phi = expand(arch)
    system = SliceMap(phi, random_rational(rng, (9, phi.n_coordinates)), gauge)
    plain = solve_fibers(system, rng)
    helped = solve_fibers(system, rng, moves=neuron_moves(arch, gauge))
    assert plain.fiber_size == helped.fiber_size == 6
    assert plain.coincidence <= 1e-6 and helped.coincidence <= 1e-6
