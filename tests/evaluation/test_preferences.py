"""Preference data from trajectories, the preference planner, and DPO (TRL) on a tiny model."""
import json

import pytest
import torch

from irg.engine.config import RunConfig
from irg.engine.loop import draft_messages
from irg.engine.plan import PreferencePlanner
from irg.engine.record import Recorder
from irg.engine.strategies import run
from irg.engine.values import Finding, Iteration, Plan, Report
from irg.evaluation.preferences import bank, main, pairs_from_record
from tests.conftest import build_model


def rec(scores, prompt="Write about cats. Use only lowercase letters.", kinds=None):
    its = []
    for i, s in enumerate(scores, 1):
        fs = [{"kind": k, "severity": "critical", "source": "rule"} for k in (kinds or {}).get(i, [])]
        its.append({"iteration": i, "draft": f"Draft {i}" if i > 1 else "Draft ONE", "score": s, "findings": fs})
    return {"id": "p1", "strategy": "irg_hybrid", "prompt": prompt, "iterations": its, "task": "constraints",
            "gold_constraints": [{"kind": "lowercase"}], "answer": None, "reference": None}


def test_pairs_where_the_score_rose_in_trls_format():
    ps = pairs_from_record(rec([0.2, 0.5, 0.4, 0.9]))
    assert [(p["score_rejected"], p["score_chosen"]) for p in ps] == [(0.2, 0.5), (0.4, 0.9)]
    p = ps[0]
    assert p["prompt"] == draft_messages(rec([0])["prompt"], "general")  # the single pass's own prompt
    assert p["chosen"] == [{"role": "assistant", "content": "Draft 2"}] and p["rejected"][0]["content"] == "Draft ONE"
    assert len(pairs_from_record(rec([0.2, 0.5, 0.4, 0.9]), all_pairs=True)) == 5  # 2>1, 4>1, 4>2, 4>3, and 3>1


def test_gold_filter_keeps_pairs_the_ground_truth_agrees_with():
    ps = pairs_from_record(rec([0.2, 0.5]), gold=True)  # "Draft 2" has a capital: not lowercase either way
    assert ps and ps[0]["quality_chosen"] == ps[0]["quality_rejected"] == 0.0


def test_export_and_bank_commands(tmp_path, capsys):
    data = tmp_path / "r.jsonl"
    good = rec([0.2, 0.9], kinds={1: ["lowercase"]})
    good["iterations"][1]["draft"] = "all lowercase now"
    data.write_text(json.dumps(good) + "\n" + json.dumps({**rec([0.5]), "id": "p2"}) + "\n")
    assert main(["--data", str(data), "--out", str(tmp_path / "pairs.jsonl")]) == 0
    assert json.loads(capsys.readouterr().out) == {"runs": 2, "pairs": 1, "prompts": 1}
    assert bank([str(data)], tmp_path / "bank.jsonl") == {"pairs": 1, "kinds": ["lowercase"]}
    [entry] = [json.loads(x) for x in (tmp_path / "bank.jsonl").read_text().splitlines()]
    assert entry["fixed"] == ["lowercase"] and entry["better"] == "all lowercase now"
    assert main(["--data", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "x.jsonl")]) == 2


def _report(kind):
    return Report([Finding(kind, "critical", "bad", fix="Fix it.")], 0.0)


def test_preference_planner_prefers_its_own_history_then_the_bank():
    bank_ = ({"worse": "Hello World", "better": "hello world", "fixed": ["lowercase"]},)
    planner = PreferencePlanner(bank_)
    hist = [Iteration.from_dict({"iteration": 1, "draft": "good one", "score": 0.8}),
            Iteration.from_dict({"iteration": 2, "draft": "bad one", "score": 0.3})]
    p = planner.plan("prompt", _report("lowercase"), hist)
    assert (p.source == "preference" and p.example["better"] == "good one"
            and "own drafts 2 (worse) and 1" in p.example["from"])
    p = planner.plan("prompt", _report("lowercase"), hist[:1])
    assert p.example["better"] == "hello world" and p.instructions == ["Fix it."]
    assert planner.plan("prompt", _report("uppercase"), hist[:1]).example is None


def test_the_example_reaches_the_revision_prompt():
    plan = Plan(["Fix it."], example={"worse": "W", "better": "B", "from": "x"})
    msgs = draft_messages("Say hi.", "general", plan, previous="Hi")
    assert ("WORSE: W\nBETTER: B" in msgs[-1]["content"]
            and msgs[-1]["content"].index("Fix it.") < msgs[-1]["content"].index("WORSE"))


def test_preference_planner_runs_in_the_loop(backend):
    r = Recorder()
    cfg = RunConfig(strategy="irg_external", planner="preference", max_iters=3, max_new_tokens=8)
    for _ in r.wrap(run("Write about the zebra. Include the keywords 'zebra' and 'stripes'.", backend, cfg)):
        pass
    plans = [it["plan"] for it in r.record["iterations"] if it["plan"]]
    assert plans and all(p["source"] == "preference" for p in plans)


def test_dpo_trains_a_lora_that_leaves_the_base_untouched(tokenizer, tmp_path):
    pytest.importorskip("trl")
    from tuning.dpo import DPOSettings, read_pairs, train_dpo

    path = tmp_path / "pairs.jsonl"
    pair = pairs_from_record(rec([0.2, 0.9]))[0]
    path.write_text("\n".join(json.dumps(pair) for _ in range(4)))
    model = build_model(tokenizer)
    ids = torch.tensor([[1, 5, 9, 12]])
    ref = model(ids).logits
    tuned, log = train_dpo(model, tokenizer, read_pairs(path), DPOSettings(steps=2, batch_size=2, grad_accum=1, lr=1e-2,
                                                                             max_length=512), tmp_path)
    assert log and "loss" in log[0]
    with tuned.disable_adapter():
        assert torch.equal(tuned(ids).logits, ref)
    assert not torch.equal(tuned(ids).logits, ref)


def test_dpo_pairs_file_is_checked(tmp_path):
    from tuning.dpo import read_pairs

    (tmp_path / "bad.jsonl").write_text('{"prompt": "x"}\n')
    with pytest.raises(ValueError, match="needs prompt, chosen and rejected"):
        read_pairs(tmp_path / "bad.jsonl")
