"""Which hubs bridge unrelated customers (auditor/analyze/bridges.py), on hand-made group reaches."""

from __future__ import annotations

from auditor.analyze.bridges import judge


def rows(hub: str, groups: list[int], judged: bool = True) -> list[tuple[str, bool, int]]:
    return [(hub, judged, g) for g in groups]


def test_a_private_funder_of_several_deposit_groups_stays() -> None:
    # One entity, five exchange accounts: its funder reaches five groups nothing else reaches.
    assert judge(rows("funder", [1, 2, 3, 4, 5]), set()) == []


def test_a_hub_reaching_entities_that_other_private_hubs_anchor_is_a_bridge() -> None:
    touches = rows("relayer", [1, 2, 3]) + rows("funder_x", [1], judged=False) + rows("funder_y", [2, 3], False)
    (bridge,) = judge(touches, set())
    assert bridge.address == "relayer"
    assert bridge.reason == "reaches 3 groups that other funders or collectors make 2 separate entities"


def test_another_hub_over_the_same_groups_makes_them_one_entity() -> None:
    # A relayer also funded a few wallets of each of the entity's groups and of two groups nobody else reaches: the
    # entity's funder is no bridge, and groups alone do not show the relayer one (its pace does, in SQL).
    touches = rows("funder", [1, 2, 3]) + rows("relayer", [1, 2, 3, 7, 8])
    assert [b.address for b in judge(touches, set())] == []


def test_a_relayer_over_a_private_funders_entity_and_another_entity_goes() -> None:
    touches = rows("funder", [1, 2, 3]) + rows("relayer", [1, 2, 3, 7]) + rows("funder_z", [7], judged=False)
    assert [b.address for b in judge(touches, set())] == ["relayer"]


def test_a_funders_own_sub_funders_are_no_strangers() -> None:
    touches = rows("top", [1, 2]) + rows("sub_a", [1], judged=False) + rows("sub_b", [2], judged=False)
    assert [b.address for b in judge(touches, set())] == ["top"]
    ties = {("top", "sub_a"), ("sub_a", "top"), ("top", "sub_b"), ("sub_b", "top")}
    assert judge(touches, ties) == []


def test_only_the_role_judged_can_be_a_bridge() -> None:
    touches = rows("collector", [1, 2], judged=False) + rows("f1", [1], False) + rows("f2", [2], False)
    assert judge(touches, set()) == []
