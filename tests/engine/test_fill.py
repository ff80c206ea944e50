"""Slots the program opens and the model fills (irg/engine/fill.py): a scripted engine for the logic, the tiny random
model for the engines' grammar, and the loop at the "slots" level."""
import re
import threading

import pytest

from irg.engine.backends import Generation, GenRequest
from irg.engine.config import STRUCTURE, RunConfig
from irg.engine.constraints import from_dict
from irg.engine.decoding import DecodingConstraints
from irg.engine.events import PlanDone, Rendered, Stopped
from irg.engine.fill import copied, fill, places
from irg.engine.loop import out_of_reach
from irg.engine.plan import TemplatePlanner
from irg.engine.strategies import run
from irg.engine.values import Finding, Report

MSG = [{"role": "user", "content": "Write about the sea."}]


class Scripted:
    """An engine that continues any forced prefix with the next scripted sentence, and records the requests."""

    context_length = 2048

    def __init__(self, *sentences, finish="stop"):
        self.sentences, self.finish, self.requests = list(sentences), finish, []

    def count_tokens(self, text):
        return len(text.split())

    def count_prompt_tokens(self, req):
        return 10 + self.count_tokens(req.constraints.forced_prefix)

    def generate(self, req: GenRequest, cancel=None):
        self.requests.append(req)
        said = self.sentences.pop(0) if self.sentences else " and so on."
        return Generation(req.constraints.forced_prefix + said, self.count_prompt_tokens(req), 5, self.finish, 0.0)


def cons(*ds):
    return [from_dict(d) for d in ds]


def test_a_missing_keyword_opens_a_sentence_the_model_finishes():
    cs = cons({"kind": "include_keywords", "keywords": ["lighthouse"]}, {"kind": "postscript", "marker": "P.S."})
    text = "The sea is wide. Waves roll in.\n\nP.S. See you soon."
    eng = Scripted(" stood on the rocks all night.")
    out, steps, spent = fill(text, cs, eng, MSG, None, threading.Event())
    assert out == "The sea is wide. Waves roll in. The lighthouse stood on the rocks all night.\n\nP.S. See you soon."
    assert [s.label for s in steps] == ["filled: opened a sentence with 'The lighthouse'"] \
        and steps[0].added == len(" The lighthouse")
    assert all(c.check(out) == [] for c in cs)
    req = eng.requests[0]
    assert req.constraints.forced_prefix.endswith("Waves roll in. The lighthouse") \
        and req.constraints.grammar.endswith("[.!?]")
    assert spent == 2 + 5  # the opening fed to the model and what it wrote; the draft is in the engine's cache


@pytest.mark.parametrize("d,sentences,want", [
    ({"kind": "keyword_frequency", "word": "moon", "rel": "at_least", "n": 3}, [" rose early.", " set late."], 3),
    ({"kind": "placeholders", "n": 2}, ["name] waved.", "date] came."], 2),
    ({"kind": "letter_frequency", "letter": "z", "rel": "at_least", "n": 3}, [" was calm.", " was blue."], 3),
    # too few sentences: one more opened with a plain word (issue 38: "exactly 3" drafts of two long sentences)
    ({"kind": "sentence_count", "rel": "exactly", "n": 3}, [" was a quiet night by the sea."], 3),
    ({"kind": "sentence_count", "rel": "at_least", "n": 4}, [" was a quiet night.", " was cold."], 4),
])
def test_counts_are_filled_one_sentence_at_a_time(d, sentences, want):
    c = from_dict(d)
    text = ("The moon was bright over the bay. We watched the zebra crossing." if c.kind != "placeholders"
            else "We met at noon.")
    out, steps, _ = fill(text, [c], Scripted(*sentences), MSG, None, threading.Event())
    assert c.check(out) == [] and len(steps) == len(sentences), (out, steps)
    got = c.count(out) if hasattr(c, "count") else out.count("[")
    assert got == want and out.startswith(text[:-1])  # the draft's words are kept; sentences are only added


