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
