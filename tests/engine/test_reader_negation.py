"""Issue 38's reader: a negated clause never yields a required item, a letter ban is a letter ban (not the banned
word "letter e"), "600+ words" is a limit, and pairs no answer can meet are named — only when the prompt holds them.
Wordings written here; the patterns alone (extract_all) and the program reader, no model."""
import functools

import pytest

from irg.engine.compose.reader import read
from irg.engine.constraints.base import conflicts, extract_all

NEGATED = [  # a refusal of words, in many wordings: {w} is the list
    "Do not include the keywords {w}.", "Don't use the words {w}.", "Never mention {w}.", "Avoid the terms {w}.",
    "Write it without using the words {w}.", "Exclude the keywords {w}.", "Leave out the words {w}.",
    "Refrain from using the words {w}.", "Steer clear of the words {w}.", "You must not use the words {w}.",
    "The words {w} must not appear.", "Do not include any of the following words: {w}.",
]
LISTS = ["sunny, breeze", "'sunny' and 'breeze'", "sunny or breeze"]


@pytest.mark.parametrize("wording", NEGATED)
@pytest.mark.parametrize("words", LISTS)
def test_a_negated_clause_never_yields_a_required_word(wording, words):
    prompt = "Write a short weather report for the coast. " + wording.format(w=words)
    got = extract_all(prompt)
    required = {w.lower() for c in got if c.kind == "include_keywords" for w in c.keywords}
    required |= {c.word.lower() for c in got if c.kind == "keyword_frequency" and c.n > 0 and c.rel != "at_most"}
    assert not required & {"sunny", "breeze"}, (prompt, [c.to_dict() for c in got])
    assert not conflicts(got), prompt  # the prompt holds no contradiction, so none is named


@pytest.mark.parametrize("prompt,letters", [
    ("Write a poem about snow without using the letter e.", ["e"]),
    ("Write a story. Do not use the letter z anywhere.", ["z"]),
    ("Write a note without using the letters a or b.", ["a", "b"]),
    ("Write a limerick. Avoid the letters 'x', 'q' and 'j'.", ["x", "q", "j"]),
])
def test_a_letter_ban_is_a_letter_ban_and_no_banned_word(prompt, letters):
    got = extract_all(prompt)
    assert not any(c.kind == "forbidden_words" for c in got), [c.to_dict() for c in got]
    clause = prompt.split(". ")[-1] if prompt.count(". ") else prompt
    bans = [p.test.arg for p in read(clause)]
    assert bans == letters, (clause, bans)


@pytest.mark.parametrize("prompt,rel,n", [
    ("Write an essay about rivers of 600+ words.", "at_least", 600),
    ("Write a summary with no less than 100 words.", "at_least", 100),
    ("Write a summary with a minimum of 120 words.", "at_least", 120),
    ("Write a summary not exceeding 80 words.", "at_most", 80),
    ("Write a summary of a maximum of 90 words.", "at_most", 90),
])
def test_limits_in_many_wordings_are_read(prompt, rel, n):
    got = [c for c in extract_all(prompt) if c.kind == "word_count"]
    assert [(c.rel, c.n) for c in got] == [(rel, n)], [c.to_dict() for c in got]


@pytest.mark.parametrize("prompt,holds", [
    ("Write a note in entirely lowercase and entirely in capitals.", False),
    ("Write it all in lowercase and all in caps.", False),
    ("Write a list with exactly 3 bullet points and exactly 5 bullet points.", False),
    ("Use at least 3 bullets and at most 6 bullets.", True),  # a range
    ("Explain when to use uppercase and lowercase letters.", True),  # a topic, not two instructions
    ("Give 3 bullet points. Each of the 3 bullets should be short.", True),  # the same count twice
])
def test_pairs_no_answer_can_meet_are_named_and_only_those(prompt, holds):
    named = conflicts(extract_all(prompt))
    assert (not named) == holds, (prompt, named)


def test_the_final_never_falls_back_to_a_draft_that_breaks_an_enforced_ban():
    """A free first draft that scores higher by using a banned word is not the answer while a later draft without it
    exists; when no draft meets the ban, the final says so."""
    from types import SimpleNamespace

    from irg.engine.config import RunConfig
    from irg.engine.constraints import from_dict
    from irg.engine.events import Final
    from irg.engine.loop import RunContext

    ban = from_dict({"kind": "forbidden_words", "words": ["sunny"]})
    other = from_dict({"kind": "word_count", "rel": "at_least", "n": 6})

    def it(i, draft, score):
        return SimpleNamespace(index=i, draft=draft, report=SimpleNamespace(score=score, findings=[]))

    backend = SimpleNamespace(recoveries=lambda: [])
    ctx = SimpleNamespace(constraints=[ban, other], config=RunConfig(), backend=backend, drafter=backend,
                          _recovered={id(backend): 0}, tokens=10, seconds=1.0)
    ctx.iterations = [it(1, "A sunny day by the sea today.", 0.5), it(2, "A day by the sea.", 0.4)]
    final = [e for e in RunContext.finish(ctx, "max_iters") if isinstance(e, Final)][0]
    assert final.answer == "A day by the sea." and final.broken_ban == ""
    ctx.iterations = [it(1, "A sunny day by the sea today.", 0.5), it(2, "So sunny.", 0.0)]
    final = [e for e in RunContext.finish(ctx, "max_iters") if isinstance(e, Final)][0]
    assert final.answer == "A sunny day by the sea today." and "sunny" in final.broken_ban
    # an empty draft meets every ban and may score higher (an empty finding costs less than a long one's count):
    # it is never the answer while a draft with text exists (found with "400 words, no letter e")
    ctx.iterations = [it(1, "A sunny day by the sea today.", 0.0), it(2, "", 0.25)]
    final = [e for e in RunContext.finish(ctx, "max_iters") if isinstance(e, Final)][0]
    assert final.answer == "A sunny day by the sea today." and "sunny" in final.broken_ban


@pytest.mark.parametrize("prompt,request_", [
    ("Start by repeating my request verbatim, then answer with exactly 3 bullet points. My request: give me tips for "
     "a calm morning.", "give me tips for a calm morning."),
    ("Repeat my request first, word for word, then answer: Explain why ice floats. Keep it under 80 words.",
     "Explain why ice floats."),
])
def test_a_labelled_request_is_the_one_repeated(prompt, request_):
    got = [c for c in extract_all(prompt) if c.kind == "repeat_request"]
    assert [c.request for c in got] == [request_]


