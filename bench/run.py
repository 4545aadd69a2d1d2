"""Throughput benchmark: the auditor's ad-hoc indexing against a raw eth_getLogs loop, cryo and ethereum-etl.

Run on purpose, not by pytest: `.venv/bin/python bench/run.py [--logs 1000000] [--with-demo] [--profile F]`.
Plants N ERC-20 Transfer logs on a local anvil, then on the same chain and block range, one after the other,
each tool a whole process: raw eth_getLogs (no parse, orjson), cryo.freeze (own venv, bench/.venv-cryo),
`auditor index --contract ... --event ...`, ethereum-etl export_token_transfers (own venv, bench/.venv-etl).
Checks every row of cryo, the auditor and ethereum-etl against the planted values and prints a table with each
tool's CPU and the node's. Exit status: 0 all good, 1 the auditor failed or its rows are wrong, 2 a comparison
failed.
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

import cryo_leg
import etl
from check import Check, check_auditor, check_cryo, check_etl
from measure import RAW_PARSERS, Timed, machine_info, median_run, raw_timed, run_timed
from plant import EMITTER, TRANSFER_SIGNATURE, TRANSFER_TOPIC, Layout, Planted, genesis_time, plant

from auditor.devnet.anvil import Anvil, find_anvil

REPO = Path(__file__).resolve().parent.parent
CHAIN_ID = 1
DEFAULT_LOGS = 100_000
DEFAULT_PER_BLOCK = 100
DEFAULT_SPACING = 100
# From BIG_LOGS on, 1,000 logs per log block and one every 100 blocks: 10,000,000 logs are 1,000,000 blocks to
# mine (about a minute) instead of 10,000,000 (over 7 minutes), and 1,000-block chunks keep 10,000 logs a request.
BIG_PER_BLOCK = 1000
BIG_SPACING = 100
BIG_LOGS = 2_000_000
LOGS_PER_REQUEST = 10_000   # the default chunk holds this many logs (the most many providers return)
DEFAULT_RAW = ("none", "orjson")
DEFAULT_CONCURRENCY = 8  # the auditor's --concurrency default
DEFAULT_ETL = ("100x5", "10000x8")  # ethereum-etl's defaults (-b 100 -w 5), then the auditor's chunk and workers
DEFAULT_REPEAT = 3
BUSY_LOAD = 0.5  # a 1-minute load average above this before the start means something else is running
PROFILE_TOP = 25


@dataclass
class Row:
    """One line of the result table: the median run of a tool and the wall times of all its runs."""

    name: str
    timed: Timed | None
    logs: int | None = None
    check: Check | None = None
    note: str = ""
    runs: list[float] = field(default_factory=list)
    tool: str = ""    # raw, cryo, etl, auditor: which ratios it takes part in

    @property
    def rate(self) -> float | None:
        if self.timed is None or self.logs is None or self.timed.returncode != 0:
            return None
        return self.logs / self.timed.seconds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--logs", type=int, default=DEFAULT_LOGS, help="Transfer logs to plant and index")
    p.add_argument("--per-block", type=int, default=None,
                   help=f"logs in each block that has logs (default {DEFAULT_PER_BLOCK}, {BIG_PER_BLOCK} from "
                        f"{BIG_LOGS:,} logs on: planting is one transaction per log block)")
    p.add_argument("--spacing", type=int, default=None,
                   help=f"blocks from one block with logs to the next (the rest are empty; default {DEFAULT_SPACING}, "
                        f"{BIG_SPACING} from {BIG_LOGS:,} logs on)")
    p.add_argument("--chunk-blocks", type=int, default=None,
                   help=f"blocks per eth_getLogs for the raw loop, cryo and the auditor (default: {LOGS_PER_REQUEST:,} "
                        "logs' worth, 10,000 blocks in the default layout: the auditor's default)")
    p.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                   help="requests in flight for the raw loop, cryo and the auditor")
    p.add_argument("--repeat", type=int, default=DEFAULT_REPEAT,
                   help="rounds of raw, cryo and auditor runs, interleaved; the median shown (ethereum-etl once)")
    p.add_argument("--raw", action="append", choices=sorted(RAW_PARSERS), metavar="PARSER",
                   help=f"raw loop parser, repeatable: none, orjson, json (default: {' and '.join(DEFAULT_RAW)})")
    p.add_argument("--etl", action="append", metavar="BxW",
                   help=f"ethereum-etl run with -b B -w W; repeatable (default: {' and '.join(DEFAULT_ETL)})")
    p.add_argument("--skip-etl", action="store_true", help="no ethereum-etl (no venv to create)")
    p.add_argument("--skip-cryo", action="store_true", help="no cryo (no venv to create)")
    p.add_argument("--with-demo", action="store_true",
                   help="also time `auditor demo`, then `auditor analyze` and `auditor report --week last` on it")
    p.add_argument("--profile", type=Path, metavar="FILE",
                   help="also run the auditor once more under cProfile, save the stats and print the top functions")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, CSVs, outputs)")
    p.add_argument("--auditor", type=Path, default=None,
                   help="auditor executable (default: `python -m auditor` of this checkout, with the python of "
                        "its .venv, else this one)")
    args = p.parse_args(argv)
    if args.per_block is None:
        args.per_block = BIG_PER_BLOCK if args.logs >= BIG_LOGS else DEFAULT_PER_BLOCK
    if args.spacing is None:
        args.spacing = BIG_SPACING if args.logs >= BIG_LOGS else DEFAULT_SPACING
    if args.chunk_blocks is None:
        args.chunk_blocks = max(1, LOGS_PER_REQUEST * args.spacing // args.per_block)
    for name in ("logs", "per_block", "spacing", "chunk_blocks", "concurrency", "repeat"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    args.raw = args.raw or list(DEFAULT_RAW)
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
    beside = (args.auditor.parent if args.auditor else REPO / ".venv" / "bin") / "python"
    return beside if beside.exists() else Path(sys.executable)


def auditor_cmd(args: argparse.Namespace) -> list[str]:
    """The auditor as a whole process: the given executable, else this checkout's package (AUDITOR_ENV)."""
    return [str(args.auditor)] if args.auditor else [str(auditor_python(args)), "-m", "auditor"]


