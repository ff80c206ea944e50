"""Issue 14: the degeneration guard, lossless rendering, scaffolds and grammars (llguidance on transformers),
suffixes the program lays down, and the structure levels of the plan — on tiny models."""
import re

import pytest

from irg.engine.backends import GenRequest
from irg.engine.config import RunConfig
from irg.engine.constraints import extract_all, from_dict
from irg.engine.decoding import DecodingConstraints
from irg.engine.degenerate import degeneration
from irg.engine.events import CritiqueDone, PlanDone, Rendered
from irg.engine.plan import TemplatePlanner
from irg.engine.record import Recorder
from irg.engine.render import render
from irg.engine.scaffold import build, program_chars
from irg.engine.strategies import run
from irg.engine.values import Finding, Report


@pytest.mark.parametrize("text", [
    "I,\nA\nL\nI\nT\nS\nO\nN\nE",                       # one capital per line: the uppercase mask's debris
    "*A*\n*B*\n*C*\n*D*\n*E*\n*F*\n*G*\n*H*\n*I*\n*J*",  # single letters
    "****\n\n****\n\n****\n\n****\n\n****\n\n****\n\n****",  # symbols, no words
    "🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊",
    "BREAKFAST, " * 30,
    "the the the the the the the the cat the the the the the the",
])
def test_degenerate_drafts_are_named(text):
    assert degeneration(text)


@pytest.mark.parametrize("text", [
    "Yes.", "My answer is no.", "I'm not sure. I'm not sure.",
    "19 + 7 = 26\n26 - 1 = 25\n25 x 2 = 50\nThe answer is 50.",
    '{"name": "Luna", "age": 3, "likes": ["fish", "sun"]}',
    "* Dress well.\n* Arrive early.\n* Bring your CV.\n* Smile.",
    "In the quiet harbour the boats rock gently while gulls circle overhead, and a fisherman mends his net.",
    "A haiku:\nold pond, a frog jumps\nthe sound of water",
])
def test_real_text_is_not_degenerate(text):
    assert degeneration(text) is None


def cons(*ds):
    return [from_dict(d) for d in ds]


def test_render_applies_pure_form_and_labels_each_step():
    text, steps = render("Hello, world. I have 1,000 apples.", cons({"kind": "no_commas"}, {"kind": "uppercase"}))
    assert text == "HELLO WORLD. I HAVE 1000 APPLES." and [s.label for s in steps] == ["rendered: commas removed",
                                                                                      "rendered: uppercase"]
    text, steps = render("Hi there", cons({"kind": "quotation"}))
    assert text == '"Hi there"' and steps[0].added == 2
    text, _ = render("not json", cons({"kind": "json_format"}))
    assert from_dict({"kind": "json_format"}).check(text) == [] and '"not json"' in text


@pytest.mark.parametrize("rel,n,text,want", [
    ("at_least", 2, "I love the summer holidays by the beautiful seaside.\nIt is wonderful.",
     "I love the summer holidays by the BEAUTIFUL seaside.\nIt is WONDERFUL."),
    ("less_than", 2, "I LOVE THE SUMMER by the sea NASA.", "I LOVE The Summer by the sea Nasa."),
    ("exactly", 1, "We went to the lake.", "We WENT to the lake."),
])
def test_capital_word_counts_are_rendered_by_case_alone(rel, n, text, want):
    c = from_dict({"kind": "capital_word_frequency", "rel": rel, "n": n})
    got, steps = render(text, [c])
    assert got == want and c.check(got) == [] and steps[0].added == 0
    assert got.lower() == text.lower()  # not a word added, removed or changed but for its case


def test_highlights_wrap_the_models_own_words_away_from_the_first_and_last_lines():
    cs = cons({"kind": "highlighted_sections", "n": 2}, {"kind": "end_phrase", "phrase": "End with this."})
    text = "Title line here\nThe garden grows tomatoes and cucumbers in summer.\nEnd with this."
    got, steps = render(text, cs)
    assert got == "Title line here\nThe garden grows *tomatoes* and *cucumbers* in summer.\nEnd with this."
    assert all(c.check(got) == [] for c in cs) and steps[0].added == 4 and got.replace("*", "") == text


