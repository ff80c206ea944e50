"""What the app shows, built from the engine's events; app.py only wires components to this.

Token streams are throttled (UI_INTERVAL) so the browser gets a handful of updates
per second. Each browser session has its own cancel event (keyed by Gradio's
session hash), so Stop reaches the generation thread of that session only.
"""
from __future__ import annotations

import threading
import time
from typing import Iterator

from irg.config import ConfigError, RunConfig
from irg.events import CritiqueDone, DraftDone, DraftToken, Final, IterationDone, PlanDone, RunStarted, Stopped

UI_INTERVAL = 0.15  # seconds between streamed updates (~7/s)
_cancels: dict[str, threading.Event] = {}
_cancels_lock = threading.Lock()
SEV_ICON = {"critical": "🔴", "major": "🟠", "minor": "⚪"}


def _quote(text: str) -> str:
    return "\n".join("> " + (ln or " ") for ln in (text or "…").splitlines()) or "> …"


class RunView:
    """Accumulates events into Markdown: a header, one card per iteration, the stop reason."""

    def __init__(self):
        self.header = ""
        self.cards: dict[int, dict] = {}
        self.footer = ""

    def card(self, i: int) -> dict:
        return self.cards.setdefault(i, {"draft": "", "critique": "", "plan": "", "summary": "", "done": False})

    def add(self, ev) -> None:
        if isinstance(ev, RunStarted):
            cons = ", ".join(c["kind"] for c in ev.constraints) or "none found"
            self.header = f"**{ev.strategy}** on `{ev.model}` · constraints in the prompt: {cons}"
            self.header += "".join(f"\n\n⚠️ {n}" for n in ev.notices)
        elif isinstance(ev, DraftToken):
            self.card(ev.iteration)["draft"] += ev.text
        elif isinstance(ev, DraftDone):
            c = self.card(ev.iteration)
            c["draft"] = ev.text
            c["draft_info"] = f"{ev.prompt_tokens}+{ev.completion_tokens} tokens · {ev.seconds:.1f}s · {ev.finish_reason}"
        elif isinstance(ev, CritiqueDone):
            lines = [f"- {SEV_ICON[f['severity']]} **{f['severity']}** · {f['source']} · `{f['kind']}`: {f['message']}"
                     + (f" _({f['where']})_" if f["where"] else "") for f in ev.report["findings"]]
            self.card(ev.iteration)["critique"] = "\n".join(lines) or "- ✅ no findings"
        elif isinstance(ev, PlanDone):
            p = ev.plan
            lines = [f"- {i}" for i in p["instructions"]] + [f"- 🔒 decoding: {c}" for c in p["constraints_text"]]
            self.card(ev.iteration)["plan"] = f"_({p['source']})_\n" + "\n".join(lines)
        elif isinstance(ev, IterationDone):
            c = self.card(ev.iteration)
            c["summary"] = f"score **{ev.score:.2f}** · {ev.tokens} tokens ({ev.tokens_cum} so far) · {ev.seconds:.1f}s"
            c["done"] = True
        elif isinstance(ev, Stopped):
            self.footer = f"**Stopped:** {ev.reason.replace('_', ' ')}" + (f" ({ev.detail})" if ev.detail else "")

    def markdown(self) -> str:
        parts = [self.header]
        for i, c in sorted(self.cards.items()):
            block = [f"### Iteration {i}" + ("" if c["done"] else " ⏳"), "**Draft**" + (f" · {c['draft_info']}" if c.get("draft_info") else ""),
                     _quote(c["draft"])]
            if c["critique"]:
                block += ["**Critique**", c["critique"]]
            if c["plan"]:
                block += ["**Plan for the next draft**", c["plan"]]
            if c["summary"]:
                block.append(c["summary"])
            parts.append("\n\n".join(block))
        parts.append(self.footer)
        return "\n\n---\n\n".join(p for p in parts if p)


def final_markdown(ev: Final) -> str:
    which = f"iteration {ev.best_iteration} (best so far)" if ev.mode == "best" else "the last draft"
    score = ev.best_score if ev.mode == "best" else ev.last_score
    return f"{ev.answer}\n\n---\n_{which} · score {score:.2f} · {ev.tokens_total} tokens · {ev.seconds:.1f}s_"


def stop(session: str | None) -> None:
    with _cancels_lock:
        ev = _cancels.get(session or "")
    if ev is not None:
        ev.set()


def stream_run(prompt: str, model: str, settings: dict, session: str | None) -> Iterator[tuple[str, str]]:
    """Yields (transcript markdown, final answer markdown); errors become messages, never tracebacks."""
    from irg.loop import InputError
    from irg.models import ModelError, get_backend
    from irg.strategies import run

    try:
        config = RunConfig(**settings)
        if not (prompt or "").strip():
            raise InputError("The prompt is empty: type a request or pick an example.")
    except (ConfigError, InputError, TypeError, ValueError) as e:
        yield f"⚠️ {e}", ""
        return
    yield f"⏳ Loading model `{model}` (the first load of a model converts it once; later loads take seconds)…", ""
    try:
        backend = get_backend(model or "bundled")
    except ModelError as e:
        yield f"⚠️ {e}", ""
        return
    cancel = threading.Event()
    with _cancels_lock:
        _cancels[session or ""] = cancel
    view, final, last_emit = RunView(), "", 0.0
    events = run(prompt, backend, config, cancel)
    try:
        for ev in events:
            view.add(ev)
            if isinstance(ev, Final):
                final = final_markdown(ev)
            now = time.perf_counter()
            if not isinstance(ev, DraftToken) or now - last_emit >= UI_INTERVAL:
                last_emit = now
                yield view.markdown(), final
        yield view.markdown(), final
    except (InputError, ValueError, RuntimeError) as e:
        yield view.markdown() + f"\n\n⚠️ {e}", final
    finally:
        cancel.set()  # Stop, a closed tab or an error: the generation thread halts
        events.close()
        with _cancels_lock:
            if _cancels.get(session or "") is cancel:
                del _cancels[session or ""]
