"""Analysis and reflection: what is wrong with a draft, where, and how bad.

Three analyzers share one interface, `analyze(...) -> Report`:
  - RuleAnalyzer (external): the prompt's constraints and the general checks (irg/engine/checks.py: empty,
    truncated, degenerate, repetition, stated arithmetic, maths answer format). Free: no tokens.
  - ModelCritic (internal): the same model prompted as a critic; parsed robustly.
  - HybridAnalyzer: both. Rules are authoritative for stopping where they apply;
    the critic's findings are advice (never critical) unless no rule applies.
Each is registered in `ANALYZERS` under the reflection mode a strategy asks for (external, internal, hybrid) and
built from the run's config by `build(backend, config)`.
"""
from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

from irg.engine.backends import Backend, GenRequest
from irg.engine.checks import check_degenerate, check_empty
from irg.engine.config import RunConfig
from irg.engine.constraints.base import Constraint
from irg.engine.decoding import DecodingConstraints
from irg.engine.registry import ANALYZERS, CHECKS
from irg.engine.values import PENALTY, Finding, Report


def score_of(findings: list[Finding], n_constraints: int, n_met: int) -> float:
    if any(f.check == "degenerate" for f in findings):
        return 0.0  # debris that happens to pass a checker is no success
    base = n_met / n_constraints if n_constraints else 1.0
    for f in findings:
        if f.constraint is None:
            base *= PENALTY[f.severity]
    return round(base, 4)


# ---- analyzers ---------------------------------------------------------------------------
@dataclass
class AnalysisInput:
    prompt: str
    text: str
    constraints: list[Constraint]
    task: str = "general"
    finish_reason: str = ""
    token_allowance: int | None = None  # most tokens the analysis may spend (None = no limit)
    cancel: threading.Event | None = None


@ANALYZERS.register("external")
class RuleAnalyzer:
    name = "external"  # its registry key: the reflection mode it serves

    @classmethod
    def build(cls, backend: Backend, config: RunConfig) -> "RuleAnalyzer":
        return cls()

    def analyze(self, a: AnalysisInput) -> Report:
        findings: list[Finding] = []
        met = 0
        for c in a.constraints:
            found = c.check(a.text)
            met += not found
            findings += found
        for _, check in CHECKS.items():
            findings += check(a.text, finish_reason=a.finish_reason, task=a.task, constraints=a.constraints)
        return Report(findings=findings, score=score_of(findings, len(a.constraints), met),
                      constraints_total=len(a.constraints), constraints_met=met)

    @staticmethod
    def applies(a: AnalysisInput) -> bool:
        """Do the rules have anything specific to check here (beyond empty/repetition)?"""
        return bool(a.constraints) or a.task == "math"


CRITIC_SYSTEM = "You are a strict reviewer. You check whether an answer follows a request."
CRITIC_TEMPLATE = (
    "Request:\n{prompt}\n\nAnswer:\n{text}\n\n"
    "Does the answer fully follow the request? List each problem on its own line starting with 'PROBLEM:'. "
    "If there is no problem, write 'PROBLEM: none'. Then write 'SCORE: N/10'."
)
CRITIC_PREFIX = "PROBLEM:"
ACCEPT_SCORE = 0.7  # a critic score at or above this means "good enough" in internal mode


def parse_critique(raw: str) -> tuple[list[str], float | None, bool]:
    """(problems, score in [0,1] or None, said_none). Robust to a small model's rambling."""
    score = None
    m = re.search(r"score\s*[:=]?\s*(\d+(?:\.\d+)?)\s*(?:/\s*(10|100|5))?", raw, re.I)
    if m:
        denom = float(m.group(2) or (10 if float(m.group(1)) <= 10 else 100))
        score = max(0.0, min(1.0, float(m.group(1)) / denom))
    body = raw[:m.start()] if m else raw
    problems, said_none = [], False
    for line in re.split(r"\n|(?=PROBLEM:)", body):
        line = line.strip()
        item = re.sub(r"^(?:PROBLEM\s*:|[-*•]|\d+[.)])\s*", "", line, flags=re.I).strip()
        if not item:
            continue
        if re.fullmatch(r"(?:none|no problems?|nothing|n/a|no issues?)\.?", item, re.I):
            said_none = True
            continue
        if line.upper().startswith("PROBLEM") or re.match(r"^(?:[-*•]|\d+[.)])\s", line):
            problems.append(item[:200])
    if not problems and not said_none and body.strip():
        first = re.split(r"(?<=[.!?])\s", body.strip())[0]  # no sentinel: keep the first sentence as advice
        problems.append(first[:200])
    return list(dict.fromkeys(problems))[:5], score, said_none


