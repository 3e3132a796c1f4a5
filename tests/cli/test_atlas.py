import json
import os

import pytest
from typer.testing import CliRunner

from neuroalg.cli import app

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, ["atlas", *args])


def test_run_status_export_query(tmp_path):
    db = str(tmp_path / "a.sqlite")
    region = "mlp d0=2 dL=1 depth<=3 width<=3 r=2"
    r = _run("run", region, "--db", db, "--json", "--backend", "serial")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["n_architectures"] == d["n_new"] == 1 + 3 + 9
    r = _run("status", "--db", db, "--json")
    assert json.loads(r.stdout)["n_observations"] == 13
    r = _run("query", "mlp d0=2 dL=1 depth=3 width<=3 r=2", "--db", db, "--filling", "--json")
    rows = json.loads(r.stdout)["rows"]
    # ambient: binary quartics, C(5, 4) = 5. d1 = 1 gives powers of one linear form, d2 = 1 the
    # square of one binary quadric (a 3-dimensional family); (2,2,2,1) is the minimal filling
    # one (Dao-Rodriguez table), so every pair d1, d2 in {2, 3} fills by monotonicity
    assert {x["label"] for x in rows} == {f"mlp 2,{a},{b},1 x^2" for a in (2, 3) for b in (2, 3)}
    out = tmp_path / "a.csv"
    r = _run("export", str(out), "--db", db)
    assert r.exit_code == 0 and out.read_text().count("\n") == 14


def test_progress_bar_shows_rate_and_eta(tmp_path):
    r = _run("run", "mlp d0=2 dL=1 depth<=2 width<=3 r=2", "--db", str(tmp_path / "a.sqlite"),
             "--backend", "serial")
    assert r.exit_code == 0
    assert "/s" in r.output and "ETA" in r.output and "4/4" in r.output


@pytest.mark.parametrize("args, match", [
    (("run", "mlp d0=2 dL=1 depth<=3 r=2"), "upper bound on the hidden widths"),
    (("run", "mlp d0=2 dL=1 depth<=3 width<=3 r=2", "--memory", "lots"), "bad memory size 'lots'"),
    (("run", "mlp d0=2 dL=1 depth<=3 width<=3 r=2", "--backend", "gpu"),
     "--backend must be one of serial, pool, dask; got 'gpu'"),
    (("export", "out.xlsx"), "unknown export format 'xlsx'"),
])
def test_errors_are_one_line_exit_2(tmp_path, args, match):
    r = _run(*args, "--db", str(tmp_path / "a.sqlite"))
    assert r.exit_code == 2
    assert match in r.output and "Traceback" not in r.output


def test_parquet_needs_the_extra(tmp_path):
    from neuroalg import SpecError
    from neuroalg.atlas.export import export
    from neuroalg.atlas.store import Store
    from neuroalg.atlas.sweep import sweep

    with Store(tmp_path / "a.sqlite") as s:
        sweep("mlp d0=2 dL=1 depth<=2 width<=2 r=2", s, backend="serial")
        try:
            import pyarrow.parquet as pq
        except ImportError:
            with pytest.raises(SpecError, match=r"neuroalg\[parquet\]"):
                export(s, tmp_path / "a.parquet")
            return
        assert export(s, tmp_path / "a.parquet") == 3
        assert pq.read_table(tmp_path / "a.parquet").num_rows == 3


def test_recompute_imported_rows_and_compare(tmp_path):
    db = str(tmp_path / "a.sqlite")
    p = tmp_path / "t.csv"
    # values from the binary-form count: (2,2,1) fills C(3,2) = 3; (2,1,1): squares of linear
    # forms, 2; (2,2,2,1) fills C(5,4) = 5; the last row is deliberately wrong (4, not 5)
    p.write_text("h,exponent,architecture,num_parameters,dimension_computed,ambient_dimension,"
                 "is_full_dimension,is_minimal,is_unimodal,expected_dimension,defect\n"
                 '2,2,"[2, 2, 1]",6,3,3,True,True,True,3,0\n'
                 '2,2,"[2, 1, 1]",3,2,3,False,False,True,2,0\n'
                 '3,2,"[2, 2, 2, 1]",10,5,5,True,True,True,5,0\n'
                 '3,2,"[2, 2, 3, 1]",13,4,5,False,False,True,5,0\n')
    assert _run("import", str(p), "--db", db).exit_code == 0
    r = _run("run", "--recompute", "reference:mfa_pnns", "--db", db, "--json", "--backend", "serial")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["n_new"] == 4
    r = _run("query", "--compare", "reference:mfa_pnns", "--db", db, "--json")
    d = json.loads(r.stdout)
    assert (d["n_common"], d["n_agree"]) == (4, 3)
    (bad,) = d["disagreements"]
    assert bad["label"] == "mlp 2,2,3,1 x^2" and bad["a"]["value"] == 5 and bad["a"]["status"] == "certified"
    r = _run("run", "--db", db)
    assert r.exit_code == 2 and "--recompute" in r.output


# --- bad paths and options: one line, exit 2, no file created --------------------------------
REGION = "mlp d0=2 dL=1 depth<=2 width<=2 r=2"


