import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.tropical import ReLUNetwork, count_regions
from neuroalg.tropical.cells import activation_cells, make_domain
from neuroalg.tropical.plot import plot_regions, region_polygons, slice_network


def area(P):
    x, y = P[:, 0], P[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


@pytest.mark.parametrize("widths", [(2, 6, 1), (2, 5, 5, 1)])
def test_polygons_tile_the_box(widths):
    net = ReLUNetwork.random(widths, seed=1)
    box = [(-1.5, 2.0), (-1.0, 1.0)]
    polys, ids = region_polygons(net, box)
    assert len(polys) == count_regions(net, box=box, n_samples=0).activation_regions
    assert sum(area(P) for P in polys) == pytest.approx(3.5 * 2.0, rel=1e-9)


def test_every_cell_holds_its_ball():
    net = ReLUNetwork.random((2, 8, 8, 1), seed=2)
    for box in (None, (-1, 1)):
        cells = activation_cells(net, make_domain(net, box))
        assert len(cells) > 1
        for c in cells:
            assert np.max(c.G @ c.y - c.e) <= -c.r * (1 - 1e-9)


def test_plot_writes_png(tmp_path):
    path = tmp_path / "regions.png"
    plot_regions("relu 2,5,4,1", path, seed=0)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plot_regions("relu 3,4,1", tmp_path / "slice.png", seed=0)  # sliced along e1, e2
    assert (tmp_path / "slice.png").exists()


def test_slice_matches_network():
    net = ReLUNetwork.random((3, 4, 2), seed=0)
    o, d1, d2 = np.array([0.5, -1, 2]), np.array([1.0, 0, 1]), np.array([0, 2.0, 0])
    s = slice_network(net, o, d1, d2)
    U = np.random.default_rng(0).standard_normal((10, 2))
    assert np.allclose(s(U), net(o + U[:, :1] * d1 + U[:, 1:] * d2))
    with pytest.raises(SpecError, match="at least two inputs"):
        plot_regions("relu 1,3,1", None, seed=0)