def test_a_word_needed_n_times_against_a_limit_it_breaks_by_itself_is_named():
    from irg.engine.constraints import from_dict

    three = from_dict({"kind": "keyword_frequency", "word": "elephant", "rel": "at_least", "n": 3})
    letters = from_dict({"kind": "letter_frequency", "letter": "e", "rel": "at_most", "n": 2})
    assert any("elephant elephant elephant" in n for n in conflicts([three, letters]))
    once = from_dict({"kind": "keyword_frequency", "word": "elephant", "rel": "at_least", "n": 1})
    assert conflicts([once, letters]) == []  # one elephant holds two e's: both can hold


def _read(prompt):
    from irg.engine.constraints.detect import read_prompt
    return read_prompt(prompt).constraints


@pytest.mark.parametrize("prompt,kind,rel,n", [  # a refused relation is the opposite bound (the retired trial)
    ("Write a note. It must not be longer than two sentences.", "sentence_count", "at_most", 2),
    ("Do not write more than 3 sentences.", "sentence_count", "at_most", 3),
    ("The answer should not be longer than 50 words.", "word_count", "at_most", 50),
    ("It shouldn't be more than 100 words.", "word_count", "at_most", 100),
    ("Don't go over 80 words.", "word_count", "at_most", 80),
    ("Never use fewer than 4 sentences.", "sentence_count", "at_least", 4),
    ("Do not write more than 3 paragraphs.", "paragraph_count", "at_most", 3),
    ("Don't use more than 4 bullet points.", "bullet_count", "at_most", 4),
    ("Do not use the word great more than 2 times.", "keyword_frequency", "at_most", 2),
    ("Don't use the letter e more than 5 times.", "letter_frequency", "at_most", 5),
    ("Write more than 3 sentences, but don't worry about style.", "sentence_count", "more_than", 3),
    ("Don't use more than 2 words that are fully capitalized. Write 250 words or more.", "word_count", "at_least", 250),
])
def test_a_refused_relation_is_the_opposite_bound(prompt, kind, rel, n):
    got = [(c.rel, c.n) for c in _read(prompt) if c.kind == kind]
    assert got == [(rel, n)], (prompt, [c.to_dict() for c in _read(prompt)])


@pytest.mark.parametrize("prompt,absent", [
    # a letter's case, a part's case, a later quote, a line's start, a word offered instead: none is the answer's
    ("Write a notice. Do not use the lowercase letter 'a' anywhere.", "lowercase"),
    ("Write a notice. The first word must be ALERT, in capital letters.", "uppercase"),
    ("Then, as the last line of your response, add a line that starts with \"P.S.\".", "start_phrase"),
    ("Only short sentences, max 10 words each. Use at least 8 sentences.", "word_count"),
])
def test_what_is_said_of_a_part_is_not_read_of_the_whole_answer(prompt, absent):
    assert absent not in [c.kind for c in _read(prompt)], [c.to_dict() for c in _read(prompt)]


def test_an_option_list_ends_where_its_quotes_stop_and_a_ban_offers_no_alternative():
    got = {c.kind: c for c in _read("Reply with exactly one of these two options and nothing else: 'Approved' or "
                                    "'Rejected'. Your reply must not contain the letter 'e'.")}
    assert got["choose_from"].options == ["Approved", "Rejected"]
    assert "no word contains the letter e" in got["composed"].instruction()
    got = [c for c in _read("Don't use the word 'click' — say 'tap' instead.") if c.kind == "forbidden_words"]
    assert [c.words for c in got] == [["click"]]


@pytest.mark.parametrize("clause,said", [  # a refusal of a letter or mark said with "must not contain"
    ("Your reply must not contain the letter 'e'.", "no word contains the letter e"),
    ("The message must not contain the letter 'e' at all, uppercase or lowercase.", "no word contains the letter e"),
    ("Please do not use any digits (0-9) in the response.", "the response contains no digits"),
    ("The response must not contain any commas.", "the response contains no commas"),
])
def test_must_not_contain_is_a_ban(clause, said):
    assert [p.describe() for p in read(clause)] == [said]


@pytest.mark.parametrize("prompt,said", [  # a review's wordings: refusals read only where they refuse a limit
    ("Write a blog post of at least 500 words. Don't write sentences longer than 20 words.", ["at_least 500"]),
    ("Do not write paragraphs longer than 100 words.", []),  # each paragraph's limit, not the answer's
    ("Never use sentences with more than 25 words.", []),
    ("Do not write a conclusion longer than 2 sentences.", []),
    ("Don't forget to write at least 300 words.", ["at_least 300"]),  # no refusal of the limit
    ("Do not exceed a maximum of 150 words.", ["at_most 150"]),
    ("Don't go below a minimum of 500 words.", ["at_least 500"]),
    ("Whether you agree or not write at least 200 words.", ["at_least 200"]),
    ("Write a story called 'Never Again' in at least 300 words.", ["at_least 300"]),
    ("Write a sign that says 'Do not enter' using fewer than 20 words.", ["less_than 20"]),
    ("The answer cannot be longer than 100 words.", ["at_most 100"]),
    ("Write it without going over 150 words.", ["at_most 150"]),
])
def test_refusals_turn_only_the_limit_they_refuse(prompt, said):
    got = [f"{c.rel} {c.n}" for c in _read(prompt) if c.kind in ("word_count", "sentence_count")]
    assert got == said, (prompt, [c.to_dict() for c in _read(prompt)])


@pytest.mark.parametrize("prompt,absent", [
    ("Name the planets of the solar system, using only lowercase letters.", None),  # "Name" is a verb: all lowercase
    ("The title is up to you, but the poem should be all lowercase.", None),
    ('Write a product listing with a title and a description. Start the description with "Introducing".',
     "start_phrase"),
    ("Sign it like this:\nBest regards,\nTom", "end_phrase"),
    ("Answer in one sentence, then give an example.", "sentence_count"),
    ('Answer with "yes" or "no". Then explain your reasoning in at least 40 words.', "choose_from"),
])
def test_the_review_s_misreadings(prompt, absent):
    kinds = [c.kind for c in _read(prompt)]
    assert (absent not in kinds) if absent else "lowercase" in kinds, kinds


