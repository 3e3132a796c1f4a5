"""random.py: one seed determines every draw; recorded seeds replay; bad seeds are refused."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.random import check_seed, child_seed, spawn


def test_an_int_seed_replays_and_none_records_a_fresh_one():
    s, rng = check_seed(7)
    assert s == 7 and rng.integers(0, 2**32) == np.random.default_rng(7).integers(0, 2**32)
    s1, _ = check_seed(None)
    s2, _ = check_seed(None)
    assert isinstance(s1, int) and 0 <= s1 < 2**63 and s1 != s2
    g = np.random.default_rng(0)
    assert check_seed(g) == (None, g)


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_bad_seeds(bad):
    with pytest.raises(SpecError, match="seed must be a non-negative integer"):
        check_seed(bad)


def test_child_seeds_are_determined_by_the_parent_and_replay_alone():
    a = [child_seed(np.random.default_rng(5)) for _ in range(2)]
    assert a[0] == a[1] and 0 <= a[0] < 2**63
    rng = np.random.default_rng(5)
    first, second = child_seed(rng), child_seed(rng)
    assert first != second


def test_spawned_streams_are_reproducible_and_distinct():
    x = [g.random() for g in spawn(np.random.default_rng(1), 4)]
    y = [g.random() for g in spawn(np.random.default_rng(1), 4)]
    assert x == y and len(set(x)) == 4
