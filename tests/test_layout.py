"""The layout keeps its promises (ARCHITECTURE.md): imports point one way, no module imports itself back through
another, files and functions stay readable in one sitting."""
import argparse
import ast
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "irg").glob("**/*.py"), *(ROOT / "tuning").glob("**/*.py"), ROOT / "app.py",
                  *(ROOT / "scripts").glob("**/*.py")])  # scripts: measurements over the tree, which nothing imports
DOCS = sorted([ROOT / "README.md", ROOT / "ARCHITECTURE.md", *(ROOT / "docs").glob("**/*.md")])
# package -> what it must never import (anywhere in the file, function-level imports included)
FORBIDDEN = {"irg/engine": ("irg.views", "irg.evaluation", "irg.bench", "tuning", "scripts"),
             "irg/evaluation": ("irg.views", "irg.bench", "tuning", "scripts"),
             "irg/views": ("irg.bench", "tuning", "scripts"),  # views load tuning as a plugin (irg.views.plugins)
             "irg/bench": ("scripts",),
             "tuning": ("irg.views", "irg.bench", "scripts"),  # tuning uses the engine and evaluation, registers itself
             "app.py": ("irg.evaluation", "irg.bench", "scripts")}  # components and wiring over views (tuning: below)


def module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _runs(tree: ast.Module) -> ast.Module:
    """The tree without `if TYPE_CHECKING:` blocks (for type checkers; they never run), where TYPE_CHECKING is
    typing's own (a local flag of that name could hide a real import)."""
    from_typing = any(isinstance(n, ast.ImportFrom) and n.module == "typing"
                      and any(a.name == "TYPE_CHECKING" for a in n.names)
                      for n in tree.body)
    for n in ast.walk(tree):
        test = ast.unparse(n.test) if isinstance(n, ast.If) else ""
        if test == "typing.TYPE_CHECKING" or (test == "TYPE_CHECKING" and from_typing):
            n.body = []
    return tree


def _from_base(n: ast.ImportFrom, path: Path, root: Path) -> str:
    """The module an ImportFrom reads from, relative imports resolved against the file's package."""
    if not n.level:
        return n.module or ""
    here = module_name(path, root).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    return ".".join(package[: len(package) - n.level + 1] + ([n.module] if n.module else []))


def imports(path: Path, root: Path = ROOT) -> set[str]:
    """What the file's import statements name when it runs (function-level ones included): modules, and for
    `from m import x` both m and m.x (the direction rules match prefixes)."""
    found = set()
    for n in ast.walk(_runs(ast.parse(path.read_text()))):
        if isinstance(n, ast.Import):
            found |= {a.name for a in n.names}
        elif isinstance(n, ast.ImportFrom) and (base := _from_base(n, path, root)):
            found |= {base} | {f"{base}.{a.name}" for a in n.names}
    return found


