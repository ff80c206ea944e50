"""Named strategies, each a small registered unit yielding the loop's events.

`run()` is the one entry point every view uses.
"""
from __future__ import annotations

import queue
import threading
from collections import Counter
from dataclasses import replace
from typing import Generator, Iterator

from irg.engine.answers import final_answer
from irg.engine.backends import Backend, relay
from irg.engine.config import RunConfig
from irg.engine.constraints.base import Constraint
from irg.engine.constraints.choices import ChooseFrom
from irg.engine.degenerate import degeneration
from irg.engine.events import CritiqueDone, DraftDone, DraftToken, Event, IterationDone
from irg.engine.loop import SAMPLING_TEMPERATURE, RunContext, draft_messages, irg_loop, rules_report
from irg.engine.registry import STRATEGIES
from irg.engine.values import Iteration

strategy = STRATEGIES.register  # @strategy("name") above a function (RunContext) -> Iterator[Event]


def one_draft(ctx: RunContext, name: str, rendered: bool) -> Iterator[Event]:
    """One greedy draft scored by the rules; with `rendered`, pure form applied first as a labelled step."""
    yield ctx.started(name)
    req = ctx.draft_request(draft_messages(ctx.prompt, ctx.task))
    if req is None:
        yield from ctx.finish("budget", ctx.stop_detail)
        return
    yield from ctx.stream_draft(req, 1)
    gen = ctx.last_generation
    text, share = (yield from ctx.rendered(1, gen.text, None, render_always=True)) if rendered else (gen.text, 1.0)
    report = rules_report(ctx, text, gen.finish_reason)
    yield CritiqueDone(1, report.to_dict(), 0, 0.0)
    ctx.iterations.append(Iteration(1, text, report, None, gen.total_tokens, gen.seconds))
    yield IterationDone(1, report.score, ctx.tokens, ctx.seconds, text, gen.total_tokens, gen.seconds, share)
    yield from ctx.finish(ctx.interrupted("single_pass"))


@strategy("single_pass")
def single_pass(ctx: RunContext) -> Iterator[Event]:
    return one_draft(ctx, "single_pass", rendered=False)


@strategy("single_render")
def single_render(ctx: RunContext) -> Iterator[Event]:
    """Single pass + lossless rendering: the baseline that tells what rendering alone buys."""
    return one_draft(ctx, "single_render", rendered=True)


@strategy("irg_internal")
def irg_internal(ctx):
    return irg_loop(ctx, "internal", "irg_internal")


@strategy("irg_external")
def irg_external(ctx):
    return irg_loop(ctx, "external", "irg_external")


@strategy("irg_hybrid")
def irg_hybrid(ctx):
    return irg_loop(ctx, "hybrid", "irg_hybrid")


def streamed_batch(ctx: RunContext, reqs: list) -> Generator[Event, None, list]:
    """The drafter writes the batch in a worker thread; each row's text is yielded as DraftToken(row + 1) while
    it is written (engines that decode rows in one tensor stream nothing), then the generations are returned."""
    q: queue.Queue = queue.Queue()
    out: dict = {}

    def work():
        try:
            out["gens"] = ctx.drafter.generate_batch(reqs, ctx.cancel, lambda i, piece: q.put(DraftToken(i + 1, piece)))
        except BaseException as err:  # noqa: BLE001 — re-raised in the run's own thread below
            out["error"] = err
        finally:
            q.put(None)

    worker = threading.Thread(target=work, daemon=True, name="irg-batch")
    worker.start()
    # leaving early (the run closed mid-batch) halts the generation first; each row's own stream is bounded after a
    # cancel (backends.relay), so this waits for the whole batch and always has its generations
    yield from relay(q, worker, ctx.cancel, leave_after=None)
    if "error" in out:
        raise out["error"]
    return out["gens"]


