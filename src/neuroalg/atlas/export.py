"""Exports of a store: CSV, JSON Lines, Parquet.

One row per observation, ordered by its key (label, invariant, method, version, seed), with the
architecture's columns (family, widths, depth, d0, dL, activation, bias, n_params, ambient,
expected). The same data always gives the same bytes: run times and peak memory differ between
runs, so they are left out unless ``timings=True`` (which adds them with the predicted time and
memory and the ratios measured/predicted). Lists (primes, derived_from) are written as
JSON arrays in CSV, ``detail`` as canonical JSON. Parquet needs pyarrow (extra ``parquet``).
"""

from __future__ import annotations

import csv
import io
import json

from ..errors import SpecError
from .observation import dumps

FORMATS = ("csv", "jsonl", "parquet")
ARCH_COLUMNS = ("family", "widths", "depth", "d0", "dL", "activation", "bias", "n_params",
                "ambient", "expected")
OBS_COLUMNS = ("invariant", "method", "version", "seed", "status", "value", "lower", "upper",
               "primes", "derived_from", "source", "detail")
TIMING_COLUMNS = ("seconds", "peak_memory", "predicted_seconds", "predicted_memory", "time_ratio",
                  "memory_ratio")


def rows(store, *, region=None, timings: bool = False) -> list[dict]:
    """Export rows (dicts), ordered by observation key; ``region`` filters by membership."""
    from .region import parse_region

    reg = None if region is None else parse_region(region)
    archs = store.architectures()
    out = []
    for o in store.observations():
        if reg is not None and not reg.contains(o.label):
            continue
        a = archs[o.label]
        d = o.to_dict(timings=timings)
        row = {"label": o.label, **{k: a[k] for k in ARCH_COLUMNS}, **{k: d[k] for k in OBS_COLUMNS}}
        if timings:
            row.update({k: d[k] for k in TIMING_COLUMNS})
        out.append(row)
    return out


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        return dumps(v)
    if isinstance(v, float):
        return repr(v)
    return str(v)


def to_csv(data: list[dict]) -> str:
    if not data:
        return ""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(data[0]))
    for r in data:
        w.writerow([_cell(v) for v in r.values()])
    return buf.getvalue()


def to_jsonl(data: list[dict]) -> str:
    return "".join(json.dumps(r, sort_keys=False, separators=(",", ":")) + "\n" for r in data)


def check_format(path, format: str | None = None) -> str:
    """The export format: ``format`` if given, else from the suffix of ``path``."""
    fmt = format or str(path).rsplit(".", 1)[-1].lower()
    if fmt not in FORMATS:
        raise SpecError(f"unknown export format '{fmt}'; allowed: {', '.join(FORMATS)} "
                        f"(or a file ending in .csv, .jsonl, .parquet)")
    return fmt


def export(store, path, *, format: str | None = None, region=None, timings: bool = False) -> int:
    """Write the store to ``path`` (format from the suffix unless given); returns the row count."""
    path = str(path)
    fmt = check_format(path, format)
    data = rows(store, region=region, timings=timings)
    if fmt == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise SpecError("Parquet export needs pyarrow: pip install 'neuroalg[parquet]' "
                            "(or pyarrow)") from None
        cols = {k: [(_cell(r[k]) if isinstance(r[k], (list, dict)) else r[k]) for r in data]
                for k in (data[0] if data else ())}
        pq.write_table(pa.table(cols), path)
        return len(data)
    text = to_csv(data) if fmt == "csv" else to_jsonl(data)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return len(data)
