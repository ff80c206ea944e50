"""Analysis and reflection: what is wrong with a draft, where, and how bad.

Three analyzers share one interface, `analyze(...) -> Report`:
  - RuleAnalyzer (external): the prompt's constraints and general checks
    (empty, truncated, repetition, stated arithmetic, maths answer format). Free: no tokens.
  - ModelCritic (internal): the same model prompted as a critic; parsed robustly.
  - HybridAnalyzer: both. Rules are authoritative for stopping where they apply;
    the critic's findings are advice (never critical) unless no rule applies.
"""
from __future__ import annotations

import math
import re
import threading
import zlib
from collections import Counter
from dataclasses import dataclass

from irg.engine.backends import Backend, GenRequest
from irg.engine.constraints import Constraint
from irg.engine.decoding import DecodingConstraints
from irg.engine.degenerate import degeneration
from irg.engine.findings import PENALTY, Finding, Report

# ---- task type --------------------------------------------------------------------------
MATH_HINT = "Solve the problem step by step, then finish with a final line of the form 'The answer is N.' where N is a number."


def detect_task(prompt: str) -> str:
    """'math' for a word problem asking for a number, else 'general'."""
    numbers = re.findall(r"\d+(?:[.,]\d+)?", prompt)
    asks = re.search(r"\b(how many|how much|how far|how long|how old|what is the (?:total|sum|difference|product|cost|price|number|value)|"
                     r"calculate|compute|what percent|find the)\b", prompt, re.I)
    return "math" if len(numbers) >= 2 and asks else "general"


_NUM = r"-?\$?\d[\d,]*(?:\.\d+)?"


def parse_number(s: str) -> float | None:
    s = s.replace("$", "").replace(",", "").strip().rstrip(".")
    try:
        return float(s)
    except ValueError:
        return None


def final_answer(text: str) -> str | None:
    """The number the draft gives as its final answer ('The answer is N', '#### N', '\\boxed{N}')."""
    pats = [r"answer is\s*:?\s*\**\s*(" + _NUM + r")", r"####\s*(" + _NUM + r")", r"\\boxed\{(" + _NUM + r")\}"]
    for pat in pats:
        ms = re.findall(pat, text, re.I)
        if ms:
            v = parse_number(ms[-1])
            if v is not None:
                return f"{v:g}" if not v.is_integer() else str(int(v))
    return None


# ---- general rule checks (not prompt constraints) ---------------------------------------
def check_empty(text: str, **_) -> list[Finding]:
    if not text.strip():
        return [Finding("empty", "critical", "The answer is empty.", "whole answer", "Write a complete answer.")]
    return []


def check_truncated(text: str, finish_reason: str = "", **_) -> list[Finding]:
    if finish_reason == "length" and text.strip() and not re.search(r"[.!?\"'”)\]}*>]\s*$", text.strip()):
        return [Finding("truncated", "major", "The answer stops mid-sentence (it hit the length limit).", "end",
                        "Keep the answer shorter so that it ends with a complete sentence.")]
    return []


def check_repetition(text: str, **_) -> list[Finding]:
    """Degeneration: a short pattern repeated, the same 4-word sequences again and again, or the same line repeated."""
    ws = re.findall(r"\w+", text.lower())
    out: list[Finding] = []
    raw = text.strip().encode()
    # Compression sees repetition that word counts miss (emoji runs, "!!!!", "ha ha ha").
    if len(raw) >= 80 and len(zlib.compress(raw)) / len(raw) < 0.2 or (len(raw) >= 20 and not ws):
        return [Finding("repetition", "critical", "The answer is one short pattern repeated, not real text.", "whole answer",
                        "Write real sentences; do not repeat symbols or phrases.")]
    if len(ws) >= 20:
        grams = [tuple(ws[i:i + 4]) for i in range(len(ws) - 3)]
        ratio = 1 - len(set(grams)) / len(grams)
        if ratio > 0.3:
            top = Counter(grams).most_common(1)[0][0]
            sev = "critical" if ratio > 0.5 else "major"
            out.append(Finding("repetition", sev, f"{ratio:.0%} of the 4-word sequences repeat (e.g. '{' '.join(top)}').",
                               "whole answer", "Do not repeat yourself: every sentence must say something new."))
    lines = [ln.strip().lower() for ln in text.splitlines() if len(ln.strip()) > 10]
    dup = [ln for ln, c in Counter(lines).items() if c >= 3]
    if dup and not out:
        out.append(Finding("repetition", "major", f"The line '{dup[0][:60]}' appears {Counter(lines)[dup[0]]} times.",
                           "whole answer", "Do not repeat the same line."))
    return out


