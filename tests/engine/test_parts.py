"""Long answers written part by part (irg/engine/parts.py): which minimums call for parts, the outline as openings, the
parts' continuations and their guards (a scripted engine), the planner's part, and the loop on the tiny model."""
import io
import threading
from types import SimpleNamespace

import pytest

from irg.engine.backends import Generation, GenRequest
from irg.engine.config import RunConfig
from irg.engine.constraints import from_dict
from irg.engine.events import DraftDone, DraftToken, Outlined, PlanDone
from irg.engine.part_guards import junk, unrepeated, usable
from irg.engine.parts import (
    START,
    TITLE,
    TWO,
    Parts,
    first_draft,
    grown,
    literals,
    opening,
    openings,
    parts_for,
    write,
)
from irg.engine.plan import TemplatePlanner
from irg.engine.values import Finding, Iteration, Plan, Report
from irg.views.cli import print_events


def cons(*ds):
    return [from_dict(d) for d in ds]


WORDS = {"kind": "word_count", "rel": "at_least", "n": 500}


@pytest.mark.parametrize("ds,want", [
    ([WORDS], (6, 88, 0, "\n\n", "")),
    ([{"kind": "sentence_count", "rel": "at_least", "n": 20}], (4, 0, 5, "\n\n", "")),
    ([{"kind": "paragraph_count", "n": 6, "separator": "", "rel": "at_least"}], (6, 0, 0, "\n\n", "")),
    ([{"kind": "paragraph_count", "n": 4, "separator": "***"}, WORDS], (4, 132, 0, "\n***\n", "")),  # exactly 4
    ([{"kind": "sections", "n": 3, "marker": "Part"}], (3, 0, 0, "\n\n", "Part")),
    ([WORDS, {"kind": "paragraph_count", "n": 8, "separator": "", "rel": "at_least"}], (8, 66, 0, "\n\n", "")),
    # a cap three parts can keep
    ([{"kind": "paragraph_count", "n": 3, "separator": "***"}, {"kind": "word_count", "rel": "at_most", "n": 150}],
     (3, 0, 0, "\n***\n", "")),
])
def test_long_minimums_call_for_parts(ds, want):
    p = parts_for(cons(*ds), 256)
    assert (p.n, p.words, p.sentences, p.separator, p.marker) == want
    assert p.why and Parts.from_dict(p.to_dict()) == p


@pytest.mark.parametrize("ds", [
    [{"kind": "word_count", "rel": "at_least", "n": 120}],  # one draft holds it
    [{"kind": "sentence_count", "rel": "at_least", "n": 5}],
    [{"kind": "paragraph_count", "n": 2, "separator": ""}],
    [WORDS, {"kind": "bullet_count", "rel": "exactly", "n": 3}],  # a list is not paragraphs
    [WORDS, {"kind": "json_format"}],
    [WORDS, {"kind": "word_count", "rel": "at_most", "n": 300}],  # the prompt's own limits cannot both hold
    [{"kind": "word_count", "rel": "at_most", "n": 900}],  # a maximum asks for no length
    [WORDS, {"kind": "sentence_count", "rel": "less_than", "n": 3}],  # 6 parts cannot be 2 sentences
    # three parts of at least ~28 words each cannot keep fifty words, nor two sentences each five sentences
    [{"kind": "paragraph_count", "n": 3, "separator": "***"}, {"kind": "word_count", "rel": "at_most", "n": 50}],
    [{"kind": "paragraph_count", "n": 3, "separator": "***"}, {"kind": "sentence_count", "rel": "at_most", "n": 5}],
    [{"kind": "paragraph_count", "n": 3, "separator": "***"}, {"kind": "word_count", "rel": "exactly", "n": 100}],
])
def test_short_or_other_bodies_do_not(ds):
    assert parts_for(cons(*ds), 256) is None


