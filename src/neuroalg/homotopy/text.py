"""Polynomial systems from text: 'katsura N', 'cyclic N', or a file of equations."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SpecError


def parse_system(text: str):
    """'katsura N', 'cyclic N', or a file with one polynomial equation per line.

    Lines are read with the whitelist grammar of :func:`neuroalg.formula.parse_formula`
    (numbers, variables, + - * / ^ **, parentheses; nothing is evaluated); the variables are the
    names that occur, in sorted order; '#' starts a comment. The system must be square.
    """
    from ..formula import free_variables, parse_formula
    from ..options import check_input_path
    from .examples import cyclic, katsura
    from .polynomial import PolySystem

    match = re.fullmatch(r"\s*(katsura|cyclic)(?:\s+|-)?(\S+)\s*", text)
    if match:
        family, n = match.group(1), match.group(2)
        if not re.fullmatch(r"\d+", n) or not 2 <= int(n) <= 14:
            raise SpecError(f"{family} N needs an integer 2 <= N <= 14; got {n!r}")
        return (katsura if family == "katsura" else cyclic)(int(n))
    if not Path(text).exists():
        raise SpecError(f"system must be 'katsura N', 'cyclic N' or a file of equations; "
                        f"got {text!r} (no such file)")
    path = check_input_path(text, "system")
    try:
        raw = path.read_text()
    except UnicodeDecodeError:
        raise SpecError(f"system: '{path}' is not a text file") from None
    exprs = []
    for i, line in enumerate(raw.splitlines(), start=1):
        line = line.split("#")[0].strip()
        if line:
            exprs.append(parse_formula(line, None, name=f"line {i} of {path}"))
    if not exprs:
        raise SpecError(f"system: '{path}' holds no equations")
    import sympy

    symbols = free_variables(sympy.Add(*(e**2 for e in exprs)))
    if len(symbols) != len(exprs):
        raise SpecError(f"system: '{path}' has {len(exprs)} equations in {len(symbols)} variables "
                        f"({', '.join(map(str, symbols))}); solve needs a square system")
    return PolySystem.from_sympy(exprs, symbols)