@pytest.mark.parametrize("clause,said", [
    ("Keep it to 16 lines.", "the response has at most 16 lines"),
    ("It should be 12 lines at most.", "the response has at most 12 lines"),
    ("Write a poem of 3 stanzas, each with at most 4 lines.",
     "the response has exactly 3 paragraphs and each paragraph has at most 4 lines"),
    ("The product name must not contain any hyphens.", ""),
    ("Your signature must not contain the letter x.", ""),
    ("Write a poem with 2 stanzas of 4 lines each and a closing couplet.", ""),
    ("Write a limerick and a 5-line prose summary.", ""),
])
def test_the_review_s_program_readings(clause, said):
    assert " and ".join(p.describe() for p in read(clause)) == said


# ---- the review's last three faults (2026-12-05, eighth session) ---------------------------------------------------
@pytest.mark.parametrize("prompt,kind,said", [
    # a refusal carried past "or"/"nor" governs the second bound too (the first, "fewer than 150" with no unit of
    # its own, is not read: a miss, never a misreading)
    ("Write an essay of not fewer than 150 or more than 300 words.", "word_count", [("at_most", 300)]),
    ("The essay should be not shorter than 100 words or longer than 300 words.", "word_count",
     [("at_least", 100), ("at_most", 300)]),
    ("Use the word cat neither fewer than 2 nor more than 5 times.", "keyword_frequency", [("at_most", 5)]),
    # leave granted is no rule: nothing read from it; a rule after "but" still is
    ("Write about dogs. I don't mind if it's over 500 words.", "word_count", []),
    ("Write about dogs. It's fine if it runs past 300 words.", "word_count", []),
    ("Write about dogs. Feel free to write more than 3 sentences, but keep it under 200 words.", "word_count",
     [("less_than", 200)]),
    ("Write about dogs. Feel free to write more than 3 sentences, but keep it under 200 words.", "sentence_count",
     []),
    ("Write a story in under 200 words. It's fine if a sentence runs past 20 words.", "word_count",
     [("less_than", 200)]),
])
def test_carried_refusals_and_permissions(prompt, kind, said):
    got = [(c.rel, c.n) for c in _read(prompt) if c.kind == kind]
    assert got == said, (prompt, [c.to_dict() for c in _read(prompt)])


@pytest.mark.parametrize("prompt,whole", [
    ("Write a letter to my aunt. Don't use a comma after the greeting.", False),
    ("Write a letter. No comma after the greeting, please.", False),
    ("Write a story. Do not use any commas in the first paragraph.", False),
    ("Write a story. Commas are not allowed in the title.", False),
    ("Write a story. Commas should not appear after the greeting.", False),
    ("Write a story. Do not use any commas in your response.", True),
    ("Write a story without commas.", True),
    ("Write a story. Commas are banned.", True),
    ("No commas at all in this essay about cats.", True),
])
def test_a_comma_ban_on_one_part_is_not_a_ban_on_the_answer(prompt, whole):
    reading = _reading(prompt)
    assert ("no_commas" in [c.kind for c in reading.constraints]) == whole
    # listed as not checked, or read as the part's own rule ("the first paragraph contains no commas"), never dropped
    assert whole or any("comma" in u.lower() for u in reading.unchecked) or any(
        c.kind == "composed" and "comma" in c.instruction() for c in reading.constraints)


def _reading(prompt):
    from irg.engine.constraints.detect import read_prompt
    return read_prompt(prompt)


@pytest.mark.parametrize("prompt,said", [
    # parts described to be remade: a limit on each part, never a count of the whole answer (both were read so)
    ("Write about rivers. Any paragraph over 5 sentences should be broken up.",
     "each paragraph has at most 5 sentences"),
    ("Write about rivers. A sentence of more than 40 words must be split.", "each sentence has at most 40 words"),
    ("Write about rivers. Paragraphs over 5 sentences should be broken up.", "each paragraph has at most 5 sentences"),
    ("Write about rivers. Sentences longer than 25 words should be split.", "each sentence has at most 25 words"),
])
def test_parts_to_remake_are_limits_on_each_part(prompt, said):
    reading = _reading(prompt)
    assert [c.kind for c in reading.constraints] == ["composed"], [c.to_dict() for c in reading.constraints]
    assert reading.constraints[0].says() == said


def test_a_part_asked_for_is_still_the_answer():
    assert [(c.kind, c.rel, c.n) for c in _read("Write a paragraph of more than 100 words about rivers.")] == \
        [("word_count", "more_than", 100)]


# ---- misreadings a worked-on contradiction set showed in ordinary wordings (2026-12-05, eighth session) ------------
@pytest.mark.parametrize("prompt,absent,present", [
    ("hey so i need a text to my book club, dont go over 40 words ok", "more_than", "at_most"),  # no apostrophe
    ("Write a better opening line for my letter. Don't open with 'Dear Sir or Madam'.", "start_phrase", None),
    ("Write a note. Sign off with 'Thanks, Dana'.", "start_phrase", "end_phrase"),
    ("Output only JSON. Also add a postscript that starts with 'P.S.' about the deadline.", "start_phrase",
     "postscript"),
    ("Start the graduation speech with a quote from a famous person and end it with the same quote.", "quotation",
     None),
    ("Write a eulogy. Exactly 3 paragraphs. The second paragraph must be just one sentence.", "sentence_count",
     "composed"),
    ("Reply with raw JSON. Keys: status, message. The message value should be all lowercase.", "lowercase", None),
    ("Make 4 quiz questions. At the end put an answer key under a heading that says ANSWER KEY in all caps.",
     "uppercase", None),
    ("Write a story. Don't use the word 'very' in the title.", "forbidden_words", None),
])
def test_ordinary_wordings_once_misread(prompt, absent, present):
    got = _read(prompt)
    said = [c.kind for c in got] + [c.rel for c in got if hasattr(c, "rel")]
    assert absent not in said and (present is None or present in said), [c.to_dict() for c in got]


