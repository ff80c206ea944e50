"""Paragraphs written as parts under a rule every paragraph keeps (seventeenth session): "Write three paragraphs. Open
every paragraph with a question." The outline's lines, which open the parts, are written under the rule's opening
(`Constraint.part_opening`), and each part is written at least as long as every paragraph must be
(`Constraint.part_least`)."""
import threading
from types import SimpleNamespace

import pytest

from irg.engine.backends import Generation, GenRequest
from irg.engine.compose.constraint import Composed
from irg.engine.compose.reader import read
from irg.engine.config import RunConfig
from irg.engine.constraints import from_dict
from irg.engine.decoding import DecodingConstraints
from irg.engine.events import DraftDone, Outlined
from irg.engine.parts import Parts, outline_request, parts_for, short, write
from irg.engine.values import Plan
from tests.engine.test_compose import _admits
from tests.engine.test_parts import Scripted

THREE = {"kind": "paragraph_count", "n": 3, "separator": "", "rel": "exactly"}


def composed(clause: str) -> Composed:
    (p,) = read(clause)
    return Composed(p.to_dict())


@pytest.mark.parametrize("clause,line,wrong", [
    ("Open every paragraph with a question.", "Why do trees matter so much to a town?", "Trees matter to a town."),
    ("Open each paragraph with a one-word sentence.", "Shade.", "Shade is good."),
    ("The first sentence of each paragraph must have at most 5 words.", "Trees cool the town.",
     "Trees cool every street in town."),
    ("Start each paragraph with the word Today.", "Today the park opened its gates.", "The park opened today."),
])
def test_an_outline_line_is_written_to_open_a_paragraph_as_the_rule_asks(clause, line, wrong):
    c = composed(clause)
    item = c.part_opening()
    assert item.startswith("item ::= ")
    req = outline_request([{"role": "user", "content": "Write about trees."}], Parts(3), DecodingConstraints(), item)
    g = req.constraints.grammar
    assert g.startswith('root ::= "1. " item "\\n" "2. " item "\\n" "3. " item "\\n"\n') and g.endswith(item)
    # the grammar admits a line that meets the rule and refuses one that breaks it (as the checker reads them)
    one = g.replace('root ::= "1. " item "\\n" "2. " item "\\n" "3. " item "\\n"', "root ::= item")
    assert _admits(one, line) and not _admits(one, wrong)
    assert not c.check(line + " Then the rest of the paragraph goes on.")


@pytest.mark.parametrize("clause", [
    "Each paragraph should have four to six sentences.", "Start every line with the word Home.",
    "The first sentence of the first paragraph must be a question."])
def test_no_opening_where_the_rule_says_nothing_of_every_paragraph_s_first_sentence(clause):
    assert composed(clause).part_opening() == ""


@pytest.mark.parametrize("clause,want", [
    ("Each paragraph should have four to six sentences.", (0, 4, 0)),
    # written to a quarter more (0.8 of a part's words is short), up to the paragraph's cap; never short of the least
    ("Keep every paragraph between forty and sixty words.", (50, 0, 40)),
    ("Keep every paragraph between forty and forty-five words.", (45, 0, 40)),
    ("Each paragraph needs at least 50 words.", (63, 0, 50)),
    ("Keep each paragraph under 60 words.", (0, 0, 0)),  # a cap, no least
])
def test_each_part_is_planned_at_least_as_long_as_every_paragraph_must_be(clause, want):
    p = parts_for([from_dict(THREE), composed(clause)], 256)
    assert (p.n, p.words, p.sentences, p.least) == (3, *want)
    assert parts_for([from_dict(THREE)], 256).words == parts_for([from_dict(THREE)], 256).sentences == 0
    if p.least:  # a part of 41 words is short of its planned 50, 45 or 63, and long enough only above the least
        assert short(" ".join(["word"] * (p.least - 1)) + ".", p) and (p.words * 0.8 > p.least
                                                                       or not short(" ".join(["w"] * p.least), p))


def test_every_paragraph_s_least_under_the_answer_s_most():
    forty = composed("Each paragraph needs at least 40 words.")
    p = parts_for([from_dict(THREE), from_dict({"kind": "word_count", "rel": "at_most", "n": 140}), forty], 256)
    assert (p.words, p.least) == (46, 40)  # 3 x 46 fits under 140 (the margin was 50: 150 words planned)
    assert parts_for([from_dict(THREE), from_dict({"kind": "word_count", "rel": "at_most", "n": 100}), forty],
                     256) is None  # 3 x 40 cannot fit under 100: not planned as parts


def test_the_parts_open_on_the_outline_written_under_the_rule():
    rule = composed("Open every paragraph with a question.")
    eng = Scripted("1. Why do trees matter to a town?\n2. What does shade save?\n3. Where do the roots go?\n",
                   " They cool the streets.", " Power, in the summer.", " Deep into the soil.")
    events = run_ruled(eng, rule)
    text = events[-1].text
    assert isinstance(events[0], Outlined) and isinstance(events[-1], DraftDone)
    assert eng.requests[0].constraints.grammar.endswith(rule.part_opening()) and not rule.check(text)
    assert text.split("\n\n")[1] == "What does shade save? Power, in the summer."


