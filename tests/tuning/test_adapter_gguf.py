"""Adapters at llama.cpp speed, and llama.cpp's threads when the CPU is shared (issue 25)."""
from __future__ import annotations

import copy

import pytest
import torch

from irg.engine.backends import cpu as lp


# ---- folding is exact ------------------------------------------------------------------------------------------
def test_a_folded_embedding_table_gives_the_hooked_model_s_logits_bit_for_bit():
    """E'[t] = G(E[t]) with the head kept as the original table: the hooked model's fp32 logits, bit for bit, when the
    adapter sees the same rows in one call (the whole vocabulary as one sequence). For other inputs BLAS adds in
    another order for another number of rows (3e-8 here), so there the logits agree to rounding."""
    from transformers import LlamaConfig, LlamaForCausalLM

    from tuning.adapters.gan import EmbeddingGenerator, attach

    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=96, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                      num_key_value_heads=2, tie_word_embeddings=True)
    model = LlamaForCausalLM(cfg).eval()
    gen = EmbeddingGenerator(32, zero_init=False).eval()  # a trained-looking adapter: it changes every embedding
    folded = copy.deepcopy(model)
    E = model.get_input_embeddings().weight.detach()
    with torch.no_grad():
        table = gen(E[None])[0]  # as fold_gan computes it: G over the table's rows
    folded.lm_head.weight = torch.nn.Parameter(E.clone())  # the head: the original table, untied
    folded.get_input_embeddings().weight = torch.nn.Parameter(table)
    every = torch.arange(96)[None]
    other = torch.randint(0, 96, (2, 9))
    handle = attach(model, gen)
    with torch.no_grad():
        hooked, hooked_other = model(every).logits, model(other).logits
        handle.remove()
        plain = model(every).logits
        got, got_other = folded(every).logits, folded(other).logits
    assert not torch.allclose(hooked, plain, atol=1e-3)  # the adapter does something
    assert torch.equal(got, hooked)
    assert torch.allclose(got_other, hooked_other, rtol=0, atol=1e-5)
    assert torch.equal(got_other.argmax(-1), hooked_other.argmax(-1))


# ---- threads that follow the free cores ---------------------------------------------------------------------------
@pytest.mark.parametrize("cores, others, want", [(2, 0.0, 2), (2, 0.3, 2), (2, 0.7, 1), (2, 1.1, 1), (2, 2.5, 1),
                                                  (8, 1.0, 7), (8, 0.2, 8), (1, 0.0, 1)])
def test_decode_threads_are_the_cores_other_processes_leave_free(cores, others, want):
    assert lp.threads_for(cores, others) == want


def test_the_follower_switches_only_after_windows_agree_and_counts_only_its_own_working_time(monkeypatch):
    clock = {"t": 0.0, "busy": 0.0, "own": 0.0}
    monkeypatch.setattr(lp.time, "monotonic", lambda: clock["t"])
    monkeypatch.setattr(lp, "_busy_seconds", lambda: clock["busy"])
    monkeypatch.setattr(lp, "_process_seconds", lambda pid: clock["own"])
    f = lp.CoreFollower(2)
    f.sample(7, 2)  # the first reading only sets the baseline

    def window(*slices, pid: int = 7):
        """One 2 s window of (our cores, others' cores) slices; the follower's answer at its end."""
        got = None
        for own, others in (slices * lp.WINDOW)[:lp.WINDOW]:
            clock["t"] += lp.SLICE
            clock["own"] += own * lp.SLICE
            clock["busy"] += (own + others) * lp.SLICE
            got = f.sample(pid, current=2)
        return got

    assert window((2.0, 0.1)) is None and f.votes == [2]  # alone: stay at 2
    assert window((1.6, 0.4)) is None and window((1.6, 0.4)) is None  # below half a core: stay
    assert window((1.33, 0.67)) is None  # a burner beside our two spinning threads: one window is not enough
    assert window((1.33, 0.67)) == 1 and abs(f.others - 0.67) < 1e-9  # two in a row: one thread
    f.others = 0.4
    assert f._vote(current=1) == 1  # back to two threads only when the others leave 1.75 cores free
    f.others = 0.2
    assert f._vote(current=1) == 2
    f.others = 0.67
    # our other process decodes while this one waits, then they swap: only our own working slices count
    assert window((0.0, 2.0), (0.0, 2.0), (0.0, 2.0), (0.0, 2.0),
                  (2.0, 0.0), (2.0, 0.0), (2.0, 0.0), (2.0, 0.0)) is None
    assert window((2.0, 0.0), (2.0, 0.0), (2.0, 0.0), (2.0, 0.0),
                  (0.0, 2.0), (0.0, 2.0), (0.0, 2.0), (0.0, 2.0)) is None
    assert f.votes == [2, 2] and f.others == 0.0
    assert window((1.0, 1.0)) is None and window((1.0, 1.0)) is None  # 20 s have not passed since the last switch
    assert window((0.0, 1.5)) is None and f.votes == []  # idle: no vote, and the earlier ones are cleared


