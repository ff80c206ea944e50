"""The typed events the IRG loop yields.

Every view (CLI printer, batch writer, Gradio UI, benchmark runner) consumes the
same stream, so these are plain JSON-serialisable dataclasses. `type` is set
from the class so a serialised event says what it is.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Event:
    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["type"] = type(self).__name__
        return d


@dataclass
class RunStarted(Event):
    prompt: str
    strategy: str
    model: str
    config: dict
    constraints: list[dict] = field(default_factory=list)  # what the analyzer extracted
    notices: list[str] = field(default_factory=list)  # e.g. "prompt truncated"
    unchecked: list[str] = field(default_factory=list)  # instructions in the prompt that no rule checks


@dataclass
class DraftToken(Event):
    iteration: int
    text: str  # a piece of streamed text (one or a few tokens)


@dataclass
class DraftDone(Event):
    iteration: int
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finish_reason: str  # stop | length | cancelled | stop_string | budget


@dataclass
class Candidates(Event):
    """A revision drawn as several candidates (RunConfig.candidates): each with what ranked it; `chosen` is the
    index of the draft that goes on (most constraints met, then the highest mean log-probability)."""
    iteration: int
    items: list[dict]  # {"text", "constraints_met", "degenerate", "mean_logprob", "temperature"}
    chosen: int


@dataclass
class Outlined(Event):
    """A draft written part by part (irg/engine/parts.py): the outline the model wrote first, as the parts' openings
    ('' where a line was left out), before the parts stream."""
    iteration: int
    parts: dict  # parts.Parts.to_dict(): how many, the words and sentences each holds, the separator
    openings: list[str]
    tokens: int  # what the outline cost
    label: str  # the plan in one line, for the views


@dataclass
class Rendered(Event):
    """The program's part after a draft, a labelled step, never hidden: a loop trimmed, slots it opened and the model
    filled (irg/engine/fill.py), pure form rendered (irg/engine/render.py)."""
    iteration: int
    before: str  # the model's draft
    after: str  # what is analysed and may be returned
    steps: list[dict]  # RenderStep.to_dict(): kind, label, added, changed
    tokens: int = 0  # what the slots the program opened cost (irg/engine/fill.py), kept or not


@dataclass
class CritiqueDone(Event):
    iteration: int
    report: dict  # Report.to_dict(): findings, score, critic raw text
    tokens: int  # tokens spent by the critique (0 for rules only)
    seconds: float


@dataclass
class PlanDone(Event):
    iteration: int
    plan: dict  # Plan.to_dict(): instructions + decoding constraints
    tokens: int
    seconds: float


@dataclass
class IterationDone(Event):
    iteration: int
    score: float
    tokens_cum: int  # every token the run has spent so far
    seconds_cum: float
    draft: str = ""
    tokens: int = 0  # tokens spent in this iteration (draft + critique + plan)
    seconds: float = 0.0
    model_share: float = 1.0  # share of the draft's characters the model wrote (the rest: scaffolds, rendering)


@dataclass
class Stopped(Event):
    # no_critical | max_iters | plateau | adaptive | time_limit | budget | cancelled | single_pass | candidates_done
    reason: str
    detail: str = ""
    retry: bool = False  # it ended on an error that was not its own (e.g. the model process killed from outside)


@dataclass
class Final(Event):
    answer: str  # what the run returns (best-so-far or last, as configured)
    last: str
    best: str
    best_iteration: int
    best_score: float
    last_score: float
    tokens_total: int
    seconds: float
    stop_reason: str
    mode: str  # "best" or "last": which of the two `answer` is
    restarts: list[dict] = field(default_factory=list)  # model-process restarts while it ran (Backend.recoveries)
    unusable: str = ""  # why the answer is debris (irg/engine/degenerate.py) when every draft was: then it is no answer
    broken_ban: str = ""  # a ban the plan enforces that the answer breaks, because no draft met it (else "")
