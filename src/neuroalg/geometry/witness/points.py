"""Distinct points of widely different sizes (critical points, witness points).

:func:`neuroalg.homotopy.result.unique_points` clusters with one tolerance scaled by the largest
point, so one huge point would merge small distinct ones. Points are first mapped radially,
f -> f / (1 + |f|) (injective, size below 1, relative differences kept for points of any size
except along their own ray), and then clustered.
"""

from __future__ import annotations

import numpy as np

from ...homotopy.result import unique_points


def compress(points) -> np.ndarray:
    points = np.atleast_2d(np.asarray(points, dtype=np.complex128))
    return points / (1 + np.linalg.norm(points, axis=1))[:, None]


def distinct(points) -> tuple[np.ndarray, np.ndarray]:
    """Representatives (the original points) and the label of each point."""
    points = np.asarray(points, dtype=np.complex128)
    if not len(points):
        return points, np.zeros(0, dtype=np.int64)
    _, labels = unique_points(compress(points))
    first = np.unique(labels, return_index=True)[1]
    return points[first], labels


def n_distinct(points) -> int:
    return len(distinct(points)[0]) if len(points) else 0
