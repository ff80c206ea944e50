"""What the app shows, built from the engine's events; app.py only wires components to this.

`stream_run` turns one run's events into updates for the page: iteration cards (HTML),
the final answer with its difference from the first draft, two plotly charts (redrawn
once per iteration, never per token) and, at the end, the run as JSON and Markdown files.
Token streams are throttled (UI_INTERVAL) to a handful of updates per second. Each browser
session has its own cancel event (keyed by Gradio's session hash), so Stop reaches that
session's generation thread only. Nothing here imports gradio.
"""
from __future__ import annotations

import html
import json
import logging
import re
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from irg.engine.config import ConfigError, RunConfig
from irg.engine.events import (
    Candidates,
    CritiqueDone,
    DraftDone,
    DraftToken,
    Final,
    IterationDone,
    PlanDone,
    Rendered,
    RunStarted,
    Stopped,
)
from irg.engine.models import adapters
from irg.engine.record import Recorder
from irg.evaluation.anytime import AnytimeCurve
from irg.views import charts
from irg.views.presets import Preset
from irg.views.textdiff import diff_html, diff_markdown

log = logging.getLogger(__name__)
UI_INTERVAL = 0.15  # seconds between streamed updates (~7/s)
MAX_PROMPT_CHARS = 20_000  # longer prompts are refused before any work (the model could not read them anyway)
_cancels: dict[str, threading.Event] = {}
_cancels_lock = threading.Lock()
SEV_DOT = "<span class='irg-dot'>●</span>"  # coloured by CSS; plain glyphs render where emoji fonts are missing
STOP_TEXT = {"no_critical": "no critical problem left", "max_iters": "maximum iterations reached",
             "time_limit": "time limit reached", "budget": "token budget spent", "cancelled": "stopped by you",
             "single_pass": "single pass (one draft, scored by rules)", "candidates_done": "all candidates drawn",
             "plateau": "the score stopped rising (plateau rule)", "adaptive": "another pass was not worth its tokens (adaptive rule)"}
e = html.escape