@pytest.mark.parametrize("prompt,kind", [  # the same rules said of the whole answer are still read
    ("Write a reply that starts with 'Hello'.", "start_phrase"),
    ("Write a story. Put the whole answer in quotes.", "quotation"),
    ("Write a story. The whole answer should be lowercase.", "lowercase"),
    ("Write an ad. Do not use the word \"free\" anywhere in the ad.", "forbidden_words"),
    ("Do not use the words happy or sad in your poem.", "forbidden_words"),
    ("Write a sonnet about a broken umbrella.", "composed"),
])
def test_the_same_rules_on_the_whole_answer_are_still_read(prompt, kind):
    assert kind in [c.kind for c in _read(prompt)]


@pytest.mark.parametrize("prompt,kind,said", [  # a count's other bound, said in another clause or after the first
    ("Write a story. Minimum 300 words. It must not exceed 300 words either.", "word_count",
     [("at_least", 300), ("at_most", 300)]),
    ("Write a post. At least 2 paragraphs, but no more than 4 paragraphs, people don't read long posts.",
     "paragraph_count", [("at_least", 2), ("at_most", 4)]),
    ("Write at least 3 paragraphs about cats and 2 paragraphs about dogs.", "paragraph_count", [("at_least", 3)]),
    ("Write a story of at least 100 words. Keep it under 200 words.", "word_count",
     [("at_least", 100), ("less_than", 200)]),
])
def test_a_count_s_other_bound_is_read(prompt, kind, said):
    assert [(c.rel, c.n) for c in _read(prompt) if c.kind == kind] == said


def test_parts_stay_under_a_paragraph_cap():
    from irg.engine.parts import parts_for
    parts = parts_for(_read("Write about cats. At least 400 words, at least 2 paragraphs, but no more than 4 "
                            "paragraphs."), 400)
    assert parts is not None and parts.n == 4


# ---- a blind probe of ordinary prompts (helper-written, /tmp only; 2026-12-05, eighth session) ---------------------
@pytest.mark.parametrize("prompt,absent", [
    ("Write a poem about the ocean. Dont use the word 'blue' even once, everything else is fine", "keyword_frequency"),
    ("Write a card. Keep the greeting simple ('Hi Tom' is fine) and don't use the word 'miss' more than once.",
     "forbidden_words"),
    ("Write a card. Keep the greeting simple ('Hi Tom' is fine) and don't use the word 'miss' more than once.",
     "start_phrase"),
    ("write a short poem and put the title in quotes", "quotation"),
    ("Write an acrostic. Then add a one-line explanation starting with 'Note:'.", "start_phrase"),
    ("Write a reminder email. Subject line starts with 'Reminder:'.", "start_phrase"),
    ("Give me 3 title ideas for a fantasy novel, numbered, each under 6 words.", "word_count"),
    ("Write a song about summer road trips. The chorus should be in all caps.", "uppercase"),
    ("Output JSON with keys 'title' and 'tags'. The title value should be in all caps.", "uppercase"),
    ("Write a JSON user profile with fields name, age, bio. Keep the bio field under 20 words.", "word_count"),
    ("Write an apology email. Subject line: keep it under 8 words. Body can be as long as you need.", "word_count"),
])
def test_the_probe_s_misreadings(prompt, absent):
    assert absent not in [c.kind for c in _read(prompt)], [c.to_dict() for c in _read(prompt)]


@pytest.mark.parametrize("prompt,said", [
    ("Write a breakup text that's kind. Avoid saying 'it's not you, it's me' — that's so overused.",
     ("forbidden_words", ["it's not you, it's me"])),
    ("Write a 3-paragraph cover letter. Separate paragraphs with ***.", ("paragraph_count", 3)),
    ("5 bullets on why our nonprofit matters, each at least 12 words, total at least 50 words.", ("word_count", 50)),
    ("Write a card. Don't use the word 'miss' more than once.", ("keyword_frequency", 1)),
])
def test_the_probe_s_readings(prompt, said):
    got = [(c.kind, getattr(c, "words", None) or getattr(c, "n", None)) for c in _read(prompt)]
    assert said in got, got


# ---- the review of this change (helper, 376 wordings of its own) --------------------------------------------------
@pytest.mark.parametrize("prompt,said", [
    # read, and read right (each is checked for what is read, not only for what is absent)
    ("dont make it shorter than 80 words or longer than 150 words", [("word_count", "at_least", 80),
                                                                     ("word_count", "at_most", 150)]),
    ("Don’t go over 40 words.", [("word_count", "at_most", 40)]),
    ("Write an ad that isnt longer than 40 words.", [("word_count", "at_most", 40)]),
    ("It is NOT okay to go over 100 words.", [("word_count", "at_most", 100)]),
    ("It should neither exceed 300 words nor fall under 100 words.",
     [("word_count", "at_most", 300), ("word_count", "at_least", 100)]),
    ("Feel free to add emojis and keep it under 150 words.", [("word_count", "less_than", 150)]),
    ("Write a story. Bullets are fine, but keep it under 100 words.", [("word_count", "less_than", 100)]),
    ("Minimum 3 paragraphs.", [("paragraph_count", "at_least", 3)]),
    ("Avoid the word 'basically' more than once.", [("keyword_frequency", "at_most", 1)]),
    ("Write a limerick that starts with 'There once'.", [("start_phrase", None, None)]),
    ("Write a haiku starting with 'Snow'.", [("start_phrase", None, None)]),
    ("The answer mustnt exceed 100 words.", [("word_count", "at_most", 100)]),
    ("Write about rain; it shouldn’t exceed 50 words.", [("word_count", "at_most", 50)]),
    ("Write a caption. It's not fine if it's over 20 words.", [("word_count", "at_most", 20)]),
    ("Don't write fewer than 3 paragraphs or more than 5 paragraphs.", [("paragraph_count", "at_least", 3),
                                                                          ("paragraph_count", "at_most", 5)]),
    ("Describe a sunset. It doesnt need to be longer than 200 words.", []),
    ("Write a letter. No need to stay under 200 words.", []),
    ("Write an email. It doesnt matter if it's over 200 words.", []),
    ("I don't care if it's over 500 words.", []),
    ("Write a short poem, then a caption that starts with 'Photo:'.", []),
    ("Write a story. End with a moral that starts with 'Moral:'.", []),
    # nothing of these kinds: leave, a part's edge, an example, a rule on some paragraphs
    ("I don’t mind if it’s over 300 words.", []),
    ("Going over 50 words is fine.", []),
    ("Write a poem. Add a one-line dedication at the end starting with 'For'.", []),
    ("Write a note. Then a P.S. starting with 'Also'.", []),
    ("Begin with a greeting, for example 'Hello friends'.", []),
    ("Write two 3-paragraph stories.", []),
    ("Write at least 3 paragraphs about cats and at most 1 paragraph about dogs.",
     [("paragraph_count", "at_least", 3)]),
    ("At most 4 paragraphs. At least 2 paragraphs must mention Paris.", [("paragraph_count", "at_most", 4)]),
])
def test_the_review_s_wordings(prompt, said):
    kinds = {k for k, _, _ in said} | {"word_count", "paragraph_count", "keyword_frequency", "start_phrase",
                                       "forbidden_words"}
    got = [(c.kind, getattr(c, "rel", None), getattr(c, "n", None)) for c in _read(prompt) if c.kind in kinds]
    assert [(k, r, n) if r else (k, None, None) for k, r, n in got] == said, (prompt, got)


