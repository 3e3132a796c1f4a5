"""The simple models and their true functions."""

import pytest

from neuroalg.errors import SpecError
from neuroalg.learning.simple_models import make_truth, simple_model


def test_truth_validation():
    m = simple_model("mlp 1,2,1 tanh")
    assert make_truth(m, "overlap").fisher_rank == 2 and make_truth(m, "regular").is_regular
    with pytest.raises(SpecError, match="outside the parameter box"):
        make_truth(m, "1,5,1,1")
    with pytest.raises(SpecError, match="allowed are regular, overlap, zero"):
        make_truth(m, "wiggly")
    with pytest.raises(SpecError, match="simple models"):
        simple_model("mlp 2,1,1 tanh")
