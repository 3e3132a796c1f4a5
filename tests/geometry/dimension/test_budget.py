"""The up-front cost estimate in closed form, and the budget check."""

import pytest

from neuroalg.errors import BudgetError
from neuroalg.geometry.dimension.budget import (
    FLOPS,
    MAX_SECONDS,
    Estimate,
    available_memory,
    check_budget,
    rank_estimate,
)


def test_estimate_closed_form():
    est = rank_estimate(3000, 2000, trials=2)
    entries = 3000 * 2000
    assert est.memory == int(1.6 * 8 * entries)
    # (2/3) n m min(n, m) flops of the LU, plus building the rows (2e-7 s an entry), per trial
    assert est.seconds == pytest.approx(2 * (2 / 3 * 3000 * 2000 * 2000 / FLOPS + 2e-7 * entries))
    assert rank_estimate(0, 10) == Estimate(0, 0.0)
    assert str(Estimate(3 * 2**30, 42.4)) == "~3.0 GiB and ~42 s"


def test_budget_refuses_and_force_overrides():
    big = rank_estimate(10**6, 10**6)  # 12.8 TB: over any machine
    with pytest.raises(BudgetError, match="pass --force"):
        check_budget("dimension of X", big, force=False)
    check_budget("dimension of X", big, force=True)  # forced: no error
    slow = Estimate(10, MAX_SECONDS + 1)
    with pytest.raises(BudgetError, match="over the budget"):
        check_budget("x", slow, force=False)
    with pytest.raises(BudgetError, match=r"\(0\.0 GiB"):
        check_budget("x", Estimate(2**20, 1.0), force=False, memory_limit=1000)
    check_budget("x", Estimate(2**20, 1.0), force=False)  # small: never asks the machine
    assert available_memory() > 0