def test_a_fill_that_breaks_a_met_constraint_or_copies_the_draft_is_dropped():
    cs = cons({"kind": "include_keywords", "keywords": ["harbour"]}, {"kind": "no_commas"})
    text = "Boats rest in the bay. Gulls call."
    out, steps, _ = fill(text, cs, Scripted(" boats, gulls, and nets.", " boats, again.", " ropes, more."), MSG, None,
                         threading.Event())
    assert out == text and steps == []  # every try added a comma: the draft stands, the instruction stays
    assert copied(" Boats rest in the bay now.", text) and not copied(" Harbour lights glow at dusk.", text)
    kw = cs[:1]
    out, steps, _ = fill(text, kw, Scripted(" lights glow.", " lights glow.", " lights glow.", finish="length"),
                         MSG, None, threading.Event())
    assert out == text  # a sentence the token limit cut off is not kept, even if it ends in a full stop
    out, steps, _ = fill(text, kw, Scripted(" rest in the bay.", " rest in the bay.", " rest in the bay."), MSG, None,
                         threading.Event())
    assert out == text and steps == []  # "Harbour rest in the bay." copies the draft: dropped


def test_in_a_json_answer_the_sentence_goes_inside_its_last_string():
    """A keyword never got into a JSON answer (train split): the fill opens its sentence inside the last string value
    that ends a sentence, under a grammar with no quote or backslash, and the JSON stays valid."""
    js = cons({"kind": "json_format"}, {"kind": "keyword_frequency", "word": "tide", "rel": "at_least", "n": 1})
    eng = Scripted(" comes in twice a day.")
    out, steps, _ = fill('{"title": "Sea", "answer": "The sea is wide. It is blue."}', js, eng, MSG, None,
                         threading.Event())
    assert out == '{"title": "Sea", "answer": "The sea is wide. It is blue. The tide comes in twice a day."}'
    assert all(c.check(out) == [] for c in js) and '\\"' in eng.requests[0].constraints.grammar
    broken = Scripted(*[' said "hi" again.'] * 4)  # a quote (the grammar would not let it through): JSON broken
    assert fill('{"answer": "The sea is wide."}', js, broken, MSG, None, threading.Event())[1] == []


def test_nothing_is_filled_after_a_choice_or_in_debris_or_when_all_is_met():
    eng = Scripted(" x.")
    js = cons({"kind": "choose_from", "options": ["My answer is yes.", "My answer is no."]},
              {"kind": "include_keywords", "keywords": ["tide"]})
    assert fill("My answer is yes.", js, eng, MSG, None, threading.Event())[1] == []
    kw = cons({"kind": "include_keywords", "keywords": ["tide"]})
    assert fill("The sea. " * 40, kw, eng, MSG, None, threading.Event())[1] == []  # debris, with full stops
    assert fill("The tide is high.", kw, eng, MSG, None, threading.Event())[1] == []
    assert not eng.requests  # none of the three asked the engine for anything


def test_a_fill_goes_before_an_end_phrase_and_after_a_repeated_request():
    cs = cons({"kind": "include_keywords", "keywords": ["tide"]}, {"kind": "end_phrase", "phrase": "Any questions?"},
              {"kind": "repeat_request", "request": "Write about the sea."})
    text = "Write about the sea.\n\nThe sea is wide.\n\nAny questions?"
    out, steps, _ = fill(text, cs, Scripted(" comes in twice a day."), MSG, None, threading.Event())
    assert out == "Write about the sea.\n\nThe sea is wide. The tide comes in twice a day.\n\nAny questions?"
    assert all(c.check(out) == [] for c in cs)


def test_a_fill_is_judged_as_the_rules_will_see_it_rendered():
    """Under "no commas" a sentence with a comma is kept when the run renders commas away afterwards."""
    from irg.engine.render import render

    cs = cons({"kind": "include_keywords", "keywords": ["tide"]}, {"kind": "no_commas"}, {"kind": "lowercase"})
    text = "the sea is wide."
    out, steps, _ = fill(text, cs, Scripted(" comes in, then out."), MSG, None, threading.Event(),
                         view=lambda t: render(t, cs)[0])
    assert steps and render(out, cs)[0] == "the sea is wide. the tide comes in then out."


