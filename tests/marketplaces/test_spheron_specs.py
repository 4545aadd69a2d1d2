"""Spheron order specs to GPU model and count, including specs that must not crash."""

from __future__ import annotations

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


@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    result = parse_gpu(text)
    assert result is None or (isinstance(result[0], str) and result[1] > 0)
