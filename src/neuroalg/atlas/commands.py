"""``neuroalg atlas run | status | query | export | report | import``."""

from __future__ import annotations

import re

import typer

from ..errors import SpecError

DB_HELP = "The atlas database (SQLite; created if missing)."
_UNITS = {"": 1, "b": 1, "k": 2**10, "kb": 10**3, "kib": 2**10, "m": 2**20, "mb": 10**6,
          "mib": 2**20, "g": 2**30, "gb": 10**9, "gib": 2**30, "t": 2**40, "tb": 10**12, "tib": 2**40}


def parse_memory(text: str | None) -> int | None:
    """Bytes of a memory size such as ``2GiB``, ``500MB``, ``1073741824`` (None passes)."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).lower() not in _UNITS:
        raise SpecError(f"bad memory size '{text}'; e.g. 2GiB, 512MiB, 4GB or a number of bytes")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def register(app: typer.Typer) -> None:
    atlas = typer.Typer(name="atlas", no_args_is_help=True, rich_markup_mode=None,
                        help="Sweeps over families of architectures, a results store, exports, "
                             "an HTML report.")
    app.add_typer(atlas, name="atlas")
    from .region import GRAMMAR as grammar

    @atlas.command("run", help="Compute the dimension of every architecture of REGION into the "
                   "store; resumable (rerun the same command after an interruption).\n\n\b\n" + grammar)
    def run_cmd(
        region: str = typer.Argument(None, help="e.g. 'mlp d0=2 dL=1 depth<=5 width<=6 r=2' "
                                     "(optional with --recompute)"),
        db: str = typer.Option("atlas.sqlite", "--db", help=DB_HELP),
        seed: int = typer.Option(0, "--seed", help="Sweep seed (task seeds derive from it and the label)."),
        backend: str = typer.Option("pool", "--backend", help="serial, pool or dask."),
        workers: int = typer.Option(None, "--workers", help="Worker processes (default: the cores)."),
        scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (implies --backend dask)."),
        time_limit: float = typer.Option(600.0, "--time-limit", help="Hard limit per task, seconds."),
        memory: str = typer.Option(None, "--memory", help="Memory budget per task, e.g. 2GiB (default: half the RAM over the workers)."),
        numerical: bool = typer.Option(False, "--numerical", help="float64 ranks instead of modular ranks."),
        retry: bool = typer.Option(False, "--retry", help="Rerun tasks stored as timeout, skipped_budget or failed."),
        frontier: bool = typer.Option(False, "--frontier", help="Only search the minimal filling architectures (monotonicity)."),
        verify: bool = typer.Option(False, "--verify", help="With --frontier: compute every immediate predecessor of each minimal one."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Only print the plan: tasks, predicted time and memory."),
        recompute: str = typer.Option(None, "--recompute", help="Compute the architectures stored with this method (e.g. reference:mfa_pnns), within REGION if given."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    ):
        from ..cli import emit, fail, run
        from .store import Store

        if scheduler:
            backend = "dask"
        mem = run(parse_memory, memory)
        if region is None and recompute is None:
            fail("give a REGION (e.g. 'mlp d0=2 dL=1 depth<=5 width<=6 r=2') or --recompute METHOD")
        with Store(db) as store:
            labels = None
            if recompute is not None:
                from .region import parse_region

                reg = None if region is None else run(parse_region, region)
                labels = sorted({o.label for o in store.observations(method=recompute)
                                 if reg is None or reg.contains(o.label)})
                region = f"architectures stored by {recompute}" + ("" if reg is None else f" in {reg}")
            if frontier:
                from .frontier import frontier_search

                result = run(frontier_search, region, store, seed=seed, verify=verify, workers=workers,
                             method="numerical" if numerical else "exact", time_limit=time_limit,
                             memory_limit=mem, show_progress=not quiet and not as_json)
            else:
                from .sweep import sweep

                result = run(sweep, region, store, labels=labels, seed=seed, backend=backend, workers=workers,
                             scheduler=scheduler, time_limit=time_limit, memory_limit=mem,
                             method="numerical" if numerical else "exact", retry=retry,
                             dry_run=dry_run, show_progress=not quiet and not as_json)
        emit(result, as_json)

    @atlas.command("status", help="What the store holds, by status and method.")
    def status_cmd(db: str = typer.Option("atlas.sqlite", "--db", help=DB_HELP),
                   as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")):
        from ..cli import emit, run
        from .store import Store

        with Store(db) as store:
            emit(run(store.status), as_json)

    @atlas.command("query", help="Stored observations of REGION (all if omitted).")
    def query_cmd(
        region: str = typer.Argument(None, help="A region (see 'neuroalg atlas run --help')."),
        db: str = typer.Option("atlas.sqlite", "--db", help=DB_HELP),
        status: str = typer.Option(None, "--status", help="Only this status (certified, monte_carlo, ...)."),
        method: str = typer.Option(None, "--method", help="Only this method (exact, monotonicity, reference:mfa_pnns, ...)."),
        filling: bool = typer.Option(None, "--filling/--not-filling", help="Only (not) filling."),
        limit: int = typer.Option(None, "--limit", help="At most this many rows."),
        compare: str = typer.Option(None, "--compare", help="Compare --method (default exact) with this method, e.g. reference:mfa_pnns; lists the disagreements with their evidence."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ):
        from ..cli import emit, run
        from .query import compare as compare_methods
        from .query import query
        from .store import Store

        with Store(db) as store:
            if compare is not None:
                emit(run(compare_methods, store, method or "exact", compare, region=region), as_json)
                return
            emit(run(query, store, region, status=status, method=method, filling=filling,
                     limit=limit), as_json)

    @atlas.command("export", help="Write the observations to OUT (.csv, .jsonl or .parquet); "
                   "byte-identical for identical data (timings only with --timings).")
    def export_cmd(
        out: str = typer.Argument(..., help="Output file."),
        db: str = typer.Option("atlas.sqlite", "--db", help=DB_HELP),
        fmt: str = typer.Option(None, "--format", help="csv, jsonl or parquet (default: from OUT)."),
        region: str = typer.Option(None, "--region", help="Only this region."),
        timings: bool = typer.Option(False, "--timings", help="Add seconds and peak memory."),
    ):
        from ..cli import err, run
        from .export import export
        from .store import Store

        with Store(db) as store:
            n = run(export, store, out, format=fmt, region=region, timings=timings)
        err.print(f"{n} rows written to {out}", highlight=False)

    @atlas.command("report", help="Write a static, self-contained HTML atlas to the folder OUT.")
    def report_cmd(
        out: str = typer.Argument(..., help="Output folder (index.html, arch/*.html)."),
        db: str = typer.Option("atlas.sqlite", "--db", help=DB_HELP),
        region: str = typer.Option(None, "--region", help="Only this region."),
        title: str = typer.Option("neuroalg atlas", "--title", help="Page title."),
        timings: bool = typer.Option(False, "--timings", help="Show run times and peak memory."),
    ):
        from ..cli import err, run
        from .report import write_report
        from .store import Store

        with Store(db) as store:
            n = run(write_report, store, out, region=region, title=title, timings=timings)
        err.print(f"report of {n} architectures written to {out}/index.html", highlight=False)

    @atlas.command("import", help="Import reference result tables (the MFA_PNNs CSV files of "
                   "Dao & Rodriguez) as observations with method reference:mfa_pnns.")
    def import_cmd(
        paths: list[str] = typer.Argument(..., help="CSV files (columns h, exponent, architecture, ...)."),
        db: str = typer.Option("atlas.sqlite", "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ):
        from ..cli import emit, run
        from .importer import import_csv
        from .store import Store

        with Store(db) as store:
            emit(run(import_csv, paths, store), as_json)
