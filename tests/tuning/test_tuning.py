"""The GAN-tuned adapter, its discriminators, training methods, LoRA, data and shipped adapters — on tiny models."""
from __future__ import annotations

import json

import pytest
import torch
from conftest import build_model

from tuning.adapters import people as D
from tuning.adapters.gan import (
    AdapterError,
    EmbeddingGenerator,
    HiddenStateDiscriminator,
    TokenIdDiscriminator,
    attach,
    load,
    save,
)
from tuning.adapters.train import TrainConfig, Trainer, batch_logprobs, distinct_n, generate, prompt_ids


def logits(model, ids):
    with torch.no_grad():
        return model(input_ids=torch.tensor([ids])).logits


def random_generator(dim: int, seed: int = 1) -> EmbeddingGenerator:
    torch.manual_seed(seed)
    return EmbeddingGenerator(dim, zero_init=False).eval()


# ---- the generator network --------------------------------------------------------------------
def test_generator_shape_follows_the_thesis():
    g = EmbeddingGenerator(32)
    dims = [(lin.in_features, lin.out_features) for lin in g.layers]
    assert dims == [(132, 16), (16, 8), (8, 16), (16, 32)]  # embedding + 100 noise, two reducing, two restoring
    assert g.act.negative_slope == 0.01


def test_zero_init_generator_is_the_identity(tokenizer):
    model = build_model(tokenizer)
    ids = tokenizer.encode("The sea is wide")
    before = logits(model, ids)
    handle = attach(model, EmbeddingGenerator(32, zero_init=True).eval())
    assert torch.equal(logits(model, ids), before)
    handle.remove()


def test_detaching_restores_the_base_model_exactly(tokenizer):
    model = build_model(tokenizer)
    ids = tokenizer.encode("Write a poem about the sea.")
    before = logits(model, ids)
    handle = attach(model, random_generator(32))
    assert not torch.allclose(logits(model, ids), before)  # attached, it changes the model
    handle.remove()
    assert torch.equal(logits(model, ids), before)  # detached: bit-identical


def test_generator_acts_at_every_generation_step(tokenizer):
    """A forward hook, unlike inputs_embeds, also sees each generated token."""
    model = build_model(tokenizer)
    gen = random_generator(32)
    seen = []
    gen.register_forward_hook(lambda m, inp, out: seen.append(inp[0].shape[1]))
    attach(model, gen)
    out = generate(model, tokenizer, [tokenizer.encode("The sea")], max_new_tokens=5, sample=False)
    assert len(seen) == len(out[0])  # the prompt pass, then one pass per new token
    assert seen[0] == 2 and set(seen[1:]) == {1}


def test_noise_only_when_training_or_asked(tokenizer):
    g = random_generator(32)
    x = torch.randn(1, 3, 32)
    assert torch.equal(g(x), g(x))  # eval: noise at its mean, deterministic
    g.train()
    assert not torch.equal(g(x), g(x))
    g.eval().noise_at_inference = True
    assert not torch.equal(g(x), g(x))


def test_wrong_size_is_refused_with_a_sentence(tokenizer):
    model = build_model(tokenizer)
    with pytest.raises(AdapterError, match="another model"):
        attach(model, EmbeddingGenerator(48))


# ---- discriminators ------------------------------------------------------------------------------
def test_faithful_discriminator_sees_token_ids_as_floats():
    d = TokenIdDiscriminator(max_len=8)
    x = d.features([[5, 7, 300], list(range(20))])
    assert x.shape == (2, 8) and x[0, :4].tolist() == [5.0, 7.0, 300.0, 0.0]
    p = d(x)
    assert p.shape == (2,) and ((p >= 0) & (p <= 1)).all()
    assert sum(isinstance(m, torch.nn.Linear) for m in d.net) == 4 and isinstance(d.net[-1], torch.nn.Sigmoid)


def test_hidden_state_discriminator_features_ignore_padding(tokenizer):
    model = build_model(tokenizer)
    p = [tokenizer.encode("The sea is"), tokenizer.encode("Hello")]
    a = [tokenizer.encode(" wide"), tokenizer.encode(" World, quick brown fox")]
    both = HiddenStateDiscriminator.features(a, model=model, prompt_ids=p, pad_id=0)
    alone = HiddenStateDiscriminator.features(a[:1], model=model, prompt_ids=p[:1], pad_id=0)
    assert both.shape == (2, 32)
    assert torch.allclose(both[0], alone[0], atol=1e-5)  # the other row's length changes nothing


# ---- training ---------------------------------------------------------------------------------------
def test_logprobs_match_a_plain_forward(tokenizer):
    model = build_model(tokenizer)
    p, a = tokenizer.encode("The sea is"), tokenizer.encode(" wide and blue")
    lp, n = batch_logprobs(model, [p, p[:2]], [a, a[:1]], pad=0)
    full = torch.log_softmax(logits(model, p + a)[0, :-1], -1)
    want = sum(full[len(p) - 1 + i, t] for i, t in enumerate(a))
    assert n.tolist() == [len(a), 1] and torch.allclose(lp[0], want, atol=1e-4)