AUDITOR_ENV = {**os.environ, "PYTHONPATH": str(REPO)}   # this checkout's auditor, whatever the venv installed


def startup_seconds(python: Path, module: str, work: Path) -> float:
    """Interpreter start plus importing the tool: a fixed cost inside each subprocess's wall time."""
    return run_timed([str(python), "-c", f"import {module}"], work, "startup", env=AUDITOR_ENV).seconds


def median_row(name: str, tool: str, runs: list[Timed], logs: int, checks: list[Check], note: str = "") -> Row:
    """The row of a tool's runs: the median one, or the failed one; the first wrong check, else the first. A peer
    whose runs only sometimes fail (cryo 0.3.2 may crash at exit, its rows written) keeps the median of the others,
    the crash noted; any failed auditor run is the row."""
    failed = [t for t in runs if t.returncode != 0]
    ok = [t for t in runs if t.returncode == 0]
    check = next((c for c in checks if not c.ok), checks[0] if checks else None)
    if failed and (not ok or tool == "auditor"):
        return Row(name, failed[0], logs, check, f"FAILED (exit {failed[0].returncode}): "
                   f"{one_line(failed[0].stderr)}", runs=[t.seconds for t in runs], tool=tool)
    if failed:
        note = (f"{note} {len(failed)} of {len(runs)} runs crashed (exit {failed[0].returncode}): "
                f"{one_line(failed[0].stderr)}; the median of the other {len(ok)}").strip()
    return Row(name, median_run(ok), logs, check, note, runs=[t.seconds for t in ok], tool=tool)


