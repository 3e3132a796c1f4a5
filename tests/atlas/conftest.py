import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("NEUROALG_SHARED", Path(__file__).resolve().parents[3] / "shared"))
REFERENCE = SHARED / "reference" / "mfa_pnns"


@pytest.fixture
def reference():
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data {REFERENCE} absent (set NEUROALG_SHARED)")
    return REFERENCE
