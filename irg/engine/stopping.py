"""Stop rules: is another IRG iteration worth its tokens?

Each rule is a `StopRule` registered under its name (a new rule is one registration: the CLI, the app and the
benchmarks offer it, the loop keeps its detail):

  fixed     the loop's own stops only: no critical finding left, max iterations, budget, time
  plateau   also stop as soon as an iteration does not raise the best score so far
  adaptive  also stop when a small learned model says the expected quality gain of going on, per 1,000
            tokens, is below its threshold (assets/stopping/adaptive.json)

The adaptive model is a logistic regression over what the loop knows after each iteration (index, score and
its change, findings by severity and source, similarity of successive drafts, tokens so far, task type…),
predicting whether continuing raises the quality of the final answer. It is trained on logged trajectories
of the benchmark runner (dev split) with ground-truth quality, and its threshold is the one that saves the
most tokens on those trajectories while keeping their quality within a point of the fixed rule:

    python -m irg.evaluation.stopping_fit train --data runs/quality/constraints-dev/results.jsonl \\
        --out assets/stopping/adaptive.json
    python -m irg.evaluation.stopping_fit compare --data assets/results/quality/constraints-test/results.jsonl

This module is the live half (features, the rule, loading the model); fitting, cross-validation and the
comparison on logged runs live in irg/evaluation/stopping_fit.py.
"""
from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from irg.engine import paths
from irg.engine.constraints.base import from_dict
from irg.engine.errors import ConfigError
from irg.engine.registry import STOP_RULES
from irg.engine.values import Finding, Iteration

MODEL_PATH = paths.ASSETS / "stopping" / "adaptive.json"
FEATURES = ("iteration", "score", "score_change", "best_score", "is_best", "critical_rule", "critical_model", "minor",
            "constraint_findings", "repetition", "truncated", "draft_similarity", "tokens_so_far_k",
            "iteration_tokens_k", "is_math", "n_constraints", "enforceable", "persistent")


# ---- features: from the iterations so far, the same in a live run and in a logged record ---------------------
def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def features(its: list[Iteration], is_math: bool, n_constraints: int) -> list[float]:
    """What the rule knows after the last of `its` (a live run's iterations, or a logged record's read back with
    Iteration.from_dict): the same numbers either way."""
    cur = its[-1]
    scores = [it.score for it in its]
    fs = cur.findings
    crit = [f for f in fs if f.severity == "critical"]
    before = {f.check for f in its[-2].findings if f.severity == "critical"} if len(its) > 1 else set()
    return [
        len(its), scores[-1], scores[-1] - (scores[-2] if len(scores) > 1 else 0.0), max(scores),
        float(scores[-1] >= max(scores)),
        sum(f.source == "rule" for f in crit), sum(f.source == "model" for f in crit), len(fs) - len(crit),
        sum(f.constraint is not None for f in fs), float(any(f.check == "repetition" for f in fs)),
        float(cur.finish_reason == "length"),
        _similarity(its[-2].draft, cur.draft) if len(its) > 1 else 0.0,
        cur.tokens_cum / 1000, cur.tokens / 1000, float(is_math), float(n_constraints),
        sum(_enforceable(f) for f in crit),  # the next draft's decoding will enforce these: likely fixed
        sum(f.check in before for f in crit),  # still there after a plan asked to fix them: likely to stay
    ]


def _enforceable(finding: Finding) -> bool:
    if not finding.constraint:
        return False
    try:
        return from_dict(finding.constraint).decoding() is not None
    except (ValueError, TypeError):
        return False


# ---- the rule in a live run -----------------------------------------------------------------------------------
_loaded: dict[str, AdaptiveStopper] = {}


def check_model() -> AdaptiveStopper:
    """The shipped adaptive model, loaded once; ConfigError with a sentence if it cannot be read."""
    if "model" not in _loaded:
        try:
            _loaded["model"] = AdaptiveStopper.load()
        except ValueError as e:
            raise ConfigError(str(e)) from e
    return _loaded["model"]


