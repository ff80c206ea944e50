"""Distillation with feedback on tiny models: problems, teacher, datasets, LoRA students (decoder-only and
encoder–decoder), the table and the command."""
from __future__ import annotations

import json

import pytest
import torch

from irg.engine.constraints import FinalAnswer, from_dict
from tests.conftest import build_model, build_tokenizer
from tuning import distill as DS


def tiny_t5(tokenizer, seed: int = 0):
    from transformers import T5Config, T5ForConditionalGeneration

    torch.manual_seed(seed)
    cfg = T5Config(vocab_size=len(tokenizer), d_model=32, d_kv=8, d_ff=64, num_layers=2, num_decoder_layers=2,
                   num_heads=4,
                   pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
                   decoder_start_token_id=tokenizer.pad_token_id)
    return T5ForConditionalGeneration(cfg).eval()


def small_cfg(**kw):
    return DS.DistillConfig(**{**dict(n_train=6, n_val=3, n_test=4, n_train_eval=3, steps=3, batch_size=2,
                                      max_new_tokens=8, max_target_tokens=32, teacher_iters=2,
                                      teacher_workers=2), **kw})


def test_final_answer_rule():
    rule = FinalAnswer("38")
    assert rule.check("4 * 7 = 28\n28 + 10 = 38\nThe answer is 38.") == []
    [f] = rule.check("The answer is 17.")
    assert f.severity == "critical" and "38" not in f.fix  # no hint unless asked
    assert "38" in FinalAnswer("38", hint=True).instruction()
    assert from_dict(rule.to_dict()) == rule


def test_problems_are_disjoint_and_seeded():
    cfg = DS.DistillConfig(n_train=60, n_val=20, n_test=40)
    a, b = DS.problems(cfg), DS.problems(cfg)
    assert a == b
    assert [len(a[k]) for k in ("train", "val", "test")] == [60, 20, 40]
    prompts = {k: {r["prompt"] for r in v} for k, v in a.items()}
    assert (not prompts["train"] & prompts["val"] and not prompts["train"] & prompts["test"]
            and not prompts["val"] & prompts["test"])
    from irg.evaluation.suites import load

    # the evaluation's test split
    assert [r["prompt"] for r in a["test"]] == [r["prompt"] for r in load("maths", "test", 40)]


