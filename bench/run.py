"""Throughput benchmark: the auditor's ad-hoc indexing against a raw eth_getLogs loop and ethereum-etl.

Run on purpose, not by pytest: `.venv/bin/python bench/run.py [--logs 1000000] [--with-demo] [--profile F]`.
Plants N ERC-20 Transfer logs on a local anvil, then on the same chain and block range, one after the other:
(a) raw eth_getLogs + JSON parsing, (b) ethereum-etl export_token_transfers (own venv, bench/.venv-etl),
(c) `auditor index --contract ... --event ...`. Checks every row of (b) and (c) against the planted values and
prints a table. Exit status: 0 all good, 1 the auditor failed or its rows are wrong, 2 a comparison failed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import etl
from check import Check, check_auditor, check_etl
from measure import Timed, machine_info, median_run, raw_rate, run_timed
from plant import EMITTER, TRANSFER_SIGNATURE, TRANSFER_TOPIC, Layout, Planted, genesis_time, plant

from auditor.devnet.anvil import Anvil, find_anvil

REPO = Path(__file__).resolve().parent.parent
CHAIN_ID = 1
DEFAULT_LOGS = 100_000
DEFAULT_PER_BLOCK = 100
DEFAULT_SPACING = 100
DEFAULT_CHUNK_BLOCKS = 10_000  # the auditor's --chunk-blocks default
DEFAULT_CONCURRENCY = 8  # the auditor's --concurrency default
DEFAULT_ETL = ("100x5", "10000x8")  # ethereum-etl's defaults (-b 100 -w 5), then the auditor's chunk and workers
DEFAULT_REPEAT = 3
BUSY_LOAD = 0.5  # a 1-minute load average above this before the start means something else is running
PROFILE_TOP = 25


@dataclass
class Row:
    """One line of the result table."""

    name: str
    timed: Timed | None
    logs: int | None = None
    check: Check | None = None
    note: str = ""
    runs: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        if self.timed is None or self.logs is None or self.timed.returncode != 0:
            return None
        return self.logs / self.timed.seconds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--logs", type=int, default=DEFAULT_LOGS, help="Transfer logs to plant and index")
    p.add_argument("--per-block", type=int, default=DEFAULT_PER_BLOCK, help="logs in each block that has logs")
    p.add_argument("--spacing", type=int, default=DEFAULT_SPACING,
                   help="blocks from one block with logs to the next (the rest are empty)")
    p.add_argument("--chunk-blocks", type=int, default=DEFAULT_CHUNK_BLOCKS,
                   help="blocks per eth_getLogs for the raw loop and the auditor")
    p.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                   help="requests in flight for the raw loop and the auditor")
    p.add_argument("--repeat", type=int, default=DEFAULT_REPEAT,
                   help="runs of (a) and (c) each, the median shown (ethereum-etl runs once: about a minute each)")
    p.add_argument("--etl", action="append", metavar="BxW",
                   help=f"ethereum-etl run with -b B -w W; repeatable (default: {' and '.join(DEFAULT_ETL)})")
    p.add_argument("--skip-etl", action="store_true", help="no ethereum-etl (no venv to create)")
    p.add_argument("--with-demo", action="store_true",
                   help="also time `auditor demo`, then `auditor analyze` and `auditor report --week last` on it")
    p.add_argument("--profile", type=Path, metavar="FILE",
                   help="also run the auditor once more under cProfile, save the stats and print the top functions")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, CSVs, outputs)")
    p.add_argument("--auditor", type=Path, default=REPO / ".venv" / "bin" / "auditor", help="auditor executable")
    args = p.parse_args(argv)
    for name in ("logs", "per_block", "spacing", "chunk_blocks", "concurrency", "repeat"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    try:
        args.etl_runs = [tuple(int(x) for x in spec.split("x")) for spec in (args.etl or DEFAULT_ETL)]
    except ValueError:
        p.error("--etl takes BATCHxWORKERS, e.g. 100x5")
    return args


def spread(runs: list[Timed]) -> str:
    secs = sorted(t.seconds for t in runs)
    return f"{secs[0]:.2f}s" if len(secs) == 1 else f"median {median_run(runs).seconds:.2f}s of " + \
        ", ".join(f"{x:.2f}" for x in secs)


def auditor_index_cmd(args: argparse.Namespace, url: str, db: Path, planted: Planted) -> list[str]:
    return ["index", "--rpc", url, "--db", str(db), "--contract", EMITTER, "--event", TRANSFER_SIGNATURE,
            "--from-block", str(planted.first_block), "--to-block", str(planted.last_block), "--confirmations", "0",
            "--chunk-blocks", str(args.chunk_blocks), "--concurrency", str(args.concurrency)]


def auditor_python(args: argparse.Namespace) -> Path:
    """The interpreter of the auditor's venv (for imports timing and profiling), else this one."""
    beside = args.auditor.parent / "python"
    return beside if beside.exists() else Path(sys.executable)


