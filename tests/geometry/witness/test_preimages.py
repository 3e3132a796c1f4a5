"""The batched witness family G = (A Phi, C theta): evaluation, per-path segments, trace test."""

import numpy as np
import pytest

from neuroalg.geometry.witness.preimages import (
    Found,
    SliceMap,
    loops,
    solve_images,
    trace_test,
    track_segments,
)
from neuroalg.geometry.witness.systems import image_system, witness_system
from neuroalg.homotopy.tracker import newton
from neuroalg.polymap import expand


def _system(spec, dim, seed):
    """A compiled witness family on a random slice, its generator, and one random point."""
    rng = np.random.default_rng(seed)
    phi = expand(spec)
    _, a_mat, c_mat = witness_system(phi, dim, rng)
    system = SliceMap(phi, a_mat, c_mat)
    return system, rng, rng.standard_normal((1, system.n_vars)) + 1j * rng.standard_normal((1, system.n_vars))


@pytest.mark.parametrize("spec, dim", [("mlp 3,2,1 x^2", 5), ("cnn k=3,2 s=2,1 x^2+x", 5),
                                       ("attention l=1 d=2 a=1 t=2", 5)])
def test_slice_map_equals_the_exact_witness_system(spec, dim):
    """The compiled sparse evaluation against the PolySystem built from exact polynomials."""
    rng = np.random.default_rng(0)
    phi = expand(spec)
    exact, a_mat, c_mat = witness_system(phi, dim, rng)
    fast = SliceMap(phi, a_mat, c_mat)
    x = rng.standard_normal((5, phi.n_params)) + 1j * rng.standard_normal((5, phi.n_params))
    p = rng.standard_normal((5, phi.n_params)) + 1j * rng.standard_normal((5, phi.n_params))
    dp = rng.standard_normal(phi.n_params) + 0j
    for got, want in zip(fast.evaluate(x, p, dp), exact.evaluate(x, p, dp)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast.image(x), image_system(phi).evaluate(x)[0], rtol=1e-12)
    np.testing.assert_allclose(fast.evaluate(x, fast.map(x))[0], 0, atol=1e-12)


def test_segments_move_each_point_along_its_own_parameters():
    """Each path ends at a solution of its own end parameters (checked by Newton's residual)."""
    system, rng, _ = _system("mlp 2,2,1 x^3", 4, 1)
    theta = rng.standard_normal((6, system.n_vars)) + 1j * rng.standard_normal((6, system.n_vars))
    ends = rng.standard_normal((6, system.n_vars)) + 1j * rng.standard_normal((6, system.n_vars))
    moved = track_segments(system, theta, system.map(theta), ends)
    assert moved.ok.all()
    np.testing.assert_allclose(system.map(moved.x), ends, atol=1e-9)
    _, steps = newton(lambda z: system.evaluate(z, ends), moved.x, 1)
    assert steps.max() < 1e-10


def test_found_keeps_one_point_per_image_or_all_points():
    rng = np.random.default_rng(2)
    phi = expand("mlp 2,2,1 x^3")
    system = SliceMap(phi, rng.standard_normal((4, phi.n_coordinates)),
                      rng.standard_normal((2, phi.n_params)))
    theta = rng.standard_normal((3, phi.n_params)) + 0j
    swapped = theta[:, [2, 3, 0, 1, 5, 4]]  # the two hidden neurons exchanged: same function
    per_image, every = Found(system), Found(system, per_image=False)
    assert per_image.add(np.vstack([theta, swapped])) == 3
    assert every.add(np.vstack([theta, swapped, theta])) == 6
    assert every.n_images == 3 and np.bincount(every.labels).tolist() == [2, 2, 2]
    np.testing.assert_array_equal(every.label(swapped), [0, 1, 2])


def test_trace_test_passes_complete_and_rejects_incomplete_sets():
    """Complete: the 12 points of the Segre-Veronese P^2 x P^1 under O(2, 1) (the closed form);
    without one point, or one image's worth, the trace is not affine."""
    system, rng, _ = _system("cnn k=3,2 s=1,1 x^2", 4, 3)
    w = solve_images(system, rng)
    assert w.n_images == 12 and w.trace.is_passed and w.trace.residual < 1e-12
    for part in (w.points[1:], w.points[:6]):
        partial = trace_test(system, part, w.parameters, rng)
        assert not partial.is_passed and partial.residual > 1e-6


def test_loops_return_solutions_at_the_base_point():
    system, rng, theta = _system("mlp 3,2,1 x^2", 5, 4)
    p0 = system.map(theta)[0]
    x, triangle, failed = loops(system, theta, p0, rng, copies=8, max_steps=400)
    assert len(x) + failed == 8 and set(triangle.tolist()) <= set(range(8))
    np.testing.assert_allclose(system.map(x), np.broadcast_to(p0, x.shape), atol=1e-8)