class RunView:
    """Accumulates one run's events into HTML cards, a final panel, a curve and a record."""

    def __init__(self, preset: Preset | None = None):
        self.preset = preset
        key = (lambda text: preset.check(text)["quality"]) if preset else None
        self.curve = AnytimeCurve(answer_key=key)
        self.recorder = Recorder()
        self.header = ""
        self.cards: dict[int, dict] = {}
        self.stopped = ""
        self.final: Final | None = None
        self.first_draft = ""

    def card(self, i: int) -> dict:
        return self.cards.setdefault(i, {"draft": "", "draft_info": "", "findings": None, "critic": "", "plan": None,
                                         "summary": "", "stage": "drafting", "rendered": None})

    def add(self, ev) -> bool:
        """Feed an event; True when the charts need redrawing."""
        self.recorder.add(ev)
        redraw = self.curve.add(ev)
        if isinstance(ev, RunStarted):
            cons = ", ".join(c["kind"].replace("_", " ") for c in ev.constraints) or "none found"
            self.header = (f"<b>{e(ev.strategy)}</b> on <code>{e(ev.model)}</code> · constraints found in the prompt: "
                           f"{e(cons)}" + "".join(f"<div class='irg-notice'>⚠ {e(n)}</div>" for n in ev.notices))
        elif isinstance(ev, DraftToken):
            self.card(ev.iteration)["draft"] += ev.text
        elif isinstance(ev, DraftDone):
            c = self.card(ev.iteration)
            c.update(draft=ev.text, stage="analysing",
                     draft_info=f"{ev.prompt_tokens} read + {ev.completion_tokens} written · {ev.seconds:.1f} s · {ev.finish_reason}")
            if ev.iteration == 1:
                self.first_draft = ev.text
        elif isinstance(ev, Rendered):
            self.card(ev.iteration)["rendered"] = ev
        elif isinstance(ev, Candidates):
            self.card(ev.iteration)["candidates"] = ev
        elif isinstance(ev, CritiqueDone):
            c = self.card(ev.iteration)
            c.update(findings=ev.report["findings"], critic=ev.report.get("critic_text", ""), stage="planning")
        elif isinstance(ev, PlanDone):
            self.card(ev.iteration)["plan"] = ev.plan
        elif isinstance(ev, IterationDone):
            c = self.card(ev.iteration)
            key = ""
            if self.preset is not None:
                chk = self.preset.check(ev.draft)
                key = f" · answer key {chk['met']}/{chk['total']}" if chk["total"] else ""
            share = f" · model wrote {ev.model_share:.0%} of it" if ev.model_share < 1 else ""
            c.update(stage="done", summary=f"score <b>{ev.score:.2f}</b>{key} · {ev.tokens} tokens "
                                           f"({ev.tokens_cum} so far) · {ev.seconds:.1f} s{share}")
        elif isinstance(ev, Stopped):
            self.stopped = STOP_TEXT.get(ev.reason, ev.reason.replace("_", " ")) + (f" — {ev.detail}" if ev.detail else "")
        elif isinstance(ev, Final):
            self.final = ev
        return redraw

    # ---- HTML -------------------------------------------------------------------------
    def cards_html(self) -> str:
        parts = [f"<div class='irg-head'>{self.header}</div>"] if self.header else []
        for i, c in sorted(self.cards.items()):
            stage = "" if c["stage"] == "done" else f" <span class='irg-stage'>{c['stage']}…</span>"
            body = [f"<div class='irg-title'>Iteration {i}{stage}</div>",
                    f"<div class='irg-draft'><b>Draft</b> <span class='irg-meta'>{e(c['draft_info'])}</span>"
                    f"<div class='irg-text'>{e(c['draft']) or '…'}</div></div>"]
            if (cd := c.get("candidates")) is not None:
                rows = "".join(f"<li>{'▶ ' if j == cd.chosen else ''}T {it['temperature']:.1f} · {it['constraints_met']} constraints met"
                               f"{' · debris' if it['degenerate'] else ''} · mean log-prob {it['mean_logprob']}</li>"
                               for j, it in enumerate(cd.items))
                body.append(f"<div class='irg-rendered'><b>{len(cd.items)} candidates</b> <span class='irg-meta'>ranked by "
                            f"constraints met, then mean log-probability</span><ul>{rows}</ul></div>")
            if (r := c["rendered"]) is not None:  # a labelled step of its own, with the model's words beside it
                labels = ", ".join(e(st["label"]) for st in r.steps)
                body.append(f"<div class='irg-rendered'><b>Rendering</b> <span class='irg-chip irg-chip-render'>"
                            f"rendered: {len(r.steps)} step(s)</span> <span class='irg-meta'>{labels}</span>"
                            f"<details><summary>before (the model's words) / after</summary>"
                            f"<div class='irg-text'>{e(r.before)}</div><hr><div class='irg-text'>{e(r.after)}</div>"
                            "</details></div>")
            if c["findings"] is not None:
                items = "".join(
                    f"<li class='sev-{f['severity']}'>{SEV_DOT} <b>{f['severity']}</b> · {e(f['source'])} · "
                    f"<code>{e(f['kind'])}</code>: {e(f['message'])}" + (f" <i>({e(f['where'])})</i>" if f["where"] else "")
                    + "</li>" for f in c["findings"]) or "<li>✔ no findings</li>"
                critic = (f"<details><summary>the model critic's own words</summary><div class='irg-text'>{e(c['critic'])}"
                          "</div></details>") if c["critic"] else ""
                body.append(f"<div class='irg-critique'><b>Critique</b><ul>{items}</ul>{critic}</div>")
            if c["plan"] is not None:
                p = c["plan"]
                items = "".join(f"<li>{e(x)}</li>" for x in p["instructions"])
                items += "".join(f"<li class='irg-lock'>scaffold — {e(x)}</li>" for x in p.get("scaffold", []))
                items += "".join(f"<li class='irg-lock'>enforced while decoding: {e(x)}</li>" for x in p["constraints_text"])
                items += "".join(f"<li class='irg-lock'>relaxed after a degenerate draft: {e(x)}</li>"
                                 for x in p.get("relaxed", []))
                if p["constraints"].get("grammar"):
                    items += (f"<li><details><summary>the grammar</summary><pre>{e(p['constraints']['grammar'])}"
                              "</pre></details></li>")
                body.append(f"<div class='irg-plan'><b>Plan for the next draft</b> <span class='irg-meta'>({e(p['source'])})"
                            f"</span>{glance(p)}<ul>{items or '<li>(no instruction)</li>'}</ul></div>")
            if c["summary"]:
                body.append(f"<div class='irg-summary'>{c['summary']}</div>")
            parts.append(f"<div class='irg-card' data-iteration='{i}'>{''.join(body)}</div>")
        if self.stopped:
            parts.append(f"<div class='irg-stop'><b>Stopped:</b> {e(self.stopped)}</div>")
        return "<div class='irg-run'>" + "".join(parts) + "</div>"

    def final_html(self) -> str:
        f = self.final
        if f is None:
            return ""
        if not f.answer:
            return "<div class='irg-final'><i>No answer: the run ended before a draft was written.</i></div>"
        which = f"iteration {f.best_iteration} (best so far)" if f.mode == "best" else "the last draft"
        score = f.best_score if f.mode == "best" else f.last_score
        out = [f"<div class='irg-text irg-answer'>{e(f.answer)}</div>",
               f"<div class='irg-meta'>{e(which)} · score {score:.2f} · {f.tokens_total} tokens · {f.seconds:.1f} s · "
               f"stopped: {e(self.stopped)} · Anytime Index {_ai(self.curve.index())}</div>"]
        if self.preset is not None:
            chk = self.preset.check(f.answer)
            if chk["total"]:
                ticks = " ".join(f"{'✔' if ok else '✘'} {e(label)}" for label, ok in chk["items"])
                out.append(f"<div class='irg-key'><b>Answer key {chk['met']}/{chk['total']}:</b> {ticks}</div>")
            if self.preset.reference:
                out.append(f"<div class='irg-key'><b>Reference answer:</b> {e(self.preset.reference)}</div>")
        if self.first_draft and f.answer.strip() != self.first_draft.strip():
            out.append("<details open><summary>Difference from the first draft (<del>removed</del> / <ins>added</ins>)"
                       f"</summary><div class='irg-text irg-diff'>{diff_html(self.first_draft, f.answer)}</div></details>")
        elif self.first_draft:
            out.append("<div class='irg-meta'>The final answer is the first draft, unchanged.</div>")
        return "<div class='irg-final'>" + "".join(out) + "</div>"

    # ---- downloads ---------------------------------------------------------------------
    def record(self) -> dict:
        r = dict(self.recorder.record)
        r["anytime"] = self.curve.to_dict()
        if self.preset is not None:
            r["preset"] = {"id": self.preset.id, "title": self.preset.title, "answer": self.preset.answer,
                           "reference": self.preset.reference, "constraints": self.preset.constraints}
            if self.final is not None:
                chk = self.preset.check(self.final.answer)
                r["answer_key"] = {"met": chk["met"], "total": chk["total"], "items": chk["items"]}
        return r

    def markdown(self) -> str:
        r = self.record()
        cfg = r.get("config") or {}
        lines = [f"# IRG Lab run: {r['strategy']} on `{r['model']}`", "", "## Prompt", "", md_quote(r["prompt"] or ""), "",
                 "Settings: " + ", ".join(f"{k}={v}" for k, v in cfg.items()), "",
                 "Constraints found in the prompt: " + (", ".join(c["kind"] for c in r["constraints"]) or "none"), ""]
        for it in r["iterations"]:
            lines += [f"## Iteration {it['iteration']}", ""]
            if it.get("rendered"):
                lines += ["**Draft (the model's words)**", "", md_quote(it["rendered"]["before"]), "",
                          "**Rendered** (" + ", ".join(st["label"] for st in it["rendered"]["steps"]) + ")", "",
                          md_quote(it["draft"]), "", "**Critique**", ""]
            else:
                lines += ["**Draft**", "", md_quote(it["draft"]), "", "**Critique**", ""]
            lines += [f"- {f['severity']} · {f['source']} · `{f['kind']}`: {f['message']}" + (f" ({f['where']})" if f["where"] else "")
                      for f in it["findings"]] or ["- no findings"]
            if it.get("plan"):
                lines += ["", "**Plan**", ""] + [f"- {x}" for x in it["plan"]["instructions"]]
                lines += [f"- scaffold: {x}" for x in it["plan"].get("scaffold", [])]
                lines += [f"- decoding constraint: {x}" for x in it["plan"]["constraints_text"]]
            lines += ["", f"score {it.get('score', 0):.2f} · {it.get('tokens', 0)} tokens ({it.get('tokens_cum', 0)} so far) · "
                          f"{it.get('seconds', 0):.1f} s", ""]
        a = r["anytime"]
        lines += [f"**Stopped:** {self.stopped}", "", "## Final answer", "", md_quote(r["final"]), "",
                  f"Iteration {r['best_iteration']} · {r['tokens_total']} tokens · {r['seconds']:.1f} s · "
                  f"Anytime Index {_ai(a['anytime_index_per_1k_tokens'])} per 1,000 tokens (quality = {a['quality_is']})", ""]
        if "answer_key" in r:
            k = r["answer_key"]
            lines += [f"Answer key: {k['met']}/{k['total']} — " + ", ".join(f"{'✔' if ok else '✘'} {lab}" for lab, ok in k["items"]), ""]
        if self.first_draft and r["final"].strip() != self.first_draft.strip():
            lines += ["## Difference from the first draft (~~removed~~ **added**)", "", diff_markdown(self.first_draft, r["final"]), ""]
        return "\n".join(lines)

    def write_files(self) -> list[str]:
        """The run as JSON and Markdown in a fresh temporary folder (Gradio serves files from there)."""
        d = Path(tempfile.mkdtemp(prefix="irg-run-"))
        stamp = time.strftime("%Y%m%d-%H%M%S")
        js, md = d / f"irg-run-{stamp}.json", d / f"irg-run-{stamp}.md"
        js.write_text(json.dumps(self.record(), indent=2, ensure_ascii=False))
        md.write_text(self.markdown())
        return [str(js), str(md)]