def startup_seconds(python: Path, module: str, work: Path) -> float:
    """Interpreter start plus importing the tool: a fixed cost inside each subprocess's wall time."""
    return run_timed([str(python), "-c", f"import {module}"], work, "startup").seconds


def measure_chain(args: argparse.Namespace, work: Path, results: dict[str, Any]) -> tuple[list[Row], Planted]:
    """Plants the logs and runs (a), (b), (c) on one node; the node is stopped on the way out."""
    layout = Layout(args.logs, args.per_block, args.spacing)
    rows: list[Row] = []
    etl_version = None
    if not args.skip_etl:
        try:
            etl_version = etl.ensure_venv()
        except (OSError, RuntimeError) as exc:
            rows.append(Row("ethereum-etl", None, note=f"FAILED to install: {exc}"))
    with Anvil(CHAIN_ID, 0, genesis_time(layout), work / "anvil.log", quiet=True, keep_history=False) as node:
        url = node.url
        print(f"planting {layout.logs:,} logs: {layout.per_block} per block, one such block every "
              f"{layout.spacing} blocks ({layout.total_blocks:,} blocks)...", flush=True)
        planted = plant(url, layout)
        print(f"planted in {planted.seconds:.1f}s; blocks {planted.first_block:,}..{planted.last_block:,}", flush=True)
        for parser in ("json", "orjson"):
            runs = [raw_rate(url, EMITTER, TRANSFER_TOPIC, planted.first_block, planted.last_block,
                             args.chunk_blocks, args.concurrency, parser) for _ in range(args.repeat)]
            timed = median_run(runs)
            wrong = [t.extra["logs"] for t in runs if t.extra["logs"] != layout.logs]
            note = f"MISMATCH: {wrong[0]:,} logs returned" if wrong else ""
            rows.append(Row(f"(a) raw eth_getLogs + {parser}.loads", timed, layout.logs, note=note,
                            runs=[t.seconds for t in runs]))
            print(f"raw {parser}: {spread(runs)}", flush=True)
        if etl_version:
            for batch, workers in args.etl_runs:
                timed, csv = etl.export_token_transfers(url, EMITTER, planted.first_block, planted.last_block,
                                                        batch, workers, work)
                check = check_etl(csv, planted) if timed.returncode == 0 else None
                note = "" if timed.returncode == 0 else f"FAILED (exit {timed.returncode}): {one_line(timed.stderr)}"
                rows.append(Row(f"(b) ethereum-etl -b {batch} -w {workers}", timed, layout.logs, check, note))
                print(f"ethereum-etl -b {batch} -w {workers}: {timed.seconds:.2f}s", flush=True)
        runs, checks = [], []
        for n in range(1, args.repeat + 1):
            db = work / f"bench-{n}.duckdb"
            timed = run_timed([str(args.auditor), *auditor_index_cmd(args, url, db, planted)], work, f"auditor-{n}")
            runs.append(timed)
            if timed.returncode != 0:
                break
            checks.append(check_auditor(db, planted))
        timed = runs[-1] if runs[-1].returncode != 0 else median_run(runs)
        check = next((c for c in checks if not c.ok), checks[0] if checks else None)
        note = "" if timed.returncode == 0 else f"FAILED (exit {timed.returncode}): {one_line(timed.stderr)}"
        rows.append(Row(f"(c) auditor index (-c {args.concurrency}, {args.chunk_blocks:,}-block chunks)", timed,
                        layout.logs, check, note, runs=[t.seconds for t in runs]))
        print(f"auditor index: {spread(runs)}", flush=True)
        results["auditor_summary"] = timed.stderr.strip().splitlines()[-1:] if timed.stderr.strip() else []
        if args.profile:
            profile_auditor(args, url, work / "profile.duckdb", planted, results)
    results["etl_version"] = etl_version
    return rows, planted


