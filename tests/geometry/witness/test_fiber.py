"""Generic fibers against known identifiability results."""

import pytest

from neuroalg.errors import SpecError
from neuroalg.geometry.witness.fiber import fiber


@pytest.mark.parametrize("spec, size, degree, source", [
    ("mlp 2,2,1 x^3+x^2", 2, 3, "fiber = the permutation of the two neurons; a cubic hypersurface"),
    ("mlp 2,2,1 x^3", 2, 1, "Sylvester: a generic binary cubic is a sum of 2 cubes in one way"),
    ("cnn k=3,2 s=1,1 x^2", 1, 12, "Shahverdi-Marchetti-Kohn: isomorphism up to filter rescaling"),
    ("cnn k=3,2 s=2,1 x^2+x", 1, None, "issue 7: generically injective (stride 2, y^2 + y)"),
])
def test_finite_fibers(spec, size, degree, source):
    res = fiber(spec, seed=2, method="monodromy")
    assert res.fiber_size == size, source
    assert res.status.value == "numerical" and res.method == "monodromy"
    assert res.coincidence <= 1e-6 and res.n_full >= 1 and res.n_arrivals >= 20
    if res.is_trace_passed:  # the rounds stop on the fiber evidence, often before deg V is known
        assert res.degree == degree


@pytest.mark.parametrize("spec, size, source", [
    ("mlp 3,3,1 x^4", 6, "Macaulay2: degree of the fiber ideal on the gauge slice (issue 18)"),
    ("mlp 4,2,1 x^3", 2, "Macaulay2: degree of the fiber ideal on the gauge slice (issue 18)"),
    ("mlp 2,2,1 x^3", 2, "Sylvester: a generic binary cubic is a sum of 2 cubes in one way"),
    ("mlp 2,3,1 x^5", 6, "Sylvester: a generic binary quintic is a sum of 3 fifth powers in one way"),
    ("mlp 3,2,3 x^2", 2, "two quadrics in 3 variables are simultaneously diagonal in one way"),
])
def test_kruskal_certifies_shallow_fibers(spec, size, source):
    """The certified count (Kruskal's criterion verified mod p) against values it did not
    produce."""
    res = fiber(spec, seed=3)
    assert res.method == "theorem" and res.status.value == "certified", source
    assert res.fiber_size == size and "Kruskal" in res.certificate and "certified" in str(res)
    assert res.to_dict()["value"] == size


def test_kruskal_and_monodromy_agree_and_theorem_is_refused_where_it_does_not_apply():
    assert fiber("mlp 3,2,1 x^3", seed=1).fiber_size == fiber("mlp 3,2,1 x^3", seed=1,
                                                               method="monodromy").fiber_size == 2
    with pytest.raises(SpecError, match="Kruskal"):
        fiber("mlp 2,2,1 x^3+x^2", method="theorem")  # not a monomial activation
    with pytest.raises(SpecError, match="positive-dimensional"):
        fiber("linear 2,2,2", method="theorem")
    with pytest.raises(SpecError, match="method"):
        fiber("mlp 2,2,1 x^3", method="kruskal")


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
    """Exchanging two neurons and rescaling back: same Phi (exact symmetry), same gauge values."""
    import numpy as np

    from neuroalg.geometry.witness.fiber import neuron_moves, rescaling_gauge
    from neuroalg.polymap import expand
    from neuroalg.spec import parse_spec

    arch = parse_spec("mlp 2,3,2,1 x^3")
    rng = np.random.default_rng(0)
    gauge = rescaling_gauge(arch, rng)
    assert len(gauge.fixed) == 5 and len(gauge.free) == arch.n_params - 5
    phi = expand(arch)
    z = rng.standard_normal((3, len(gauge.free))) + 1j * rng.standard_normal((3, len(gauge.free)))
    moves = neuron_moves(arch, gauge)(z)
    assert len(moves) == 2 + 1  # adjacent transpositions: 2 in the width-3 layer, 1 in the width-2
    from neuroalg.geometry.witness.systems import image_system

    def image(points):
        return image_system(phi).evaluate(gauge.embed(points))[0]

    for moved in moves:
        np.testing.assert_allclose(image(moved), image(z), rtol=1e-10)
        assert np.abs(moved - z).max() > 1e-3  # a different point of the fiber
    assert neuron_moves(parse_spec("cnn k=3,2 s=1,1 x^2"),
                        rescaling_gauge(parse_spec("cnn k=3,2 s=1,1 x^2"), rng)) is None


@pytest.mark.slow
def test_fiber_with_and_without_the_known_permutations_agree():
    """Sums of 3 cubes in 3 variables (rank 3 < generic rank 4: identifiable): 3! = 6 points,
    found by monodromy alone and with the neuron permutations filling the fibers."""
    import numpy as np

    from neuroalg.geometry.witness.fiber import neuron_moves, rescaling_gauge
    from neuroalg.geometry.witness.preimages import SliceMap, solve_fibers
    from neuroalg.polymap import expand, random_rational
    from neuroalg.spec import parse_spec

    arch = parse_spec("mlp 3,3,1 x^3")
    rng = np.random.default_rng(1)
    gauge = rescaling_gauge(arch, rng)
    phi = expand(arch)
    system = SliceMap(gauge.restrict(phi), random_rational(rng, (9, phi.n_coordinates)))
    plain = solve_fibers(system, rng)
    helped = solve_fibers(system, rng, moves=neuron_moves(arch, gauge))
    assert plain.fiber_size == helped.fiber_size == 6 and helped.n_orbit == 6
    assert plain.coincidence <= 1e-6 and helped.coincidence <= 1e-6
