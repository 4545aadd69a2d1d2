"""Compiles TransferEmitter.sol with solc-js (node_modules) into TransferEmitter.bin-runtime.

Run from a checkout after `make setup`: `.venv/bin/python bench/build_emitter.py`. The benchmark reads only the
.bin-runtime file, so solc is needed only when the source changes.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SOURCE = HERE / "TransferEmitter.sol"
RUNTIME = HERE / "TransferEmitter.bin-runtime"
CONTRACT = "TransferEmitter"
SETTINGS = {
    "optimizer": {"enabled": True, "runs": 200},
    "evmVersion": "cancun",
    "outputSelection": {"*": {"*": ["evm.deployedBytecode.object"]}},
}
_NODE_COMPILE = (
    "const solc = require('solc'); let input = '';"
    "process.stdin.on('data', d => { input += d; });"
    "process.stdin.on('end', () => { process.stdout.write(solc.compile(input)); });"
)


def compile_runtime() -> str:
    """The deployed (runtime) bytecode of TransferEmitter, 0x-prefixed hex."""
    request = {"language": "Solidity", "sources": {SOURCE.name: {"content": SOURCE.read_text()}},
               "settings": SETTINGS}
    done = subprocess.run(["node", "-e", _NODE_COMPILE], input=json.dumps(request), capture_output=True,
                          text=True, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"solc-js failed (run `make setup`?): {done.stderr.strip()}")
    output = json.loads(done.stdout)
    errors = [e for e in output.get("errors", []) if e["severity"] == "error"]
    if errors:
        raise SystemExit("\n".join(e["formattedMessage"] for e in errors))
    return "0x" + str(output["contracts"][SOURCE.name][CONTRACT]["evm"]["deployedBytecode"]["object"])


if __name__ == "__main__":
    code = compile_runtime()
    RUNTIME.write_text(code + "\n")
    print(f"{RUNTIME.name}: {len(code) // 2 - 1} bytes")