def profile_auditor(args: argparse.Namespace, url: str, db: Path, planted: Planted, results: dict[str, Any]) -> None:
    """The same auditor run under cProfile (slower, so not the measured one); prints the top functions."""
    cmd = [str(auditor_python(args)), "-m", "cProfile", "-o", str(args.profile), "-m", "auditor",
           *auditor_index_cmd(args, url, db, planted)]
    timed = run_timed(cmd, db.parent, "auditor-profile")
    if timed.returncode != 0:
        print(f"profiled run failed: {one_line(timed.stderr)}", file=sys.stderr)
        return
    out = io.StringIO()
    stats = pstats.Stats(str(args.profile), stream=out)
    stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    stats.sort_stats("cumulative").print_stats("auditor/", PROFILE_TOP)
    results["profile"] = {"file": str(args.profile), "seconds": timed.seconds, "text": out.getvalue()}


def measure_demo(args: argparse.Namespace, work: Path) -> list[Row]:
    """`auditor demo` into a temporary database, then analyze and report timed on that database."""
    db, out = work / "demo" / "demo.duckdb", work / "demo" / "reports"
    db.parent.mkdir()
    steps = [("auditor demo", ["demo", "--db", str(db), "--out", str(out)]),
             ("auditor analyze (demo db)", ["analyze", "--db", str(db)]),
             ("auditor report --week last (demo db)", ["report", "--db", str(db), "--week", "last", "--out", str(out)])]
    rows = []
    for name, cmd in steps:
        timed = run_timed([str(args.auditor), *cmd], work, name.split()[1])
        said = (timed.stderr.strip() or timed.stdout.strip()).splitlines()
        note = said[-1] if said else ""
        if timed.returncode != 0:
            note = f"FAILED (exit {timed.returncode}): {note}"
        rows.append(Row(name, timed, note=note))
        print(f"{name}: {timed.seconds:.2f}s", flush=True)
        if timed.returncode != 0:
            break
    return rows