def test_only_an_answer_longer_than_a_draft_is_planned_before_its_first_draft():
    assert first_draft(parts_for(cons(WORDS), 256), 256)
    assert not first_draft(parts_for(cons({"kind": "sentence_count", "rel": "at_least", "n": 9}), 256), 256)
    assert not first_draft(None, 256)
    assert grown(Parts(3, 90, 4), 1.3) == Parts(3, 117, 6)
    assert grown(Parts(3, 90), 9.0).words == 144  # at most 1.6 times longer: a part must still fit a draft


@pytest.mark.parametrize("line,want", [
    ("1. Introduction - Cities should plant more trees. They cool the streets.", "Cities should plant more trees."),
    ("2. **Body Paragraph 2:** Shade saves energy in summer.", "Shade saves energy in summer."),
    ("3. Trees clean the air we breathe every day", "Trees clean the air we breathe every day"),
    ("4. Dr. Smith planted the first oak. It grew.", "Dr. Smith planted the first oak."),
    # a tail that ends no sentence goes, but a stop in "Mr.", "U.S." or "3.5" is none; emphasis is the program's
    ("2. Every small action adds up, so recycle! *highlighted*", "Every small action adds up, so recycle!"),
    ("1. Mr. Smith walks the dog every day and", "Mr. Smith walks the dog every day and"),
    ("1. It was 3.5 miles long and", "It was 3.5 miles long and"),
    ("1. The U.S. economy grew fast in", "The U.S. economy grew fast in"),
    ("1. *Sorting* is the **first** step", "Sorting is the first step"),
])
def test_an_outline_line_becomes_an_opening(line, want):
    assert opening(line) == want


@pytest.mark.parametrize("part", ["Great news! #sourdough #baking", "Call (555) 123-4567 today.", "We loved it 😊.",
                                  "This essay will explain the rest.", "500 words; 4 paragraphs total.",
                                  "FINISHED MARKETS NOW OPEN today.", "and then the rain came.",
                                  "I am your friendly AI assistant."])
def test_what_a_reader_called_debris_is_not_kept_as_a_part(part):
    assert junk(part) and not usable(part, "Trees cool cities.")
    assert not junk("Dr. Smith's NASA team planted 40 oaks in 2020.")


def test_a_part_is_cut_at_its_first_sentence_that_repeats_the_text_before():
    before = "Our lunch box uses only the best materials. It keeps food hot."
    new = "It comes in four colours. Every box uses only the best materials. It is light."
    assert unrepeated(new, before) == "It comes in four colours."
    assert unrepeated("It is new and it is light. It is new and it is light too. Fine.", "") == \
        "It is new and it is light."  # a repeat within the part too
    assert unrepeated("Shade saves energy in summer.", before) == "Shade saves energy in summer."


def test_lines_about_the_answer_and_copies_are_left_out():
    got = openings("1. The first paragraph is about how trees cool cities.\n2. Trees cool the streets in summer.\n"
                   "3. Trees cool the streets in summer too.\n4. Shade saves energy.\n")
    assert got == ["", "Trees cool the streets in summer.", "", "Shade saves energy."]


class Scripted:
    """An engine that answers an outline request with numbered lines and continues any forced prefix with the next
    scripted part; it records the requests."""

    context_length = 2048

    def __init__(self, outline, *parts):
        self.outline, self.parts, self.requests = outline, list(parts), []

    def count_tokens(self, text):
        return len(text.split())

    def count_prompt_tokens(self, req):
        return 10 + self.count_tokens(req.constraints.forced_prefix)

    def generate(self, req: GenRequest, cancel=None):
        self.requests.append(req)
        if req.constraints.grammar == START:  # a part with no opening starts on a capital: the part's first word
            said = self.parts.pop(0) if self.parts else " The end."
            first, rest = said.split(" ", 2)[1], " " + said.split(" ", 2)[2]
            self.parts.insert(0, rest)
            return Generation(req.constraints.forced_prefix + " " + first, self.count_prompt_tokens(req), 1, "length",
                              0.0)
        if req.constraints.grammar == TITLE:
            return Generation("<<Trees in town>>", 12, 6, "stop", 0.0)
        if req.constraints.grammar:
            return Generation(self.outline, 12, 20, "stop", 0.0)
        said = self.parts.pop(0) if self.parts else " The end."
        return Generation(req.constraints.forced_prefix + said, self.count_prompt_tokens(req),
                          len(said.split()), "stop", 0.0)


