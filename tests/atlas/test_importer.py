import csv

import pytest

from neuroalg.atlas.importer import import_csv
from neuroalg.atlas.query import query
from neuroalg.atlas.store import Store

HEADER = ("h,exponent,architecture,num_parameters,dimension_computed,ambient_dimension,"
          "is_full_dimension,is_minimal,is_unimodal,expected_dimension,defect\n")


def test_floats_timeouts_duplicates(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(HEADER
                 + '2,2,"[2, 2, 1]",6.0,3.0,3,True,True,True,3,0\n'
                 + '3,2,"[2, 1, 2, 1]",6,Timeout,5,False,False,False,3,1\n'
                 + '2,2,"[2, 2, 1]",6,3,3,True,True,True,3,0\n'
                 + '2,2,"[2, 3, 1]",9,3,4,True,False,True,3,0\n')  # wrong ambient (3 for binary quadrics)
    with Store(tmp_path / "a.sqlite") as s:
        res = import_csv(p, s)
        assert (res.n_rows, res.n_new, res.n_duplicates, res.conflicts) == (4, 3, 1, ())
        assert len(res.mismatches) == 1 and "mlp 2,3,1 x^2" in res.mismatches[0]
        obs = {o.label: o for o in s.observations()}
        assert import_csv(p, s).n_new == 0  # idempotent
    assert obs["mlp 2,2,1 x^2"].value == 3 and obs["mlp 2,2,1 x^2"].status.value == "certified"
    assert obs["mlp 2,1,2,1 x^2"].status.value == "timeout" and obs["mlp 2,1,2,1 x^2"].value is None


@pytest.mark.slow
def test_reference_tables_and_filling_query(tmp_path, reference):
    path = reference / "2_1_cleaned_architectures.csv"
    with open(path, newline="") as f:
        table = list(csv.DictReader(f))
    with Store(tmp_path / "a.sqlite") as s:
        res = import_csv(path, s)
        assert res.n_rows == len(table) and res.bad_rows == () and res.conflicts == ()
        # the table's own is_full_dimension column against the store's filling query
        filling = {r["label"] for r in query(s, filling=True).rows}
    full = {f"mlp {r['architecture'].strip('[]').replace(' ', '')} x^{r['exponent']}"
            for r in table if r["is_full_dimension"] == "True"}
    assert filling == full