def glance(plan: dict) -> str:
    """What a plan lays on the next draft, at a glance: what it only asks for (instructions the model may ignore)
    and what it enforces (decoding masks, a grammar, scaffold literals the program writes itself)."""
    asked = len(plan["instructions"])
    hard = len(plan.get("scaffold", [])) + len(plan["constraints_text"])
    chips = [f"<span class='irg-chip irg-chip-ask'>asks: {asked} instruction{'s' * (asked != 1)}</span>"]
    chips.append(f"<span class='irg-chip irg-chip-hard'>enforces: {hard} hard constraint{'s' * (hard != 1)}</span>"
                 if hard else "<span class='irg-chip'>enforces: nothing</span>")
    if plan.get("relaxed"):
        chips.append(f"<span class='irg-chip'>relaxed: {len(plan['relaxed'])}</span>")
    return f"<div class='irg-glance'>{' '.join(chips)}</div>"


def settings_summary(planner, max_iters, stop, budget, time_limit, final, temperature, max_new) -> str:
    """The Advanced accordion's label: the current values, so a closed accordion still says what a run will do."""
    budget, time_limit, temperature = int(budget or 0), float(time_limit or 0), float(temperature or 0)
    bits = [f"{int(max_iters)} iterations", f"{planner} planner", f"stop: {stop}",
            f"budget {budget:,} tokens" if budget else "no budget", f"{time_limit:g} s limit" if time_limit else "no time limit",
            f"{final} answer", f"temperature {temperature:g}" if temperature else "greedy", f"{int(max_new)} tokens per draft"]
    return "Advanced settings · " + " · ".join(bits)


