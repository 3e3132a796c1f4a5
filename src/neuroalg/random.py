"""One way to turn a ``seed`` argument into random generators.

Every random choice in neuroalg flows from a single ``seed``: ``None`` (fresh entropy, recorded),
an ``int``, or a :class:`numpy.random.Generator`. Independent streams for trials, primes and sweep
items come from :meth:`numpy.random.SeedSequence.spawn`, keyed by position, so results do not
depend on the order or the number of workers.
"""

from __future__ import annotations

import numpy as np

from .errors import SpecError


def check_seed(seed: int | np.random.Generator | None) -> tuple[int | None, np.random.Generator]:
    """Return ``(recorded_seed, generator)`` for a user-supplied ``seed``.

    ``None`` draws a 63-bit integer from OS entropy and uses it, so the run can be replayed;
    a Generator is used as is and its seed is recorded as ``None``.
    """
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
    if isinstance(seed, np.random.Generator):
        return None, seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SpecError(f"seed must be a non-negative integer or a numpy Generator; got {seed!r}")
    return int(seed), np.random.default_rng(int(seed))


def child_seed(rng: np.random.Generator) -> int:
    """A 63-bit seed for an inner call (e.g. the dimension an invariant needs), drawn from
    ``rng``: determined by the caller's seed, independent of the caller's later draws, and an
    ``int`` so the result can record it and the inner call can be replayed alone."""
    return int(rng.integers(0, 2**63 - 1))


def spawn(rng: np.random.Generator, n: int) -> list[np.random.Generator]:
    """``n`` independent child generators of ``rng`` (deterministic given ``rng``'s state)."""
    return rng.spawn(n)
