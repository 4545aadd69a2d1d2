"""Spheron order specs to GPU model and count: what Spheron's SDK writes (captured, and written by the SDK itself
under node), the SDL's YAML shape, and specs that must not crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.marketplaces.spheron.specs import parse_gpu


@pytest.mark.parametrize(("spec", "expected"), [
    ("{s:[{n:train,r:{c:{u:32},m:{u:256Gi},s:[{u:1Ti}],g:{u:8,a:{vendor:{nvidia:[{model:h100}]}}}},c:1}]}",
     ("h100", 8)),
    ("{s:[{n:a,r:{g:{u:2,a:{vendor:{nvidia:[{model:rtx4090},{model:rtx3090}]}}}},c:3}]}", ("rtx4090", 6)),
    ("{s:[{n:a,r:{g:{u:1,a:{vendor:{nvidia:[{model:a100-80g}]}}}},c:2},{n:b,r:{c:{u:2}},c:1}]}", ("a100-80g", 2)),
    ('{"s":[{"n":"x","r":{"g":{"u":4,"a":{"vendor":{"nvidia":[{"model":"l40s"}]}}}},"c":1}]}', ("l40s", 4)),
    ("{s:[{n:web,r:{c:{u:2},m:{u:1Gi}},c:1}]}", None),
    ("{s:[{n:a,r:{g:{u:0,a:{vendor:{nvidia:[{model:h100}]}}}},c:1}]}", None),
    ("{s:[{n:a,r:{g:{u:x,a:{vendor:{nvidia:[{model:h100}]}}}},c:1}]}", None),
    ("not a spec", None), ("{s:[{n:a,r:{g:{u:1", None), ("", None), (None, None), ("{{{{", None),
])
def test_parse_gpu(spec: str | None, expected: tuple[str, int] | None) -> None:
    assert parse_gpu(spec) == expected


CAPTURED = json.loads((Path(__file__).parent / "fixtures" / "spheron_sdk_specs.json").read_text())["specs"]


@pytest.mark.parametrize("case", CAPTURED, ids=[c["case"] for c in CAPTURED])
def test_specs_the_sdk_wrote(case: dict[str, object]) -> None:
    assert parse_gpu(str(case["spec"])) == tuple(case["expected"])


def test_every_service_of_an_order_counts() -> None:
    two = ("{n:w,pr:{a:[]},s:[{n:a,r:{i:1,g:{a:[{k:vendor/nvidia/model/h100,v:true}],u:4},e:[]},c:2},"
           "{n:b,r:{i:2,g:{a:[{k:vendor/nvidia/model/h100,v:true}],u:1},e:[]},c:1},"
           "{n:c,r:{i:3,c:{u:1000,a:[]},g:{u:0,a:[]},e:[]},c:5}]}")
    assert parse_gpu(two) == ("h100", 9)
    any_of = "{s:[{n:a,r:{g:{a:[{k:vendor/nvidia/model/l40s,v:false},{k:vendor/nvidia/model/a10,v:true}],u:2}},c:1}]}"
    assert parse_gpu(any_of) == ("a10", 2)


@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    result = parse_gpu(text)
    assert result is None or (isinstance(result[0], str) and result[1] > 0)
