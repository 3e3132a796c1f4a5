"""The Delaunay graph picture is written, and a bad path is refused before drawing."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.hyperbolic import hyperdga, wrapped_normal


def test_plot(tmp_path):
    from neuroalg.hyperbolic.plot import plot_hyperdga

    rng = np.random.default_rng(2)
    r = hyperdga(wrapped_normal(60, 2, rng), wrapped_normal(60, 2, rng, center=[0.5, 0.0]))
    path = tmp_path / "g.png"
    plot_hyperdga(r, path)
    assert path.stat().st_size > 10_000
    with pytest.raises(SpecError, match="folder"):
        plot_hyperdga(r, tmp_path / "missing" / "g.png")
