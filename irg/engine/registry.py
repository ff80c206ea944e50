"""One way to extend the engine: a `Registry` per extension point, name -> object.

Every extension point is listed at the bottom of this file. A unit registers itself where it is defined:

    @STRATEGIES.register("my_strategy")
    def my_strategy(ctx): ...

and from then on the config accepts its name, and the CLI flags, the app's dropdowns and the benchmarks offer it
(they read `STRATEGIES.names()`). A registry rejects a second unit under a name already taken, and an unknown name
gets a sentence that lists the known ones (the user's error class: ConfigError for settings, ModelError for backends).

Built-in units register when their module is imported; each registry imports its built-in modules (`builtins`) the
first time it is asked for a name, as simonw/llm loads its default plugins: a config can then be validated without
the config module importing the strategies, which import the config. A unit whose module is slow to import (the
transformers backend pulls torch) registers by module path with `register_lazy` and is imported when first used.
"""
from __future__ import annotations

import importlib
import threading
from typing import Callable, Generic, Iterator, TypeVar

from irg.engine.errors import ConfigError, ModelError, UserError

T = TypeVar("T")


class DuplicateName(ValueError):
    """A second unit registered under a name already taken: a programming error, raised at import time."""


class Registry(Generic[T]):
    def __init__(self, what: str, error: type[Exception] = ConfigError, builtins: tuple[str, ...] = ()):
        self.what = what  # "strategy", "planner", ...: how messages name an entry
        self.error = error  # raised for an unknown name
        self.builtins = builtins  # modules whose import registers the built-in units
        self._entries: dict[str, T] = {}
        self._lazy: dict[str, str] = {}  # name -> "module:attribute", imported on first get()
        self._loaded = not builtins
        self._lock = threading.RLock()

    # ---- registering ------------------------------------------------------------------------------------
    def register(self, name: str, obj: T | None = None) -> Callable[[T], T] | T:
        """`REG.register("name", obj)`, or `@REG.register("name")` above a function or class."""
        if obj is None:
            return lambda o: self.register(name, o)
        with self._lock:
            self._check_free(name)
            self._entries[name] = obj
        return obj

    def register_lazy(self, name: str, target: str) -> None:
        """Register `"package.module:Attribute"` without importing it yet (for units behind heavy imports)."""
        with self._lock:
            self._check_free(name)
            self._lazy[name] = target

    def unregister(self, name: str) -> T | None:
        """Take a unit out and return it (tests that add one clean up with this)."""
        with self._lock:
            self._lazy.pop(name, None)
            return self._entries.pop(name, None)

    pop = unregister

    def __setitem__(self, name: str, obj: T) -> None:
        """Swap the unit under a name already registered (a test patching one); a new name goes through register()."""
        with self._lock:
            if name not in self:
                raise KeyError(f"No {self.what} named '{name}' to replace; register it first.")
            self._lazy.pop(name, None)
            self._entries[name] = obj

    def __delitem__(self, name: str) -> None:
        self.unregister(name)

    def _check_free(self, name: str) -> None:
        if not isinstance(name, str) or not name.strip():
            raise DuplicateName(f"A {self.what} needs a non-empty name (got {name!r}).")
        if name in self._entries or name in self._lazy:
            raise DuplicateName(f"A {self.what} named '{name}' is already registered; choose another name.")

    # ---- looking up -------------------------------------------------------------------------------------
    def load_builtins(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                self._loaded = True  # set first: a built-in module may look names up while it is imported
                try:
                    for module in self.builtins:
                        importlib.import_module(module)
                except BaseException:
                    self._loaded = False
                    raise

    def names(self) -> tuple[str, ...]:
        """Every registered name, in registration order (built-ins first)."""
        self.load_builtins()
        order = list(self._entries) + [n for n in self._lazy if n not in self._entries]
        return tuple(order)

    def unknown(self, name: object) -> UserError | Exception:
        """The error for a name nobody registered: one sentence listing the known ones."""
        return self.error(f"Unknown {self.what} '{name}': choose one of {', '.join(self.names())}.")

    def get(self, name: str, default=...) -> T:
        """The unit registered as `name`; an unknown name raises the sentence of `unknown()` (or gives `default`)."""
        self.load_builtins()
        if name in self._entries:
            return self._entries[name]
        if isinstance(name, str) and name in self._lazy:
            module, _, attr = self._lazy[name].partition(":")
            obj = getattr(importlib.import_module(module), attr)
            with self._lock:
                self._entries.setdefault(name, obj)
            return self._entries[name]
        if default is not ...:
            return default
        raise self.unknown(name)

    __getitem__ = get

    def __contains__(self, name: object) -> bool:
        self.load_builtins()
        return isinstance(name, str) and (name in self._entries or name in self._lazy)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def items(self) -> list[tuple[str, T]]:
        return [(n, self.get(n)) for n in self.names()]

    def __repr__(self) -> str:
        return f"Registry({self.what!r}: {', '.join(self.names()) if self._loaded else '…'})"


# ---- the engine's extension points (evaluation has its own: irg/evaluation/suites) -------------------------
STRATEGIES: Registry = Registry("strategy", builtins=("irg.engine.strategies",))  # (RunContext) -> Iterator[Event]
PLANNERS: Registry = Registry("planner", builtins=("irg.engine.plan",))  # classes with .build(backend, config, …)
ANALYZERS: Registry = Registry("analyzer", builtins=("irg.engine.analyze",))  # classes with .build(backend, config)
CHECKS: Registry = Registry("general check", builtins=("irg.engine.analyze",))  # (text, finish_reason, task) -> findings
STOP_RULES: Registry = Registry("stop rule", builtins=("irg.engine.stopping",))  # (its, x, stopper, threshold) -> stop?
CONSTRAINT_TYPES: Registry = Registry("constraint type", builtins=("irg.engine.constraints",))  # Constraint classes
BACKENDS: Registry = Registry("backend", error=ModelError, builtins=("irg.engine.backends",))  # Backend classes
ADAPTERS: Registry = Registry("adapter")  # adapter name -> label; filled by an adapter package (tuning/adapters.py)
