"""The import direction between the apps (docs/architecture.md), read from the source.

Every `import` of a hirfa module counts, at the top of a module or inside a function: an
import moved into a function still ties the two apps together. Migrations are left out
(they are history, written against the code of their day).
"""

import ast
from collections import defaultdict
from pathlib import Path

HIRFA = Path(__file__).resolve().parent.parent / "hirfa"

# From the bottom up. An app imports the apps of the layers below its own, and those of its
# own layer when no circle results; never an app above it.
LAYERS = (
    ("core", "env", "formats"),
    ("territory", "crafts", "notifications", "audit"),
    ("accounts",),
    ("register",),
    ("search", "duplicates", "cards", "coverage", "wallet"),
    ("cnss", "imports", "verification", "privacy", "outreach", "campaigns", "registry", "field"),
    ("site", "backups", "stats"),
    ("api", "urls", "settings", "wsgi", "manage"),
)
LAYER_OF = {unit: level for level, units in enumerate(LAYERS) for unit in units}
REFERENCE_DATA = ("territory", "crafts")


def unit_of(path: Path) -> str:
    """The app (or project module) a file of `hirfa/` belongs to."""
    parts = path.relative_to(HIRFA).parts
    return parts[0].removesuffix(".py")


def imported_units(tree: ast.AST) -> list[tuple[str, int]]:
    """(unit, line) of every import of a hirfa module in `tree`, wherever it stands."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "hirfa":
                names = [f"hirfa.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "hirfa" and len(parts) > 1:
                found.append((parts[1], node.lineno))
    return found


def _edges() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) → where, for every import from one unit into another."""
    edges = defaultdict(list)
    for path in sorted(HIRFA.rglob("*.py")):
        if "migrations" in path.parts or path == HIRFA / "__init__.py":
            continue
        source = unit_of(path)
        for target, line in imported_units(ast.parse(path.read_text(), str(path))):
            if target != source:
                edges[source, target].append(f"{path.relative_to(HIRFA.parent)}:{line}")
    return dict(edges)


EDGES = _edges()


def _described(edges) -> str:
    return "\n".join(
        f"{source} → {target}: {', '.join(EDGES[source, target])}" for source, target in edges
    )


def _circles() -> list[set[str]]:
    """The groups of units that import one another, directly or not (Tarjan)."""
    graph = defaultdict(set)
    for source, target in EDGES:
        graph[source].add(target)
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(unit):
        index[unit] = low[unit] = len(index)
        stack.append(unit)
        on_stack.add(unit)
        for other in graph[unit]:
            if other not in index:
                visit(other)
                low[unit] = min(low[unit], low[other])
            elif other in on_stack:
                low[unit] = min(low[unit], index[other])
        if low[unit] == index[unit]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == unit:
                    break
            if len(group) > 1:
                groups.append(group)

    for unit in sorted(graph):
        if unit not in index:
            visit(unit)
    return groups


def test_imports_inside_functions_count():
    tree = ast.parse("def f():\n    from hirfa.cards import services\n")
    assert imported_units(tree) == [("cards", 2)]


def test_every_app_and_project_module_has_a_layer():
    units = {unit_of(path) for path in HIRFA.rglob("*.py") if path != HIRFA / "__init__.py"}
    assert sorted(units - set(LAYER_OF)) == []


def test_core_imports_no_other_app():
    assert _described(edge for edge in sorted(EDGES) if edge[0] == "core") == ""


def test_reference_data_knows_no_users():
    offending = [(unit, "accounts") for unit in REFERENCE_DATA if (unit, "accounts") in EDGES]
    assert _described(offending) == ""


def test_no_app_imports_an_app_above_it():
    upward = sorted(edge for edge in EDGES if LAYER_OF[edge[1]] > LAYER_OF[edge[0]])
    assert _described(upward) == ""


def test_no_circle_between_apps():
    """A circle is reported by its edges that point up the layers (those to remove); a
    circle within one layer by all its edges."""
    offending = []
    for group in _circles():
        inside = sorted(edge for edge in EDGES if edge[0] in group and edge[1] in group)
        upward = [edge for edge in inside if LAYER_OF[edge[1]] > LAYER_OF[edge[0]]]
        offending += upward or inside
    assert _described(offending) == ""