def _snapshot(root):
    """Every file and folder under ``root`` with its size and modification time."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.stat(p)
            out[os.path.relpath(p, root)] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.mark.parametrize("args, message", [
    (("run", REGION, "--db", "{t}/missing/a.sqlite"),
     "--db: folder '{t}/missing' does not exist; create it first"),
    (("run", REGION, "--db", "{t}/missing/a.sqlite", "--dry-run"),
     "--db: folder '{t}/missing' does not exist; create it first"),
    (("run", "mlp d0=2", "--db", "{t}/new.sqlite"), "region needs 'dL='"),
    (("run", REGION, "--db", "{t}/new.sqlite", "--workers", "0"), "--workers must be an integer"),
    (("run", REGION, "--db", "{t}/new.sqlite", "--time-limit", "0"), "--time-limit must be"),
    (("run", REGION, "--db", "{t}/new.sqlite", "--backend", "gpu"),
     "--backend must be one of serial, pool, dask; got 'gpu'"),
    (("status", "--db", "{t}/typo.sqlite"), "--db: file '{t}/typo.sqlite' does not exist"),
    (("status", "--db", "{t}"), "--db: '{t}' is a folder, not a file"),
    (("status", "--db", "{t}/notes.txt"), "--db: '{t}/notes.txt' is not an atlas database"),
    (("query", "--db", "{t}/typo.sqlite"), "--db: file '{t}/typo.sqlite' does not exist"),
    (("export", "{t}/a.csv", "--db", "{t}/typo.sqlite"),
     "--db: file '{t}/typo.sqlite' does not exist"),
    (("export", "{t}/missing/a.csv", "--db", "{t}/atlas.sqlite"),
     "OUT: folder '{t}/missing' does not exist; create it first"),
    (("export", "{t}/a.xlsx", "--db", "{t}/atlas.sqlite"), "unknown export format 'xlsx'"),
    (("report", "{t}/site", "--db", "{t}/typo.sqlite"),
     "--db: file '{t}/typo.sqlite' does not exist"),
    (("report", "{t}/missing/site", "--db", "{t}/atlas.sqlite"),
     "OUT: folder '{t}/missing' does not exist; create it first"),
    (("report", "{t}/notes.txt", "--db", "{t}/atlas.sqlite"),
     "OUT: '{t}/notes.txt' is a file; give a folder for the report"),
    (("import", "{t}/no.csv", "--db", "{t}/new.sqlite"), "PATHS: file '{t}/no.csv' does not exist"),
])
def test_bad_paths_and_options_one_line_no_file_created(tmp_path, args, message):
    from neuroalg.atlas.store import Store

    with Store(tmp_path / "atlas.sqlite"):
        pass  # an existing (empty) atlas
    (tmp_path / "notes.txt").write_text("not a database\n")
    before = _snapshot(tmp_path)
    t = str(tmp_path)
    r = _run(*(a.replace("{t}", t) for a in args))
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.output
    assert message.replace("{t}", t) in lines[0]
    assert _snapshot(tmp_path) == before  # nothing created, nothing changed


def test_reading_commands_leave_the_database_and_its_folder_alone(tmp_path):
    import hashlib

    db = tmp_path / "db" / "atlas.sqlite"
    db.parent.mkdir()
    assert _run("run", REGION, "--db", str(db), "-q", "--backend", "serial").exit_code == 0
    before = _snapshot(db.parent)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    for args in (("status",), ("query",), ("query", "--compare", "reference:mfa_pnns"),
                 ("export", str(tmp_path / "a.csv")), ("report", str(tmp_path / "site")),
                 ("run", REGION, "--dry-run")):
        r = _run(*args, "--db", str(db))
        assert r.exit_code == 0, (args, r.output)
    assert _snapshot(db.parent) == before  # no -wal/-shm left, no new file
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    r = _run("run", REGION, "--dry-run", "--db", str(tmp_path / "new.sqlite"), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["n_to_run"] == 3
    assert not (tmp_path / "new.sqlite").exists()  # a dry run creates no database


def _strict(text):
    def reject(token):
        raise ValueError(f"non-standard JSON constant {token}")

    return json.loads(text, parse_constant=reject)


def test_every_json_output_is_strict_json(tmp_path):
    db = str(tmp_path / "a.sqlite")
    p = tmp_path / "t.csv"
    p.write_text("h,exponent,architecture,num_parameters,dimension_computed,ambient_dimension,"
                 "is_full_dimension,is_minimal,is_unimodal,expected_dimension,defect\n"
                 '2,2,"[2, 2, 1]",6,3,3,True,True,True,3,0\n')
    outputs = []
    for args in (("import", str(p)), ("run", REGION, "--backend", "serial"),
                 ("run", REGION, "--dry-run"), ("run", REGION, "--frontier"),
                 ("run", "mlp d0=3 dL=1 depth<=2 width<=2 r=2", "--time-limit", "1e-9"),
                 ("status",), ("query",), ("query", "--compare", "reference:mfa_pnns")):
        r = _run(*args, "--db", db, "--json")
        assert r.exit_code == 0, (args, r.output)
        outputs.append(_strict(r.stdout))
    assert outputs[4]["by_status"] == {"timeout": 3}
    assert outputs[-3]["n_observations"] >= 7
