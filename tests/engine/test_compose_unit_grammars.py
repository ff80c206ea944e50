"""The grammars of compose/unit_grammars.py (words in a paragraph, a list item or the title; the mark a unit ends on;
the letters of every word), the capped word rule, and each paragraph's limit held part by part (parts.capped)."""
from __future__ import annotations

import pytest

from irg.engine.compose.enforce import decoding
from irg.engine.compose.reader import read
from tests.engine.test_compose import _admits

GRAMMARS = [  # (an instruction, a text that meets it, a text that breaks it)
    ("Paragraphs must not exceed 12 words.", "Rain fell all day. We stayed in.\n\nThe sun came out, and we ran.",
     "Rain fell all day and all night and we stayed inside by the warm fire."),
    ("Keep every bullet under 5 words.", "- Pack a tent\n- Bring water.", "- Pack a tent and a warm sleeping bag"),
    ("Each numbered step must be at most 4 words.", "1. Whisk the eggs.\n2. Add flour", "1. Whisk all the eggs well"),
    ("The title should be a single word.", "# Bread\n\nWe bake it daily.", "# Fresh Bread\n\nWe bake it daily."),
    ("Headline under 20 characters.", "# Fresh bread today\n\nCome in.", "# Fresh bread today at our shop\n\nCome."),
    ("The title must be a question.", "# Why bake?\n\nBecause bread is good.", "# We bake\n\nBread is good."),
    ("End each paragraph with a question.", "Rain came. Why now?\n\nWho knows?", "Rain came. Why now?\n\nNo one."),
    ("The final sentence has to be a question.", "Parks are green. Shall we go?", "Shall we go? Parks are green."),
    ("Every sentence must end with a question mark.", "Who? Why not?", "Who? We know."),
    ("Each bullet should end with a question mark.", "- Ready?\n- Set?", "- Ready?\n- Go"),
    ("Every word should have five letters or fewer.", "Cats like warm beds.", "Cats adore sunshine."),
    ("Every word must start with the letter P.", "Peter picked purple plums.", "Peter picked red plums."),
    ("No word may start with the letter s.", "A cat lay on a mat.", "A cat sat on a mat."),
    ("The final sentence should be under 10 words.", "Parks are green and wide and full of people all day. We go.",
     "We go. Parks are green and wide and full of people all day."),
    ("Open each paragraph with a one-word sentence.", "Rain. It fell.\n\nSun. It shone.", "Rain fell. It fell."),
    ("Every line must end with the word 'night'.", "The stars at night\nWe sing at night",
     "The stars at night\nWe sing"),
    ("End every paragraph with 'Stay tuned.'", "We baked. Stay tuned.\n\nWe ate. Stay tuned.",
     "We baked. Stay tuned.\n\nWe ate."),
    # seventeenth session
    ("Every line should have an odd number of words.", "Rain falls on the town\nCats sleep inside",
     "Rain falls\nCats sleep inside"),
    ("Use at least two sentences that have more than 12 words.",
     "The rain came down on the old town and the people ran home again. All of the cats and dogs stayed inside the "
     "warm houses that night. It ended.", "The rain came down on the town. All of the cats stayed inside."),
    ("Every sentence should contain a comma.", "Rain falls, softly. Then, we go home.", "Rain falls. Then, we go."),
    ("Every sentence needs at least one figure in it.", "We saw 3 cats. There were 12 dogs too.",
     "We saw cats. There were 12 dogs."),
    ("The sentences should start with letters in alphabetical order.", "A cat sat. Birds sang. Birds flew. Then it "
     "rained.", "Birds sang. A cat sat."),
    ("The lines must be in alphabet order by first letter.", "All is calm\nBright stars shine\nthe night goes on",
     "The night\nAll is calm"),
]


@pytest.mark.parametrize("instruction,good,bad", GRAMMARS, ids=[g[0] for g in GRAMMARS])
def test_each_new_grammar_admits_what_meets_it_and_refuses_what_breaks_it(instruction, good, bad):
    from irg.engine.feasible import search

    [program] = read(instruction)
    gbnf = decoding(program).grammar
    assert program.check(good) == [] and _admits(gbnf, good), program.describe()
    assert program.check(bad) and not _admits(gbnf, bad), program.describe()
    found = search(gbnf, seconds=10)  # a text the grammar admits, found by walking it: it meets the program too
    assert found.found is True and program.check(found.example) == [], found


@pytest.mark.parametrize("instruction,whole", [("Every word should have five letters or fewer.", True),
                                               ("Every word must start with the letter P.", True),
                                               ("Keep every bullet under 5 words.", True),
                                               ("The title should be a single word.", False),
                                               ("The title must be a question.", False)])
def test_whole_words_go_with_grammars_on_words_but_not_with_a_title_over_free_text(instruction, whole):
    """Glued ("TheNightS", "createa") or cut, a word meets a rule on every word's letters falsely (measured on the
    development run); a title's grammar lays down a line, and the text under it is free."""
    assert decoding(read(instruction)[0]).whole_words is whole


def test_no_new_word_grammar_has_a_place_only_a_word_piece_can_fill():
    from irg.engine.feasible import search, word_piece_only

    for instruction in ("Every word should have five letters or fewer.", "No word may start with the letter s.",
                        "Every word must start with the letter P.",
                        "Keep every bullet under 5 words.", "Paragraphs must not exceed 12 words."):
        dc = decoding(read(instruction)[0])
        assert search(dc.grammar, goal=word_piece_only, seconds=60).found is False, instruction  # a full walk


