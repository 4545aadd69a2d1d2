"""The `auditor` command line: parse arguments into typed values, call the library, render the result.

The only module that imports typer. Library errors (AuditorError) become one-line `error: ...` messages
here, at the edge; `--debug` anywhere on the command line shows the traceback instead.
"""

from __future__ import annotations

import csv
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.text import Text
from typer.exceptions import Abort, Exit, TyperException

from auditor import defaults, terminal
from auditor.errors import AuditorError, InputError, Interrupted

if TYPE_CHECKING:  # commands import what they need when they run: `--help` stays quick
    from collections.abc import Iterator

    from auditor.sqlfile import Table
    from auditor.sync import ChainSummary

app = typer.Typer(
    name="auditor",
    help="Audit decentralized GPU rental marketplaces on-chain: who rents how many H100-equivalent hours "
         "without KYC. Add --debug anywhere for a traceback on errors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB database file.", dir_okay=False)]
_out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 240)
_err = Console(stderr=True, soft_wrap=True)


def _render(table: Table, null: str = "") -> None:
    """A table view; every value and header goes through auditor.terminal: shown as text, never as markup or
    escapes. (csv and json output stream: _stream.)"""
    _out.print(terminal.rich_table(table, null))


def _say(message: str) -> None:
    """A status line on stderr: plain text (provider notes and chain names are not ours), URLs redacted."""
    _err.print(Text(terminal.line(message)), highlight=False, markup=False)


def _echo(value: object) -> None:
    """A value (a path) on stdout, alone on its line for scripts."""
    typer.echo(terminal.plain(value))


