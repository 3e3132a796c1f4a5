"""Every command's --json output is strict JSON (no NaN, no Infinity) and carries its numbers.

``CASES`` maps each command that has a ``--json`` option to a small, fast invocation; the meta
test fails when a command with ``--json`` is added without a case here.
"""

import json

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.results import PROVENANCE, Certainty


def _reject(token):
    raise ValueError(f"non-standard JSON constant {token}")


def strict_loads(text: str):
    return json.loads(text, parse_constant=_reject)


def _write(path, data):
    path.write_text(json.dumps(data))
    return str(path)


def _record(tmp):
    out = CliRunner().invoke(app, ["dim", "mlp 3,2,1 x^2", "--seed", "3", "--json", "-q"])
    return _write(tmp / "record.json", strict_loads(out.stdout))


CASES = {
    "dim": lambda tmp: ["dim", "mlp 3,2,1 x^2", "--seed", "1"],
    "degree": lambda tmp: ["degree", "linear 2,1,2", "--seed", "1"],
    "critical": lambda tmp: ["critical", "linear 2,1,2", "--seed", "1"],
    "equations": lambda tmp: ["equations", "mlp 2,2,2 x^3", "--degree", "3", "--seed", "1"],
    "fiber": lambda tmp: ["fiber", "linear 2,1,2", "--seed", "1"],
    "singular": lambda tmp: ["singular", "mlp 2,2,1 x^2", "--seed", "1"],
    "member": lambda tmp: ["member", "mlp 2,2,1 x^3", "x1^3 + x2^3", "--seed", "1"],
    "verify": lambda tmp: ["verify", _record(tmp), "--seed", "2"],
    "solve": lambda tmp: ["solve", "katsura 3", "--seed", "1"],
    "agf diagonal-linear": lambda tmp: ["agf", "diagonal-linear", "--data", _data(tmp, 1), "--no-gd"],
    "agf linear": lambda tmp: ["agf", "linear", "--data", _data(tmp, 2), "--width", "2", "--no-gd"],
    "agf modular": lambda tmp: ["agf", "modular", "--template", "1,0,0,0,0", "--tau-max", "5"],
    "agf attention": lambda tmp: ["agf", "attention", "--prompts", "200", "--context", "4",
                                  "--heads", "2"],
    "endpoints": lambda tmp: ["endpoints", "mlp 2,2,1 x^2", "--runs", "2", "--steps", "50",
                              "--samples", "5", "--seed", "1"],
    "regions": lambda tmp: ["regions", "relu 2,3,1", "--seed", "0", "--samples", "0"],
    "tropical": lambda tmp: ["tropical", "relu 2,2,1", "--seed", "0"],
    "atlas run": lambda tmp: ["atlas", "run", "mlp d0=2 dL=1 depth<=2 width<=2 r=2", "--db",
                              str(tmp / "a.sqlite"), "--backend", "serial", "--seed", "1"],
    "atlas status": lambda tmp: ["atlas", "status", "--db", _atlas(tmp)],
    "atlas query": lambda tmp: ["atlas", "query", "--db", _atlas(tmp)],
    "atlas import": lambda tmp: ["atlas", "import", _table(tmp), "--db", str(tmp / "b.sqlite")],
    "irreps": lambda tmp: ["irreps", "D3", "--seed", "0"],
    "harmonics": lambda tmp: ["harmonics", "C3", "--seed", "0", "--restarts", "1"],
    "fourier-bridge": lambda tmp: ["fourier-bridge", "--template", "1,0,0,0,0"],
    "hyperdga": lambda tmp: ["hyperdga", "--shift-experiment", "--points", "20", "--seeds", "1", "--seed", "0"],
    "stitch": lambda tmp: ["stitch", "--seeds", "1", "--epochs", "1", "--variants", "vanilla", "--seed", "0"],
    "fisher": lambda tmp: ["fisher", "mlp 1,1,1 tanh", "--at", "1,0", "--seed", "1"],
    "generalization": lambda tmp: ["generalization", "mlp 1,1,1 tanh", "--n", "10",
                                             "--replications", "2", "--estimators", "mle",
                                             "--seed", "1", "-q"],
    "rlct": lambda tmp: ["rlct", "linear 2,2,2", "--rank", "1"],
    "llc": lambda tmp: ["llc", "linear 1,1,1", "--at", "0,0", "--steps", "20",
                                  "--burn-in", "0", "--chains", "2", "--seed", "1", "-q"],
}


