"""Subnetwork strata: singularity and critical exposure against the issue's literature values."""

import pytest
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.geometry.singular import singular


def test_dead_neuron_of_generic_activation_net():
    """(2,2,1) with x^3+x^2: a cubic hypersurface singular along the one-neuron subnetwork
    image, and that stratum is critically exposed."""
    (s,) = singular("mlp 2,2,1 x^3+x^2", seed=0).strata
    assert s.dimension == 3 and s.is_singular is True and s.tangent_union_rank > 6
    assert s.is_exposed and s.exposure_rank == 7


def test_rank_one_quadrics_are_singular_on_the_determinant():
    """(3,2,1) x^2 = {det = 0} among ternary quadrics; its singular locus is the rank-1 locus."""
    (s,) = singular("mlp 3,2,1 x^2", seed=0).strata
    assert s.dimension == 3 and s.is_singular is True


def test_cnn_strata_not_exposed():
    """k = (3,2), stride 2, y^2 + y: subnetwork strata are not critically exposed (issue 7)."""
    res = singular("cnn k=3,2 s=2,1 x^2+x", seed=0)
    assert len(res.strata) == 4
    assert not any(s.is_exposed for s in res.strata)
    assert all(s.exposure_rank < res.ambient and s.exposure_gap > 1e4 for s in res.strata)


def test_filling_network_has_no_proven_singularity():
    (s,) = singular("mlp 3,3,1 x^2", seed=0).strata  # fills the ternary quadrics: smooth
    assert s.is_singular is None


def test_cli_singular_rejects_rational():
    out = CliRunner().invoke(app, ["singular", "rational 2,3,1"])
    assert out.exit_code == 2 and "polynomial" in out.output
    ok = CliRunner().invoke(app, ["singular", "mlp 2,2,1 x^3+x^2", "--json"])
    assert ok.exit_code == 0 and '"singular": true' in ok.stdout
