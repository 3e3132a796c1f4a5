import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("NEUROALG_TEST", "1")

# Property tests are derandomized (the same examples on every run, no example database replaying
# an old failure); a test's own @settings override only the fields it names. The slow large
# property test explores fresh examples with HYPOTHESIS_PROFILE=explore.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", derandomize=False, database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: the workplace's read-only reference data (published tables with their source); CI has it too
SHARED = Path(os.environ.get("NEUROALG_SHARED", Path(__file__).resolve().parents[2] / "shared"))
MFA_PNNS = SHARED / "reference" / "mfa_pnns"


@pytest.fixture
def reference() -> Path:
    """The MFA_PNNs dimension tables (Dao & Rodriguez), read in place; skipped with a reason
    when ../shared/reference is absent (set NEUROALG_SHARED to its folder)."""
    if not MFA_PNNS.is_dir():
        pytest.skip(f"reference data {MFA_PNNS} absent (set NEUROALG_SHARED to the shared folder)")
    return MFA_PNNS
