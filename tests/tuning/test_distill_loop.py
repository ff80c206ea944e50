"""The loop as a teacher (issue 23): the train split, what is kept, the three students, and the GGUF export."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from conftest import build_model

from irg.evaluation.suites import constraint_suite as cs
from irg.evaluation.suites import load, train_rows
from tuning.loop import keep
from tuning.loop.students import LoopStudentConfig, save, train


# ---- the train split ------------------------------------------------------------------------------------------
def test_train_split_is_disjoint_from_dev_and_test_by_construction():
    rows = train_rows()
    assert len(rows) >= 1000 and len({r["id"] for r in rows}) == len(rows)
    for key in ("tasks", "topics", "yes_no", "questions"):  # no request of dev/test is reused
        shared = set(cs.TRAIN_WORDS[key]) & set({"tasks": cs.TASKS, "topics": cs.TOPICS, "yes_no": cs.YES_NO,
                                                 "questions": cs.QUESTIONS}[key])
        assert not shared, f"{key} shared with dev/test: {shared}"
    evaluation = {r["prompt"] for r in load("constraints", "all")}
    from irg.evaluation.suites import ASSETS, request_of

    held_out = [r["prompt"] for name in ("heldout", "heldout2")
                for r in load("phrasings", data=str(ASSETS.parent / "phrasings" / f"{name}.jsonl"))]
    prompts = [r["prompt"] for r in rows]
    assert len(set(prompts)) == len(prompts)  # no prompt twice
    assert not set(prompts) & evaluation and not set(prompts) & set(held_out)
    # near copies
    assert not {request_of(r["prompt"]) for r in rows if ":" in r["id"]} & {request_of(p) for p in held_out}
    composed = [r for r in rows if r["id"].startswith("tr")]
    assert 700 <= len(composed) < len(rows)  # people's wordings (dev phrasing sets) are mixed in
    assert any(":" in r["id"] for r in rows[:20])  # ...spread through it, so a prefix has both
    assert all(r["gold_constraints"] for r in rows)
    assert load("constraints", "train", n=5) == load("constraints", "train")[:5]


def test_only_the_constraints_suite_has_a_train_split():
    with pytest.raises(ValueError, match="train split"):
        load("open_qa", "train")


# ---- what is kept ------------------------------------------------------------------------------------------
def _row(final, gold=({"kind": "lowercase"},), first=None, **kw):
    its = [{"iteration": 1, "draft": first or final, "rendered": None}]
    if first is not None:
        steps = [{"label": "rendered: lowercase"}]
        its.append({"iteration": 2, "draft": final, "rendered": {"before": final.upper(), "steps": steps}})
    return {"id": "tr001", "strategy": "irg_hybrid", "prompt": "Describe a windmill on a farm.", "final": final,
            "best_iteration": len(its), "iterations": its, "gold_constraints": list(gold), **kw}


@pytest.mark.parametrize("final,why", [
    ("the windmill turns slowly over the farm and grinds the grain.", "kept"),
    ("The Windmill turns.", "unmet"),
    ("i'm ready to help. what can i do for you?", "stock_reply"),
    ("i’m ready to help. what can i do for you?", "stock_reply"),
    ("dear sam, the windmill on the farm turns all day and grinds the wheat for the bakery in the village. the miller "
     "oils it every week and the children watch the sails. let me know how i can help with the harvest.", "kept"),
    ("", "empty"),
    ("the the the the the the the the the the the the the the the the the the the the the the the the", "degenerate"),
])
def test_keep_judges_each_run(final, why):
    assert keep.judge(_row(final), similarity=0.5) == why


def test_keep_refuses_answers_that_echo_their_orders():
    row = _row("x")
    row["prompt"] = "Describe a windmill. End with the phrase 'Is there anything else I can help with?'"
    end = "End the answer with exactly this phrase: Is there anything else I can help with?"
    row["iterations"][0]["plan"] = {"instructions": ["Write ordinary sentences in normal words.", end]}
    echo = "rewrite your answer to my request. the windmill turns."
    echoed = {**row, "final": echo, "iterations": [{**row["iterations"][0], "draft": echo}]}
    assert keep.judge(echoed, 0.5) == "echoes_orders"
    assert keep.echoes_orders(row, "i will write ordinary sentences in normal words about mills.")
    # the phrase the user asked for is the user's, even though the plan repeats it
    assert not keep.echoes_orders(row, "the windmill turns. Is there anything else I can help with?")


def test_keep_refuses_answers_that_repeat_themselves():
    said_twice = "the mill turns in the wind. the farmer bakes bread at dawn. the mill turns in the wind."
    assert keep.judge(_row(said_twice), 0.5, drop_repetitive=True) == "repetitive"
    assert keep.judge(_row(said_twice), 0.5) == "kept"  # off by default (worse on dev)
    looping = " ".join(f"the mill turns and the {w} sings" for w in ("bird", "wind", "rain", "sun", "moon"))
    assert keep.repetitive(looping)  # no sentence twice, but most 4-word runs are repeats
    assert not keep.repetitive("The mill turns in the wind. The farmer bakes bread at dawn. Children play.")
    assert not keep.repetitive("Yes. Yes.")  # too short to count as a repeated sentence


def test_the_kept_set_is_described_by_source_and_steps():
    rows = [{"source": "composer", "first_met": True, "first_draft": "a", "final": "a", "steps": [], "iterations": 1,
             "tokens": 100},
            {"source": "dev3", "first_met": False, "first_draft": "b", "final": "B.", "iterations": 3, "tokens": 300,
             "steps": ["rendered: uppercase", "rendered: period", "trimmed: a repeated loop (9 characters)"]}]
    d = keep.describe(rows)
    assert d["by_source"] == {"composer": 1, "dev3": 1} and d["first_draft_already_met"] == 1
    assert d["first_draft_unchanged"] == 1 and d["with_program_steps"] == 1
    assert (d["answers_with_step"] == {"rendered": 1, "trimmed": 1} and d["mean_iterations"] == 2
            and d["mean_tokens"] == 200)


def test_keep_refuses_off_topic_answers_and_records_the_first_draft(tmp_path):
    assert keep.judge(_row("my favourite colour is green and so is my hat."), similarity=0.05) == "off_topic"
    row = _row("the windmill turns slowly over the farm.", first="The Windmill Turns Slowly.")
    assert keep.first_draft(row) == "The Windmill Turns Slowly."
    row2 = {**row, "iterations": [{**row["iterations"][0], "rendered": {"before": "RAW", "steps": []}},
                                  row["iterations"][1]]}
    assert keep.first_draft(row2) == "RAW"  # before the program rendered it
    src = tmp_path / "results.jsonl"
    bad = _row("The Windmill.", gold=({"kind": "lowercase"},))
    other = {**row, "id": "tr003", "prompt": "A prompt since taken out of the split."}
    src.write_text(json.dumps(row) + "\n" + json.dumps({**bad, "id": "tr002"}) + "\n" + json.dumps(other) + "\n"
                   + json.dumps(row)[:40])  # the last line cut by a kill
    split = {"tr001": row["prompt"], "tr002": row["prompt"], "tr003": "Another prompt under this id today."}
    counts = keep.keep(src, tmp_path / "kept.jsonl", split=split)
    kept = keep.load(tmp_path / "kept.jsonl")
    assert counts == {"runs": 2, "not_in_split": 1, "kept": 1, "unmet": 1} and [k["id"] for k in kept] == ["tr001"]
    assert kept[0]["first_draft"] == "The Windmill Turns Slowly." and kept[0]["first_met"] is False
    assert kept[0]["steps"] == ["rendered: lowercase"] and kept[0]["source"] == "composer"
    # round 2 learns from both rounds: the earlier kept set first, then this round's, each row saying its round
    counts2 = keep.keep(src, tmp_path / "kept-r2.jsonl", split=split, round_no=2,
                             earlier=[tmp_path / "kept.jsonl"])
    both = keep.load(tmp_path / "kept-r2.jsonl")
    assert counts2["kept"] == 1 and [k["round"] for k in both] == [1, 2] and {k["id"] for k in both} == {"tr001"}
    assert keep.describe(both)["by_round"] == {"1": 1, "2": 1}
    # run again on its own output: this round's earlier rows are replaced, not doubled
    keep.keep(src, tmp_path / "again.jsonl", split=split, round_no=2, earlier=[tmp_path / "kept-r2.jsonl"])
    assert [k["round"] for k in keep.load(tmp_path / "again.jsonl")] == [1, 2]
    from tuning.loop.students import main
    same = str(tmp_path / "kept-r2.jsonl")  # writing over an earlier round's set is refused with a sentence
    assert main(["keep", "--round", "2", "--gen", str(src), "--out", same, "--earlier", same, "--record", ""]) == 2
    # a kept set written before rounds existed counts as round 1
    assert keep.describe([{k: v for k, v in kept[0].items() if k != "round"}])["by_round"] == {"1": 1}


# ---- three students on a tiny model ---------------------------------------------------------------------------
ROWS = [{"id": f"tr{i:03d}", "prompt": f"Write about the sea number {i}.", "final": "the sea is wide and blue.",
         "first_draft": "The sea is wide, and the waves are blue."} for i in range(6)]


@pytest.mark.parametrize("student", ["lora", "gan", "mle"])
def test_each_student_learns_only_its_adapter_and_ships_under_its_name(tokenizer, tmp_path, student):
    from tuning.adapters.shipped import apply, find

    model = build_model(tokenizer)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    cfg = LoopStudentConfig(student=student, steps=3, batch_size=2, warmup_steps=1 if student == "gan" else 0,
                            sample_tokens=8, lr=1e-2)
    adapter, log = train(cfg, model=model, tok=tokenizer, rows=ROWS, on_log=lambda rec: None)
    base = adapter.get_base_model() if student == "lora" else model
    now = {k.replace(".base_layer", ""): v for k, v in base.state_dict().items() if "lora_" not in k}
    assert all(torch.equal(before[k], now[k]) for k in before)  # the frozen model stays frozen
    phases = [r.get("phase", "mle") for r in log["log"]]
    assert phases == {"lora": ["mle"] * 3, "gan": ["mle", "gan", "gan"], "mle": ["mle"] * 3}[student]
    if student == "gan":  # the critic saw the recorded one-pass drafts as fake beside the fresh samples
        assert [r["fakes"] for r in log["log"][1:]] == [2 * 2 + 2] * 2  # batch 2 x group 2 samples + 2 drafts
    assert log["examples"] == 6 and log["peak_rss_mb"] > 0
    target = save(cfg, adapter, log, dest=tmp_path)
    for meta in [tmp_path.glob("*.json"), tmp_path.glob("*/irg_meta.json")]:
        for m in meta:  # a tiny model's adapter: claim it for "tiny" so find() can be asked
            d = json.loads(m.read_text())
            m.write_text(json.dumps({**d, "base_model": "tiny"}))
    shipped = find("tiny", tmp_path)
    assert list(shipped) == [f"loop_{student}"] and shipped[f"loop_{student}"].label.startswith("Loop-taught")
    ids = torch.tensor([tokenizer.encode("The sea")])
    fresh = build_model(tokenizer)
    plain = fresh(ids).logits
    on = apply(build_model(tokenizer), target).eval()
    assert not torch.allclose(on(ids).logits, plain)  # the adapter changes the model...
    assert torch.equal(fresh(ids).logits, plain)  # ...that it was applied to only


def test_student_config_validates():
    for bad in (dict(student="dpo"), dict(steps=0), dict(student="gan", warmup_steps=500), dict(lr=-1), dict(round=0),
                dict(round=3), dict(chunk=0)):
        with pytest.raises(ValueError):
            LoopStudentConfig(**bad)
    assert LoopStudentConfig(student="gan", round=2).name == "loop_gan_r2"


# ---- the GGUF export (llama.cpp speed) --------------------------------------------------------------------------
@pytest.mark.bundled
def test_folding_the_gan_adapter_rewrites_only_the_token_table(tmp_path):
    import gguf

    from irg.engine.models import bundled_gguf
    from tuning.adapters.gan import EmbeddingGenerator
    from tuning.adapters.gan import save as save_gan
    from tuning.adapters.gguf_export import dequantized, fold_gan

    torch.manual_seed(0)
    gen = EmbeddingGenerator(576, zero_init=False).eval()
    save_gan(gen, tmp_path / "g", {})
    out = fold_gan(bundled_gguf(), tmp_path / "g.safetensors", tmp_path / "folded.gguf")
    base, folded = gguf.GGUFReader(str(bundled_gguf())), gguf.GGUFReader(str(out))
    b, f = {t.name: t for t in base.tensors}, {t.name: t for t in folded.tensors}
    assert set(f) == set(b) | {"output.weight"}
    E = dequantized(b["token_embd.weight"])
    with torch.no_grad():
        want = gen(torch.from_numpy(E[:300])).numpy()
    assert np.allclose(np.asarray(f["token_embd.weight"].data[:300]), want, rtol=0, atol=1e-6)  # E'[t] = G(E[t])
    assert f["output.weight"].tensor_type == b["token_embd.weight"].tensor_type  # the head: the original table
    assert np.array_equal(np.asarray(f["output.weight"].data), np.asarray(b["token_embd.weight"].data))
    for name in b:
        if name != "token_embd.weight":
            assert np.array_equal(np.asarray(f[name].data), np.asarray(b[name].data)), name
    assert str(folded.fields["irg.adapter_kind"].contents()) == "gan-folded"
    faithful = EmbeddingGenerator(576, noise_at_inference=True)
    save_gan(faithful, tmp_path / "noisy", {})
    from irg.engine.errors import AdapterError

    with pytest.raises(AdapterError, match="cannot be folded"):
        fold_gan(bundled_gguf(), tmp_path / "noisy.safetensors", tmp_path / "x.gguf")


@pytest.mark.bundled
def test_merging_a_lora_matches_the_transformers_merge(tmp_path, monkeypatch):
    import gguf

    monkeypatch.setenv("IRG_DTYPE", "float32")  # a CPU with native bf16 would load the reference in bf16

    from irg.engine.models import bundled_gguf, load_hf
    from tuning.adapters.gguf_export import dequantized, merge_lora, permute_rows
    from tuning.adapters.shipped import ADAPTER_DIR, apply

    folder = ADAPTER_DIR / "smollm2-135m-lora"
    out = merge_lora(bundled_gguf(), folder, tmp_path / "merged.gguf")
    merged = {t.name: t for t in gguf.GGUFReader(str(out)).tensors}
    model, _ = load_hf("bundled", use_cache=False)
    model = apply(model, folder, "lora")
    layer = model.model.layers[3].self_attn
    q = layer.q_proj.weight.detach().float().numpy()
    k = layer.k_proj.weight.detach().float().numpy()  # not adapted, but permuted like q, with the key heads
    v = layer.v_proj.weight.detach().float().numpy()
    assert merged["blk.3.attn_q.weight"].tensor_type == gguf.GGMLQuantizationType.F16  # the merged weights
    assert np.allclose(dequantized(merged["blk.3.attn_q.weight"]), permute_rows(q, 9), rtol=1e-3, atol=1e-6)  # F16
    assert np.array_equal(dequantized(merged["blk.3.attn_k.weight"]), permute_rows(k, 3))
    assert np.allclose(dequantized(merged["blk.3.attn_v.weight"]), v, rtol=1e-3, atol=1e-6)
    assert merged["blk.3.attn_k.weight"].tensor_type == gguf.GGMLQuantizationType.Q4_1  # untouched: as it was


@pytest.mark.bundled
def test_fully_fine_tuned_blocks_are_written_in_place_of_the_models_weights(tmp_path, monkeypatch):
    """What transformers trained (learners.FullStudent) is what llama.cpp reads back: each matrix in F16, q/k rows
    permuted as the converter permutes them; the token table is the model's own, byte for byte."""
    import gguf
    import torch

    monkeypatch.setenv("IRG_DTYPE", "float32")
    from irg.engine.models import bundled_gguf, load_hf
    from tuning.adapters.gguf_export import dequantized, merged, permute_rows
    from tuning.loop.learners import FullStudent

    model, _ = load_hf("bundled", use_cache=False)
    student = FullStudent(model)
    assert len(student.params) == 30 * 7 and sum(p.numel() for p in student.params) > 100_000_000
    with torch.no_grad():
        torch.manual_seed(0)
        for key in ("3.q_proj", "5.down_proj"):
            student.named[key].add_(torch.randn_like(student.named[key]) * 0.01)
    student.save(tmp_path / "point")
    out = merged(bundled_gguf(), tmp_path / "point", tmp_path / "merged.gguf")
    got = {t.name: t for t in gguf.GGUFReader(str(out)).tensors}
    base = {t.name: t for t in gguf.GGUFReader(str(bundled_gguf())).tensors}
    q = student.named["3.q_proj"].detach().numpy()
    assert got["blk.3.attn_q.weight"].tensor_type == gguf.GGMLQuantizationType.F16
    assert np.allclose(dequantized(got["blk.3.attn_q.weight"]), permute_rows(q, 9), rtol=1e-3, atol=1e-5)
    assert np.allclose(dequantized(got["blk.3.attn_k.weight"]),  # untrained: the model's own, in F16
                       dequantized(base["blk.3.attn_k.weight"]), rtol=1e-3, atol=1e-5)
    assert np.allclose(dequantized(got["blk.5.ffn_down.weight"]), student.named["5.down_proj"].detach().numpy(),
                       rtol=1e-3, atol=1e-5)
    assert np.array_equal(got["token_embd.weight"].data, base["token_embd.weight"].data)