# ---- the rules: each one a StopRule, registered under its name ------------------------------------------------
@dataclass(frozen=True)
class StopRule:
    """A stop rule: `decide(its, x, stopper, threshold)` -> why it ends the run now (a detail for the user), or None.

    `x` is the last iteration's features (None when the rule does not read them), `stopper` the learned model (None
    when the rule does not use it). The loop, the app and the logged-run comparison ask these flags, never a name."""
    decide: Callable[..., str | None]
    text: str  # what the app says when the rule ends a run: "the score stopped rising (plateau rule)"
    uses_features: bool = True  # False: the features are not computed (they compare drafts: not free)
    uses_model: bool = False  # True: the learned model is loaded, and checked when a run is configured


def _never(its, x, stopper=None, threshold=None) -> str | None:
    return None


def _plateau(its, x, stopper=None, threshold=None) -> str | None:
    if len(its) > 1:
        best_before = max(it.score for it in its[:-1])
        if its[-1].score <= best_before:
            return f"score {its[-1].score:.2f} did not beat {best_before:.2f}"
    return None


def _adaptive(its, x, stopper=None, threshold=None) -> str | None:
    stopper = stopper or check_model()
    th = stopper.threshold if threshold is None else threshold
    g = stopper.gain(x, its[-1])
    return f"expected gain {g:.3f} per 1,000 tokens < {th:.3f}" if g < th else None


STOP_RULES.register("fixed", StopRule(_never, "the loop's own stops only", uses_features=False))
STOP_RULES.register("plateau", StopRule(_plateau, "the score stopped rising (plateau rule)"))
STOP_RULES.register("adaptive", StopRule(_adaptive, "another pass was not worth its tokens (adaptive rule)",
                                         uses_model=True))


def check_rule(name: str) -> StopRule:
    """The rule, its learned model loaded if it uses one: a sentence now (ConfigError), not an error mid-run."""
    rule = STOP_RULES.get(name)
    if rule.uses_model:
        check_model()
    return rule


def decide(rule: str, its: list[Iteration], x: list[float] | None, stopper: "AdaptiveStopper | None" = None,
           threshold: float | None = None) -> tuple[str, str] | None:
    """(the rule's name, detail) if `rule` ends the run after these iterations (`x`: the last one's features), else
    None. The one decision used live (early_stop) and on logged runs (stop_index)."""
    detail = STOP_RULES.get(rule).decide(its, x, stopper, threshold)
    return None if detail is None else (rule, detail)


def early_stop(rule: str, its: list[Iteration], is_math: bool, n_constraints: int) -> tuple[str, str] | None:
    """(the rule's name, detail) if `rule` ends the live run after these iterations, else None."""
    unit = STOP_RULES.get(rule)
    x = features(its, is_math, n_constraints) if unit.uses_features else None
    return decide(rule, its, x, check_model() if unit.uses_model else None)


# ---- the model ---------------------------------------------------------------------------------------------
@dataclass
class AdaptiveStopper:
    weights: list[float]
    bias: float
    mean: list[float]
    std: list[float]
    gain_when_helped: float  # mean quality gained when continuing did help (training data)
    threshold: float  # stop when expected gain per 1,000 tokens is below it
    meta: dict

    @classmethod
    def load(cls, path: Path | str | None = None) -> "AdaptiveStopper":
        path = Path(path or MODEL_PATH)
        try:
            d = json.loads(path.read_text())
            if d.get("features") != list(FEATURES):
                raise ValueError("its features are not this version's")
            return cls(d["weights"], d["bias"], d["mean"], d["std"], d["gain"], d["threshold"], d.get("meta", {}))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ValueError(f"The adaptive stop model '{path}' cannot be read ({e}); train it with "
                             "`python -m irg.evaluation.stopping_fit train`.") from e

    def save(self, path: Path | str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps({"features": list(FEATURES), "weights": self.weights, "bias": self.bias,
                                          "mean": self.mean, "std": self.std, "gain": self.gain_when_helped,
                                          "threshold": self.threshold, "meta": self.meta}, indent=1))

    def p_improve(self, x: list[float]) -> float:
        z = (np.asarray(x) - np.asarray(self.mean)) / np.asarray(self.std)
        return float(1 / (1 + math.exp(-(float(z @ np.asarray(self.weights)) + self.bias))))

    def gain(self, x: list[float], it: Iteration) -> float:
        """Expected quality gain of continuing per 1,000 tokens (the next iteration costs about as much as `it`)."""
        return self.p_improve(x) * self.gain_when_helped / (max(it.tokens, 50) / 1000)