@pytest.mark.parametrize("prompt,listed", [  # a part's rule is listed as not checked, never read as the answer's
    ("Write 3 paragraphs. Each one at most 4 sentences.", "Each one"),
    ("If a sentence has more than 30 words, split it.", "sentence"),
    ("Rewrite sentences longer than 40 words.", "Rewrite"),
    ("Write about cats. Include an intro of at least 50 words.", "intro"),
    ("Don't end lines with commas.", "commas"),
])
def test_a_part_s_rule_is_listed_not_read(prompt, listed):
    reading = _reading(prompt)
    assert not [c for c in reading.constraints if c.kind in ("word_count", "sentence_count", "no_commas")]
    assert any(listed in u for u in reading.unchecked), reading.unchecked


@pytest.mark.parametrize("prompt,kind", [  # and a rule on the whole answer, beside such words, is still read
    ("Write a haiku. Don't use any commas in your haiku.", "no_commas"),
    ("Write a haiku. Don't use the word 'moon' in your haiku.", "forbidden_words"),
    ("Write a headline in all caps.", "uppercase"),
    ("Write an intro of at least 50 words.", "word_count"),
])
def test_whole_answer_rules_beside_part_words(prompt, kind):
    assert kind in [c.kind for c in _read(prompt)]


@pytest.mark.parametrize("prompt,upper", [  # a case disliked, reported or overruled is no case to write in
    ("Can you write a kids story about a turtle? My son hates when stories are all caps, so normal text.", False),
    ("My friend said 'write everything in capital letters so it pops' but I think thats tacky. Write me a flyer, "
     "normal case.", False),
    ("I hate all caps. Write a flyer.", False),
    ("Write a flyer in all caps.", True),
    ("Your entire response should be in English, and in all capital letters.", True),
])
def test_a_case_disliked_is_not_asked(prompt, upper):
    assert ("uppercase" in [c.kind for c in _read(prompt)]) == upper


@pytest.mark.parametrize("prompt,want", [
    ("Write a poem. Don't use the word 'blue' twice.", [("keyword_frequency", "blue", "less_than", 2)]),
    ("Write a poem. Don't use 'great' three times.", [("keyword_frequency", "great", "less_than", 3)]),
    ("Write a speech. Don't use 'literally' more than a couple of times.",
     [("keyword_frequency", "literally", "at_most", 2)]),
    ("Write a speech. Don't repeat the word 'amazing'.", [("keyword_frequency", "amazing", "at_most", 1)]),
    ("Write a poem. Dont use the word 'blue' even once.", [("forbidden_words", "blue")]),  # once: a ban
    ("Write a poem. Use the word 'blue' twice.", [("keyword_frequency", "blue", "exactly", 2)]),
    ("Write a story. Avoid 'it's' and 'can't'.", [("forbidden_words", "it's", "can't")]),
    ("Write a story. No 'um' or 'uh' anywhere.", [("forbidden_words", "um", "uh")]),
    ("Avoid 'clickbait' headlines.", []),  # a kind of headline, no word named to ban
    ("Write at least 300 words; responses under 300 words will be rejected.", [("word_count", "at_least", 300)]),
    ("Answers over 100 words will be marked down.", [("word_count", "at_most", 100)]),
])
def test_a_ban_limited_by_a_count_a_quoted_ban_and_a_penalised_bound(prompt, want):
    """A refused count is a count below it ("twice": fewer than 2; "once": a ban); a bound that "will be rejected"
    is turned around, and no contradiction is named for it."""
    got = extract_all(prompt)
    said = [(c.kind, *(c.words if c.kind == "forbidden_words" else
                       [c.word, c.rel, c.n] if c.kind == "keyword_frequency" else [c.rel, c.n])) for c in got]
    assert said == want, (prompt, said)
    assert not conflicts(got), prompt


@pytest.mark.parametrize("prompt,want", [
    ("Write a short story that is not over 300 words nor under 150 words.", [("at_most", 300), ("at_least", 150)]),
    ("Do not exceed 250 words or go below 200 words.", [("at_most", 250), ("at_least", 200)]),
    ("Write a story. Minimum 200 words. Do not exceed 250 words either.", [("at_least", 200), ("at_most", 250)]),
    ("Your essay should exceed 300 words.", [("more_than", 300)]),
    ("Don't let it go over 100 words.", [("at_most", 100)]),
    ("No sentence longer than 12 words.", []),  # each sentence's limit, not the answer's
    ("Blog post: no sentence anywhere in the post may exceed 25 words.", []),
])
def test_exceed_and_a_second_bound_after_or_nor(prompt, want):
    assert [(c.rel, c.n) for c in extract_all(prompt) if c.kind == "word_count"] == want, prompt


def test_a_refusal_carried_past_or_to_another_count():
    got = extract_all("Do not write fewer than 100 words or use more than 3 paragraphs.")
    assert [(c.kind, c.rel, c.n) for c in got] == [("word_count", "at_least", 100), ("paragraph_count", "at_most", 3)]


