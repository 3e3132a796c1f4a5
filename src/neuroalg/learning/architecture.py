"""tanh and erf networks behind the :class:`~neuroalg.arch.Architecture` interface (float64 only).

The algebraic code of neuroalg evaluates architectures over GF(p), float64 and complex128. A
tanh or erf network is not algebraic: :class:`SmoothArchitecture` evaluates it over float64 only
(any other field raises a one-line :class:`~neuroalg.errors.SpecError`), has no finite ambient
space, and no continuous symmetries (for tanh networks the generic fiber is finite: sign flips
and permutations, Sussmann 1992), so ``expected_dimension`` is the number of parameters. Every
code path that only uses ``forward``, ``vjp`` and ``jacobian`` over float64 accepts it, e.g. the
endpoint census of gradient descent::

    from neuroalg.dynamics.endpoints import endpoint_census
    endpoint_census(SmoothArchitecture.from_spec("mlp 1,2,1 tanh"), runs=20)

References
----------
[Sus92] H. J. Sussmann (1992), Uniqueness of the weights for minimal feedforward nets with a
        given input-output map, Neural Networks 5(4), 589-593.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..arch import Architecture, Expected
from ..errors import SpecError
from ..fields import REAL
from .network import Network, parse_network

_SUSSMANN = ("Sussmann (1992), Uniqueness of the weights for minimal feedforward nets with a given "
             "input-output map, Neural Networks 5(4):589-593 (tanh: finite generic fibers)")


@dataclass(frozen=True)
class SmoothArchitecture(Architecture):
    """A :class:`~neuroalg.learning.network.Network` with tanh/erf layers as an Architecture."""

    network: Network
    family = "mlp"
    is_algebraic = False

    def __post_init__(self):
        if not isinstance(self.network, Network):
            raise SpecError("SmoothArchitecture wraps a fully connected network (mlp ... tanh|erf)")

    @classmethod
    def from_spec(cls, spec: str) -> SmoothArchitecture:
        net = parse_network(spec)
        if not isinstance(net, Network):
            raise SpecError(f"SmoothArchitecture wraps a fully connected network (mlp ... tanh|erf); "
                            f"got '{spec}'")
        return cls(net)

    def __str__(self) -> str:
        return str(self.network)

    @property
    def widths(self) -> tuple[int, ...]:
        return self.network.widths

    @property
    def n_params(self) -> int:
        return self.network.n_params

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.network.input_shape

    @property
    def output_shape(self) -> tuple[int, ...]:
        return (self.network.n_outputs,)

    @property
    def ambient_dimension(self):
        return None

    @property
    def ambient_description(self) -> str:
        return "smooth functions (tanh/erf networks span no finite-dimensional space)"

    def expected_dimension(self) -> Expected:
        return Expected(self.n_params, "#params (no continuous symmetries)", _SUSSMANN)

    @property
    def jacobian_degree(self) -> int:
        raise SpecError(f"{self}: not algebraic, no degree bound (numerical computations only)")

    def _real(self, field):
        if field is not REAL:
            raise SpecError(f"{self}: tanh and erf networks are evaluated in float64 only "
                            f"(numerical); got the field {field}")

    def forward(self, theta, x, field):
        self._real(field)
        theta = self.check_params(theta, field)
        return self.network.forward(theta, x)

    def vjp(self, theta, x, cot, field):
        self._real(field)
        theta = self.check_params(theta, field)
        return self.network.vjp(theta, x, cot)

    def symmetry_fields(self, theta, field):
        self._real(field)
        from .strata import symmetry_vectors

        vecs = symmetry_vectors(self.network, np.asarray(theta, dtype=float), exact=False)
        return np.array(vecs, dtype=float).T.reshape(self.n_params, len(vecs))

    def units(self):
        return self.network.units()

    def random_params(self, rng: np.random.Generator, field):
        self._real(field)
        return rng.standard_normal(self.n_params)
