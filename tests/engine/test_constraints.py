"""Extraction from many phrasings (negations, numbers as words) and a checker table per type."""
import pytest

from irg.engine.constraints import CONSTRAINT_TYPES, extract_all, from_dict, normalize_numbers


def kinds(prompt):
    return [c.to_dict() for c in extract_all(prompt)]


EXTRACT = [
    ("Write 4 paragraphs separated by two new lines. The second paragraph must start with the word Rivers.",
     [{"kind": "paragraph_first_word", "n": 4, "nth": 2, "word": "Rivers"}]),
    ("Make it 3 paragraphs, separated by ***, and start the first paragraph with the word Once.",
     [{"kind": "paragraph_count", "n": 3, "separator": "***"},
      {"kind": "paragraph_first_word", "n": 3, "nth": 1, "word": "Once"}]),
    ('Finish your response with "Is there anything else I can help with?". No other words should follow this.',
     [{"kind": "end_phrase", "phrase": "Is there anything else I can help with?"}]),
    ('The very end of your response should read "Let me know."', [{"kind": "end_phrase", "phrase": "Let me know."}]),
    ("Separate the two jokes with 6 asterisk symbols: ******", [{"kind": "two_responses"}]),
    ("Please put double quotation marks around your whole response.", [{"kind": "quotation"}]),
    ("Write exactly 9 very short bullet points.", [{"kind": "bullet_count", "rel": "exactly", "n": 9}]),
    ("In your response, at least six section should be highlighted with markdown.",
     [{"kind": "highlighted_sections", "n": 6}]),
    ("Make sure to use at least 2 words with all capital letters.",
     [{"kind": "capital_word_frequency", "rel": "at_least", "n": 2}]),
    ("Your entire response should be in Gujarati, no other language is allowed.",
     [{"kind": "language", "language": "gujarati"}]),
    ("Answer with 'My answer is yes.', 'My answer is no.' or 'My answer is maybe.'",
     [{"kind": "choose_from", "options": ["My answer is yes.", "My answer is no.", "My answer is maybe."]}]),
    ("Name a fruit. Choose from: apple, banana, cherry.",
     [{"kind": "choose_from", "options": ["apple", "banana", "cherry"]}]),
    ("The word 'door' should appear 3 times.",
     [{"kind": "keyword_frequency", "word": "door", "rel": "exactly", "n": 3}]),
    ("How many words are in the English language?", []),

    ("Write a poem about the sea in all lowercase letters.", [{"kind": "lowercase"}]),
    ("Reply in lowercase only please.", [{"kind": "lowercase"}]),
    ("Describe Paris with no capital letters at all.", [{"kind": "lowercase"}]),
    ("Write a story without using any commas.", [{"kind": "no_commas"}]),
    ("Explain tides. Do not use any commas in your answer.", [{"kind": "no_commas"}]),
    ("You may use commas freely. Write a story.", []),
    ("Write an essay of at least three hundred words about dogs.",
     [{"kind": "word_count", "rel": "at_least", "n": 300}]),
    ("Answer in fewer than fifty words.", [{"kind": "word_count", "rel": "less_than", "n": 50}]),
    ("Write a short bio in twenty-five words or less.", [{"kind": "word_count", "rel": "at_most", "n": 25}]),
    ("Use no more than 40 words.", [{"kind": "word_count", "rel": "at_most", "n": 40}]),
    ("Give exactly three bullet points about cats.", [{"kind": "bullet_count", "rel": "exactly", "n": 3}]),
    ("List 5 bullet points on rain.", [{"kind": "bullet_count", "rel": "exactly", "n": 5}]),
    ("Wrap your entire output in JSON format.", [{"kind": "json_format"}]),
    ("Do not answer in JSON.", []),
    ("Write a blog post. Include the keywords 'ocean' and 'sky'.",
     [{"kind": "include_keywords", "keywords": ["ocean", "sky"]}]),
    ("Write a paragraph that includes the keywords 'leaves' and 'harvest'.",
     [{"kind": "include_keywords", "keywords": ["leaves", "harvest"]}]),
    ("Write about trains, including the words speed, steam and rail.",
     [{"kind": "include_keywords", "keywords": ["speed", "steam", "rail"]}]),
    ("Write a note. Do not use the word 'very' in your response.", [{"kind": "forbidden_words", "words": ["very"]}]),
    ("Describe snow without using the words cold or white.", [{"kind": "forbidden_words", "words": ["cold", "white"]}]),
    ("Write a letter and end your response with the phrase 'Is there anything else I can help with?'",
     [{"kind": "end_phrase", "phrase": "Is there anything else I can help with?"}]),
    ("Write a poem. Give it a title wrapped in double angular brackets, such as <<poem of joy>>.", [{"kind": "title"}]),
    ("Write an email. At the end of your response, please explicitly add a postscript starting with P.S.",
     [{"kind": "postscript", "marker": "P.S."}]),
    ("Write 4 paragraphs separated by the markdown divider: ***",
     [{"kind": "paragraph_count", "n": 4, "separator": "***"}]),
    ("Write two paragraphs about bees.", [{"kind": "paragraph_count", "n": 2, "separator": ""}]),
    ("Your response must have 3 sections. Mark the beginning of each section with SECTION X.",
     [{"kind": "sections", "n": 3, "marker": "SECTION"}]),
    ("What is the capital of France? First repeat the request word for word without change, then give your answer.",
     [{"kind": "repeat_request", "request": "What is the capital of France?"}]),
    ("Give two different responses. Responses should be separated by 6 asterisk symbols: ******.",
     [{"kind": "two_responses"}]),
    ("Write a tweet in which the letter q appears at least five times.",
     [{"kind": "letter_frequency", "letter": "q", "rel": "at_least", "n": 5}]),
    ("Write an ad. Include at least 2 placeholders represented by square brackets, such as [address].",
     [{"kind": "placeholders", "n": 2}]),
    ("Wrap your entire response with double quotation marks.", [{"kind": "quotation"}]),
    ("Is the sky blue? Answer with one of the following options: ('My answer is yes.', 'My answer is no.')",
     [{"kind": "choose_from", "options": ["My answer is yes.", "My answer is no."]}]),
    ("Pick a colour. Reply with one of: red, green or blue.",
     [{"kind": "choose_from", "options": ["red", "green", "blue"]}]),
    ("Tell me about cheese. Your entire response should be in French, no other language is allowed.",
     [{"kind": "language", "language": "french"}]),
    ("Write a rap IN ALL CAPITAL LETTERS.", [{"kind": "uppercase"}]),
    ("Answer in all caps.", [{"kind": "uppercase"}]),
    ("Write about apples. The word apple should appear at least 3 times.",
     [{"kind": "keyword_frequency", "word": "apple", "rel": "at_least", "n": 3}]),
    ("Highlight at least 2 sections in your answer with markdown, i.e. *highlighted section*.",
     [{"kind": "highlighted_sections", "n": 2}]),
    ("Start your response with the word 'Yes'.", [{"kind": "start_phrase", "phrase": "Yes"}]),
    ("Answer in exactly four sentences.", [{"kind": "sentence_count", "rel": "exactly", "n": 4}]),
    ("Write a poem; words with all capital letters should appear at least 3 times.",
     [{"kind": "capital_word_frequency", "rel": "at_least", "n": 3}]),
    ("Write a haiku about autumn.", []),
    ("Write a story about a capital city.", []),
]