@pytest.mark.parametrize("prompt", [
    "Write a story. Commas may not be used in the dialogue.",
    "Write a list of tips. No commas between the items.",
    "Write a poem without commas, except in the title.",
])
def test_a_comma_ban_on_a_part_or_with_an_exception_is_not_the_answers(prompt):
    from irg.engine.constraints.detect import read_prompt

    assert not any(c.kind == "no_commas" for c in extract_all(prompt)), prompt
    got = read_prompt(prompt)
    assert not any(c.kind == "no_commas" for c in got.constraints) and got.unchecked, (prompt, got)


@pytest.mark.parametrize("prompt,want", [
    ("Write a paragraph that starts with 'In 1969'.", ["In 1969"]),  # the one paragraph asked is the answer
    ("Write a sentence that begins with 'Today'.", ["Today"]),
    ("Write a paragraph that starts with 'In 1969'. Then a second paragraph.", []),  # a part's opening
    ("Write 3 paragraphs. Write a paragraph that starts with 'Hi'.", []),
    ("Write an essay. Add a paragraph that starts with 'In 1969'.", []),
])
def test_a_paragraph_asked_alone_is_the_answer_and_its_opening_the_answers(prompt, want):
    assert [c.phrase for c in extract_all(prompt) if c.kind == "start_phrase"] == want, prompt


@pytest.mark.parametrize("prompt,want", [
    ("Include this sentence verbatim: 'I have been working here for seven years.'",
     ["I have been working here for seven years."]),
    ("Include our slogan exactly as written: 'Yes, we can'.", ["Yes, we can"]),
    ("Include the product name exactly as trademarked: 'iPhone'.", ["iPhone"]),
    ("Must include all of these phrases: 'free shipping', 'handmade in small batches'.",
     ["free shipping", "handmade in small batches"]),
    ("Include our motto: 'don't panic'.", ["don't panic"]),
    ("Never include our slogan: 'Yes, we can'.", []),
])
def test_a_text_to_use_as_it_is_said_in_single_or_double_quotes(prompt, want):
    assert [k for c in extract_all(prompt) if c.kind == "include_keywords" for k in c.keywords] == want, prompt


@pytest.mark.parametrize("prompt,named", [
    ("Write exactly 10 words. Include this sentence verbatim: 'I have been working in customer service for seven "
     "years now.'", True),
    ("Keep it under 10 words. Include this sentence verbatim: 'I have been working in customer service for seven "
     "years now.'", True),  # an upper bound, not only "exactly"
    ("Ad copy under 12 words total. Must include all of these phrases: 'free shipping on every order', 'handmade "
     "in small batches', 'gift wrapping at checkout'.", True),  # each within, together over
    ("Ad copy under 20 words total. Must include all of these phrases: 'free shipping', 'handmade'.", False),
    ("Under 8 words. Include the phrase 'green tea' and this sentence verbatim: 'We love green tea.'", False),
])
def test_texts_asked_for_against_a_word_limit(prompt, named):
    got = extract_all(prompt)
    assert bool(conflicts(got)) == named, (prompt, [c.to_dict() for c in got], conflicts(got))


@pytest.mark.parametrize("prompt", [
    "Write a story of at least 300 words. The dialogue should not exceed 50 words.",
    "Write at least 300 words. Quote no more than 50 words from the speech.",
])
def test_a_limit_on_the_dialogue_or_on_what_is_quoted_is_not_the_answers(prompt):
    assert [(c.rel, c.n) for c in extract_all(prompt) if c.kind == "word_count"] == [("at_least", 300)], prompt


@pytest.mark.parametrize("prompt,want", [
    ("Exactly 3 paragraphs, each paragraph exactly 2 sentences, 8 sentences total.", ("exactly", 8)),
    ("Write 3 paragraphs of 2 sentences each, 8 sentences in total.", ("exactly", 8)),
    ("Write a story with a total of 8 sentences, each under 10 words.", ("exactly", 8)),
])
def test_a_total_beside_each_parts_count_is_the_answers(prompt, want):
    from irg.engine.constraints.detect import read_prompt

    got = read_prompt(prompt)
    assert [(c.rel, c.n) for c in got.constraints if c.kind == "sentence_count"] == [want], got


# ---- the second review's wordings (assets/trials/misreadings/review2-cases.txt) ----------------------------------
@pytest.mark.parametrize("prompt,want", [
    ("Under no circumstances should you exceed 200 words.", [("word_count", "at_most", 200)]),
    ("Don't let the story exceed 300 words.", [("word_count", "at_most", 300)]),
    ("Do not allow the poem to go beyond 100 words.", [("word_count", "at_most", 100)]),
    ("Keep your essay short; make sure it never goes over 100 words.", [("word_count", "at_most", 100)]),
    ("Write a tweet and keep it from going over 40 words.", [("word_count", "at_most", 40)]),
    ("Write an essay. At no point should it go over 500 words.", [("word_count", "at_most", 500)]),
    ("No answer may exceed 100 words.", [("word_count", "at_most", 100)]),
    ("Write a report on solar power. You may go beyond 500 words if you need to.", []),  # leave, no rule
    ("Write a cover letter. You can exceed 300 words if necessary.", []),
    ("Write a poem of fewer than 50 words about a text message that gets deleted.", [("word_count", "less_than", 50)]),
    ("Write a story in under 300 words about an astronaut who is rejected by NASA.",
     [("word_count", "less_than", 300)]),
    ("Write a summary of the meeting with no bullet points, under 120 words.", [("word_count", "less_than", 120)]),
    ("Write a birthday toast with a quote from Shakespeare in under 100 words.", [("word_count", "less_than", 100)]),
    ("Write an inspirational quote. Keep the quote under 20 words.", [("word_count", "less_than", 20)]),
    ("Write a dialogue between a cat and a dog. Keep the dialogue under 200 words.",
     [("word_count", "less_than", 200)]),
    ("Write a poem with no title in under 80 words.", [("word_count", "less_than", 80)]),
    ("Sentences should not exceed 20 words.", []),  # each sentence's
    ("Write a poem. Lines must be under 8 words.", []),
    ("Write 5 tips; none should exceed 20 words.", []),
    ("Write an essay on Lincoln. Any quote you use must be under 25 words.", []),
])
def test_the_second_review_bounds(prompt, want):
    got = [(c.kind, c.rel, c.n) for c in extract_all(prompt) if c.kind in ("word_count", "sentence_count")]
    assert got == want, prompt


