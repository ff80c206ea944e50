"""A length said with no bound ("Write a 200-word essay", "about 300 words") is read as about that many: within a
tenth either way, two word-count bounds and a notice that says so. Not another text's length, not each part's, not
refused, not one of several lengths. Wordings written here; the patterns alone, then the whole reader."""
import pytest

from irg.engine.constraints.base import extract_all
from irg.engine.constraints.about import about_notices
from irg.engine.constraints.length import WordCount


def _words(prompt):
    return sorted((c.rel, c.n) for c in extract_all(prompt) if c.kind == "word_count")


@pytest.mark.parametrize("prompt,n", [
    ("Write a 200-word essay about soup.", 200),
    ("Write 300 words about bees.", 300),
    ("Write about 300 words on bees.", 300),
    ("Write around two hundred words about the sea.", 200),
    ("Write an essay of 300 words.", 300),
    ("Give me a short 150-word bio.", 150),
    ("Write a poem, roughly 80 words.", 80),
    ("Write a story of around 250 words.", 250),
    ("Keep it ~100 words.", 100),
    ("I need a 400-word cover letter.", 400),
    ("Write my 500-word college essay about resilience.", 500),
    ("Write a 1,500-word essay on the Cold War.", 1500),
    ("Describe the water cycle in about 150 words.", 150),
    ("Write 300 words about bees. Any sentence over 30 words must be split.", 300),
])
def test_a_length_with_no_bound_is_about_that_many(prompt, n):
    lo, hi = -(-n * 9 // 10), n * 11 // 10
    assert _words(prompt) == [("at_least", lo), ("at_most", hi)], prompt
    note = about_notices(prompt, extract_all(prompt))
    assert len(note) == 1 and f"{lo} to {hi}" in note[0], note


@pytest.mark.parametrize("prompt,words", [
    ("Summarize this 500-word article in 3 sentences.", []),  # another text's length
    ("Summarize this article of about 500 words in 3 sentences.", []),
    ("Write 3 paragraphs of about 100 words each.", []),  # each part's
    ("Each bullet should be about 20 words.", []),
    ("Write a 100-word story, then a 50-word summary.", []),  # several lengths: parts
    ("Don't write a 500-word essay, just a paragraph.", []),  # refused
    ("Write about 5 animals.", []),  # a topic, no length
    ("Write an essay of 300 words or fewer.", []),  # a bound said after it (not read by this reader: no band either)
    ("Write a 300-word essay, at most 320 words.", [("at_most", 320)]),  # a bound said: that bound alone
    ("Write a 300 word essay. It should be at least 300 words.", [("at_least", 300)]),
    # the second review's: a fact, a topic, a story's detail, parts, a bound said another way
    ("Write a story about a parrot who knows about 50 words.", []),
    ("Write a blog post about 10 words that have no English translation.", []),
    ("Give me 5 words that rhyme with 'light' and use each one in a sentence.", []),
    ("I'll paste an essay of about 600 words below. Give me feedback in 5 bullet points.", []),
    ("It's about 400 words. Read it and tell me what you think.", []),
    ("Write a story in which a boy must write a 100-word letter to Santa.", []),
    ("I need 500 words by tomorrow for my essay; can you help me outline it?", []),
    ("Write five bullet points of around 20 words.", []),
    ("Write two short poems of about 50 words.", []),
    ("Write 100 words about each of these topics: cats, dogs and birds.", []),
    ("Write a 150-word summary of the plot, then 10 discussion questions.", []),
    ("Generate 20 words related to space, with a short definition for each.", []),
    ("Write a 1000-word essay on climate. Minimum 950.", []),  # the bound said is read by the detector
    # the tenth session's: a rate, words listed or topics after "of"
    ("Write a story about a secretary whose typing speed can exceed 120 words per minute.", []),
    ("Write an analysis of 3 words Shakespeare invented.", []),
])
def test_no_band_where_the_length_is_not_the_answers_alone(prompt, words):
    assert _words(prompt) == words, prompt
    assert not about_notices(prompt, extract_all(prompt))


@pytest.mark.parametrize("prompt,words", [
    # what the sentence says of the band after the length
    ("Write 100 words, no more, no less.", [("at_least", 100), ("at_most", 100)]),
    ("Write a 50-word story, exactly.", [("at_least", 50), ("at_most", 50)]),
    ("Write a blog post of about 300 words, give or take 50.", [("at_least", 250), ("at_most", 350)]),
    ("Write a report of about 500 words, but no more than that.", [("at_least", 450), ("at_most", 500)]),
    ("Give me 200 words on tea, not a word more.", [("at_most", 200)]),
    ("Write around 200 words, and not a word less.", [("at_least", 200), ("at_most", 220)]),
    # asked of the answer, in wordings the first version missed
    ("Read the poem below and write a 100-word analysis of it.", [("at_least", 90), ("at_most", 110)]),
    ("Rewrite this in about 100 words.", [("at_least", 90), ("at_most", 110)]),
    ("Summarize the story above in about 50 words.", [("at_least", 45), ("at_most", 55)]),
    ("Using the notes above write a 200-word summary.", [("at_least", 180), ("at_most", 220)]),
    ("I don't want a 1000-word essay, just about 200 words.", [("at_least", 180), ("at_most", 220)]),
    ("Write a blog post about hiking. Around 300 words is fine.", [("at_least", 270), ("at_most", 330)]),
    # other counts of words that are not lengths: listed, of a kind, quoted, a part of the piece, each part's
    ("Write a 150-word story that uses these 5 words: moon, river, lantern, fox, bell.",
     [("at_least", 135), ("at_most", 165)]),
    ("Write a 300-word blog post with a 10-word headline.", [("at_least", 270), ("at_most", 330)]),
    ("Write a 200-word essay on the saying 'a picture is worth 1000 words'.", [("at_least", 180), ("at_most", 220)]),
    ("Write a 300-word essay with at least 3 examples.", [("at_least", 270), ("at_most", 330)]),
    ("Write a 200-word story in 3 paragraphs of about 70 words each.", [("at_least", 180), ("at_most", 220)]),
])
def test_the_band_as_the_sentence_says_it(prompt, words):
    from irg.engine.constraints.detect import read_prompt

    assert sorted((c.rel, c.n) for c in read_prompt(prompt, detector=False).constraints
                  if c.kind == "word_count") == words, prompt
    assert len(about_notices(prompt, read_prompt(prompt, detector=False).constraints)) == 1, prompt


@pytest.mark.parametrize("prompt,want", [
    ("Write a 200-word essay about soup.", [WordCount("at_least", 180), WordCount("at_most", 220)]),
    ("Write a 300-word essay. Use at least 5 words in all caps.", [WordCount("at_least", 270),
                                                                   WordCount("at_most", 330)]),
    ("Write a 100-word story. Then write a 50-word summary.", []),  # each clause alone would read a band: parts
])
def test_the_whole_reader_reads_the_band_once_and_says_so(prompt, want):
    from irg.engine.constraints.detect import read_prompt

    got = read_prompt(prompt)
    assert [c for c in got.constraints if c.kind == "word_count"] == want
    assert bool(want) == any("within a tenth" in n for n in got.notices), got.notices
    others = ["capital_word_frequency"] if "caps" in prompt else []
    assert [c.kind for c in got.constraints if c.kind != "word_count"] == others
    assert not any("could not be read" in n for n in got.notices) or not want
