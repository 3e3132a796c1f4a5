"""Validation of options and input files, shared by the library's entry points and the CLI.

Each ``check_*`` returns the cleaned value or raises :class:`~neuroalg.errors.SpecError` (a
``ValueError``) whose message names the option, what is allowed and what was received. They run
at the boundary, before any computation starts, so that a bad output path fails in a second and
not after an hour of work.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from .errors import SpecError


def check_int(value: Any, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an ``int`` in ``[low, high]`` (either end may be open)."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            import numpy as np

            if not isinstance(value, np.integer):
                raise TypeError
        except TypeError:
            raise SpecError(f"{name} must be an integer; got {value!r}") from None
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise SpecError(f"{name} must be an integer in {_interval(low, high)}; got {value}")
    return value


def check_float(value: Any, name: str, *, low: float | None = None, high: float | None = None,
                open_low: bool = False, open_high: bool = False) -> float:
    """``value`` as a finite ``float`` in the given interval (closed unless ``open_*``)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise SpecError(f"{name} must be a number; got {value!r}") from None
    bad = (not math.isfinite(x)
           or (low is not None and (x < low or (open_low and x == low)))
           or (high is not None and (x > high or (open_high and x == high))))
    if bad:
        interval = _interval(low, high, "(" if open_low else "[", ")" if open_high else "]")
        raise SpecError(f"{name} must be a finite number in {interval}; got {value!r}")
    return x


def check_choice(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``."""
    if value not in allowed:
        raise SpecError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return str(value)


def check_output_path(path: str | os.PathLike, name: str, *,
                      suffixes: tuple[str, ...] | None = None) -> Path:
    """A file path that can be written: its folder exists and is writable, it is not a folder,
    and its extension is one of ``suffixes`` (without the dot) when given (e.g. the formats a
    plot can be written in).

    Call it before a long computation whose result is written there.
    """
    p = Path(path)
    if suffixes is not None and p.suffix.lower().lstrip(".") not in suffixes:
        raise SpecError(f"{name}: '{p}' must end in {', '.join('.' + s for s in suffixes)} "
                        "(the file format)")
    parent = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise SpecError(f"{name}: '{p}' is a folder; give a file name")
    if not parent.is_dir():
        raise SpecError(f"{name}: folder '{parent}' does not exist; create it first")
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise SpecError(f"{name}: '{p}' is not writable")
    return p


def check_input_path(path: str | os.PathLike, name: str) -> Path:
    """An existing, readable file."""
    p = Path(path)
    if not p.exists():
        raise SpecError(f"{name}: file '{p}' does not exist")
    if p.is_dir():
        raise SpecError(f"{name}: '{p}' is a folder, not a file")
    if not os.access(p, os.R_OK):
        raise SpecError(f"{name}: '{p}' is not readable (permission denied)")
    return p


def load_json(path: str | os.PathLike, name: str) -> Any:
    """Parse the JSON file at ``path`` ('-' reads stdin); errors name the option and the line.

    JSON's non-standard constants (NaN, Infinity) are rejected.
    """
    import sys

    if str(path) == "-":
        text, where = sys.stdin.read(), "stdin"
    else:
        p = check_input_path(path, name)
        try:
            text = p.read_text()
        except UnicodeDecodeError:
            raise SpecError(f"{name}: '{p}' is not a text file") from None
        except OSError as exc:
            raise SpecError(f"{name}: cannot read '{p}': {exc.strerror}") from None
        where = f"'{p}'"
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise SpecError(f"{name}: {where} is not JSON ({exc.msg} at line {exc.lineno}, "
                        f"column {exc.colno})") from None
    except ValueError as exc:
        raise SpecError(f"{name}: {where}: {exc}") from None


def check_keys(data: Any, name: str, *, required: tuple[str, ...] = (),
               optional: tuple[str, ...] = ()) -> dict:
    """``data`` as a dict with all ``required`` keys and no key outside ``required + optional``."""
    allowed = required + optional
    shown = ", ".join(f'"{k}"' for k in allowed)
    if not isinstance(data, dict):
        raise SpecError(f"{name}: expected a JSON object with keys {shown}; "
                        f"got {type(data).__name__}")
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise SpecError(f"{name}: unknown key {unknown[0]!r}; allowed keys: {shown}")
    missing = [k for k in required if k not in data]
    if missing:
        raise SpecError(f"{name}: missing key {missing[0]!r}; required keys: "
                        + ", ".join(f'"{k}"' for k in required))
    return data


def check_matrix(value: Any, name: str, *, ndim: int | tuple[int, ...] = 2,
                 shape: tuple[int | None, ...] | None = None):
    """``value`` as a finite float64 array with ``ndim`` dimensions (and ``shape``, None = any)."""
    import numpy as np

    ndims = (ndim,) if isinstance(ndim, int) else ndim
    kind = {1: "a list of numbers", 2: "a list of rows of numbers (all rows of equal length)"}
    want = " or ".join(kind.get(n, f"a {n}-dimensional array") for n in ndims)
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise SpecError(f"{name} must be {want}") from None
    if a.ndim not in ndims:
        raise SpecError(f"{name} must be {want}; got an array of shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise SpecError(f"{name} must hold finite numbers; got NaN or infinity")
    if shape is not None:
        for axis, (got, want_n) in enumerate(zip(a.shape, shape)):
            if want_n is not None and got != want_n:
                raise SpecError(f"{name} must have {want_n} entries along axis {axis}; "
                                f"got shape {a.shape}")
    return a


def _reject_constant(token: str):
    raise ValueError(f"{token} is not allowed in JSON (write a finite number or null)")


def _interval(low, high, lb: str = "[", rb: str = "]") -> str:
    lo = "-inf" if low is None else str(low)
    hi = "inf" if high is None else str(high)
    return f"{lb if low is not None else '('}{lo}, {hi}{rb if high is not None else ')'}"


def optional_import(module: str, *, extra: str, purpose: str):
    """Import an optional dependency, or raise a one-line error saying how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise SpecError(f"{purpose} needs the optional package '{module.split('.')[0]}': "
                        f"pip install 'neuroalg[{extra}]'") from None
