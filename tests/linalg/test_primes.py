"""linalg/primes.py against trial division."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.linalg.primes import is_prime, random_prime


def _trial_division(n):
    return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))


def test_is_prime_agrees_with_trial_division_below_20000():
    assert [n for n in range(20000) if is_prime(n)] == [n for n in range(20000) if _trial_division(n)]


def test_is_prime_on_strong_pseudoprimes_and_large_primes():
    # 3215031751 is a strong pseudoprime to the bases 2, 3, 5, 7; 2^31 - 1 and 2^61 - 1 are prime
    assert not is_prime(3215031751)
    assert is_prime(2**31 - 1) and is_prime(2**61 - 1)
    assert not is_prime((2**31 - 1) * (2**13 - 1))


def test_random_prime_is_a_prime_of_the_requested_size_and_reproducible():
    ps = [random_prime(20, np.random.default_rng(s)) for s in range(20)]
    assert all(_trial_division(p) and 2**19 <= p < 2**20 for p in ps)
    assert ps == [random_prime(20, np.random.default_rng(s)) for s in range(20)]
    with pytest.raises(SpecError, match="between 8 and 31 bits"):
        random_prime(40, np.random.default_rng(0))
