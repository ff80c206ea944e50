"""The loop as a teacher (issue 23), stage 1: which of its answers a student may learn from.

    python -m irg.bench quality --suite constraints --split train --strategies irg_hybrid --budget 1500 \
        --workers 2 --background --out runs/distill_loop/gen          # resumable: run it again to go on
    python -m tuning.loop keep --gen runs/distill_loop/gen   # -> assets/distill_loop/kept.jsonl

The loop's run on a train prompt is kept only if the answer it returns
  - meets every ground-truth constraint of the prompt (the composer's or the phrasing set's gold, not the engine's
    own reading of the prompt: a misread instruction must not be taught),
  - is not degenerate (irg/engine/degenerate.py), and
  - is an answer to the request, not the small model's stock reply ("I'm ready to help. What can I do for you?"
    can meet "all capitals, two sentences"): no stock phrase, and some similarity to the request;
  - does not echo its orders: five words in a row from the revision prompt or the plan's instructions that the
    user's prompt does not have ("Rewrite your answer to my request.", "I will write ordinary sentences...");
  - (only with drop_repetitive) does not repeat itself: no sentence said twice, at most MAX_REPEAT of its 4-word
    sequences repeated. Off by default, as measured: 293 of the 775 kept finals repeat themselves that much, and a LoRA
    taught on the 482 left was worse on the dev split than one taught on all 775 (14.6% vs 20.8% fully satisfied,
    36 vs 26 degenerate answers of 96; assets/results/distill_loop/dev-choices.json).
With it we keep the model's first draft (what one pass wrote: the GAN's "fake"), and the steps that made the final
(rendering, filled slots), so that it is on record what the student is asked to learn to write by itself.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from irg.engine import paths
from irg.engine.jsonl import rows
from irg.evaluation.summary import Similarity

KEPT = paths.ASSETS / "distill_loop" / "kept.jsonl"
ADAPTERS = paths.ASSETS / "adapters"  # where the students are shipped...
PREFIX = "smollm2-135m-loop"  # ...under these names: <PREFIX>-lora/, <PREFIX>-gan.safetensors, ...
# The 135M model's stock replies: an answer that is little more than one of these did not do the task, whatever
# the rules say. (A long answer that contains one, e.g. a letter that ends "how can I help?", is judged as usual.)
STOCK = re.compile(r"\b(i['’]?m ready to help|i am ready to help|how (can|may) i (help|assist)|what can i do for you|"
                   r"i cannot (help|assist)|as an ai\b)", re.IGNORECASE)
STOCK_WORDS = 30
MIN_SIMILARITY = 0.15  # answer vs request (all-MiniLM-L6-v2 cosine); below it the answer is about something else


# The revision prompt's own words (irg.engine.loop.draft_messages): an answer that repeats them, or the plan's
# instructions, is the model echoing its orders, not answering.
ORDERS = ("Rewrite your answer to my request.", "Follow these instructions:", "Reply with the new answer only.",
          "Reply with the answer only.")
LEAK_WORDS = 5  # a run of this many words from the orders, not in the user's prompt, is an echo
MAX_REPEAT = 0.2  # most share of an answer's 4-word sequences that may be repeats


def repetitive(text: str) -> bool:
    """A sentence (4+ words) said twice, or more than MAX_REPEAT of the 4-word sequences repeated."""
    words = re.findall(r"\w+", text.lower())
    grams = [tuple(words[i: i + 4]) for i in range(len(words) - 3)]
    if grams and 1 - len(set(grams)) / len(grams) > MAX_REPEAT:
        return True
    sentences = [" ".join(re.findall(r"\w+", x.lower())) for x in re.split(r"(?<=[.!?])\s+|\n+", text)]
    sentences = [x for x in sentences if len(x.split()) >= 4]
    return len(sentences) != len(set(sentences))


def _grams(text: str, n: int = LEAK_WORDS) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower())  # a quote around a phrase is not part of a word
    return {tuple(words[i: i + n]) for i in range(len(words) - n + 1)}


def echoes_orders(row: dict, text: str) -> bool:
    orders = list(ORDERS) + [i for it in row["iterations"] for i in ((it.get("plan") or {}).get("instructions") or [])]
    return bool(_grams(text) & (set().union(*map(_grams, orders)) - _grams(row["prompt"])))


def first_draft(row: dict) -> str:
    """The model's own first answer: before the program rendered it, if it did."""
    it = row["iterations"][0]
    rendered = it.get("rendered") or {}
    return rendered.get("before") or it["draft"]


def chosen(row: dict) -> dict | None:
    """The iteration whose draft the run returned."""
    return next((it for it in row["iterations"] if it["iteration"] == row.get("best_iteration")), None)


def judge(row: dict, similarity: float | None, drop_repetitive: bool = False) -> str:
    """'kept', or why not."""
    from irg.engine.degenerate import degeneration
    from irg.evaluation.metrics import constraints_met

    final = row.get("final") or ""
    if row.get("error") or not row.get("iterations"):
        return "error"
    if not final.strip():
        return "empty"
    try:
        met = all(constraints_met(final, row["gold_constraints"]))
    except ValueError:  # a gold the checkers cannot be built from (left out of the split since)
        return "bad_gold"
    if not met:
        return "unmet"
    if echoes_orders(row, final):  # the specific reason first: the guard also calls a copied order debris
        return "echoes_orders"
    if degeneration(final):
        return "degenerate"
    if STOCK.search(final) and len(final.split()) < STOCK_WORDS:
        return "stock_reply"
    if drop_repetitive and repetitive(final):
        return "repetitive"
    if similarity is not None and similarity < MIN_SIMILARITY:
        return "off_topic"
    it = chosen(row)
    if it is None or it["draft"] != final:  # the record must say which draft (and which steps) this is
        return "unrecorded"
    return "kept"