@pytest.mark.parametrize("prompt,want", [
    ("Write a team slogan. Remember there is no 'I' in 'team'.", []),  # a saying, not a ban
    ("Write tips on how to avoid 'burnout'.", []),
    ("Write a toast for a couple who have no 'plan B'.", []),
    ("Write a short guide: how can project teams avoid 'scope creep'?", []),
    ("Write the error message (avoid 'you'), and start with 'Login'.", [("forbidden_words", "you")]),
    ("Write a speech. Don't say 'you know' more than once.", [("keyword_frequency", "you know", "at_most", 1)]),
    ("Write a speech. Don't repeat the phrase 'thank you'.", [("keyword_frequency", "thank you", "at_most", 1)]),
    ("Don't use the word 'very' twice in a row.", []),  # neighbours, not the whole answer
    ("Write a story. Try not to repeat the word 'very' in the same sentence.", []),
    ("Write a chant for our team. Use 'Tigers' and repeat the chorus 3 times.", []),
    ("Give the villain a name. Use the name 'Vex' or 'Malek'.", []),  # options, no text to use
    ("Use the slogan 'Think Big' as inspiration, but write your own.", []),
    ("Write a product page. Include this sentence word-for-word: 'We ship worldwide.'",
     [("include_keywords", "We ship worldwide.")]),
    ("Write a thank-you note. Use my name exactly as it's spelled: 'Siobhan'.", [("include_keywords", "Siobhan")]),
])
def test_the_second_review_words(prompt, want):
    got = []
    for c in extract_all(prompt):
        if c.kind in ("forbidden_words", "include_keywords"):
            got.append((c.kind, *(c.words if c.kind == "forbidden_words" else c.keywords)))
        elif c.kind == "keyword_frequency":
            got.append((c.kind, c.word, c.rel, c.n))
    assert got == want, prompt


@pytest.mark.parametrize("prompt,want", [
    ("Write a short poem about the sea, and write one line that begins with 'Remember'.", []),
    ("Write a short story. Somewhere in it, write one sentence that starts with 'Suddenly'.", []),
    ("Write a paragraph that starts with 'Back then'.", ["Back then"]),  # "then" inside the quote
    ("Write a paragraph starting with 'In 1969'.", ["In 1969"]),
    ("Write a short, funny paragraph that starts with 'Honestly'.", ["Honestly"]),
    ("Write a paragraph that begins with 'Last summer' and has exactly 4 sentences.", ["Last summer"]),
])
def test_the_second_review_openings(prompt, want):
    assert [c.phrase for c in extract_all(prompt) if c.kind == "start_phrase"] == want, prompt


# ---- what the second review's set still showed (tenth session) ------------------------------------------------------
@pytest.mark.parametrize("prompt,want", [
    ("Write a speech. Don't use 'literally' more than a couple times.",
     [("keyword_frequency", "literally", "at_most", 2)]),
    ("Write a poem. Don't use the word 'blue' two or more times.", [("keyword_frequency", "blue", "less_than", 2)]),
    ("Use the word 'rain' 3 or more times.", [("keyword_frequency", "rain", "at_least", 3)]),
    ("Write an essay. Never use the word 'I' twice in one sentence.", []),  # each sentence's, not the answer's
    ("Write a speech. Don't repeat the word 'amazing'.", [("keyword_frequency", "amazing", "at_most", 1)]),
])
def test_counts_said_with_or_more_and_a_couple(prompt, want):
    from irg.engine.constraints.detect import read_prompt

    got = []
    for c in read_prompt(prompt).constraints:  # the whole reader: the detector must not add a ban
        if c.kind in ("forbidden_words", "include_keywords"):
            got.append((c.kind, *(c.words if c.kind == "forbidden_words" else c.keywords)))
        elif c.kind == "keyword_frequency":
            got.append((c.kind, c.word, c.rel, c.n))
    assert got == want, prompt


@pytest.mark.parametrize("prompt,says", [
    ("Write a short poem about the sea, and write one line that begins with 'Remember'.",
     "at least 1 line starts with the word 'Remember'"),
    ("Write a short story. Somewhere in it, write one sentence that starts with 'Suddenly'.",
     "at least 1 sentence starts with the word 'Suddenly'"),
    ("Write a limerick and, in the middle, write a line that starts with 'But'.",
     "at least 1 line starts with the word 'But'"),
    ("Write a sentence that starts with 'Once upon'.", None),  # the one sentence asked: the answer's opening
])
def test_a_line_asked_inside_the_answer_is_some_line_not_the_opening(prompt, says):
    from irg.engine.constraints.detect import read_prompt

    got = read_prompt(prompt).constraints
    if says is None:
        assert [c.kind for c in got] == ["start_phrase"], got
    else:
        assert not [c for c in got if c.kind == "start_phrase"], got
        assert [c.says() for c in got if c.kind == "composed"] == [says], got


@pytest.mark.parametrize("prompt,want", [
    ("Write at most 300 words. Open with a hook of at least 20 words.", [("at_most", 300)]),  # the hook's
    ("Write a 3-paragraph story, then a 1-paragraph summary.", []),  # two parts: neither is the answer's count
])
def test_a_part_s_count_read_in_its_own_clause(prompt, want):
    from irg.engine.constraints.detect import read_prompt

    got = read_prompt(prompt).constraints
    assert [(c.rel, c.n) for c in got if c.kind == "word_count"] == want
    if "paragraph" in prompt:
        assert not [c for c in got if c.kind == "paragraph_count"], got


