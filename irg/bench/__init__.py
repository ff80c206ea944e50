"""Benchmarks: `python -m irg.bench COMMAND` (cli.py: `--help` lists every subcommand), each measured in a module of
its own: speed (speed, agree, timing), adapters, app (the app in Chromium), presets, debris, robust, recovery.

Top of the stack: may import everything under irg/.
"""