def _data(tmp, outputs):
    import numpy as np

    rng = np.random.default_rng(1)
    y = rng.standard_normal((6, outputs)) if outputs > 1 else rng.standard_normal(6)
    return _write(tmp / "data.json", {"X": rng.standard_normal((6, 2)).tolist(), "y": y.tolist()})


def _atlas(tmp):
    db = tmp / "a.sqlite"
    result = CliRunner().invoke(app, ["atlas", "run", "mlp d0=2 dL=1 depth<=2 width<=2 r=2", "--db",
                                      str(db), "--backend", "serial", "--seed", "1"])
    assert result.exit_code == 0, result.output
    return str(db)


def _table(tmp):
    path = tmp / "t.csv"
    path.write_text("h,exponent,architecture,num_parameters,dimension_computed,ambient_dimension,"
                    "is_full_dimension,is_minimal,is_unimodal,expected_dimension,defect\n"
                    '2,2,"[2, 2, 1]",6,3,3,True,True,True,3,0\n')
    return str(path)


#: commands whose results follow neuroalg.results.Result: every command (checked below)
PROTOCOL = {"dim", "degree", "critical", "equations", "fiber", "singular", "member", "verify",
            "solve", "regions", "tropical", "agf attention", "agf diagonal-linear", "agf linear",
            "agf modular", "irreps", "harmonics", "fourier-bridge", "hyperdga", "stitch",
            "atlas run", "atlas status", "atlas query", "atlas import", "fisher", "generalization",
            "rlct", "llc", "endpoints"}
EXPECTED_KEYS = {"dim": "dimension", "degree": "degree", "critical": "n_critical",
                 "solve": "n_solutions", "singular": "n_singular", "member": "in_variety",
                 "verify": "verified", "fiber": "fiber_size", "equations": "n_generators",
                 "regions": "activation_regions", "tropical": "n_monomials",
                 "agf attention": "n_jumps", "agf diagonal-linear": "n_jumps", "agf linear": "n_jumps",
                 "agf modular": "frequencies", "irreps": "dims", "harmonics": "is_recovered",
                 "fourier-bridge": "order", "hyperdga": "score_is_monotone", "stitch": "mean_stitched",
                 "atlas run": "n_new", "atlas status": "n_observations", "atlas query": "n_rows",
                 "atlas import": "n_new", "fisher": "rank", "generalization": "n_gen_mean",
                 "rlct": "learning_coefficient", "llc": "llc", "endpoints": "n_endpoints"}


def json_commands() -> list[str]:
    """Space-joined paths of every leaf command with a --json option."""
    out = []

    def walk(cmd, path):
        if hasattr(cmd, "commands"):  # a group (typer may vendor its own click)
            for name, sub in cmd.commands.items():
                walk(sub, path + [name])
        elif any("--json" in getattr(p, "opts", ()) for p in cmd.params):
            out.append(" ".join(path))

    walk(get_command(app), [])
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_is_strict(name, tmp_path):
    args = CASES[name](tmp_path) + ["--json"]
    if name in ("dim", "degree", "critical", "equations", "fiber", "singular", "member", "solve",
                "agf diagonal-linear", "agf linear", "regions"):
        args.append("-q")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = strict_loads(result.stdout)
    assert isinstance(data, dict)
    if name in EXPECTED_KEYS:
        assert EXPECTED_KEYS[name] in data
    if name in PROTOCOL:  # the result protocol: headline value, status, provenance
        assert {"value", "status", *PROVENANCE} <= set(data), sorted(data)
        assert data["status"] in {c.value for c in Certainty}
        assert data["value"] == data[EXPECTED_KEYS[name]]


def test_singular_reports_an_infinite_gap_as_null_with_a_reason():
    result = CliRunner().invoke(app, ["singular", "mlp 2,2,1 x^2", "--seed", "1", "--json", "-q"])
    data = strict_loads(result.stdout)
    gaps = [s["exposure_gap"] for s in data["strata"]]
    assert None in gaps and any(v == "inf" for v in data["nonfinite"].values())


def test_every_command_follows_the_result_protocol():
    assert PROTOCOL == set(CASES)


def test_every_json_command_has_a_case():
    missing = sorted(set(json_commands()) - set(CASES))
    assert not missing, f"add a strict-JSON case for: {missing}"


@pytest.mark.parametrize("args", [["regions", "relu 2,3,1", "--seed", "0", "--samples", "0"],
                                  ["solve", "katsura 2", "--seed", "0"]])
def test_a_real_process_writes_only_json_on_stdout(args):
    """Engines that print from C (HiGHS's banner) must not reach stdout: checked in a fresh
    process, where CliRunner's capture does not apply."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "neuroalg", *args, "--json"], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    strict_loads(out.stdout)
