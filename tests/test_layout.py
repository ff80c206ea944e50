"""The layout keeps its promises (ARCHITECTURE.md): imports point one way, no module imports itself back through
another, files and functions stay readable in one sitting."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "irg").glob("**/*.py"), *(ROOT / "tuning").glob("**/*.py"), ROOT / "app.py"])
# package -> what it must never import (anywhere in the file, function-level imports included)
FORBIDDEN = {"irg/engine": ("irg.views", "irg.evaluation", "irg.bench", "tuning"),
             "irg/evaluation": ("irg.views", "irg.bench", "tuning"),
             "irg/views": ("irg.bench", "tuning"),  # views load tuning as a plugin (irg.views.plugins), never import it
             "tuning": ("irg.views", "irg.bench"),  # tuning uses the engine and evaluation, and registers itself
             "app.py": ("irg.evaluation", "irg.bench")}  # app.py: components and wiring over views (tuning: below)


def module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    """What the file imports when it runs: `if TYPE_CHECKING:` blocks are for type checkers and never run."""
    tree = ast.parse(path.read_text())
    for n in ast.walk(tree):
        if isinstance(n, ast.If) and ast.unparse(n.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            n.body = []
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for n in nodes:
        if isinstance(n, ast.Import):
            found |= {a.name for a in n.names}
        elif isinstance(n, ast.ImportFrom) and n.module and n.level == 0:
            found.add(n.module)
            found |= {f"{n.module}.{a.name}" for a in n.names}
    return found


def import_graph(sources: list[Path], root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the project modules its import statements run (function-level ones too). A package's __init__ is a
    module of its own, and importing `a.b.c` runs `a.b`'s __init__ first: that is an edge too, except to the
    importer's own packages, which Python has initialised before the importer's first line."""
    mods = {module_name(p, root): p for p in sources}
    graph: dict[str, set[str]] = {}
    for m, p in mods.items():
        own = {m.rsplit(".", k)[0] for k in range(1, m.count(".") + 1)}  # a.b.c -> {a.b, a}
        deps = set()
        for d in imports(p):
            if d not in mods:  # `from pkg import name`: name is an attribute of pkg's __init__, not a module
                continue
            parts = d.split(".")
            deps |= {".".join(parts[:k]) for k in range(1, len(parts))} - own  # the packages that run first
            deps.add(d)
        graph[m] = {d for d in deps if d in mods and d != m}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(m, path):
        state[m] = 1
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return path[path.index(d):] + [d]
            if d not in state and (found := visit(d, path + [d])):
                return found
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m, [m])):
            return found
    return None


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_imports_point_one_way(package):
    bad = [f"{p.relative_to(ROOT)} imports {m}" for p in SOURCES if str(p.relative_to(ROOT)).startswith(package)
           for m in sorted(imports(p)) if m.startswith(FORBIDDEN[package])]
    assert not bad, bad


def test_the_app_runs_without_tuning():
    """app.py reads tuning's two report sections only inside `try: ... except ImportError` (a slim Space has no
    tuning/); everything else of tuning reaches the page through the engine's hooks, never an import."""
    tree = ast.parse((ROOT / "app.py").read_text())
    guarded = {id(n) for t in ast.walk(tree) if isinstance(t, ast.Try)
               and any("ImportError" in ast.unparse(h.type or ast.Name("BaseException")) for h in t.handlers)
               for stmt in t.body for n in ast.walk(stmt)}
    bare = [f"app.py:{n.lineno}" for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
            and id(n) not in guarded and any(m.startswith("tuning") for m in
                                            ([n.module or ""] if isinstance(n, ast.ImportFrom) else [a.name for a in n.names]))]
    assert not bare, bare


def test_no_import_cycles_between_modules():
    """Function-level imports count too: a cycle hidden in a function is still a cycle; so does one through a
    package's __init__ (analyze -> constraints/__init__ -> answer_key -> analyze was one)."""
    cycle = find_cycle(import_graph(SOURCES))
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


PLANTED = {  # the shape of the circle the first layout test missed: through a package __init__, in a function
    "pkg/__init__.py": "",
    "pkg/analyze.py": "from pkg.constraints.base import Constraint\n",
    "pkg/constraints/__init__.py": "from pkg.constraints import answer_key, base\n",
    "pkg/constraints/base.py": "class Constraint: ...\n",
    "pkg/constraints/answer_key.py": "def check():\n    from pkg.analyze import final_answer\n",
}


def test_a_planted_circle_through_a_package_init_is_caught(tmp_path):
    for rel, text in PLANTED.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    sources = sorted(tmp_path.glob("**/*.py"))
    cycle = find_cycle(import_graph(sources, tmp_path))
    assert cycle is not None and "pkg.constraints" in cycle and "pkg.analyze" in cycle, cycle
    (tmp_path / "pkg/constraints/answer_key.py").write_text("def check():\n    return None\n")  # the mend
    assert find_cycle(import_graph(sorted(tmp_path.glob("**/*.py")), tmp_path)) is None


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
