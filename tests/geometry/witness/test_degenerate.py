"""The degenerate regime of a data metric: options it cannot honor are errors, --strata is
honored, and the counted isolated points are reported."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.fields import COMPLEX
from neuroalg.geometry.witness.critical import critical_points
from neuroalg.spec import parse_spec


@pytest.mark.parametrize("option, match", [
    ({"method": "implicit"}, "--method implicit: the data metric is degenerate on V"),
    ({"checkpoint": "CP"}, "--checkpoint: the data metric is degenerate on V"),
])
def test_options_the_regime_cannot_honor_are_errors(tmp_path, option, match):
    """cnn k=2,2 s=2,1 x (dim 3) with 2 samples (a 2-dimensional projection) is degenerate;
    the implicit method and checkpoints do not apply there, and saying so beats ignoring them."""
    option = {k: tmp_path / "c.json" if v == "CP" else v for k, v in option.items()}
    with pytest.raises(SpecError, match=match):
        critical_points("cnn k=2,2 s=2,1 x", metric="data", n_samples=2, seed=1, **option)
    assert not any(tmp_path.iterdir())  # no checkpoint (nor its .tmp) left behind


def test_strata_are_counted_in_the_degenerate_regime():
    """mlp 2,2,1 x^2 fills the binary quadrics C^3; 2 samples see f only through (f(x1), f(x2)),
    so the loss is constant along lines: the zero-loss set is a line (dimension 1, degree 1) and
    there is no isolated critical point. Its stratum mlp 2,1,1 x^2, the squares (l.x)^2 (dim 2),
    is seen faithfully: with a = l.x1, b = l.x2 (coordinates of l) the loss is
    (a^2 - y1)^2 + (b^2 - y2)^2 up to a factor, critical where a in {0, +-sqrt y1} and
    b in {0, +-sqrt y2}; (a, b) = (0, 0) is the vertex (not regular) and (a, b) ~ (-a, -b) give
    the same f: 8 / 2 = 4 critical points on the regular part of the stratum (2 of zero loss)."""
    res = critical_points("mlp 2,2,1 x^2", metric="data", n_samples=2, seed=1, strata=True)
    d = res.degenerate
    assert d is not None and (d.zero_loss_dimension, d.zero_loss_degree, d.n_isolated) == (1, 1, 0)
    assert res.strata == (("mlp 2,1,1 x^2", 4),) and res.strata_degenerate == (None,)
    assert "stratum mlp 2,1,1 x^2" in str(res) and "none in the degenerate regime" in str(res)
    assert res.to_dict()["strata"][0]["n_critical"] == 4


def test_isolated_points_are_reported_with_weights():
    """The 2 isolated critical points of cnn k=2,2 s=2,1 x with 2 samples (see test_critical's
    geometric count) are in the result; their weights reproduce them through the network's own
    forward pass; the data target w = V^T y / N is real."""
    arch = parse_spec("cnn k=2,2 s=2,1 x")
    res = critical_points(arch, metric="data", n_samples=2, seed=1)
    assert res.n_critical == len(res.critical_functions) == len(res.critical_weights) == 2
    assert np.allclose(np.imag(res.target), 0)
    from neuroalg.polymap import expand

    phi = expand(arch)
    x = np.random.default_rng(0).standard_normal((3, *arch.input_shape)).astype(complex)
    for theta, f in zip(res.critical_weights, res.critical_functions):
        out = arch.forward(np.array(theta), x, COMPLEX).reshape(len(x), -1)
        # f's coordinates are the coefficients of the output's monomials in x
        value = np.zeros_like(out)
        for (i, exponent), c in zip(phi.keys, f):
            value[:, i] += c * np.prod(x.reshape(len(x), -1) ** np.array(exponent), axis=1)
        np.testing.assert_allclose(out, value, atol=1e-8)


# --- the one-layer attention example of Marchetti-Connelly-Breiding-Kohn (issue 18) ------------

ATTENTION = "attention l=1 d=2 a=2 t=2 out=1"
STRATUM = "attention l=1 d=2 a=1 t=2 out=1"


def _attention_data(n_samples):
    """Fixed data, Gaussian sized (with integers up to 50 most homotopy paths fail, which the
    result reports as undecided; the binary floats are exact rationals for the elimination):
    X (N, 4) = the 2 x 2 token matrices (columns are tokens, flattened row-major), Y (N, 2) = the
    outputs of the two tokens."""
    rng = np.random.default_rng(40 + n_samples)
    return {"X": np.round(rng.standard_normal((n_samples, 4)), 2),
            "Y": np.round(rng.standard_normal((n_samples, 2)), 2)}


def _quartic():
    """The equation G of V in the coordinates y of its span L (f = B y), as a sympy polynomial.

    V spans a 6-dimensional space in which it is a hypersurface; the implicit model interpolates
    the forms vanishing on V degree by degree, each verified exactly, so the forms it finds in a
    degree *are* I(V) there. Nothing in degrees 2 and 3 and one quartic G means G is irreducible
    (a factor vanishing on V would have lower degree) and Z(G) = V. Returns (G, y, model, phi)."""
    import sympy

    from neuroalg.geometry.witness.implicit import implicit_model
    from neuroalg.polymap import expand

    phi = expand(parse_spec(ATTENTION))
    model = implicit_model(phi, 5, np.random.default_rng(0))
    assert model.n_span == 6 and model.degrees == (4,) and len(model.forms) == 1
    ys = sympy.symbols("y1:7")
    g = sum(sympy.Rational(c.numerator, c.denominator) * sympy.prod([v**k for v, k in zip(ys, a)])
            for a, c in model.forms[0].items())
    return g, ys, model, phi


def _zero_loss_by_elimination(data):
    """(dimension, degree) of the zero-loss set, and whether the directions K of the affine
    space lie in the singular locus of V (G and dG vanish on K): G restricted to y0 + sum s_i k_i
    is a polynomial g(s) in dim K variables; where it is not zero the zero-loss set is the
    hypersurface g = 0 of that affine space, of dimension dim K - 1 and degree the total degree
    of the squarefree part of g."""
    import sympy

    from neuroalg.geometry.witness.metrics import evaluation_matrix

    g, ys, model, phi = _quartic()
    # the functions that fit the data: {E y = Y}, E = the evaluations at the samples on L, an
    # affine space y0 + K (sympy, not the project's linear algebra)
    e = sympy.Matrix((evaluation_matrix(phi, data["X"]) @ model.span).tolist())
    y = sympy.Matrix([sympy.Rational(*float(v).as_integer_ratio()) for v in data["Y"].reshape(-1)])
    assert e.rank() == e.rows  # the data see all of their values (n' = N d_L)
    sol, free = e.gauss_jordan_solve(y)
    y0 = sol.subs({t: 0 for t in free})
    kernel = e.nullspace()
    s = sympy.symbols(f"s1:{len(kernel) + 1}")
    point = {v: y0[i] + sum(si * k[i] for si, k in zip(s, kernel)) for i, v in enumerate(ys)}
    restricted = sympy.Poly(sympy.expand(g.subs(point, simultaneous=True)), *s, domain="QQ")
    assert not restricted.is_zero
    squarefree = sympy.Poly(sympy.sqf_part(restricted.as_expr()), *s, domain="QQ")
    on_k = {v: sum(si * k[i] for si, k in zip(s, kernel)) for i, v in enumerate(ys)}
    singular = all(sympy.expand(h.subs(on_k, simultaneous=True)) == 0
                   for h in [g, *(sympy.diff(g, v) for v in ys)])
    return len(kernel) - 1, squarefree.total_degree(), singular


def _gram_matrices(data):
    """G_k = X_k X_k^T for each sample (X_k the d x t token matrix)."""
    return [x.reshape(2, 2) @ x.reshape(2, 2).T for x in data["X"]]


def test_attention_output_is_v_gram_a_x():
    """The hand arguments below use the network's own forward pass in the form
    f(X) = v^T (X X^T) A X (one row of t outputs, A = K^T Q): check it at random weights."""
    from neuroalg.fields import REAL

    arch = parse_spec(ATTENTION)
    rng = np.random.default_rng(3)
    theta = rng.standard_normal(arch.n_params)
    k, q, v = theta[:4].reshape(2, 2), theta[4:8].reshape(2, 2), theta[8:].reshape(1, 2)
    for _ in range(3):
        x = rng.standard_normal((2, 2))
        np.testing.assert_allclose(arch.forward(theta, x, REAL).reshape(-1),
                                   (v @ x @ x.T @ k.T @ q @ x).reshape(-1), rtol=1e-12)


@pytest.mark.parametrize("n_samples", [1, 2])
def test_attention_with_few_data(n_samples):
    """The example of issue 18 (generic metric: 14 + 10 on the singular locus) with 1 and 2
    samples. Detection: the samples see 2N values of a 5-dimensional V, so the metric is
    degenerate. The zero-loss set against elimination (:func:`_zero_loss_by_elimination`):
    N = 1 gives dimension 3, degree 4; N = 2 dimension 1, degree 2 < deg V = 4, because the
    2-dimensional space K of functions in L vanishing at both samples lies in the singular locus
    of V: in the plane spanned by a point of the fiber and K, the quartic curve contains the line
    at infinity P(K) twice (G and dG vanish on K), leaving an affine conic (Macaulay2 on other
    integer data: the same dimension and degree, irreducible).

    No isolated critical point (by hand, with f(X) = v^T G A X, G = X X^T, A = K^T Q, h_k =
    outputs_k X_k^{-1} = A^T G_k v): off the zero-loss set a critical point of the regular part
    needs the projection to ramify (dL = 2 (E f - y)^T E vanishes on T_f V, onto which E maps
    surjectively elsewhere). N = 1: d h = dA^T G v + ..., onto C^2 whenever v != 0, and v = 0
    is f = 0, a singular point: no ramification, every critical point has zero loss. N = 2: with
    u = G_1 v and P = G_2 G_1^{-1}, (h_1, h_2) = (A^T u, A^T P u) is onto C^4 where u, P u are
    independent; it ramifies only where u is one of the 2 eigenvectors e_i of P, on the linear
    spaces R_i = {Phi(A, v_i)}, where h_2 = lambda_i h_1 and the image of the differential is
    {(a, lambda_i a) + c (0, A^T e_j)}. Critical there: h_1 is the least-squares point of that
    plane (fixing A^T e_i) and A^T e_j lies on a line: a line of critical points per eigenvalue,
    of constant positive loss. So the critical points off the zero-loss set form two lines (not
    reported by the code: singular endpoints) and none is isolated (Macaulay2 agrees: on the
    smooth part, off the zero-loss set, one component of dimension 1 and degree 2 whose losses
    are the roots of a quadratic)."""
    data = _attention_data(n_samples)
    grams = _gram_matrices(data)
    assert all(abs(np.linalg.det(x.reshape(2, 2))) > 0.1 for x in data["X"])  # tokens independent
    if n_samples == 2:  # P = G_2 G_1^{-1} has 2 distinct eigenvalues
        lam = np.linalg.eigvals(grams[1] @ np.linalg.inv(grams[0]))
        assert abs(lam[0] - lam[1]) > 1e-3 * abs(lam).max()
    dim_z, deg_z, k_singular = _zero_loss_by_elimination(data)
    assert (dim_z, deg_z, k_singular) == ((3, 4, False) if n_samples == 1 else (1, 2, True))

    res = critical_points(ATTENTION, metric="data", data=data, seed=1, strata=True)
    d = res.degenerate
    assert d is not None and res.dimension == 5 and res.method == "degenerate"
    assert (d.n_data, d.projected_dimension, d.fiber_dimension) == (2 * n_samples, 2 * n_samples,
                                                                   5 - 2 * n_samples)
    assert (d.zero_loss_dimension, d.zero_loss_degree) == (dim_z, deg_z)
    assert d.zero_loss_trace < 1e-8
    assert d.n_isolated == 0 and res.n_critical == 0 and d.n_critical_values is None
    # every path accounted for (singular endpoints on the positive-dimensional critical sets)
    assert d.n_failed == 0 and sum(d.path_fates.values()) == d.n_paths > 0
    assert res.status.value == "numerical"
    text = str(res)
    assert "degenerate on V" in text and f"dimension {dim_z}, degree {deg_z}" in text
    assert "0 failed" in text and "singular endpoints" in text


def test_attention_stratum_in_the_degenerate_regime():
    """--strata with few data counts on the singular locus (the a = 1 stratum: A = a b^T, so
    f(X) = (b^T X) tr(S X X^T) with S = sym(a v^T), any symmetric 2 x 2 matrix: V_1 = {b (x) S},
    rank-one 2 x 3 matrices, dimension 4), in its own degenerate regime, with values by hand:

    - N = 1: h = b tr(S G) covers C^2 (n' = 2, fibers of dimension 2); zero loss: b (x) S with
      b tr(S G) = h_y, i.e. {h_y (x) S : tr(S G) = 1}, an affine plane (dimension 2, degree 1);
      ramification only where tr(S G) = 0 (loss |y|^2 / N), where the critical points form a
      plane again: no isolated critical point;
    - N = 2: (h_1, h_2) = b (x) (tr(S G_1), tr(S G_2)) fills the rank-one 2 x 2 matrices W
      (n' = 3 < 4: the zero-loss set is empty for generic data); in the outputs g_k = h_k X_k, W
      is a quadric cone g^T B g = 0, and the critical points of |g - y|^2 on it are
      g = (I - t B)^{-1} y with sum_i b_i y_i^2 / (1 - t b_i)^2 = 0 (eigenbasis of B): a degree
      2 (4 - 1) = 6 equation in t when the eigenvalues of B are distinct and nonzero: 6
      critical values, each with a fiber of critical points (dimension 1), none isolated."""
    for n_samples, regime in ((1, (2, 2, 1, None)), (2, (3, None, None, 6))):
        data = _attention_data(n_samples)
        res = critical_points(ATTENTION, metric="data", data=data, seed=1, strata=True)
        assert res.degenerate is not None and res.strata == ((STRATUM, 0),)
        (deg,) = res.strata_degenerate
        assert deg is not None and deg.dimension == 4 and deg.n_isolated == 0 and deg.n_failed == 0
        assert (deg.projected_dimension, deg.zero_loss_dimension, deg.zero_loss_degree,
                deg.n_critical_values) == regime
        if n_samples == 2:  # B: the quadratic form det[h_1; h_2], rows h_k = g_k X_k^{-1}:
            # h_1[0] h_2[1] - h_1[1] h_2[0], with h_k[c] = g_k . (column c of X_k^{-1})
            inv = [np.linalg.inv(x.reshape(2, 2)) for x in data["X"]]
            a, b = inv[0][:, 0], inv[1][:, 1]
            c, e = inv[0][:, 1], inv[1][:, 0]
            form = np.zeros((4, 4))
            form[:2, 2:] = np.outer(a, b) - np.outer(c, e)
            form = (form + form.T) / 2
            eig = np.sort(np.linalg.eigvalsh(form))
            assert np.min(np.abs(eig)) > 1e-6 and np.min(np.diff(eig)) > 1e-6 * np.max(np.abs(eig))
        line = next(v for k, v in res.lines() if k == f"stratum {STRATUM}")
        assert line.startswith("the singular locus of V (rank Q^T K <= 1")
        assert res.to_dict()["strata"][0]["meaning"].startswith("the singular locus of V")


def test_the_attention_stratum_is_singular_on_v():
    """The wording "singular locus" checked against the equation of V: the quartic G and all its
    partial derivatives vanish at points of the a = 1 stratum (exact rational weights), and dG
    does not vanish at a point of V (so V is not singular everywhere). With the dimensions
    (stratum 4, V 5) and Macaulay2's singular locus of V (G and dG: dimension 4, degree 3, the
    degree of the Segre P^1 x P^2 above) the stratum is the singular locus (Henry-Marchetti-Kohn
    characterize the singular points of one-layer lightning attention)."""
    import sympy

    from neuroalg.polymap import expand

    g, ys, model, phi = _quartic()
    pivots = model.pivots
    sub = expand(parse_spec(STRATUM))
    keys = {k: i for i, k in enumerate(sub.keys)}
    rng = np.random.default_rng(5)

    def at(poly_map, theta):
        return [sum(sympy.Rational(c.numerator, c.denominator)
                    * sympy.prod([sympy.Integer(int(t)) ** e for t, e in zip(theta, a)])
                    for a, c in poly.items()) for poly in poly_map.polys]

    grad = [sympy.diff(g, v) for v in ys]
    for _ in range(2):
        values = at(sub, rng.integers(-9, 10, size=sub.n_params))
        point = {v: values[keys[phi.keys[p]]] if phi.keys[p] in keys else 0
                 for v, p in zip(ys, pivots)}
        assert all(h.subs(point) == 0 for h in [g, *grad])
    values = at(phi, rng.integers(-9, 10, size=phi.n_params))
    point = {v: values[p] for v, p in zip(ys, pivots)}
    assert g.subs(point) == 0 and any(h.subs(point) != 0 for h in grad)


def test_mlp_strata_are_described():
    """The other strata of ``subnetworks`` are named too: a neuron removed from an MLP layer;
    a rank drop of Q^T K elsewhere in one-layer attention (not called singular there)."""
    from neuroalg.geometry.witness.critical_result import stratum_meaning

    assert stratum_meaning("mlp 3,2,1 x^2", "mlp 3,1,1 x^2").startswith(
        "one neuron of hidden layer 1 removed")
    assert stratum_meaning("attention l=1 d=3 a=3 t=2", "attention l=1 d=3 a=2 t=2") == (
        "the functions with rank Q^T K <= 2, the key/query rank of the stratum")


def test_a_failed_trace_test_gives_a_lower_bound(monkeypatch):
    """A zero-loss witness set that never passes the trace test is reported as a lower bound
    (it was printed as the degree, with a residual of 2.5e-3, on the attention example with
    other data), after the doubled monodromy budgets, and the status is undecided."""
    import neuroalg.geometry.witness.degenerate as degenerate
    from neuroalg.homotopy.monodromy import TraceTest

    calls = []

    def failing(system, solutions, parameters, direction, image, rng):
        calls.append(len(solutions))
        return TraceTest(0.5, (len(solutions),) * 3, 0)

    monkeypatch.setattr(degenerate, "trace_test", failing)
    res = critical_points("cnn k=2,2 s=2,1 x", metric="data", n_samples=2, seed=1)
    d = res.degenerate
    assert len(calls) == degenerate.MAX_TRACE_ROUNDS and d.is_trace_passed is False
    assert res.status.value == "undecided" and "UNDECIDED" in res.headline()
    assert f"degree at least {d.zero_loss_degree}" in str(res) and "TRACE TEST FAILED" in str(res)
    assert res.to_dict()["degenerate"]["zero_loss_trace_passed"] is False


def test_attention_two_samples_has_two_lines_of_critical_points():
    """What the output omits (a known gap): with 2 samples the critical points off the
    zero-loss set are two lines of constant positive loss (see test_attention_with_few_data),
    A^T e_i = h_1* (the least-squares point of the plane h_2 = lambda_i h_1) and e_j^T A on the
    line orthogonal to r_2 = (h_2 X_2 - y_2) X_2^T, with v = G_1^{-1} e_i. Their points are
    regular (rank J = 5) critical points of the loss in the weights, with the losses the hand
    formula gives (Macaulay2 on these data: the roots 0.32604254... and 0.78217867... of a
    quadratic). The code counts them nowhere: they are singular endpoints of its homotopy."""
    from neuroalg.geometry.witness.metrics import evaluation_matrix
    from neuroalg.geometry.witness.systems import image_system
    from neuroalg.polymap import expand

    data = _attention_data(2)
    xs = [x.reshape(2, 2) for x in data["X"]]
    grams = _gram_matrices(data)
    phi = expand(parse_spec(ATTENTION))
    phi_system = image_system(phi)
    e_mat = evaluation_matrix(phi, data["X"]).astype(float)
    y = data["Y"].reshape(-1)
    lam, vecs = np.linalg.eig(grams[1] @ np.linalg.inv(grams[0]))
    losses = []
    for i in range(2):
        e_i, e_j = vecs[:, i], vecs[:, 1 - i]
        m = xs[0] @ xs[0].T + lam[i] ** 2 * xs[1] @ xs[1].T
        h1 = np.linalg.solve(m, xs[0] @ data["Y"][0] + lam[i] * xs[1] @ data["Y"][1])
        r2 = (lam[i] * h1 @ xs[1] - data["Y"][1]) @ xs[1].T
        loss = (np.sum((h1 @ xs[0] - data["Y"][0]) ** 2)
                + np.sum((lam[i] * h1 @ xs[1] - data["Y"][1]) ** 2)) / 2
        for t in (1.0, -2.5):
            a = np.linalg.solve(np.vstack([e_i, e_j]), np.vstack([h1, t * np.array([-r2[1], r2[0]])]))
            theta = np.concatenate([a.T.ravel(), np.eye(2).ravel(), np.linalg.solve(grams[0], e_i)])
            f, jac = (z[0].real for z in phi_system.evaluate(theta[None].astype(complex)))
            resid = e_mat @ f - y
            grad = jac.T @ e_mat.T @ resid
            s = np.linalg.svd(jac, compute_uv=False)
            assert s[4] > 1e-6 * s[0]  # a regular point: rank J = dim V = 5
            assert np.linalg.norm(grad) < 1e-10 * np.linalg.norm(jac) * np.linalg.norm(resid)
            assert resid @ resid / 2 == pytest.approx(loss, rel=1e-10)
        losses.append(loss)
    # Macaulay2: the losses on the components of the critical ideal off the zero-loss set
    assert sorted(losses) == pytest.approx([0.32604254484062617, 0.782178676366722], rel=1e-9)
    d = critical_points(ATTENTION, metric="data", data=data, seed=1).degenerate
    assert d is not None and d.n_isolated == 0 and d.path_fates["singular"] > 0
