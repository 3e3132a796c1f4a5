"""Commands of the atlas: ``neuroalg atlas run|status|query|export|report|import``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from ..atlas.region import GRAMMAR as grammar
from ..errors import SpecError
from ._app import app, emit, err

if TYPE_CHECKING:
    from ..atlas.frontier import FrontierResult
    from ..atlas.plan import Plan
    from ..atlas.region import Region
    from ..atlas.sweep import SweepResult

DB_HELP = "The atlas database (SQLite; created if missing)."
DB_READ_HELP = "The atlas database (SQLite; must exist: only read)."


atlas = typer.Typer(name="atlas", no_args_is_help=True, rich_markup_mode=None,
                    help="Sweeps over families of architectures, a results store, exports, "
                         "an HTML report.")
app.add_typer(atlas, name="atlas")

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
    memory: str = typer.Option(None, "--memory", help="Memory budget per task, e.g. 2GiB "
                                                      "(default: half the RAM over the workers)."),
    numerical: bool = typer.Option(False, "--numerical", help="float64 ranks instead of modular ranks."),
    retry: bool = typer.Option(False, "--retry", help="Rerun tasks stored as timeout, skipped_budget or failed."),
    frontier: bool = typer.Option(False, "--frontier", help="Only search the minimal filling architectures "
                                                            "(monotonicity)."),
    verify: bool = typer.Option(False, "--verify", help="With --frontier: compute every immediate "
                                                        "predecessor of each minimal one."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only print the plan: tasks, predicted time and memory."),
    recompute: str = typer.Option(None, "--recompute", help="Compute the architectures stored with this method "
                                                            "(e.g. reference:mfa_pnns), within REGION if given."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
):
    import os

    from ..atlas.backends import BACKENDS
    from ..atlas.plan import parse_memory
    from ..atlas.region import parse_region
    from ..atlas.store import Store, open_store
    from ..options import check_choice, check_float, check_int, check_output_path

    # every option is checked before the store is opened or anything is computed
    if scheduler:
        backend = "dask"
    check_choice(backend, "--backend", BACKENDS)
    if workers is not None:
        check_int(workers, "--workers", low=1)
    check_float(time_limit, "--time-limit", low=0, open_low=True)
    mem = parse_memory(memory)
    if region is None and recompute is None:
        raise SpecError("give a REGION (e.g. 'mlp d0=2 dL=1 depth<=5 width<=6 r=2') or "
                        "--recompute METHOD")
    reg: Region | str | None  # a parsed region, or the name of a recomputation
    reg = None if region is None else parse_region(region)
    check_output_path(db, "--db")
    if dry_run:  # only reads: plans against the stored results, creates nothing
        store = open_store(db, write=False) if os.path.exists(db) else Store(":memory:")
    else:
        store = open_store(db, write=True)
    method = "numerical" if numerical else "exact"
    show = not quiet and not as_json
    result: FrontierResult | SweepResult | Plan
    with store:
        labels = None
        if recompute is not None:
            labels = sorted({o.label for o in store.observations(method=recompute)
                             if reg is None or reg.contains(o.label)})
            reg = f"architectures stored by {recompute}" + ("" if reg is None else f" in {reg}")
        if frontier:
            from ..atlas.frontier import frontier_search

            result = frontier_search(reg, store, seed=seed, verify=verify, workers=workers,
                                     method=method, time_limit=time_limit, memory_limit=mem,
                                     show_progress=show)
        else:
            from ..atlas.sweep import sweep

            result = sweep(reg, store, labels=labels, seed=seed, backend=backend,
                           workers=workers, scheduler=scheduler, time_limit=time_limit,
                           memory_limit=mem, method=method, retry=retry, dry_run=dry_run,
                           show_progress=show)
    emit(result, as_json)

@atlas.command("status", help="What the store holds, by status and method, and how the "
               "measured task times and memory compare with their predictions.")
def status_cmd(db: str = typer.Option("atlas.sqlite", "--db", help=DB_READ_HELP),
               as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")):

    from ..atlas.store import open_store
    with open_store(db, write=False) as store:
        emit(store.status(), as_json)

@atlas.command("query", help="Stored observations of REGION (all if omitted).")
def query_cmd(
    region: str = typer.Argument(None, help="A region (see 'neuroalg atlas run --help')."),
    db: str = typer.Option("atlas.sqlite", "--db", help=DB_READ_HELP),
    status: str = typer.Option(None, "--status", help="Only this status (certified, monte_carlo, ...)."),
    method: str = typer.Option(None, "--method", help="Only this method "
                                                      "(exact, monotonicity, reference:mfa_pnns, ...)."),
    filling: bool = typer.Option(None, "--filling/--not-filling", help="Only (not) filling."),
    limit: int = typer.Option(None, "--limit", help="At most this many rows."),
    compare: str = typer.Option(None, "--compare",
                                help="Compare --method (default exact) with this method, e.g. reference:mfa_pnns; "
                                     "lists the disagreements with their evidence."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    from ..atlas.query import compare as compare_methods
    from ..atlas.query import query
    from ..atlas.store import open_store

    with open_store(db, write=False) as store:
        if compare is not None:
            emit(compare_methods(store, method or "exact", compare, region=region), as_json)
            return
        emit(query(store, region, status=status, method=method, filling=filling,
                 limit=limit), as_json)

@atlas.command("export", help="Write the observations to OUT (.csv, .jsonl or .parquet); "
               "byte-identical for identical data (timings only with --timings).")
def export_cmd(
    out: str = typer.Argument(..., help="Output file."),
    db: str = typer.Option("atlas.sqlite", "--db", help=DB_READ_HELP),
    fmt: str = typer.Option(None, "--format", help="csv, jsonl or parquet (default: from OUT)."),
    region: str = typer.Option(None, "--region", help="Only this region."),
    timings: bool = typer.Option(False, "--timings", help="Add seconds and peak memory."),
):
    from ..atlas.export import check_format, export
    from ..atlas.store import open_store
    from ..options import check_output_path

    check_format(out, fmt)
    check_output_path(out, "OUT")
    with open_store(db, write=False) as store:
        n = export(store, out, format=fmt, region=region, timings=timings)
    err.print(f"{n} rows written to {out}", highlight=False)

@atlas.command("report", help="Write a static, self-contained HTML atlas to the folder OUT.")
def report_cmd(
    out: str = typer.Argument(..., help="Output folder (index.html, arch/*.html)."),
    db: str = typer.Option("atlas.sqlite", "--db", help=DB_READ_HELP),
    region: str = typer.Option(None, "--region", help="Only this region."),
    title: str = typer.Option("neuroalg atlas", "--title", help="Page title."),
    timings: bool = typer.Option(False, "--timings", help="Show run times and peak memory."),
):
    from ..atlas.report import check_folder, write_report
    from ..atlas.store import open_store

    check_folder(out, "OUT")
    with open_store(db, write=False) as store:
        n = write_report(store, out, region=region, title=title, timings=timings)
    err.print(f"report of {n} architectures written to {out}/index.html", highlight=False)

@atlas.command("import", help="Import reference result tables (the MFA_PNNs CSV files of "
               "Dao & Rodriguez) as observations with method reference:mfa_pnns.")
def import_cmd(
    paths: list[str] = typer.Argument(..., help="CSV files (columns h, exponent, architecture, ...)."),
    db: str = typer.Option("atlas.sqlite", "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    from ..atlas.importer import import_csv
    from ..atlas.store import open_store
    from ..options import check_input_path

    for p in paths:
        check_input_path(p, "PATHS")
    with open_store(db, write=True) as store:
        emit(import_csv(paths, store), as_json)
