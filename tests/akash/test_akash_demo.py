"""`auditor demo` indexes its Akash endpoint beside the anvil chains in the same run: every lease it planted is
one rental, valued in USD, card-paid owners tagged, and the report's week holds Akash."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from auditor.demo import AKASH_SEED, AKASH_SIZES, run_demo
from auditor.devnet.akash.server import AkashNode
from auditor.devnet.akash.truth import truth_document

pytestmark = pytest.mark.slow


def test_demo_indexes_akash_beside_the_evm_chains(tmp_path: Path) -> None:
    truth = truth_document(AkashNode(AKASH_SEED, AKASH_SIZES).api)   # the plan only: no server started
    result = run_demo(tmp_path / "demo.duckdb", tmp_path / "reports")
    assert {s.name for s in result.summaries} >= {"Akash", "Base", "Arbitrum One"}
    with duckdb.connect(str(result.db_path), read_only=True) as con:
        rows = {r[0]: r[1:] for r in con.execute(
            "SELECT tx_hash, buyer, provider, gpu_count, payment_raw, payment_usd, kyc FROM rentals "
            "WHERE marketplace = 'akash'").fetchall()}
    card = {o["address"] for o in truth["owners"] if o["card_paid"]}
    assert len(rows) == len(truth["leases"])
    for lease in truth["leases"]:
        key = (f"lease:{lease['owner']}/{lease['dseq']}/{lease['gseq']}/{lease['oseq']}/{lease['provider']}/"
               f"{lease['bseq']}")
        buyer, provider, gpus, paid, usd, kyc = rows[key]
        assert (buyer, provider, gpus) == (lease["owner"], lease["provider"], lease["gpu_count"])
        assert Decimal(paid) == Decimal(lease["total_paid"])
        assert usd is not None and usd > 0
        assert kyc == ("card" if lease["owner"] in card else "none")
    report = (result.report_dir / "report.md").read_text()
    assert "| akash |" in report