# ---- the table ------------------------------------------------------------------------------------------------
def _results(folder, finals: dict[str, str], strategy="single_pass", tokens=100):
    folder.mkdir(parents=True, exist_ok=True)
    gold = [{"kind": "lowercase"}]
    with open(folder / "results.jsonl", "a") as fh:
        for i, text in finals.items():
            fh.write(json.dumps({"id": i, "strategy": strategy, "task": "constraints", "gold_constraints": gold,
                                 "final": text, "tokens_total": tokens, "seconds": 1.0,
                                 "iterations": [{"iteration": 1, "draft": text, "score": 1.0,
                                                 "tokens_cum": tokens}]}) + "\n")


def test_the_report_has_the_issues_format_and_pairs_on_the_students_prompts(tmp_path):
    from tuning.loop.table import build, teacher_section

    good, bad = "the sea is calm today and the boats rest.", "The Sea Is Calm Today."
    runs = tmp_path / "runs"
    ids = [f"k{i:03d}" for i in range(10)]
    _results(runs / "constraints" / "base", {i: (good if n < 2 else bad) for n, i in enumerate(ids + ["k999"])})
    _results(runs / "constraints" / "base", {i: (good if n < 8 else bad) for n, i in enumerate(ids)}, "irg_hybrid", 800)
    _results(runs / "constraints" / "lora", {i: (good if n < 6 else bad) for n, i in enumerate(ids)})
    _results(runs / "constraints" / "gan", {i: (good if n < 4 else bad) for n, i in enumerate(ids)})
    s = build(runs, tmp_path / "out", adapters=tmp_path)
    assert set(s["models"]) == {"base", "lora", "gan"}
    assert s["models"]["base"]["single_pass"]["n"] == 10  # k999 is left out: only the students' prompts are compared
    assert s["models"]["base"]["single_pass"]["quality"] == 0.2 and s["models"]["lora"]["single_pass"]["quality"] == 0.6
    assert set(s["models"]["base"]["single_pass"]) >= {"quality", "tokens", "degenerate_share"}
    assert s["best_student"] == "lora" and s["best_chosen_on"] == "this suite"
    chosen = build(runs, tmp_path / "chosen", adapters=tmp_path, best="gan")  # chosen on dev beforehand
    assert chosen["best_student"] == "gan" and chosen["best_chosen_on"] == "the dev split"
    assert chosen["best_vs_base_single"]["wins"] == 2
    b = s["best_vs_base_single"]
    assert b["wins"] == 4 and b["losses"] == 0 and abs(b["diff"] - 0.4) < 1e-9 and b["ci"][0] <= 0.4 <= b["ci"][1]
    assert s["between_students_single"]["gan_vs_lora"]["losses"] == 2
    assert json.loads((tmp_path / "out" / "summary.json").read_text()) == s
    md = teacher_section(tmp_path / "out" / "summary.json")
    assert "loop-taught LoRA | 60%" in md and "+40%" in md and "best here" in md and "better than the base" in md
    assert "round_2" not in s
    _results(runs / "constraints" / "lora_r2", {i: (good if n < 7 else bad) for n, i in enumerate(ids)})
    r2 = build(runs, tmp_path / "r2", adapters=tmp_path)["round_2"]  # paired with round 1 and with the base model
    assert (r2["single_pass"]["quality"] == 0.7 and r2["vs_round_1_single"]["wins"] == 1
            and r2["vs_base_single"]["wins"] == 5)
    assert "Round 2" in (tmp_path / "r2" / "summary.md").read_text()
    worse = build(runs, tmp_path / "worse", adapters=tmp_path, best="gan")
    assert worse["best_vs_base_single"]["diff"] > 0  # gan 40% vs base 20% on these prompts
    assert "chosen on the dev split" in teacher_section(tmp_path / "worse" / "summary.json")
    assert teacher_section(tmp_path / "missing.json") == ""


