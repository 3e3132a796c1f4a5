"""Padded-filter strata of polynomial CNNs (Razor's Edge, the CNN part), against independent
routes: the forward pass (which paddings give the same function), defining equations of V
(the Jacobian criterion), and the tangent cone from their initial forms."""

from itertools import product

import numpy as np
import pytest
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.fields import REAL
from neuroalg.geometry.equations.equations import equations
from neuroalg.geometry.witness.cnn_strata import (
    cnn_singular,
    n_branches,
    padded_strata,
    padding,
    tangent_cone,
)
from neuroalg.geometry.witness.singular import singular
from neuroalg.spec import parse_spec


def _same_function_groups(arch, rng):
    """Padding patterns grouped by the function they compute, from the forward pass alone:
    the same random core values placed by each pattern, outputs compared at random inputs."""
    x = rng.standard_normal((12,) + tuple(arch.input_shape))
    groups: dict = {}
    for core in product(*[range(1, k + 1) for k in arch.filters]):
        z = rng.standard_normal(sum(core))
        seen = []
        for lead in product(*[range(k - c + 1) for k, c in zip(arch.filters, core)]):
            theta, pos = np.zeros(arch.n_params), 0
            for (w, _), c, a in zip(arch.layer_slices(), core, lead):
                theta[w.start + a: w.start + a + c] = z[pos: pos + c]
                pos += c
            out = arch.forward(theta, x, REAL).ravel()
            for ref, members in seen:
                if np.allclose(out, ref, rtol=1e-9, atol=1e-12):
                    members.append(lead)
                    break
            else:
                seen.append((out, [lead]))
        groups[core] = sorted(tuple(sorted(m)) for _, m in seen)
    return groups


@pytest.mark.parametrize("spec", ["cnn k=2,2 x^2", "cnn k=3,2 s=2,1 x^2+x", "cnn k=3,3 s=2,1 x^3",
                                  "cnn k=2,2,2 x^2", "cnn k=3,2,2 s=2,2,1 x^2", "cnn k=2,2 x^2 out=2"])
def test_placements_are_exactly_the_paddings_with_the_same_function(spec):
    """The offset o = sum a_l S_l (the integrality criterion) groups paddings exactly as the
    forward pass does: equal functions iff equal core lengths and equal offset."""
    arch = parse_spec(spec)
    by_forward = _same_function_groups(arch, np.random.default_rng(0))
    by_offset: dict = {}
    for core, _, where in padded_strata(arch):
        by_offset.setdefault(core, []).append(tuple(sorted(where)))
    for core, groups in by_forward.items():
        if core != arch.filters:
            assert sorted(by_offset[core]) == groups, core


def test_issue_example_one_node_and_smooth_elsewhere_by_the_jacobian_criterion():
    """cnn k=2,2 x^2 (issue 14): of its 7 strata exactly one, x2^2 reached as [*0, 0*] and
    [0*, *0], is singular: a node with 2 branches whose tangent images span all 5
    coordinates. The equations of V (interpolated to degree 3, verified) prove the rest smooth
    (Jacobian rank = codim 2) and the Zariski tangent space of the node to be 5."""
    gens = equations("cnn k=2,2 x^2", degree=3, seed=0, structural=False).generators
    res = cnn_singular("cnn k=2,2 x^2", seed=0, generators=gens)
    assert res.dimension == 3 and res.ambient == 5 and len(res.strata) == 7
    (node,) = [s for s in res.strata if s.is_singular]
    assert sorted(node.placements) == [(0, 1), (1, 0)] and node.kind == "node (2 branches)"
    assert node.branch_ranks == (3, 3) and node.tangent_union_rank == 5 == node.zariski_upper
    for s in res.strata:
        assert s.identity_verified and s.is_certified
        if not s.is_singular:
            assert s.is_singular is False and s.zariski_upper == 3 == s.tangent_union_rank
    assert res.status.value == "certified"
    plain = singular("cnn k=2,2 x^2", seed=0)  # without equations: smooth by the criterion only
    assert plain.n_singular == 1 and plain.status.value == "undecided"
    assert "inconclusive" not in str(plain)