def measure_chain(args: argparse.Namespace, work: Path, results: dict[str, Any]) -> tuple[list[Row], Planted]:
    """Plants the logs and runs the tools one after the other on one node (raw, cryo and the auditor in
    interleaved rounds, so a change of load hits them alike; ethereum-etl after); the node is stopped on the
    way out."""
    layout = Layout(args.logs, args.per_block, args.spacing)
    rows: list[Row] = []
    etl_version = cryo_version = None
    if not args.skip_etl:
        try:
            etl_version = etl.ensure_venv()
        except (OSError, RuntimeError) as exc:
            rows.append(Row("ethereum-etl", None, note=f"FAILED to install: {exc}"))
    if not args.skip_cryo:
        try:
            cryo_version = cryo_leg.ensure_venv()
        except (OSError, RuntimeError) as exc:
            rows.append(Row("cryo", None, note=f"FAILED to install: {exc}"))
    with Anvil(CHAIN_ID, 0, genesis_time(layout), work / "anvil.log", quiet=True, keep_history=False) as node:
        url, pid = node.url, node.pid
        print(f"planting {layout.logs:,} logs: {layout.per_block} per block, one such block every "
              f"{layout.spacing} blocks ({layout.total_blocks:,} blocks)...", flush=True)
        planted = plant(url, layout)
        print(f"planted in {planted.seconds:.1f}s; blocks {planted.first_block:,}..{planted.last_block:,}", flush=True)
        raw: dict[str, list[Timed]] = {parser: [] for parser in args.raw}
        cryo: list[Timed] = []
        cryo_checks: list[Check] = []
        audit: list[Timed] = []
        audit_checks: list[Check] = []
        for n in range(1, args.repeat + 1):
            for parser in args.raw:
                raw[parser].append(raw_timed(url, EMITTER, TRANSFER_TOPIC, planted.first_block, planted.last_block,
                                             args.chunk_blocks, args.concurrency, parser, work, f"raw-{parser}-{n}",
                                             pid))
            if cryo_version:
                timed, folder = cryo_leg.freeze_logs(url, EMITTER, TRANSFER_SIGNATURE, planted.first_block,
                                                     planted.last_block, args.chunk_blocks, args.concurrency, work,
                                                     f"cryo-{n}", pid)
                cryo.append(timed)
                if timed.returncode == 0:
                    cryo_checks.append(check_cryo(folder, planted))
                shutil.rmtree(folder, ignore_errors=True)
            db = work / f"bench-{n}.duckdb"
            timed = run_timed([*auditor_cmd(args), *auditor_index_cmd(args, url, db, planted)], work,
                              f"auditor-{n}", env=AUDITOR_ENV, node_pid=pid)
            audit.append(timed)
            if timed.returncode == 0:
                audit_checks.append(check_auditor(db, planted))
            db.unlink(missing_ok=True)
            print(f"round {n}: " + ", ".join(
                [f"raw {p} {raw[p][-1].seconds:.2f}s" for p in args.raw]
                + ([f"cryo {cryo[-1].seconds:.2f}s"] if cryo else []) + [f"auditor {audit[-1].seconds:.2f}s"]),
                flush=True)
        for parser in args.raw:
            wrong = [t.extra["logs"] for t in raw[parser] if t.extra["logs"] != layout.logs]
            note = f"MISMATCH: {wrong[0]:,} logs returned" if wrong else ""
            label = "no parse" if parser == "none" else f"{parser}.loads"
            rows.append(median_row(f"raw eth_getLogs + {label}", f"raw-{parser}", raw[parser], layout.logs, [],
                                   note))
        if cryo:
            rows.append(median_row(f"cryo.freeze logs (decoded, Parquet; -c {args.concurrency})", "cryo", cryo,
                                   layout.logs, cryo_checks))
        rows.append(median_row(f"auditor index (-c {args.concurrency}, {args.chunk_blocks:,}-block chunks)",
                               "auditor", audit, layout.logs, audit_checks))
        if etl_version:
            for batch, workers in args.etl_runs:
                timed, csv = etl.export_token_transfers(url, EMITTER, planted.first_block, planted.last_block,
                                                        batch, workers, work, pid)
                check = check_etl(csv, planted) if timed.returncode == 0 else None
                note = "" if timed.returncode == 0 else f"FAILED (exit {timed.returncode}): {one_line(timed.stderr)}"
                rows.append(Row(f"ethereum-etl -b {batch} -w {workers}", timed, layout.logs, check, note,
                                tool="etl"))
                print(f"ethereum-etl -b {batch} -w {workers}: {timed.seconds:.2f}s", flush=True)
        last = audit[-1]
        results["auditor_summary"] = last.stderr.strip().splitlines()[-1:] if last.stderr.strip() else []
        if args.profile:
            profile_auditor(args, url, work / "profile.duckdb", planted, results)
    results["etl_version"] = etl_version
    results["cryo_version"] = cryo_version
    return rows, planted


def profile_auditor(args: argparse.Namespace, url: str, db: Path, planted: Planted, results: dict[str, Any]) -> None:
    """The same auditor run under cProfile (slower, so not the measured one); prints the top functions."""
    cmd = [str(auditor_python(args)), "-m", "cProfile", "-o", str(args.profile), "-m", "auditor",
           *auditor_index_cmd(args, url, db, planted)]
    timed = run_timed(cmd, db.parent, "auditor-profile", env=AUDITOR_ENV)
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
        timed = run_timed([*auditor_cmd(args), *cmd], work, name.split()[1], env=AUDITOR_ENV)
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


def _cpu(t: Timed | None) -> str:
    if t is None or t.user is None or t.system is None:
        return "-"
    return f"{t.user:.2f}+{t.system:.2f}"


