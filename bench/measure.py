"""Timing things: the raw eth_getLogs baseline, subprocesses with their own peak RSS, and the machine."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import duckdb
import orjson

REQUEST_TIMEOUT = 300
RSS_POLL = 0.01


@dataclass
class Timed:
    """One measured run: wall seconds, the process's peak RSS (KiB; None in-process) and what it printed."""

    seconds: float
    max_rss_kib: int | None = None
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def peak_rss_kib(pid: int) -> int | None:
    """VmHWM (peak resident set) of a live process, from /proc; None once it has exited or off Linux."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def run_timed(cmd: list[str], workdir: Path, name: str, env: dict[str, str] | None = None) -> Timed:
    """Runs a command to completion, reading its peak RSS (VmHWM) every RSS_POLL seconds. Not wait4's
    ru_maxrss: Linux carries the parent's high-water mark into a child at exec, so every child would report at
    least this benchmark's own RSS (hundreds of MiB once the expected rows are built)."""
    out_path, err_path = workdir / f"{name}.stdout", workdir / f"{name}.stderr"
    peak: int | None = None
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
    return Timed(seconds, peak, proc.returncode, out_path.read_text(errors="replace"),
                 err_path.read_text(errors="replace"))


def median_run(runs: list[Timed]) -> Timed:
    """The run of median wall time (the upper middle one for an even count)."""
    return sorted(runs, key=lambda t: t.seconds)[len(runs) // 2]


def block_chunks(first: int, last: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size - 1, last)) for start in range(first, last + 1, size)]


async def _fetch_logs(url: str, address: str, topic0: str, chunks: list[tuple[int, int]], concurrency: int,
                      loads: Callable[[bytes], Any]) -> int:
    semaphore = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(request_id: int, start: int, end: int) -> int:
            body = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "eth_getLogs",
                               "params": [{"fromBlock": hex(start), "toBlock": hex(end), "address": address,
                                           "topics": [topic0]}]})
            async with semaphore, session.post(url, data=body, headers={"Content-Type": "application/json"}) as r:
                answer = loads(await r.read())
            if "error" in answer:
                raise RuntimeError(f"eth_getLogs {start}-{end}: {answer['error']}")
            return len(answer["result"])

        counts = await asyncio.gather(*(one(i, s, e) for i, (s, e) in enumerate(chunks)))
    return sum(counts)


def raw_rate(url: str, address: str, topic0: str, first: int, last: int, chunk_blocks: int, concurrency: int,
             parser: str) -> Timed:
    """eth_getLogs over the range in chunks, `concurrency` in flight, bodies parsed by `parser` (json or
    orjson) and nothing else: the ceiling any Python indexer on this node can reach."""
    loads: Callable[[bytes], Any] = orjson.loads if parser == "orjson" else json.loads
    chunks = block_chunks(first, last, chunk_blocks)
    started = time.perf_counter()
    logs = asyncio.run(_fetch_logs(url, address, topic0, chunks, concurrency, loads))
    return Timed(time.perf_counter() - started, extra={"logs": logs, "requests": len(chunks)})


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