def keep(gen: Path, out: Path = KEPT, split: dict[str, str] | None = None, drop_repetitive: bool = False,
         round_no: int = 1, earlier: list[Path] = ()) -> dict:
    """Read the generation run's results.jsonl, write the kept rows; returns counts by reason.
    `split`: {id: prompt} of the train split (default: today's); {} = keep runs of any prompt (tests).
    `round_no`, `earlier`: a later round (expert iteration, as in ReST) learns from what every round kept: the kept
    sets of `earlier` rounds come first in `out`, then this round's (a prompt may have an answer from each round;
    an earlier row of this round, from a repeated call, is replaced)."""
    from irg.evaluation.metrics import constraints_met
    from irg.evaluation.suites import train_rows
    from irg.evaluation.summary import load_results

    src = gen / "results.jsonl" if gen.is_dir() else gen
    if not src.exists():
        raise ValueError(f"No loop runs at {src}: run the generation command first.")
    split = {r["id"]: r["prompt"] for r in train_rows()} if split is None else split
    rows = [r for r in load_results(src) if r.get("strategy") == "irg_hybrid"]  # a line cut by a kill is skipped
    counts: dict[str, int] = {}
    if split:  # runs of prompts since taken out of the split (a repeat, a near copy of a held-out one) are not used
        gone = [r for r in rows if split.get(r["id"]) != r["prompt"]]
        rows = [r for r in rows if split.get(r["id"]) == r["prompt"]]
        if gone:
            counts["not_in_split"] = len(gone)
    ok = [r for r in rows if r.get("final") and r.get("iterations")]
    sims = dict(zip((r["id"] for r in ok), Similarity.get().score([r["final"] for r in ok], [r["prompt"] for r in ok])))
    kept = []
    for r in rows:
        why = judge(r, sims.get(r["id"]), drop_repetitive)
        counts[why] = counts.get(why, 0) + 1
        if why != "kept":
            continue
        it = chosen(r)
        steps = [s["label"] for x in r["iterations"][: it["iteration"]]
                 for s in ((x.get("rendered") or {}).get("steps") or [])]
        draft = first_draft(r)
        finish = r["iterations"][0].get("finish_reason")
        kept.append({"id": r["id"], "source": r["id"].split(":")[0] if ":" in r["id"] else "composer",
                     "prompt": r["prompt"], "gold": r["gold_constraints"], "final": r["final"],
                     "first_draft": draft, "first_finish": finish,
                     "first_met": all(constraints_met(draft, r["gold_constraints"])),
                     "steps": steps, "iterations": len(r["iterations"]), "tokens": r.get("tokens_total"),
                     "similarity": sims.get(r["id"]), "round": round_no})
    kept = [row for path in earlier for row in load(path) if row.get("round", 1) != round_no] + kept
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(k, ensure_ascii=False) + "\n" for k in kept), encoding="utf-8")
    return {"runs": len(rows), **counts}


def describe(kept: list[dict]) -> dict:
    """What the kept set holds: rounds, sources, first drafts that already met everything, the program's steps."""
    from collections import Counter

    n = max(len(kept), 1)
    return {"by_round": dict(Counter(str(r.get("round", 1)) for r in kept)),  # sets from before rounds: round 1
            "by_source": dict(Counter(r["source"] for r in kept)),
            "first_draft_already_met": sum(r["first_met"] for r in kept),
            "first_draft_unchanged": sum(r["first_draft"].strip() == r["final"].strip() for r in kept),
            "with_program_steps": sum(bool(r["steps"]) for r in kept),
            "answers_with_step": dict(Counter(step for r in kept for step in {s.split(":")[0] for s in r["steps"]})),
            "mean_iterations": round(sum(r["iterations"] for r in kept) / n, 2),
            "mean_tokens": round(sum(r["tokens"] or 0 for r in kept) / n)}


def load(path: Path = KEPT) -> list[dict]:
    return rows(path)


def examples(tok, kept: list[dict],
             max_answer_tokens: int) -> tuple[list[tuple[list[int], list[int]]], list[list[int]]]:
    """(prompt ids, final ids + end of turn) and the first draft's ids for each kept row that fits."""
    from irg.engine.loop import draft_messages
    from tuning.adapters.train import chat_ids, eos_id

    pairs, drafts = [], []
    for r in kept:
        prompt = chat_ids(tok, draft_messages(r["prompt"], "constraints"))
        answer = tok.encode(r["final"], add_special_tokens=False) + [eos_id(tok)]
        if len(answer) > max_answer_tokens:
            continue
        pairs.append((prompt, answer))
        # a draft that ended by itself ends with the end-of-turn token like a real answer: the critic must not
        # tell real from fake by that token alone
        ended = [] if r.get("first_finish") == "length" else [eos_id(tok)]
        same = r["first_draft"].strip() == r["final"].strip()  # a first draft the loop kept as it was is no fake
        drafts.append([] if same else tok.encode(r["first_draft"], add_special_tokens=False) + ended)
    return pairs, drafts
