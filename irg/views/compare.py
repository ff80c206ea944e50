"""Compare mode: one prompt, two to four strategies at the same token budget, run together on one shared model.

`run_together` runs each strategy's event generator in a thread of its own and merges the events into one
stream of (strategy, event) pairs. The threads share the loaded model: llama.cpp decodes their requests in
the same batches (its slots), transformers takes turns (a lock per model). Each run has its own cancel event
— a run that ends sets its own, which must not end the others — and the shared one (Stop) reaches them all.

`CompareView` feeds each strategy's events to a RunView of its own (the Run tab's view: same cards, same
answer key) and draws the columns side by side, one anytime chart with every strategy on it, and the
comparison as JSON and Markdown. `stream_compare` is the page's entry point, like `ui.stream_run`.
"""
from __future__ import annotations

import html
import logging
import queue
import threading
import time
from dataclasses import replace
from typing import Iterator

from irg.engine.config import ConfigError, RunConfig
from irg.engine.errors import UserError
from irg.engine.events import DraftToken, Event, Final
from irg.engine.registry import STRATEGIES
from irg.views import admission, charts, ui
from irg.views import session as sess
from irg.views.presets import Preset
from irg.views.run_view import RunView, md_quote, write_pair

log = logging.getLogger(__name__)
DEFAULT = ("single_pass", "best_of_n", "irg_hybrid")
DEFAULT_BUDGET = 1500
MAX_STRATEGIES = 4


def run_together(prompt: str, backend, configs: dict[str, RunConfig], cancel: threading.Event,
                 draft_backend=None) -> Iterator[tuple[str, Event | BaseException]]:
    """(strategy, event) pairs from every run as they happen; an exception in one run arrives as
    (strategy, exception) and ends that run only. Closing the iterator stops every run and waits for it."""
    from irg.engine.strategies import run

    q: queue.Queue = queue.Queue()
    own = {name: threading.Event() for name in configs}

    def work(name: str, config: RunConfig) -> None:
        try:
            with admission.shared().turn(own[name]) as got:  # each run takes a lane, as a client's run does
                if not got:
                    return
                events = run(prompt, backend, config, own[name], draft_backend=draft_backend)
                try:
                    for ev in events:
                        q.put((name, ev))
                finally:
                    events.close()  # the run ends before its lane is given back
        except BaseException as err:  # noqa: BLE001 — delivered to the consumer, which shows it in that column
            q.put((name, err))
        finally:
            q.put((name, None))

    threads = [threading.Thread(target=work, args=(n, c), daemon=True, name=f"irg-compare-{n}")
               for n, c in configs.items()]
    for t in threads:
        t.start()
    running = len(threads)
    try:
        while running:
            if cancel.is_set():  # Stop: every run halts and ends normally, showing what it had
                for ev in own.values():
                    ev.set()
            try:
                name, item = q.get(timeout=0.05)
            except queue.Empty:
                continue
            if item is None:
                running -= 1
            else:
                yield name, item
    finally:
        for ev in own.values():
            ev.set()
        for t in threads:
            t.join()


