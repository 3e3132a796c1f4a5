import sqlite3

from neuroalg.atlas.observation import Observation, Status
from neuroalg.atlas.store import SCHEMA_VERSION, Store


def _obs(**kw):
    base = dict(label="mlp 2,2,1 x^2", invariant="dimension", method="exact", status="certified",
                value=3, lower=3, upper=3, seed=7, primes=(1000003,), seconds=0.1)
    base.update(kw)
    return Observation(**base)


def test_idempotent_keyed_inserts(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        assert s.add([_obs(), _obs()]) == 1  # duplicate inside one batch
        assert s.add([_obs(seconds=9.0, value=2)]) == 0  # same key: unchanged
        assert s.add([_obs(seed=8)]) == 1  # another seed is another key
        assert s.add([_obs(version="9.9")]) == 1  # another library version too
        obs = s.observations()
        assert len(obs) == 3 and obs[0].value == 3 and obs[0].seconds == 0.1
        assert s.status().by_status == (("certified", 3),)


def test_retry_replaces_only_retryable(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        s.add([_obs(status="timeout", value=None, lower=None, upper=None)])
        assert s.add([_obs()]) == 0  # a plain rerun leaves the timeout
        assert s.add([_obs()], replace_retryable=True) == 1
        assert s.add([_obs(value=2)], replace_retryable=True) == 0  # a value is never replaced
        (o,) = s.observations()
        assert o.status is Status.CERTIFIED and o.value == 3


def test_wal_and_reopen(tmp_path):
    path = tmp_path / "a.sqlite"
    with Store(path) as s:
        s.add([_obs()])
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()
    with Store(path) as s:
        assert [o.key for o in s.observations()] == [_obs().key]


def test_migrates_an_empty_v0_file(tmp_path):
    path = tmp_path / "old.sqlite"
    sqlite3.connect(path).close()  # schema version 0
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.add([_obs()]) == 1


def test_no_seed_is_a_key_too(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        o = _obs(seed=None, method="monotonicity", status="implied", derived_from=("mlp 2,2,1 x^2",))
        assert s.add([o, o]) == 1
        (back,) = s.observations()
        assert back.seed is None and back.derived_from == ("mlp 2,2,1 x^2",)


def test_two_writer_processes(tmp_path):
    """WAL + BEGIN IMMEDIATE + busy timeout: concurrent writers neither fail nor duplicate."""
    import subprocess
    import sys

    path = tmp_path / "a.sqlite"
    Store(path).close()
    code = (
        "import sys\n"
        "from neuroalg.atlas.observation import Observation\nfrom neuroalg.atlas.store import Store\n"
        "lo, hi = int(sys.argv[2]), int(sys.argv[3])\n"
        "with Store(sys.argv[1]) as s:\n"
        "    for i in range(lo, hi, 10):\n"
        "        s.add([Observation('mlp 2,2,1 x^2', 'dimension', 'exact', 'certified', 3, 3, 3,"
        " seed=j) for j in range(i, i + 10)])\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), str(a), str(b)])
             for a, b in ((0, 600), (300, 900))]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Store(path) as s:
        seeds = [o.seed for o in s.observations()]
    assert sorted(seeds) == list(range(900))


def _v1_file(path):
    """A schema-v1 atlas (before predictions were recorded) holding one observation."""
    from neuroalg.atlas.store import MIGRATIONS

    con = sqlite3.connect(path, isolation_level=None)
    for stmt in MIGRATIONS[1]:
        con.execute(stmt)
    con.execute("PRAGMA user_version = 1")
    con.execute("INSERT INTO architectures VALUES ('mlp 2,2,1 x^2','mlp','2,2,1',2,2,1,'x^2',0,"
                "6,3,3)")
    con.execute("INSERT INTO observations (label, invariant, method, version, seed, status, "
                "value, lower, upper, primes, seconds, peak_memory, derived_from, source, detail) "
                "VALUES ('mlp 2,2,1 x^2','dimension','exact','0.1',7,'certified',3,3,3,"
                "'[1000003]',0.1,1000,'[]','neuroalg','{}')")
    con.close()


def test_a_v1_file_is_read_as_it_is_and_migrated_when_written(tmp_path):
    path = tmp_path / "v1.sqlite"
    _v1_file(path)
    before = path.read_bytes()
    with Store(path, readonly=True) as s:  # read-only: no migration, predictions read as None
        (o,) = s.observations()
        assert (o.value, o.seconds, o.predicted_seconds, o.time_ratio) == (3, 0.1, None, None)
        assert s.status().time_ratios.n == 0 and s.schema_version == 1
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["v1.sqlite"]
    with Store(path) as s:  # writing migrates to the current schema, keeping the rows
        assert s.schema_version == SCHEMA_VERSION
        s.add([_obs(seed=8, predicted_seconds=0.05, predicted_memory=2000, peak_memory=1000)])
        got = {o.seed: o for o in s.observations()}
    assert got[7].predicted_seconds is None and got[8].time_ratio == 0.1 / 0.05
    assert got[8].memory_ratio == 0.5


def test_read_only_never_creates_or_writes(tmp_path):
    import pytest

    from neuroalg import SpecError

    with pytest.raises(SpecError, match="does not exist"):
        Store(tmp_path / "missing.sqlite", readonly=True)
    with Store(tmp_path / "a.sqlite") as s:
        s.add([_obs()])
    with Store(tmp_path / "a.sqlite", readonly=True) as s:
        with pytest.raises(SpecError, match="read-only"):
            s.add([_obs(seed=9)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite"]
    (tmp_path / "b.sqlite").write_text("a,b\n1,2\n")
    with pytest.raises(SpecError, match="is not an atlas database"):
        Store(tmp_path / "b.sqlite", readonly=True)
    with pytest.raises(SpecError, match="folder .* does not exist"):
        Store(tmp_path / "no" / "c.sqlite")
