"""What deployments ask for and what providers answer: providers' GPUs, group specs with GPU attributes in
the SDL grammar (exact, model only, model/*, either of two, CPU-only), and bids with concrete resource offers."""

from __future__ import annotations

import random
from decimal import Decimal

from auditor.devnet.akash.bech32 import account_address
from auditor.devnet.akash.catalog import (
    GPUS,
    MICRO_PER_USD,
    USD_PER_CPU_BLOCK,
    USD_PER_GPU_BLOCK,
    Gpu,
    gpu_matches,
    provider_attributes,
)
from auditor.devnet.akash.model import PRICE_STEP, Bid, Group, Provider, Resources, Sizes, quantize


def plan_providers(rng: random.Random, seed: int, sizes: Sizes) -> tuple[Provider, ...]:
    providers = []
    for i in range(sizes.providers):
        gpus = tuple(sorted(rng.sample(GPUS, rng.randint(1, 3)), key=GPUS.index))
        if i == 0:
            gpus = (GPUS[0], *[g for g in gpus if g != GPUS[0]])  # one H100 SXM provider at least
        host = f"provider{i}.gpu{seed % 97}.example"
        region = rng.choice(["us-west", "eu-central", "asia-east"])
        providers.append(Provider(owner=account_address(f"akash/{seed}/provider/{i}"), host_uri=f"https://{host}:8443",
                                  email=f"ops@{host}", website=f"https://{host}", gpus=gpus,
                                  attributes=provider_attributes(gpus, region, "akash")))
    return tuple(providers)


def _group_resources(rng: random.Random, kind: str) -> Resources:
    cpu = rng.choice([1000, 2000, 4000, 8000, 16000])
    memory = rng.choice([2, 8, 16, 64, 128]) * 2**30
    storage = rng.choice([10, 50, 100, 500]) * 2**30
    if kind == "cpu":
        return Resources(cpu, memory, storage, 0, ())
    gpu = rng.choice(GPUS)
    if kind == "gpu-exact":
        attrs: tuple[tuple[str, str], ...] = ((gpu.attribute_key, "true"),)
    elif kind == "gpu-model":
        attrs = ((f"vendor/nvidia/model/{gpu.model}", "true"),)
    elif kind == "gpu-any":
        attrs = (("vendor/nvidia/model/*", "true"),)
    else:
        other = rng.choice([g for g in GPUS if g.model != gpu.model])
        attrs = ((f"vendor/nvidia/model/{gpu.model}", "true"), (f"vendor/nvidia/model/{other.model}", "true"))
    return Resources(cpu, memory, storage, rng.choice([1, 1, 2, 4, 8]), attrs)


def _offer(provider: Provider, resources: Resources, rng: random.Random) -> tuple[Gpu | None, Resources] | None:
    """The provider's answer to a resource unit: a concrete GPU it has that the group admits, or None."""
    if resources.gpu_units == 0:
        return None, resources
    fits = [g for g in provider.gpus if any(gpu_matches(key, g) for key, _ in resources.gpu_attributes)]
    if not fits:
        return None
    gpu = rng.choice(fits)
    return gpu, Resources(resources.cpu_millis, resources.memory_bytes, resources.storage_bytes,
                          resources.gpu_units, ((gpu.attribute_key, "true"),))


def _usd_per_block(resources: Resources, gpu: Gpu | None) -> Decimal:
    per_gpu = USD_PER_GPU_BLOCK[gpu.model] if gpu else max(USD_PER_GPU_BLOCK.values())
    return resources.cpu_millis / Decimal(1000) * USD_PER_CPU_BLOCK + resources.gpu_units * (
        per_gpu if resources.gpu_units else Decimal(0))


def plan_groups(rng: random.Random, denom: str, bot: bool) -> tuple[Group, ...]:
    groups = []
    for gseq in range(1, (2 if rng.random() < 0.2 else 1) + 1):
        kind = rng.choice(["gpu-exact", "gpu-any"]) if bot else rng.choices(
            ["gpu-exact", "gpu-model", "gpu-any", "gpu-either", "cpu"], [4, 3, 1, 1, 2])[0]
        resources = _group_resources(rng, kind)
        count = rng.choice([1, 1, 1, 2, 3])
        ceiling = _usd_per_block(resources, None) * count * MICRO_PER_USD[denom] * Decimal("1.6")
        groups.append(Group(gseq, rng.choice(["akash", "dcloud", "westcoast", "gpu"]), resources, count,
                            quantize(ceiling), denom, kind))
    return tuple(groups)


def plan_bids(rng: random.Random, providers: tuple[Provider, ...], group: Group, created: int) -> list[Bid]:
    bids = []
    for provider in rng.sample(providers, min(len(providers), rng.randint(2, 5))):
        offer = _offer(provider, group.resources, rng)
        if offer is None:
            continue
        gpu, offered = offer
        fair = _usd_per_block(group.resources, gpu) * group.count * MICRO_PER_USD[group.denom]
        price = min(group.max_price, quantize(fair * Decimal(rng.uniform(0.7, 1.3))))
        bids.append(Bid(provider.owner, group.gseq, created + rng.randint(1, 8), max(price, PRICE_STEP), offered, gpu))
    return bids