def one_line(text: str, limit: int = 300) -> str:
    """The end of a tool's output, on one line, for a table note."""
    return " ".join(text.split())[-limit:]


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def render(rows: list[Row], demo: list[Row], planted: Planted, results: dict[str, Any],
           machine: dict[str, str], args: argparse.Namespace) -> str:
    """The result table, ratios, the auditor's own summary line and the machine."""
    lines = [f"{planted.layout.logs:,} Transfer logs in blocks {planted.first_block:,}..{planted.last_block:,} "
             f"({planted.layout.per_block} logs in one tx every {planted.layout.spacing} blocks); "
             f"eth_getLogs chunks of {args.chunk_blocks:,} blocks", ""]
    header = f"{'measurement':<52} {'seconds':>8} {'logs/s':>9} {'peak RSS':>9}  rows"
    lines += [header, "-" * len(header)]
    for r in rows + demo:
        seconds = r.timed.seconds if r.timed else None
        rss = r.timed.max_rss_kib / 1024 if r.timed and r.timed.max_rss_kib else None
        rss_txt = "-" if rss is None else f"{rss:,.0f} MiB"
        runs = f"(median of {', '.join(f'{x:.2f}' for x in sorted(r.runs))} s)" if len(r.runs) > 1 else ""
        lines.append(f"{r.name:<52} {_fmt(seconds, '.2f'):>8} {_fmt(r.rate, ',.0f'):>9} {rss_txt:>9}  "
                     + " ".join(x for x in (r.check.describe() if r.check else "", r.note, runs) if x))
    auditor = next((r for r in rows if r.name.startswith("(c)")), None)
    if auditor and auditor.rate:
        lines.append("")
        for other in rows:
            if other is not auditor and other.rate and not other.name.startswith("(c)"):
                lines.append(f"auditor / {other.name[4:].strip():<48} {auditor.rate / other.rate:6.2f}x")
    lines.append("")
    startup = results.get("startup", {})
    lines.append("startup (interpreter + imports, inside the wall times above): "
                 + ", ".join(f"{k} {v:.2f}s" for k, v in startup.items()))
    for line in results.get("auditor_summary", []):
        lines.append(f"auditor said: {line}")
    lines.append("")
    lines += [f"{k:<15} {v}" for k, v in machine.items()]
    if "load" in results:
        lines.append(f"{'load before':<15} {results['load']:.2f} (1-minute average; above {BUSY_LOAD} means "
                     "other work shared the CPU)")
    if results.get("etl_version"):
        lines.append(f"{'ethereum-etl':<15} {results['etl_version']}")
    if "profile" in results:
        lines += ["", f"cProfile of one more auditor run ({results['profile']['seconds']:.1f}s under the profiler; "
                      f"stats in {results['profile']['file']}):", results["profile"]["text"].rstrip()]
    return "\n".join(lines)


def to_json(rows: list[Row], demo: list[Row], planted: Planted, results: dict[str, Any],
            machine: dict[str, str]) -> dict[str, Any]:
    def row(r: Row) -> dict[str, Any]:
        return {"name": r.name, "seconds": r.timed.seconds if r.timed else None, "logs_per_s": r.rate,
                "peak_rss_mib": r.timed.max_rss_kib / 1024 if r.timed and r.timed.max_rss_kib else None,
                "rows_ok": r.check.ok if r.check else None, "note": r.note, "runs_seconds": r.runs or None}
    return {"logs": planted.layout.logs, "blocks": [planted.first_block, planted.last_block],
            "per_block": planted.layout.per_block, "spacing": planted.layout.spacing,
            "plant_seconds": planted.seconds, "rows": [row(r) for r in rows + demo], "machine": machine,
            "startup_seconds": results.get("startup"), "auditor_summary": results.get("auditor_summary"),
            "etl_version": results.get("etl_version"), "load_average_1min": results.get("load")}


def exit_status(rows: list[Row], demo: list[Row]) -> int:
    auditor = [r for r in rows if r.name.startswith("(c)")]
    if not auditor or auditor[0].check is None or not auditor[0].check.ok:
        return 1
    others = [r for r in rows + demo if r not in auditor]
    if any(r.note.startswith(("FAILED", "MISMATCH")) or (r.check and not r.check.ok) for r in others):
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the node and the temporary directory are cleaned up.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if not args.auditor.exists():
        print(f"error: {args.auditor} not found (run `make setup`)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    started = time.perf_counter()
    try:
        machine = machine_info(find_anvil())
        results: dict[str, Any] = {"startup": {
            "auditor": startup_seconds(auditor_python(args), "auditor.cli, auditor.sync", work)}}
        results["load"] = os.getloadavg()[0]
        if results["load"] > BUSY_LOAD:
            print(f"note: load average {results['load']:.2f} before starting: something else is running and "
                  "will slow the figures down", flush=True)
        rows, planted = measure_chain(args, work, results)
        if results.get("etl_version"):
            results["startup"]["ethereum-etl"] = startup_seconds(etl.VENV / "bin" / "python", "ethereumetl.cli", work)
        demo = measure_demo(args, work) if args.with_demo else []
        print()
        print(render(rows, demo, planted, results, machine, args))
        print(f"\n(whole benchmark: {time.perf_counter() - started:.0f}s)")
        if args.json:
            args.json.write_text(json.dumps(to_json(rows, demo, planted, results, machine), indent=1) + "\n")
        return exit_status(rows, demo)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
