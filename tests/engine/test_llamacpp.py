"""The llama.cpp backend on the bundled GGUF: streaming, counts, constraints, cancel, batching, agreement."""
import threading

import pytest

from irg.engine.backends import GenRequest
from irg.engine.config import RunConfig
from irg.engine.decoding import DecodingConstraints
from irg.engine.events import DraftDone, Final
from irg.engine.models import get_backend
from irg.engine.strategies import run

pytest.importorskip("xllamacpp")
pytestmark = pytest.mark.bundled


@pytest.fixture(scope="module")
def lcpp():
    return get_backend("bundled", backend="llama.cpp")


def req(text, n=40, **kw):
    return GenRequest([{"role": "user", "content": text}], max_new_tokens=n, **kw)


def test_stream_and_exact_counts(lcpp):
    s = lcpp.stream(req("Name three colours.", n=30))
    pieces = list(s)
    g = s.result
    assert "".join(pieces) == g.text and g.text.strip()
    assert 0 < g.completion_tokens <= 30 and g.finish_reason in ("stop", "length")
    hf = get_backend("bundled", backend="transformers")
    assert g.prompt_tokens == hf.count_prompt_tokens(req("Name three colours."))
    assert lcpp.generate(req("Name three colours.", n=30)).text == g.text  # greedy is deterministic


def test_banned_comma_and_case(lcpp):
    prompt = "Write a short poem about the sea."
    assert "," in lcpp.generate(req(prompt)).text
    g = lcpp.generate(req(prompt, constraints=DecodingConstraints(banned_chars=[","], lowercase_only=True)))
    assert "," not in g.text and g.text == g.text.lower() and g.text.strip()


def test_min_tokens_stop_strings_prefix_and_cap(lcpp):
    g = lcpp.generate(req("Say hi.", n=80, constraints=DecodingConstraints(min_new_tokens=40)))
    assert g.completion_tokens >= 40
    g = lcpp.generate(req("Count from one to ten.", n=60, constraints=DecodingConstraints(stop_strings=["5."])))
    assert g.finish_reason == "stop_string" and "5." in g.text and "7." not in g.text
    g = lcpp.generate(req("Describe the sea.", n=20, constraints=DecodingConstraints(forced_prefix="Dear reader,")))
    assert g.text.startswith("Dear reader,")
    assert lcpp.generate(req("Describe the sea.", n=60,
                             constraints=DecodingConstraints(max_new_tokens=7))).completion_tokens == 7


def test_cancel_ends_a_long_generation_promptly(lcpp):
    cancel = threading.Event()
    s = lcpp.stream(req("Write a long story about a dragon.", n=2000), cancel)
    for i, _ in enumerate(s):
        if i == 3:
            cancel.set()
    assert s.result.finish_reason == "cancelled" and s.result.completion_tokens < 40


def test_batch_runs_concurrently(lcpp):
    reqs = [req(f"Write one sentence about the number {i}.", n=24, temperature=0.8, seed=i) for i in range(4)]
    gens = lcpp.generate_batch(reqs)
    assert len(gens) == 4 and all(g.completion_tokens > 0 for g in gens)


def test_best_of_n_streams_every_candidate_while_the_batch_is_written(lcpp):
    from irg.engine.backends.llamacpp import LlamaCppBackend
    from irg.engine.events import DraftToken
    from irg.engine.models import bundled_gguf

    # a server of its own: sampled rows left in the shared server's slot caches would change later greedy tests'
    # prefill batches (and, now and then, a greedy token: test_greedy_output_does_not_depend_on_earlier_requests)
    own = LlamaCppBackend(bundled_gguf(), lcpp.tokenizer)
    evs = list(run("Write one sentence about owls.", own,
                   RunConfig(strategy="best_of_n", max_iters=3, max_new_tokens=24)))
    done = {e.iteration: e.text for e in evs if isinstance(e, DraftDone)}
    first_done = next(i for i, e in enumerate(evs) if isinstance(e, DraftDone))
    streamed = {i: "".join(e.text for e in evs if isinstance(e, DraftToken) and e.iteration == i) for i in done}
    assert set(done) == {1, 2, 3} and streamed == done  # each candidate's pieces add up to its draft
    assert all(isinstance(e, DraftToken) for e in evs[1:first_done])  # all streamed before the first is scored


