"""The harmonics commands (registered by importing their module)."""

import json

from typer.testing import CliRunner

import neuroalg.cli
import neuroalg.cli.harmonics  # noqa: F401  (registers the commands)

runner = CliRunner()


def _json(args):
    res = runner.invoke(neuroalg.cli.app, args + ["--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_irreps():
    d = _json(["irreps", "D4", "--seed", "0"])
    assert d["value"] == [1, 1, 1, 1, 2] and d["status"] == "numerical" and d["seed"] == 0
    res = runner.invoke(neuroalg.cli.app, ["irreps", "C2xC3", "--seed", "1"])
    assert res.exit_code == 0 and "6 irreducible unitary representations of C2xC3" in res.stdout


def test_harmonics_recovers():
    # S3 (= D3, whose recovery the library tests check) with one restart: the command's path
    d = _json(["harmonics", "S3", "--seed", "0", "--restarts", "1"])
    assert d["value"] is True and d["n_mismatches"] == 0 and d["is_isomorphic"]


def test_fourier_bridge():
    d = _json(["fourier-bridge", "--template", "0,1,0.5,0,0,0.5,1"])
    assert d["is_consistent"] and d["order"] == d["agf_order"]


def test_errors_are_one_line():
    for args, text in ((["irreps", "X7"], "bad part"), (["harmonics", "C3", "--restarts", "0"], "restarts"),
                       (["fourier-bridge", "--template", "1,a"], "comma-separated")):
        res = runner.invoke(neuroalg.cli.app, args)
        assert res.exit_code == 2 and text in res.output and "Traceback" not in res.output


def test_harmonics_options_reach_the_library(call_of):
    code, call = call_of("neuroalg.harmonics.recovery", "recover_group",
                         ["harmonics", "C2xC3", "--seed", "2", "--restarts", "3", "--noise", "0.1",
                          "--signals", "5", "--max-iter", "40", "--lam", "0.5", "--atol", "0.01",
                          "--method", "torch"])
    assert code == 0, call
    assert call["kwargs"] == {"seed": 2, "restarts": 3, "noise": 0.1, "n_signals": 5,
                              "max_iter": 40, "lam": 0.5, "atol": 0.01, "method": "torch"}
    assert call["args"] == ["FiniteGroup(C2xC3, order 6)"]  # the parsed group
