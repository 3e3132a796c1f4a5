import importlib
import json

import pytest
from typer.testing import CliRunner

from neuroalg.cli import app


class Recorded:
    """What a monkeypatched library function returns: its call, rendered as JSON by ``emit``."""

    def __init__(self, args, kwargs, verified):
        self.args, self.kwargs, self.is_verified = args, kwargs, verified

    def to_dict(self):
        plain = (int, float, str, bool, type(None))
        return {"args": [str(a) for a in self.args],
                "kwargs": {k: v if isinstance(v, plain) else str(v) for k, v in self.kwargs.items()}}


@pytest.fixture
def call_of(monkeypatch):
    """call_of(module, name, argv) -> (exit code, {"args": [...], "kwargs": {...}}): runs the
    command line ``argv --json`` with ``module.name`` replaced by a recorder, so a test sees what
    the command passed to the library (the options parsed, nothing computed)."""

    def invoke(module: str, name: str, argv, *, verified: bool = True):
        monkeypatch.setattr(importlib.import_module(module), name,
                            lambda *a, **k: Recorded(a, k, verified))
        res = CliRunner().invoke(app, [*argv, "--json"])
        return res.exit_code, (json.loads(res.stdout) if res.stdout.strip() else res.output)

    return invoke