def test_highlights_fall_back_to_the_outer_lines_and_never_wrap_markers():
    cs = cons({"kind": "highlighted_sections", "n": 2}, {"kind": "two_responses"})
    got, _ = render("I am a dedicated Friend.\n******\nI am a compassionate Friend.", cs)
    assert (got == "I am a *dedicated* Friend.\n******\nI am a *compassionate* Friend."
            and all(c.check(got) == [] for c in cs))
    got, _ = render("SECTION 1\nTrains are wonderful machines.", cons({"kind": "highlighted_sections", "n": 2}))
    assert "*SECTION*" not in got and got.count("*") == 4


def test_render_never_breaks_a_met_constraint_and_skips_debris():
    cs = cons({"kind": "sections", "n": 1, "marker": "SECTION"}, {"kind": "lowercase"})
    assert render("SECTION 1\nHello There", cs) == ("SECTION 1\nHello There", [])  # lowercasing would break SECTION
    assert render(",,,,,,,,", cons({"kind": "no_commas"}))[1] == []  # nothing would be left
    assert render("I,\nA\nL\nI\nT\nS\nO", cons({"kind": "uppercase"}))[1] == []
    assert render("ALREADY LOUD", cons({"kind": "uppercase"}))[1] == []


def test_scaffold_grammar_gives_exact_structure_on_a_random_model(backend):
    """A grammar holds whatever the model: a random tiny model writes exactly 3 bullets, or one of the options."""
    for prompt, kind in (("Write exactly 3 bullet points.", "bullet_count"),
                         ("Answer with one of the following options: 'My answer is yes.', 'My answer is no.'",
                          "choose_from"),
                         ("Write 2 paragraphs separated by the markdown divider ***.", "paragraph_count"),
                         ("Tell two jokes. Separate them with 6 asterisk symbols: ******", "two_responses"),
                         ("Write 2 sections. Mark each with SECTION X.", "sections")):
        cs = extract_all(prompt)
        sc = build(cs, max_tokens=24)
        g = backend.generate(GenRequest([{"role": "user", "content": prompt}], max_new_tokens=400,
                                        constraints=sc.constraints))
        c = next(c for c in cs if c.kind == kind)
        assert g.finish_reason == "stop" and c.check(g.text) == [], (prompt, g.text)


def test_json_scaffold_is_valid_json_on_a_random_model(backend):
    cs = extract_all("Describe a cat in JSON format.")
    g = backend.generate(GenRequest([{"role": "user", "content": "x"}], max_new_tokens=600,
                                    constraints=build(cs).constraints))
    assert g.finish_reason == "stop" and cs[0].check(g.text) == [], g.text


def test_suffixes_are_laid_down_after_the_model_stops(backend):
    cs = extract_all("Write a note. At the end, add a postscript starting with P.S. End your response with 'Bye now.'")
    sc = build(cs)
    assert sc.constraints.suffix == "\n\nP.S. " and sc.constraints.suffix_end == " Bye now."
    g = backend.generate(GenRequest([{"role": "user", "content": "x"}], max_new_tokens=30, constraints=sc.constraints))
    assert all(c.check(g.text) == [] for c in cs), g.text
    assert "\nP.S. " in g.text and g.text.endswith("Bye now.") and g.completion_tokens <= 30 + 40
    plain = backend.generate(GenRequest([{"role": "user", "content": "x"}], max_new_tokens=30))
    assert g.text.startswith(plain.text[:5])  # the body is the model's own
    assert program_chars(g.text, sc.constraints) >= len("\n\nP.S. ") + len(" Bye now.")


def test_an_end_phrase_the_model_wrote_is_not_doubled(backend):
    dc = DecodingConstraints(forced_prefix="It ends here.", max_new_tokens=1, suffix="\n\nIt ends here.")
    g = backend.generate(GenRequest([{"role": "user", "content": "x"}], max_new_tokens=1, constraints=dc))
    assert g.text.count("It ends here") == 1 or not g.text.rstrip().endswith("It ends here.It ends here.")


def report_with(findings, score=0.0):
    return Report(findings, score)


def test_structure_levels_of_the_planner():
    prompt = "Write exactly 3 bullet points in all capital letters."
    cs = extract_all(prompt)
    text = "some lower text"
    from irg.engine.analyze import AnalysisInput, RuleAnalyzer
    rep = RuleAnalyzer().analyze(AnalysisInput(prompt, text, cs))
    plans = {lvl: TemplatePlanner(lvl, cs).plan(prompt, rep, [])
             for lvl in ("instructions", "masks", "scaffolds", "render")}
    assert plans["instructions"].constraints == DecodingConstraints() and plans["instructions"].instructions
    assert plans["masks"].constraints.uppercase_only and not plans["masks"].constraints.grammar
    assert plans["scaffolds"].constraints.uppercase_only and plans["scaffolds"].constraints.grammar.count('"* "') == 3
    assert not plans["render"].constraints.uppercase_only and plans["render"].constraints.grammar  # rendered instead
    assert plans["render"].scaffold == ["grammar: bullet count"]


