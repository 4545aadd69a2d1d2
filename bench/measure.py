"""Timing things: the raw eth_getLogs baseline, subprocesses with their own peak RSS, and the machine."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import orjson

REQUEST_TIMEOUT = 300
RSS_POLL = 0.01


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Timed:
    """One measured run: wall seconds, the process's peak RSS (KiB), its user and system CPU seconds, the node's
    CPU seconds (user + system) meanwhile, the 1-minute load average at its start, and what it printed."""

    seconds: float
    max_rss_kib: int | None = None
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    user: float | None = None
    system: float | None = None
    node_cpu: float | None = None
    load: float | None = None

    @property
    def cpu(self) -> float | None:
        return None if self.user is None or self.system is None else self.user + self.system


def process_cpu(pid: int) -> float | None:
    """utime + stime of a live process in seconds, from /proc/<pid>/stat (fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def peak_rss_kib(pid: int) -> int | None:
    """VmHWM (peak resident set) of a live process, from /proc; None once it has exited or off Linux."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def run_timed(cmd: list[str], workdir: Path, name: str, env: dict[str, str] | None = None,
              node_pid: int | None = None) -> Timed:
    """Runs a command to completion, reading its peak RSS (VmHWM) every RSS_POLL seconds. Not wait4's
    ru_maxrss: Linux carries the parent's high-water mark into a child at exec, so every child would report at
    least this benchmark's own RSS (hundreds of MiB once the expected rows are built). Its CPU is the growth of
    RUSAGE_CHILDREN (one child runs at a time; the node is never reaped before the end), the node's from /proc."""
    out_path, err_path = workdir / f"{name}.stdout", workdir / f"{name}.stderr"
    peak: int | None = None
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    node_before = process_cpu(node_pid) if node_pid else None
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        try:
            while True:
                hwm = peak_rss_kib(proc.pid)
                if hwm is not None:
                    peak = max(peak or 0, hwm)
                try:
                    proc.wait(RSS_POLL)
                    break
                except subprocess.TimeoutExpired:
                    continue
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    node_after = process_cpu(node_pid) if node_pid else None
    node_cpu = None if node_before is None or node_after is None else node_after - node_before
    return Timed(seconds, peak, proc.returncode, out_path.read_text(errors="replace"),
                 err_path.read_text(errors="replace"), user=after.ru_utime - before.ru_utime,
                 system=after.ru_stime - before.ru_stime, node_cpu=node_cpu, load=load)


def median_run(runs: list[Timed]) -> Timed:
    """The run of median wall time (the upper middle one for an even count)."""
    return sorted(runs, key=lambda t: t.seconds)[len(runs) // 2]


def block_chunks(first: int, last: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size - 1, last)) for start in range(first, last + 1, size)]


async def _fetch_logs(url: str, address: str, topic0: str, chunks: list[tuple[int, int]], concurrency: int,
                      loads: Callable[[bytes], Any] | None) -> int:
    semaphore = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(request_id: int, start: int, end: int) -> int:
            body = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "eth_getLogs",
                               "params": [{"fromBlock": hex(start), "toBlock": hex(end), "address": address,
                                           "topics": [topic0]}]})
            async with semaphore, session.post(url, data=body, headers={"Content-Type": "application/json"}) as r:
                raw = await r.read()
            if loads is None:
                return raw.count(b'"logIndex"')
            answer = loads(raw)
            if "error" in answer:
                raise RuntimeError(f"eth_getLogs {start}-{end}: {answer['error']}")
            return len(answer["result"])

        counts = await asyncio.gather(*(one(i, s, e) for i, (s, e) in enumerate(chunks)))
    return sum(counts)


RAW_PARSERS: dict[str, Callable[[bytes], Any] | None] = {"none": None, "orjson": orjson.loads, "json": json.loads}


def raw_rate(url: str, address: str, topic0: str, first: int, last: int, chunk_blocks: int, concurrency: int,
             parser: str) -> int:
    """eth_getLogs over the range in chunks, `concurrency` in flight, bodies parsed by `parser` (json, orjson,
    or none: logs only counted in the bytes) and nothing else: the ceiling any Python indexer on this node can
    reach. Returns the logs seen."""
    chunks = block_chunks(first, last, chunk_blocks)
    return asyncio.run(_fetch_logs(url, address, topic0, chunks, concurrency, RAW_PARSERS[parser]))


def raw_timed(url: str, address: str, topic0: str, first: int, last: int, chunk_blocks: int, concurrency: int,
              parser: str, workdir: Path, name: str, node_pid: int | None = None) -> Timed:
    """raw_rate as a whole process (interpreter start and aiohttp's import inside its wall time, as for every
    other tool); extra["logs"] is the count it saw."""
    cmd = [sys.executable, str(Path(__file__).resolve()), url, address, topic0, str(first), str(last),
           str(chunk_blocks), str(concurrency), parser]
    timed = run_timed(cmd, workdir, name, node_pid=node_pid)
    try:
        timed.extra["logs"] = int(timed.stdout.strip() or -1)
    except ValueError:
        timed.extra["logs"] = -1
    return timed


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(anvil: Path) -> dict[str, str]:
    """What the figures depend on: cores, CPU, memory, Python, anvil, DuckDB and the checkout's commit."""
    import duckdb  # here: the raw loop runs this module as its own process and must not pay for it

    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    repo = Path(__file__).resolve().parent.parent
    commit = subprocess.run(["git", "-C", str(repo), "describe", "--always", "--dirty"], capture_output=True,
                            text=True, check=False).stdout.strip()
    anvil_version = subprocess.run([str(anvil), "--version"], capture_output=True, text=True,
                                   check=False).stdout.strip().splitlines()
    return {
        "cores": f"{os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})",
        "cpu": cpu_model(),
        "memory": f"{mem_kib / 2**20:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "anvil": anvil_version[0] if anvil_version else "unknown",
        "duckdb": duckdb.__version__,
        "auditor commit": commit or "unknown",
    }


if __name__ == "__main__":
    url_, address_, topic_, first_, last_, chunk_, concurrency_, parser_ = sys.argv[1:9]
    print(raw_rate(url_, address_, topic_, int(first_), int(last_), int(chunk_), int(concurrency_), parser_))
