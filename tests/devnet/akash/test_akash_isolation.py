"""The endpoint lives apart from the indexer: its package imports nothing from auditor outside itself."""

from __future__ import annotations

import ast
from pathlib import Path

import auditor.devnet.akash as package

PACKAGE = "auditor.devnet.akash"


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            names.append(node.module or "")
    return names


def test_package_imports_only_itself_from_auditor() -> None:
    files = sorted(Path(package.__file__).parent.glob("*.py"))
    assert len(files) >= 10
    outside = {f"{path.name}: {name}" for path in files for name in _imports(path)
               if (name == "auditor" or name.startswith("auditor.")) and not name.startswith(PACKAGE)}
    assert not outside, f"imports from auditor outside {PACKAGE}: {sorted(outside)}"


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from auditor.errors import DevnetError\nimport auditor.devnet.akash.plan\n")
    assert [n for n in _imports(bad) if not n.startswith(PACKAGE)] == ["auditor.errors"]
