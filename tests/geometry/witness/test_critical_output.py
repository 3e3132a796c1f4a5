"""What `critical` reports: the counted complex points, the wording of each method, the
evidence of two runs, the theorem for a V that fills its ambient space, options never ignored."""

import json

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.fields import COMPLEX
from neuroalg.geometry.expected import Theorem
from neuroalg.geometry.witness.critical import CriticalResult, Evidence, critical_points
from neuroalg.polymap import expand
from neuroalg.report import to_json
from neuroalg.spec import parse_spec


def _matrix(phi, outputs, inputs, values):
    """A point of a linear network's function space as the outputs x inputs matrix (the
    coordinate of (output i, monomial x_j) is entry (i, j))."""
    m = np.zeros((outputs, inputs), dtype=complex)
    for (i, exponent), v in zip(phi.keys, values):
        m[i, exponent.index(1)] = v
    return m


def _eckart_young(u, r):
    """The complex critical points of |F - U|^2 (bilinear, no conjugation) on matrices of rank
    <= r: F = U sum_{i in S} b_i b_i^T / (b_i^T b_i) over r-subsets S of the eigenvectors b_i of
    U^T U (the complex Eckart–Young theorem; DHOST Example 2.3)."""
    import itertools

    _, vecs = np.linalg.eig(u.T @ u)
    projections = [np.outer(b, b) / (b @ b) for b in vecs.T]
    return [u @ sum(projections[i] for i in s) for s in itertools.combinations(range(len(vecs)), r)]


@pytest.mark.parametrize("method", ["param", "implicit"])
def test_counted_points_are_the_eckart_young_points(method):
    """linear 2,1,3 with the unit metric: 3 x 2 matrices of rank <= 1, Q = I, so the target w is
    u itself. The reported critical functions are the complex Eckart–Young points of u (computed
    here from an eigendecomposition), and the weights of the parameter method reproduce them
    through the network's own forward pass (not the polynomial expansion)."""
    arch = parse_spec("linear 2,1,3")
    res = critical_points(arch, metric="unit", method=method, seed=5)
    assert res.n_critical == len(res.critical_functions) == 2
    np.testing.assert_allclose(np.array(res.metric_matrix), np.eye(6))
    phi = expand(arch)
    u = _matrix(phi, 3, 2, res.target)
    found = [_matrix(phi, 3, 2, f) for f in res.critical_functions]
    expected = _eckart_young(u, 1)
    for f in found:
        assert min(np.linalg.norm(f - e) for e in expected) < 1e-8 * np.linalg.norm(u)
    assert np.linalg.norm(found[0] - found[1]) > 1e-3 * np.linalg.norm(u)  # both points
    if method == "implicit":
        assert res.critical_weights is None  # the implicit method never uses weights
        return
    x = np.random.default_rng(0).standard_normal((4, 2)).astype(complex)
    for theta, f in zip(res.critical_weights, found):
        np.testing.assert_allclose(arch.forward(np.array(theta), x, COMPLEX), x @ f.T, atol=1e-9)
    payload = json.loads(to_json(res.to_dict()))["critical_points"]
    assert payload["functions"][0] == [[z.real, z.imag] for z in res.critical_functions[0]]
    assert len(payload["weights"][1]) == arch.n_params and "w = Q u" in payload["convention"]


def test_implicit_results_speak_of_lagrange_solutions():
    """Each method's lines use its own words: the implicit method solves a Lagrange system and
    rejects points that are not smooth on V; the parameter method has gauge solutions and
    rejects points where the Jacobian drops rank."""
    res = critical_points("cnn k=2,2 s=2,1 x", metric="unit", method="implicit", seed=2,
                          check=False)
    text = str(res)
    assert res.method == "implicit" and res.n_critical == 2
    assert "Lagrange solutions" in text and "not smooth on V" in text
    assert "parameter-space" not in text and "rank J < dim V" not in text
    param = str(CriticalResult("linear 2,1,2", "unit", 2, 3, 2, 1, 4, 0, (2,), 2, (), 0, 1, 1.0,
                               method="param"))
    assert "parameter-space solutions" in param and "rank J < dim V" in param
    assert "Lagrange" not in param