def targets(path: Path, root: Path, mods: set[str]) -> set[str]:
    """The project modules the file runs: `import a.b` -> a.b; `from m import x` -> m.x if that is a module, else m
    (x is read from m's namespace, so m must have run, even when m is the file's own package); and the modules it
    imports by name: `register_lazy("x", "pkg.mod:Attr")`, `import_module("pkg.mod")`; irg.views.plugins runs the
    modules pyproject.toml declares as plugins."""
    out = set()
    for n in ast.walk(_runs(ast.parse(path.read_text()))):
        if isinstance(n, ast.Import):
            out |= {a.name for a in n.names}
        elif isinstance(n, ast.ImportFrom) and (base := _from_base(n, path, root)):
            out |= {f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in n.names}
        elif (isinstance(n, ast.Call)
              and getattr(n.func, "attr", getattr(n.func, "id", "")) in ("register_lazy", "import_module")):
            out |= {a.value.split(":")[0] for a in n.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    if module_name(path, root) == "irg.views.plugins" and (root / "pyproject.toml").is_file():
        from irg.views.plugins import _own
        out |= {v.split(":")[0] for v in _own((root / "pyproject.toml").read_text()).values()}
    return out


def import_graph(sources: list[Path], root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the project modules it runs. A package's __init__ is a module of its own, and importing `a.b.c`
    runs `a.b`'s __init__ first: that is an edge too, except to the importer's own packages, which Python has
    initialised before the importer's first line."""
    mods = {module_name(p, root): p for p in sources}
    graph: dict[str, set[str]] = {}
    for m, p in mods.items():
        own = {m.rsplit(".", k)[0] for k in range(1, m.count(".") + 1)}  # a.b.c -> {a.b, a}
        deps = set()
        for d in targets(p, root, set(mods)):
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
    guarded = {id(stmt) for t in ast.walk(tree) if isinstance(t, ast.Try)  # the try's own statements, not a def in it
               and any("ImportError" in ast.unparse(h.type or ast.Name("BaseException"))
                       # handled, not re-raised
                       and not all(isinstance(b, ast.Raise) for b in h.body) for h in t.handlers)
               for stmt in t.body}
    bare = [f"app.py:{n.lineno}" for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
            and id(n) not in guarded and any(m.startswith("tuning") for m in
                                            ([n.module or ""] if isinstance(n, ast.ImportFrom)
                                             else [a.name for a in n.names]))]
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


HIDDEN = {  # the same circle written the other ways a cycle can hide
    "relative": "def check():\n    from ..analyze import final_answer\n",
    "by name": "from pkg.registry import REG\nREG.register_lazy('x', 'pkg.analyze:final_answer')\n",
    "local TYPE_CHECKING flag": "TYPE_CHECKING = True\nif TYPE_CHECKING:\n    from pkg.analyze import final_answer\n",
}


@pytest.mark.parametrize("how", list(HIDDEN))
def test_a_circle_hidden_in_a_relative_import_a_name_or_a_fake_type_check_is_caught(tmp_path, how):
    for rel, text in {**PLANTED, "pkg/registry.py": "", "pkg/constraints/answer_key.py": HIDDEN[how]}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    cycle = find_cycle(import_graph(sorted(tmp_path.glob("**/*.py")), tmp_path))
    assert cycle is not None and "pkg.analyze" in cycle, (how, cycle)


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
                  if (n := len(p.read_text().splitlines())) > 400
                  and "Why one file" not in (ast.get_docstring(ast.parse(p.read_text())) or "")]
    long_functions = [f"{p.relative_to(ROOT)}:{f.lineno} {f.name}: {f.end_lineno - f.lineno + 1} lines" for p in SOURCES
                      for f in ast.walk(ast.parse(p.read_text()))
                      if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                      and f.end_lineno - f.lineno + 1 > 90]
    assert not long_files and not long_functions, long_files + long_functions


def test_every_error_meant_for_the_user_shares_one_base():
    """A view catches UserError and shows the sentence; the old names still import from where they are raised."""
    from irg.engine.backends import BackendError
    from irg.engine.config import ConfigError
    from irg.engine.constraints import ConstraintError
    from irg.engine.errors import AdapterError, UserError
    from irg.engine.loop import InputError
    from irg.engine.models import ModelError

    for cls in (BackendError, ConfigError, ConstraintError, InputError, ModelError, AdapterError):
        assert issubclass(cls, UserError), cls
    assert issubclass(ConfigError, ValueError) and issubclass(ModelError, RuntimeError)  # old catch sites still work


# ---- the docs' code: what a reader copies must work on this tree ----------------------------------------------
def _commands(text: str) -> set[tuple[str, str]]:
    """(module, first word after it) of every `python -m MODULE [word]` (the word: '' when a flag or quote follows)."""
    return {(m, w) for m, w in re.findall(r"python -m ([A-Za-z_][\w.]*)(?: ([a-z][\w-]*))?", text)}


def _subcommands(module: str) -> set[str] | None:
    """The subcommands a command of this tree knows (None: a command without subcommands, or not checked here)."""
    from irg.bench.cli import parser as bench_parser
    from irg.views.cli import parser as cli_parser

    p = {"irg.bench": bench_parser, "irg": cli_parser}.get(module)
    return set(next(a for a in p()._actions if isinstance(a, argparse._SubParsersAction)).choices) if p else None


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_docs_code_works_on_this_tree(doc):
    """Every python block parses, every `python -m` names a module of this checkout (or an installed tool) and a
    subcommand it has, every relative link points at a file that exists."""
    text = doc.read_text()
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        ast.parse(block)
    bad = []
    for module, word in sorted(_commands(text)):
        path = ROOT / module.replace(".", "/")
        if not (path.with_suffix(".py").is_file() or (path / "__main__.py").is_file()
                or (not module.startswith(("irg", "tuning", "scripts")) and importlib.util.find_spec(module))):
            bad.append(f"python -m {module}: no such module")
        elif word and (known := _subcommands(module)) is not None and word not in known:
            bad.append(f"python -m {module} {word}: no such subcommand")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if (not target.startswith(("http:", "https:", "#", "mailto:"))
                and not (doc.parent / target.split("#")[0]).exists()):
            bad.append(f"link {target}: no such file")
    assert not bad, bad


def test_ruff_is_clean_with_lines_held_to_120_characters():
    """`make lint` as a test: the tree stays under pyproject's line length (120) and the rules ruff checks."""
    import subprocess
    import sys

    got = subprocess.run([sys.executable, "-m", "ruff", "check", "irg", "tuning", "tests", "app.py", "scripts"],
                         cwd=ROOT, capture_output=True, text=True)
    assert got.returncode == 0, got.stdout[-3000:]
