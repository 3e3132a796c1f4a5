import math

import pytest

from neuroalg import SpecError
from neuroalg.atlas.region import parse_region


def test_size_matches_count():
    # depth L: prod of L-1 hidden ranges of size 6 -> sum_{L=1}^5 6^(L-1)
    reg = parse_region("mlp d0=2 dL=1 depth<=5 width<=6 r=2")
    assert len(reg.labels()) == sum(6 ** (L - 1) for L in range(1, 6))


def test_layer_bounds_params_and_lists():
    reg = parse_region("mlp d0=2,3 dL=1 depth=3 width=2..4 d1<=3 r=2,3")
    # d1 in 2..3, d2 in 2..4, two d0 values, two activations
    assert len(reg.labels()) == 2 * 3 * 2 * 2
    small = parse_region("mlp d0=2 dL=1 depth=3 width<=4 r=2 params<=12")
    for lab in small.labels():
        w = list(map(int, lab.split()[1].split(",")))
        assert sum(a * b for a, b in zip(w, w[1:])) <= 12
    assert len(small.labels()) == sum(
        1 for a in range(1, 5) for b in range(1, 5) if 2 * a + a * b + b <= 12)


def test_contains_agrees_with_labels():
    big = parse_region("mlp d0=2 dL=1 depth<=4 width<=5 r=2")
    small = parse_region("mlp d0=2 dL=1 depth=3..4 width=2..4 r=2")
    inside = set(small.labels())
    for lab in big.labels():
        assert small.contains(lab) == (lab in inside)
    assert math.isclose(len(inside), 3 ** 2 + 3 ** 3)


@pytest.mark.parametrize("text, match", [
    ("", "empty region"),
    ("cnn d0=2", "unknown family 'cnn'"),
    ("mlp d0=2 dL=1 depth<=3 r=2", "upper bound on the hidden widths"),
    ("mlp dL=1 depth<=3 width<=3 r=2", "needs 'd0='"),
    ("mlp d0=2 dL=1 depth<=3 width<=3", "needs an activation"),
    ("mlp d0=2 dL=1 depth<=3 width<=x r=2", "bad value 'x'"),
    ("mlp d0=2 dL=1 depth=5..3 width<=3 r=2", "empty range"),
    ("mlp d0=2 dL=1 depth<=3 height<=3 r=2", "bad region term 'height<=3'"),
    ("linear d0=2 dL=1 depth<=3 width<=3 r=2", "take no activation"),
    ("mlp d0=2 dL=1 depth>=3 width<=3 r=2", "leaves depth unbounded"),
])
def test_errors_name_the_bad_part(text, match):
    with pytest.raises(SpecError, match=match):
        parse_region(text)
