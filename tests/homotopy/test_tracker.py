"""Path tracking against closed-form paths: roots of x^k = c(t), linear systems A(t) x = b."""

import numpy as np

from neuroalg.homotopy.tracker import TrackStatus, newton, solve_batched, track


class PowerPath:
    """H(x, t) = x^k - c(t), c(t) = c0 + t (c1 - c0): the k-th roots of c(t), analytic in t."""

    def __init__(self, k, c0, c1):
        self.k, self.c0, self.c1 = k, complex(c0), complex(c1)

    def evaluate(self, x, t):
        c = self.c0 + t * (self.c1 - self.c0)
        values = x ** self.k - c[:, None]
        jac = (self.k * x ** (self.k - 1))[:, :, None]
        return values, jac, np.full_like(values, -(self.c1 - self.c0))


class LinearPath:
    """H(x, t) = ((1 - t) A0 + t A1) x - b."""

    def __init__(self, a0, a1, b):
        self.a0, self.a1, self.b = a0, a1, b

    def evaluate(self, x, t):
        a = (1 - t)[:, None, None] * self.a0 + t[:, None, None] * self.a1
        return (np.einsum("bij,bj->bi", a, x) - self.b, a,
                np.einsum("ij,bj->bi", self.a1 - self.a0, x))


class PerPathPower:
    """x^2 - c_i(t) with one target c_i per path; ``select`` restricts to some paths."""

    def __init__(self, targets):
        self.targets = np.asarray(targets, dtype=np.complex128)

    def select(self, idx):
        return PerPathPower(self.targets[idx])

    def evaluate(self, x, t):
        c = 1 + t * (self.targets - 1)
        values = x**2 - c[:, None]
        return values, (2 * x)[:, :, None], -(self.targets - 1)[:, None] + 0 * values


def test_cube_roots_follow_the_closed_form():
    start = np.exp(2j * np.pi * np.arange(3) / 3)[:, None]
    res = track(PowerPath(3, 1, 8), start, 0.0, 1.0)
    assert (res.status == TrackStatus.SUCCESS).all() and np.all(res.s == 1.0)
    np.testing.assert_allclose(res.x[:, 0], 2 * start[:, 0], atol=1e-10)  # c(t) > 0: no branch change
    assert (res.n_accepted > 0).all()


def test_complex_segment_winds_around_the_branch_point():
    # c(t) = exp(i theta t) with theta = 2 pi: the square root turns by half a circle
    class Circle:
        def evaluate(self, x, t):
            c = np.exp(2j * np.pi * t)
            return x**2 - c[:, None], (2 * x)[:, :, None], (-2j * np.pi * c)[:, None] + 0 * x

    res = track(Circle(), np.array([[1.0], [-1.0]]), 0.0, 1.0)
    assert (res.status == TrackStatus.SUCCESS).all()
    np.testing.assert_allclose(res.x[:, 0], [-1.0, 1.0], atol=1e-9)  # monodromy swaps the roots


def test_linear_path_ends_at_the_solution_of_the_target():
    rng = np.random.default_rng(0)
    a0 = np.eye(3) + 0j
    a1 = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    b = rng.standard_normal(3) + 0j
    res = track(LinearPath(a0, a1, b), b[None, :], 0.0, 1.0)
    assert res.status[0] == TrackStatus.SUCCESS
    np.testing.assert_allclose(res.x[0], np.linalg.solve(a1, b), atol=1e-9)


def test_step_budget_stops_paths_as_failed_where_they_are():
    start = np.exp(2j * np.pi * np.arange(3) / 3)[:, None]
    res = track(PowerPath(3, 1, 8), start, 0.0, 1.0, max_steps=3, initial_step=0.01)
    assert (res.status == TrackStatus.FAILED).all()
    assert np.all((res.s > 0) & (res.s < 1)) and np.all(res.n_accepted + res.n_rejected == 3)
    c = 1 + res.s * 7  # the reached points are still on their paths
    np.testing.assert_allclose(res.x[:, 0] ** 3, c, rtol=1e-6)


def test_singular_point_on_the_segment_fails_instead_of_jumping():
    # x^2 = 1 - 2t: both roots meet at t = 1/2 (x = 0); the real segment runs into it
    res = track(PowerPath(2, 1, -1), np.array([[1.0], [-1.0]]), 0.0, 1.0)
    assert (res.status == TrackStatus.FAILED).all()
    assert np.all(np.abs(res.s - 0.5) < 1e-3)


def test_per_path_homotopies_agree_with_tracking_each_path_alone():
    targets = np.array([4.0, 9.0 + 1j, 0.25, 100.0])
    start = np.ones((4, 1), dtype=np.complex128)
    together = track(PerPathPower(targets), start, 0.0, 1.0)
    assert (together.status == TrackStatus.SUCCESS).all()
    for i, c in enumerate(targets):
        alone = track(PerPathPower(targets[i:i + 1]), start[:1], 0.0, 1.0)
        np.testing.assert_allclose(together.x[i], alone.x[0], atol=1e-10)
        np.testing.assert_allclose(together.x[i, 0], np.sqrt(c), atol=1e-10)


def test_empty_batch():
    res = track(PowerPath(2, 1, 4), np.zeros((0, 1)), 0.0, 1.0)
    assert res.x.shape == (0, 1) and res.status.shape == (0,)


def test_newton_converges_quadratically():
    def f(x):
        return x**2 - 2, (2 * x)[:, :, None]

    x, norms = newton(f, np.array([[1.5 + 0j]]), 4)
    assert abs(x[0, 0] - np.sqrt(2)) < 1e-15
    steps = norms[:, 0]
    assert steps[1] < 10 * steps[0] ** 2 and steps[2] < 10 * steps[1] ** 2


def test_singular_member_of_a_batch_gets_least_squares():
    a = np.array([[[2.0, 0.0], [0.0, 4.0]], [[1.0, 1.0], [1.0, 1.0]]], dtype=np.complex128)
    b = np.array([[2.0, 4.0], [2.0, 0.0]], dtype=np.complex128)
    x = solve_batched(a, b)
    np.testing.assert_allclose(x[0], [1.0, 1.0])
    np.testing.assert_allclose(x[1], np.linalg.pinv(a[1]) @ b[1])  # minimum-norm: (0.5, 0.5)