def test_a_failing_engine_or_a_full_context_leaves_the_draft_as_it_is():
    from irg.engine.backends import BackendError

    class Broken(Scripted):
        def generate(self, req, cancel=None):
            raise BackendError("the model process stopped")

    kw = cons({"kind": "include_keywords", "keywords": ["tide"]})
    assert fill("The sea is wide.", kw, Broken(), MSG, None, threading.Event()) == ("The sea is wide.", [], 0)
    full = Scripted(" x.")
    full.context_length = 12
    assert fill("The sea is wide and blue today.", kw, full, MSG, None, threading.Event())[1] == [] \
        and not full.requests
    cancelled = threading.Event()
    cancelled.set()
    assert fill("The sea is wide.", kw, Scripted(" x."), MSG, None, cancelled)[1] == []


def test_places_skip_the_postscript_headers_and_separators():
    text = "<<Sea>>\n\nSECTION 1\nWaves come. They go.\n\n******\n\nGulls fly.\n\nP.S. Bye."
    got = places(text)
    assert [text[:p].split("\n")[-1] for p in got] == ["Gulls fly.", "Waves come. They go."]
    assert places('"Quoted text ends here."') == [len('"Quoted text ends here.')]


def test_slots_is_the_last_structure_level_and_the_default():
    assert STRUCTURE[-1] == "slots" and RunConfig().structure == "slots"
    assert RunConfig(structure="slots").uses("render") and not RunConfig(structure="render").uses("slots")


def test_the_loop_fills_on_a_random_model_under_the_engines_grammar(backend):
    """On the tiny random model (transformers + llguidance) the grammar ends the sentence and closes the bracket."""
    from irg.engine.constraints.base import SENTENCE
    from irg.engine.constraints.length import PLACEHOLDER

    for grammar, pattern in ((SENTENCE, r"^ Lighthouse[ ,;:'’-][^\n.!?\[\]*]*[.!?]$"),
                             (PLACEHOLDER, r"^ \[[A-Za-z][A-Za-z ]*\][^\n.!?\[\]*]*[.!?]$")):
        lead = " Lighthouse" if grammar == SENTENCE else " ["
        g = backend.generate(GenRequest(MSG, max_new_tokens=400,
                                        constraints=DecodingConstraints(forced_prefix="The sea is wide." + lead,
                                                                        grammar=grammar)))
        assert g.finish_reason == "stop" and re.match(pattern, g.text[len("The sea is wide."):]), g.text


def test_a_language_no_mechanism_can_write_is_said_once_and_ends_the_loop():
    hindi = from_dict({"kind": "language", "language": "hindi"})
    assert hindi.out_of_reach() and not from_dict({"kind": "language", "language": "german"}).out_of_reach()
    f = Finding("language", "critical", "not Hindi", source="rule", constraint=hindi.to_dict())
    g = Finding("no_commas", "critical", "commas", source="rule", constraint={"kind": "no_commas"})
    assert out_of_reach(Report([f])) and not out_of_reach(Report([f, g]))
    planner = TemplatePlanner("slots", [hindi])
    first = planner.plan("x", Report([f, g]), [])
    second = planner.plan("x", Report([f, g]), [], previous=first)
    assert any("Hindi" in c for c in first.out_of_reach) and not any("Hindi" in c for c in second.out_of_reach)


def test_a_run_stops_once_only_the_unreachable_is_left(backend):
    evs = list(run("Write one sentence about rain in Hindi.", backend,
                   RunConfig(strategy="irg_external", max_iters=3, max_new_tokens=8)))
    stop = [e for e in evs if isinstance(e, Stopped)][0]
    assert stop.reason == "out_of_reach" and "Hindi" in stop.detail
    assert not [e for e in evs if isinstance(e, PlanDone)] and not [e for e in evs if isinstance(e, Rendered)
                                                                      and any("filled" in s["label"] for s in e.steps)]