def test_two_runs_that_differ_are_undecided_even_under_a_theorem():
    """An independent run must find the same count (issue 18): runs of 5 and 6 whose union
    reaches a theorem's 6 are undecided, and so are runs of 5 and 5 that find 6 together."""
    theorem = Theorem(6, "generic ED degree of P1 x P1", "DHOST")
    assert Evidence(theorem, first_run=5, second_run=6).disagreements(6)
    assert Evidence(theorem, first_run=5, second_run=5).disagreements(6)
    assert Evidence(None, first_run=6, second_run=5).disagreements(6)
    assert not Evidence(theorem, first_run=6, second_run=6).disagreements(6)
    ev = Evidence(theorem, first_run=5, second_run=6, n_fresh_paths=11, n_fresh_distinct=6)
    res = CriticalResult("linear 2,1,2", "generic", 6, 3, 6, 4, 40, 0, (6,) * 4, 6, (), 0, 1,
                         1.0, evidence=ev)
    assert res.status.value == "undecided"
    assert "UNDECIDED" in res.headline() and "5 and 6" in res.headline()


def test_filling_variety_has_one_critical_point_by_theorem():
    """mlp 2,2,1 x^3 fills the binary cubics C^4 (certified dimension 4): |f - u|_Q^2 has the
    single critical point f = u for every nondegenerate metric, which is printed as a theorem,
    and monodromy stops on reaching it."""
    for metric in ("generic", "data"):
        res = critical_points("mlp 2,2,1 x^3", metric=metric, seed=1, check=False)
        theorem = res.evidence.theorem
        assert theorem is not None and theorem.value == res.n_critical == 1
        assert "fills its ambient space C^4" in theorem.statement
        assert "expected by theorem" in str(res) and not res.evidence.stagnated
        np.testing.assert_allclose(res.critical_functions[0],  # f = u, i.e. Q f = w
                                   np.linalg.solve(np.array(res.metric_matrix), res.target),
                                   rtol=1e-8)


def test_samples_are_only_for_random_data():
    with pytest.raises(SpecError, match=r"n_samples \(--samples\) is the size of random data "
                                        "for metric 'data'; got metric 'unit'"):
        critical_points("mlp 2,1,1 x^2", metric="unit", n_samples=3, seed=0)
    with pytest.raises(SpecError, match="data were given"):
        critical_points("mlp 2,1,1 x^2", metric="data", n_samples=3, seed=0,
                        data={"X": [[1.0, 2.0], [3.0, 4.0]]})


def test_strata_of_unsupported_families_fail_before_any_work(monkeypatch):
    from neuroalg.geometry.witness import critical

    def no_work(*args, **kwargs):
        raise AssertionError("the run started before --strata was checked")

    monkeypatch.setattr(critical, "generic_dimension", no_work)
    with pytest.raises(SpecError, match="strata are implemented for"):
        critical.critical_points("cnn k=2,2 s=2,1 x", strata=True, seed=0)


def test_implicit_points_are_critical_for_the_reported_target():
    """Attention l=1 d=2 a=2 t=2 out=1 spans only 6 of its 20 coordinates, so the implicit
    method's target is reported in the ambient space (w with B^T w = w_s). Checked against the
    equations of V found by `equations` (another code path: interpolation mod p, lifted to Q):
    at each reported f, Q f - w is orthogonal to the kernel of their Jacobian, the tangent
    space of V (dimension 5)."""
    import sympy

    from neuroalg.geometry.equations.equations import equations

    arch = parse_spec("attention l=1 d=2 a=2 t=2 out=1")
    res = critical_points(arch, method="implicit", seed=2, check=False)
    assert res.n_critical == 14 and res.critical_weights is None
    eqs = equations(arch, degree=4, seed=1, max_generators=200)
    order = [res.coordinates.index(c) for c in eqs.coordinates]
    y = sympy.symbols(f"y0:{len(order)}")
    forms = [sympy.parse_expr(g, local_dict={str(s): s for s in y}) for g in eqs.generators]
    jacobian = sympy.lambdify(y, sympy.Matrix(forms).jacobian(y), "numpy")
    q, w = np.array(res.metric_matrix), np.array(res.target)
    for f in np.array(res.critical_functions):
        jac = np.array(jacobian(*f[order]), dtype=complex)
        _, s, vh = np.linalg.svd(jac)
        tangent = vh[int(np.sum(s > 1e-9 * s[0])):].conj().T  # jac @ tangent = 0
        assert tangent.shape[1] == 5  # a smooth point of V
        gradient = (q @ f - w)[order]
        assert np.linalg.norm(tangent.T @ gradient) < 1e-7 * (np.linalg.norm(q @ f) + np.linalg.norm(w))