def _version(value: bool) -> None:
    if value:
        from auditor import __version__

        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
          version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Audit decentralized GPU rental marketplaces on-chain."""


@app.command()
def index(
    db: DbOption,
    rpc: Annotated[list[str] | None, typer.Option("--rpc", help="JSON-RPC URL (http/https); repeat for several "
                                                                "chains. Shown only as scheme://host/….")] = None,
    rpc_file: Annotated[Path | None, typer.Option(
        help="File of RPC URLs (one or more a line, # comments), yours with mode 0600 or stricter; used with "
             "--rpc. AUDITOR_RPC_URLS is read when neither is given.", dir_okay=False)] = None,
    from_block: Annotated[int | None, typer.Option(help="First block (default: each contract's deployment).")] = None,
    to_block: Annotated[int | None, typer.Option(help="Last block (default: head minus --confirmations).")] = None,
    marketplace: Annotated[list[str] | None, typer.Option("--marketplace", help="Only this marketplace; "
                                                          "repeatable (see `auditor marketplaces`).")] = None,
    confirmations: Annotated[int | None, typer.Option(help="Blocks to stay behind the head "
                                                            "(default per chain: Arbitrum 40, Base 30).")] = None,
    concurrency: Annotated[int, typer.Option(help="Requests in flight per chain.")] = defaults.CONCURRENCY,
    chunk_blocks: Annotated[int, typer.Option(help="Blocks per eth_getLogs request (halved when refused).")]
    = defaults.CHUNK_BLOCKS,
    contract: Annotated[str | None, typer.Option(help="Ad-hoc source: any contract address (with --event).")] = None,
    event: Annotated[str | None, typer.Option(help='Ad-hoc source: event signature, e.g. "Transfer(address '
                                                   'indexed from, address indexed to, uint256 value)".')] = None,
    funding: Annotated[bool, typer.Option(help="Also find the first funder of every buyer, funding trees and "
                                               "native-coin transfers.")] = True,
    native_method: Annotated[str, typer.Option(
        help="How native-coin transfers are found: auto (trace_filter where the node serves it over the whole "
             "window, else state bisection), trace, ots (Otterscan's API, fast on an Erigon node) or bisect.")]
    = "auto",
    dry_run: Annotated[bool, typer.Option(help="Print the plan (sources, block windows, what is covered and "
                                               "missing) and write nothing.")] = False,
    retry_for: Annotated[float, typer.Option(
        metavar="SECONDS", help="Seconds one RPC request may spend on retries (timeouts, 5xx, 429) over all "
                                "endpoints of a chain before the run stops with its error.")]
    = defaults.RETRY_FOR_S,
) -> None:
    """Index marketplace events (and buyers' funding) from each RPC's chain into the database."""
    from auditor.interrupt import run_interruptible
    from auditor.progress import Tally, make_progress
    from auditor.sync import AdhocEvent, IndexRequest, run_index

    if (contract is None) != (event is None):
        raise InputError("--contract and --event go together")
    from auditor.rpc.urls import resolve_rpc_urls

    req = IndexRequest(rpc_urls=resolve_rpc_urls(rpc or [], rpc_file), db_path=db, retry_for=retry_for,
                       from_block=from_block, to_block=to_block,
                       marketplaces=tuple(marketplace or ()), confirmations=confirmations,
                       concurrency=concurrency, chunk_blocks=chunk_blocks,
                       adhoc=AdhocEvent(contract, event) if contract and event else None, funding=funding,
                       native_method=native_method)
    if dry_run:
        from auditor.sync.dryrun import plan_index, plan_tables

        for table in plan_tables(run_interruptible(plan_index(req), lambda: "nothing written (dry run)")):
            _render(table)
        return
    progress = Tally(make_progress())
    try:
        summaries = run_interruptible(run_index(req, progress), progress.committed)
    finally:
        progress.close()
    for s in summaries:
        _say(f"{s.name} ({s.chain_id}) via {s.rpc_host}: indexed to block {s.to_block} (head {s.head}); "
                   f"{s.logs} logs in {s.ranges} ranges ({s.splits} splits after {s.refusals} refusals), "
                   f"{s.rows} rows written, {s.funding_checked} buyers' funding checked"
                   + "".join(f", {n} {step}s looked up" for step, n in s.looked_up.items())
                   + (f", {s.native_scanned} addresses scanned for native transfers by {s.native_method} "
                      f"({s.native_rows} transfers, {s.native_hubs} hubs)" if s.native_method else "")
                   + f"; {s.rpc_calls} RPC calls, "
                   f"{s.retries} retries ({s.rate_limited} rate-limited)"
             + (f"; reorg: rolled back {s.reorg_depth} blocks and re-indexed" if s.reorg_depth else ""))
        for note in [*s.notes, *_untraced(s)]:
            _say(f"  note: {note}")


def _untraced(s: ChainSummary) -> list[str]:
    """What enrichment could not do on this chain, and why (retried on the next run)."""
    notes = []
    if s.no_archive:
        notes.append(f"{s.no_archive} buyers' first funding could not be traced: the node serves state from "
                     f"block {s.state_from} on only (an archive node traces them; they are tried again next run)")
    return notes + [text for f in s.failures.values() if (text := f.summary())]


@app.command()
def analyze(
    db: DbOption,
    max_funder_fanout: Annotated[int | None, typer.Option(
        help="Also treat a funder of more buyers than this as a service (default: no cap; exchanges, relayers "
             "and faucets are found by behaviour, and a private funder of hundreds of wallets is one entity).",
        show_default=False)] = defaults.MAX_FUNDER_FANOUT,
    h100_hour_usd: Annotated[str | None, typer.Option(
        metavar="LOW,CENTRAL,HIGH",
        help="USD price of one H100-hour, to turn payments into H100e-hours "
             "(default: the shipped marketplace prices 2025-26 with their sources, "
             "see `auditor sql \"FROM h100_hour_prices\"`).")]
    = None,
    max_price_age: Annotated[int, typer.Option(metavar="HOURS", help="Ignore token prices older than this "
                                                                     "when valuing a payment.")]
    = defaults.MAX_PRICE_AGE_HOURS,
    clustering: Annotated[str, typer.Option(
        metavar="strict|loose",
        help="strict: merge on one strong signal (a private first funder, deposit-address reuse, a "
             "self-authorization spent) or two weaker ones agreeing; loose: on any one heuristic (finds more, "
             "merges more strangers). Both are kept in address_clusters.")]
    = defaults.CLUSTERING,
    max_entity_size: Annotated[int, typer.Option(
        help="An entity with more addresses is flagged, not merged (a giant component means a bad edge).")]
    = defaults.MAX_ENTITY_SIZE,
    max_gpus_per_rental: Annotated[int, typer.Option(
        help="A rental with more GPUs is kept but flagged implausible and left out of every H100e and USD "
             "figure (see rental_flags).")]
    = defaults.MAX_GPUS_PER_RENTAL,
) -> None:
    """Rebuild rentals, clusters with evidence, and H100-equivalent estimates from what is indexed."""
    from auditor.analyze import AnalyzeOptions, parse_h100_hour_price, run_analysis
    from auditor.store.db import open_db

    options = AnalyzeOptions(max_funder_fanout=max_funder_fanout, max_price_age_hours=max_price_age,
                             h100_hour_price=parse_h100_hour_price(h100_hour_usd) if h100_hour_usd else None,
                             clustering=clustering, max_entity_size=max_entity_size,
                             max_gpus_per_rental=max_gpus_per_rental)
    with open_db(db) as con:
        steps = run_analysis(con, options)
        counts = con.execute("SELECT (SELECT count(*) FROM rentals), (SELECT count(DISTINCT cluster_id) "
                             "FROM address_clusters WHERE role = 'buyer'), (SELECT count(*) FROM cluster_evidence)"
                             ).fetchone()
    assert counts is not None
    _say(f"analyzed in {sum(s.seconds for s in steps):.2f}s: {counts[0]} rentals, {counts[1]} entities, "
         f"{counts[2]} evidence rows")


@app.command()
def report(
    db: DbOption,
    week: Annotated[str, typer.Option(
        help="ISO week YYYY-Www, or 'last': the latest week whose end the indexed marketplace data of every "
             "chain has reached (run on Monday after indexing: the week that just ended). A week the indexed "
             "data does not reach is an error.")],
    out: Annotated[Path, typer.Option(help="Directory; the report goes to OUT/YYYY-Www/.", file_okay=False)]
    = Path(defaults.REPORT_DIR),
    max_age: Annotated[float | None, typer.Option(
        "--max-age", metavar="HOURS",
        help="Exit with an error, after writing the report, when any chain's newest indexed block is older "
             "than HOURS: lets cron or systemd alert on stale data.")] = None,
) -> None:
    """Write the weekly report (report.md, report.html, CSV extracts) for one ISO week; nothing is written for
    a week the indexed data does not reach."""
    import datetime as dt

    from auditor.report import ensure_fresh, resolve_week, write_weekly_report
    from auditor.store.db import open_db

    if max_age is not None and max_age <= 0:
        raise InputError("--max-age must be a positive number of hours")
    with open_db(db, read_only=True) as con:
        path = write_weekly_report(con, resolve_week(con, week), out)
        _echo(path / "report.html")
        if max_age is not None:
            ensure_fresh(con, dt.timedelta(hours=max_age), dt.datetime.now(dt.UTC))


@app.command()
def check(
    rpc: Annotated[list[str], typer.Option("--rpc", help="JSON-RPC URL (http/https); repeat for several chains.")],
) -> None:
    """Check your own RPC endpoints before indexing: per chain the head, old state (archive or from which block),
    the eth_getLogs range; per registered contract its code, recent events and whether they decode. Exits 1 with
    one line per problem."""
    import asyncio

    from auditor.check import check_endpoints
    from auditor.rpc.urls import check_url

    report = asyncio.run(check_endpoints([check_url(u) for u in rpc]))
    _render(report.table())
    for problem in report.problems:
        _say(f"problem: {problem}")
    if report.problems:
        raise typer.Exit(1)


@app.command()
def sql(
    db: DbOption,
    query: Annotated[str | None, typer.Argument(help="One SQL statement (read-only); - reads it from stdin.")]
    = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", dir_okay=False,
                                              help="Read the statement from this file (- for stdin).")] = None,
    format: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    limit: Annotated[int | None, typer.Option(
        help=f"Print at most this many rows; a note says when more exist. Default: {defaults.SQL_TABLE_ROWS:,} "
             f"in the table view (at most {defaults.SQL_MAX_ROWS:,}), every row in csv and json, which are "
             "written as they come.", show_default=False)] = None,
    timeout: Annotated[float, typer.Option(metavar="SECONDS", help="Stop the query after this long.")]
    = defaults.SQL_TIMEOUT_S,
) -> None:
    """Run one read-only SQL statement on the database, in a sandbox: no files, network or extensions (use the
    DuckDB CLI for those), bounded memory and time. NULL shows as NULL in the table view, as an empty field in
    CSV and null in JSON."""
    from auditor.sqlrun import query_rows, stream_rows

    if format not in ("table", "csv", "json"):
        raise InputError("--format must be table, csv or json")
    statement = _statement(query, file)
    if format == "table":
        shown = defaults.SQL_TABLE_ROWS if limit is None else limit
        result = query_rows(db, statement, timeout, shown)
        _render(result.table, null="NULL")
        truncated = result.truncated
        more = f"raise --limit, up to {defaults.SQL_MAX_ROWS:,}, use --format csv, or narrow the query"
    else:
        shown = defaults.SQL_MAX_STREAM_ROWS if limit is None else limit
        with stream_rows(db, statement, timeout, shown) as stream:
            _stream(stream.columns, stream.types, stream.batches(), format)
            truncated = stream.truncated
        more = "raise --limit or narrow the query"
    if truncated:
        _say(f"note: only the first {shown:,} rows are shown; more exist ({more})")


def _stream(columns: tuple[str, ...], types: tuple[str, ...], batches: Iterator[list[Any]], fmt: str) -> None:
    """csv or json written batch by batch: one orjson document for json, RFC 4180 for csv."""
    out = sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([terminal.plain(c) for c in columns])
        for batch in batches:
            writer.writerows(terminal.csv_rows(types, batch))
        return
    first = True
    for batch in batches:
        for record in terminal.json_records(columns, types, batch):
            text = orjson.dumps(record, default=terminal.json_default, option=orjson.OPT_INDENT_2).decode()
            out.write(("[\n" if first else ",\n") + "  " + text.replace("\n", "\n  "))
            first = False
    out.write("[]\n" if first else "\n]\n")


def _statement(query: str | None, file: Path | None) -> str:
    """The SQL from the argument, a file or stdin (`-`): exactly one source."""
    if (query is None) == (file is None):
        raise InputError("give the SQL as an argument or with --file (one of them)")
    if file is None:
        return sys.stdin.read() if query == "-" else str(query)
    if str(file) == "-":
        return sys.stdin.read()
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read SQL file {terminal.plain(file)}: {type(exc).__name__}") from None


@app.command()
def export(
    db: DbOption,
    out: Annotated[Path, typer.Option(help="A new (or empty) directory for the files and schema.json.",
                                      file_okay=False)],
    format: Annotated[str, typer.Option("--format", help="parquet (hive-partitioned) or csv.")] = "parquet",
) -> None:
    """Write the analysis tables (rentals, entities, clusters, evidence, weekly figures, GPU specs, runs) as
    Parquet partitioned by marketplace and week, or CSV, with schema.json, for pandas, polars, Spark or R."""
    from auditor.export import export_tables
    from auditor.store.db import open_db

    with open_db(db, read_only=True) as con:
        done = export_tables(con, out, format)
    _say(f"exported {len(done)} tables ({sum(d.rows for d in done):,} rows) to {out}")


prices_app = typer.Typer(help="USD prices for tokens without an on-chain feed.", no_args_is_help=True)
app.add_typer(prices_app, name="prices")


@prices_app.command("import")
def prices_import(
    csv_file: Annotated[Path, typer.Argument(metavar="CSV", help="A file with header asset,time,usd.")],
    db: DbOption,
) -> None:
    """Import USD prices for tokens without an on-chain feed (RLC, MOR, SWAN, ALEPH, GLM)."""
    from auditor.prices.imports import import_prices
    from auditor.store.db import open_db

    with open_db(db) as con:
        loaded = import_prices(con, csv_file)
    _say(f"imported {loaded} prices from {csv_file.name}; run `auditor analyze` to apply them")


labels_app = typer.Typer(help="Service addresses (exchanges, bridges) that must never merge entities.",
                         no_args_is_help=True)
app.add_typer(labels_app, name="labels")


@labels_app.command("import")
def labels_import(
    csv_file: Annotated[Path, typer.Argument(metavar="CSV",
                                             help="A file with header chain_id,address,category,label,source.")],
    db: DbOption,
) -> None:
    """Import your own service-address labels, added to the shipped list (see `FROM service_labels`)."""
    from auditor.labels import import_labels
    from auditor.store.db import open_db

    with open_db(db) as con:
        loaded = import_labels(con, csv_file)
    _say(f"imported {loaded} labels from {csv_file.name}; run `auditor analyze` to apply them")


@app.command()
def marketplaces() -> None:
    """List supported marketplaces: chain, contracts, events, how hours are estimated, KYC."""
    from auditor.status import marketplace_tables

    for table in marketplace_tables():
        _render(table)


@app.command()
def status(db: DbOption) -> None:
    """Cursors per chain and source, row counts, how far behind the head."""
    from auditor.status import status_tables
    from auditor.store.db import open_db

    with open_db(db, read_only=True) as con:
        tables = status_tables(con)
    for table in tables:
        _render(table)


@app.command()
def demo(
    db: DbOption = Path(defaults.DEMO_DB),
    out: Annotated[Path, typer.Option(help="Report directory.", file_okay=False)] = Path(defaults.DEMO_REPORT_DIR),
) -> None:
    """Run everything on a local anvil devnet with a simulated economy: index, analyze, report."""
    from auditor.demo import run_demo
    from auditor.progress import make_progress

    progress = make_progress()
    try:
        result = run_demo(db, out, progress)
    finally:
        progress.close()
    _say(f"demo done in {result.seconds:.1f}s: {result.rentals} rentals, {result.entities} entities")
    _echo(f"database: {result.db_path}")
    _echo(f"report:   {result.report_dir / 'report.html'} (week {result.week})")


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the app, turning errors into one line and an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("AUDITOR_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    code = 0
    signal.signal(signal.SIGTERM, _terminated)
    try:
        returned = app(args=args, prog_name="auditor", standalone_mode=False)
        if isinstance(returned, int) and returned:  # typer returns 130 for a KeyboardInterrupt it caught
            code = returned
            if code == 130:
                print("interrupted", file=sys.stderr)
    except Exit as exc:
        code = exc.exit_code
    except Abort:
        code = 130
    except TyperException as exc:  # usage errors: unknown option, bad value, missing option
        if type(exc).__name__ == "NoArgsIsHelpError":
            print(exc.format_message())
            sys.exit(0)
        if debug:
            traceback.print_exc()
        ctx = getattr(exc, "ctx", None)
        hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
        print(f"error: {_one_line(exc.format_message())}{hint}", file=sys.stderr)
        code = exc.exit_code
    except Interrupted as exc:
        if debug:
            traceback.print_exc()
        print(_one_line(exc), file=sys.stderr)
        code = exc.exit_code
    except AuditorError as exc:
        if debug:
            traceback.print_exc()
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        code = 130
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(f"error: unexpected {type(exc).__name__}: {_one_line(exc)} (run with --debug for the traceback)",
              file=sys.stderr)
        code = 70
    if argv is None:
        _exit(code)
    sys.exit(code)


def _exit(code: int) -> None:
    """The process's end once the command is done (files closed, output written): flushed, then os._exit, not
    the interpreter's teardown, whose collection of every module's objects cost a run 0.2-0.3 s of CPU."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _terminated(signum: int, _frame: object) -> None:
    raise Interrupted("interrupted by SIGTERM", signum)


def _one_line(exc: BaseException | str) -> str:
    """Every error printed goes through here: one line, cleaned, URLs redacted (a provider's redirect error
    quotes the keyed URL it was sent to)."""
    text = terminal.error_line(str(exc))
    return text if text else type(exc).__name__


