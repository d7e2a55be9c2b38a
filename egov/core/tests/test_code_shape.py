"""Issue #23: product modules stay short along their seams.

No module of product code over 500 lines and no function over 60, unless the
line just before the ``def`` (or, for a module, one of its first lines) says
why with a ``# long: <reason>`` comment.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 500
MODULE_HEADER_LINES = 5
MARKER = "# long:"


def _product_files() -> list[Path]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "migrations" in parts or "tests" in parts:
            continue
        files.append(path)
    return files


def _marked(line: str) -> bool:
    return line.strip().startswith(MARKER)


def _long_functions(path: Path, lines: list[str]) -> list[str]:
    found = []
    tree = ast.parse("".join(lines), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        assert node.end_lineno is not None
        length = node.end_lineno - node.lineno + 1
        if length <= MAX_FUNCTION_LINES:
            continue
        # The comment sits just above the def, or above its decorators.
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        if first >= 2 and _marked(lines[first - 2]):
            continue
        rel = path.relative_to(PACKAGE.parent)
        found.append(f"{rel}:{node.lineno} {node.name}() is {length} lines")
    return found


def _shape_problems() -> list[str]:
    problems = []
    for path in _product_files():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        if len(lines) > MAX_MODULE_LINES and not any(_marked(line) for line in lines[:MODULE_HEADER_LINES]):
            rel = path.relative_to(PACKAGE.parent)
            problems.append(f"{rel} is {len(lines)} lines")
        problems.extend(_long_functions(path, lines))
    return problems


def test_no_over_long_modules_or_functions() -> None:
    problems = _shape_problems()
    assert not problems, (
        "Split these along their seams, or say why with a '# long: <reason>' comment "
        "(issue #23):\n" + "\n".join(problems)
    )


def test_guard_sees_product_code() -> None:
    names = {p.name for p in _product_files()}
    assert "cli.py" in names
    assert not any("migrations" in p.parts for p in _product_files())