def test_a_degenerate_draft_relaxes_the_masks_that_caused_it():
    cs = extract_all("Write about the sea in all capital letters.")
    p1 = TemplatePlanner("masks", cs).plan("x", report_with([Finding("uppercase", "critical", "m",
                                                                     constraint={"kind": "uppercase"})]), [])
    assert p1.constraints.uppercase_only
    rep = report_with([Finding("degenerate", "critical", "debris"), Finding("uppercase", "critical", "m",
                                                                            constraint={"kind": "uppercase"})])
    p2 = TemplatePlanner("masks", cs).plan("x", rep, [], previous=p1)
    assert not p2.constraints.uppercase_only and p2.relaxed == ["uppercase_only"]
    p3 = TemplatePlanner("masks", cs).plan("x", report_with([Finding("uppercase", "critical", "m",
                                                                     constraint={"kind": "uppercase"})]), [],
                                           previous=p2)
    assert not p3.constraints.uppercase_only  # relaxed for good


def test_render_level_run_shows_the_rendering_step_and_records_it(backend):
    rec = Recorder()
    evs = list(rec.wrap(run("Write about zebras in all capital letters.", backend,
                            RunConfig(strategy="irg_external", max_iters=2, max_new_tokens=8))))
    r = [e for e in evs if isinstance(e, Rendered)]
    crit = [e for e in evs if isinstance(e, CritiqueDone)]
    if degeneration(r[0].before if r else ""):
        pytest.skip("the random draft is debris")
    assert r and r[0].steps[0]["label"] == "rendered: uppercase" and r[0].after == r[0].before.upper()
    assert not any(f["check"] == "uppercase" for f in crit[0].report["findings"])
    it = rec.record["iterations"][0]
    assert it["rendered"]["before"] == r[0].before and it["draft"] == r[0].after and 0 <= it["model_share"] <= 1


def test_single_render_is_single_pass_plus_rendering(backend):
    a = list(run("Say hi in all capital letters.", backend, RunConfig(strategy="single_pass", max_new_tokens=8)))
    b = list(run("Say hi in all capital letters.", backend, RunConfig(strategy="single_render", max_new_tokens=8)))
    assert b[-1].answer == render(a[-1].answer, extract_all("Say hi in all capital letters."))[0]


def test_scaffold_plan_reaches_the_next_draft(backend):
    evs = list(run("Write exactly 3 bullet points about cats.", backend,
                   RunConfig(strategy="irg_external", max_iters=2, max_new_tokens=60)))
    plan = [e for e in evs if isinstance(e, PlanDone)]
    assert plan and plan[0].plan["scaffold"] == ["grammar: bullet count"]
    assert any(line.startswith("grammar: ") for line in plan[0].plan["constraints_text"])
    second = [e for e in evs if type(e).__name__ == "IterationDone"][1].draft  # a random model's words, 3 bullets
    assert from_dict({"kind": "bullet_count", "rel": "exactly", "n": 3}).check(second) == [], second


def test_candidates_inside_the_loop_share_the_budget_and_the_best_by_rules_wins(backend):
    from irg.engine.events import Candidates, DraftDone, IterationDone

    cfg = RunConfig(strategy="irg_external", max_iters=2, max_new_tokens=12, candidates=2, budget=2000)
    evs = list(run("Write about zebras. Include the keywords 'zebra' and 'stripes'.", backend, cfg))
    cand = [e for e in evs if isinstance(e, Candidates)]
    assert len(cand) == 1 and cand[0].iteration == 2 and len(cand[0].items) == 2  # the first draft stays single
    items = cand[0].items
    best = max(range(2), key=lambda j: (not items[j]["degenerate"], items[j]["constraints_met"],
                                        items[j]["mean_logprob"]))
    assert cand[0].chosen == best and all(it["mean_logprob"] is not None for it in items)
    d2 = [e for e in evs if isinstance(e, DraftDone)][1]
    assert d2.text == items[best]["text"]
    its = [e for e in evs if isinstance(e, IterationDone)]
    assert evs[-1].tokens_total == its[-1].tokens_cum <= 2000
    d1 = [e for e in evs if isinstance(e, DraftDone)][0]
    assert d2.prompt_tokens % 2 == 0 and d2.prompt_tokens > 2 * d1.prompt_tokens  # both candidates' revision prompts
    slots = sum(e.tokens for e in evs if isinstance(e, Rendered) and e.iteration == 2)
    assert its[1].tokens == d2.prompt_tokens + d2.completion_tokens + slots  # rules only: the draft (and its slots)


