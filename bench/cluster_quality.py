"""Clustering quality over economy families: the minimum over families x seeds, not one flattering devnet.

Run on purpose: `.venv/bin/python bench/cluster_quality.py [--families mixed,native] [--seeds 5] [--jobs 2]
[--csv out.csv]`. For each family and seed it plans the economy (auditor/devnet/families), plays it on real
anvil nodes, runs the real pipeline in-process (index with funding discovery, import the devnet's labels, then
analyze) into a DuckDB file, reads address_clusters (strict_cluster_id and loose_cluster_id) and scores the buyer
wallets with auditor/devnet/quality.py: precision against full ownership, recall against the linkable partition
(an entity split into the groups its planted links connect; wallets sharing no link cannot be found by any
method), and recall against full ownership for information. Prints per family and mode the seeds, min and
median of each figure, then the overall minimum; writes one CSV row per family x seed x mode.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.analyze import run_analysis
from auditor.devnet import start_economy
from auditor.devnet.families import FAMILIES, FamilyParams, plan_family
from auditor.devnet.families.linktruth import family_truth, label_writer, load_family_truth
from auditor.devnet.quality import LinkableScores, score_linkable
from auditor.labels import import_labels
from auditor.store.db import open_db
from auditor.sync import IndexRequest, run_index

# Each economy is analysed twice from one index: with the devnet's label list imported (as a user with a label
# list runs it) and without any label, where exchanges and relayers must be found by what they do.
MODES = ("strict", "loose", "strict/unlabelled", "loose/unlabelled")
FIGURES = ("pairwise_precision", "pairwise_recall", "bcubed_precision", "bcubed_recall", "ownership_recall")


@dataclass(frozen=True)
class Result:
    family: str
    seed: int
    mode: str
    wallets: int
    owners: int
    groups: int
    scores: LinkableScores
    seconds: dict[str, float]

    def figures(self) -> dict[str, float]:
        s = self.scores
        return {"pairwise_precision": s.precision, "pairwise_recall": s.recall,
                "bcubed_precision": s.bcubed_precision, "bcubed_recall": s.bcubed_recall,
                "ownership_recall": s.ownership.recall}


def clusters(con: duckdb.DuckDBPyConnection, suffix: str = "") -> dict[str, dict[str, str]]:
    """address -> cluster id per mode, from one analyze's address_clusters."""
    rows = con.execute("SELECT address, strict_cluster_id, loose_cluster_id FROM address_clusters").fetchall()
    return {"strict" + suffix: {a: s for a, s, _ in rows}, "loose" + suffix: {a: loose for a, _, loose in rows}}


def run_one(family: str, seed: int, workdir: Path, reanalyze: bool = False,
            overrides: tuple[tuple[str, object], ...] = ()) -> list[Result]:
    """Plans, plays, indexes, analyses and scores one economy; with `reanalyze`, analyses and scores the one an
    earlier run kept in `workdir` (an analysis change needs no new index)."""
    t0 = time.perf_counter()
    db = workdir / "audit.duckdb"
    if reanalyze:
        truth_path, labels_path = workdir / "ground_truth.json", workdir / "labels.csv"
        if not (db.is_file() and truth_path.is_file() and labels_path.is_file()):
            raise SystemExit(f"--reanalyze: no kept economy in {workdir} (run once with --workdir first)")
        t1 = t2 = t3 = time.perf_counter()
    else:
        fam = plan_family(family, seed, replace(FAMILIES[family], **dict(overrides)))
        t1 = time.perf_counter()
        with start_economy(workdir, fam.economy, family_truth(fam), label_writer(fam)) as net:
            t2 = time.perf_counter()
            asyncio.run(run_index(IndexRequest(rpc_urls=tuple(net.urls[c] for c in sorted(net.urls)), db_path=db,
                                               confirmations=0)))
            t3 = time.perf_counter()
            truth_path, labels_path = net.truth_path, net.labels_path
    with open_db(db) as con:
        con.execute("DELETE FROM user_labels")
        import_labels(con, labels_path)
        run_analysis(con)
        t4 = time.perf_counter()
        found = clusters(con)
        con.execute("DELETE FROM user_labels")
        run_analysis(con)
        found |= clusters(con, "/unlabelled")
    truth = load_family_truth(truth_path)
    seconds = {"plan": t1 - t0, "play": t2 - t1, "index": t3 - t2, "analyze": t4 - t3, "total": t4 - t0}
    return [Result(family, seed, mode, len(truth.owners), len(set(truth.owners.values())),
                   len(set(truth.linkable.values())), score_linkable(found[mode], truth.owners, truth.linkable),
                   seconds) for mode in MODES]


def _job(args: tuple[str, int, str, bool, tuple[tuple[str, object], ...]]) -> list[Result]:
    family, seed, root, reanalyze, overrides = args
    return run_one(family, seed, Path(root) / f"{family}-{seed}", reanalyze, overrides)


