"""How a draft is drawn after one that was debris.

Greedy decoding is deterministic: after a draft that looped ("a dog, a dog, a dog"), the same request walks into the
same loop again. So the next draft is sampled (seeded, so that a run stays reproducible); the plan adds the n-gram
guard (plan.GENERAL_DECODING: DRY on llama.cpp, no_repeat_ngram on transformers) and the loop does not show the debris
back to the model. A repetition penalty on top was tried on the limerick example and dropped: sampled and penalised,
the 135M model wrote prose with misspelt and foreign-script words ("whooolle", a Cyrillic "о"); sampled with the
n-gram guard alone it wrote verse (docs/results/no-debris.md). The run's own `repetition_penalty` still applies.
"""
from __future__ import annotations

from typing import Sequence

from irg.engine.config import RunConfig
from irg.engine.values import Iteration

TEMPERATURE = 0.7  # as the loop's sampled candidates
SEED_STEP = 7919  # each redraft of a run draws its own sample


def debris(it: Iteration) -> bool:
    return any(f.check == "degenerate" for f in it.report.findings)


def settings(iterations: Sequence[Iteration], config: RunConfig, i: int) -> dict:
    """Keyword arguments for draft `i`'s request (RunContext.draft_request): {} unless the draft before was debris."""
    if not iterations or not debris(iterations[-1]):
        return {}
    return {"temperature": max(config.temperature, TEMPERATURE), "seed": config.seed + SEED_STEP * i}


def note(iterations: Sequence[Iteration], config: RunConfig, i: int) -> str:
    """What the plan card says about how draft `i` is drawn, when it is drawn differently from the settings."""
    s = settings(iterations, config, i)
    if not s:
        return ""
    if config.temperature == 0:
        return (f"The last draft was debris, so the next one is sampled (temperature {s['temperature']:g}, seed "
                f"{s['seed']}) rather than decoded greedily into the same loop.")
    return (f"The last draft was debris, so the next one is drawn with a new seed ({s['seed']}) "
            f"at temperature {s['temperature']:g}.")
