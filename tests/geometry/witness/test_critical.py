"""Critical points: the gauge, both methods against each other and against theorems, the
completeness evidence, checkpoints and the degenerate data regime."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.geometry import formulas
from neuroalg.geometry.expected import Theorem, expected_critical, expected_degree
from neuroalg.geometry.witness.critical import CriticalResult, Evidence, critical_points
from neuroalg.geometry.witness.gauge import coordinate_gauge, preferred_fixes
from neuroalg.geometry.witness.systems import image_system
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec


@pytest.mark.parametrize("spec, dim", [("mlp 3,2,1 x^2", 5), ("attention l=1 d=2 a=2 t=2 out=1", 5),
                                       ("linear 3,2,4", 10), ("cnn k=3,2 x^2", 4),
                                       ("mlp 3,3,3,1 x^2", 10)])
def test_gauge_leaves_finite_fibers(spec, dim):
    """P - dim V parameters are fixed, the preferred ones (one outgoing weight per rescaled
    unit, GL blocks) among them, and the restricted map has a Jacobian of rank dim V at a
    random complex point (an independent, numerical check of the proof mod p): no continuous
    symmetry survives, known or hidden."""
    arch = parse_spec(spec)
    phi = expand(arch)
    gauge = coordinate_gauge(arch, phi, dim, np.random.default_rng(0))
    assert len(gauge.free) == dim and len(gauge.fixed) == arch.n_params - dim
    assert all(abs(v) >= 0.5 for v in gauge.values)
    for unit in arch.units():  # one outgoing weight of each rescaled unit is fixed
        if unit.group == "rescaling":
            assert len(set(unit.outgoing or unit.incoming) & set(gauge.fixed)) >= 1
    preferred = set(preferred_fixes(arch, np.random.default_rng(0)))
    assert len(preferred) <= len(gauge.fixed)
    psi = gauge.restrict(phi)
    rng = np.random.default_rng(1)
    z = rng.standard_normal(dim) + 1j * rng.standard_normal(dim)
    s = np.linalg.svd(image_system(psi).evaluate(z[None])[1][0], compute_uv=False)
    assert s[dim - 1] > 1e-8 * s[0]
    # psi is Phi on the slice: same values at the embedded point
    theta = gauge.embed(z[None])
    np.testing.assert_allclose(image_system(psi).evaluate(z[None])[0],
                               image_system(phi).evaluate(theta)[0], rtol=1e-10)


def test_closed_forms_against_known_values():
    """Friedland–Ottaviani counts, Harris–Tu degrees and generic ED degrees against values
    published independently of the formulas (matrices: min(m, n); 2x2x2: 6, 3x3x3: 37;
    Veronese nu_2(P^{n-1}): degree 2^{n-1}; the determinant: degree n; nu_d(P^1): 3d - 2)."""
    assert formulas.singular_vector_tuples([3, 5]) == 3
    assert formulas.singular_vector_tuples([2, 2, 2]) == 6
    assert formulas.singular_vector_tuples([3, 3, 3]) == 37
    for n in (2, 3, 4, 5):
        assert formulas.symmetric_determinantal_degree(n, 1) == 2 ** (n - 1)
        assert formulas.symmetric_determinantal_degree(n, n - 1) == n
    assert formulas.symmetric_determinantal_degree(4, 2) == 10
    for d in (2, 3, 4, 5):
        assert formulas.segre_veronese_ed_degree([1], [d]) == 3 * d - 2


def test_theorems_chosen_for_architectures():
    assert expected_critical(parse_spec("linear 3,2,4"), "unit").value == 3  # Eckart–Young
    assert expected_critical(parse_spec("linear 3,2,4"), "generic").value == 83  # dual Segre P2xP3
    assert expected_critical(parse_spec("linear 3,2,4"), "data", n_samples=2) is None  # N < d0
    assert expected_critical(parse_spec("mlp 3,2,1 x^2"), "generic").value == 13
    assert expected_critical(parse_spec("mlp 3,2,1 x^2"), "unit") is None  # not Bombieri–Weyl
    assert expected_critical(parse_spec("cnn k=2,2 s=2,1 x"), "data", n_samples=16).value == 6
    assert expected_critical(parse_spec("cnn k=3,2 x^2"), "data", n_samples=20,
                             n_coordinates=9).value == 79
    assert expected_critical(parse_spec("cnn k=2,2,2 x^2"), "generic").value == 404
    assert expected_critical(parse_spec("attention l=1 d=2 a=2 t=2 out=1"), "generic") is None
    assert expected_degree(parse_spec("linear 4,2,4")).value == 20
    assert expected_degree(parse_spec("mlp 3,2,1 x^2")).value == 3
    assert expected_degree(parse_spec("mlp 3,1,1 x^2")).value == 4
    assert expected_degree(parse_spec("cnn k=3,2 x^2")).value == 12


#: (spec, metric, count, source): the count by theorem (geometry/expected.py) or published
CASES = [
    ("linear 2,1,2", "generic", 6, "generic ED degree of the Segre P1xP1 (DHOST Thm 5.8)"),
    ("mlp 2,1,1 x^3", "generic", 7, "twisted cubic: 3d - 2 (DHOST Example 5.12)"),
    ("cnn k=2,2 s=2,1 x", "data", 6, "LCN = Segre P1xP1, generic data (KMST)"),
    ("cnn k=2,2 s=2,1 x", "unit", 2, "Frobenius ED degree of P1xP1 (Eckart–Young)"),
    ("linear 2,1,3", "data", 2, "whitening reduces to Eckart–Young C(2, 1)"),
    ("linear 3,2,4", "unit", 3, "Eckart–Young C(3, 2)"),
    ("mlp 3,1,1 x^2", "generic", 13, "Veronese surface (DHOST Thm 5.8)"),
    ("mlp 3,2,1 x^2", "generic", 13, "dual of the Veronese surface (DHOST Thm 5.2)"),
    ("cnn k=3,2 s=3,1 x", "generic", 10, "LCN = Segre P2xP1 (DHOST Thm 5.8)"),
    ("cnn k=2,2 x^2", "generic", 14, "Segre–Veronese P1xP1 under O(2, 1) (SMK)"),
    ("attention l=1 d=2 a=2 t=2 out=1", "generic", 14, "Marchetti–Connelly–Breiding–Kohn"),
    ("mlp 2,2,1 x^3", "generic", 1, "V fills the binary cubics"),
    ("mlp 2,1,1 x^4", "generic", 10, "rational normal quartic: 3d - 2 (DHOST Example 5.12)"),
]
FAST = {("linear 2,1,2", "generic"), ("mlp 2,1,1 x^3", "generic"), ("cnn k=2,2 s=2,1 x", "data"),
        ("cnn k=2,2 s=2,1 x", "unit"), ("linear 2,1,3", "data")}
#: how each square system is formed and solved: the gauge system by a homotopy from a start
#: system and by monodromy, and the Lagrange system on the equations of V (in function space)
WAYS = [("param", "homotopy"), ("param", "monodromy"), ("implicit", "auto")]


@pytest.mark.parametrize("spec, metric, count, source", [
    c if (c[0], c[1]) in FAST else pytest.param(*c, marks=pytest.mark.slow) for c in CASES],
    ids=lambda v: v if isinstance(v, str) else None)
def test_methods_and_solvers_agree_with_theory(spec, metric, count, source):
    """The parameter method (coordinate gauge) and the implicit method (Lagrange system on
    verified equations, in function space) share no equations; the homotopy from a start system
    and monodromy share no paths. All must find the count that theory gives (the closed form of
    formulas.py where expected.py says one applies, else the published value), every counted
    point passes the unrandomized conditions and is certified, and a homotopy run accounts for
    every path."""
    arch = parse_spec(spec)
    for method, solver in WAYS:
        res = critical_points(arch, metric=metric, method=method, solver=solver, seed=2,
                              check=False)
        assert res.n_critical == count, (method, solver, source)
        assert res.n_certified == res.n_solutions and res.n_rejected == 0
        theorem = res.evidence.theorem
        assert theorem is None or theorem.value == count
        assert res.status.value == "numerical"
        assert solver == "auto" or res.solver["solver"] == solver
        if res.solver["solver"] == "homotopy":
            assert res.solver["failed"] == 0 and res.evidence.homotopy == (res.n_paths, 0)
            assert res.n_paths == res.solver["root_bound"] == sum(
                res.solver[k] for k in ("nonsingular", "singular", "at_infinity", "failed"))


def test_evidence_of_completeness():
    res = critical_points("linear 2,1,2", seed=4)
    ev = res.evidence
    assert ev.first_run == ev.second_run == 6 and ev.n_fresh_paths == 12 and ev.n_fresh_distinct == 6
    assert "two independent runs agree" in res.headline() and res.status.value == "numerical"
    assert res.to_dict()["evidence"]["theorem"]["value"] == 6


def test_disagreement_is_undecided():
    """A count below the theorem's is never printed as a plain number; two runs that disagree
    leave the count undecided, also when their union reaches the theorem's count."""
    assert Evidence(None, first_run=5, second_run=6).disagreements(6)
    assert Evidence(Theorem(6, "", ""), first_run=5, second_run=6).disagreements(6)
    ev = Evidence(Theorem(7, "twisted cubic", "DHOST"), first_run=6, second_run=6, n_fresh_paths=12,
                  n_fresh_distinct=6)
    res = CriticalResult("mlp 2,1,1 x^3", "generic", 6, 2, 6, 8, 40, 0, (6,) * 8, 6, (), 0, 1, 1.0,
                         evidence=ev)
    assert res.status.value == "undecided"
    assert "UNDECIDED" in res.headline() and "theorem gives 7" in res.headline()


