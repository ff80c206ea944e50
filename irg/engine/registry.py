"""One way to extend the engine: a `Registry` per extension point, name -> unit.

Every extension point of the engine is listed at the bottom of this file. A unit registers itself where it is
defined:

    @STRATEGIES.register("my_strategy")
    def my_strategy(ctx): ...

and from then on the config accepts its name, and the CLI flags, the app's dropdowns and the benchmarks offer it
(they read `STRATEGIES.names()`). A registry refuses a second unit under a name already taken, and an unknown name
gets a sentence that lists the known ones (the user's error class: ConfigError for settings, ModelError for
backends).

The built-in units register when their modules are imported, and `irg/engine/__init__.py` imports them: whatever
imports anything of the engine has them all. A unit behind a slow import (the transformers backend pulls torch)
registers by module path with `register_lazy` and is imported the first time it is asked for.
"""
from __future__ import annotations

import importlib
import threading
from typing import Callable, Generic, Iterator, TypeVar

from irg.engine.errors import ConfigError, ModelError

T = TypeVar("T")
_MISSING = object()


class DuplicateName(ValueError):
    """A second unit registered under a name already taken: a programming error, raised at import time."""


class _Lazy:
    """A unit known by its module path until first asked for."""

    def __init__(self, target: str):
        self.module, _, self.attr = target.partition(":")


class Registry(Generic[T]):
    def __init__(self, what: str, error: type[Exception] = ConfigError):
        self.what = what  # "strategy", "planner", ...: how messages name an entry
        self.error = error  # raised for an unknown name
        self._entries: dict[str, T | _Lazy] = {}  # in registration order (a lazy unit keeps its place once loaded)
        self._lock = threading.Lock()  # guards the dict only; never held while a module is imported

    # ---- registering ------------------------------------------------------------------------------------
    def register(self, name: str, obj: T | None = None) -> Callable[[T], T] | T:
        """`REG.register("name", obj)`, or `@REG.register("name")` above a function or class."""
        if obj is None:
            return lambda o: self.register(name, o)
        self._add(name, obj)
        return obj

    def register_lazy(self, name: str, target: str) -> None:
        """Register `"package.module:Attribute"` without importing it yet (for units behind slow imports)."""
        self._add(name, _Lazy(target))

    def _add(self, name: str, obj) -> None:
        if not isinstance(name, str) or not name.strip():
            raise DuplicateName(f"A {self.what} needs a non-empty name (got {name!r}).")
        with self._lock:
            if name in self._entries:
                raise DuplicateName(f"A {self.what} named '{name}' is already registered; choose another name.")
            self._entries[name] = obj

    def unregister(self, name: str) -> T | None:
        """Take a unit out and return it (None if there was none); tests that add one clean up with this."""
        with self._lock:
            obj = self._entries.pop(name, None)
        return None if isinstance(obj, _Lazy) else obj

    pop = unregister

    def __setitem__(self, name: str, obj: T) -> None:
        """Swap the unit under a name already registered (a test patching one); a new name goes through register()."""
        with self._lock:
            if name not in self._entries:
                raise KeyError(f"No {self.what} named '{name}' to replace; register it first.")
            self._entries[name] = obj

    # ---- looking up -------------------------------------------------------------------------------------
    def names(self) -> tuple[str, ...]:
        """Every registered name, in registration order (the built-ins first)."""
        return tuple(self._entries)

    def unknown(self, name: object) -> Exception:
        """The error for a name nobody registered: one sentence listing the known ones."""
        return self.error(f"Unknown {self.what} '{name}': choose one of {', '.join(self.names())}.")

    def get(self, name: str, default=_MISSING) -> T:
        """The unit registered as `name`; an unknown name raises `unknown(name)` (or gives `default`)."""
        obj = self._entries.get(name, _MISSING) if isinstance(name, str) else _MISSING
        if obj is _MISSING:
            if default is not _MISSING:
                return default
            raise self.unknown(name)
        if isinstance(obj, _Lazy):
            loaded = getattr(importlib.import_module(obj.module), obj.attr)  # outside the lock: imports take their own
            with self._lock:
                if self._entries.get(name) is obj:
                    self._entries[name] = loaded  # same key: it keeps its place in the order
            return loaded
        return obj

    __getitem__ = get

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> list[tuple[str, T]]:
        return [(n, self.get(n)) for n in self.names()]

    def __repr__(self) -> str:
        return f"Registry({self.what!r}: {', '.join(self.names())})"


# ---- the engine's extension points (evaluation's suites and the app's tabs have their own) --------------------
STRATEGIES: Registry = Registry("strategy")  # (RunContext) -> Iterator[Event]; built-ins: strategies.py
ANALYZERS: Registry = Registry("analyzer")  # classes with .build(backend, config); by reflection mode: analyze.py
CHECKS: Registry = Registry("general check")  # (text, finish_reason=, task=) -> [Finding]; checks.py
PLANNERS: Registry = Registry("planner")  # classes with .build(backend, config, constraints, chars/token); plan.py
STOP_RULES: Registry = Registry("stop rule")  # (iterations, features, stopper, threshold) -> stop?; stopping.py
CONSTRAINT_TYPES: Registry = Registry("constraint kind")  # Constraint classes by their kind; constraints/*.py
BACKENDS: Registry = Registry("backend", error=ModelError)  # Backend classes with .load(spec); engine/__init__.py
# adapter name -> label; filled by an adapter package (tuning/adapters/shipped.py)
ADAPTERS: Registry = Registry("adapter")