WHAT_YOU_WILL_SEE = """**What you will see.** Pick an example (or type a request) and press **Run**. Each iteration appears as a card
as it happens: the **draft** streaming in, the **critique** (rule findings and, for internal/hybrid, the model's
own), and the **plan** for the next draft — what it only *asks* and what it *enforces*. At the end: the final answer
with its difference from the first draft, the answer key for an example, two charts (quality vs iteration, and vs
tokens spent) and the run to download. The *Compare* tab runs several strategies side by side at one budget."""


def preset_markdown(p: Preset) -> str:
    bits = [f"Constraints: {', '.join(c['kind'].replace('_', ' ') for c in p.constraints)}" if p.constraints else ""]
    bits += [f"exact result: **{p.answer}**" if p.answer else "", f"reference: _{p.reference}_" if p.reference else ""]
    return " · ".join(b for b in bits if b) + (f"\n\n{p.note}" if p.note else "")


CARD_CSS = """
.irg-run, .irg-final { font-size: 0.95em; }
.irg-head { margin-bottom: 8px; }
.irg-card { border: 1px solid #d0d7de; border-radius: 10px; padding: 10px 14px; margin: 10px 0; background: rgba(127,127,127,0.04); }
.irg-title { font-weight: 700; font-size: 1.05em; margin-bottom: 6px; }
.irg-stage { font-weight: 400; color: #8250df; }
.irg-meta { color: #6e7781; font-size: 0.9em; }
.irg-text { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 3px solid #8c959f; padding: 4px 10px; margin: 4px 0 8px 0; }
.irg-run pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.irg-glance { margin: 4px 0; }
.irg-chip { display: inline-block; border-radius: 999px; padding: 1px 9px; margin: 2px 4px 2px 0; font-size: 0.85em;
            border: 1px solid #d0d7de; background: rgba(127,127,127,0.08); }
.irg-chip-ask { border-color: #54aeff; } .irg-chip-hard { border-color: #cf222e; font-weight: 600; }
.irg-chip-render { border-color: #1a7f37; }
.irg-cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.irg-col { min-width: 0; border: 1px solid #d0d7de; border-radius: 10px; padding: 8px 10px; }
.irg-col-head { font-size: 1.1em; margin-bottom: 4px; }
.irg-col .irg-card { padding: 6px 8px; }
.irg-answer { border-left-color: #1a7f37; }
.irg-critique ul, .irg-plan ul { margin: 4px 0 8px 0; padding-left: 20px; }
.irg-plan { border-top: 1px dashed #d0d7de; padding-top: 4px; }
.irg-rendered { border-top: 1px dashed #d0d7de; padding-top: 4px; }
.irg-summary { font-size: 0.9em; border-top: 1px solid #d0d7de; padding-top: 4px; }
.irg-stop { font-weight: 600; margin: 8px 0; }
.irg-error { color: #cf222e; font-weight: 600; }
.sev-critical .irg-dot { color: #cf222e; } .sev-major .irg-dot { color: #bc4c00; } .sev-minor .irg-dot { color: #8c959f; }
.irg-lock { font-style: italic; }
.irg-key { margin: 6px 0; }
.irg-diff del { background: #ffebe9; color: #82071e; }
.irg-diff ins { background: #dafbe1; color: #116329; text-decoration: none; }
"""


