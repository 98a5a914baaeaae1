"""The house reads one way: accounts ← children ← reservations ← billing, messaging ← accounts.

Read from each module's top-level imports (the ones that run when it is imported): no file
imports one that imports it back, and no app imports an app above it. `portail` is both the
floor (its lib, models, middleware, admin glue) and the roof (urls, the demo, the home page
that gathers every app): the roof's modules are named below.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APPS = ["portail", "messaging", "accounts", "children", "reservations", "billing"]
# An app may import the apps before it in this order, never one after it.
LAYER = {app: rank for rank, app in enumerate(APPS)}
# The project's roof: these portail modules gather every app.
ROOF = ("portail.urls", "portail.views", "portail.demo", "portail.management")
# Outside the one-way order: the PayFiP simulator, a stand-in for the treasury's service.
STANDALONE = ("payfip_simulator",)
BASE = Path(settings.BASE_DIR)


def _name(path: Path) -> str:
    parts = path.relative_to(BASE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        _name(path): path
        for app in (*APPS, *STANDALONE)
        for path in sorted((BASE / app).rglob("*.py"))
        if "migrations" not in path.parts
    }


def _targets(node: ast.Import | ast.ImportFrom, current: str, is_package: bool) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if node.level:
        base = current.split(".")
        base = base[: len(base) - node.level + (1 if is_package else 0)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return {target} | {f"{target}.{alias.name}" for alias in node.names}


def graph() -> dict[str, set[str]]:
    """Module → the project's modules its top-level imports run (parent packages included)."""
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        is_package = path.name == "__init__.py"
        edges[name] = set()
        # Top level, and under a top-level `if`/`try` (TYPE_CHECKING blocks included).
        statements = [
            inner
            for node in tree.body
            for inner in (ast.walk(node) if isinstance(node, ast.If | ast.Try) else [node])
            if isinstance(inner, ast.Import | ast.ImportFrom)
        ]
        for statement in statements:
            for target in _targets(statement, name, is_package):
                parts = target.split(".")
                for end in range(1, len(parts) + 1):
                    prefix = ".".join(parts[:end])
                    # a package's own modules run inside its import: not an edge back to it
                    if prefix in known and prefix != name and not name.startswith(f"{prefix}."):
                        edges[name].add(prefix)
    return edges


def lazy_imports() -> list[str]:
    """Functions that import a project module when called (to work around a cycle, mostly)."""
    known = modules()
    found = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and any(
                    target.split(".")[0] in (*APPS, *STANDALONE) or inner.level
                    for target in _targets(inner, name, path.name == "__init__.py")
                ):
                    found.append(f"{name}.{node.name}")
                    break
    return found


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


def _rank(module: str) -> int | None:
    if module.startswith(STANDALONE):
        return None
    if module.startswith(ROOF):
        return len(APPS)
    return LAYER[module.split(".")[0]]


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Imports that go against the order (an app importing an app above it)."""
    found = []
    for source, targets in sorted(edges.items()):
        for target in sorted(targets):
            if source.split(".")[0] == target.split(".")[0] and not target.startswith(ROOF):
                continue
            low, high = _rank(source), _rank(target)
            if low is None or high is None:
                if source.split(".")[0] != target.split(".")[0]:
                    found.append(f"{source} → {target}")
            elif high > low:
                found.append(f"{source} → {target}")
    return found


def test_no_module_imports_one_that_imports_it_back():
    edges = graph()
    assert "accounts.models" in edges["children.models"]  # the graph is read
    assert cycle(edges) == []


def test_no_module_imports_another_inside_a_function_but_apps_ready():
    found = lazy_imports()
    assert "billing.apps.ready" in found  # the walk is read
    assert [
        name
        for name in found
        if name.rsplit(".", 1)[0].rsplit(".", 1)[-1] != "apps"  # Django's ready() is the place
    ] == []


def test_each_app_imports_only_the_apps_below_it():
    assert upward(graph()) == []


@pytest.mark.parametrize(
    "edges, found",
    [
        ({"children.models": {"reservations.models"}}, ["children.models → reservations.models"]),
        ({"accounts.models": {"messaging.models"}}, []),
        ({"messaging.models": {"accounts.models"}}, ["messaging.models → accounts.models"]),
        ({"portail.lib.formats": {"billing.models"}}, ["portail.lib.formats → billing.models"]),
        ({"portail.urls": {"billing.urls"}}, []),
        ({"billing.pdf": {"portail.urls"}}, ["billing.pdf → portail.urls"]),
        ({"billing.pdf": {"payfip_simulator.models"}}, ["billing.pdf → payfip_simulator.models"]),
    ],
)
def test_the_order_check_finds_what_goes_upward(edges, found):
    assert upward(edges) == found


def test_the_cycle_finder_finds_one():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) == []