_ARITH = re.compile(rf"(?<![\w.])({_NUM}(?:\s*(?:[-+*/×÷]|\sx\s)\s*{_NUM})+)\s*=\s*(?P<rhs>{_NUM})(?![\d])")


def _eval_expression(expr: str) -> float | None:
    expr = expr.replace("×", "*").replace("÷", "/").replace(" x ", " * ").replace("$", "").replace(",", "")
    if not re.fullmatch(r"[\d.\s+\-*/]+", expr):
        return None
    try:
        return float(eval(expr, {"__builtins__": {}}, {}))  # only digits and + - * / reach here
    except (SyntaxError, ZeroDivisionError, ValueError):
        return None


def check_arithmetic(text: str, **_) -> list[Finding]:
    """Every 'a op b = c' the draft states, recomputed ('12 * 4 = 46' is wrong)."""
    out, pos = [], 0
    while (m := _ARITH.search(text, pos)) is not None:
        pos = m.start("rhs")  # chains 'a + b = c + d = e' are checked link by link
        want, got = _eval_expression(m.group(1)), parse_number(m.group("rhs"))
        if want is None or got is None:
            continue
        if not math.isclose(want, got, rel_tol=1e-3, abs_tol=0.011):
            shown = f"{want:.2f}".rstrip("0").rstrip(".")
            out.append(Finding("arithmetic", "critical", f"'{m.group(0).strip()}' is wrong: {m.group(1).strip()} = {shown}.",
                               f"chars {m.start()}-{m.end()}", f"Recompute: {m.group(1).strip()} = {shown}, not {m.group('rhs')}."))
    return out


def check_math_answer(text: str, task: str = "general", **_) -> list[Finding]:
    if task == "math" and text.strip() and final_answer(text) is None:
        return [Finding("math_answer", "critical", "No final answer line of the form 'The answer is N.'", "end",
                        "Finish with a final line of the form 'The answer is N.' where N is a number.")]
    return []


def check_degenerate(text: str, **_) -> list[Finding]:
    why = degeneration(text)
    if why:
        return [Finding("degenerate", "critical", f"The answer is not real text: {why}.", "whole answer",
                        "Write ordinary sentences in normal words.")]
    return []


GENERAL_CHECKS = [check_empty, check_truncated, check_degenerate, check_repetition, check_arithmetic, check_math_answer]


def score_of(findings: list[Finding], n_constraints: int, n_met: int) -> float:
    if any(f.kind == "degenerate" for f in findings):
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


class RuleAnalyzer:
    name = "rules"

    def analyze(self, a: AnalysisInput) -> Report:
        findings: list[Finding] = []
        met = 0
        for c in a.constraints:
            found = c.check(a.text)
            met += not found
            findings += found
        for check in GENERAL_CHECKS:
            findings += check(a.text, finish_reason=a.finish_reason, task=a.task)
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
        sev = "critical" if authoritative and score < ACCEPT_SCORE and problems else ("major" if problems and score < ACCEPT_SCORE else "minor")
        findings = [Finding("critic", sev, p, "", f"Fix this: {p}", source="model") for p in problems]
        return Report(findings=findings, score=round(score, 4), critic_text=gen.text, tokens=gen.total_tokens)


class InternalAnalyzer:
    name = "internal"

    def __init__(self, backend: Backend, max_new_tokens: int = 96):
        self.critic = ModelCritic(backend, max_new_tokens)

    def analyze(self, a: AnalysisInput) -> Report:
        rep = self.critic.analyze(a, authoritative=True)
        # The empty answer is the one thing even internal mode must not accept.
        rep.findings = check_empty(a.text) + check_degenerate(a.text) + rep.findings
        if math.isnan(rep.score) or any(f.kind == "degenerate" for f in rep.findings):
            rep.score = 0.0
        return rep


class HybridAnalyzer:
    name = "hybrid"

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


def make_analyzer(kind: str, backend: Backend, critic_max_new_tokens: int = 96, hybrid_critic: str = "always"):
    if kind == "external":
        return RuleAnalyzer()
    if kind == "internal":
        return InternalAnalyzer(backend, critic_max_new_tokens)
    if kind == "hybrid":
        return HybridAnalyzer(backend, critic_max_new_tokens, hybrid_critic)
    raise ValueError(f"unknown analyzer {kind!r}")
