"""One run as the page shows it: `RunView` turns the engine's events into iteration cards (HTML), the final
answer with its difference from the first draft, the anytime curve and the run's record (JSON and Markdown).
Used by the Run tab (irg/views/ui.py) and by each column of Compare (irg/views/compare.py). No gradio here.
"""
from __future__ import annotations

import html
import json
import time

from irg.engine import events as etypes  # the event types (ev is an event)
from irg.engine.compose.constraint import said
from irg.engine.record import Recorder
from irg.engine.registry import ADAPTERS, STOP_RULES
from irg.evaluation.anytime import AnytimeCurve
from irg.views import scratch
from irg.views.presets import KEY_MAY_FAIL, Preset
from irg.views.textdiff import diff_html, diff_markdown

SEV_DOT = "<span class='irg-dot'>●</span>"  # coloured by CSS; plain glyphs render where emoji fonts are missing
STOP_TEXT = {"no_critical": "no critical problem left", "max_iters": "maximum iterations reached",
             "time_limit": "time limit reached", "budget": "token budget spent", "cancelled": "stopped by you",
             "error": "the model failed on a draft; the drafts before it stand",
             "single_pass": "single pass (one draft, scored by rules)", "candidates_done": "all candidates drawn",
             "out_of_reach": "only what no mechanism can make the model do is left"}