def test_a_counted_word_is_letters_or_a_short_number_never_both():
    """Allowed "[a-z0-9]*", the model under whole words wrote "h20" and then one word of 250 digits."""
    gbnf = decoding(read("Every sentence should have at most three words.")[0]).grammar
    assert _admits(gbnf, "Rain in 2024. We stay home.")
    assert not _admits(gbnf, "Rain in h20. We stay home.")
    assert not _admits(gbnf, "Rain in 13548911. We stay home.")
    # a line of verse holds no number: made to fill a line to its count, the model wrote "turns away, 1000"
    for rule in ("Every line should have exactly three words.", "Every line should have an odd number of words."):
        gbnf = decoding(read(rule)[0]).grammar
        assert _admits(gbnf, "Rain falls down\nWe stay home") and not _admits(gbnf, "Rain in 2024\nWe stay home")


def test_a_paragraph_limit_holds_each_part_of_an_answer_written_part_by_part():
    from irg.engine.compose.constraint import Composed
    from irg.engine.constraints.text import words
    from irg.engine.decoding import DecodingConstraints
    from irg.engine.parts import Parts, capped

    cap = Composed(read("Paragraphs must not exceed 60 words.")[0].to_dict())
    assert cap.part_limit() == {"unit": "word", "n": 60}
    assert Composed(read("Each paragraph should have 2 to 4 sentences.")[0].to_dict()).part_limit() == \
        {"unit": "sentence", "n": 4}
    assert Composed(read("Keep every sentence under eight words.")[0].to_dict()).part_limit() is None
    three, before = Parts(3), "One two three four five. Six seven."
    got = capped(DecodingConstraints(limits=[{"letter": "e", "n": 3}]), [cap], three, before, "\n\nThe next part.")
    assert got.limits == [{"letter": "e", "n": 3}, {"unit": "word", "n": len(words(before)) + 60}]
    # after a start phrase (no lead) the phrase opens the part's paragraph: counted inside the cap
    assert capped(DecodingConstraints(), [cap], three, "Once upon a time", "").limits == [{"unit": "word", "n": 60}]
    assert capped(DecodingConstraints(), [cap], three, "# Title\n\nOnce", "").limits == \
        [{"unit": "word", "n": len(words("# Title")) + 60}]
    # parts joined by *** or opened by a marker line are not the checker's paragraphs: no cap
    assert capped(DecodingConstraints(), [cap], Parts(3, separator="\n***\n"), before, "\n***\nNext.").limits == []
    assert capped(DecodingConstraints(), [cap], Parts(3, marker="SECTION"), before, "\n\nSECTION 2\n").limits == []
    small = Composed(read("Paragraphs must not exceed 12 words.")[0].to_dict())
    assert capped(DecodingConstraints(), [small], three, before, "\n\nNext.").limits == []  # below what a part holds


def test_a_long_answer_under_a_paragraph_cap_is_planned_in_more_smaller_parts():
    """Sized as before (about 80 words a part), each part would be cut to the cap and the minimum never reached."""
    from irg.engine.compose.constraint import Composed
    from irg.engine.constraints import from_dict
    from irg.engine.parts import parts_for

    least = from_dict({"kind": "word_count", "rel": "at_least", "n": 300})
    free, held = parts_for([least], 256), parts_for([least, Composed(read("No paragraph over 50 words.")[0].to_dict())],
                                                    256)
    assert held.n > free.n and held.words <= 45 and held.n * held.words >= 300, (free, held)


def test_a_title_grammar_takes_the_title_types_form_too():
    """A prompt may ask for a <<title>> (a type) and say what the title holds (a program): either form is a title."""
    for instruction, title in (("The title should be a single word.", "Bread"), ("The title must be a question.",
                                                                                  "Why bake?")):
        [program] = read(instruction)
        gbnf = decoding(program).grammar
        for text in (f"<<{title}>>\n\nWe bake it daily.", f"# {title}\n\nWe bake it daily."):
            assert _admits(gbnf, text) and program.check(text) == [], text


def test_no_grammar_for_a_least_word_length_or_a_refused_last_letter():
    """Each would leave places only a word piece can fill; the model glued words to meet it ("Thenight skyisa")."""
    for instruction in ("Every word must be exactly four letters long.", "No word may have fewer than four letters.",
                        "No words ending in e."):
        assert decoding(read(instruction)[0]) is None, instruction


@pytest.mark.parametrize("instruction,text", [
    ("End every paragraph with 'À bientôt'.", "Merci. À bientôt"),  # a phrase beyond ASCII, as it is
])
def test_a_phrase_beyond_ascii_is_written_as_it_is(instruction, text):
    [program] = read(instruction)
    assert program.check(text) == [] and _admits(decoding(program).grammar, text)


def test_what_the_checker_strips_or_breaks_on_cannot_meet_a_grammar_falsely():
    """Spaces at a title's end (the checker strips them) do not fill a least length; a carriage return or a line
    separator (str.splitlines breaks on them) is no character of a line; a text needs a word to meet a word rule."""
    title = decoding(read("The title should be between 10 and 20 characters.")[0]).grammar
    assert not _admits(title, "# Ab        \n\nText.") and _admits(title, "# Bread today\n\nText.")
    night = decoding(read("Every line must end with the word 'night'.")[0]).grammar
    assert not _admits(night, "The dark\r night") and not _admits(night, "The dark\u2028 night")
    letters = decoding(read("Every word must start with the letter P.")[0]).grammar
    assert not _admits(letters, "") and not _admits(letters, "...") and _admits(letters, "Pies.")