def sample_candidates(ctx: RunContext, name: str) -> Iterator[Event]:
    """max_iters sampled candidates in one batch, as many as the budget pays for; each scored by rules."""
    yield ctx.started(name)
    msgs = draft_messages(ctx.prompt, ctx.task)
    temp = max(ctx.config.temperature, SAMPLING_TEMPERATURE)
    req = ctx.draft_request(msgs, temperature=temp, seed=ctx.config.seed)
    if req is None:
        yield from ctx.finish("budget", ctx.stop_detail)
        return
    n = ctx.config.max_iters
    left = ctx.budget_left()
    if left is not None:  # every candidate gets the same room: its prompt plus an equal share
        prompt_tokens = ctx.drafter.count_prompt_tokens(req)
        n = max(1, min(n, left // (prompt_tokens + min(req.max_new_tokens, ctx.config.max_new_tokens))))
        req.max_new_tokens = max(1, min(req.max_new_tokens, left // n - prompt_tokens))
    # a seed of its own for each candidate: engines that decode each request alone (llama.cpp's slots) would
    # otherwise draw the same sample N times
    reqs = [replace(req, seed=None if req.seed is None else req.seed + i) for i in range(n)]
    gens = yield from streamed_batch(ctx, reqs)
    for i, gen in enumerate(gens, start=1):
        ctx.tokens += gen.total_tokens
        yield DraftDone(i, gen.text, gen.prompt_tokens, gen.completion_tokens, gen.seconds, gen.finish_reason)
        report = rules_report(ctx, gen.text, gen.finish_reason)
        yield CritiqueDone(i, report.to_dict(), 0, 0.0)
        ctx.iterations.append(Iteration(i, gen.text, report, None, gen.total_tokens, gen.seconds))
        yield IterationDone(i, report.score, ctx.tokens, ctx.seconds, gen.text, gen.total_tokens, gen.seconds)


@strategy("best_of_n")
def best_of_n(ctx: RunContext) -> Iterator[Event]:
    yield from sample_candidates(ctx, "best_of_n")
    if ctx.iterations:
        reason = ctx.interrupted("candidates_done")
        yield from ctx.finish(reason, f"{len(ctx.iterations)} candidates")


def vote_of(text: str, constraints: list[Constraint]) -> str | None:
    """What self-consistency votes on: the final number, else the chosen option."""
    num = final_answer(text)
    if num is not None:
        return num
    for c in constraints:
        if isinstance(c, ChooseFrom):
            hits = [o for o in c.options if o.lower() in text.lower()]
            if len(hits) == 1:
                return hits[0]
    return None


@strategy("self_consistency")
def self_consistency(ctx: RunContext) -> Iterator[Event]:
    yield from sample_candidates(ctx, "self_consistency")
    if not ctx.iterations:
        return
    # debris casts no vote: a looped "The answer is 19." x4 must not outvote a real draft
    keys = [None if degeneration(it.draft) else vote_of(it.draft, ctx.constraints or []) for it in ctx.iterations]
    votes = Counter(k for k in keys if k is not None)
    if not votes:
        detail = "no candidate gave an answer to vote on; the best by rules is returned"
        yield from ctx.finish("candidates_done", detail)
        return
    winner, count = votes.most_common(1)[0]
    chosen = [it for it, k in zip(ctx.iterations, keys) if k == winner]
    yield from ctx.finish("time_limit" if ctx.timed_out else "candidates_done",
                          f"majority answer {winner} ({count} of {len(keys)} votes)", eligible=chosen)


def run(prompt: str, backend: Backend, config: RunConfig | None = None, cancel: threading.Event | None = None,
        constraints: list[Constraint] | None = None, task: str | None = None,
        draft_backend: Backend | None = None) -> Iterator[Event]:
    """Run one strategy on one prompt, yielding events. Closing the generator cancels the run.
    `draft_backend` writes the drafts instead of `backend` (e.g. the model with a tuned adapter)."""
    config = config or RunConfig()
    ctx = RunContext(prompt, backend, config, cancel or threading.Event(), constraints, task,
                     draft_backend=draft_backend)
    try:
        yield from STRATEGIES.get(config.strategy)(ctx)
    finally:
        ctx.cancel.set()  # whatever ended the run (done, error, closed generator), no generation outlives it
        ctx.close()
