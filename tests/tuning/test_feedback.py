"""The feedback module of distillation with feedback (issue 7): repairs, drops and rejections, each recorded."""
import pytest

from tuning.distill.feedback import feedback, split_steps


def test_a_wrong_step_is_repaired_and_the_chain_follows():
    fb = feedback("12 * 4 = 46\n46 + 3 = 49\nThe answer is 49.", gold="51")
    assert fb.rationale == "12 * 4 = 48\n48 + 3 = 51\nThe answer is 51."
    assert [c.action for c in fb.changes] == ["repaired", "repaired", "repaired"]
    assert fb.changes[0].why == "46 -> 48"


def test_redundant_and_commentary_steps_are_dropped():
    text = ("Let's think step by step.\nTom has 12 apples.\nTom has 12 apples.\nHe buys 3 * 4 = 12 more.\n"
            "So he is happy.\n12 + 12 = 24\nThe answer is 24.")
    fb = feedback(text, gold="24")
    assert fb.rationale == "Tom has 12 apples.\nHe buys 3 * 4 = 12 more.\n12 + 12 = 24\nThe answer is 24."
    assert [c.why for c in fb.changes if c.action == "dropped"] == [
        "no quantity in it: commentary, not a step", "repeats an earlier step",
        "no quantity in it: commentary, not a step"]
    assert (fb.steps_in, fb.steps_out) == (7, 4)


def test_a_wrong_final_answer_is_rejected_not_taught():
    fb = feedback("5 * 6 = 30\n30 - 10 = 20\nThe answer is 20.", gold="18")
    assert fb.rationale is None and fb.reason == "final answer 20, gold 18"


def test_a_missing_final_line_is_added_when_the_last_value_is_right():
    fb = feedback("5 * 6 = 30\n30 - 12 = 18", gold="18")
    assert fb.rationale.endswith("The answer is 18.") and fb.changes[-1].action == "added"
    assert feedback("5 * 6 = 30", gold="18").reason == "no final answer"


@pytest.mark.parametrize("text,n", [("", 0), ("One. Two has 2.", 2), ("a\n\nb\n", 2),
                                    ("It costs 2.50 dollars. Then 3.", 2)])
def test_a_solution_splits_into_its_steps(text, n):
    assert len(split_steps(text)) == n


def test_non_numeric_gold_is_a_reason():
    assert feedback("The answer is 3.", gold="three").reason.startswith("the gold answer")


def test_the_final_answer_must_be_computed_by_a_step():
    assert feedback("Tom buys some.\nI will add 4 to it.\nThe answer is 4.",
                    gold="4").reason.startswith("no step computes 4")
    assert feedback("29.\nThe final answer is 29.", gold="29").rationale is None
    assert feedback("7 * 4 = 28\n28 + 10 = 38\nThe answer is 38.", gold="38").rationale is not None


def test_a_repeated_calculation_is_dropped():
    fb = feedback("2 * 10 = 20\nSo the total is 2 * 10 = 20 stamps.\n20 + 6 = 26\nThe answer is 26.", gold="26")
    assert fb.rationale == "2 * 10 = 20\n20 + 6 = 26\nThe answer is 26."
    assert [c.why for c in fb.changes] == ["repeats an earlier calculation"]