def stop_text(reason: str) -> str:
    """What the app says for a stop reason: the loop's own, or the stop rule's (a rule says it itself)."""
    rule = STOP_RULES.get(reason, None)
    return rule.text if rule is not None else STOP_TEXT.get(reason, reason.replace("_", " "))


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
        self.final: etypes.Final | None = None
        self.first_draft = ""

    def card(self, i: int) -> dict:
        return self.cards.setdefault(i, {"draft": "", "draft_info": "", "findings": None, "critic": "", "plan": None,
                                         "summary": "", "stage": "drafting", "rendered": None})

    def add(self, ev) -> bool:
        """Feed an event; True when the charts need redrawing."""
        self.recorder.add(ev)
        redraw = self.curve.add(ev)
        if isinstance(ev, etypes.RunStarted):
            cons = ", ".join(said(c) for c in ev.constraints) or "none found"
            self.header = (f"<b>{html.escape(ev.strategy)}</b> on <code>{html.escape(ev.model)}</code> · "
                           f"constraints found in the prompt: {html.escape(cons)}"
                           + "".join(f"<div class='irg-notice'>⚠ {html.escape(n)}</div>" for n in ev.notices)
                           + (f"<div class='irg-unchecked'>the rules do not check: "
                              f"{html.escape('; '.join(repr(u) for u in ev.unchecked))}</div>" if ev.unchecked else ""))
        elif isinstance(ev, etypes.DraftToken):
            self.card(ev.iteration)["draft"] += ev.text
        elif isinstance(ev, etypes.DraftDone):
            c = self.card(ev.iteration)
            c.update(draft=ev.text, stage="analysing",
                     draft_info=f"{ev.prompt_tokens} read + {ev.completion_tokens} written · {ev.seconds:.1f} s · "
                                f"{ev.finish_reason}")
            if ev.iteration == 1:
                self.first_draft = ev.text
        elif isinstance(ev, etypes.Outlined):
            self.card(ev.iteration)["outline"] = ev
        elif isinstance(ev, etypes.Rendered):
            self.card(ev.iteration)["rendered"] = ev
        elif isinstance(ev, etypes.Candidates):
            self.card(ev.iteration)["candidates"] = ev
        elif isinstance(ev, etypes.CritiqueDone):
            c = self.card(ev.iteration)
            c.update(findings=ev.report["findings"], critic=ev.report.get("critic_text", ""), stage="planning")
        elif isinstance(ev, etypes.PlanDone):
            self.card(ev.iteration)["plan"] = ev.plan
        elif isinstance(ev, etypes.IterationDone):
            c = self.card(ev.iteration)
            key = ""
            if self.preset is not None:
                chk = self.preset.check(ev.draft)
                key = f" · answer key {chk['met']}/{chk['total']}" if chk["total"] else ""
            share = f" · model wrote {ev.model_share:.0%} of it" if ev.model_share < 1 else ""
            c.update(stage="done", summary=f"score <b>{ev.score:.2f}</b>{key} · {ev.tokens} tokens "
                                           f"({ev.tokens_cum} so far) · {ev.seconds:.1f} s{share}")
        elif isinstance(ev, etypes.Stopped):
            self.stopped = stop_text(ev.reason) + (f" — {ev.detail}" if ev.detail else "")
        elif isinstance(ev, etypes.Final):
            self.final = ev
        return redraw

    # ---- HTML -------------------------------------------------------------------------
    def cards_html(self) -> str:
        parts = [f"<div class='irg-head'>{self.header}</div>"] if self.header else []
        for i, c in sorted(self.cards.items()):
            stage = "" if c["stage"] == "done" else f" <span class='irg-stage'>{c['stage']}…</span>"
            body = [f"<div class='irg-title'>Iteration {i}{stage}</div>"]
            if (ol := c.get("outline")) is not None:
                items = "".join(f"<li>{html.escape(o) or '<i>left out: it copied an earlier line</i>'}</li>"
                                for o in ol.openings)
                body.append(f"<div class='irg-rendered'><b>Outline first</b> "
                            f"<span class='irg-meta'>{html.escape(ol.label)} · {ol.tokens} tokens</span>"
                            f"<ol>{items}</ol></div>")
            body += [
                    f"<div class='irg-draft'><b>Draft</b> <span class='irg-meta'>{html.escape(c['draft_info'])}</span>"
                    f"<div class='irg-text'>{html.escape(c['draft']) or '…'}</div></div>"]
            if (cd := c.get("candidates")) is not None:
                rows = "".join(f"<li>{'▶ ' if j == cd.chosen else ''}T {it['temperature']:.1f} · "
                               f"{it['constraints_met']} constraints met"
                               f"{' · debris' if it['degenerate'] else ''} · mean log-prob {it['mean_logprob']}</li>"
                               for j, it in enumerate(cd.items))
                body.append(f"<div class='irg-rendered'><b>{len(cd.items)} candidates</b> "
                            f"<span class='irg-meta'>ranked by "
                            f"constraints met, then mean log-probability</span><ul>{rows}</ul></div>")
            if (r := c["rendered"]) is not None:  # a labelled step of its own, with the model's words beside it
                labels = ", ".join(html.escape(st["label"]) for st in r.steps)
                kinds = [st["label"].split(":")[0] for st in r.steps]  # filled / trimmed / rendered
                chips = "".join(f"<span class='irg-chip irg-chip-render'>{what}: {kinds.count(what)} step(s)</span> "
                                for what in dict.fromkeys(kinds))
                if r.tokens and "filled" not in kinds:
                    chips += "<span class='irg-chip'>slots: none kept</span> "
                title = "Slots and rendering" if r.tokens else "Rendering"
                labels += f" · {r.tokens} tokens for the slots" if r.tokens else ""
                body.append(f"<div class='irg-rendered'><b>{title}</b> {chips}<span class='irg-meta'>{labels}</span>"
                            f"<details><summary>before (the model's draft) / after (openings the program wrote, "
                            f"sentences the model finished, form rendered)</summary>"
                            f"<div class='irg-text'>{html.escape(r.before)}</div><hr>"
                            f"<div class='irg-text'>{html.escape(r.after)}</div>"
                            "</details></div>")
            if c["findings"] is not None:
                items = "".join(
                    f"<li class='sev-{f['severity']}'>{SEV_DOT} <b>{f['severity']}</b> · {html.escape(f['source'])} · "
                    f"<code>{html.escape(f['check'])}</code>: {html.escape(f['message'])}"
                    + (f" <i>({html.escape(f['where'])})</i>" if f["where"] else "")
                    + "</li>" for f in c["findings"]) or "<li>✔ no findings</li>"
                critic = (f"<details><summary>the model critic's own words</summary>"
                          f"<div class='irg-text'>{html.escape(c['critic'])}"
                          "</div></details>") if c["critic"] else ""
                body.append(f"<div class='irg-critique'><b>Critique</b><ul>{items}</ul>{critic}</div>")
            if c["plan"] is not None:
                p = c["plan"]
                items = "".join(f"<li>{html.escape(x)}</li>" for x in p["instructions"])
                items += "".join(f"<li class='irg-lock'>scaffold — {html.escape(x)}</li>"
                                 for x in p.get("scaffold", []))
                items += "".join(f"<li class='irg-lock'>enforced while decoding: {html.escape(x)}</li>"
                                 for x in p["constraints_text"])
                items += "".join(f"<li class='irg-lock'>relaxed after a degenerate draft: {html.escape(x)}</li>"
                                 for x in p.get("relaxed", []))
                if p.get("redraft"):
                    items += f"<li class='irg-lock'>↻ {html.escape(p['redraft'])}</li>"
                items += "".join(f"<li class='irg-conflict'>⚠ {html.escape(x)}</li>" for x in p.get("conflicts", []))
                items += "".join(f"<li class='irg-conflict'>out of reach: {html.escape(x)}</li>"
                                 for x in p.get("out_of_reach", []))
                if p["constraints"].get("grammar"):
                    items += (f"<li><details><summary>the grammar</summary>"
                              f"<pre>{html.escape(p['constraints']['grammar'])}"
                              "</pre></details></li>")
                body.append(f"<div class='irg-plan'><b>Plan for the next draft</b> "
                            f"<span class='irg-meta'>({html.escape(p['source'])})"
                            f"</span>{glance(p)}<ul>{items or '<li>(no instruction)</li>'}</ul></div>")
            if c["summary"]:
                body.append(f"<div class='irg-summary'>{c['summary']}</div>")
            parts.append(f"<div class='irg-card' data-iteration='{i}'>{''.join(body)}</div>")
        if self.stopped:
            parts.append(f"<div class='irg-stop'><b>Stopped:</b> {html.escape(self.stopped)}</div>")
        if self.final is not None and self.final.restarts:
            parts.append(f"<div class='irg-note'>ℹ {html.escape(restarts_text(self.final.restarts))}</div>")
        return "<div class='irg-run'>" + "".join(parts) + "</div>"

    def final_html(self) -> str:
        f = self.final
        if f is None:
            return ""
        if not f.answer:
            return "<div class='irg-final'><i>No answer: the run ended before a draft was written.</i></div>"
        which = f"iteration {f.best_iteration} (best so far)" if f.mode == "best" else "the last draft"
        score = f.best_score if f.mode == "best" else f.last_score
        out = [f"<div class='irg-unusable'>⚠ <b>The model did not produce a usable answer.</b> Every draft it could "
               f"return was debris ({html.escape(f.unusable)}); the least bad one is shown below, and it is not an "
               "answer.</div>"] if f.unusable else []
        out += [f"<div class='irg-unusable'>⚠ The answer breaks a ban the loop enforced: {html.escape(f.broken_ban)}"
                ".</div>"] if f.broken_ban else []
        out += [f"<div class='irg-text irg-answer'>{html.escape(f.answer)}</div>",
               f"<div class='irg-meta'>{html.escape(which)} · score {score:.2f} · {f.tokens_total} tokens · "
               f"{f.seconds:.1f} s · stopped: {html.escape(self.stopped)} · "
               f"Anytime Index {_ai(self.curve.index())}</div>"]
        if self.preset is not None:
            chk = self.preset.check(f.answer)
            if chk["total"]:
                ticks = " ".join(f"{'✔' if ok else '✘'} {html.escape(label)}" for label, ok in chk["items"])
                out.append(f"<div class='irg-key'><b>Answer key {chk['met']}/{chk['total']}:</b> {ticks}"
                           + (" · debris meets nothing" if chk["debris"] else "") + "</div>")
                if self.preset.key_may_fail and chk["met"] < chk["total"]:
                    out.append(f"<div class='irg-key irg-meta'>{html.escape(KEY_MAY_FAIL)}</div>")
            if self.preset.reference:
                out.append(f"<div class='irg-key'><b>Reference answer:</b> {html.escape(self.preset.reference)}</div>")
        if self.first_draft and f.answer.strip() != self.first_draft.strip():
            out.append("<details open><summary>Difference from the first draft "
                       "(<del>removed</del> / <ins>added</ins>)"
                       f"</summary><div class='irg-text irg-diff'>{diff_html(self.first_draft, f.answer)}"
                       "</div></details>")
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
        lines = [f"# IRG Lab run: {r['strategy']} on `{r['model']}`", "", "## Prompt", "",
                 md_quote(r["prompt"] or ""), "",
                 "Settings: " + ", ".join(f"{k}={v}" for k, v in cfg.items()), "",
                 "Constraints found in the prompt: "
                 + (", ".join(said(c, plain=False) for c in r["constraints"]) or "none"), ""]
        for it in r["iterations"]:
            lines += [f"## Iteration {it['iteration']}", ""]
            if it.get("rendered"):
                lines += ["**Draft (the model's words)**", "", md_quote(it["rendered"]["before"]), "",
                          ("**Filled and rendered** ("
                           if any(st["label"].startswith("filled") for st in it["rendered"]["steps"])
                           else "**Rendered** (") + ", ".join(st["label"] for st in it["rendered"]["steps"]) + ")", "",
                          md_quote(it["draft"]), "", "**Critique**", ""]
            else:
                lines += ["**Draft**", "", md_quote(it["draft"]), "", "**Critique**", ""]
            lines += [f"- {f['severity']} · {f['source']} · `{f['check']}`: {f['message']}"
                      + (f" ({f['where']})" if f["where"] else "")
                      for f in it["findings"]] or ["- no findings"]
            if it.get("plan"):
                lines += ["", "**Plan**", ""] + [f"- {x}" for x in it["plan"]["instructions"]]
                lines += [f"- scaffold: {x}" for x in it["plan"].get("scaffold", [])]
                lines += [f"- decoding constraint: {x}" for x in it["plan"]["constraints_text"]]
                lines += [f"- conflict: {x}" for x in it["plan"].get("conflicts", [])]
                lines += [f"- out of reach: {x}" for x in it["plan"].get("out_of_reach", [])]
                lines += [f"- redraft: {it['plan']['redraft']}"] if it["plan"].get("redraft") else []
            lines += ["", f"score {it.get('score', 0):.2f} · {it.get('tokens', 0)} tokens "
                          f"({it.get('tokens_cum', 0)} so far) · {it.get('seconds', 0):.1f} s", ""]
        a = r["anytime"]
        unusable = (["**The model did not produce a usable answer**: every draft it could return was debris "
                     f"({r['unusable']}).", ""] if r.get("unusable") else [])
        lines += [f"**Stopped:** {self.stopped}", "", "## Final answer", "", *unusable, md_quote(r["final"]), "",
                  f"Iteration {r['best_iteration']} · {r['tokens_total']} tokens · {r['seconds']:.1f} s · "
                  f"Anytime Index {_ai(a['anytime_index_per_1k_tokens'])} per 1,000 tokens "
                  f"(quality = {a['quality_is']})", ""]
        if "answer_key" in r:
            k = r["answer_key"]
            lines += [f"Answer key: {k['met']}/{k['total']} — "
                      + ", ".join(f"{'✔' if ok else '✘'} {lab}" for lab, ok in k["items"]), ""]
        if self.first_draft and r["final"].strip() != self.first_draft.strip():
            lines += ["## Difference from the first draft (~~removed~~ **added**)", "",
                      diff_markdown(self.first_draft, r["final"]), ""]
        return "\n".join(lines)

    def write_files(self) -> list[str]:
        return write_pair("irg-run", self.record(), self.markdown())


