"""The layout keeps its promises (ARCHITECTURE.md): imports point one way, no module imports itself back through
another, files and functions stay readable in one sitting."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "irg").glob("**/*.py"), *(ROOT / "tuning").glob("**/*.py"), ROOT / "app.py"])
# package -> what it must never import (anywhere in the file, function-level imports included)
FORBIDDEN = {"irg/engine": ("irg.views", "irg.evaluation", "irg.bench", "tuning"),
             "irg/evaluation": ("irg.views", "irg.bench"),
             "irg/views": ("irg.bench",)}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for n in nodes:
        if isinstance(n, ast.Import):
            found |= {a.name for a in n.names}
        elif isinstance(n, ast.ImportFrom) and n.module and n.level == 0:
            found.add(n.module)
            found |= {f"{n.module}.{a.name}" for a in n.names}
    return found


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_imports_point_one_way(package):
    bad = [f"{p.relative_to(ROOT)} imports {m}" for p in SOURCES if str(p.relative_to(ROOT)).startswith(package)
           for m in sorted(imports(p)) if m.startswith(FORBIDDEN[package])]
    assert not bad, bad


def test_no_import_cycles_between_modules():
    """Function-level imports count too: a cycle hidden in a function is still a cycle (a package and its own
    modules are one unit)."""
    mods = {module_name(p): p for p in SOURCES}
    graph = {m: {d for d in imports(p) if d in mods and d != m and not d.startswith(m + ".") and not m.startswith(d + ".")}
             for m, p in mods.items()}
    state: dict[str, int] = {}

    def visit(m, path):
        state[m] = 1
        for d in graph[m]:
            if state.get(d) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(d):] + [d]))
            if d not in state:
                visit(d, path + [d])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [m])


def test_files_and_functions_read_in_one_sitting():
    long_files = [f"{p.relative_to(ROOT)}: {n} lines" for p in SOURCES
                  if (n := len(p.read_text().splitlines())) > 400 and "Why one file" not in (ast.get_docstring(ast.parse(p.read_text())) or "")]
    long_functions = [f"{p.relative_to(ROOT)}:{f.lineno} {f.name}: {f.end_lineno - f.lineno + 1} lines" for p in SOURCES
                      for f in ast.walk(ast.parse(p.read_text())) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                      and f.end_lineno - f.lineno + 1 > 90]
    assert not long_files and not long_functions, long_files + long_functions


def test_every_error_meant_for_the_user_shares_one_base():
    """A view catches UserError and shows the sentence; the old names still import from where they are raised."""
    from irg.engine.backends import BackendError
    from irg.engine.config import ConfigError
    from irg.engine.constraints import ConstraintError
    from irg.engine.errors import UserError
    from irg.engine.loop import InputError
    from irg.engine.models import ModelError
    from tuning.errors import AdapterError

    for cls in (BackendError, ConfigError, ConstraintError, InputError, ModelError, AdapterError):
        assert issubclass(cls, UserError), cls
    assert issubclass(ConfigError, ValueError) and issubclass(ModelError, RuntimeError)  # old catch sites still work
