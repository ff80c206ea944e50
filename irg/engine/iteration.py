"""One iteration of a run, as the loop, the planner and the stop rule see it: the draft, what the analysis found
(a Report), the plan made from it, and what it cost. Turned into a dict only at the edges (the record, the UI);
a logged record's iterations come back as these with `from_dict` (fitting the stop rule on logged runs).
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from irg.engine.findings import Finding, Report
from irg.engine.plan import Plan

FIELDS = {f.name for f in fields(Finding)}  # a logged finding may carry more (older or newer records)


@dataclass
class Iteration:
    index: int
    draft: str
    report: Report
    plan: Plan | None
    tokens: int  # this iteration's tokens (draft, critique and plan; prompts included)
    seconds: float
    finish_reason: str = ""
    tokens_cum: int = 0  # the run's tokens after this iteration

    @property
    def score(self) -> float:
        return self.report.score

    @property
    def findings(self) -> list[Finding]:
        return self.report.findings

    def to_dict(self) -> dict:
        return {"iteration": self.index, "draft": self.draft, "findings": [f.to_dict() for f in self.report.findings],
                "plan": self.plan.to_dict() if self.plan else None, "score": self.report.score,
                "tokens": self.tokens, "seconds": self.seconds, "finish_reason": self.finish_reason,
                "tokens_cum": self.tokens_cum}

    @classmethod
    def from_dict(cls, d: dict) -> "Iteration":
        """An iteration of a logged record (`to_dict`'s layout; missing fields take their defaults). Its plan stays
        out: nothing downstream of a record reads one back."""
        findings = [Finding(**{"kind": "", "message": "", "severity": "minor", **{k: v for k, v in f.items() if k in FIELDS}})
                    for f in d.get("findings") or []]
        return cls(d.get("iteration", 0), d.get("draft", ""), Report(findings, d.get("score", 0.0)), None,
                   d.get("tokens", 0), d.get("seconds", 0.0), d.get("finish_reason", ""), d.get("tokens_cum", 0))
