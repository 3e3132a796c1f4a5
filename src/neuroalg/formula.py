"""Formulas typed by users, parsed against a whitelist grammar; nothing is ever evaluated.

The grammar is: numbers (integers, decimals, ``1e-3``), the declared variables, the binary
operators ``+ - * / ^ **``, unary ``+ -`` and parentheses. ``^`` means power. The text is read by
Python's own tokenizer and parser (``ast.parse``), and the tree is walked against an allow-list:
any other node (calls, attribute access, subscripts, names that are not declared variables,
names starting with ``_``, lambdas, comprehensions, strings, comparisons, ...) is rejected with a
one-line :class:`~neuroalg.errors.SpecError` that quotes the bad part. The accepted tree is then
rebuilt from sympy constructors (``Integer``, ``Rational``, ``Symbol``, ``Add``, ``Mul``,
``Pow``): no ``eval``, no ``sympify``.

Size is bounded before any expansion: a polynomial's degree (bounded through the tree:
``deg(a b) <= deg a + deg b``, ``deg(a^n) <= n deg a``) may not exceed ``max_degree``, constant
powers may not exceed ``MAX_CONSTANT_EXPONENT``, decimal exponents of literals are limited, and
the text is at most ``MAX_LENGTH`` characters. So ``x^99999999`` or ``9^9^9^9`` is refused at
once instead of exhausting memory.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import Any, NoReturn

from .errors import SpecError

MAX_LENGTH = 200_000
MAX_DEGREE = 200
MAX_CONSTANT_EXPONENT = 4096
_NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?")
_GRAMMAR = "numbers, the variables {vars}, + - * / ^ ** and parentheses"


def parse_formula(text: str, variables: Sequence[str] | None = None, *, rational: bool = False,
                  max_degree: int = MAX_DEGREE, name: str = "formula") -> Any:
    """Parse ``text`` into an exact sympy expression, allowing only the whitelist grammar.

    Parameters
    ----------
    text : str
        E.g. ``"(x1 + 2*x2)^3 - 2*(x1 - x2)^3"``; decimals are read exactly (``0.1`` = 1/10).
    variables : sequence of str, optional
        The names allowed as variables. ``None`` allows any identifier that does not start with
        ``_`` (the variables of a system read from a file).
    rational : bool, default=False
        Allow division by non-constant expressions and negative powers (rational functions);
        otherwise only division by a nonzero constant.
    max_degree : int, default=200
        Refuse formulas whose degree bound (numerator plus denominator) exceeds this.
    name : str, default="formula"
        What to call the formula in error messages (e.g. ``"output 2"``, ``"line 3 of sys.txt"``).

    Returns
    -------
    sympy.Expr
        With rational coefficients, built without evaluating any text.

    Raises
    ------
    SpecError
        Naming the part of ``text`` that is not allowed, and what is.

    Examples
    --------
    >>> parse_formula("x1^2 - 0.5*x2", ["x1", "x2"])
    x1**2 - x2/2
    >>> parse_formula("open('f').read()", ["x1"])  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    neuroalg.errors.SpecError: formula: "open('f').read()" is not allowed (a call); allowed: numbers,
    the variables x1, + - * / ^ ** and parentheses
    """
    if not isinstance(text, str):
        raise SpecError(f"{name} must be text; got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise SpecError(f"{name} is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
    if not text.strip():
        raise SpecError(f"{name} is empty")
    source = text.replace("^", "**").strip()
    walker = _Walker(source, variables, rational, max_degree, name, caret="^" in text)
    terms, degree = [], 0
    for sign, chunk in _top_level_terms(source, name):
        if not chunk:
            raise SpecError(f"{name}: cannot read {_short(text)} (a '+' or '-' with no term "
                            "after it)")
        try:
            tree = ast.parse(chunk, mode="eval")
        except SyntaxError as exc:
            col = (exc.offset or 1) - 1
            near = chunk[max(col - 10, 0):col + 10]
            hint = ("; write products with '*', e.g. 2*x1"
                    if re.search(r"\d[A-Za-z_(]", chunk) else "")
            raise SpecError(f"{name}: cannot read {_short(text)} (syntax error near "
                            f"{near!r}{hint})") from None
        except (ValueError, RecursionError, MemoryError) as exc:
            raise SpecError(f"{name}: cannot read {_short(text)} ({type(exc).__name__})") from None
        walker.source = chunk
        try:
            expr, deg = walker.visit(tree.body)
        except RecursionError:
            raise SpecError(f"{name}: {_short(text)} is nested too deeply") from None
        terms.append(-expr if sign < 0 else expr)
        degree = max(degree, deg)
    import sympy

    return sympy.Add(*terms)


def _top_level_terms(source: str, name: str) -> list[tuple[int, str]]:
    """Split ``source`` at its top-level binary + and - (so that long sums never nest deeply)."""
    import io
    import tokenize

    cuts, depth, prev = [], 0, None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.OP and tok.string in "([{":
                depth += 1
            elif tok.type == tokenize.OP and tok.string in ")]}":
                depth -= 1
            elif (tok.type == tokenize.OP and tok.string in "+-" and depth == 0 and prev is not None
                  and (prev.type in (tokenize.NAME, tokenize.NUMBER) or prev.string in ")]}")):
                cuts.append((tok.start[1], tok.string))
            if tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER,
                                tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT):
                prev = tok
    except (tokenize.TokenError, IndentationError, SyntaxError):
        raise SpecError(f"{name}: cannot read {_short(source)} (unbalanced parentheses or an "
                        "unfinished expression)") from None
    if "\n" in source or "\r" in source:
        raise SpecError(f"{name}: a formula is one line; got a line break")
    out, start, sign = [], 0, 1
    for col, op in cuts:
        out.append((sign, source[start:col].strip()))
        start, sign = col + 1, (1 if op == "+" else -1)
    out.append((sign, source[start:].strip()))
    return out


def free_variables(expr) -> list:
    """The symbols of ``expr`` sorted by name."""
    return sorted(expr.free_symbols, key=str)


def _short(text: str, n: int = 60) -> str:
    text = text.strip()
    return repr(text if len(text) <= n else text[:n] + "...")


_KIND = {ast.Call: "a call", ast.Attribute: "attribute access", ast.Subscript: "indexing",
         ast.Lambda: "a lambda", ast.ListComp: "a comprehension", ast.GeneratorExp: "a generator",
         ast.SetComp: "a comprehension", ast.DictComp: "a comprehension", ast.Compare: "a comparison",
         ast.BoolOp: "a boolean operator", ast.IfExp: "a conditional", ast.NamedExpr: "an assignment",
         ast.Starred: "unpacking", ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict",
         ast.Set: "a set", ast.JoinedStr: "a string", ast.Await: "await", ast.Yield: "yield"}


class _Walker:
    """Rebuild an allowed tree as (sympy expression, degree bound)."""

    def __init__(self, source, variables, rational, max_degree, name, caret):
        import sympy

        self.caret = caret
        self.sympy = sympy
        self.source = source
        self.rational = rational
        self.max_degree = max_degree
        self.name = name
        self.allowed = None if variables is None else {str(v): None for v in variables}
        shown = "(any name)" if variables is None else ", ".join(map(str, variables)) or "(none)"
        self.grammar = _GRAMMAR.format(vars=shown)
        self.symbols: dict[str, Any] = {}

    def reject(self, node, why: str) -> NoReturn:
        seg = ast.get_source_segment(self.source, node) or type(node).__name__
        seg = seg.replace("**", "^") if self.caret else seg
        raise SpecError(f"{self.name}: {_short(seg)} is not allowed ({why}); allowed: "
                        f"{self.grammar}")

    def visit(self, node):
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, (ast.UAdd, ast.USub)):
                expr, deg = self.visit(node.operand)
                return (-expr if isinstance(node.op, ast.USub) else expr), deg
            self.reject(node, "only unary + and - are operators")
        if isinstance(node, ast.Constant):
            return self.number(node), 0
        if isinstance(node, ast.Name):
            return self.variable(node), 1
        self.reject(node, _KIND.get(type(node), type(node).__name__))

    def number(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.reject(node, "a string" if isinstance(value, str) else "not a real number")
        seg = ast.get_source_segment(self.source, node) or ""
        m = _NUMBER.fullmatch(seg)
        if not m:
            self.reject(node, "write numbers as 12, 0.5 or 1e-3")
        if m.group(2) is not None and abs(int(m.group(2))) > 400:
            self.reject(node, "decimal exponents are limited to 400")
        from fractions import Fraction

        f = Fraction(seg)
        return self.sympy.Rational(f.numerator, f.denominator)

    def variable(self, node):
        ident = node.id
        if ident.startswith("_"):
            self.reject(node, "names starting with _ are never variables")
        if self.allowed is not None and ident not in self.allowed:
            self.reject(node, "not a variable here")
        if ident not in self.symbols:
            self.symbols[ident] = self.sympy.Symbol(ident)
        return self.symbols[ident]

    def binop(self, node):
        sympy = self.sympy
        op = node.op
        if isinstance(op, (ast.Add, ast.Sub)):  # flatten long sums iteratively
            terms, degs = [], []
            while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
                expr, deg = self.visit(node.right)
                terms.append(-expr if isinstance(node.op, ast.Sub) else expr)
                degs.append(deg)
                node = node.left
            expr, deg = self.visit(node)
            terms.append(expr)
            degs.append(deg)
            return sympy.Add(*reversed(terms)), max(degs)
        if isinstance(op, ast.Mult):
            factors, total = [], 0
            while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
                expr, deg = self.visit(node.right)
                factors.append(expr)
                total = self.check_degree(node, total + deg)
                node = node.left
            expr, deg = self.visit(node)
            factors.append(expr)
            return sympy.Mul(*reversed(factors)), self.check_degree(node, total + deg)
        if isinstance(op, ast.Div):
            (a, da), (b, db) = self.visit(node.left), self.visit(node.right)
            if b == 0:
                self.reject(node, "division by zero")
            if db > 0 and not self.rational:
                self.reject(node, "division by a non-constant: polynomials only")
            return a / b, self.check_degree(node, da + db)
        if isinstance(op, ast.Pow):
            return self.power(node)
        self.reject(node, f"the operator {type(op).__name__} is not allowed")

    def power(self, node):
        sympy = self.sympy
        base, db = self.visit(node.left)
        exp, de = self.visit(node.right)
        if de > 0 or not exp.is_Integer:
            self.reject(node, "exponents must be integers")
        n = int(exp)
        if db == 0:
            if abs(n) > MAX_CONSTANT_EXPONENT:
                self.reject(node, f"constant exponents are limited to {MAX_CONSTANT_EXPONENT}")
            if n < 0 and base == 0:
                self.reject(node, "division by zero")
            return sympy.Pow(base, n), 0
        if n < 0 and not self.rational:
            self.reject(node, "negative powers of variables: polynomials only")
        return sympy.Pow(base, n), self.check_degree(node, abs(n) * db)

    def check_degree(self, node, degree: int) -> int:
        if degree > self.max_degree:
            self.reject(node, f"its degree may reach {degree}; at most {self.max_degree} "
                              "is allowed")
        return degree