def test_a_fill_never_pushes_an_unmet_limit_further():
    """Under "at most 2 sentences" (already broken) a keyword sentence would make it worse: it is not added; the
    last sentence is written anew instead, which leaves the count where it was."""
    cs = cons({"kind": "include_keywords", "keywords": ["harbour"]},
              {"kind": "sentence_count", "rel": "at_most", "n": 2})
    text = "Boats rest. Gulls call. Nets dry."
    out, steps, _ = fill(text, cs, Scripted(" lights glow.", " lights glow.", " lights glow."), MSG, None,
                         threading.Event())
    assert out == "Boats rest. Gulls call. The harbour lights glow." and cs[1].count(out) == cs[1].count(text)
    words = cons({"kind": "include_keywords", "keywords": ["harbour"]},
                 {"kind": "word_count", "rel": "at_most", "n": 5})
    out, steps, _ = fill(text, words, Scripted(" lights glow.", " lights glow.", " lights glow."), MSG, None,
                         threading.Event())
    assert out == text and steps == []  # over a word limit no sentence is added


def test_a_looping_draft_is_cut_where_the_loop_starts():
    from irg.engine.degenerate import degeneration, trim_loop
    from irg.engine.render import render

    loop = "People go to the park and meet friends. " + "They can go to different places and meet new people. " * 12
    kept = trim_loop(loop)
    assert degeneration(loop) and kept == ("People go to the park and meet friends. They can go to different places "
                                           "and meet new people.") and not degeneration(kept)
    assert trim_loop("The sea is calm. " * 10) is None  # too little is left before the loop: still debris
    assert trim_loop("A real answer with enough words. Another sentence here.") is None  # no loop, nothing cut
    out, steps = render(loop, cons({"kind": "uppercase"}))
    assert out == kept.upper() and [s.label for s in steps][0].startswith("trimmed: a repeated loop")


def test_quotes_around_a_list_go_on_lines_of_their_own():
    from irg.engine.render import render

    cs = cons({"kind": "quotation"}, {"kind": "bullet_count", "rel": "exactly", "n": 2})
    out, steps = render("* Sand is hot.\n* Nights are cold.", cs)
    assert out == '"\n* Sand is hot.\n* Nights are cold.\n"' and all(c.check(out) == [] for c in cs)
    assert render("Sand is hot.", cs[:1])[0] == '"Sand is hot."'


def test_a_loop_is_trimmed_but_what_the_program_laid_down_after_it_stays():
    from irg.engine.render import trimmed

    body = "Cats nap in the sun all day. " + "They sleep and they dream of fish. " * 12
    text, steps = trimmed(body + "\n\nP.S. Feed them at six.", "P.S.")
    assert text == "Cats nap in the sun all day. They sleep and they dream of fish.\n\nP.S. Feed them at six."
    assert steps and steps[0].label.startswith("trimmed:") and steps[0].added == 0


def test_at_a_sentence_limit_the_fill_rewrites_the_last_sentence_instead_of_adding_one():
    """A keyword 3 times within at most 3 sentences: a sentence added is refused at every place (issue 38), so the
    last sentence is written anew from the keyword; the step says so and counts the characters that went."""
    cs = cons({"kind": "keyword_frequency", "word": "moon", "rel": "at_least", "n": 2},
              {"kind": "sentence_count", "rel": "at_most", "n": 3})
    text = "The moon was bright. We walked to the bay. The night was cold."
    eng = Scripted(" rose over the water.")
    out, steps, _ = fill(text, cs, eng, MSG, None, threading.Event())
    assert out == "The moon was bright. We walked to the bay. The moon rose over the water."
    assert all(c.check(out) == [] for c in cs)
    assert steps[0].label == "filled: the sentence before it written anew, opened a sentence with 'The moon'" \
        and steps[0].changed == len("The night was cold.")
    assert eng.requests[0].constraints.forced_prefix == "The moon was bright. We walked to the bay. The moon"
    # with room for a sentence, the fill adds one and takes nothing away
    roomy = cons({"kind": "keyword_frequency", "word": "moon", "rel": "at_least", "n": 2})
    out2, steps2, _ = fill(text, roomy, Scripted(" rose over the water."), MSG, None, threading.Event())
    assert out2 == text + " The moon rose over the water." and steps2[0].changed == 0
    # a one-sentence answer is never rewritten away
    one = cons({"kind": "keyword_frequency", "word": "moon", "rel": "at_least", "n": 1},
               {"kind": "sentence_count", "rel": "at_most", "n": 1})
    assert fill("The night was cold.", one, Scripted(" rose."), MSG, None,
                threading.Event())[0] == "The night was cold."


