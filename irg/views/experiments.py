"""The app's Experiments tab: saved quality reports, and small experiments run live.

Saved reports are the summary.json files the quality runner writes (irg/evaluation/summary.py):
the committed ones under assets/results/quality/ and any under runs/quality/. A live
experiment is the same runner on a few dev-split items, reporting progress after each run.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Callable

from irg.engine import paths
from irg.engine.config import ConfigError, RunConfig
from irg.engine.errors import InputError
from irg.evaluation import runner as quality
from irg.evaluation import suites
from irg.evaluation import summary as evaluation
from irg.evaluation.summary_html import figures, table
from irg.views import scratch

ROOT = paths.ROOT
REPORT_DIRS = (ROOT / "assets" / "results" / "quality", ROOT / "runs" / "quality")
STUDIES = ROOT / "docs" / "results"  # one page per study (docs/results/README.md is their index)
LIVE_MAX_ITEMS = 20  # a live experiment is a demonstration; the real ones run from the command line


def saved_summaries() -> dict[str, Path]:
    out = {}
    for d in REPORT_DIRS:
        for f in sorted(d.glob("*/summary.json")) if d.exists() else []:
            out[f"{f.parent.name} ({'committed' if 'assets' in f.parts else 'local run'})"] = f
    return out


def studies(directory: Path = STUDIES) -> dict[str, Path]:
    """The written-up studies, index first: {title (the page's first heading) -> page}."""
    pages = sorted(directory.glob("*.md"), key=lambda f: (f.name != "README.md", f.name)) if directory.is_dir() else []
    return {next((ln.lstrip("# ").strip() for ln in f.read_text().splitlines() if ln.startswith("# ")), f.stem)
            + f" ({f.name})": f for f in pages}


def study(title: str | None) -> str:
    """A study's page as Markdown (its links point into the repository: the path says where)."""
    path = studies().get(title or "")
    if path is None:
        return "No written-up study of that name (the pages are in docs/results/)."
    return f"*{path.relative_to(ROOT)}*\n\n" + path.read_text()


def show(summary: dict) -> tuple[str, list]:
    """(HTML table, plotly figures) of a summary."""
    extra = ""
    if "extraction" in summary:
        e = summary["extraction"]
        extra = (f"<p>Constraint extraction vs ground truth: precision {e['precision']:.3f}, recall {e['recall']:.3f}, "
                 f"prompts exact {e['prompts_exact']:.1%}</p>")
    # the table scrolls sideways inside its box on a phone instead of being cut off
    return f"<div style='overflow-x:auto'>{table(summary)}</div>" + extra, figures(summary)


def load(name: str) -> dict:
    path = saved_summaries().get(name)
    if path is None:
        raise InputError(f"No saved report called '{name}'.")
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as e:  # a file on disk, maybe half-written by a run still going
        raise InputError(f"The saved report '{name}' cannot be read ({e}).") from e


LIVE_SUITES = ("constraints", "maths", "open_qa")  # the suites a live run can load without a --data file


def live(suite: str, n: int, strategies: list[str], budget: int, model: str, cancel: threading.Event,
         on_progress: Callable[[int, int], None] | None = None) -> dict:
    """Runs the strategies on the first n dev items of a suite; returns the summary."""
    if not strategies:
        raise ConfigError("Choose at least one strategy.")
    if not 1 <= n <= LIVE_MAX_ITEMS:
        raise ConfigError(f"A live experiment takes 1 to {LIVE_MAX_ITEMS} prompts; run bigger ones with "
                         "`python -m irg.bench quality` (see docs/results/task-suites.md).")
    items = suites.load(suite, "dev", n)
    base = RunConfig(budget=budget).to_dict()
    out = scratch.new_dir("irg-exp") / "results.jsonl"
    quality.run_suite(items, strategies, base, out, model, progress=False, cancel=cancel, on_done=on_progress)
    rows = evaluation.load_results(out)
    if not rows:
        raise InputError("The experiment was stopped before any run finished.")
    return evaluation.summarize(rows)
