"""Shortening that keeps the model's words (constraints/shorten.py): cut after the last sentence that fits, only
when every constraint that was met stays met (render.py)."""
import pytest

from irg.engine.constraints import from_dict
from irg.engine.constraints.shorten import cut_to
from irg.engine.render import render

TEXT = "Cats sleep a lot. They hunt at night! Dr. Smith owns three cats. Is that too many? I think not."


@pytest.mark.parametrize("d,want", [
    ({"kind": "word_count", "rel": "at_most", "n": 8}, "Cats sleep a lot. They hunt at night!"),
    ({"kind": "word_count", "rel": "less_than", "n": 14},
     "Cats sleep a lot. They hunt at night! Dr. Smith owns three cats."),
    ({"kind": "sentence_count", "rel": "at_most", "n": 2}, "Cats sleep a lot. They hunt at night!"),
    ({"kind": "sentence_count", "rel": "exactly", "n": 2}, "Cats sleep a lot. They hunt at night!"),
    # "Dr." is no sentence end to cut at (the counter reads one there: the cut keeps fewer sentences, never more)
    ({"kind": "sentence_count", "rel": "less_than", "n": 4}, "Cats sleep a lot. They hunt at night!"),
])
def test_an_answer_over_a_limit_is_cut_after_its_last_sentence_that_fits(d, want):
    c = from_dict(d)
    out, steps = render(TEXT, [c])
    assert out == want and not c.check(out)
    assert steps[0].label.startswith("shortened") and steps[0].added == 0 and steps[0].changed == len(TEXT) - len(out)


def test_nothing_is_cut_when_it_would_break_what_was_met_or_nothing_fits():
    limit = from_dict({"kind": "word_count", "rel": "at_most", "n": 8})
    end = from_dict({"kind": "end_phrase", "phrase": "I think not."})
    assert render(TEXT, [limit, end]) == (TEXT, [])  # the end phrase was met: it stays
    assert cut_to("One two three four five.", lambda t: len(t.split()) <= 2) == "One two three four five."
    least = from_dict({"kind": "word_count", "rel": "at_least", "n": 200})
    assert render(TEXT, [least]) == (TEXT, [])
    exact = from_dict({"kind": "sentence_count", "rel": "exactly", "n": 9})  # too few: cutting cannot help
    assert render(TEXT, [exact]) == (TEXT, [])


@pytest.mark.parametrize("limit", [{"kind": "sentence_count", "rel": "exactly", "n": 2},
                                   {"kind": "sentence_count", "rel": "at_most", "n": 2},
                                   {"kind": "word_count", "rel": "less_than", "n": 20}])
def test_a_cut_keeps_the_closing_paragraph_the_prompt_asked_for(limit):
    """Over a limit with an end phrase laid down as its own paragraph: the body is cut, the end phrase stays (a plain
    cut would drop it and so is refused, which left the answer over its limit)."""
    from irg.engine.constraints import from_dict
    from irg.engine.render import render

    text = ("The night sky is a beautiful sight that everyone can enjoy. It is full of stars and planets. "
            "They are part of the vast universe.\n\nThat is all for now.")
    cs = [from_dict({"kind": "end_phrase", "phrase": "That is all for now."}), from_dict(limit)]
    out, steps = render(text, cs)
    assert out.endswith("\n\nThat is all for now.") and out.startswith("The night sky is a beautiful sight")
    assert all(not c.check(out) for c in cs) and [s.kind for s in steps] == [limit["kind"]]
    alone, _ = render(text.replace("\n\nThat is all for now.", " That is all."), cs[1:])
    assert alone.startswith("The night sky") and "That is all" not in alone  # no closing paragraph: the plain cut
