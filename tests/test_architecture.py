"""The package's layers, read off its imports: a newcomer sees the architecture in the
folder list, and the folder list stays true.

Lowest first; a module may import from its own layer and the layers below it, never above.
"""
from __future__ import annotations

import ast

import pytest

from conftest import ROOT

PACKAGE = ROOT / "governance"

#: layer -> what it holds; each layer may use the ones listed before it
LAYERS = {
    "base": "errors, the project's folders, i18n, wording of values, calendar arithmetic",
    "formats": "reading files safely: YAML/JSON with positions, the public input formats",
    "policy": "fund policies as dated data",
    "engine": "the condition language, derived figures, compiling and running rules, decisions",
    "board": "after and around the decision: register, follow-up, ledger, cases and meetings",
    "authoring": "tools for policy authors: lint, explain, impact, coverage, schemas",
    "documents": "what people read: letters, reports, the handbook",
    "facade": "the public API (governance.Governance)",
    "web": "the web workplace (fundgov serve starts it from the command line)",
    "cli": "the command line",
}
ORDER = list(LAYERS)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "facade"
    if parts[1] in LAYERS:
        return parts[1]
    return "base"  # governance.errors, governance.dates, ...


def imports() -> list[tuple[str, str, int]]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "governance":
                for alias in node.names:  # "from governance.cli import decide" imports the module governance.cli.decide
                    sub = f"{node.module}.{alias.name}"
                    is_module = (ROOT / (sub.replace(".", "/") + ".py")).exists()
                    found.append((module, sub if is_module else node.module, node.lineno))
            elif isinstance(node, ast.ImportFrom) and node.level:
                pytest.fail(f"{module}:{node.lineno}: use absolute imports (from governance.… import …)")
    return found


def test_every_subpackage_is_a_known_layer():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(LAYERS), f"a new layer? add it to LAYERS with what it holds: {folders - set(LAYERS)}"


def test_no_layer_imports_from_a_layer_above_it():
    upward = [f"{module}:{line} imports {target} ({layer_of(module)} may not use {layer_of(target)})"
              for module, target, line in imports()
              if ORDER.index(layer_of(target)) > ORDER.index(layer_of(module))]
    assert upward == []


def test_no_import_cycles_between_modules():
    graph: dict[str, set[str]] = {}
    for module, target, _line in imports():
        graph.setdefault(module, set()).add(target)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt == node or nxt not in graph and nxt.count(".") == 0:
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            assert cycle is None, " -> ".join(cycle)