def test_gsm8k_file_is_split_by_hash(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text("\n".join(json.dumps({"question": f"Q{i}: how many is {i} + 1?",
                                          "answer": f"{i} + 1 = {i + 1}\n#### {i + 1}"})
                              for i in range(60)))
    s = DS.problems(DS.DistillConfig(data=str(path), n_train=100, n_val=100, n_test=100))
    assert sum(len(v) for v in s.values()) == 60 and all(s.values())
    assert s["train"][0]["answer"] == str(int(s["train"][0]["prompt"].split()[4]) + 1)


@pytest.mark.parametrize("bad", [dict(n_train=0), dict(steps=-1), dict(lr=0), dict(data="/nope.jsonl"),
                                 dict(batch_size=0)])
def test_a_bad_distillation_setting_is_refused(bad):
    with pytest.raises(ValueError):
        DS.DistillConfig(**bad)


def test_datasets_from_the_teacher():
    taught = [
        {"id": "a", "prompt": "p", "answer": "51", "rationale": "Sure!\n12 * 4 = 46\n46 + 3 = 49\nThe answer is 49.",
         "drafts": ["The answer is 51.", "Sure!\n12 * 4 = 46\n46 + 3 = 49\nThe answer is 49."]},
        {"id": "b", "prompt": "q", "answer": "7", "rationale": "The answer is 9.", "drafts": ["The answer is 9."]},
    ]
    data, log = DS.datasets(taught)
    assert [e["target"] for e in data["baseline"]] == ["The answer is 51.", "The answer is 7."]
    assert [e["target"] for e in data["cot"]] == [taught[0]["rationale"], "The answer is 9."]  # as the teacher wrote it
    # the bare "The answer is 51." draft computes nothing, so it is not taught; the repaired chain is
    assert [e["target"] for e in data["feedback"]] == ["12 * 4 = 48\n48 + 3 = 51\nThe answer is 51."]
    assert log[0]["accepted"] and {c["action"] for c in log[0]["changes"]} == {"repaired", "dropped"}
    assert not log[1]["accepted"] and "final answer 9" in log[1]["reason"]


def test_irg_teacher_keeps_every_draft(backend):
    item = {"id": "x", "prompt": "Tom has 3 apples and buys 4 more. How many apples does Tom have?", "answer": "7"}
    r = DS.teach_irg(item, backend, small_cfg(teacher_iters=2, max_new_tokens=8))
    assert r["iterations"] == len(r["drafts"]) >= 1 and r["rationale"] in r["drafts"]
    assert r["tokens"] > 0 and r["stop_reason"]


def _overfit(model, tokenizer, seq2seq):
    ex = [{"id": "a", "prompt": "Tom has 3 apples.", "target": "3 + 4 = 7\nThe answer is 7."}]
    cfg = small_cfg(steps=25, batch_size=1, lr=5e-2, lora_r=8, lora_alpha=16)
    return DS.train_student(model, tokenizer, seq2seq, ex, cfg)


def test_causal_student_learns_and_leaves_the_base_untouched(tokenizer):
    model = build_model(tokenizer)
    with torch.no_grad():
        model.lm_head.weight.mul_(50)  # a random tiny model's logits are nearly flat; give them range
    before = {k: v.clone() for k, v in model.state_dict().items()}
    ids = torch.tensor([DS.source_ids(tokenizer, "Tom has 3 apples.", False)])
    ref = model(ids).logits
    peft_model, log = _overfit(model, tokenizer, False)
    assert log[-1]["loss"] < log[0]["loss"] - 1
    with peft_model.disable_adapter():  # adapter off = the base model exactly
        assert torch.equal(peft_model(ids).logits, ref)
    after = {k.replace(".base_layer", ""): v for k, v in model.state_dict().items() if "lora_" not in k}
    assert after.keys() == before.keys() and all(torch.equal(after[k], before[k]) for k in before)


def test_encoder_decoder_student_trains_generates_and_scores(tokenizer):
    model = tiny_t5(tokenizer)
    peft_model, log = _overfit(model, tokenizer, True)
    assert log[-1]["loss"] < log[0]["loss"] - 1
    merged = peft_model.merge_and_unload()
    items = [{"id": "a", "prompt": "Tom has 3 apples.", "answer": "7"}]
    [r] = DS.score(merged, tokenizer, True, items, small_cfg(max_new_tokens=16))
    assert set(r) == {"id", "correct", "tokens", "text"} and r["tokens"] > 0
    assert "7" in r["text"]  # it learned its one example


def test_prompt_is_the_engines_draft_prompt(tokenizer):
    from irg.engine.loop import draft_messages

    want = tokenizer.apply_chat_template(draft_messages("How many?", "math"), add_generation_prompt=True,
                                         tokenize=False)
    assert tokenizer.decode(DS.source_ids(tokenizer, "How many?", False)) == want


def test_paired_comparison_counts_wins_and_brackets_the_difference():
    p = DS.paired([1, 1, 0, 1], [0, 1, 0, 0])
    assert p["diff"] == 0.5 and p["wins"] == 2 and p["losses"] == 0 and p["ci"][0] <= 0.5 <= p["ci"][1]


def _save(model, tok, path):
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return str(path)


@pytest.mark.parametrize("kind", ["decoder-only", "encoder-decoder"])
def test_command_end_to_end(tmp_path, kind, monkeypatch):
    tok = build_tokenizer()
    model = build_model(tok) if kind == "decoder-only" else tiny_t5(tok)
    path = _save(model, tok, tmp_path / "model")
    out = tmp_path / "run"
    monkeypatch.setenv("IRG_CACHE_DIR", str(tmp_path / "cache"))
    # each is a process
    variants = ["base", "baseline", "cot", "feedback"] if kind == "decoder-only" else ["base", "baseline"]
    code = DS.main(["--teacher", path, "--student", path, "--n-train", "4", "--n-val", "2", "--n-test", "3",
                    "--n-train-eval", "2", "--steps", "2", "--batch-size", "2", "--max-new-tokens", "6",
                    "--teacher-iters", "2", "--variants", ",".join(variants), "--out", str(out)])
    assert code == 0
    s = json.loads((out / "distill.json").read_text())
    assert set(s["models"]) == set(variants)
    assert s["models"]["base"]["test"]["n"] == 3 and s["models"]["baseline"]["train_examples"] == 4
    assert s["models"]["baseline"]["test"]["vs_base"]["n"] == 3
    md = (out / "distill.md").read_text()
    assert "| baseline student (answers only) |" in md and "Command: `python -m tuning.distill" in md
    assert (out / "losses.html").exists() and (out / "students" / "baseline" / "adapter_config.json").exists()
    assert len((out / "teacher.jsonl").read_text().splitlines()) == 4


def test_command_bad_input_is_one_sentence(capsys, tmp_path):
    assert DS.main(["--data", "/nope.jsonl", "--out", str(tmp_path)]) == 2
    assert "not a file" in capsys.readouterr().err
    assert DS.main(["--variants", "base,sft", "--out", str(tmp_path)]) == 2
    assert "Unknown variant" in capsys.readouterr().err


def test_a_shipped_student_is_a_model_choice(tmp_path, monkeypatch, tokenizer):
    import tuning.adapters.shipped as A
    from irg.engine.backends import GenRequest
    from irg.engine.models import get_backend, model_choices, resolve
    from tuning.adapters import train as T

    model = build_model(tokenizer)
    with torch.no_grad():
        model.lm_head.weight.mul_(50)
    base_dir = _save(model, tokenizer, tmp_path / "base")
    peft_model, _ = _overfit(model, tokenizer, False)
    run = tmp_path / "run"
    peft_model.save_pretrained(run / "students" / "feedback")
    s = {"config": {"student": base_dir}, "command": "test",
         "models": {"base": {"test": {"accuracy": 0.1}},
                    "feedback": {"test": {"accuracy": 0.3, "vs_base": {"diff": 0.2, "ci": [0.1, 0.3]}}}}}
    assert DS.best_student(s)[0] == "feedback"
    monkeypatch.setattr(A, "ADAPTER_DIR", tmp_path / "adapters")
    DS.ship_student(run, "feedback", s, name="tiny-student")
    assert resolve("tiny-student").source == "student"
    assert "tiny-student" not in model_choices()  # offered in the app only for the bundled model's students
    backend = get_backend("tiny-student")
    merged = peft_model.merge_and_unload()
    req = GenRequest([{"role": "user", "content": "Tom has 3 apples."}], max_new_tokens=6, temperature=0.0)
    got = backend.generate(req).text
    ids = T.generate(merged, tokenizer, [backend.prompt_ids(req)], 6, sample=False)[0]
    assert got == tokenizer.decode(ids, skip_special_tokens=True)


def test_no_student_is_shipped_without_a_clear_gain():
    s = {"models": {"base": {"test": {"accuracy": 0.1}},
                    "cot": {"test": {"accuracy": 0.15, "vs_base": {"diff": 0.05, "ci": [-0.02, 0.1]}}}}}
    variant, why = DS.best_student(s)
    assert variant is None and "no student beats" in why