def test_bad_cpu_settings_are_refused_with_a_sentence(monkeypatch):
    from irg.engine.errors import ModelError

    monkeypatch.setenv("IRG_LLAMACPP_POLL", "lots")
    with pytest.raises(ModelError, match="IRG_LLAMACPP_POLL must be a whole number from 0 to 100"):
        lp.cpu_settings()
    monkeypatch.setenv("IRG_LLAMACPP_POLL", "0")
    monkeypatch.setenv("IRG_LLAMACPP_THREADS", "3")
    monkeypatch.setenv("OMP_WAIT_POLICY", "sometimes")
    with pytest.raises(ModelError, match="OMP_WAIT_POLICY must be passive or active"):
        lp.cpu_settings()
    monkeypatch.setenv("OMP_WAIT_POLICY", "passive")
    got = lp.cpu_settings()
    assert got["threads"] == 3 and not got["follow_cores"] and got["poll"] == 0 and got["omp_wait_policy"] == "passive"
    monkeypatch.delenv("IRG_LLAMACPP_THREADS")
    assert lp.cpu_settings()["follow_cores"] and 1 <= lp.cpu_settings()["threads"] <= lp.available_cores()


@pytest.mark.bundled
def test_a_thread_switch_restarts_the_model_between_requests_and_keeps_its_answers():
    from pathlib import Path

    from irg.engine.backends import GenRequest
    from irg.engine.backends.llamacpp import ChatTokenizer, LlamaCppBackend
    from irg.engine.models import gguf_tokenizer_dir, resolve

    spec = resolve("bundled")
    b = LlamaCppBackend(Path(spec.path) / spec.gguf_file, ChatTokenizer(gguf_tokenizer_dir(spec)), threads=2,
                        n_parallel=2)
    try:
        req = GenRequest([{"role": "user", "content": "Name three colours."}], max_new_tokens=24)
        before, pid = b.generate(req).text, b.engine.proc.pid
        assert b.engine.switch_threads(1)
        assert b.engine.cfg["threads"] == 1 and b.engine.proc.pid != pid
        assert b.engine.switches == 1 and b.engine.restarts == 0  # a switch is not a crash
        assert b.generate(req).text == before
    finally:
        b.close()


@pytest.mark.bundled
def test_a_thread_switch_does_not_wait_for_requests_in_flight_and_moves_them():
    """Issue 34: a batch's overlapping requests never leave a gap. The new child starts, the old one ends at once, and
    a request in flight runs again on the new one: the same greedy text, nothing blamed, no crash counted."""
    import threading
    import time
    from pathlib import Path

    from irg.engine.backends import GenRequest
    from irg.engine.backends.llamacpp import ChatTokenizer, LlamaCppBackend
    from irg.engine.models import gguf_tokenizer_dir, resolve

    spec = resolve("bundled")
    b = LlamaCppBackend(Path(spec.path) / spec.gguf_file, ChatTokenizer(gguf_tokenizer_dir(spec)), threads=2,
                        n_parallel=2)
    try:
        long = GenRequest([{"role": "user", "content": "Write a long story about a lighthouse keeper."}],
                          max_new_tokens=400)
        short = GenRequest([{"role": "user", "content": "Name three colours."}], max_new_tokens=24)
        want_long, want_short = b.generate(long).text, b.generate(short).text
        old = b.engine.proc
        out = {}
        t = threading.Thread(target=lambda: out.update(g=b.generate(long)))
        t.start()
        t0 = time.monotonic()
        while not b.engine.active and time.monotonic() - t0 < 30:
            time.sleep(0.02)
        time.sleep(0.3)
        t0 = time.monotonic()
        assert b.engine.switch_threads(1)
        took = time.monotonic() - t0
        assert b.engine.proc is not old and old.poll() is not None and t.is_alive()  # switched mid-request
        assert b.generate(short).text == want_short
        t.join(120)
        # the request in flight moved and was written whole; greedy text can part from the 2-thread one after a few
        # hundred tokens (another thread count sums in another order and flips a near-tie), so its start is compared
        assert out["g"].text[:300] == want_long[:300] and out["g"].completion_tokens > 200
        assert took < 15 and b.engine.restarts == 0 and b.engine.recoveries[-1]["event"] == "switch"
    finally:
        b.close()