def test_in_an_answer_that_is_only_a_list_the_sentence_goes_at_the_end_of_an_item():
    """Five bullets and one placeholder of two: no line outside the list had room for a sentence, so the placeholder
    was never opened (dev split); the item keeps its place and the count of items stays."""
    cs = cons({"kind": "bullet_count", "rel": "exactly", "n": 2}, {"kind": "placeholders", "n": 2})
    text = "* The [garden] opens at dawn.\n* Tulips line every path."
    out, steps, _ = fill(text, cs, Scripted("city] sends its best gardeners."), MSG, None, threading.Event())
    assert out == "* The [garden] opens at dawn.\n* Tulips line every path. [city] sends its best gardeners."
    assert all(c.check(out) == [] for c in cs) and places("* no stop here\n* nor here") == []


def test_a_list_item_keeps_its_marker_when_it_is_filled_or_written_anew():
    """'2.' is a list number, not a sentence end; at a sentence limit an item's sentence is written anew after its
    marker, never over it."""
    assert places("1. Buy milk\n2. Call mom") == []
    cs = cons({"kind": "keyword_frequency", "word": "pears", "rel": "at_least", "n": 1},
              {"kind": "sentence_count", "rel": "at_most", "n": 2})
    text = "- Apples are red.\n- Plums are sweet."
    out, steps, _ = fill(text, cs, Scripted(" grow on the old tree."), MSG, None, threading.Event())
    assert out == "- Apples are red.\n- The pears grow on the old tree." and all(c.check(out) == [] for c in cs)


def test_a_rewritten_sentence_is_one_that_does_not_hold_the_word_and_lowercase_answers_have_sentences_too():
    """'orange' 3 times in at most 3 sentences: writing the last sentence anew, which held the second 'orange', was
    no step forward (train split); the sentence without it is written anew. In an all-lowercase answer the sentence
    ends are found without capitals, and the opening is lowercase."""
    cs = cons({"kind": "keyword_frequency", "word": "orange", "rel": "at_least", "n": 3},
              {"kind": "sentence_count", "rel": "at_most", "n": 3}, {"kind": "lowercase"})
    text = "orange leaves fall. embrace the season. orange is a warm color."
    eng = Scripted(" sky glows at dusk.")
    out, steps, _ = fill(text, cs, eng, MSG, None, threading.Event())
    assert out == "orange leaves fall. the orange sky glows at dusk. orange is a warm color."
    assert all(c.check(out) == [] for c in cs) and steps[0].changed == len("embrace the season.")


def test_a_section_line_with_its_text_is_a_place_for_a_sentence():
    """'SECTION 1: Thank you …' on one line: the marker is no body, its text is (train split: no place was found)."""
    cs = cons({"kind": "keyword_frequency", "word": "bright", "rel": "at_least", "n": 1},
              {"kind": "sections", "n": 2, "marker": "SECTION"})
    text = "SECTION 1: Thank you for the games.\nSECTION 2: We will play again next week."
    out, steps, _ = fill(text, cs, Scripted(" pieces shone on the board."), MSG, None, threading.Event())
    assert out == text + " The bright pieces shone on the board." and all(c.check(out) == [] for c in cs)


def test_under_a_word_limit_the_fill_is_given_tokens_for_the_words_left_and_may_rewrite_a_sentence():
    cs = cons({"kind": "keyword_frequency", "word": "moon", "rel": "at_least", "n": 1},
              {"kind": "word_count", "rel": "at_most", "n": 12})
    text = "The night was calm and cold. We walked by the bay."
    eng = Scripted(" rose late.")
    out, steps, _ = fill(text, cs, eng, MSG, None, threading.Event())
    # 11 words: a sentence added has no room; the last sentence is written anew in the words it frees
    assert out == "The night was calm and cold. The moon rose late." and all(c.check(out) == [] for c in cs)
    assert eng.requests[0].max_new_tokens < 48