def ctx_for(engine, budget=None, constraints=()):
    cfg = RunConfig(max_new_tokens=256)
    return SimpleNamespace(drafter=engine, cancel=threading.Event(), config=cfg, tokens=0, prompt="Write about trees.",
                           task="general", last_generation=None, constraints=list(constraints),
                           budget_left=lambda: None if budget is None else budget)


def run_parts(engine, parts, budget=None, constraints=()):
    ctx = ctx_for(engine, budget, constraints)
    plan = Plan([], scaffold=[parts.describe()], parts=parts.to_dict())
    req = GenRequest([{"role": "user", "content": "Write about trees."}])
    events = list(write(ctx, plan, req, 1))
    return ctx, events


def test_each_part_opens_with_its_outline_sentence_and_the_program_lays_the_separators():
    eng = Scripted("1. Trees cool cities.\n2. Shade saves energy.\n3. Roots hold the soil.\n",
                   " They lower the heat of streets by a few degrees.", " Cool rooms need less power.",
                   " Rain does not wash the hills away.")
    ctx, events = run_parts(eng, Parts(3, 5, 0, "\n***\n"))
    done = events[-1]
    assert isinstance(events[0], Outlined) and events[0].openings == ["Trees cool cities.", "Shade saves energy.",
                                                                       "Roots hold the soil."]
    assert isinstance(done, DraftDone) and done.text == (
        "Trees cool cities. They lower the heat of streets by a few degrees.\n***\nShade saves energy. Cool rooms "
        "need less power.\n***\nRoots hold the soil. Rain does not wash the hills away.")
    assert "".join(e.text for e in events if isinstance(e, DraftToken)) == done.text  # the views see every part
    outline = eng.requests[0].constraints
    assert outline.grammar.startswith('root ::= "1. " item "\\n" "2. " item') and "paragraph" in outline.banned_words
    for r in eng.requests[1:]:
        assert "\n" in r.constraints.banned_chars and r.constraints.min_new_tokens >= 16
    assert eng.requests[2].constraints.forced_prefix.endswith("degrees.\n***\nShade saves energy.")
    # the outline in full; the first part's whole prompt; later parts only what the engine's cache does not hold
    assert ctx.tokens == 32 + done.prompt_tokens + done.completion_tokens
    assert done.prompt_tokens < sum(eng.count_prompt_tokens(r) for r in eng.requests[1:])
    assert literals(Plan(parts=Parts(3, separator="\n***\n").to_dict()), eng.requests[1].constraints).grammar \
        == 'root ::= "\\n***\\n"'


def test_a_part_that_copies_is_drawn_again_and_the_answer_ends_when_no_draw_is_usable():
    same = " The heat of the streets falls by a few degrees in the summer."
    eng = Scripted("1. Trees cool cities.\n2. Trees cool cities.\n3. Roots hold the soil.\n",
                   same, same, " Cool rooms need much less power in the afternoon.", same, same)
    ctx, events = run_parts(eng, Parts(3, 5, 0))
    text = events[-1].text
    assert events[0].openings[1] == ""  # the copied outline line: its part opens freely
    assert text == ("Trees cool cities." + same + "\n\nCool rooms need much less power in the afternoon.")
    # outline; part 1 greedy; part 2 (no opening: a capital start first) greedy (a copy), then sampled (usable);
    # part 3 greedy and sampled: two copies
    assert [r.temperature for r in eng.requests[1:]] == [0.0, 0.0, 0.0, 0.7, 0.7, 0.0, 0.7]
    assert [r.constraints.grammar == START for r in eng.requests[1:]] == [False, True, False, True, False, False,
                                                                         False]


def test_a_title_the_prompt_asks_for_comes_first():
    eng = Scripted("1. Trees cool cities.\n2. Shade saves energy.\n", " They lower the heat.", " Rooms stay cool.")
    ctx, events = run_parts(eng, Parts(2, 3, 0), constraints=cons({"kind": "title"}))
    assert events[-1].text == "<<Trees in town>>\n\nTrees cool cities. They lower the heat.\n\nShade saves energy. " \
        "Rooms stay cool."
    assert not from_dict({"kind": "title"}).check(events[-1].text)


