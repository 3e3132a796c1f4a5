"""Subnetwork strata: singularity and critical exposure against the issue's literature values."""

import pytest
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.geometry.witness.singular import singular


def test_dead_neuron_of_generic_activation_net():
    """(2,2,1) with x^3+x^2: a cubic hypersurface singular along the one-neuron subnetwork
    image, and that stratum is critically exposed."""
    s = _by_name(singular("mlp 2,2,1 x^3+x^2", seed=0))["dead neuron in layer 1"]
    assert s.dimension == 3 and s.is_singular is True and s.tangent_union_rank > 6
    assert s.is_exposed and s.exposure_rank == 7


def test_rank_one_quadrics_are_singular_on_the_determinant():
    """(3,2,1) x^2 = {det = 0} among ternary quadrics; its singular locus is the rank-1 locus."""
    for s in singular("mlp 3,2,1 x^2", seed=0).strata:  # dead and merged: the same image
        assert s.dimension == 3 and s.is_singular is True


def _by_name(res):
    return {s.name: s for s in res.strata}


@pytest.mark.parametrize("spec, smaller", [
    ("mlp 2,3,1 x^3+x^2", ("mlp 2,2,1 x^3+x^2", "mlp 2,1,1 x^3+x^2")),
    ("mlp 3,3,1 x^2", ("mlp 3,2,1 x^2", "mlp 3,1,1 x^2")),
    ("mlp 2,3,2 x^3 bias", ("mlp 2,2,2 x^3 bias", "mlp 2,1,2 x^3 bias")),
])
def test_merged_and_cancelling_images_are_smaller_networks(spec, smaller):
    """Merged neurons act as one neuron, a cancelling pair as none: the strata's image
    dimensions equal the dimensions of the networks with one and two neurons fewer, computed
    independently by :func:`dimension`."""
    from neuroalg import dimension

    s = _by_name(singular(spec, seed=1))
    assert s["merged neurons in layer 1"].dimension == dimension(smaller[0], seed=0).dimension
    assert s["dead neuron in layer 1"].dimension == dimension(smaller[0], seed=0).dimension
    assert s["cancelling neurons in layer 1"].dimension == dimension(smaller[1], seed=0).dimension


def test_exposure_needs_a_jacobian_rank_drop_on_filling_networks():
    """V = C^M: targets with a critical point on S are Phi(theta) + ker dPhi(theta)^T, so a
    stratum whose generic Jacobian has full rank M is never exposed; the merged pair, whose
    Jacobian drops rank, is."""
    res = singular("mlp 2,3,1 x^3+x^2", seed=0)
    for s in res.strata:
        if s.jacobian_rank == res.ambient:
            assert not s.is_exposed
    assert _by_name(res)["merged neurons in layer 1"].is_exposed


def test_cnn_strata_not_exposed():
    """k = (3,2), stride 2, y^2 + y: subnetwork strata are not critically exposed (issue 7);
    every padding of the filters is a stratum (geometry/witness/cnn_strata.py)."""
    res = singular("cnn k=3,2 s=2,1 x^2+x", seed=0)
    assert len(res.strata) == 16  # cores (c1, c2) != (3, 2), one stratum per offset
    assert not any(s.is_exposed for s in res.strata)
    assert all(s.exposure_rank < res.ambient and s.exposure_gap > 1e4 for s in res.strata)


def test_filling_network_has_no_proven_singularity():
    res = singular("mlp 3,3,1 x^2", seed=0)  # fills the ternary quadrics: smooth
    assert all(s.is_singular is None for s in res.strata)


def test_cli_singular_rejects_rational():
    out = CliRunner().invoke(app, ["singular", "rational 2,3,1"])
    assert out.exit_code == 2 and "polynomial" in out.output
    ok = CliRunner().invoke(app, ["singular", "mlp 2,2,1 x^3+x^2", "--json"])
    assert ok.exit_code == 0 and '"singular": true' in ok.stdout