class CompareView:
    """The columns, the shared chart and the export of one comparison."""

    def __init__(self, prompt: str, model: str, strategies: list[str], budget: int, preset: Preset | None = None):
        self.prompt, self.model, self.budget, self.preset = prompt, model, budget, preset
        self.views = {s: RunView(preset) for s in strategies}
        self.errors: dict[str, str] = {}
        self.started = time.perf_counter()
        self.first_token: dict[str, float] = {}  # seconds from the start to each column's first draft text

    def add(self, name: str, item) -> bool:
        """Feed one run's event (or its exception); True when the chart needs redrawing."""
        if isinstance(item, BaseException):
            if not isinstance(item, (ValueError, RuntimeError, OSError)):
                log.error("compare: %s failed", name, exc_info=item)
            self.errors[name] = f"{type(item).__name__}: {item}" if not str(item) else str(item)
            return False
        if isinstance(item, DraftToken) and name not in self.first_token and item.text.strip():
            self.first_token[name] = time.perf_counter() - self.started
        return self.views[name].add(item)

    @property
    def done(self) -> bool:
        return all(v.final is not None or n in self.errors for n, v in self.views.items())

    def row(self, name: str) -> dict:
        """One strategy's figures: the final answer's quality (answer key when there is one), tokens, seconds."""
        v = self.views[name]
        f = v.final
        key = self.preset.check(f.answer) if (self.preset and f) else None
        return {"strategy": name, "quality": v.curve.final_quality,
                "quality_is": "answer key" if v.curve.has_key else "run's score",
                "answer_key": f"{key['met']}/{key['total']}" if key and key["total"] else None,
                "score": None if f is None else (f.best_score if f.mode == "best" else f.last_score),
                "tokens": None if f is None else f.tokens_total, "seconds": None if f is None else f.seconds,
                "iterations": len(v.curve.points), "stopped": v.stopped, "error": self.errors.get(name),
                "first_token_seconds": self.first_token.get(name)}

    # ---- HTML --------------------------------------------------------------------------
    def columns_html(self) -> str:
        cols = []
        for name, v in self.views.items():
            r = self.row(name)
            if name in self.errors:
                state = f"<div class='irg-error'>⚠ {html.escape(self.errors[name])}</div>"
            elif v.final is not None:
                key = f" · answer key {r['answer_key']}" if r["answer_key"] else ""
                state = (f"<div class='irg-summary'>score <b>{r['score']:.2f}</b>{key} · {r['tokens']} tokens · "
                         f"{r['seconds']:.1f} s · {r['iterations']} draft(s)</div>")
            else:
                it = max(v.cards, default=0)
                state = ("<div class='irg-meta'><span class='irg-stage'>"
                         f"{'iteration ' + str(it) if it else 'starting'}…</span></div>")
            answer = v.final_html() if v.final is not None else ""
            cards = v.cards_html()
            cols.append(f"<div class='irg-col' data-strategy='{html.escape(name)}'>"
                        f"<div class='irg-col-head'><b>{html.escape(name)}</b></div>"
                        f"{state}{answer}<details open><summary>every draft, critique and plan</summary>{cards}"
                        "</details></div>")
        return f"<div class='irg-cols'>{''.join(cols)}</div>"

    def figure(self):
        return charts.compare_vs_tokens({n: v.curve for n, v in self.views.items()}, self.budget)

    # ---- export ------------------------------------------------------------------------
    def record(self) -> dict:
        return {"format": "irg-comparison", "prompt": self.prompt, "model": self.model, "budget": self.budget,
                "preset": self.preset.title if self.preset else None,
                "summary": [self.row(n) for n in self.views],
                "runs": {n: v.record() for n, v in self.views.items()}}

    def markdown(self) -> str:
        rows = [self.row(n) for n in self.views]
        lines = [f"# IRG Lab comparison on `{self.model}`", "", "## Prompt", "", md_quote(self.prompt), "",
                 f"Token budget per strategy: {self.budget or 'none'}" + (f" · classroom example: {self.preset.title}"
                                                                          if self.preset else ""), "",
                 "| strategy | quality | answer key | tokens | seconds | drafts | stopped |",
                 "|---|---|---|---|---|---|---|"]
        for r in rows:
            q = "—" if r["quality"] is None else f"{r['quality']:.2f}"
            secs = "—" if r["seconds"] is None else f"{r['seconds']:.1f}"
            lines.append(f"| {r['strategy']} | {q} | {r['answer_key'] or '—'} | {r['tokens'] or '—'} | {secs} | "
                         f"{r['iterations']} | {r['error'] or r['stopped']} |")
        lines += ["", f"Quality is {rows[0]['quality_is'] if rows else 'the score'} (0–1).", ""]
        for n, v in self.views.items():
            lines += [f"## {n}: final answer", "", md_quote(v.final.answer if v.final else "(no answer)"), ""]
        return "\n".join(lines)

    def write_files(self) -> list[str]:
        return write_pair("irg-compare", self.record(), self.markdown())


def check_strategies(strategies) -> list[str]:
    chosen = [s for s in (strategies or []) if s]
    if not 2 <= len(chosen) <= MAX_STRATEGIES:
        raise ConfigError(f"Choose two to {MAX_STRATEGIES} strategies to compare (you chose {len(chosen)}).")
    unknown = [s for s in chosen if s not in STRATEGIES]
    if unknown:
        raise STRATEGIES.unknown(unknown[0])
    return list(dict.fromkeys(chosen))


def stream_compare(prompt: str, model: str, strategies: list[str], settings: dict, session: str | None,
                   preset: Preset | None = None, adapter: str | None = None) -> Iterator[dict]:
    """Page updates (keys among: columns, chart, status, files), throttled like a single run. `settings`: RunConfig's
    fields but the strategy (each column has its own)."""
    try:
        chosen = check_strategies(strategies)
        base = sess.check_input(prompt, settings)
        configs = {s: replace(base, strategy=s) for s in chosen}
    except UserError as err:
        yield {"columns": sess.message(str(err)), "status": "⚠ nothing was run"}
        return
    yield {"columns": "", "chart": None, "files": [], "status": f"loading `{model}`…"}
    backend, drafter, failed = sess.load_engines(model, adapter, session, runs=len(chosen))
    if failed:
        yield {"columns": failed[0], "status": failed[1]}
        return
    view = CompareView(prompt.strip(), backend.model_id, chosen, base.budget, preset)
    with sess.session_cancel(f"{session}/compare") as cancel:
        yield from _stream(view, run_together(prompt, backend, configs, cancel, drafter))


def _stream(view: CompareView, events) -> Iterator[dict]:
    last = 0.0
    n = len(view.views)
    try:
        for name, item in events:
            redraw = view.add(name, item)
            now = time.perf_counter()
            if isinstance(item, DraftToken) and now - last < ui.UI_INTERVAL:
                continue
            last = now
            out = {"columns": view.columns_html(), "status": f"running {n} strategies…"}
            if redraw or isinstance(item, Final):
                out["chart"] = view.figure()
            yield out
    except Exception as err:  # noqa: BLE001 — a bug in a view still reaches the user as a sentence
        log.exception("comparison failed")
        yield {"columns": view.columns_html() + sess.message("The comparison failed unexpectedly "
                                                           f"({type(err).__name__}); what it had is shown above."),
               "status": "⚠ the comparison failed"}
        return
    finally:
        events.close()
    by_you = any(v.stopped.startswith("stopped by you") for v in view.views.values())
    budget = f"{view.budget:,}-token budget each" if view.budget else "no token budget"
    yield {"columns": view.columns_html(), "chart": view.figure(), "files": view.write_files(),
           "status": f"✔ done: {n} strategies, {budget}" + (" · stopped by you" if by_you else "")}


def stop(session: str | None) -> None:
    sess.stop(f"{session}/compare")
