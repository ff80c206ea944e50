"""The Run tab and the Experiments tab's actions, built from the engine's events; app.py only wires components.

`stream_run` turns one run's events (through a RunView, irg/views/run_view.py) into updates for the page:
iteration cards, the final answer, two plotly charts (redrawn once per iteration, never per token) and, at the
end, the run as JSON and Markdown files. Token streams are throttled (UI_INTERVAL) to a handful of updates per
second. Sessions, input checks and loading live in irg/views/session.py. Nothing here imports gradio.
"""
from __future__ import annotations

import inspect
import logging
import threading
import time
from typing import Iterator

from irg.engine.errors import UserError
from irg.engine.events import DraftToken, Final
from irg.views import admission, charts
from irg.views import session as sess
from irg.views.presets import Preset
from irg.views.run_view import RunView

log = logging.getLogger(__name__)
UI_INTERVAL = 0.15  # seconds between streamed updates (~7/s)

# The Run tab's Advanced controls: RunConfig fields, in the order the app's handlers take their values (the one list of
# them; the Compare tab takes the same ones but its own budget).
ADVANCED = ("planner", "max_iters", "stop", "budget", "time_limit", "final", "temperature", "max_new_tokens")
_AS = {"budget": lambda v: int(v or 0), "time_limit": lambda v: float(v or 0), "temperature": lambda v: float(v or 0),
       "max_new_tokens": int}  # a cleared number box is 0 (none); RunConfig validates the rest with a sentence


def advanced_settings(values, **given) -> dict:
    """The Advanced controls' values (in ADVANCED's order, without the fields `given`) as RunConfig fields."""
    names = [f for f in ADVANCED if f not in given]
    return {**{f: _AS.get(f, lambda v: v)(v) for f, v in zip(names, values, strict=True)}, **given}


