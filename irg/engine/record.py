"""A whole run as one JSON-serialisable record, built from the event stream.

This is the batch output format (one line per prompt and strategy) and what the
app offers for download, so keep it stable; docs/cli.md documents it.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from irg.engine.events import (
    Candidates,
    CritiqueDone,
    DraftDone,
    Event,
    Final,
    IterationDone,
    PlanDone,
    Rendered,
    RunStarted,
    Stopped,
)


class Recorder:
    """Feed it every event (`for ev in rec.wrap(events)`); read `.record` at the end."""

    def __init__(self, run_id=None):
        self.record: dict = {"id": run_id, "strategy": None, "model": None, "prompt": None, "final": "", "last": "",
                             "best_iteration": 0, "iterations": [], "tokens_total": 0, "seconds": 0.0,
                             "stop_reason": None, "stop_detail": "", "constraints": [], "notices": [], "unchecked": [],
                             # ends of the model process and thread switches while the run was alive (each run
                             # sharing the process counts one: a sum over a batch counts an event once per run)
                             "restarts": 0, "restart_causes": []}
        self._current: dict = {}

    def add(self, ev: Event) -> None:
        r = self.record
        if isinstance(ev, RunStarted):
            r.update(strategy=ev.strategy, model=ev.model, prompt=ev.prompt, constraints=ev.constraints,
                     notices=ev.notices, unchecked=ev.unchecked, config=ev.config)
        elif isinstance(ev, DraftDone):
            self._current = {"iteration": ev.iteration, "draft": ev.text, "finish_reason": ev.finish_reason,
                             "findings": [], "plan": None, "critic_text": ""}
        elif isinstance(ev, Candidates):
            self._current.update(candidates=ev.items, chosen_candidate=ev.chosen)
        elif isinstance(ev, Rendered):  # the rendered text is the draft; the model's own words are kept beside it
            self._current.update(draft=ev.after, rendered={"before": ev.before, "steps": ev.steps, "tokens": ev.tokens})
        elif isinstance(ev, CritiqueDone):
            self._current.update(findings=ev.report["findings"], critic_text=ev.report.get("critic_text", ""))
        elif isinstance(ev, PlanDone):
            self._current["plan"] = ev.plan
        elif isinstance(ev, IterationDone):
            self._current.update(score=ev.score, tokens=ev.tokens, tokens_cum=ev.tokens_cum, seconds=ev.seconds,
                                 model_share=ev.model_share)
            r["iterations"].append(self._current)
            self._current = {}
        elif isinstance(ev, Stopped):
            r.update(stop_reason=ev.reason, stop_detail=ev.detail)
            if ev.retry:  # not the line's own failure: a resumed batch runs it again
                r["retry"] = True
        elif isinstance(ev, Final):
            r.update(final=ev.answer, last=ev.last, best_iteration=ev.best_iteration, tokens_total=ev.tokens_total,
                     seconds=ev.seconds, stop_reason=ev.stop_reason, restarts=len(ev.restarts),
                     restart_causes=[f"{x['event']}: {x['cause']}" for x in ev.restarts])
            if ev.unusable:  # every draft was debris: the record says the answer is none
                r["unusable"] = ev.unusable

    def wrap(self, events: Iterable[Event]) -> Iterator[Event]:
        for ev in events:
            self.add(ev)
            yield ev