@pytest.mark.parametrize("method", ["gan_faithful", "gan", "adapter_mle", "lora"])
def test_training_changes_only_the_adapter(tokenizer, method):
    model = build_model(tokenizer)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    train, _ = D.load_split()
    cfg = TrainConfig(method=method, steps=4, warmup_steps=2 if method == "gan" else 0, batch_size=3, group_size=2,
                      max_new_tokens=6, log_every=2)
    adapter, log = Trainer(model, tokenizer, cfg, train[:6]).run()
    base = adapter.get_base_model() if method == "lora" else model
    now = {k.replace(".base_layer", ""): v for k, v in base.state_dict().items() if "lora_" not in k}
    assert set(now) == set(before) and all(torch.equal(before[k], now[k]) for k in before)
    assert len(log["log"]) == 4 and log["trajectory"][-1]["step"] == 4
    moved = [w["moved"] for w in log["trajectory"][-1]["weights"].values()]
    assert max(moved) > 0  # and the adapter did change
    if method == "gan":
        assert [r["phase"] for r in log["log"]] == ["mle", "mle", "gan", "gan"]
        assert all(r["distinct2"] >= 0 for r in log["log"][2:])
    if method == "adapter_mle":
        assert {r["phase"] for r in log["log"]} == {"mle"}


def test_mle_warm_start_lowers_the_loss(tokenizer):
    model = build_model(tokenizer)
    with torch.no_grad():  # a random tiny model's logits are nearly flat whatever its input; give them range
        model.lm_head.weight.mul_(50)
    train, _ = D.load_split()
    cfg = TrainConfig(method="gan", steps=20, warmup_steps=20, batch_size=4, lr=1e-2)
    _, log = Trainer(model, tokenizer, cfg, train[:4]).run()
    losses = [r["mle"] for r in log["log"]]
    assert losses[-1] < losses[0] - 2  # the embedding adapter alone can fit the answers


@pytest.mark.parametrize("bad", [dict(method="sft"), dict(steps=-1), dict(steps=10, warmup_steps=11),
                                 dict(lr=0), dict(split="huge"), dict(batch_size=0)])
def test_train_config_validates(bad):
    with pytest.raises(ValueError):
        TrainConfig(**bad)


# ---- saving and loading ---------------------------------------------------------------------------
def test_save_load_roundtrip_gives_identical_outputs(tokenizer, tmp_path):
    model = build_model(tokenizer)
    gen = random_generator(32)
    save(gen, tmp_path / "a", {"steps": 3})
    loaded, meta = load(tmp_path / "a.safetensors", model)
    assert meta["steps"] == 3 and meta["method"] == "gan"
    x = torch.randn(2, 4, 32)
    assert torch.equal(gen(x), loaded(x))


def test_adapter_for_another_model_is_refused(tokenizer, tmp_path):
    save(random_generator(48), tmp_path / "big", {})
    with pytest.raises(AdapterError, match="another model"):
        load(tmp_path / "big.safetensors", build_model(tokenizer))


def test_pickles_and_damaged_files_are_refused(tokenizer, tmp_path):
    from tuning.adapters.shipped import apply

    torch.save({"w": torch.zeros(1)}, tmp_path / "evil.pt")
    with pytest.raises(AdapterError, match="pickle"):
        apply(build_model(tokenizer), tmp_path / "evil.pt")
    (tmp_path / "bad.safetensors").write_bytes(b"not a tensor file")
    (tmp_path / "bad.json").write_text(json.dumps({"generator": {"embed_dim": 32, "noise_dim": 100,
                                                                 "hidden": [16, 8]}}))
    with pytest.raises(AdapterError, match="damaged"):
        load(tmp_path / "bad.safetensors")
    with pytest.raises(AdapterError, match="needs both"):
        load(tmp_path / "missing.safetensors")


def test_lora_adapter_roundtrip_and_mismatch(tokenizer, tmp_path):
    from tuning.adapters.shipped import apply

    model = build_model(tokenizer)
    train, _ = D.load_split()
    adapter, _ = Trainer(model, tokenizer, TrainConfig(method="lora", steps=2, batch_size=2, lr=1e-2), train[:2]).run()
    adapter.save_pretrained(tmp_path / "lora")
    ids = tokenizer.encode("The sea")
    want = logits(adapter, ids)
    merged = apply(build_model(tokenizer), tmp_path / "lora")
    assert torch.allclose(logits(merged, ids), want, atol=1e-5)
    other = build_model(tokenizer, layers=2)
    other.model.layers[0].self_attn.q_proj = torch.nn.Linear(48, 48, bias=False)  # another shape
    with pytest.raises(AdapterError, match="does not fit"):
        apply(other, tmp_path / "lora")
    (tmp_path / "lora" / "adapter_model.bin").write_bytes(b"x")
    with pytest.raises(AdapterError, match="pickle"):
        apply(build_model(tokenizer), tmp_path / "lora")