def test_a_heading_with_a_title_is_no_place_and_lowercase_abbreviations_end_no_sentence():
    """Review: "SECTION 1: The Sea" had become a body line and crowded out the real places; in an all-lowercase answer
    "mr." and "p.m." had ended sentences."""
    from irg.engine.fill import _ends

    text = "SECTION 1: The Sea\nThe sea is wide.\n\nSECTION 2: The Shore\nWaves roll in."
    assert [text[:p].split("\n")[-1] for p in places(text)] == ["Waves roll in.", "The sea is wide."]
    line = "we met mr. lee at 5 p.m. today. it rained."
    assert [line[:m.end(1)][-7:] for m in _ends(line, 0, True)] == [" today.", "rained."]


def test_short_of_words_a_sentence_is_still_added_while_one_fits():
    """Review: under a word limit with few words left, every fill rewrote a sentence, so "at least 3 sentences" could
    never move. With room for a short sentence one is added; with less, one is written anew."""
    cs = cons({"kind": "sentence_count", "rel": "at_least", "n": 3}, {"kind": "word_count", "rel": "at_most", "n": 20})
    text = "The night was calm and cold. We walked by the bay."
    out, steps, _ = fill(text, cs, Scripted(" is calm."), MSG, None, threading.Event())
    assert out == text + " This is calm." and all(c.check(out) == [] for c in cs)


def test_a_quoted_answer_keeps_its_opening_quote_when_a_sentence_is_written_anew():
    cs = cons({"kind": "keyword_frequency", "word": "moon", "rel": "at_least", "n": 2},
              {"kind": "sentence_count", "rel": "at_most", "n": 2}, {"kind": "quotation"})
    text = '"The sea is wide. The moon is bright."'
    out, steps, _ = fill(text, cs, Scripted(" rose over the water."), MSG, None, threading.Event())
    assert out.startswith('"') and out.count('"') == 2 and all(c.check(out) == [] for c in cs), out


def test_a_fill_that_breaks_the_json_is_dropped_even_when_the_rendering_would_wrap_it():
    from irg.engine.render import render

    js = cons({"kind": "json_format"}, {"kind": "keyword_frequency", "word": "tide", "rel": "at_least", "n": 1})
    out, steps, _ = fill('{"answer": "The sea is wide."}', js, Scripted(*[' said "hi".'] * 4), MSG, None,
                         threading.Event(), view=lambda t: render(t, js)[0])
    assert steps == [] and out == '{"answer": "The sea is wide."}'


def test_a_plain_draft_the_rendering_will_wrap_in_json_takes_a_sentence_as_any_text_does():
    """The model writes plain text and the run's rendering wraps it in JSON: the keyword's sentence goes into the
    text (dev: "morning" never got into a diary entry, there being no JSON string to put it in)."""
    from irg.engine.render import render

    js = cons({"kind": "json_format"}, {"kind": "keyword_frequency", "word": "tide", "rel": "at_least", "n": 1})
    out, steps, _ = fill("The sea is wide. It is blue.", js, Scripted(" comes in twice a day."), MSG, None,
                         threading.Event(), view=lambda t: render(t, js)[0])
    assert out == "The sea is wide. It is blue. The tide comes in twice a day." and len(steps) == 1
    assert all(c.check(render(out, js)[0]) == [] for c in js)


def test_a_letter_s_sign_off_and_greeting_are_no_place_its_last_sentence_is():
    text = "Dear [Name],\n\nThe sea is wide. It is blue.\n\nThank you.\n\nSincerely,\n[Your Name]\nHarbour Office"
    assert [text[:p].split("\n")[-1] for p in places(text)] == ["Thank you.", "The sea is wide. It is blue."]
    # an abbreviation in the greeting, a company and an initial after the sign-off: none of them ends a sentence
    for text in ("Dear Ms. Lee,\n\nThe sea is wide. It is blue.\n\nBest,\nAcme Inc.",
                 "Hi,\n\nThe sea is wide. It is blue.\n\nSincerely,\nJohn A. Smith"):
        assert [text[:p].split("\n")[-1] for p in places(text)] == ["The sea is wide. It is blue."], text