def test_students_not_run_again_keep_their_committed_figures(tmp_path):
    """A student trained anew replaces its row; the others keep theirs (carried over, and said so), with their
    pairings among themselves, never a pairing with the student that was replaced."""
    from tuning.loop.table import build

    good, bad = "the sea is calm today and the boats rest.", "The Sea Is Calm Today."
    ids = [f"k{i:03d}" for i in range(10)]
    old_runs, new_runs = tmp_path / "old", tmp_path / "new"
    for runs, lora in ((old_runs, 3), (new_runs, 7)):
        _results(runs / "constraints" / "base", {i: (good if n < 2 else bad) for n, i in enumerate(ids)})
        _results(runs / "constraints" / "lora", {i: (good if n < lora else bad) for n, i in enumerate(ids)})
    for name, k in (("gan", 4), ("mle", 5), ("lora_r2", 6)):
        _results(old_runs / "constraints" / name, {i: (good if n < k else bad) for n, i in enumerate(ids)})
    old = build(old_runs, tmp_path / "committed", adapters=tmp_path)
    assert "round_1_student" not in old["round_2"]
    s = build(new_runs, tmp_path / "out", adapters=tmp_path, carry=tmp_path / "committed" / "summary.json")
    assert s["models"]["lora"]["single_pass"]["quality"] == 0.7  # the new student
    assert s["models"]["gan"] == old["models"]["gan"] and s["models"]["mle"] == old["models"]["mle"]
    assert s["students_vs_base_single"]["gan"] == old["students_vs_base_single"]["gan"]
    assert set(s["between_students_single"]) == {"gan_vs_mle"}  # gan_vs_lora was made with the old LoRA
    assert s["carried_over"]["students"] == ["gan", "lora_r2", "mle"]
    # round 2 was paired with the LoRA of its day: kept, and named as that one, not the new LoRA of this summary
    assert s["round_2"]["vs_round_1_single"] == old["round_2"]["vs_round_1_single"]
    assert s["round_2"]["round_1_student"] == "the LoRA of round 1"
    assert "vs the LoRA of round 1 single pass" in (tmp_path / "out" / "summary.md").read_text()
    plain = build(new_runs, tmp_path / "plain", adapters=tmp_path)
    assert set(plain["models"]) == {"base", "lora"} and "carried_over" not in plain


def test_the_app_reads_the_committed_teacher_table():
    """The tab's section reads the committed summary where it is (a path once pointed inside tuning/)."""
    from tuning.loop import table

    assert table.SUMMARY.exists()
    assert "| loop-taught LoRA |" in table.teacher_section()
