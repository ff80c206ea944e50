"""Packages built on the engine that the entry points (app.py, the CLI, the benchmarks) load, so they can fill the
engine's hooks: tuning/adapters.py registers the shipped adapters (irg.engine.models.register_adapters). A slim
install without them still runs; the engine itself never imports them."""
from __future__ import annotations

import importlib

PLUGINS = ("tuning.adapters",)


def load() -> list[str]:
    """Import each plugin that is installed; the names loaded."""
    loaded = []
    for name in PLUGINS:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        loaded.append(name)
    return loaded
