"""Task suites, metrics, paired statistics, the resumable runner and the HTML report."""
import json
from collections import Counter

import pytest

from irg.engine.config import RunConfig
from irg.engine.constraints import extract_all
from irg.engine.jsonl import field_values
from irg.evaluation import runner as quality
from irg.evaluation import suites
from irg.evaluation import summary as evaluation
from irg.evaluation.suites import maths
from irg.evaluation.suites.constraint_suite import build


def test_constraint_suite_is_what_the_issue_asks_and_reproducible():
    rows = build()
    assert rows == build()  # seeded
    assert len(rows) >= 200 and all(1 <= len(r["gold_constraints"]) <= 3 for r in rows)
    assert len({c["kind"] for r in rows for c in r["gold_constraints"]}) >= 20
    assert Counter(r["split"] for r in rows) == {"test": 144, "dev": 96}
    on_disk = [json.loads(line) for line in open(suites.ASSETS / "constraints.jsonl")]
    assert on_disk == rows  # the committed file is the generator's output


def test_extraction_matches_ground_truth_on_the_dev_split():
    dev = suites.load("constraints", "dev")
    exact = [sorted(json.dumps(c.to_dict(), sort_keys=True) for c in extract_all(i["prompt"])) ==
             sorted(json.dumps(c, sort_keys=True) for c in i["gold_constraints"]) for i in dev]
    assert sum(exact) / len(exact) >= 0.95


def test_maths_generator_answers_are_exact_and_splits_apart():
    test, dev = maths.generate(200, split="test"), maths.generate(200, split="dev")
    assert not {p["prompt"] for p in test} & {p["prompt"] for p in dev}
    assert len({p["template"] for p in test}) == len(maths.TEMPLATES) and {1, 2, 3, 4} <= {p["steps"] for p in test}
    for p in test:
        assert int(p["answer"]) >= 0
    first = next(p for p in maths.generate(10) if p["template"] == "rectangle")
    w, h = [int(x) for x in first["prompt"].split() if x.isdigit()][:2]
    assert int(first["answer"]) == 2 * (w + h)


def test_a_gsm8k_file_loads_with_its_final_answers(tmp_path):
    f = tmp_path / "g.jsonl"
    f.write_text(json.dumps({"question": "Two plus two?", "answer": "2+2=<<2+2=4>>4\n#### 4"}) + "\n"
                 + json.dumps({"question": "Big?", "answer": "so\n#### 1,200"}) + "\n")
    items = suites.load("gsm8k", data=str(f))
    assert [i["answer"] for i in items] == ["4", "1200"] and items[0]["task"] == "maths"
    f.write_text(json.dumps({"question": "no answer"}) + "\n")
    with pytest.raises(ValueError, match=":1: not GSM8K format"):
        suites.load("gsm8k", data=str(f))


def test_unknown_suite_and_missing_data_are_messages():
    with pytest.raises(ValueError, match="Unknown suite"):
        suites.load("nope")
    with pytest.raises(ValueError, match="needs --data"):
        suites.load("gsm8k")


def test_exact_match_and_rouge():
    assert evaluation.exact_match("3 * 4 = 12. The answer is 12.", "12")
    assert not evaluation.exact_match("The answer is 13.", "12") and not evaluation.exact_match("twelve", "12")
    r = evaluation.rouge(["the cat sat on the mat", "zzz"], ["a cat sat on a mat", "the cat"])
    assert r["rouge1"][0] == pytest.approx(2 / 3) and r["rouge1"][1] == 0.0 and set(r) == {"rouge1", "rouge2", "rougeL"}


def test_similarity_prefers_the_right_answer():
    sim = evaluation.Similarity.get()
    ref = "The capital of Japan is Tokyo."
    good, bad = sim.score(["Tokyo is the capital city of Japan.", "Bananas are yellow fruit."], [ref, ref])
    assert good > 0.8 > 0.3 > bad


def test_sign_test_and_bootstrap_interval_behave():
    assert evaluation.sign_test(10, 0) == pytest.approx(2 / 1024)
    assert evaluation.sign_test(3, 3) == 1.0 and evaluation.sign_test(0, 0) == 1.0
    lo, hi = evaluation.bootstrap_ci([0.0, 1.0] * 50)
    assert lo < 0.5 < hi and hi - lo < 0.25


ROW = {"task": "constraints", "gold_constraints": [{"kind": "no_commas"}], "iterations": [
    {"iteration": 1, "draft": "a, b", "score": 0.0, "tokens_cum": 300},
    {"iteration": 2, "draft": "a b", "score": 1.0, "tokens_cum": 700},
    {"iteration": 3, "draft": "a; b", "score": 1.0, "tokens_cum": 1100}]}


def test_chosen_at_is_what_the_run_had_returned():
    assert evaluation.chosen_at(ROW, tokens=200) is None
    assert evaluation.chosen_at(ROW, tokens=699) == "a, b"
    assert evaluation.chosen_at(ROW) == "a b"  # the first of the best
    assert evaluation.chosen_at(ROW, iterations=1) == "a, b"