class ModelCritic:
    name = "model"

    def __init__(self, backend: Backend, max_new_tokens: int = 96, max_answer_tokens: int = 400):
        self.backend = backend
        self.max_new_tokens = max_new_tokens
        self.max_answer_tokens = max_answer_tokens

    def request(self, a: AnalysisInput) -> GenRequest:
        text = self.backend.truncate(a.text, self.max_answer_tokens)
        msgs = [{"role": "system", "content": CRITIC_SYSTEM},
                {"role": "user", "content": CRITIC_TEMPLATE.format(prompt=a.prompt, text=text)}]
        return GenRequest(msgs, max_new_tokens=self.max_new_tokens,
                          constraints=DecodingConstraints(forced_prefix=CRITIC_PREFIX, no_repeat_ngram=4))

    def analyze(self, a: AnalysisInput, authoritative: bool = True) -> Report:
        req = self.request(a)
        if a.token_allowance is not None:
            room = a.token_allowance - self.backend.count_prompt_tokens(req)
            if room < 8:
                return Report(score=float("nan"), critic_text="(critic skipped: token budget)")
            req.max_new_tokens = min(req.max_new_tokens, room)
        gen = self.backend.generate(req, a.cancel)
        problems, score, said_none = parse_critique(gen.text)
        if score is None:
            score = 1.0 if (said_none and not problems) else max(0.2, 1.0 - 0.2 * len(problems))
        # Internal mode: the critic's word is all there is, so an answer it does not accept is critical.
        sev = ("critical" if authoritative and score < ACCEPT_SCORE and problems
               else ("major" if problems and score < ACCEPT_SCORE else "minor"))
        findings = [Finding("critic", sev, p, "", f"Fix this: {p}", source="model") for p in problems]
        return Report(findings=findings, score=round(score, 4), critic_text=gen.text, tokens=gen.total_tokens)


@ANALYZERS.register("internal")
class InternalAnalyzer:
    name = "internal"

    @classmethod
    def build(cls, backend: Backend, config: RunConfig) -> "InternalAnalyzer":
        return cls(backend, config.critic_max_new_tokens)

    def __init__(self, backend: Backend, max_new_tokens: int = 96):
        self.critic = ModelCritic(backend, max_new_tokens)

    def analyze(self, a: AnalysisInput) -> Report:
        rep = self.critic.analyze(a, authoritative=True)
        # The empty answer is the one thing even internal mode must not accept.
        rep.findings = check_empty(a.text) + check_degenerate(a.text) + rep.findings
        if math.isnan(rep.score) or any(f.check == "degenerate" for f in rep.findings):
            rep.score = 0.0
        return rep


@ANALYZERS.register("hybrid")
class HybridAnalyzer:
    name = "hybrid"

    @classmethod
    def build(cls, backend: Backend, config: RunConfig) -> "HybridAnalyzer":
        return cls(backend, config.critic_max_new_tokens, config.hybrid_critic)

    def __init__(self, backend: Backend, max_new_tokens: int = 96, critic: str = "always"):
        self.rules = RuleAnalyzer()
        self.critic = ModelCritic(backend, max_new_tokens)
        self.when = critic  # "always", or "when_rules_pass": ask the model only once the checkable part passes

    def analyze(self, a: AnalysisInput) -> Report:
        rules = self.rules.analyze(a)
        rules_apply = RuleAnalyzer.applies(a)
        if self.when == "when_rules_pass" and rules_apply and rules.has_critical:
            # The rules have decided already: this draft must be rewritten. The critic's view of it would cost a few
            # hundred tokens and could not overrule them, so it waits for a draft that passes the checks.
            rules.critic_text = "(critic not asked: the rules found a critical problem)"
            return rules
        model = self.critic.analyze(a, authoritative=not rules_apply)
        findings = rules.findings + model.findings
        if rules_apply or math.isnan(model.score):
            score = rules.score
        else:  # nothing for rules to check: the critic's verdict, lowered by any general finding
            score = round(model.score * score_of(rules.findings, 0, 0), 4)
        return Report(findings=findings, score=score, constraints_total=rules.constraints_total,
                      constraints_met=rules.constraints_met, critic_text=model.critic_text, tokens=model.tokens)


def make_analyzer(name: str, backend: Backend, config: RunConfig):
    """The analyzer registered as `name` (a reflection mode), built for this run."""
    return ANALYZERS.get(name).build(backend, config)
