"""Exact and numerical linear algebra: ranks over GF(p), numerical rank with gap, primes."""

from .modular import rank_lower_bound_mod as rank_lower_bound_mod
from .modular import rank_mod as rank_mod
from .numerical import NumericalRank as NumericalRank
from .numerical import numerical_rank as numerical_rank
from .primes import is_prime as is_prime
from .primes import random_prime as random_prime