def test_the_budget_ends_the_parts():
    eng = Scripted("1. Trees cool cities.\n2. Shade saves energy.\n", " They lower the heat.", " It does.")
    ctx, events = run_parts(eng, Parts(2, 60, 0), budget=100)
    assert events[0].tokens == 0 and events[0].openings == []  # no room for an outline beside the parts
    assert events[-1].finish_reason == "budget" and ctx.tokens <= 100


def report_short(draft_words: int) -> Report:
    c = from_dict(WORDS)
    return Report([Finding("word_count", "critical", f"{draft_words} words; needs at least 500.",
                           constraint=c.to_dict())], 0.0)


def test_the_planner_plans_parts_before_a_long_answer_and_lengthens_them_after_a_short_one():
    planner = TemplatePlanner("slots", cons(WORDS), 256)
    first = planner.opening()
    assert first.parts == parts_for(cons(WORDS), 256).to_dict() and first.scaffold[0].startswith("written part")
    assert TemplatePlanner("masks", cons(WORDS), 256).opening() is None  # scaffolds are not on at that level
    assert TemplatePlanner("slots", cons({"kind": "word_count", "rel": "at_least", "n": 50}), 256).opening() is None
    draft = " ".join(["tree"] * 400)
    it = Iteration(1, draft, report_short(400), None, 0, 0.0)
    nxt = planner.plan("p", it.report, (it,), first)
    assert nxt.parts["words"] == grown(Parts.from_dict(first.parts), 500 / 400).words > first.parts["words"]
    assert nxt.constraints.min_new_tokens == 0  # the parts size themselves; no whole-draft end ban
    # a short free draft of a shorter minimum is planned in parts next
    nine = from_dict({"kind": "sentence_count", "rel": "at_least", "n": 9})
    p2 = TemplatePlanner("slots", [nine], 256)
    short = Report([Finding("sentence_count", "critical", "6 sentences; needs at least 9.", constraint=nine.to_dict())])
    assert p2.opening() is None and p2.plan("p", short, (), None).parts == parts_for([nine], 256).to_dict()


def test_the_cli_and_the_app_show_the_outline():
    from irg.views.run_view import RunView

    ev = Outlined(1, Parts(2).to_dict(), ["Trees cool <cities>.", ""], 30, Parts(2).describe())
    out = io.StringIO()
    print_events([ev], out)
    assert "1. Trees cool <cities>." in out.getvalue() and "left out" in out.getvalue()
    view = RunView()
    view.add(ev)
    html = view.cards_html()
    assert "Outline first" in html and "Trees cool &lt;cities&gt;." in html and "written part by part" in html


def test_the_loop_writes_a_long_answer_part_by_part_on_the_tiny_model(backend):
    from irg.engine.strategies import run

    events = list(run("Write about the sea. Use at least 400 words.", backend,
                      RunConfig(max_iters=2, max_new_tokens=64, budget=3000)))
    outlined = [e for e in events if isinstance(e, Outlined)]
    assert outlined and outlined[0].iteration == 1 and outlined[0].parts["n"] >= 2
    drafts = [e for e in events if isinstance(e, DraftDone)]
    assert drafts[0].prompt_tokens + drafts[0].completion_tokens > 0
    assert all("parts" in e.plan for e in events if isinstance(e, PlanDone))


# ---- two responses (issue 38): two parts around a ****** line --------------------------------------------------
TWO_RESPONSES = {"kind": "two_responses"}


