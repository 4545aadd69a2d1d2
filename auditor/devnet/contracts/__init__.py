"""Generated Solidity emitters (one per marketplace contract) and their compiled artifacts.json.

Regenerate with `python -m auditor.devnet.contracts.build` (needs node and the npm solc package)."""
