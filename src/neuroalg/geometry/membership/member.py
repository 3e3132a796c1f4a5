"""Membership of a function in a neurovariety, and recovery of the weights that realize it.

f is given by its coefficients in the coordinates of :func:`neuroalg.polymap.expand`
(output k, input monomial). A coefficient outside the reachable coordinates proves f not in V.
Otherwise, witness-set membership (Sommese–Verschelde–Wampler): take a random affine space L_f
through f of codimension dim V; f is in V iff f is one of the finitely many points of V cap L_f.
We solve a witness system for a generic L by monodromy (complete by the trace test), move it to
L_f by a parameter homotopy (with a real parameter slice, so real weights show up as real), and
compare the endpoints' images with f. Endpoints with image f give the recovered parameters (normalized by
the gauge <r_j, w_j> = 1 of :mod:`fiber` when the fiber is finite modulo rescalings, else on a
random real affine slice). Exact answers come first: shallow x^r and 1/x networks are decided by
their decompositions (:mod:`decompose`: Sylvester, symmetric rank, catalecticant flattenings and
Jennrich, partial fractions), which also say whether real weights exist; then a verified equation
of degree <= 3 (:mod:`equations`) that does not vanish at f proves f not in V; a filling V
contains every f. Paths that diverge on the way to L_f mean f may lie in V without being
realized by finite parameters (the neuromanifold is not closed). Witness verdicts are numerical
(tolerance 1e-8 relative).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ...errors import SpecError
from ...formula import parse_formula
from ...homotopy.monodromy import move
from ...polymap import expand
from ...progress import check_progress
from ...random import check_seed, child_seed
from ...results import Certainty, Result
from ...spec import parse_spec
from ..dimension.dimension import dimension
from ..witness.degree import solve_witness
from ..witness.fiber import gauge_blocks, gauge_matrix
from ..witness.systems import image_system


@dataclass(frozen=True)
class MemberResult(Result):
    """``in_variety``: f in the Zariski closure V (None: undecided); ``is_realized``: some finite
    complex parameters give f (f in the neuromanifold; None: undecided); ``is_real_realized``: some real
    parameters do (None: undecided); ``reason`` says how each was decided. ``method`` is one of
    monomial support, equations, witness set (numerical), or a decomposition (Sylvester,
    symmetric rank, catalecticant, Jennrich, partial fractions, degree); ``certainty`` is
    ``"exact"`` or ``"numerical"`` (of the verdicts; weights recovered from irrational roots are
    floating point with their ``residual`` even when the verdicts are exact). ``parameters``:
    recovered weights (architecture layout),
    ``exact_parameters`` the same as Fractions when the decomposition was exact; ``fiber`` says
    whether they are all points of the fiber modulo permutations and rescalings."""

    spec: str
    function: str
    in_variety: bool | None
    is_realized: bool | None
    reason: str
    parameters: tuple[tuple[complex, ...], ...]  # recovered weights
    n_diverged: int
    seed: int
    seconds: float
    method: str = "witness set"
    certainty: str = "numerical"
    is_real_realized: bool | None = None
    fiber: str = ""
    residual: float | None = None
    exact_parameters: tuple = ()
    #: seeds of the inner calls (derived from ``seed``)
    child_seeds: dict = field(default_factory=dict)

    @property
    def n_real(self) -> int:
        return sum(all(abs(v.imag) <= 1e-8 * (1 + abs(v)) for v in p) for p in self.parameters)

    def headline(self) -> str:
        where = {True: "f in V", False: "f not in V", None: "f in V undecided"}[self.in_variety]
        how = {True: "realized by finite parameters", False: "no finite parameters",
               None: "realization undecided"}[self.is_realized]
        return f"{where}; {how} ({self.method}, {self.certainty})"

    def lines(self) -> list[tuple[str, str]]:
        real = {True: "yes", False: "no", None: "undecided"}[self.is_real_realized]
        out = [("architecture", self.spec), ("function", self.function), ("method", self.method),
               ("certainty", self.certainty), ("reason", self.reason), ("real weights", real)]
        if self.fiber:
            out.append(("fiber", self.fiber))
        out.append(("recovered", f"{len(self.parameters)} parameter points, {self.n_real} real"))
        for i, p in enumerate(self.parameters[:8]):
            if i < len(self.exact_parameters):
                shown = ", ".join(map(str, self.exact_parameters[i]))
            else:
                shown = ", ".join(f"{v.real:.6g}" if abs(v.imag) < 1e-8 else f"{v:.4g}" for v in p)
            out.append((f"  theta{i + 1}", shown))
        if self.residual is not None:
            out.append(("residual", f"{self.residual:.2g}"))
        if self.method == "witness set":
            out.append(("diverged paths", str(self.n_diverged)))
        out += [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        return out

    headline_key = "in_variety"

    @property
    def status(self) -> Certainty:
        if self.in_variety is None:
            return Certainty.UNDECIDED
        return Certainty.CERTIFIED if self.certainty == "exact" else Certainty.NUMERICAL

    def payload(self) -> dict:
        return {"spec": self.spec, "function": self.function, "in_variety": self.in_variety,
                "realized": self.is_realized, "real_realized": self.is_real_realized,
                "method": self.method, "certainty": self.certainty, "reason": self.reason,
                "fiber": self.fiber, "n_real": self.n_real,
                "parameters": [[[v.real, v.imag] for v in p] for p in self.parameters],
                "exact_parameters": [[str(v) for v in p] for p in self.exact_parameters],
                "residual": self.residual, "diverged_paths": self.n_diverged, "seed": self.seed,
                "child_seeds": dict(self.child_seeds),
                "seconds": round(self.seconds, 4)}


def function_coordinates(arch, phi, function: str) -> np.ndarray | None:
    """Coefficient vector of f ('x1^2 + 3*x1*x2', outputs separated by ';') in phi's coordinates;
    None when f has a monomial outside them."""
    import sympy

    d0 = int(np.prod(arch.input_shape))
    xs = sympy.symbols(f"x1:{d0 + 1}")
    parts = [p for p in function.split(";")]
    n_out = int(np.prod(arch.output_shape))
    if len(parts) != n_out:
        raise SpecError(f"{arch} has {n_out} outputs: give {n_out} polynomials separated by ';'")
    index = {k: i for i, k in enumerate(phi.keys)}
    vec = np.zeros(phi.n_coordinates, dtype=np.complex128)
    for k, text in enumerate(parts):
        expr = parse_formula(text, [str(x) for x in xs], name=f"output {k + 1}")
        poly = sympy.Poly(expr, *xs, domain="QQ")
        for exps, c in poly.terms():
            key = (k, tuple(int(e) for e in exps))
            if key not in index:
                if c != 0:
                    return None
                continue
            vec[index[key]] = complex(c)
    return vec


METHODS = ("auto", "decomposition", "witness")


def member(arch, function: str, *, seed=None, method: str = "auto", equation_degree: int = 3,
           show_progress=False) -> MemberResult:
    """Is ``function`` in the neurovariety V of ``arch``, and which weights realize it?

    Decided exactly by a decomposition where one exists (shallow monomial networks: Sylvester
    for binary forms, the symmetric rank of quadrics, Jennrich with exact verification;
    shallow 1/x networks: partial fractions), which also lists the weights of every point of the
    fiber and says whether real weights exist; otherwise verified equations that do not vanish
    at f prove f not in V, and a witness-set test decides the rest numerically. The text is
    parsed by :func:`neuroalg.formula.parse_formula` (never evaluated).

    Parameters
    ----------
    arch : str or Architecture
    function : str
        A polynomial in x1, x2, ... (a rational function for 1/x networks); several outputs
        separated by ';'.
    seed : int, numpy.random.Generator or None, default=None
    method : {"auto", "decomposition", "witness"}, default="auto"
        ``auto``: a decomposition where one applies and decides, else equations and the
        witness-set test; ``decomposition``: only a decomposition (error when none applies);
        ``witness``: skip the decompositions.
    equation_degree : int, default=3
        Degree of the equations tried before the witness-set test.
    show_progress : bool or callable(str), default=False

    Returns
    -------
    MemberResult
        ``in_variety`` (None: undecided), ``realized``, ``real_realized``, the recovered
        weights; ``status``: ``"certified"`` (exact decision), ``"numerical"`` or
        ``"undecided"``.

    References
    ----------
    Reznick (1996), Homogeneous polynomial solutions to constant coefficient PDE's, Adv. Math.
    117 (Sylvester's theorem). Grosdos, Robeva, Zubkov (2025), Algebraic geometry of rational
    neural networks, arXiv:2509.11088.

    Examples
    --------
    >>> member("mlp 2,2,1 x^3", "(x1 + 2*x2)^3 - 2*(x1 - x2)^3", seed=0).in_variety
    True
    """
    show_progress = check_progress(show_progress)
    from ..equations.equations import equations
    from .decompose import decompose

    clock = time.perf_counter()
    if method not in METHODS:
        raise SpecError(f"member: method must be one of {', '.join(METHODS)}; got {method!r}")
    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    seeds = {name: child_seed(rng) for name in ("decomposition", "dimension", "equations")}
    base = dict(spec=str(arch), function=function, seed=seed, child_seeds=seeds)
    dec = decompose(arch, function, seed=seeds["decomposition"]) if method != "witness" else None
    if method == "decomposition" and dec is None:
        raise SpecError(f"member: no decomposition applies to {arch} (shallow x^r or 1/x networks "
                        "without biases); use method 'auto' or 'witness'")
    # deep 1/x networks left undecided go on in the (P, Q) coordinates (a cone: one more dimension)
    cone = int(arch.is_rational and method != "decomposition" and (
        dec is None or (dec.in_variety is None and arch.depth >= 3)))
    if dec is not None and (dec.is_decisive or method == "decomposition" or arch.is_rational) and not cone:
        return _from_decomposition(arch, dec, base, clock, seeds["dimension"])
    if cone:
        from .rational_deep import rational_target

        phi, target = rational_target(arch, function)
        if target is None:
            return _from_decomposition(arch, dec, base, clock, seeds["dimension"]) if dec is not None \
                else MemberResult(**base, in_variety=None, is_realized=None, parameters=(), n_diverged=0,
                                  seconds=time.perf_counter() - clock, method="witness set",
                                  reason="the reduced denominator has degree < deg Q: no unique "
                                         "(P, Q) point for the witness-set test")
    else:
        phi = expand(arch)
        target = function_coordinates(arch, phi, function)
    if target is None:
        return MemberResult(**base, in_variety=False, is_realized=False, parameters=(),
                            n_diverged=0, seconds=time.perf_counter() - clock,
                            method="monomial support", certainty="exact", is_real_realized=False,
                            reason="a monomial that no network of this architecture produces (exact)")
    dim = dimension(arch, seed=seeds["dimension"]).dimension + cone
    in_variety, why, eqs = None, "", None
    if dim == phi.n_coordinates:
        in_variety, why = True, "V fills its coordinate space (exact)"
    else:  # verified equations that do not vanish at f prove f not in V
        eqs = equations(arch, degree=equation_degree, seed=seeds["equations"], max_generators=2000,
                        structural=False)
        value = _max_equation_value(eqs.generators, target)
        if value is not None and value > 1e-9 * (1 + np.abs(target).max()) ** 3:
            return MemberResult(**base, in_variety=False, is_realized=False, parameters=(),
                                n_diverged=0, seconds=time.perf_counter() - clock,
                                method="equations", certainty="exact", is_real_realized=False,
                                reason=f"a verified equation of V does not vanish at f ({value:.3g})")
    if cone and method != "witness":  # monodromy on the (P, Q) cone is slow: only on request
        n_eq = len(eqs.generators) if eqs is not None else 0
        verdict = why or (f"the {n_eq} verified equations of degree <= {equation_degree} vanish at "
                          f"(N, D) (exact)" if n_eq else f"no equation of degree <= {equation_degree}")
        return MemberResult(**base, in_variety=in_variety, is_realized=None, parameters=(),
                            n_diverged=0, seconds=time.perf_counter() - clock,
                            method="equations" if in_variety is None else "dimension",
                            certainty="exact",
                            reason=(f"{dec.reason}; " if dec is not None else "") + verdict
                            + "; realization undecided (a witness-set test in the (P, Q) "
                              "coordinates runs with method 'witness')")
    gauge = gauge_matrix(arch, rng) if arch.n_params - len(gauge_blocks(arch)) == dim else None
    w = solve_witness(phi, dim, rng, c_matrix=gauge, show_progress=show_progress)
    p1 = w.parameters.copy()
    p1[:dim] = w.a_matrix @ target
    # real slice (the gauge <r_j, w_j> = 1 when the fiber is finite): real weights stay real
    p1[dim:] = 1.0 if gauge is not None else rng.standard_normal(len(p1) - dim)
    x, ok = move(w.system, w.solutions, w.parameters, p1)
    images = image_system(phi).evaluate(x[ok])[0] if ok.any() else np.zeros((0, phi.n_coordinates))
    hits = x[ok][np.linalg.norm(images - target, axis=1) <= 1e-8 * (1 + np.linalg.norm(target))]
    n_div = int((~ok).sum())
    if len(hits):
        in_variety, why = True, f"witness-set test: {len(hits)} endpoints realize f (numerical)"
    elif not n_div:
        in_variety, why = False, ("witness-set test: f is not a point of V on a random affine space "
                                  "through f (numerical)")
    else:
        why = (why + "; " if why else "") + (f"{n_div} paths diverged: f may lie in V without "
                                             "being realized by finite parameters (numerical)")
    if dec is not None:
        why += f"; before that, {dec.reason}"
    params = tuple(tuple(h.tolist()) for h in hits)
    n_real = sum(all(abs(v.imag) <= 1e-8 * (1 + abs(v)) for v in p) for p in params)
    return MemberResult(**base, in_variety=in_variety, is_realized=bool(len(hits)), reason=why,
                        parameters=params, n_diverged=n_div, seconds=time.perf_counter() - clock,
                        is_real_realized=True if n_real else None)


def _from_decomposition(arch, dec, base, clock, seed) -> MemberResult:
    """A MemberResult from a decomposition; for 1/x networks an undecided closure question is
    settled when V fills its ambient space (certified dimension)."""
    in_variety, reason = dec.in_variety, dec.reason
    if in_variety is None and arch.is_rational:
        dim = dimension(arch, seed=seed)
        if dim.is_certified and dim.dimension == arch.ambient_dimension:
            in_variety, reason = True, reason + "; V fills its ambient space (certified dimension)"
    return MemberResult(**base, in_variety=in_variety, is_realized=dec.is_realized,
                        reason=reason, parameters=dec.points, n_diverged=0,
                        seconds=time.perf_counter() - clock, method=dec.method,
                        certainty=dec.certainty, is_real_realized=dec.is_real_realized,
                        fiber=dec.fiber, residual=dec.residual, exact_parameters=dec.exact_points)


def _max_equation_value(generators, target):
    """max |F(f)| over the verified equations (sympy strings in y0, y1, ...), or None."""
    if not generators:
        return None
    import sympy

    ys = sympy.symbols(f"y0:{len(target)}")
    subs = {y: complex(v) for y, v in zip(ys, target)}
    return max(abs(complex(parse_formula(g, [str(y) for y in ys]).subs(subs)))
               for g in generators)
