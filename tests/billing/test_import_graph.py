"""Billing's modules import one another one way: no cycle, and no import hidden inside a
function to work around one (only `apps.ready()`, where Django wants it)."""

import ast
from pathlib import Path

import billing

ROOT = Path(billing.__file__).parent
LAZY_ALLOWED = {"billing.apps"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts and "management" not in path.parts
    }


def imported(node: ast.ImportFrom | ast.Import, current: str, is_package: bool) -> set[str]:
    """The billing modules an import statement runs, parent packages included."""
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    elif node.level:
        base = current.split(".")
        base = base[: len(base) - node.level + (1 if is_package else 0)]
        target = ".".join(base + ([node.module] if node.module else []))
        names = {target} | {f"{target}.{alias.name}" for alias in node.names}
    else:
        target = node.module or ""
        names = {target} | {f"{target}.{alias.name}" for alias in node.names}
    known = modules()
    found = set()
    for name in names:
        parts = name.split(".")
        for end in range(2, len(parts) + 1):
            prefix = ".".join(parts[:end])
            # a package's own modules run inside its import: not an edge back to it
            if prefix in known and not current.startswith(f"{prefix}."):
                found.add(prefix)
    return found - {current}


def graph() -> tuple[dict[str, set[str]], list[str]]:
    edges: dict[str, set[str]] = {}
    lazy: list[str] = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(), filename=str(path))
        is_package = path.name == "__init__.py"
        edges[name] = set()
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges[name] |= imported(node, name, is_package)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom) and imported(
                        inner, name, is_package
                    ):
                        lazy.append(f"{name}.{node.name}")
    return edges, lazy


def cycle(edges: dict[str, set[str]]) -> list[str]:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        stack.pop()
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_billing_modules_import_each_other_without_a_cycle():
    edges, _ = graph()
    assert "billing.payments" in edges["billing.invoicing.issuing"]  # the graph is read
    assert cycle(edges) == []


def test_no_billing_module_imports_another_inside_a_function():
    _, lazy = graph()
    assert [name for name in lazy if name.rsplit(".", 1)[0] not in LAZY_ALLOWED] == []


def test_the_cycle_finder_finds_one():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) == []
