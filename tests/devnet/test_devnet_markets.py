"""Swan, Aleph, Golem and Livepeer's registries as played: rebuilt from raw logs on the node, compared to the truth."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from auditor.devnet import Devnet
from auditor.marketplaces.aleph import ALEPH_SUPER_TOKEN
from auditor.marketplaces.golem import MULTI_TRANSFER
from tests.devnet.chainrpc import (
    APPROVAL,
    FLOW_UPDATED,
    SERVICE_URI_UPDATE,
    TASK_COMPLETED,
    TASK_CREATED,
    TASK_EXTENDED,
    TASK_TERMINATED,
    TRANSFER,
    WINNING_TICKET_REDEEMED,
    as_address,
    as_int,
    get_logs,
    iso,
    log_time,
    registry_address,
    same_abi_addresses,
    topic_of,
    words,
)

CLOSE = 1_794_787_200   # 2026-11-16T00:00:00Z, the closing block
ALEPH = ALEPH_SUPER_TOKEN.lower()


def where(log: dict[str, Any]) -> tuple[str, int]:
    return log["transactionHash"], int(log["logIndex"], 16)


def test_swan_task_lifecycles_give_the_truth_end_times(net: Devnet) -> None:
    """end = min(start + last totalDuration, terminateTimestamp), null past the closing block."""
    by_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
    managers = same_abi_addresses("swan", "JobManager", 254)
    assert len(managers) == 2
    for manager in managers:
        for log in get_logs(net, 254, manager, [[TASK_CREATED, TASK_EXTENDED, TASK_TERMINATED, TASK_COMPLETED]]):
            by_task[log["topics"][1]].append(log)
    assert all(len({log["address"] for log in events}) == 1 for events in by_task.values())
    rentals = {(r.tx_hash, r.log_index): r for r in net.truth.rentals if r.marketplace == "swan"}
    kinds: Counter[str] = Counter()
    for events in by_task.values():
        created, *rest = events
        assert created["topics"][0] == TASK_CREATED
        start = log_time(created)
        total = as_int(words(created["data"])[3])
        end = start + total
        for log in rest:
            w = words(log["data"])
            if log["topics"][0] == TASK_EXTENDED:
                assert as_int(w[1]) == total + as_int(w[0])
                total = as_int(w[1])
                end = start + total
                kinds["extended"] += 1
            elif log["topics"][0] == TASK_TERMINATED:
                assert as_int(w[0]) == log_time(log) < end
                end = as_int(w[0])
                kinds["terminated"] += 1
            else:
                assert log_time(log) >= end and log is rest[-1]
                kinds["completed"] += 1
        r = rentals.pop(where(created))
        assert r.start_time == iso(start)
        assert r.end_time == (iso(end) if end <= CLOSE else None)
        kinds["open"] += r.end_time is None
    assert not rentals
    assert kinds["extended"] >= 5 and kinds["terminated"] >= 5 and kinds["completed"] >= 30 and kinds["open"] >= 1


def aleph_logs(net: Devnet) -> list[dict[str, Any]]:
    return get_logs(net, 8453, registry_address("aleph", "ConstantFlowAgreementV1", 8453), [FLOW_UPDATED])


def test_aleph_payments_are_rate_times_seconds(net: Devnet) -> None:
    """Streams rebuilt from the ALEPH FlowUpdated logs: one rental each, paid sum(rate x seconds)."""
    logs = get_logs(net, 8453, registry_address("aleph", "ConstantFlowAgreementV1", 8453),
                    [FLOW_UPDATED, topic_of(ALEPH)])
    streams: dict[tuple[str, str], list[tuple[int, int, dict[str, Any]]]] = defaultdict(list)
    finished: list[tuple[list[tuple[int, int, dict[str, Any]]], int | None]] = []
    for log in logs:
        pair = (as_address(log["topics"][2]), as_address(log["topics"][3]))
        rate = as_int(words(log["data"])[0], signed=True)
        if rate == 0:
            finished.append((streams.pop(pair), log_time(log)))
        else:
            streams[pair].append((log_time(log), rate, log))
    finished += [(segments, None) for segments in streams.values()]
    rentals = {(r.tx_hash, r.log_index): r for r in net.truth.rentals if r.marketplace == "aleph"}
    assert len(finished) == len(rentals) >= 40
    for segments, closed in finished:
        bounds = [t for t, _, _ in segments[1:]] + [CLOSE if closed is None else closed]
        paid = sum(rate * (until - t) for (t, rate, _), until in zip(segments, bounds, strict=True))
        opening = segments[0][2]
        r = rentals.pop(where(opening))
        assert (r.buyer, r.provider) == (as_address(opening["topics"][2]), as_address(opening["topics"][3]))
        assert r.payment_raw == str(paid)
        assert r.start_time == iso(segments[0][0])
        assert r.end_time == (None if closed is None else iso(closed))
    assert not rentals
    assert sum(closed is None for _, closed in finished) >= 2


def test_aleph_instances_and_running_totals(net: Devnet) -> None:
    """An instance's tx sets a compute-node stream and a fifth of it to the community wallet; a buyer streams
    to one node at a time; totals are the running sums of open rates per token and address."""
    community = net.truth.labels["aleph_community_wallet"]
    flows: dict[tuple[str, str, str], int] = defaultdict(int)
    by_tx: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for log in aleph_logs(net):
        token, sender, receiver = (as_address(t) for t in log["topics"][1:4])
        w = words(log["data"])
        flows[(token, sender, receiver)] = as_int(w[0], signed=True)
        assert as_int(w[1], signed=True) == sum(r for (t, s, _), r in flows.items() if (t, s) == (token, sender))
        assert as_int(w[2], signed=True) == sum(r for (t, _, v), r in flows.items() if (t, v) == (token, receiver))
        if token == ALEPH:
            by_tx[log["transactionHash"]].append((receiver, as_int(w[0], signed=True)))
            assert sum(1 for (t, s, v), r in flows.items() if (t, s) == (ALEPH, sender) and v != community and r) <= 1
    for (node, rate), (wallet, share) in by_tx.values():
        assert node != community and wallet == community and share == rate // 5
    rentals = Counter(r.tx_hash for r in net.truth.rentals if r.marketplace == "aleph")
    assert set(rentals.values()) == {2} and set(rentals) <= set(by_tx)
    assert sum(r.provider == community for r in net.truth.rentals if r.marketplace == "aleph") == len(rentals)


def test_aleph_other_token_streams_are_on_chain_but_no_rentals(net: Devnet) -> None:
    other = net.truth.labels["aleph_other_super_token"]
    noise = [log for log in aleph_logs(net) if as_address(log["topics"][1]) != ALEPH]
    assert len(noise) >= 5
    assert {as_address(log["topics"][1]) for log in noise} == {other}
    planted = {(r.tx_hash, r.log_index) for r in net.truth.rentals}
    assert not planted & {where(log) for log in noise}


def test_golem_rentals_are_exactly_the_requestors_transfers(net: Devnet) -> None:
    glm = registry_address("golem", "GLM")
    approvals = get_logs(net, 137, glm, [APPROVAL])
    requestors = {as_address(log["topics"][1]) for log in approvals
                  if as_address(log["topics"][2]) == MULTI_TRANSFER}
    transfers = get_logs(net, 137, glm, [TRANSFER])
    # golemTransferIndirectPacked: requestor -> multi-transfer contract, then contract -> each provider
    paid: dict[tuple[str, int], tuple[str, str, str]] = {}
    into: dict[str, str] = {}
    for log in sorted(transfers, key=lambda log: (log["transactionHash"], int(log["logIndex"], 16))):
        sender, to = as_address(log["topics"][1]), as_address(log["topics"][2])
        if sender in requestors and to == MULTI_TRANSFER:
            into[log["transactionHash"]] = sender
        elif sender in requestors:
            paid[where(log)] = (sender, to, str(as_int(log["data"])))
        elif sender == MULTI_TRANSFER:
            paid[where(log)] = (into[log["transactionHash"]], to, str(as_int(log["data"])))
    assert len(into) >= 5
    planted = {(r.tx_hash, r.log_index): (r.buyer, r.provider, r.payment_raw)
               for r in net.truth.rentals if r.marketplace == "golem"}
    assert paid == planted
    assert {to for _, to, _ in paid.values()} <= set(net.truth.providers["golem"])
    noise = [log for log in transfers if where(log) not in paid and as_address(log["topics"][2]) != MULTI_TRANSFER]
    assert {as_address(log["topics"][2]) for log in noise} & requestors, "requestors get GLM from the exchange"
    assert len(noise) >= 20
    assert any(as_address(log["topics"][2]) != MULTI_TRANSFER for log in approvals)
    approved: dict[str, int] = {}
    for log in approvals:
        if as_address(log["topics"][2]) == MULTI_TRANSFER:
            approved.setdefault(as_address(log["topics"][1]), int(log["blockNumber"], 16))
    first_paid: dict[str, int] = {}
    for log in transfers:
        if where(log) in paid:
            first_paid.setdefault(paid[where(log)][0], int(log["blockNumber"], 16))
    assert all(approved[buyer] < block for buyer, block in first_paid.items())


def test_livepeer_registries_and_workload(net: Devnet) -> None:
    main = get_logs(net, 42161, registry_address("livepeer", "ServiceRegistry"), [SERVICE_URI_UPDATE])
    ai = get_logs(net, 42161, registry_address("livepeer", "AIServiceRegistry"), [SERVICE_URI_UPDATE])
    assert {as_address(log["topics"][1]) for log in main} == set(net.truth.providers["livepeer"])
    ai_since = {as_address(log["topics"][1]): log_time(log) for log in ai}
    assert len(ai_since) == len(ai) == 3
    tickets = {where(log): log for log in get_logs(net, 42161, registry_address("livepeer", "TicketBroker"),
                                                    [WINNING_TICKET_REDEEMED])}
    seen: Counter[str | None] = Counter()
    for r in net.truth.rentals:
        if r.marketplace == "livepeer":
            log = tickets[(r.tx_hash, r.log_index)]
            since = ai_since.get(as_address(log["topics"][2]))
            assert r.workload == ("ai" if since is not None and since <= log_time(log) else "transcoding")
            seen[r.workload] += 1
    assert seen["ai"] >= 10 and seen["transcoding"] >= 100