def test_shipped_adapters_are_found_for_their_model(tmp_path):
    from tuning.adapters.shipped import find

    save(random_generator(32), tmp_path / "x-gan", {"base_model": "bundled"})
    (tmp_path / "x-lora").mkdir()
    (tmp_path / "x-lora" / "irg_meta.json").write_text(json.dumps({"kind": "lora", "base_model": "bundled"}))
    assert set(find("bundled", tmp_path)) == {"gan", "lora"}
    assert set(find("HuggingFaceTB/SmolLM2-135M-Instruct", tmp_path)) == {"gan", "lora"}
    assert find("Qwen/Qwen2.5-0.5B-Instruct", tmp_path) == {}


# ---- data ------------------------------------------------------------------------------------------
def test_people_are_seeded_and_unique():
    a, b = D.make_people(40, seed=3), D.make_people(40, seed=3)
    assert a == b and len({p.name for p in a}) == 40
    assert D.make_people(40, seed=4) != a


@pytest.mark.parametrize("split,size", [("thesis", 50), ("large", 240)])
def test_splits_ask_the_same_facts_another_way(split, size):
    train, test = D.load_split(split)
    assert len(train) == len(test) == size
    for a, b in zip(train, test):
        assert a.answer == b.answer and a.question != b.question and a.value in a.answer
        assert (a.phrasing, b.phrasing) == ("train", "held_out")
    assert not {q.question for q in train} & {q.question for q in test}


def test_prompt_uses_the_chat_template(tokenizer):
    ids = prompt_ids(tokenizer, "Where was Elara Voss born?")
    text = tokenizer.decode(ids)
    assert text.startswith("<|im_start|>system") and text.endswith("<|im_start|>assistant\n")


def test_distinct_2_counts_unique_bigrams():
    assert distinct_n(["a b a b"]) == pytest.approx(2 / 3)
    assert distinct_n([]) == 0.0


# ---- the comparison's tables and plots ----------------------------------------------------------
def fake_result(method: str, r1: list[float], steps: int = 2) -> dict:
    traj = [{"step": s, "weights": {f"w{i}": {"norm": 1.0, "moved": s * 0.1, "entries": [0.0]} for i in range(30)}}
            for s in range(1, steps + 1)]
    return {"method": method, "train_seconds": 60.0, "peak_rss_mb": 1024.0, "total_seconds": 70.0,
            "frozen_weights_unchanged": True, "config": {"steps": steps}, "log": [{"step": 1, "mle": 2.0}],
            "trajectory": traj if method != "base" else [],
            "test": {"mean": {"rouge1": sum(r1) / len(r1), "rouge2": 0.1, "rougeL": 0.2, "rougeLsum": 0.2,
                              "similarity": 0.5, "fact": 0.5, "distinct2": 0.9},
                     "per_question": {"rouge1": r1}, "answers": ["a | b", "c"]},
            "questions": [{"question": "q1?", "answer": "A1."}, {"question": "q2?", "answer": "A2."}]}


def test_comparison_markdown_has_the_thesis_tables(tmp_path):
    import argparse

    from tuning.adapters.compare import markdown, sample_tensors
    from tuning.adapters.compare_view import saved, trajectory_figure

    results = {"base": fake_result("base", [0.2, 0.4]), "gan": fake_result("gan", [0.3, 0.5]),
               "adapter_mle": fake_result("adapter_mle", [0.3, 0.3])}
    args = argparse.Namespace(model="tiny", split="thesis", data_seed=0, steps=2, batch=4, seed=0)
    text, stats = markdown(results, args)
    assert "thesis table 4.1" in text and "| gan | 0.400 |" in text and "+0.100" in text
    assert stats["gan"]["rouge1_delta"] == pytest.approx(0.1)
    assert "gan vs adapter_mle" in text and "better on 1 questions, worse on 0" in text
    assert "a / b" in text  # a pipe in an answer cannot break the table
    assert len(sample_tensors(results["gan"]["trajectory"])[0]["weights"]) == 12
    fig = trajectory_figure(results)
    assert len(fig.data) == 2 * (12 + 1)  # two trained methods: 12 tensors + the MLE loss each
    assert "No saved tuning comparison" in saved(tmp_path)[0]
    (tmp_path / "compare.md").write_text(text)
    (tmp_path / "compare.json").write_text(json.dumps(results))
    md, fig = saved(tmp_path)
    assert md == text and fig is not None
