"""The sketched evaluation Jacobian: rows c_j^T dPhi(theta)(x_j) at random inputs x_j and output
covectors c_j, over any field of :mod:`neuroalg.fields` (one reverse pass per row).

The functionals f -> c^T f(x) span the dual of the function space, so ``dim V`` generic rows
already have generic rank ``dim V``; a rank over GF(p) at any point is a lower bound for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..arch import Architecture


def sketched_jacobian(arch: Architecture, theta, n_rows: int, field, rng, *, block: int | None = None):
    """Rows ``c_j^T dPhi(theta)(x_j)`` at ``n_rows`` random inputs and covectors, built in
    blocks of rows to bound the memory of the reverse pass (default: 256 rows, fewer when a
    block would exceed 2^20 entries: its temporaries stay in cache-friendly sizes, measured
    fastest in ``benchmarks/dimension.py``'s set-up, and a few tens of MB at most)."""
    if block is None:
        block = max(32, min(256, (1 << 20) // max(arch.n_params, 1)))
    jac = np.empty((n_rows, arch.n_params), dtype=field.dtype)
    for start in range(0, n_rows, block):
        n = min(block, n_rows - start)
        x = arch.random_inputs(rng, n, field, theta)
        jac[start : start + n] = arch.vjp(theta, x, arch.random_cotangents(rng, n, field), field)
    return jac
