"""General rule checks, the critic parser, analyzers and scores."""
import pytest

from irg.engine.analyze import AnalysisInput, HybridAnalyzer, InternalAnalyzer, RuleAnalyzer, parse_critique
from irg.engine.answers import detect_task, final_answer
from irg.engine.checks import check_arithmetic, check_empty, check_math_answer, check_repetition, check_truncated
from irg.engine.constraints import extract_all


@pytest.mark.parametrize("text,wrong", [
    ("12 * 4 = 46", ["12 * 4"]),
    ("12 * 4 = 48", []),
    ("3 x 4 = 12 and 10 / 4 = 2.5", []),
    ("Total: $1,200 + $300 = $1,500.", []),
    ("5 + 3 = 8 + 2 = 11", ["8 + 2"]),
    ("15*0.20=3 so <<15*0.20=3>>3", []),
    ("10 / 3 = 3.33", []),
    ("7 - 2 = 4 and 6 ÷ 2 = 3", ["7 - 2"]),
    ("The year 2020 = a good year", []),
])
def test_every_stated_sum_is_recomputed_and_a_wrong_one_is_critical(text, wrong):
    found = check_arithmetic(text)
    assert [f.message.split("'")[1].split(" =")[0] for f in found] == wrong
    assert all(f.severity == "critical" and f.where.startswith("chars") for f in found)


def test_arithmetic_fix_hint_gives_correct_value():
    (f,) = check_arithmetic("so 12 * 4 = 46.")
    assert "48" in f.fix and "46" in f.fix


def test_repetition_and_lines():
    assert check_repetition("the cat sat on the mat " * 10)[0].severity == "critical"
    assert check_repetition("A fresh sentence about one thing. Another idea entirely different. " * 1) == []
    lines = "\n".join(["this line is repeated here"] * 3 + ["something else that is long enough to count"])
    assert check_repetition(lines)[0].check == "repetition"


def test_empty_and_truncated():
    assert check_empty("   ")[0].severity == "critical"
    assert check_truncated("It was the best of", finish_reason="length")[0].check == "truncated"
    assert check_truncated("It was the best.", finish_reason="length") == []
    assert check_truncated("It was the best of", finish_reason="stop") == []


@pytest.mark.parametrize("text,ans", [
    ("so 3 + 4 = 7. The answer is 7.", "7"),
    ("#### 1,250", "1250"),
    ("The answer is: $12.50", "12.5"),
    ("\\boxed{42}", "42"),
    ("I think it is seven.", None),
])
def test_the_final_number_is_read_from_each_answer_format(text, ans):
    assert final_answer(text) == ans


def test_math_task_detection_and_answer_format():
    q = "Tom has 3 apples and buys 5 more. How many apples does he have?"
    assert detect_task(q) == "math"
    assert detect_task("Write a poem about 2 cats.") == "general"
    assert check_math_answer("He has 8 apples.", task="math")[0].check == "math_answer"
    assert check_math_answer("3 + 5 = 8. The answer is 8.", task="math") == []
    assert check_math_answer("He has 8 apples.", task="general") == []


@pytest.mark.parametrize("raw,problems,score,none", [
    ("PROBLEM: uses commas\nPROBLEM: too short\nSCORE: 4/10", ["uses commas", "too short"], 0.4, False),
    ("PROBLEM: none\nSCORE: 9/10", [], 0.9, True),
    ("PROBLEM: none", [], None, True),
    ("PROBLEM: The answer is long. PROBLEM: The answer is long. SCORE: 12", ["The answer is long."], 0.12, False),
    ("The answer talks about cats. It is good overall.", ["The answer talks about cats."], None, False),
    ("- too vague\n- no example\nscore = 3", ["too vague", "no example"], 0.3, False),
    ("", [], None, False),
])
def test_parse_critique_is_robust(raw, problems, score, none):
    p, s, n = parse_critique(raw)
    assert p == problems and n == none
    assert (s is None and score is None) or s == pytest.approx(score)


def test_rule_analyzer_scores_constraints_and_general_findings():
    prompt = "Write about the sea in all lowercase letters and without any commas."
    cons = extract_all(prompt)
    rep = RuleAnalyzer().analyze(AnalysisInput(prompt, "the sea, the sky.", cons))
    assert (rep.constraints_total, rep.constraints_met, rep.score) == (2, 1, 0.5)
    assert rep.has_critical
    ok = RuleAnalyzer().analyze(AnalysisInput(prompt, "the sea is blue.", cons))
    assert ok.score == 1.0 and not ok.has_critical and ok.tokens == 0
    # a general finding lowers the score without being a constraint
    trunc = RuleAnalyzer().analyze(AnalysisInput(prompt, "the sea is blue and", cons, finish_reason="length"))
    assert trunc.score == pytest.approx(0.8) and not trunc.has_critical


def test_hybrid_rules_authoritative_model_advisory(backend):
    prompt = "Write about the sea without any commas."
    a = AnalysisInput(prompt, "the sea is calm.", extract_all(prompt))
    rep = HybridAnalyzer(backend, max_new_tokens=12).analyze(a)
    assert rep.score == 1.0 and not rep.has_critical  # the critic cannot veto what rules accept
    assert all(f.severity != "critical" for f in rep.findings if f.source == "model")
    assert rep.tokens > 0 and rep.critic_text.startswith("PROBLEM:")


def test_hybrid_when_rules_pass_asks_the_critic_only_then(backend):
    prompt = "Write about the sea without any commas."
    h = HybridAnalyzer(backend, max_new_tokens=12, critic="when_rules_pass")
    bad = h.analyze(AnalysisInput(prompt, "the sea, the sky.", extract_all(prompt)))
    assert bad.has_critical and bad.tokens == 0 and "not asked" in bad.critic_text
    assert all(f.source == "rule" for f in bad.findings)
    good = h.analyze(AnalysisInput(prompt, "the sea is calm.", extract_all(prompt)))
    assert good.tokens > 0 and good.critic_text.startswith("PROBLEM:") and not good.has_critical
    # nothing for rules to check: the critic is the judge, as with "always"
    free = h.analyze(AnalysisInput("Tell me about the sea.", "the sea is calm.", []))
    assert free.tokens > 0


def test_internal_analyzer_spends_tokens_and_respects_allowance(backend):
    a = AnalysisInput("Say hi.", "hi", [], token_allowance=5)
    rep = InternalAnalyzer(backend, 12).analyze(a)
    assert rep.tokens == 0 and "skipped" in rep.critic_text
    rep = InternalAnalyzer(backend, 12).analyze(AnalysisInput("Say hi.", "hi", []))
    assert rep.tokens > 0 and 0.0 <= rep.score <= 1.0


@pytest.mark.parametrize("text", ["🎵" * 60, "!!!! " * 40, "ha " * 60])
def test_degenerate_patterns_are_critical(text):
    (f,) = check_repetition(text)
    assert f.severity == "critical"


def test_revision_shows_previous_draft_as_assistant_turn():
    from irg.engine.loop import draft_messages
    from irg.engine.values import Plan

    msgs = draft_messages("Write a poem.", "general", Plan(["Use no commas."]), "old, draft")
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user"]
    assert msgs[2]["content"] == "old, draft" and "Use no commas." in msgs[3]["content"]
    msgs = draft_messages("Write a poem.", "general", Plan(["Use no commas."]), "old", include_previous=False)
    assert len(msgs) == 2 and "Use no commas." in msgs[1]["content"] and "old" not in msgs[1]["content"]
