"""The engine: one IRG run as a stream of typed events.

registry (one per extension point), config, events, loop, iteration, strategies, analyze (+ checks, answers,
findings), plan, decoding, scaffold, render, degenerate, stopping (the live stop rule), record (the batch format),
jsonl, models (loading; hooks other packages fill), paths, constraints/ (one module per family), backends/
(transformers, llama.cpp, a server).
Imports only itself: never irg.views, irg.evaluation, irg.bench or tuning (see ARCHITECTURE.md).

The built-in units register themselves when their modules are imported; this package imports them, so anything
that imports any part of the engine finds every built-in strategy, analyzer, check, planner, stop rule and
constraint type registered. The built-in backends register by module path: the transformers one pulls torch,
seconds to import, and is imported only when chosen.
"""
from irg.engine import analyze, checks, constraints, plan, stopping, strategies  # noqa: F401 — they register
from irg.engine.compose import constraint as _composed  # noqa: F401 — the composed type registers
from irg.engine.registry import BACKENDS

BACKENDS.register_lazy("transformers", "irg.engine.backends.hf:TransformersBackend")
BACKENDS.register_lazy("llama.cpp", "irg.engine.backends.llamacpp:LlamaCppBackend")
BACKENDS.register_lazy("remote", "irg.engine.backends.remote:RemoteBackend")
