"""The engine: one IRG run as a stream of typed events.

config, events, loop, strategies, analyze (+ findings), plan, decoding, scaffold, render, degenerate, stopping (the
live stop rule), record (the batch format), jsonl, models (loading; hooks other packages fill), paths,
constraints/ (one module per family), backends/ (transformers, llama.cpp, a server).
Imports only itself: never irg.views, irg.evaluation, irg.bench or tuning (see ARCHITECTURE.md).
"""