# ---- the adapters' llama.cpp files --------------------------------------------------------------------------------
@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder, for tests that only build adapter files. (Not for loading models: the shared model
    instances outlive a test, and a later test expects them converted into the real cache.)"""
    monkeypatch.setenv("IRG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.mark.bundled
def test_the_adapter_file_is_built_once_into_the_cache_keyed_by_the_adapter(cache, tmp_path):
    from irg.engine.models import bundled_gguf
    from tuning.adapters import shipped as A
    from tuning.adapters.gan import EmbeddingGenerator, save
    from tuning.adapters.gguf_export import NotFoldable

    torch.manual_seed(0)
    save(EmbeddingGenerator(576, zero_init=False).eval(), tmp_path / "g", {})
    lines: list[str] = []
    first = A.gguf_with_adapter(bundled_gguf(), tmp_path / "g.safetensors", lines.append)
    assert first.parent == cache / "adapters" and first.exists() and len(lines) == 2 and "once" in lines[0]
    mtime = first.stat().st_mtime_ns
    assert A.gguf_with_adapter(bundled_gguf(), tmp_path / "g.safetensors", lines.append) == first
    assert len(lines) == 2 and first.stat().st_mtime_ns == mtime  # reused, not built again
    assert not list(first.parent.glob("*.part"))
    torch.manual_seed(1)
    save(EmbeddingGenerator(576, zero_init=False).eval(), tmp_path / "g", {})  # the same name, other weights
    assert A.gguf_with_adapter(bundled_gguf(), tmp_path / "g.safetensors", lines.append) != first
    save(EmbeddingGenerator(576, noise_at_inference=True), tmp_path / "noisy", {})
    with pytest.raises(NotFoldable, match="cannot be folded"):
        A.gguf_with_adapter(bundled_gguf(), tmp_path / "noisy.safetensors", lines.append)


@pytest.mark.bundled
def test_a_faithful_gan_adapter_stays_on_transformers_and_says_why(tmp_path):
    from tuning.adapters import shipped as A
    from tuning.adapters.gan import EmbeddingGenerator, save

    save(EmbeddingGenerator(576, noise_at_inference=True), tmp_path / "faithful", {})
    b = A.draft_backend("bundled", str(tmp_path / "faithful.safetensors"))
    assert b.name == "transformers" and "cannot be folded" in b.note and "transformers" in b.note


@pytest.mark.bundled
def test_shipped_adapters_draft_on_llama_cpp_and_agree_with_transformers_as_well_as_the_base_model():
    """Teacher-forced next-token agreement on the adapters' held-out questions: llama.cpp + the adapter's file vs
    transformers + the adapter is at least base llama.cpp vs base transformers (the quantisation noise)."""
    from irg.bench.adapters import forced_sequences, teacher_forced
    from irg.engine.models import get_backend
    from tuning.adapters import people as D
    from tuning.adapters import shipped as A

    _, test = D.load_split()
    hf = get_backend("bundled", "transformers")
    seqs = forced_sequences(hf.tokenizer, [(D.messages(qa.question), qa.answer) for qa in test[:6]])
    base = teacher_forced(hf.model, get_backend("bundled", "llama.cpp"), seqs)["agreement"]
    assert base > 0.8
    for name in ("gan", "lora"):
        lc = A.draft_backend("bundled", name)
        assert lc.name == "llama.cpp" and A.LABELS[name] in lc.model_id
        got = teacher_forced(A.draft_backend("bundled", name, "transformers").model, lc, seqs)["agreement"]
        assert got >= base, (name, got, base)


@pytest.mark.bundled
def test_a_lora_becomes_llama_cpp_s_own_adapter_file(tmp_path):
    import gguf
    import numpy as np
    from safetensors.numpy import load_file

    from irg.engine.models import bundled_gguf
    from tuning.adapters.gguf_export import lora_adapter, permute_rows
    from tuning.adapters.shipped import ADAPTER_DIR

    folder = ADAPTER_DIR / "smollm2-135m-lora"
    out = lora_adapter(bundled_gguf(), folder, tmp_path / "l.lora.gguf")
    r = gguf.GGUFReader(str(out))
    assert str(r.fields["general.type"].contents()) == "adapter" and str(r.fields["adapter.type"].contents()) == "lora"
    cfg = __import__("json").loads((folder / "adapter_config.json").read_text())
    assert r.fields["adapter.lora.alpha"].contents() == cfg["lora_alpha"]
    t = {x.name: np.asarray(x.data) for x in r.tensors}
    state = load_file(str(folder / "adapter_model.safetensors"))
    a = state["base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight"]
    b = state["base_model.model.model.layers.3.self_attn.q_proj.lora_B.weight"]
    assert np.array_equal(t["blk.3.attn_q.weight.lora_a"], a.astype(np.float32))
    assert np.array_equal(t["blk.3.attn_q.weight.lora_b"], permute_rows(b.astype(np.float32), 9))  # rows as the model's
    assert len(t) == 2 * sum(".lora_A." in k for k in state)


def test_merged_folds_an_embedding_adapter_and_merges_a_lora_whatever_the_path(tmp_path, monkeypatch):
    from tuning.adapters import gguf_export

    calls = []
    monkeypatch.setattr(gguf_export, "fold_gan", lambda base, a, out: calls.append(("fold", a)) or out)
    monkeypatch.setattr(gguf_export, "merge_lora", lambda base, a, out: calls.append(("merge", a)) or out)
    curve_point, lora, gan = tmp_path / "step10", tmp_path / "lora", tmp_path / "gan.safetensors"
    curve_point.mkdir()
    (curve_point / "adapter.safetensors").write_bytes(b"")
    lora.mkdir()
    for adapter in (curve_point, lora, gan):
        gguf_export.merged(tmp_path / "base.gguf", adapter, tmp_path / "out" / "x.gguf")
    assert calls == [("fold", curve_point / "adapter.safetensors"), ("merge", lora), ("fold", gan)]
    assert (tmp_path / "out").is_dir()
