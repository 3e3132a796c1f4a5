"""The public API: every name of ``neuroalg.__all__`` resolves; invariants carry full docstrings."""

import inspect

import pytest

import neuroalg

INVARIANTS = ["dimension", "degree", "critical_points", "fiber", "singular", "equations",
              "member", "verify",
              "fisher", "generalization", "learning_coefficient", "local_learning_coefficient"]


@pytest.mark.parametrize("name", sorted(neuroalg.__all__))
def test_every_public_name_resolves(name):
    assert getattr(neuroalg, name) is not None


@pytest.mark.parametrize("name", INVARIANTS)
def test_invariants_have_numpydoc(name):
    doc = inspect.getdoc(getattr(neuroalg, name))
    for section in ("Parameters", "Returns", "Examples"):
        assert f"\n{section}\n" in doc, f"{name}: no {section} section"
    assert "status" in doc.split("Returns", 1)[1], f"{name}: Returns does not name the status"


def test_import_is_lazy():
    import subprocess
    import sys

    code = "import sys, neuroalg; print('numpy' in sys.modules, 'scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr


def test_small_dimension_loads_no_heavy_engine():
    """A small certified dimension (the start-up target of benchmarks/startup.py) imports
    neither scipy, flint, numba nor psutil: each costs 0.05-0.7 CPU-s to load."""
    import subprocess
    import sys

    code = ("import sys, neuroalg; r = neuroalg.dimension('mlp 3,3,3,3 x^2', seed=0); "
            "print(r.dimension, r.is_certified, *(m in sys.modules for m in "
            "('scipy', 'flint', 'numba', 'psutil')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["21", "True", "False", "False", "False", "False"], out.stdout + out.stderr