def test_checkpoint_resumes_and_refuses_other_problems(tmp_path):
    path = tmp_path / "run.json"
    first = critical_points("mlp 2,1,1 x^3", seed=8, check=False, checkpoint=path)
    assert path.exists() and first.n_critical == 7
    again = critical_points("mlp 2,1,1 x^3", check=False, checkpoint=path)  # seed from the file
    assert again.seed == 8 and again.n_critical == 7
    assert again.history[: len(first.history)] == first.history  # continued, not restarted
    with pytest.raises(SpecError, match="another problem"):
        critical_points("mlp 2,1,1 x^3", seed=9, check=False, checkpoint=path)


def test_method_is_validated():
    with pytest.raises(SpecError, match="method"):
        critical_points("mlp 2,1,1 x^3", method="newton", seed=0)


def test_degenerate_data_two_samples_on_an_lcn():
    """cnn k=2,2 s=2,1 x is the Segre quadric cone {ad = bc} in C^4 (dim 3); two samples project
    it onto C^2. The zero-loss set is a plane section of the cone: a conic (dimension 1, degree
    2). Off it, a critical point needs the projection to ramify: the tangent plane of the quadric
    contains the projection's center line, and exactly two tangent planes of a smooth quadric
    contain a generic line (its dual is a quadric): 2 isolated critical points."""
    res = critical_points("cnn k=2,2 s=2,1 x", metric="data", n_samples=2, seed=1)
    d = res.degenerate
    assert d is not None and d.projected_dimension == 2 and d.fiber_dimension == 1
    assert d.zero_loss_dimension == 1 and d.zero_loss_degree == 2 and d.zero_loss_trace < 1e-8
    assert d.n_isolated == 2 and d.n_ramified == 2 and res.n_critical == 2
    assert "degenerate" in res.headline()
    many = critical_points("cnn k=2,2 s=2,1 x", metric="data", n_samples=20, seed=1, check=False)
    assert many.degenerate is None and many.n_critical == 6


@pytest.mark.slow
def test_attention_singular_locus():
    """One-layer attention d = a = 2, t = 2, out = 1 (Marchetti–Connelly–Breiding–Kohn): 14
    critical points for a generic metric on the regular part, 10 on the singular locus
    rank Q^T K = 1 (Henry–Marchetti–Kohn's singular points for out = 1)."""
    res = critical_points("attention l=1 d=2 a=2 t=2 out=1", seed=3, strata=True, check=False)
    assert res.n_critical == 14
    assert res.strata == (("attention l=1 d=2 a=1 t=2 out=1", 10),)
