"""What makes a prompt or a task usable: one check for the app, the CLI, the batch reader and the engine."""
from __future__ import annotations

import re

from irg.engine.errors import InputError

TASKS = ("general", "math")  # "math": a word problem with a number for an answer; None: detect it from the prompt
_TASK_NAMES = {"general": "general", "math": "math", "maths": "math"}


def has_words(prompt: str) -> bool:
    """At least one letter or digit, in any script: a prompt of only NULs, zero-width spaces, byte-order marks,
    punctuation or emoji asks for nothing a rule or a model can read."""
    return bool(re.search(r"[^\W_]", prompt))


def prompt_problem(prompt) -> str | None:
    """Why this is not a prompt ("" content, no words), or None if it is one."""
    if not isinstance(prompt, str) or not prompt.strip():
        return "The prompt is empty"
    if not has_words(prompt):
        return "The prompt has no words in it (only spaces, punctuation, symbols or invisible characters)"
    return None


def check_prompt(prompt, max_chars: int | None = None) -> str:
    """The one input check every view shows (the app, the CLI, the engine itself): the prompt, or InputError with a
    sentence saying what to do. `max_chars`: a view's own limit (the app refuses pages no small model can read)."""
    if (problem := prompt_problem(prompt)) is not None:
        raise InputError(f"{problem}: type a request.")
    if max_chars is not None and len(prompt) > max_chars:
        raise InputError(f"The prompt is {len(prompt):,} characters; the limit is {max_chars:,}. "
                         "Shorten it (small models read at most a few pages).")
    return prompt


def task_name(task) -> str | None:
    """The task a batch line or caller names, as the engine spells it; ValueError with a sentence if it is none."""
    if task is None:
        return None
    if isinstance(task, str) and task.strip().lower() in _TASK_NAMES:
        return _TASK_NAMES[task.strip().lower()]
    raise InputError(f'"task" must be "math" or "general" (or left out to detect it), not {task!r}')