def restarts_text(restarts: list[dict]) -> str:
    """What the run card says when the model process restarted during the run (Final.restarts)."""
    n = len(restarts)
    causes = "; ".join(dict.fromkeys(f"{r['event']}: {r['cause']}" for r in restarts))
    return f"The model process was restarted {n} time{'s' * (n != 1)} during this run, and the run went on ({causes})."


def write_pair(name: str, record: dict, markdown: str) -> list[str]:
    """A record as JSON and Markdown in a fresh folder of this process's scratch folder (Gradio serves them)."""
    d = scratch.new_dir(name)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    js, md = d / f"{name}-{stamp}.json", d / f"{name}-{stamp}.md"
    js.write_text(json.dumps(record, indent=2, ensure_ascii=False))
    md.write_text(markdown)
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
    if plan.get("conflicts"):
        chips.append("<span class='irg-chip'>conflict: a constraint let go</span>")
    return f"<div class='irg-glance'>{' '.join(chips)}</div>"


def preset_markdown(p: Preset) -> str:
    bits = [f"Constraints: {', '.join(said(c) for c in p.constraints)}" if p.constraints else ""]
    bits += [f"exact result: **{p.answer}**" if p.answer else "", f"reference: _{p.reference}_" if p.reference else ""]
    bits += [f"on the Run tab: **{p.strategy}**"
             + (f" with the {ADAPTERS[p.adapter]}" if p.adapter in ADAPTERS else "")]
    note = "\n\n".join(x for x in (p.note, KEY_MAY_FAIL if p.key_may_fail else "") if x)
    return " · ".join(b for b in bits if b) + (f"\n\n{note}" if note else "")


