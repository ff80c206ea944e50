"""Packages built on the engine that the entry points (app.py, the CLI, the benchmarks) load, so they can fill the
engine's hooks (tuning.adapters.shipped registers the shipped adapters: irg.engine.models.register_adapters).

A plugin is any installed package that declares an entry point in the group "irg.plugins":

    [project.entry-points."irg.plugins"]
    my_plugin = "my_package.module"

Importing the module is all a plugin needs: it registers its strategies, planners, backends, constraint types,
tabs or adapters with the registries on import. The project's own plugin is declared the same way in this
checkout's pyproject.toml, which is also read when the checkout runs without being installed (`make run`, a Space).
A plugin that is not installed (a slim install without tuning/) is skipped; the engine itself never imports one.
"""
from __future__ import annotations

import importlib
import importlib.metadata
import logging
import re
from pathlib import Path

GROUP = "irg.plugins"
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
log = logging.getLogger(__name__)


def declared(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """name -> module: the plugins installed packages declare, and this checkout's own."""
    found = {ep.name: ep.value for ep in importlib.metadata.entry_points(group=GROUP)}
    if pyproject.is_file():
        found = {**_own(pyproject.read_text()), **found}  # an installed copy of this checkout declares the same names
    return found


def _own(text: str) -> dict[str, str]:
    """The `name = "module"` lines of the entry-point table (tomllib is Python 3.11+; the project runs on 3.10)."""
    table = re.search(r'^\[project\.entry-points\."irg\.plugins"\]\n(.*?)(?=^\[|\Z)', text, re.M | re.S)
    return dict(re.findall(r'^\s*([\w.-]+)\s*=\s*"([^"]+)"', table.group(1), re.M)) if table else {}


def load(pyproject: Path = PYPROJECT) -> list[str]:
    """Import each declared plugin that is installed; the modules loaded."""
    loaded = []
    for name, value in sorted(declared(pyproject).items()):
        module = value.split(":")[0].strip()
        try:
            importlib.import_module(module)
        except ImportError as e:  # not installed, or a library it needs is not: the rest of the app still runs
            log.warning("plugin %s (%s) not loaded: %s", name, module, e)
            continue
        loaded.append(module)
    return loaded
