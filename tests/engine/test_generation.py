"""The transformers backend on a tiny model: streaming, accounting, cancellation, constraints."""
import threading
import time

import pytest
from conftest import build_model, favour_tokens

from irg.engine.backends import GenRequest
from irg.engine.backends.hf import TransformersBackend
from irg.engine.decoding import DecodingConstraints


def req(text="Write a poem.", n=12, **kw):
    return GenRequest([{"role": "user", "content": text}], max_new_tokens=n, **kw)


def test_stream_pieces_join_to_result_and_tokens_are_exact(backend, tokenizer):
    s = backend.stream(req(n=15))
    pieces = list(s)
    g = s.result
    assert "".join(pieces) == g.text
    prompt = tokenizer.apply_chat_template(req().messages, add_generation_prompt=True, tokenize=False)
    assert g.prompt_tokens == len(tokenizer(prompt, add_special_tokens=False)["input_ids"])
    assert g.completion_tokens == 15 and g.finish_reason == "length"  # a random model never says end-of-text
    assert g.total_tokens == g.prompt_tokens + 15


def test_greedy_is_deterministic_and_sampling_follows_seed(backend):
    assert backend.generate(req()).text == backend.generate(req()).text
    a = backend.generate(req(temperature=1.0, seed=1)).text
    assert a == backend.generate(req(temperature=1.0, seed=1)).text


def test_end_of_text_is_counted_and_stops(tokenizer):
    b = TransformersBackend(favour_tokens(build_model(tokenizer), [tokenizer.eos_token_id]), tokenizer)
    g = b.generate(req(n=10))
    assert (g.text, g.completion_tokens, g.finish_reason) == ("", 1, "stop")


def test_min_new_tokens_forbids_early_end(tokenizer):
    b = TransformersBackend(favour_tokens(build_model(tokenizer), [tokenizer.eos_token_id]), tokenizer)
    g = b.generate(req(n=10, constraints=DecodingConstraints(min_new_tokens=6)))
    assert g.completion_tokens == 7 and g.finish_reason == "stop"


def test_banned_comma_never_appears(comma_backend):
    assert "," in comma_backend.generate(req(n=20)).text  # the model loves commas...
    for r in (req(n=40, constraints=DecodingConstraints(banned_chars=[","])),
              req(n=40, temperature=1.5, seed=3, constraints=DecodingConstraints(banned_chars=[","]))):
        assert "," not in comma_backend.generate(r).text  # ...and never writes one when banned


def test_case_constraints_mask_every_offending_token(backend, tokenizer):
    vocab = backend.vocab_strings()
    low = backend.token_mask(DecodingConstraints(lowercase_only=True))
    assert low[tokenizer.eos_token_id].item() is False  # special tokens are never banned
    assert all(not any(ch.isupper() for ch in vocab[i]) for i in range(len(vocab)) if not low[i])
    assert any(low)  # the vocabulary has capitals to ban
    text = backend.generate(req(n=60, temperature=1.5, seed=0,
                                constraints=DecodingConstraints(lowercase_only=True))).text
    assert text == text.lower()
    text = backend.generate(req(n=60, temperature=1.5, seed=0,
                                constraints=DecodingConstraints(uppercase_only=True))).text
    assert text == text.upper()


def test_a_banned_word_is_never_written(tokenizer):
    word_ids = tokenizer(" sea", add_special_tokens=False)["input_ids"]
    b = TransformersBackend(favour_tokens(build_model(tokenizer), word_ids), tokenizer)
    assert "sea" in b.generate(req(n=6)).text
    assert "sea" not in b.generate(req(n=6, constraints=DecodingConstraints(banned_words=["sea"]))).text.lower()


def test_forced_prefix_and_stop_strings(comma_backend):
    s = comma_backend.stream(req(n=5, constraints=DecodingConstraints(forced_prefix="Dear ")))
    pieces = list(s)
    assert pieces[0] == "Dear " and s.result.text.startswith("Dear ")
    g = comma_backend.generate(req(n=20, constraints=DecodingConstraints(stop_strings=[",,,"])))
    assert g.text.endswith(",,,") and g.completion_tokens < 20 and g.finish_reason == "stop_string"


def test_max_new_tokens_constraint_caps_length(backend):
    assert backend.generate(req(n=30, constraints=DecodingConstraints(max_new_tokens=5))).completion_tokens == 5


def test_cancel_stops_generation_at_once(tokenizer):
    b = TransformersBackend(build_model(tokenizer, layers=2), tokenizer)
    cancel = threading.Event()
    s = b.stream(req(n=1500), cancel)
    got = []
    for piece in s:
        got.append(piece)
        if len(got) == 3:
            cancel.set()
    g = s.result
    assert g.finish_reason == "cancelled" and g.completion_tokens < 50


def test_abandoned_stream_frees_the_model(tokenizer):
    b = TransformersBackend(build_model(tokenizer), tokenizer)
    s = b.stream(req(n=1500))
    it = iter(s)
    next(it)
    t = time.perf_counter()
    it.close()  # e.g. the UI closed the generator
    assert s.cancel.is_set()
    assert b.lock.acquire(timeout=5)  # the worker let go of the model
    b.lock.release()
    assert time.perf_counter() - t < 5


def test_batch_counts_each_row(backend):
    reqs = [req("a", n=8), req("a much longer prompt with more words", n=8), req("b", n=8, temperature=1.0, seed=2)]
    gens = backend.generate_batch(reqs)
    singles = [backend.generate(r) for r in reqs[:2]]
    assert [g.prompt_tokens for g in gens[:2]] == [s.prompt_tokens for s in singles]
    assert [g.text for g in gens[:2]] == [s.text for s in singles]  # left padding does not change greedy output
    assert all(g.completion_tokens == 8 for g in gens)


def test_prompt_longer_than_context_is_an_error(tokenizer):
    from irg.engine.backends import BackendError

    m = build_model(tokenizer)
    m.config.max_position_embeddings = 64
    b = TransformersBackend(m, tokenizer)
    with pytest.raises(BackendError, match="context"):
        b.generate(req("word " * 200))


def test_threads_share_one_backend(backend):
    out = []
    threads = [threading.Thread(target=lambda: out.append(backend.generate(req(n=6)).text)) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(set(out)) == 1 and len(out) == 4
