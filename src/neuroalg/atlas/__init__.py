"""The atlas: resumable sweeps over families of architectures, a results store, exports and a
static HTML report (``neuroalg atlas ...``)."""

from .labels import describe as describe
from .labels import label as label
from .labels import parse_label as parse_label
from .observation import Observation as Observation
from .observation import Status as Status
from .region import Region as Region
from .region import parse_region as parse_region
from .store import Store as Store
from .sweep import SweepResult as SweepResult
from .sweep import sweep as sweep
