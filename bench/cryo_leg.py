"""cryo (Paradigm's Rust extractor, Python bindings from PyPI) in its own virtualenv, bench/.venv-cryo, and its
`freeze("logs", ...)` over the planted range as the Rust peer: decoded Transfer logs to Parquet.

Pinned: cryo 0.3.2 is the wheel the issue measured; its own dependencies are none (polars and pandas are only
for `cryo.collect`, not used here).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from measure import Timed, run_timed

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-cryo"
MARKER = VENV / ".installed"
CRYO_VERSION = "0.3.2"

# Run inside the venv's interpreter as a whole process, so its start-up is inside the wall time as for the others.
# inner_request_size: one eth_getLogs per chunk, as the others ask (cryo's default asks block by block).
FREEZE = """
import json, sys
import cryo
a = json.loads(sys.argv[1])
cryo.freeze("logs", rpc=a["rpc"], blocks=[f"{a['first']}:{a['last'] + 1}"], contract=[a["contract"]],
            event_signature=a["signature"], output_dir=a["out"], chunk_size=a["chunk"],
            inner_request_size=a["chunk"], max_concurrent_requests=a["concurrency"],
            max_concurrent_chunks=a["concurrency"],
            u256_types=["string"], no_report=True, no_verbose=True)
"""


def python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv(base: str = sys.executable) -> str:
    """Creates bench/.venv-cryo with cryo pinned unless a previous run finished doing so; returns its version."""
    if not MARKER.exists():
        print(f"creating {VENV.relative_to(HERE.parent)} with cryo {CRYO_VERSION}", flush=True)
        for cmd in ([base, "-m", "venv", "--clear", str(VENV)],
                    [str(python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                     f"cryo=={CRYO_VERSION}"]):
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd[:4])} ... failed: {(done.stdout + done.stderr).strip()[-600:]}")
        MARKER.write_text(f"cryo=={CRYO_VERSION}\n")
    done = subprocess.run([str(python()), "-c", "import importlib.metadata as m; print(m.version('cryo'))"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"cryo does not import: {done.stderr.strip()[-300:]}")
    return f"cryo {done.stdout.strip()}"


def freeze_logs(url: str, contract: str, signature: str, first: int, last: int, chunk: int, concurrency: int,
                workdir: Path, name: str, node_pid: int | None = None) -> tuple[Timed, Path]:
    """One timed cryo run over [first, last] (cryo's ranges are end-exclusive); returns its Parquet folder."""
    out = workdir / name
    out.mkdir()
    args = {"rpc": url, "first": first, "last": last, "contract": contract, "signature": signature,
            "out": str(out), "chunk": chunk, "concurrency": concurrency}
    return run_timed([str(python()), "-c", FREEZE, json.dumps(args)], workdir, name, node_pid=node_pid), out
