"""Systems from text: named families and equation files, with one-line errors."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.homotopy.examples import cyclic, katsura
from neuroalg.homotopy.text import parse_system


@pytest.mark.parametrize("text, want", [("katsura 3", katsura(3)), ("cyclic-5", cyclic(5)),
                                        ("  katsura4 ", katsura(4))])
def test_named_families(text, want):
    got = parse_system(text)
    x = np.random.default_rng(0).standard_normal((3, want.n_vars)) + 0j
    np.testing.assert_array_equal(got(x), want(x))


def test_equation_file_with_comments(tmp_path):
    path = tmp_path / "sys.txt"
    path.write_text("# a circle and a line\nx^2 + y^2 - 1\n\nx - 2*y  # the line\n")
    system = parse_system(str(path))
    assert system.names == ("x", "y") and system.degrees.tolist() == [2, 1]
    point = np.array([2.0, 1.0]) / np.sqrt(5)  # on both
    assert np.abs(system(point)).max() < 1e-15
    np.testing.assert_allclose(system(np.array([1.0, 3.0]))[0], [9.0, -5.0])


@pytest.mark.parametrize("content, match", [
    ("x^2 + y^2 - 1\n", "1 equations in 2 variables"),
    ("# nothing\n\n", "holds no equations"),
    ("x^2 + __import__('os')\n", "line 1"),
])
def test_bad_files(tmp_path, content, match):
    path = tmp_path / "bad.txt"
    path.write_text(content)
    with pytest.raises(SpecError, match=match):
        parse_system(str(path))


@pytest.mark.parametrize("text, match", [("katsura 1", "2 <= N <= 14"), ("cyclic 15", "2 <= N <= 14"),
                                         ("katsura x", "integer"), ("no/such/file", "no such file")])
def test_bad_names(text, match):
    with pytest.raises(SpecError, match=match):
        parse_system(text)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\xff\xfe\x00x")
    with pytest.raises(SpecError, match="not a text file"):
        parse_system(str(path))
