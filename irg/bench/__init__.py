"""Benchmarks: `python -m irg.bench {speed,agree,timing,quality,compare,app}` (cli), the app in Chromium (app).

Top of the stack: may import everything under irg/.
"""