def test_logprobs_are_reported_only_when_asked(backend):
    g = backend.generate(GenRequest([{"role": "user", "content": "hi"}], max_new_tokens=5, logprobs=True))
    assert g.mean_logprob is not None and g.mean_logprob <= 0
    assert backend.generate(GenRequest([{"role": "user", "content": "hi"}], max_new_tokens=5)).mean_logprob is None


def test_a_new_constraint_type_is_one_unit():
    """Adding a type touches one file: extraction, checker, instruction, rendering and grammar hooks all live on
    the class; the registry, validation, render(), scaffold build() and the planner pick it up."""
    import re
    from dataclasses import dataclass
    from typing import ClassVar

    from irg.engine.constraints import CONSTRAINT_TYPES, Constraint, register

    @register
    @dataclass
    class Shouty(Constraint):
        kind: ClassVar[str] = "shouty_test"
        n: int = 2
        render_label, render_order = "rendered: exclamation marks", 5
        body_priority = 5

        @classmethod
        def extract(cls, p):
            m = re.search(r"(\d+) shouted lines", p)
            return [cls(int(m.group(1)))] if m else []

        def check(self, text):
            lines = [ln for ln in text.splitlines() if ln.strip()]
            ok = len(lines) == self.n and all(ln.endswith("!") for ln in lines)
            return [] if ok else [self.finding("not shouted")]

        def instruction(self):
            return f"Write {self.n} lines, each ending with '!'."

        def render(self, text):
            return "\n".join(ln.rstrip(".") + ("" if ln.endswith("!") else "!") for ln in text.splitlines())

        def grammar_body(self):
            return ' "\\n" '.join(["line"] * self.n), self.n, ""

    try:
        cs = extract_all("Give me 2 shouted lines.")
        assert [c.kind for c in cs] == ["shouty_test"] and from_dict({"kind": "shouty_test", "n": 2}) == cs[0]
        assert render("Hello.\nBye", cs)[0] == "Hello!\nBye!"
        assert build(cs).constraints.grammar.startswith('root ::= line "\\n" line')
    finally:
        CONSTRAINT_TYPES.pop("shouty_test")


@pytest.mark.parametrize("text,want", [
    ("It rained all day. p.p.s bring a coat.", "It rained all day.\n\np.p.s bring a coat."),
    ("It rained. P.P.S – see you soon!", "It rained.\n\nP.P.S – see you soon!"),
    ("I read P.P.S. in a letter once.", None),  # the marker inside a sentence is no postscript: left alone
    ("Sales rose. PPS-4 units sold out.", None),  # a name that starts like the marker
    ("That is all. P.P.S", "That is all.\n\nP.P.S"),
])
def test_a_postscript_the_model_wrote_inline_is_put_on_its_own_line(text, want):
    from irg.engine.render import render
    ps = from_dict({"kind": "postscript", "marker": "P.P.S"})
    out, steps = render(text, [ps])
    assert out == (want or text) and (ps.check(out) == []) == bool(want)
    assert [s.label for s in steps] == (["rendered: the postscript on its own line"] if want else [])


def test_the_postscript_line_is_written_with_line_breaks_banned_not_under_a_grammar():
    """Under a grammar the counted limits only mask, and a banned word glued to a hashtag got through the P.S. line
    ("P.P.S  #penguins #beautiful"): the line is a plain continuation, so the counting holds in it too."""
    import threading

    eng = said_backend("Body.")
    dc = DecodingConstraints(suffix="\n\nP.P.S ", suffix_slot=40, banned_words=["beautiful"],
                             limits=[{"word": "beautiful", "n": 0}])
    g = eng.generate(GenRequest([{"role": "user", "content": "x"}], max_new_tokens=60, constraints=dc),
                     threading.Event())
    line = eng.requests[-1].constraints
    assert g.text == "Body.\n\nP.P.S See you." and not line.grammar
    # counted: the engine stops at each occurrence (a stop string), as in the body; under a grammar only a mask
    assert "\n" in line.banned_chars and "beautiful" in line.stop_strings and line.min_new_tokens >= 1