@pytest.mark.parametrize("prompt,expected", EXTRACT, ids=[p[:40] for p, _ in EXTRACT])
def test_each_phrasing_is_read_as_its_constraint(prompt, expected):
    assert kinds(prompt) == expected


def test_combined_prompt_finds_every_constraint():
    p = ("Write about Rome in all lowercase letters, without any commas, in at least 50 words. "
         "Do not use the word 'empire'.")
    assert {c["kind"] for c in kinds(p)} == {"lowercase", "no_commas", "word_count", "forbidden_words"}


@pytest.mark.parametrize("text,expected", [
    ("at least three hundred words", "at least 300 words"),
    ("twenty-five words", "25 words"),
    ("one thousand two hundred and five", "1205"),
    ("appears twice", "appears 2 times"),
    ("a dozen eggs", "12 eggs"),
    ("someone", "someone"),
    # number words side by side are several numbers unless English writes them as one
    ("five seven five syllables", "5 7 5 syllables"),
    ("one six-word memoir per line", "1 6-word memoir per line"),
    ("two three-line stanzas", "2 3-line stanzas"),
    ("twenty one words", "21 words"),
    ("nineteen hundred", "1900"),
    ("between two and four", "between 2 and 4"),
    ("two dozen eggs", "24 eggs"),
    ("twenty one-word lines", "20 1-word lines"),  # twenty lines of one word; "twenty-one-word" is one number
    ("twenty-one-word lines", "21-word lines"),
    ("twenty hundred hours", "2000 hours"),
    ("between one hundred and two hundred words", "between 100 and 200 words"),
    ("three hundred and five words", "305 words"),
])
def test_numbers_as_words(text, expected):
    assert normalize_numbers(text) == expected