def parse_override(text: str) -> tuple[str, object]:
    """`name=value` of a FamilyParams field, the value in the field's own type."""
    name, _, value = text.partition("=")
    fields = {f.name: f for f in dataclasses.fields(FamilyParams)
              if isinstance(getattr(FamilyParams(), f.name), int | float | bool)}
    if name not in fields or not value:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE with NAME one of {', '.join(fields)}")
    kind = type(getattr(FamilyParams(), name))
    try:
        return name, (value.lower() in ("1", "true", "yes") if kind is bool else kind(value))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{name}: {exc}") from exc


def table(results: list[Result]) -> str:
    head = (f"{'family':<10} {'mode':<17} {'seeds':>5}  " + "  ".join(f"{f.replace('_', ' '):>22}" for f in FIGURES)
            + f"  {'s/economy':>9}")
    lines = [head, " " * 36 + "  ".join(f"{'min / median':>22}" for _ in FIGURES), "-" * len(head)]
    for family in dict.fromkeys(r.family for r in results):
        for mode in MODES:
            rows = [r for r in results if r.family == family and r.mode == mode]
            cells = []
            for f in FIGURES:
                values = [r.figures()[f] for r in rows]
                cells.append(f"{min(values):.3f} / {statistics.median(values):.3f}".rjust(22))
            secs = statistics.median(r.seconds["total"] for r in rows)
            lines.append(f"{family:<10} {mode:<17} {len(rows):>5}  " + "  ".join(cells) + f"  {secs:>9.1f}")
    for mode in MODES:
        rows = [r for r in results if r.mode == mode]
        worst = {f: min(rows, key=lambda r, f=f: r.figures()[f]) for f in FIGURES}
        lines.append(f"{'MINIMUM':<10} {mode:<17} {len(rows):>5}  " + "  ".join(
            f"{worst[f].figures()[f]:.3f} ({worst[f].family} {worst[f].seed})".rjust(22) for f in FIGURES))
    return "\n".join(lines)


def write_csv(path: Path, results: list[Result]) -> None:
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["family", "seed", "mode", "wallets", "owners", "linkable_groups", *FIGURES,
                      "plan_s", "play_s", "index_s", "analyze_s", "total_s"])
        for r in results:
            out.writerow([r.family, r.seed, r.mode, r.wallets, r.owners, r.groups,
                          *(f"{r.figures()[f]:.4f}" for f in FIGURES),
                          *(f"{r.seconds[k]:.2f}" for k in ("plan", "play", "index", "analyze", "total"))])


def publish(path: Path, results: list[Result], families: list[str], seeds: int) -> None:
    """The minimum of each figure per mode over every family x seed, with what was measured and when."""
    with path.open("w", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["mode", *FIGURES, "families", "seeds", "economies", "measured"])
        for mode in MODES:
            rows = [r for r in results if r.mode == mode]
            out.writerow([mode, *(f"{min(r.figures()[f] for r in rows):.3f}" for f in FIGURES), len(families), seeds,
                          len(rows), time.strftime("%Y-%m-%d", time.gmtime())])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES), help=f"comma-separated, of {', '.join(FAMILIES)}")
    parser.add_argument("--seeds", type=int, default=5, help="seeds 1..N per family")
    parser.add_argument("--jobs", type=int, default=1, help="economies at once (each runs its own anvil nodes)")
    parser.add_argument("--csv", type=Path, default=Path("cluster_quality.csv"))
    parser.add_argument("--workdir", type=Path, help="keep the devnets and databases here")
    parser.add_argument("--set", action="append", default=[], type=parse_override, metavar="NAME=VALUE",
                        help="change a FamilyParams field in every family run (repeatable), e.g. burst_most=1")
    parser.add_argument("--reanalyze", action="store_true",
                        help="analyse and score the economies an earlier run kept in --workdir, without playing or "
                             "indexing them again (for analysis changes)")
    parser.add_argument("--publish", type=Path, help="also write the minimum per mode here, as the report quotes it "
                                                     "(auditor/data/clustering_families.csv)")
    args = parser.parse_args()
    if args.reanalyze and not args.workdir:
        parser.error("--reanalyze needs --workdir, where an earlier run kept its economies")
    families = [f.strip() for f in args.families.split(",") if f.strip()]
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown families {unknown}; known: {', '.join(FAMILIES)}")
    with tempfile.TemporaryDirectory(prefix="cluster-quality-") as tmp:
        root = args.workdir or Path(tmp)
        jobs = [(f, s, str(root), args.reanalyze, tuple(args.set)) for f in families
                for s in range(1, args.seeds + 1)]
        results: list[Result] = []
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for out in pool.map(_job, jobs):
                r = out[0]
                print(f"{r.family} seed {r.seed}: {r.wallets} wallets of {r.owners} owners in {r.groups} linkable "
                      f"groups; " + ", ".join(f"{k} {v:.1f} s" for k, v in r.seconds.items()), flush=True)
                results += out
    print("\nRecall is against the linkable partition (each entity split into the groups its planted links "
          "connect);\nprecision against full ownership; 'ownership recall' is recall against full ownership, "
          "for information.\n")
    print(table(results))
    write_csv(args.csv, results)
    print(f"\nper economy: {args.csv}")
    if args.publish:
        publish(args.publish, results, families, args.seeds)
        print(f"minimum per mode: {args.publish}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
