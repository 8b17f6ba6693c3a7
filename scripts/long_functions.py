"""List the functions longer than a limit, with and without their docstring (issue 10: about 80).

Usage: ``python scripts/long_functions.py [FOLDER] [LIMIT]`` (default ``src/workbench`` and 80).
Rows: total lines (``def`` to the last line), code lines (total minus the docstring), where, name;
longest code first. Exit status 0 always: it is a list to read, not a gate.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def long_functions(root: Path, limit: int) -> list[tuple[int, int, str, str]]:
    rows = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def walk(node: ast.AST, prefix: str, path: Path = path) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    total = (child.end_lineno or child.lineno) - child.lineno + 1
                    first = child.body[0]
                    value = first.value if isinstance(first, ast.Expr) else None
                    docstring = isinstance(value, ast.Constant) and isinstance(value.value, str)
                    doc = (first.end_lineno or first.lineno) - first.lineno + 1 if docstring else 0
                    if total > limit:
                        rows.append((total, total - doc, f"{path}:{child.lineno}", prefix + child.name))
                    walk(child, prefix + child.name + ".")
                elif isinstance(child, ast.ClassDef):
                    walk(child, prefix + child.name + ".")

        walk(tree, "")
    return sorted(rows, key=lambda row: -row[1])


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("src/workbench")
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 80
    print("total code  where  function")
    for total, code, where, name in long_functions(root, limit):
        print(f"{total:5d} {code:4d}  {where} {name}")


if __name__ == "__main__":
    main()