@pytest.mark.parametrize("clause", [
    "Every sentence must end with a question mark.", "Open every paragraph with a question.",
    "The final sentence has to be a question."])
def test_a_question_a_grammar_makes_opens_on_a_question_word(clause):
    # made to close a sentence on "?", the 135M model closed statements on it ("... off the dark walls as?")
    g = composed(clause).decoding().grammar
    assert _admits(g, "Why do parks matter?") and not _admits(g, "Parks matter to us all as?")
    assert not _admits(g, "Aremie went home as?")  # a question word, then a space: not the start of any word
    assert _admits(g, "why do parks matter?")  # under a lowercase-only mask too (found by a review)


class Ruled(Scripted):
    """Also answers a part's start under the paragraph's opening rule (a request whose grammar is the item's)."""

    def __init__(self, outline, starts, *parts):
        super().__init__(outline, *parts)
        self.starts = list(starts)

    def generate(self, req: GenRequest, cancel=None):
        if req.constraints.grammar.startswith("root ::= item\n"):
            self.requests.append(req)
            said = self.starts.pop(0)
            return Generation(req.constraints.forced_prefix + said, 10, len(said.split()), "stop", 0.0)
        return super().generate(req, cancel)


def run_ruled(eng, rule, prefix="", lowercase=False):
    ctx = SimpleNamespace(drafter=eng, cancel=threading.Event(), config=RunConfig(max_new_tokens=256), tokens=0,
                          prompt="Write about trees.", task="general", last_generation=None,
                          constraints=[from_dict(THREE), rule], budget_left=lambda: None)
    plan = Plan([], scaffold=["parts"], parts=Parts(3).to_dict())
    req = GenRequest([{"role": "user", "content": "Write about trees."}],
                     constraints=DecodingConstraints(forced_prefix=prefix, lowercase_only=lowercase))
    return list(write(ctx, plan, req, 1))


def test_a_part_whose_outline_line_was_left_out_opens_under_the_rule():
    # found by a review: the second line copies the first, is left out, and its part opened freely
    rule = composed("Open every paragraph with a question.")
    eng = Ruled("1. Why do trees matter to a town?\n2. Why do trees matter to a city?\n3. Where do the roots go?\n",
                ["What does shade save?"], " They cool the streets.", " Power, in the summer.", " Deep in the soil.")
    text = run_ruled(eng, rule)[-1].text
    assert not rule.check(text) and text.split("\n\n")[1] == "What does shade save? Power, in the summer."
    start = next(r for r in eng.requests if r.constraints.grammar.startswith("root ::= item"))
    assert start.constraints.grammar.endswith(rule.part_opening()) and start.max_new_tokens > 3


def test_a_ruled_outline_line_keeps_its_lead_in_and_a_start_phrase_is_followed_by_line_one():
    rule = composed("Start each paragraph with the word Today.")
    eng = Ruled("1. Today - the park opened its gates.\n2. Today we walked to the lake.\n3. Today it rained.\n",
                [], " People came.", " It was cold.", " We went home.")
    text = run_ruled(eng, rule)[-1].text
    assert text.startswith("Today - the park opened its gates. People came.") and not rule.check(text)
    q = composed("Open every paragraph with a question.")
    eng = Ruled("1. Why do trees matter to a town?\n2. What does shade save?\n3. Where do the roots go?\n", [],
                " They cool the streets.", " Power.", " Deep in the soil.")
    text = run_ruled(eng, q, prefix='"')[-1].text  # the answer wrapped in quotation marks: the prefix, then line one
    assert text.startswith('"Why do trees matter to a town? They cool') and not q.check(text)


def test_transformers_keeps_no_hard_ngram_ban_under_a_grammar_that_counts_words(backend):
    # a review found: "- " after a repeated line end was the only token the bullet grammar allowed, and the hard
    # no_repeat_ngram_size ban of transformers removed it (llama.cpp's DRY is a penalty, broken at line ends)
    dc = composed("Keep every bullet under 5 words.").decoding()
    assert dc.whole_words and dc.no_repeat_ngram == 4
    kw = backend._generate_kwargs(GenRequest([{"role": "user", "content": "hi"}], constraints=dc), threading.Event(), 4)
    assert "no_repeat_ngram_size" not in kw
    kw = backend._generate_kwargs(GenRequest([{"role": "user", "content": "hi"}],
                                             constraints=DecodingConstraints(no_repeat_ngram=4)), threading.Event(), 4)
    assert kw["no_repeat_ngram_size"] == 4


def test_no_ruled_outline_under_a_case_mask():
    # the openings are in sentence case; under a lowercase-only mask the plan would have had to let the mask go
    rule = composed("Open every paragraph with a question.")
    eng = Scripted("1. why do trees matter to a town?\n2. what does shade save?\n3. where do the roots go?\n",
                   " they cool the streets.", " power.", " deep in the soil.")
    run_ruled(eng, rule, lowercase=True)
    assert not eng.requests[0].constraints.grammar.endswith(rule.part_opening())
    assert eng.requests[0].constraints.lowercase_only