CHECK = [  # (constraint, a text that satisfies it, a text that does not)
    ({"kind": "paragraph_first_word", "n": 2, "nth": 2, "word": "Beneath"}, "The sea.\n\nBeneath it, fish.",
     "The sea.\n\nUnder it, fish."),
    ({"kind": "paragraph_first_word", "n": 2, "nth": 2, "word": "Then"}, "One.\n***\nThen two.", "One.\n***\nTwo."),
    ({"kind": "lowercase"}, "all quiet here.", "All quiet here."),
    ({"kind": "uppercase"}, "LOUD NOISES!", "Loud noises!"),
    ({"kind": "capital_word_frequency", "rel": "at_least", "n": 2}, "THIS is VERY good", "this is VERY good"),
    ({"kind": "no_commas"}, "no commas here.", "one, two"),
    ({"kind": "letter_frequency", "letter": "q", "rel": "at_least", "n": 2}, "quick quiz", "quick"),
    ({"kind": "word_count", "rel": "at_least", "n": 5}, "one two three four five", "one two three"),
    ({"kind": "word_count", "rel": "less_than", "n": 3}, "one two", "one two three"),
    ({"kind": "sentence_count", "rel": "exactly", "n": 2}, "One. Two!", "One. Two. Three."),
    ({"kind": "paragraph_count", "n": 2, "separator": "***"}, "a\n***\nb", "a\n\nb"),
    ({"kind": "paragraph_count", "n": 2, "separator": ""}, "a\n\nb", "a b"),
    ({"kind": "paragraph_count", "n": 2, "separator": "", "rel": "at_least"}, "a\n\nb\n\nc", "a b"),
    ({"kind": "bullet_count", "rel": "exactly", "n": 2}, "* a\n* b", "* a\n* b\n* c"),
    ({"kind": "sections", "n": 2, "marker": "SECTION"}, "SECTION 1\na\nSECTION 2\nb", "SECTION 1\na"),
    ({"kind": "highlighted_sections", "n": 2}, "*one* and *two*", "*one* only"),
    ({"kind": "placeholders", "n": 2}, "[name] at [address]", "[name] only"),
    ({"kind": "json_format"}, '```json\n{"a": 1}\n```', "{a: 1}"),
    ({"kind": "quotation"}, '"hello"', "hello"),
    ({"kind": "title"}, "<<Sea>>\nwaves", "Sea\nwaves"),
    ({"kind": "postscript", "marker": "P.S."}, "Hi.\nP.S. bye", "Hi. bye"),
    ({"kind": "two_responses"}, "first\n******\nsecond", "first\n******\nfirst"),
    ({"kind": "include_keywords", "keywords": ["ocean", "sky"]}, "The Ocean meets the sky.", "The ocean."),
    ({"kind": "forbidden_words", "words": ["very"]}, "It is everything.", "It is Very good."),
    ({"kind": "keyword_frequency", "word": "apple", "rel": "at_least", "n": 2}, "apple, Apple", "apple pie, apples"),
    ({"kind": "start_phrase", "phrase": "Yes"}, "Yes, indeed.", "Well, yes."),
    ({"kind": "end_phrase", "phrase": "Any questions?"}, "That is all. Any questions?", "Any questions? That is all."),
    ({"kind": "repeat_request", "request": "What is 2+2?"}, "What is 2+2?\n4", "4"),
    ({"kind": "choose_from", "options": ["My answer is yes.", "My answer is no."]}, "My answer is no.", "Maybe."),
    ({"kind": "language", "language": "french"}, "Le chat est dans la maison et il dort.",
     "The cat is in the house and it sleeps."),
    ({"kind": "final_answer", "value": "38", "hint": False}, "28 + 10 = 38\nThe answer is 38.", "The answer is 37."),
    ({"kind": "composed", "program": {"rule": {"quant": {"kind": "each"}, "select": {"unit": "sentence"},
                                               "test": {"count": "word", "rel": "at_most", "n": 4}}}},
     "Short one. Also short.", "This sentence has far too many words."),
]