CARD_CSS = """
.irg-run, .irg-final { font-size: 0.95em; }
.irg-head { margin-bottom: 8px; }
.irg-card { border: 1px solid #d0d7de; border-radius: 10px; padding: 10px 14px; margin: 10px 0; \
background: rgba(127,127,127,0.04); }
.irg-title { font-weight: 700; font-size: 1.05em; margin-bottom: 6px; }
.irg-stage { font-weight: 400; color: #8250df; }
.irg-meta { color: #6e7781; font-size: 0.9em; }
.irg-text { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 3px solid #8c959f; padding: 4px 10px; \
margin: 4px 0 8px 0; }
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
.irg-unusable { margin: 6px 0; padding: 6px 10px; border-left: 4px solid #cf222e; background: #fff5f5; }
.irg-critique ul, .irg-plan ul { margin: 4px 0 8px 0; padding-left: 20px; }
.irg-plan { border-top: 1px dashed #d0d7de; padding-top: 4px; }
.irg-rendered { border-top: 1px dashed #d0d7de; padding-top: 4px; }
.irg-summary { font-size: 0.9em; border-top: 1px solid #d0d7de; padding-top: 4px; }
.irg-stop { font-weight: 600; margin: 8px 0; }
.irg-error { color: #cf222e; font-weight: 600; }
.irg-note { color: #57606a; margin-bottom: 6px; }
.sev-critical .irg-dot { color: #cf222e; } .sev-major .irg-dot { color: #bc4c00; } \
.sev-minor .irg-dot { color: #8c959f; }
.irg-lock { font-style: italic; }
.irg-key { margin: 6px 0; }
.irg-diff del { background: #ffebe9; color: #82071e; }
.irg-diff ins { background: #dafbe1; color: #116329; text-decoration: none; }
"""


def _ai(x: float | None) -> str:
    return "— (nothing spent beyond the first draft)" if x is None else f"{x:+.2f}"


def md_quote(text: str) -> str:
    return "\n".join("> " + ln for ln in (text or "(empty)").splitlines()) or "> (empty)"