# ---- a blind author's probe, its odd half (assets/trials/misreadings/probe3.jsonl; the even half stays unread) -------
@functools.lru_cache(maxsize=1)
def _probe():
    """scripts/probe_reading.py, loaded once: its vocabulary is what the blind probe's gold is written in."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("probe_reading", Path(__file__).resolve().parents[2] / "scripts"
                                                  / "probe_reading.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _reads_as(prompt: str, expect: list[str]) -> None:
    """The prompt's readings, in the probe's vocabulary, are exactly the rules `expect` names."""
    want = set().union(*[_probe().gold(x) for x in expect]) if expect else set()
    assert _probe().read(prompt) == want, prompt


@pytest.mark.parametrize("prompt,expect", [
    ("Write a 4-sentence horror story. The last sentence has to be 'I was the one knocking.'",
     ["sentences exactly 4", "ends 'I was the one knocking.'"]),
    ("Write 3 short paragraphs about the water cycle for my grade 5 students.", ["paragraphs exactly 3"]),
    ("I need a motivational quote for a classroom poster, 12 words or fewer.", ["words at_most 12"]),
    ("Describe Tokyo in one sentence, less than 30 words.", ["sentences exactly 1", "words less_than 30"]),
    ("It needs to include 'Saturday', 'gym', and 'cash only'.", ["include 'Saturday'", "include 'gym'",
                                                                 "include 'cash only'"]),
    ("must include 'transparency' and my name 'Jaylen'", ["include 'transparency'", "include 'Jaylen'"]),
    ("write a caption, all lowercase, and put the word 'gains' in there somewhere", ["lowercase", "include 'gains'"]),
    ("Short please, and write 'sick leave' in it.", ["include 'sick leave'"]),
    ("I need a tagline. Skip the word 'paws', literally everyone uses it.", ["ban 'paws'"]),
    ("Make me a grocery list as bullet points, at least 15 of them.", ["bullets at_least 15"]),
    ("Give me a one-paragraph summary of the Industrial Revolution, 100 words, give or take.",
     ["paragraphs exactly 1", "words about 100"]),
    ("Describe our running app 'Stride' in 50 words for the App Store listing.", ["words about 50"]),
    ("Please give me 3 bullet points — no wait, 5 — on how to prepare for a job interview.", ["bullets exactly 5"]),
    ("I need an email to a client. My last email to them was 3 paragraphs and way too long.", []),
    ("Write a product description, make it around 100 words, or maybe 300, whatever you think.", []),
    ("Draft a welcome message. You could open with a greeting such as 'Hi team' or 'Hey everyone'.", []),
    ("Draft a reminder. Please don't use any all-caps words at all, some members find it shouty.",
     ["capital_words exactly 0"]),
    ("Write instructions for a classroom game where students must answer every question in exactly 3 words.", []),
])
def test_the_blind_probe_s_odd_half(prompt, expect):
    _reads_as(prompt, expect)


# ---- the third review (assets/trials/misreadings/review3-cases.txt): what this session's readings over-reached ------
@pytest.mark.parametrize("prompt,expect", [
    # the band's words after the length only where they say the band
    ("Write 200 words, no more than 3 paragraphs, about your favourite teacher.",
     ["words about 200", "paragraphs at_most 3"]),
    ("Write about 200 words on why there is nothing more important than sleep.", ["words about 200"]),
    ("Write 500 words, give or take 10 percent, on remote work.", ["words at_least 450", "words at_most 550"]),
    ("Write 150 words on recycling, no more, no less.", ["words at_least 150", "words at_most 150"]),
    # the length of something else
    ("Explain how Hemingway supposedly wrote a complete story in 6 words.", []),
    ("Describe each product in 30 words. The products are a kettle, a lamp and a fan.", []),
    ("From what I've read, most students write 300 words on average for this assignment. Give me tips to write more.",
     []),
    ("Summarize the attached report (in about 2,000 words) in 5 bullet points.", ["bullets exactly 5"]),
    ("Write a 200-word poem in which at least 6 words rhyme with 'light'.", ["words about 200"]),
    # counts that are parts', items', facts' or others'
    ("Give me 10 name ideas for my bakery, 3 words or fewer.", []),
    ("Write a blog post about hiking with a catchy title (8 words or fewer).", []),
    ("My cover letter is currently 5 paragraphs. Cut it down to 3 paragraphs.", ["paragraphs exactly 3"]),
    ("My old résumé had 12 bullet points. Rewrite it as one short paragraph.", ["paragraphs exactly 1"]),
    ("Write rules for a poetry contest. Pupils must submit poems of at most 20 lines and no more than 150 words.", []),
    ("Write instructions that users can follow in exactly 5 sentences.", ["sentences exactly 5"]),
    ("Write a 3-sentence summary of each chapter of Animal Farm.", []),
    ("Write a 2-sentence horror story, then explain why it is scary.", []),
    ("Read the 4 short paragraphs below and tell me, in one sentence, which is strongest.", []),
    ("Give me packing tips as bullet points, at least 3 of them about shoes.", []),
    # corrections, suggestions, lines inside the answer, words to use or skip
    ("Give me 5 bullet points — actually, 10 would be overkill — on packing light.", ["bullets exactly 5"]),
    ("Write 4 paragraphs about the moon. Sorry, I meant 3.", ["paragraphs exactly 3"]),
    ("Write a thank-you note to my aunt. Maybe end with 'Love, Sam'.", []),
    ("Write a short welcome message for new members. Optionally, sign off with 'The Garden Club'.", []),
    ("Write a poem about the sea. Make sure one of the lines begins with 'Remember'.", []),
    ("Write a poem and then a short explanation of it. The last line should be 'and the tide came in.'", []),
    ("Last time you put 'synergy' in the post and my boss hated it. Write a new post about teamwork.", []),
    ("Summarize our rental agreement, but skip the terms and conditions boilerplate.", []),
    ("Write a birthday post. Include 'Sunday brunch', my name 'Jaylen', and 'mimosas'.",
     ["include 'Sunday brunch'", "include 'Jaylen'", "include 'mimosas'"]),
    ("Write a post about our bakery. Don't forget to mention 'gluten-free'.", ["include 'gluten-free'"]),
    ("Write a jingle for a juice bar and use the word 'fresh' three times or more.", ["word_times 'fresh' at_least 3"]),
    ("Write a toast and use the word 'lovely' at most a couple of times.", ["word_times 'lovely' at_most 2"]),
    ("Write a product announcement. Avoid all-caps words entirely.", ["capital_words exactly 0"]),
])
def test_the_third_review_s_wordings(prompt, expect):
    _reads_as(prompt, expect)