def api_named(*but: str):
    """For an app handler that takes the Advanced values as `*advanced` (without the fields `but`): Gradio names an
    endpoint's parameters after its handler's, so `*advanced` gets the names the API has always had (ADVANCED's
    fields, the draft length called `max_new`) and a client may still pass them by name."""
    def name(fn):
        sig = inspect.signature(fn)
        fixed = [p for p in sig.parameters.values() if p.kind is not p.VAR_POSITIONAL]
        named = [inspect.Parameter("max_new" if f == "max_new_tokens" else f, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                 for f in ADVANCED if f not in but]
        fn.__signature__ = sig.replace(parameters=fixed + named)
        return fn
    return name


def settings_summary(*values) -> str:
    """The Advanced accordion's label: the current values, so a closed accordion still says what a run will do."""
    s = advanced_settings(values)
    budget, time_limit, temperature = s["budget"], s["time_limit"], s["temperature"]
    bits = [f"{int(s['max_iters'])} iterations", f"{s['planner']} planner", f"stop: {s['stop']}",
            f"budget {budget:,} tokens" if budget else "no budget",
            f"{time_limit:g} s limit" if time_limit else "no time limit",
            f"{s['final']} answer", f"temperature {temperature:g}" if temperature else "greedy",
            f"{s['max_new_tokens']} tokens per draft"]
    return "Advanced settings · " + " · ".join(bits)


WHAT_YOU_WILL_SEE = """**What you will see.** Pick an example (or type a request) and press **Run**. \
Each iteration appears as a card
as it happens: the **draft** streaming in, the **critique** (rule findings and, for internal/hybrid, the model's
own), and the **plan** for the next draft — what it only *asks* and what it *enforces*. At the end: the final answer
with its difference from the first draft, the answer key for an example, two charts (quality vs iteration, and vs
tokens spent) and the run to download. The *Compare* tab runs several strategies side by side at one budget."""


def stream_run(prompt: str, model: str, settings: dict, session: str | None, preset: Preset | None = None,
               adapter: str | None = None) -> Iterator[dict]:
    """Yields dicts of page updates, keys among: cards, final, by_iteration, by_tokens, files, status.
    Only changed parts are present. Errors become messages, never tracebacks. `settings`: RunConfig's fields as
    the controls give them; `adapter`: the toggle's label (None or "off": the plain model drafts)."""
    from irg.engine.strategies import run

    try:
        config = sess.check_input(prompt, settings)
    except UserError as err:
        yield {"cards": sess.message(str(err)), "final": "", "status": "⚠ nothing was run"}
        return
    yield {"cards": "", "final": "", "files": [], "by_iteration": None, "by_tokens": None,
           "status": f"loading `{model}`…" + (
               f" with the {adapter} (its first use writes it for llama.cpp once, a few seconds)"
               if adapter and adapter != sess.ADAPTER_OFF else "")}
    backend, drafter, failed = sess.load_engines(model, adapter, session)
    if failed:
        yield {"cards": failed[0], "status": failed[1]}
        return
    # e.g. "this adapter cannot be folded into the model file: its drafts run on transformers", above the cards
    note = sess.note(getattr(drafter, "note", ""))
    with sess.session_cancel(session) as cancel:
        try:  # a lane, shared with the other tabs and, in the same process, the OpenAI-compatible endpoint
            ticket = admission.shared().enter()
        except UserError as err:
            yield {"cards": sess.message(str(err)), "status": "⚠ nothing was run"}
            return
        try:
            while not ticket.wait(cancel, timeout=1.0):
                if cancel.is_set():
                    yield {"status": "stopped before it started"}
                    return
                st = admission.shared().state()
                going = f"{st['running']} run{'s' if st['running'] != 1 else ''} going"
                yield {"status": f"waiting for a free lane: {going}, {st['waiting']} waiting…"}
            yield from _stream(RunView(preset), run(prompt, backend, config, cancel, draft_backend=drafter), note)
        finally:
            ticket.leave()


def _stream(view: RunView, events, note: str = "") -> Iterator[dict]:
    last_emit = 0.0
    try:
        for ev in events:
            redraw = view.add(ev)
            now = time.perf_counter()
            if isinstance(ev, DraftToken) and now - last_emit < UI_INTERVAL:
                continue
            last_emit = now
            out = {"cards": note + view.cards_html(), "status": f"running: iteration {max(view.cards, default=1)}…"}
            if redraw:
                out.update(by_iteration=charts.quality_vs_iteration(view.curve),
                           by_tokens=charts.quality_vs_tokens(view.curve))
            if isinstance(ev, Final):
                out.update(final=view.final_html(), files=view.write_files(),
                           status=(f"⚠ done, no usable answer: {view.stopped}" if ev.unusable
                                   else f"✔ done: {view.stopped}"))
            yield out
    except (UserError, OSError) as err:  # the user's or the machine's (a full disk): its sentence, as the CLI shows
        yield {"cards": note + view.cards_html() + sess.message(str(err)), "status": "⚠ the run failed"}
    except Exception as err:  # noqa: BLE001 — a bug must still reach the user as a sentence, the traceback the log
        log.exception("run failed")
        yield {"cards": view.cards_html() + sess.message(f"The run failed unexpectedly ({type(err).__name__}); what it "
                                                    "had so far is shown above. Details are in the server log."),
               "status": "⚠ the run failed"}
    finally:
        events.close()


# ---- the Experiments tab ---------------------------------------------------------------------
def saved_summary(name: str | None) -> list:
    """[table HTML, figure by iteration, by budget, by constraint type] of a saved report, or a message."""
    from irg.views import experiments

    if not name:
        return ["", None, None, None]
    try:
        html_table, figs = experiments.show(experiments.load(name))
    except UserError as err:
        return [sess.message(f"That report cannot be shown: {err}"), None, None, None]
    except Exception as err:  # noqa: BLE001 — a summary of another shape: a sentence here, the traceback in the log
        log.exception("saved report %s failed", name)
        return [sess.message(f"That report cannot be shown ({type(err).__name__}); details are in the server log."),
                None, None, None]
    return [html_table, *(figs + [None] * (3 - len(figs)))]


def experiment(suite: str, n: int, strategies: list[str], budget: int, model: str, session: str | None,
               on_progress=None) -> list:
    """[status, table, three figures] of a small live experiment; Stop (the same per-session event) ends it early."""
    with sess.session_cancel(session) as cancel:
        return _experiment(suite, n, strategies, budget, model, cancel, on_progress, session)


def _experiment(suite, n, strategies, budget, model, cancel: threading.Event, on_progress, session) -> list:
    from irg.views import experiments

    try:
        model = sess.admitted(model)
        if 1 <= int(n) <= experiments.LIVE_MAX_ITEMS:  # else live() says why, and nothing is counted
            sess.count_runs(session, int(n) * len(strategies or []))
        summary = experiments.live(suite, int(n), list(strategies or []), int(budget or 0), model, cancel, on_progress)
        html_table, figs = experiments.show(summary)
        stopped = " (stopped early: the runs that finished)" if cancel.is_set() else ""
        return [f"✔ {summary['n_rows']} runs on {suite} (dev split){stopped}", html_table,
                *(figs + [None] * (3 - len(figs)))]
    except Exception as err:  # noqa: BLE001 — a message, never a traceback
        if not isinstance(err, UserError):
            log.exception("experiment failed")
        return [f"⚠ {err}", "", None, None, None]
