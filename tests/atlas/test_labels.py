import pytest

from neuroalg import SpecError, parse_spec
from neuroalg.atlas.labels import describe, label, parse_label, slug
from neuroalg.atlas.region import parse_region


@pytest.mark.parametrize("spellings", [
    ("mlp 2,3,1 x^2", "mlp 2,3,1 x**2", "mlp  2,3,1   x^2", "MLP 2,3,1 x^2"),
    ("linear 3,2,4", "mlp 3,2,4 x"),
    ("rational 2,3,1", "mlp 2,3,1 1/x"),
])
def test_label_is_a_function_of_the_architecture(spellings):
    labels = {label(s) for s in spellings}
    assert len(labels) == 1
    (lab,) = labels
    assert str(parse_spec(lab)) == lab  # parseable back into the same spec
    assert parse_label(lab) == parse_spec(spellings[0])


def test_parse_label_rejects_non_canonical():
    with pytest.raises(SpecError, match="not a canonical label.*'mlp 2,3,1 x\\^2'"):
        parse_label("mlp 2,3,1 x**2")


def test_slug_is_injective_and_safe():
    labels = parse_region("mlp d0=1,2 dL=1,2 depth<=3 width<=4 r=2,3").labels()
    slugs = {slug(x) for x in labels}
    assert len(slugs) == len(labels)
    assert all("/" not in s and " " not in s and "%" not in s for s in slugs)


def test_describe_monomial_mlp():
    # ambient dL * C(d0 + D - 1, D), D = r^(L-1); expected = #params - hidden widths (KTB)
    d = describe("mlp 2,3,3,1 x^2")
    assert d["n_params"] == 2 * 3 + 3 * 3 + 3 * 1
    assert d["ambient"] == 5 and d["depth"] == 3 and d["widths"] == "2,3,3,1"
    assert d["expected"] == min(18 - 6, 5)