def _ai(x: float | None) -> str:
    return "— (nothing spent beyond the first draft)" if x is None else f"{x:+.2f}"


def md_quote(text: str) -> str:
    return "\n".join("> " + ln for ln in (text or "(empty)").splitlines()) or "> (empty)"


# ---- sessions and the streaming entry point -------------------------------------------------
@contextmanager
def session_cancel(session: str | None) -> Iterator[threading.Event]:
    """This session's cancel event for the length of one run or experiment; set when it ends, however it ends."""
    cancel = threading.Event()
    with _cancels_lock:
        _cancels[session or ""] = cancel
    try:
        yield cancel
    finally:
        cancel.set()  # Stop, a closed tab or an error: the generation thread halts
        with _cancels_lock:
            if _cancels.get(session or "") is cancel:
                del _cancels[session or ""]


def stop(session: str | None) -> None:
    with _cancels_lock:
        ev = _cancels.get(session or "")
    if ev is not None:
        ev.set()


def check_input(prompt: str, settings: dict) -> RunConfig:
    """The validated settings, or InputError/ConfigError with a message for the user."""
    from irg.engine.loop import InputError

    config = RunConfig(**settings)
    if not (prompt or "").strip():
        raise InputError("The prompt is empty: type a request or pick a classroom example.")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise InputError(f"The prompt is {len(prompt):,} characters; the limit is {MAX_PROMPT_CHARS:,}. "
                         "Shorten it (small models read at most a few pages).")
    if re.fullmatch(r"[\W_]+", prompt.strip()):
        raise InputError("The prompt has no words in it: type a request.")
    if config.stop == "adaptive":
        from irg.engine.stopping import check_model

        check_model()  # a missing or damaged model file is a sentence now, not an error mid-run
    return config


