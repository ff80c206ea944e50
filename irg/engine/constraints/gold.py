"""The gold answer as a rule: a teacher's constraint, never read from a prompt."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from irg.engine.answers import final_answer, parse_number
from irg.engine.constraints.base import Constraint, register


# ---- the gold answer (a teacher's rule, never read from a prompt) --------------------------------
@register
@dataclass
class FinalAnswer(Constraint):
    """The final answer must equal `value`. Only a caller that knows the gold answer adds it (the distillation
    teacher, tuning/distill/teacher.py); `hint` puts the value in the revision instruction, as STaR's rationalization
    does: the next draft is asked for steps that reach it, and the feedback module checks that they do. Off by
    default: the 135M model parrots the hint instead of computing (a pilot: 13 of 16 right answers, 2 with steps)."""
    kind: ClassVar[str] = "final_answer"
    value: str = ""
    hint: bool = False

    def check(self, text):
        got, want = final_answer(text), parse_number(self.value)
        if got is None or want is None or abs(float(got) - want) > 1e-6:
            return [self.finding(f"The final answer {got or '(none)'} is not the expected one.", "end")]
        return []

    def instruction(self):
        if self.hint:
            return (f"Solve it again step by step, writing each calculation as 'a + b = c'. "
                    f"The correct final answer is {self.value}: every step must lead to it. "
                    f"Finish with 'The answer is {self.value}.'")
        return "The final answer is wrong: solve it again step by step and recheck every calculation."
