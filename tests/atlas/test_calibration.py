"""Summaries of measured/predicted ratios against numpy's percentiles."""

import numpy as np

from neuroalg.atlas.calibration import Ratios, ratios


def test_ratios_match_numpy_percentiles():
    rng = np.random.default_rng(0)
    measured, predicted = rng.uniform(0.1, 5, 37), rng.uniform(0.1, 5, 37)
    r = ratios("time", zip(measured, predicted))
    x = measured / predicted
    assert r.n == 37
    np.testing.assert_allclose([r.median, r.low, r.high], np.percentile(x, [50, 10, 90]), rtol=1e-12)
    np.testing.assert_allclose(r.total, measured.sum() / predicted.sum(), rtol=1e-12)


def test_missing_or_non_positive_pairs_are_left_out():
    r = ratios("memory", [(None, 1.0), (1.0, None), (2.0, 0.0), (0.0, 3.0), (3.0, 1.5)])
    assert (r.n, r.median, r.total) == (1, 2.0, 2.0)
    empty = ratios("time", [(None, None)])
    assert empty == Ratios("time", 0) and str(empty) == "time measured/predicted: no task measured yet"
    assert str(r).endswith("1 task") and empty.to_dict()["median"] is None