def load_model(model: str):
    """(backend, None) or (None, message): for the model switch and the run."""
    from irg.engine.models import ModelError, get_backend

    try:
        return get_backend((model or "").strip() or "bundled"), None
    except ModelError as err:
        return None, str(err)
    except Exception as err:  # noqa: BLE001 — an unexpected loader failure still becomes a sentence
        return None, f"The model '{model}' could not be loaded: {type(err).__name__}: {err}"


ADAPTER_OFF = "off"


def adapter_choices(model: str) -> list[str]:
    """The toggle's choices for this model: "off" plus the label of each shipped adapter ([] = hide the toggle)."""
    hooks = adapters()
    if hooks is None:  # no adapter package registered (e.g. a slim Space)
        return []
    found = hooks.find((model or "").strip() or "bundled")
    return [ADAPTER_OFF, *[hooks.labels[k] for k in found]] if found else []


def load_draft_backend(model: str, adapter_label: str | None):
    """(backend or None, None) or (None, message): the draft engine for the chosen adapter, None = the plain model."""
    if not adapter_label or adapter_label == ADAPTER_OFF:
        return None, None
    from irg.engine.models import ModelError

    hooks = adapters()
    kind = next((k for k, label in hooks.labels.items() if label == adapter_label), None) if hooks else None
    if kind is None:
        known = ", ".join(hooks.labels.values()) if hooks else "none installed"
        return None, f"Unknown adapter '{adapter_label}': choose one of {known}, or off."
    try:
        return hooks.draft_backend((model or "").strip() or "bundled", kind), None
    except (hooks.error, ModelError) as err:
        return None, str(err)
    except Exception as err:  # noqa: BLE001 — still a sentence for the user
        log.exception("adapter load failed")
        return None, f"The {adapter_label} could not be loaded: {type(err).__name__}: {err}"


def model_status(model: str) -> Iterator[str]:
    yield f"Loading `{model}`… (the first load of a model converts it once; later loads take about a second)"
    t = time.perf_counter()
    backend, err = load_model(model)
    if err:
        yield f"⚠ {err}"
    else:
        yield f"✔ `{backend.model_id}` ready on {backend.name} ({backend.context_length:,}-token context) · {time.perf_counter() - t:.1f} s"


def message(text: str) -> str:
    return f"<div class='irg-error'>⚠ {e(text)}</div>"


