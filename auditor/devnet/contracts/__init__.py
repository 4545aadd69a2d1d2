"""Generated Solidity emitters (one per marketplace contract) and their compiled artifacts.json.

Regenerate with `python tools/build_contracts.py` from a checkout (needs node and the npm solc package)."""