@pytest.mark.parametrize("spec,good,bad", CHECK, ids=[c[0]["kind"] for c in CHECK])
def test_each_checker_accepts_a_good_answer_and_flags_a_bad_one(spec, good, bad):
    c = from_dict(spec)
    assert c.check(good) == [], f"{spec} should accept {good!r}"
    found = c.check(bad)
    assert found and all(f.check == spec["kind"] and f.severity == "critical" and f.source == "rule" for f in found)
    assert found[0].message and found[0].fix  # says what is wrong and how to fix it


def test_registry_has_at_least_twenty_types_all_tested():
    assert len(CONSTRAINT_TYPES) >= 20
    assert set(CONSTRAINT_TYPES) == {c[0]["kind"] for c in CHECK}


def test_a_constraint_survives_its_dict_form():
    for spec, _, _ in CHECK:
        assert from_dict(spec).to_dict() == spec


def test_checker_says_where():
    f = from_dict({"kind": "no_commas"}).check("abc, def")[0]
    assert f.where == "char 3"


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        from_dict({"kind": "nonsense"})


@pytest.mark.parametrize("path,floor", [("assets/phrasings/dev.jsonl", 1.0), ("assets/phrasings/dev2.jsonl", 1.0),
                                        ("assets/phrasings/heldout.jsonl", 0.95)])
def test_phrasing_sets_extraction_floor(path, floor):
    """Regression guard: the dev sets are fitted (1.0); the held-out set was measured at recall 0.964, precision
    0.994."""
    from pathlib import Path

    from irg.evaluation.phrasings import load, score_set

    s = score_set(load(Path(__file__).resolve().parents[2] / path))
    assert s["recall"] >= floor and s["precision"] >= floor, (s["recall"], s["precision"], s["misses"][:3])


@pytest.mark.parametrize("prompt,kind", [
    ("Why do some people write in all caps online?", None),
    ("Teach me when to use uppercase and lowercase letters in titles.", None),
    ("What does JSON stand for?", None),
    ("Write a limerick; use lowercase only, no capitals at all.", "lowercase"),
    ("Write a slogan using at least 2 words in ALL CAPS.", "capital_word_frequency"),
    ("Write a story of no fewer than 500 words.", "word_count"),
    ("Describe a forest without mentioning trees.", "forbidden_words"),
    ("The first word of your response should be 'Hello'.", "start_phrase"),
])
def test_topic_is_not_instruction_and_new_phrasings(prompt, kind):
    got = [c.kind for c in extract_all(prompt)]
    assert got == ([kind] if kind else []), got


def test_json_whose_strings_hold_fences_is_json():
    """{"answer": "```python …```"} is valid JSON: it had been cut at its first ``` and judged not JSON (dev split)."""
    import json

    from irg.engine.constraints import from_dict

    c = from_dict({"kind": "json_format"})
    text = json.dumps({"answer": "```python\nx = 1\n```"})
    assert c.check(text) == [] and c.render(text) == text
    assert c.check('```json\n{"a": 1}\n```') == [] and c.check('```json\n{"a": 1\n```') != []