def stream_run(prompt: str, model: str, settings: dict, session: str | None, preset: Preset | None = None) -> Iterator[dict]:
    """Yields dicts of page updates, keys among: cards, final, by_iteration, by_tokens, files, status.
    Only changed parts are present. Errors become messages, never tracebacks."""
    from irg.engine.loop import InputError
    from irg.engine.strategies import run

    settings = dict(settings)
    adapter = settings.pop("adapter", None)
    try:
        config = check_input(prompt, settings)
    except (ConfigError, InputError, TypeError, ValueError) as err:
        yield {"cards": message(str(err)), "final": "", "status": "⚠ nothing was run"}
        return
    yield {"cards": "", "final": "", "files": [], "by_iteration": None, "by_tokens": None, "status": f"loading `{model}`…"}
    backend, err = load_model(model)
    if err:
        yield {"cards": message(err), "status": "⚠ the model did not load"}
        return
    drafter, err = load_draft_backend(model, adapter)
    if err:
        yield {"cards": message(err), "status": "⚠ the adapter did not load"}
        return
    with session_cancel(session) as cancel:
        yield from _stream(RunView(preset), run(prompt, backend, config, cancel, draft_backend=drafter))


def _stream(view: RunView, events) -> Iterator[dict]:
    from irg.engine.loop import InputError

    last_emit = 0.0
    try:
        for ev in events:
            redraw = view.add(ev)
            now = time.perf_counter()
            if isinstance(ev, DraftToken) and now - last_emit < UI_INTERVAL:
                continue
            last_emit = now
            out = {"cards": view.cards_html(), "status": f"running: iteration {max(view.cards, default=1)}…"}
            if redraw:
                out.update(by_iteration=charts.quality_vs_iteration(view.curve), by_tokens=charts.quality_vs_tokens(view.curve))
            if isinstance(ev, Final):
                out.update(final=view.final_html(), files=view.write_files(), status=f"✔ done: {view.stopped}")
            yield out
    except (InputError, ValueError, RuntimeError, OSError) as err:
        yield {"cards": view.cards_html() + message(str(err)), "status": "⚠ the run failed"}
    except Exception as err:  # noqa: BLE001 — a bug must still reach the user as a sentence, the traceback the log
        log.exception("run failed")
        yield {"cards": view.cards_html() + message(f"The run failed unexpectedly ({type(err).__name__}); what it had "
                                                    "so far is shown above. Details are in the server log."),
               "status": "⚠ the run failed"}
    finally:
        events.close()


# ---- the Experiments tab ---------------------------------------------------------------------
def saved_report(name: str | None) -> list:
    """[table HTML, figure by iteration, by budget, by constraint type] of a saved report, or a message."""
    from irg.views import experiments

    if not name:
        return ["", None, None, None]
    try:
        html_table, figs = experiments.show(experiments.load(name))
    except (ValueError, OSError, KeyError, json.JSONDecodeError) as err:
        return [message(f"That report cannot be shown: {err}"), None, None, None]
    return [html_table, *(figs + [None] * (3 - len(figs)))]


def experiment(suite: str, n: int, strategies: list[str], budget: int, model: str, session: str | None,
               on_progress=None) -> list:
    """[status, table, three figures] of a small live experiment; Stop (the same per-session event) ends it early."""
    with session_cancel(session) as cancel:
        return _experiment(suite, n, strategies, budget, model, cancel, on_progress)


def _experiment(suite, n, strategies, budget, model, cancel: threading.Event, on_progress) -> list:
    from irg.views import experiments

    try:
        summary = experiments.live(suite, int(n), list(strategies or []), int(budget or 0), (model or "bundled").strip(),
                                   cancel, on_progress)
        html_table, figs = experiments.show(summary)
        stopped = " (stopped early: the runs that finished)" if cancel.is_set() else ""
        return [f"✔ {summary['n_rows']} runs on {suite} (dev split){stopped}", html_table,
                *(figs + [None] * (3 - len(figs)))]
    except Exception as err:  # noqa: BLE001 — a message, never a traceback
        if not isinstance(err, (ValueError, OSError, RuntimeError)):
            log.exception("experiment failed")
        return [f"⚠ {err}", "", None, None, None]
