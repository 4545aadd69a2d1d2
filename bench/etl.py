"""ethereum-etl in its own virtualenv (bench/.venv-etl), and its export_token_transfers as the comparison.

ethereum-etl 2.4.2 pins web3 5 and eth-abi 2, which conflict with the project's, so it never goes into the
project venv. On Python 3.11+ it crashes on import (parsimonious 0.8 uses inspect.getargspec); parsimonious 0.9.0
installed over it fixes that (pip warns about the resolver; harmless). On 3.12+ web3 5 also needs
pkg_resources, hence setuptools<81. See shared/reference/indexers.md section 3.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from eth_utils.address import to_checksum_address
from measure import Timed, run_timed

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-etl"
MARKER = VENV / ".installed"
ETL_VERSION = "2.4.2"
PINS = ["parsimonious==0.9.0"]
PINS_312 = ["setuptools<81"]


def ethereumetl() -> Path:
    return VENV / "bin" / "ethereumetl"


def _run(cmd: list[str]) -> None:
    """Runs an install step quietly (pip's expected resolver complaint included); its output only on failure."""
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed: {(done.stdout + done.stderr).strip()[-600:]}")


def ensure_venv(python: str = sys.executable) -> str:
    """Creates and fills bench/.venv-etl unless a previous run finished doing so; returns the tool's version."""
    if not MARKER.exists():
        print(f"creating {VENV.relative_to(HERE.parent)} with ethereum-etl {ETL_VERSION} (about a minute)", flush=True)
        _run([python, "-m", "venv", "--clear", str(VENV)])
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        _run([*pip, f"ethereum-etl=={ETL_VERSION}"])
        extra = PINS + (PINS_312 if sys.version_info >= (3, 12) else [])
        _run([*pip, *extra])
        MARKER.write_text(f"ethereum-etl=={ETL_VERSION} {' '.join(extra)}\n")
    done = subprocess.run([str(ethereumetl()), "--version"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ethereumetl does not start: {done.stderr.strip()[-300:]}")
    return done.stdout.strip()


def export_token_transfers(url: str, token: str, first: int, last: int, batch_size: int, workers: int,
                           workdir: Path, node_pid: int | None = None) -> tuple[Timed, Path]:
    """One timed `ethereumetl export_token_transfers` over the range, filtered to the token (web3 5 insists on
    its checksum spelling); returns the CSV."""
    name = f"etl-b{batch_size}-w{workers}"
    out = workdir / f"{name}.csv"
    cmd = [str(ethereumetl()), "export_token_transfers", "-s", str(first), "-e", str(last), "-p", url,
           "-t", to_checksum_address(token), "-b", str(batch_size), "-w", str(workers), "-o", str(out)]
    return run_timed(cmd, workdir, name, node_pid=node_pid), out
