"""Spheron's compressed order spec (`OrderCreated.specs`) to GPU model and count.

What the chain holds is what Spheron's SDK writes (npm @spheron/protocol-sdk 1.3.5, `yamlToOrderDetails`:
`compressOrderSpec` + `convertGpuAttributes`): short keys, unquoted values, GPU attributes as a key/value list,
`{n:west,pr:{a:[...]},s:[{n:py-cuda,r:{i:1,c:{u:8000,a:[]},m:{...},s:[...],g:{a:[{k:vendor/nvidia/model/h100,
v:true}],u:8},e:[...]},c:1}]}`. A service's GPU count is `g.u` x its replica count `c`; the model is the
`<model>` of a `vendor/<vendor>/model/<model>` key whose value is true. The SDL's own YAML shape
(`a:{vendor:{nvidia:[{model:h100}]}}`) is read too, as the SDK's decompressor would hand it back. Parsing is
defensive: any spec it cannot read gives None, and the rental is counted as "GPU unknown", never a crash.
Counts are plain decimal digits; a total past GPU_COUNT_CEILING is that ceiling, which the analysis flags as
implausible.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r'\s*(?:([{}\[\]:,])|"((?:[^"\\]|\\.)*)"|([^{}\[\]:,"]+))')
MAX_SPEC_CHARS = 100_000
# The largest count the rentals table's INTEGER holds: anything near it is implausible anyway, and a larger one
# made DuckDB refuse the whole analysis ("out of range for INT32") on every run.
GPU_COUNT_CEILING = 2**31 - 1
_DIGITS = re.compile(r"[0-9]+")


class _SpecError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise _SpecError("unreadable spec")
        pos = m.end()
        if m.group(1):
            out.append(m.group(1))
        elif m.group(2) is not None:
            out.append("\x00" + m.group(2))
        elif m.group(3) is not None and m.group(3).strip():
            out.append("\x00" + m.group(3).strip())
    return out


def _parse(tokens: list[str], i: int) -> tuple[Any, int]:
    if i >= len(tokens):
        raise _SpecError("spec ends early")
    tok = tokens[i]
    if tok == "{":
        obj: dict[str, Any] = {}
        i += 1
        while i < len(tokens) and tokens[i] != "}":
            key = tokens[i]
            if not key.startswith("\x00") or i + 1 >= len(tokens) or tokens[i + 1] != ":":
                raise _SpecError("bad object")
            value, i = _parse(tokens, i + 2)
            obj[key[1:]] = value
            if i < len(tokens) and tokens[i] == ",":
                i += 1
        return obj, i + 1
    if tok == "[":
        arr: list[Any] = []
        i += 1
        while i < len(tokens) and tokens[i] != "]":
            value, i = _parse(tokens, i)
            arr.append(value)
            if i < len(tokens) and tokens[i] == ",":
                i += 1
        return arr, i + 1
    if tok.startswith("\x00"):
        return tok[1:], i + 1
    raise _SpecError(f"unexpected {tok!r}")


def _int(value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, dict):
        value = value.get("u")
    text = str(value)
    # int() would also take "-5", "1_000" and other scripts' digits, and refuses over 4,300 digits
    if not _DIGITS.fullmatch(text):
        raise _SpecError("count is not a number")
    digits = text.lstrip("0") or "0"
    return GPU_COUNT_CEILING if len(digits) > len(str(GPU_COUNT_CEILING)) else min(int(digits), GPU_COUNT_CEILING)


def _model(attributes: Any) -> str | None:
    """The first GPU model a service's GPU attributes name, in the SDK's key/value form or the SDL's."""
    if isinstance(attributes, list):   # [{k: vendor/nvidia/model/h100, v: true}, ...]
        for item in attributes:
            if isinstance(item, dict) and str(item.get("v", "")).lower() == "true":
                parts = str(item.get("k", "")).split("/")
                if len(parts) >= 4 and parts[0] == "vendor" and parts[2] == "model" and parts[3]:
                    return parts[3]
        return None
    vendors = attributes.get("vendor") if isinstance(attributes, dict) else None
    for options in vendors.values() if isinstance(vendors, dict) else ():
        for option in options if isinstance(options, list) else []:
            if isinstance(option, dict) and option.get("model"):
                return str(option["model"])
    return None


def parse_gpu(specs: str | None) -> tuple[str, int] | None:
    """(first GPU model named, total GPU count over every service and its replicas, at most GPU_COUNT_CEILING)
    of an order spec, or None when it asks for no GPU or cannot be read."""
    if not specs or len(specs) > MAX_SPEC_CHARS:
        return None
    try:
        doc, _ = _parse(_tokens(specs), 0)
        services = doc.get("s") if isinstance(doc, dict) else None
        if not isinstance(services, list):
            return None
        model, count = None, 0
        for service in services:
            if not isinstance(service, dict):
                continue
            gpu = (service.get("r") or {}).get("g") if isinstance(service.get("r"), dict) else None
            if not isinstance(gpu, dict):
                continue
            units = _int(gpu.get("u"), 0)
            if units <= 0:
                continue
            count = min(GPU_COUNT_CEILING, count + units * _int(service.get("c"), 1))
            model = model or _model(gpu.get("a"))
        if count <= 0 or model is None:
            return None
        return model, count
    except (_SpecError, AttributeError, RecursionError):
        return None


def gpu_struct(specs: str | None) -> dict[str, object] | None:
    """parse_gpu as the spheron_gpu() struct its rentals SQL reads (g.model, g.count)."""
    parsed = parse_gpu(specs)
    return None if parsed is None else {"model": parsed[0], "count": parsed[1]}