def ratios(rows: list[Row]) -> list[tuple[str, float]]:
    """The auditor's logs/s over each other tool's (above 1: the auditor is faster)."""
    auditor = next((r for r in rows if r.tool == "auditor"), None)
    if auditor is None or not auditor.rate:
        return []
    return [(other.name, auditor.rate / other.rate) for other in rows
            if other is not auditor and other.rate and other.tool]


def render(rows: list[Row], demo: list[Row], planted: Planted, results: dict[str, Any],
           machine: dict[str, str], args: argparse.Namespace) -> str:
    """The result table (wall, rate, CPU of the tool and of the node, peak RSS, load), ratios, the machine."""
    lines = [f"{planted.layout.logs:,} Transfer logs in blocks {planted.first_block:,}..{planted.last_block:,} "
             f"({planted.layout.per_block} logs in one tx every {planted.layout.spacing} blocks, planted in "
             f"{planted.seconds:.0f}s); eth_getLogs chunks of {args.chunk_blocks:,} blocks, {args.concurrency} in "
             "flight; each tool a whole process", ""]
    header = (f"{'measurement':<50} {'wall s':>7} {'logs/s':>9} {'CPU usr+sys':>12} {'node CPU':>8} "
              f"{'peak RSS':>9} {'load':>5}  rows")
    lines += [header, "-" * len(header)]
    for r in rows + demo:
        t = r.timed
        rss = t.max_rss_kib / 1024 if t and t.max_rss_kib else None
        rss_txt = "-" if rss is None else f"{rss:,.0f} MiB"
        runs = f"(median of {', '.join(f'{x:.2f}' for x in sorted(r.runs))} s)" if len(r.runs) > 1 else ""
        lines.append(f"{r.name:<50} {_fmt(t.seconds if t else None, '.2f'):>7} {_fmt(r.rate, ',.0f'):>9} "
                     f"{_cpu(t):>12} {_fmt(t.node_cpu if t else None, '.2f'):>8} {rss_txt:>9} "
                     f"{_fmt(t.load if t else None, '.2f'):>5}  "
                     + " ".join(x for x in (r.check.describe() if r.check else "", r.note, runs) if x))
    found = ratios(rows)
    if found:
        lines.append("")
        lines += [f"auditor / {name:<52} {ratio:6.2f}x" for name, ratio in found]
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
                     "other work shared the CPU; 'load' per row: at the start of its median run)")
    for key in ("cryo_version", "etl_version"):
        if results.get(key):
            lines.append(f"{key.split('_')[0]:<15} {results[key]}")
    if "profile" in results:
        lines += ["", f"cProfile of one more auditor run ({results['profile']['seconds']:.1f}s under the profiler; "
                      f"stats in {results['profile']['file']}):", results["profile"]["text"].rstrip()]
    return "\n".join(lines)


def to_json(rows: list[Row], demo: list[Row], planted: Planted, results: dict[str, Any],
            machine: dict[str, str]) -> dict[str, Any]:
    def row(r: Row) -> dict[str, Any]:
        t = r.timed
        return {"name": r.name, "tool": r.tool, "seconds": t.seconds if t else None, "logs_per_s": r.rate,
                "user_s": t.user if t else None, "system_s": t.system if t else None,
                "node_cpu_s": t.node_cpu if t else None, "load_1min": t.load if t else None,
                "peak_rss_mib": t.max_rss_kib / 1024 if t and t.max_rss_kib else None,
                "rows_ok": r.check.ok if r.check else None, "note": r.note, "runs_seconds": r.runs or None}
    return {"logs": planted.layout.logs, "blocks": [planted.first_block, planted.last_block],
            "per_block": planted.layout.per_block, "spacing": planted.layout.spacing,
            "plant_seconds": planted.seconds, "rows": [row(r) for r in rows + demo], "machine": machine,
            "ratios": dict(ratios(rows)),
            "startup_seconds": results.get("startup"), "auditor_summary": results.get("auditor_summary"),
            "etl_version": results.get("etl_version"), "cryo_version": results.get("cryo_version"),
            "load_average_1min": results.get("load")}


def exit_status(rows: list[Row], demo: list[Row]) -> int:
    auditor = [r for r in rows if r.tool == "auditor"]
    if not auditor or auditor[0].check is None or not auditor[0].check.ok:
        return 1
    others = [r for r in rows + demo if r not in auditor]
    if any(r.note.startswith(("FAILED", "MISMATCH")) or " crashed (exit" in r.note or (r.check and not r.check.ok)
           for r in others):
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the node and the temporary directory are cleaned up.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if args.auditor and not args.auditor.exists():
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
        if results.get("cryo_version"):
            results["startup"]["cryo"] = startup_seconds(cryo_leg.python(), "cryo", work)
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
