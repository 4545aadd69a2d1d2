"""What the simulated Akash market trades: denoms, GPU models as SDL and providers name them, close reasons."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CHAIN_ID = "akashnet-2"
BLOCK_SECONDS = 6
UAKT = "uakt"
UACT = "uact"
# axlUSDC over IBC, the stable denom Akash leases are priced in besides AKT and ACT.
USDC_IBC = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"
DENOMS = (UAKT, UACT, USDC_IBC)
# The Console's pricing bot: it creates deployments only to collect bids, never leases.
PRICING_BOT = "akash1pas6v0905jgyznpvnjhg7tsthuyqek60gkz7uf"
MIN_DEPOSIT = 500_000          # 0.5 of the deposit's token, the chain's minimum deployment and bid deposit
TX_FEE_UAKT = 5_000
TX_GAS = 200_000

# market v1 LeaseClosedReason (proto/node/akash/market/v1/types.proto)
REASON_NAMES = {
    0: "lease_closed_invalid",
    1: "lease_closed_owner",
    10000: "lease_closed_reason_unstable",
    10001: "lease_closed_reason_decommission",
    10002: "lease_closed_reason_unspecified",
    10003: "lease_closed_reason_manifest_timeout",
    20000: "lease_closed_reason_insufficient_funds",
}
PROVIDER_REASONS = (10000, 10001, 10002, 10003)


@dataclass(frozen=True)
class Gpu:
    """One GPU kind a provider has: model, memory and interface as the SDL GPU attribute grammar spells them."""

    model: str
    ram: str
    interface: str

    @property
    def attribute_key(self) -> str:
        """chain-sdk go/sdl/gpu.go: vendor/<vendor>/model/<model>[/ram/<size>][/interface/<pcie|sxm>]."""
        return f"vendor/nvidia/model/{self.model}/ram/{self.ram}/interface/{self.interface}"


GPUS = (
    Gpu("h100", "80Gi", "sxm"),
    Gpu("h100", "80Gi", "pcie"),
    Gpu("h200", "141Gi", "sxm"),
    Gpu("a100", "80Gi", "sxm"),
    Gpu("a100", "40Gi", "pcie"),
    Gpu("rtx4090", "24Gi", "pcie"),
    Gpu("rtx3090", "24Gi", "pcie"),
    Gpu("a6000", "48Gi", "pcie"),
)

# A rough market price per GPU-block in USD (an H100 near $2/hour = 600 blocks), scaled per denom below.
USD_PER_GPU_BLOCK = {"h100": Decimal("0.0033"), "h200": Decimal("0.0045"), "a100": Decimal("0.0020"),
                     "rtx4090": Decimal("0.0007"), "rtx3090": Decimal("0.0004"), "a6000": Decimal("0.0008")}
USD_PER_CPU_BLOCK = Decimal("0.00002")
MICRO_PER_USD = {UAKT: Decimal(1_000_000) / Decimal("1.25"), UACT: Decimal(1_000_000), USDC_IBC: Decimal(1_000_000)}


def provider_attributes(gpus: tuple[Gpu, ...], region: str, host: str) -> tuple[tuple[str, str], ...]:
    """Provider attributes the way Akash providers advertise GPUs (capabilities/gpu/...=true)."""
    attrs: list[tuple[str, str]] = [("host", host), ("region", region), ("tier", "community"),
                                    ("capabilities/gpu", "nvidia")]
    for gpu in gpus:
        attrs.append((f"capabilities/gpu/vendor/nvidia/model/{gpu.model}", "true"))
        attrs.append((f"capabilities/gpu/vendor/nvidia/model/{gpu.model}/ram/{gpu.ram}", "true"))
        attrs.append((f"capabilities/gpu/vendor/nvidia/model/{gpu.model}/ram/{gpu.ram}/interface/{gpu.interface}",
                      "true"))
    return tuple(dict.fromkeys(attrs))


def gpu_matches(key: str, gpu: Gpu) -> bool:
    """Whether a group's GPU attribute key admits this GPU: model/* admits any, omitted parts any value."""
    parts = key.split("/")
    if parts[:2] != ["vendor", "nvidia"] or len(parts) < 4 or parts[2] != "model":
        return False
    fields = dict(zip(parts[2::2], parts[3::2], strict=False))
    return all(fields.get(name) in (None, "*", value)
               for name, value in (("model", gpu.model), ("ram", gpu.ram), ("interface", gpu.interface)))