def _row(i, strategy, final, iters, tokens):
    return {"id": i, "strategy": strategy, "task": "constraints", "final": final, "tokens_total": tokens,
            "seconds": 1.0, "gold_constraints": [{"kind": "no_commas"}], "constraints": [{"kind": "no_commas"}],
            "iterations": [{"iteration": k + 1, "draft": d, "score": float("," not in d),
                            "tokens_cum": tokens * (k + 1) // len(iters)}
                           for k, d in enumerate(iters)]}


def test_summary_pairs_strategies_and_counts_harm():
    rows = []
    for i in range(10):
        rows.append(_row(i, "single_pass", "a, b", ["a, b"], 100))
        # IRG fixes 8 prompts; on 1 it had a right draft and returned a wrong one (harm)
        if i < 8:
            rows.append(_row(i, "irg_external", "a b", ["a, b", "a b"], 500))
        elif i == 8:
            rows.append(_row(i, "irg_external", "c, d", ["a b", "c, d"], 500))
        else:
            rows.append(_row(i, "irg_external", "a, b", ["a, b"], 500))
    s = evaluation.summarize(rows)
    irg = s["strategies"]["irg_external"]
    assert s["strategies"]["single_pass"]["quality"] == 0.0 and irg["quality"] == 0.8
    v = irg["vs_single_pass"]
    assert (v["wins"], v["losses"]) == (8, 0) and v["p_sign_test"] == pytest.approx(2 / 256)
    assert irg["harm_rate"] == pytest.approx(0.1) and v["anytime_index"] == pytest.approx(2.0)
    assert irg["by_iteration"][0] == 0.1 and irg["by_constraint_type"]["no_commas"]["met"] == 0.8
    assert s["extraction"]["precision"] == 1.0 and s["extraction"]["recall"] == 1.0


def test_runner_is_resumable_and_the_report_is_written(backend, tmp_path, monkeypatch):
    import irg.engine.models

    monkeypatch.setattr(irg.engine.models, "get_backend", lambda *a, **k: backend)
    items = suites.load("constraints", "dev", 2)
    base = RunConfig(max_iters=2, max_new_tokens=8, budget=800).to_dict()
    out = tmp_path / "results.jsonl"
    quality.run_suite(items, ["single_pass", "irg_external"], base, out, progress=False)
    quality.run_suite(items, ["single_pass", "irg_external"], base, out, progress=False)  # nothing left to do
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 4 and {r["strategy"] for r in rows} == {"single_pass", "irg_external"}
    assert all(r["tokens_total"] <= 800 and r["gold_constraints"] for r in rows)
    out.write_text(out.read_text() + '{"id": "k0')  # a line cut by a kill is dropped before the run appends
    assert len(field_values(out, "id", "strategy")) == 4
    quality.run_suite(items[:1], ["best_of_n"], base, out, progress=False)
    rows = [json.loads(line) for line in out.read_text().splitlines()]  # every line whole: the torn one is gone
    assert len(rows) == 5 and len(field_values(out, "id", "strategy")) == 5
    summary = evaluation.report(out, tmp_path)
    assert set(summary["strategies"]) == {"single_pass", "irg_external", "best_of_n"}
    page = (tmp_path / "report.html").read_text()
    assert "Quality vs token budget" in page and "Constraint extraction" in page and "plotly" in page.lower()


def test_cli_errors_are_one_line(tmp_path, capsys):
    from irg.bench.cli import main

    assert main(["quality", "--suite", "gsm8k", "--out", str(tmp_path)]) == 2
    assert "needs --data" in capsys.readouterr().out
    assert main(["quality", "--suite", "maths", "--max-iters", "0", "--out", str(tmp_path)]) == 2
    assert "at least 1" in capsys.readouterr().out


def test_compare_files_pairs_one_strategy_across_two_runs(tmp_path):
    import json

    from irg.bench.cli import main as bench_main
    from irg.evaluation.summary import compare_files

    def row(i, text, tokens):
        return {"id": f"k{i}", "strategy": "irg_hybrid", "task": "constraints", "prompt": "p", "final": text,
                "iterations": [{"iteration": 1, "draft": text, "score": 1.0, "tokens_cum": tokens}],
                "tokens_total": tokens,
                "gold_constraints": [{"kind": "lowercase"}], "answer": None, "reference": None}
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join(json.dumps(row(i, "all lower", 100)) for i in range(4)))
    b.write_text("\n".join(json.dumps(row(i, "Not Lower" if i < 3 else "ok", 150)) for i in range(4)))
    res = compare_files(a, b)
    assert res["n"] == 4 and res["wins"] == 3 and res["losses"] == 0 and res["diff"] == 0.75
    assert res["mean_tokens_a"] == 100 and res["mean_tokens_b"] == 150
    assert bench_main(["compare", str(a), str(b), "--strategy", "single_pass"]) == 2


def test_the_constraint_suite_file_is_the_seeded_composers_output():
    from irg.evaluation.suites.__main__ import main

    assert main(["build", "--check"]) == 0
