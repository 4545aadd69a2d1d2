"""The devnet's Spheron orders are written by Spheron's own SDK (npm @spheron/protocol-sdk under node), and the
auditor's parser recovers from them every GPU model and count the devnet plants."""

from __future__ import annotations

from auditor.devnet.spheron_sdk import MODELS, NAMES, SDK_REPLICAS_WRITTEN, cpu_only_spec, encode, icl, spec_table
from auditor.marketplaces.spheron.specs import parse_gpu


def test_every_devnet_spec_is_the_sdks_and_parses_to_its_gpus() -> None:
    table = spec_table()
    assert len(table) == len(NAMES) * len(MODELS) * 4 * 3 + 1
    for (name, model, per_replica, _replicas), spec in table.items():
        if model is None:
            assert parse_gpu(spec) is None
            continue
        assert spec.startswith("{n:westcoast,pr:{a:[{k:cpu_model,v:any}") and f"{{n:{name},r:{{i:1," in spec
        assert parse_gpu(spec) == (model, per_replica * SDK_REPLICAS_WRITTEN)
    assert parse_gpu(cpu_only_spec()) is None


def test_the_sdk_writes_one_replica_whatever_the_icl_count() -> None:
    """Pins the SDK fact the devnet's truth relies on (SDK_REPLICAS_WRITTEN): if an SDK upgrade writes the
    ICL's `count`, this fails and the devnet's GPU counts must follow."""
    one, three = encode([icl("train", "h100", 2, 1), icl("train", "h100", 2, 3)])
    assert one == three and one.endswith(",c:1}]}")