@pytest.mark.parametrize("backend", ["llama.cpp", "transformers"])
def test_same_irg_run_on_every_backend(backend):
    b = get_backend("bundled", backend=backend)
    evs = list(run("Write two sentences about rain in all lowercase letters without any commas.", b,
                   RunConfig(strategy="irg_hybrid", max_iters=3, max_new_tokens=60)))
    drafts = [e for e in evs if isinstance(e, DraftDone)]
    assert isinstance(evs[-1], Final) and drafts
    if len(drafts) > 1:  # the plan's bans hold on this backend too
        assert "," not in drafts[1].text and drafts[1].text == drafts[1].text.lower()


def test_a_hybrid_runs_first_draft_is_the_single_pass_answer(lcpp):
    """A hybrid run's first draft is the single-pass request, so it is the single-pass answer. Both servers compute
    every prompt whole (no prefix reuse): with reuse, greedy output can depend on what a server ran before, now and
    then (the rest of a prompt is computed in another batch; `python -m irg.bench history` measures how often)."""
    import json
    from pathlib import Path

    from irg.engine.loop import draft_messages

    lines = (Path(__file__).parents[2] / "assets/prompts/constraints_30.jsonl").read_text().splitlines()[:5]
    prompts = [json.loads(line)["prompt"] for line in lines]
    from irg.engine.backends.llamacpp import LlamaCppBackend
    from irg.engine.models import bundled_gguf

    single, hybrid = LlamaCppBackend(bundled_gguf(), lcpp.tokenizer), LlamaCppBackend(bundled_gguf(), lcpp.tokenizer)
    single.cache_prompt = hybrid.cache_prompt = False
    try:
        penalty = RunConfig().repetition_penalty  # what every draft of a run is decoded with (issue 35: 1.1)
        alone = [single.generate(GenRequest(draft_messages(p, "general"), max_new_tokens=200,
                                            repetition_penalty=penalty)).text for p in prompts]
        firsts = []
        for p in prompts:
            evs = list(run(p, hybrid, RunConfig(strategy="irg_hybrid", max_iters=4, max_new_tokens=200)))
            firsts.append(next(e.text for e in evs if isinstance(e, DraftDone)))
    finally:
        single.close()
        hybrid.close()
    assert firsts == alone


def test_completion_tokens_exact_with_multibyte_text(lcpp):
    r = req("Write a line of emojis about the sea 🌊🐚.", n=40)
    g = lcpp.generate(r)
    body = lcpp._body(r, lcpp.prompt_text(r), 40)
    chunks = []
    lcpp.engine.complete(body, lambda ch: chunks.append(ch) and False, threading.Event(), 60)
    usage = next(ch["usage"] for ch in chunks if ch.get("usage"))
    assert g.prompt_tokens == usage["prompt_tokens"]
    # the server does not count the end-of-text token; we do, as transformers does
    assert g.completion_tokens == usage["completion_tokens"] + (g.finish_reason == "stop")


def test_grammar_scaffold_and_logprobs_on_llamacpp(lcpp):
    """llama.cpp's own grammar sampler lays down exactly 4 bullets and the program the end phrase; log-probs come
    with each token when asked."""
    from irg.engine.constraints import extract_all
    from irg.engine.scaffold import build

    prompt = "Give me tips for a job interview. Write exactly 4 bullet points. End your response with 'Good luck!'"
    cs = extract_all(prompt)
    g = lcpp.generate(req(prompt, n=200, constraints=build(cs).constraints, logprobs=True))
    assert all(c.check(g.text) == [] for c in cs), g.text
    assert g.text.count("\n* ") == 3 and g.text.endswith("Good luck!") and g.mean_logprob < 0
