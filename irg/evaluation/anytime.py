"""The anytime view of a run: quality as a function of tokens spent.

Built from the engine's events like every other view. The single-pass point is the
first draft: the same request a single pass makes, so under greedy decoding it *is*
the single-pass answer (tests/engine/test_loop.py checks this), at its own cost (prompt +
completion tokens, no critique). Each iteration adds a point at the run's cumulative
tokens. The Anytime Index is quality gained per 1,000 tokens beyond the single pass:

    AI = 1000 * (q_final - q_single) / (tokens_total - tokens_single)

Quality is the run's own score unless an answer key is given (a preset's constraints and
exact result), which then decides: small models are poor judges of their own work.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from irg.engine.events import DraftDone, Final, IterationDone


def anytime_index(q_single: float, t_single: int, q_final: float, t_total: int) -> float | None:
    """Quality gained per 1,000 tokens spent beyond the single pass; None when nothing more was spent."""
    if t_total <= t_single:
        return None
    return 1000.0 * (q_final - q_single) / (t_total - t_single)


@dataclass
class Point:
    iteration: int
    tokens: int  # cumulative tokens when this iteration ended
    score: float  # the run's own score of this iteration's draft
    key: float | None = None  # answer-key quality of the draft (None without a key)

    @property
    def quality(self) -> float:
        return self.score if self.key is None else self.key


@dataclass
class AnytimeCurve:
    answer_key: Callable[[str], float | None] | None = None
    points: list[Point] = field(default_factory=list)
    single_tokens: int | None = None
    final_quality: float | None = None
    final_tokens: int | None = None

    def _key(self, text: str) -> float | None:
        return None if self.answer_key is None else self.answer_key(text)

    def add(self, ev) -> bool:
        """Feed an event; True when the curve changed (an iteration or the end)."""
        if isinstance(ev, DraftDone) and ev.iteration == 1 and self.single_tokens is None:
            self.single_tokens = ev.prompt_tokens + ev.completion_tokens
        elif isinstance(ev, IterationDone):
            self.points.append(Point(ev.iteration, ev.tokens_cum, ev.score, self._key(ev.draft)))
            return True
        elif isinstance(ev, Final) and self.points:
            key = self._key(ev.answer)
            score = ev.best_score if ev.mode == "best" else ev.last_score
            self.final_quality = score if key is None else key
            self.final_tokens = ev.tokens_total
            return True
        return False

    @property
    def has_key(self) -> bool:
        return any(p.key is not None for p in self.points)

    @property
    def single(self) -> tuple[int, float] | None:
        """(tokens, quality) of the single pass, i.e. the first draft."""
        if not self.points or self.single_tokens is None:
            return None
        return self.single_tokens, self.points[0].quality

    def index(self) -> float | None:
        if self.single is None or self.final_quality is None:
            return None
        t0, q0 = self.single
        return anytime_index(q0, t0, self.final_quality, self.final_tokens)

    def to_dict(self) -> dict:
        return {"points": [{"iteration": p.iteration, "tokens_cum": p.tokens, "score": p.score, "answer_key": p.key}
                           for p in self.points],
                "single_pass": None if self.single is None else {"tokens": self.single[0], "quality": self.single[1]},
                "final": {"tokens": self.final_tokens, "quality": self.final_quality},
                "quality_is": "answer key" if self.has_key else "the run's own score",
                "anytime_index_per_1k_tokens": self.index()}
