"""What people see: the app's pages (ui, compare, experiments, charts, presets, textdiff) and the CLI (cli).

Views consume the engine's events; they may import irg.engine and irg.evaluation, never irg.bench.
"""
