"""The draft module's chat: the request, and for a revision the plan's instructions (and the draft before it)."""
from __future__ import annotations

from irg.engine.answers import MATH_HINT
from irg.engine.values import Plan

SYSTEM_PROMPT = "You are a helpful assistant."


def draft_messages(prompt: str, task: str, plan: Plan | None = None, previous: str | None = None,
                   include_previous: bool = True) -> list[dict]:
    """The draft module's chat. A revision shows the previous draft as the model's own earlier turn
    (quoting it inside the request made small models copy the quotes) and the plan as the user's reply."""
    user = prompt + (f"\n\n{MATH_HINT}" if task == "math" else "")
    msgs = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]
    if plan is None:
        return msgs
    steps = "\n".join(f"- {i}" for i in plan.instructions) or "- Improve the answer."
    if plan.example:  # preference planner: show what better looks like, not only say it
        steps += (f"\nAn example of a worse and a better answer ({plan.example['from']}):\n"
                  f"WORSE: {plan.example['worse']}\n"
                  f"BETTER: {plan.example['better']}\nMake your answer like the better one.")
    if include_previous and previous:
        msgs += [{"role": "assistant", "content": previous},
                 {"role": "user", "content": f"Rewrite your answer to my request. Follow these instructions:\n{steps}\n"
                                             "Reply with the new answer only."}]
    else:
        msgs[1]["content"] += f"\n\nFollow these instructions:\n{steps}\nReply with the answer only."
    return msgs
