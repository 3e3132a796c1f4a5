"""Pictures are written (matplotlib, Agg) and the missing extra is a one-line error."""

import sys

import numpy as np
import pytest

from neuroalg.dynamics.compare import compare
from neuroalg.dynamics.models import DiagonalLinear
from neuroalg.errors import SpecError


def test_comparison_plot_is_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    from neuroalg.dynamics.plot import plot_comparison

    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 2))
    y = X @ np.array([1.0, 0.2])
    res = compare(DiagonalLinear(2), X, y, alpha=0.01, seed=0, simulate_gd=False)
    path = plot_comparison(res, str(tmp_path / "c.png"))
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.endswith("c.png")


def test_missing_matplotlib_is_a_clear_error(monkeypatch):
    from neuroalg.dynamics.plot import require_matplotlib

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    message = r"--plot needs the optional package 'matplotlib': pip install 'neuroalg\[plot\]'"
    with pytest.raises(SpecError, match=message):
        require_matplotlib()