@pytest.mark.parametrize("ds,want", [
    ([TWO_RESPONSES], (2, 60, 0)),
    ([TWO_RESPONSES, {"kind": "word_count", "rel": "at_least", "n": 200}], (2, 105, 0)),  # half each, a margin
    ([TWO_RESPONSES, {"kind": "word_count", "rel": "at_most", "n": 80}], (2, 32, 0)),  # room under the limit
    ([TWO_RESPONSES, {"kind": "sentence_count", "rel": "at_least", "n": 6}], (2, 60, 3)),
    ([TWO_RESPONSES, {"kind": "highlighted_sections", "n": 2}], (2, 60, 0)),
])
def test_two_responses_are_two_parts_around_six_asterisks(ds, want):
    p = parts_for(cons(*ds), 256)
    assert (p.n, p.words, p.sentences, p.separator, p.marker) == (*want, TWO, "")
    # the first draft stays free (the parts come once the rules find one response), unless it cannot hold the length
    assert first_draft(p, 256) == (p.words > 100)
    assert p.describe().startswith("two responses written one after the other")


@pytest.mark.parametrize("ds", [
    [TWO_RESPONSES, {"kind": "paragraph_count", "n": 3, "separator": "***"}],  # whose paragraphs: not known
    [TWO_RESPONSES, {"kind": "bullet_count", "rel": "exactly", "n": 3}],
    [TWO_RESPONSES, {"kind": "sentence_count", "rel": "at_most", "n": 1}],  # two parts are two sentences at least
    # a part is at least 40 tokens and runs to its full stop: two of them cannot keep these limits
    [TWO_RESPONSES, {"kind": "word_count", "rel": "less_than", "n": 50}],
    [TWO_RESPONSES, {"kind": "sentence_count", "rel": "at_most", "n": 3}],
])
def test_two_responses_with_a_structure_of_their_own_are_not_parts(ds):
    assert parts_for(cons(*ds), 256) is None


def test_two_responses_are_written_apart_and_a_copy_of_the_first_is_drawn_again():
    first = " Bins for paper and glass stand in every street of the town."
    eng = Scripted("1. Recycling gives old things a new life.\n2. *Sorting* is the first step. **highlighted**\n",
                   first, " Bins for paper and glass stand in every street of the town too.",
                   " Paper goes in the blue bin and glass in the green one.")
    ctx, events = run_parts(eng, Parts(2, 5, 0, TWO))
    text = events[-1].text
    assert events[0].openings == ["Recycling gives old things a new life.", "Sorting is the first step."]
    assert text == ("Recycling gives old things a new life." + first + "\n******\nSorting is the first step. Paper "
                    "goes in the blue bin and glass in the green one.")
    assert not from_dict(TWO_RESPONSES).check(text)
    assert "responses" in eng.requests[0].messages[-1]["content"]  # the outline asks for the responses' openings
    for r in eng.requests[1:]:  # one line each, and no asterisk: the separator is the program's alone
        assert {"\n", "*"} <= set(r.constraints.banned_chars)


def test_the_planner_writes_two_responses_as_parts_once_the_rules_find_one():
    c = from_dict(TWO_RESPONSES)
    planner = TemplatePlanner("slots", [c], 256)
    assert planner.opening() is None
    found = Report([Finding("two_responses", "critical", "1 non-empty responses separated by ******; needs 2 "
                            "different ones.", fix=c.instruction(), constraint=c.to_dict())], 0.0)
    plan = planner.plan("p", found, (), None)
    assert plan.parts == parts_for([c], 256).to_dict() and not plan.constraints.grammar
    assert c.instruction() not in plan.instructions  # the program lays the ****** line; the model is not told to
    assert TemplatePlanner("masks", [c], 256).plan("p", found, (), None).parts is None


def test_two_responses_grow_only_toward_a_minimum():
    """An over-limit finding never lengthens two responses written as parts; a short one does."""
    two, most = from_dict(TWO_RESPONSES), from_dict({"kind": "word_count", "rel": "at_most", "n": 120})
    planner = TemplatePlanner("slots", [two, most], 256)
    over = Report([Finding("word_count", "critical", "200 words; needs at most 120.", constraint=most.to_dict())])
    assert planner.parts(over, (), None) is None  # two responses met, one limit broken: no parts for that
    prev = Plan(parts=parts_for([two, most], 256).to_dict())
    assert planner.parts(over, (Iteration(1, "x " * 200, over, None, 0, 0.0),), prev) == Parts.from_dict(prev.parts)