def test_paper_example_stride_two_integrality():
    """SMK25 App. D: k = (3,2), stride 2, y^2 + y. Two zeros of filter 1 equal one zero of
    filter 2 (2 = 1 * s_1): the only node. One zero of filter 1 cannot move (1 is not a
    multiple of 2), so [*00, *0]-type paddings with odd offset stay smooth."""
    res = cnn_singular("cnn k=3,2 s=2,1 x^2+x", seed=1)
    nodes = [s for s in res.strata if s.is_singular]
    assert [(s.core, s.offset, sorted(s.placements)) for s in nodes] == [((1, 1), 2, [(0, 1), (2, 0)])]
    assert nodes[0].tangent_union_rank > res.dimension == 5
    assert all(s.branch_ranks == (5,) * s.n_branches for s in res.strata)  # regular: no cusp
    assert n_branches(parse_spec("cnn k=3,2 s=2,1 x^2+x"), (1, 0), (1, 1)) == 1
    assert not any(s.is_exposed for s in res.strata)  # CNN strata are not critically exposed


@pytest.mark.parametrize("spec, degree, n_decided, n_nodes", [
    ("cnn k=2,3 x^2", 3, 11, 3), ("cnn k=2,2 x^3", 2, 6, 1),
    ("cnn k=3,3 s=3,1 x^2", 2, 35, 0),  # stride 3 = k_1: no zero can move, no singular stratum
    pytest.param("cnn k=3,2 s=2,1 x^2", 3, 15, 1, marks=pytest.mark.slow)])
def test_criterion_agrees_with_the_jacobian_rank_test_where_it_decides(spec, degree, n_decided,
                                                                      n_nodes):
    """Two independent bounds on the Zariski tangent space at each stratum point: tangent
    images over the placements (lower) and the Jacobian of verified equations (upper). The
    criterion's verdict agrees wherever the equations decide (upper = dim V: smooth; lower >
    dim V: singular), and lower <= upper always; at the nodes they meet (the Zariski tangent
    space is known exactly)."""
    gens = equations(spec, degree=degree, seed=0, structural=False).generators
    res = cnn_singular(spec, seed=2, generators=gens)
    decided = 0
    for s in res.strata:
        assert s.tangent_union_rank <= s.zariski_upper
        if s.zariski_upper == res.dimension:
            assert s.is_singular is False and s.n_branches == 1
            decided += 1
        if s.n_branches > 1:
            assert s.is_singular and s.kind == f"node ({s.n_branches} branches)"
            assert s.tangent_union_rank == s.zariski_upper
    assert decided == n_decided and sum(s.n_branches > 1 for s in res.strata) == n_nodes


def test_tangent_cone_counts_the_branches():
    """The tangent cone of V from the initial forms of its equations (exact at a rational point,
    then cut by a random affine space by homotopy continuation): one point per placement, on
    its tangent space, at every stratum of cnn k=2,2 x^2 -- a node has two, no cusp anywhere."""
    arch = parse_spec("cnn k=2,2 x^2")
    gens = equations(arch, degree=3, seed=0, structural=False).generators
    for core, _, where in padded_strata(arch):
        tc = tangent_cone(arch, core, where, gens, seed=3)
        assert tc.n_points == tc.n_on_branches == tc.branch_hits == len(where)


def test_padding_reader():
    arch = parse_spec("cnn k=3,2 s=2,1 x^2")
    assert padding(arch, [0, 0, 1.0, 0.5, 0]) == ((2, 0), (0, 1))
    assert n_branches(arch, (2, 0), (0, 1)) == 2 and n_branches(arch, (3, 0), (0, 0)) == 0


def test_linear_cnns_are_refused_with_a_reason():
    from neuroalg.errors import SpecError

    with pytest.raises(SpecError, match="nonlinear polynomial activation"):
        cnn_singular("cnn k=2,2 x", seed=0)


def test_cli_singular_cnn_json():
    out = CliRunner().invoke(app, ["singular", "cnn k=2,2 x^2", "--json", "--seed", "0"])
    assert out.exit_code == 0 and '"kind": "node (2 branches)"' in out.stdout
    lin = CliRunner().invoke(app, ["singular", "cnn k=2,2 x", "--seed", "0"])  # LCN: old path
    assert lin.exit_code == 0 and "filter 1 tail zero" in lin.stdout
