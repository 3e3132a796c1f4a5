"""One progress parameter: False silent, True messages and bars on stderr, a callable gets lines."""

import pytest

from neuroalg.errors import SpecError
from neuroalg.progress import Progress, check_progress


def test_check_progress_forms():
    assert not check_progress(False) and not check_progress(None)
    p = check_progress(True)
    assert p and p.bars and p.sink is not None
    lines = []
    q = check_progress(lines.append)
    q("hello")
    assert lines == ["hello"] and not q.bars
    assert check_progress(q) is q
    with pytest.raises(SpecError, match="show_progress must be"):
        check_progress("yes")


def test_silent_bar_counts_nothing_and_never_fails(capsys):
    silent = Progress()
    assert not silent
    with silent.bar(3, "x") as advance:
        advance()
        advance(2)
        advance(5)  # past the total: still no error
    assert capsys.readouterr() == ("", "")


def test_library_functions_report_through_a_callable():
    from neuroalg.geometry.dimension import dimension
    from neuroalg.homotopy import katsura, solve

    lines = []
    dimension("mlp 3,2,1 x^2", seed=0, show_progress=lines.append)
    solve(katsura(2), seed=0, show_progress=lines.append)
    assert any("trial" in ln for ln in lines) and any("tracking" in ln for ln in lines)
