import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroalg import SpecError
from neuroalg.fields import GF, check_field, matmul_mod, reduce_mod
from neuroalg.linalg import is_prime, random_prime

PRIMES = [3, 65537, 1048573, 40000003, 1073741789, 2147483647]


def _reference(a, b, p):
    return np.array([[sum(int(x) * int(y) for x, y in zip(row, col)) % p for col in b.T] for row in a])


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize("shape", [(1, 1, 1), (3, 5, 4), (7, 3000, 3)])
def test_matmul_mod_is_exact(p, shape):
    m, k, n = shape
    rng = np.random.default_rng(p + k)
    a = rng.integers(0, p, (m, k))
    b = rng.integers(0, p, (k, n))
    a[0, :] = p - 1  # worst case entries
    b[:, 0] = p - 1
    assert (matmul_mod(a, b, p) == _reference(a, b, p)).all()


def test_matmul_mod_batched():
    p, rng = 2147483647, np.random.default_rng(0)
    a, b = rng.integers(0, p, (4, 3, 6)), rng.integers(0, p, (4, 6, 2))
    got = matmul_mod(a, b, p)
    for i in range(4):
        assert (got[i] == _reference(a[i], b[i], p)).all()


@given(st.lists(st.integers(-(2**52), 2**52), min_size=1, max_size=50), st.sampled_from(PRIMES))
@settings(max_examples=60, deadline=None)
def test_reduce_mod(values, p):
    x = np.array(values, dtype=np.float64)
    assert reduce_mod(x.copy(), p).astype(np.int64).tolist() == [v % p for v in values]


def test_inverse_and_power():
    f = GF(1000003)
    a = np.arange(1, 50, dtype=np.int64)
    assert (f.mul(a, f.inv(a)) == 1).all()
    assert f.pow(a, 5).tolist() == [pow(int(v), 5, f.p) for v in a]


def test_primes():
    rng = np.random.default_rng(0)
    for bits in (8, 21, 31):
        p = random_prime(bits, rng)
        assert 2 ** (bits - 1) <= p < 2**bits and is_prime(p)
        assert all(p % q for q in range(2, min(p, 2000)))
    assert [n for n in range(60) if is_prime(n)] == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43,
                                                     47, 53, 59]
    assert not is_prime(3215031751)  # strong pseudoprime to bases 2, 3, 5, 7


@pytest.mark.parametrize("bad", [2, 2**31 + 11, "int", 1.5])
def test_bad_fields(bad):
    with pytest.raises(SpecError):
        check_field(bad)


@pytest.mark.parametrize("p", [5, 1048573, 2147483647])
@pytest.mark.parametrize("dtype", [np.int64, np.float64])
def test_outer_into_strided_rows_numpy_and_compiled(p, dtype, monkeypatch):
    """Row-wise outer products mod p written into a strided block of a wider array, against
    Python integers; the compiled kernel (numba, when installed) gives the same array."""
    import importlib.util

    import neuroalg.fields as fields

    rng = np.random.default_rng(p)
    g, h = rng.integers(0, p, (70, 9)), rng.integers(0, p, (70, 8))
    want = np.array([[int(a) * int(b) % p for a in gr for b in hr] for gr, hr in zip(g, h)])
    got = {}
    for compiled in (False, True):
        if compiled:
            if importlib.util.find_spec("numba") is None:
                continue
            import neuroalg.linalg.compiled  # noqa: F401  (registers the compiled outer product)
        else:
            monkeypatch.setattr(fields, "COMPILED_OUTER", [])
        big = np.full((70, 100), -1, dtype=dtype)
        GF(p).outer(g, h, big[:, 10:82])
        assert (big[:, :10] == -1).all() and (big[:, 82:] == -1).all()
        got[compiled] = big[:, 10:82]
        monkeypatch.undo()
    for arr in got.values():
        assert np.array_equal(arr, want)