def test_an_answer_all_in_capitals_still_gets_its_highlights():
    """Every word of an all-capitals answer is in capitals; only a marker before its number is left alone."""
    cs = [from_dict({"kind": "uppercase"}), from_dict({"kind": "highlighted_sections", "n": 2})]
    out, steps = render("SECTION 1\nTHE SEA IS WIDE AND THE HARBOUR IS QUIET.", cs)
    assert out == "SECTION 1\nTHE SEA IS WIDE AND THE *HARBOUR* IS *QUIET*." and all(c.check(out) == [] for c in cs)
    mixed = render("The SEA is wide and calm.", [from_dict({"kind": "highlighted_sections", "n": 1})])[0]
    # with lowercase about, a word in capitals is a marker: not taken
    assert "*SEA*" not in mixed and mixed.count("*") == 2


def test_a_start_phrase_before_bullets_opens_a_line_of_its_own():
    """'Start with the word Once' and 5 bullets: laid as "Once" then the bullets' "* ", the model wrote "Once* upon a
    time" (train split): no bullet and no start phrase as the checks read them. The phrase now opens a lead line that
    ends a sentence; the first text the grammar admits meets both."""
    from irg.engine.feasible import search

    cs = [from_dict({"kind": "start_phrase", "phrase": "Once"}),
          from_dict({"kind": "bullet_count", "rel": "exactly", "n": 2})]
    dc = build(cs).constraints
    assert dc.forced_prefix == "Once" and dc.grammar.startswith('root ::= lead "\\n" ("* " line')
    text = "Once" + search(dc.grammar).example
    assert all(c.check(text) == [] for c in cs) and re.match(r"Once[^\n]*[.!?:]\n\* ", text), text
    # a phrase that ends a sentence already is the whole first line
    cs[0] = from_dict({"kind": "start_phrase", "phrase": "Here are my tips:"})
    dc = build(cs).constraints
    text = dc.forced_prefix + search(dc.grammar).example
    assert text.startswith("Here are my tips:\n* ") and all(c.check(text) == [] for c in cs), text
    # a paragraph body needs no line of its own: "Once" opens the first paragraph
    paras = build([cs[0], from_dict({"kind": "paragraph_count", "rel": "exactly", "n": 2})]).constraints
    assert not paras.grammar.startswith("root ::= lead")


@pytest.mark.parametrize("body,laid", [
    ("* Dolphins are smart.\n* P.S. Respect them.", True),  # a bullet is no postscript: one is laid after the list
    ("Dolphins are smart.\n\nP.S. Respect them.", False),  # the model's own P.S. line stands
    ("Dolphins are smart. P.S. Respect them.", False),  # inline: Postscript.render puts it on its own line
    ("* Dolphins are smart.\n* Whales sing. P.S. Respect them.", False),  # inline in a bullet: the same
])
def test_a_postscript_inside_a_bullet_does_not_stop_the_program_laying_one(body, laid):
    """Bullets and a P.S. (train split): the model wrote "* p.s. …" as a bullet, the program took it for the P.S.
    and laid none; the postscript check, which wants a line of its own, failed four drafts running."""
    import threading

    dc = DecodingConstraints(suffix="\n\nP.S. ", suffix_slot=40)
    g = said_backend(body).generate(GenRequest([{"role": "user", "content": "x"}], max_new_tokens=60,
                                               constraints=dc), threading.Event())
    assert (g.text == body + "\n\nP.S. See you.") if laid else g.text == body


def test_bullet_items_hold_no_asterisk():
    """The bullets' markers are asterisks: inside items the model wrote "*The second point" and ended items with
    ".*", after which no sentence end (and no fill) was found."""
    g = build([from_dict({"kind": "bullet_count", "rel": "exactly", "n": 3})]).constraints.grammar
    assert "line ::= [^\\n*] [^\\n*]{" in g


def said_backend(body: str):
    """An engine that writes `body`, then " See you." in each continuation (a P.S. line), and records the requests."""
    from irg.engine.backends import Backend, Generation

    class Said(Backend):
        name = "said"

        def __init__(self):
            self.requests = []

        def _pieces(self, req, cancel, stream):
            self.requests.append(req)
            text = req.constraints.forced_prefix + (body if len(self.requests) == 1 else " See you.")
            stream.result = Generation(text, 5, 2, "stop", 0.0)
            yield text

        def count_tokens(self, text):
            return len(text.split())

        def count_prompt_tokens(self, req):
            return 5

        def truncate(self, text, max_tokens):
            return text

    return Said()
