"""Restatements (issue 37): casual and learners' wordings are said again in the readers' words, then read under the
same guards; nothing a guard refuses is read through a restatement, and quoted text is never touched."""
from __future__ import annotations

import pytest

from irg.engine.compose.reader import read
from irg.engine.compose.restate import RESTATEMENTS, restate


def said(clause: str) -> list[str]:
    return [p.describe() for p in read(clause)]


@pytest.mark.parametrize("clause,reading", [
    ("every sentance should end with an exclamation mark haha", "each sentence ends with an exclamation mark"),
    ("Kindly make the each sentence start by different word.", "no two sentences start with the same word"),
    ("The lines must to be in alphabet order by first letter.",
     "the first letters of the lines are in alphabetical order"),
    ("I want that every bullet is finishing with a full stop.", "each bullet item ends with a period"),
    ("can u make each bullet super short, like 5 words or less", "each bullet item has at most 5 words"),
    ("pls keep sentences short, like 6 words or less each", "each sentence has at most 6 words"),
    ("Headings: 5 words max.", "each heading has at most 5 words"),
    ("Bullets: no more than six words", "each bullet item has at most 6 words"),
    ("Each line: at most 10 words.", "each line has at most 10 words"),
    ("One-word headings only.", "each heading has exactly 1 word"),
    ("Write 6-word lines.", "each line has exactly 6 words"),
    ("Don't end a line on a comma.", "no line ends with a comma"),
    ("Never start a sentence with a numeral.", "no sentence begins with a digit"),
    ("Break it into lines of no more than 10 words.", "each line has at most 10 words"),
    ("Bullets don't get periods at the end.", "no bullet item ends with a period"),
    ("No full stops at the end of headings.", "no heading ends with a period"),
    ("Each page (paragraph) gets two sentences, no more, no less.", "each paragraph has exactly 2 sentences"),
    ("Put an ellipsis at the end of each stanza.", "each paragraph ends with an ellipsis"),
    ("Add a question mark at the end of every line.", "each line ends with a question mark"),
    ("End each stanza on a question.", "the last sentence of each paragraph ends with a question mark"),
    ("Give every section the same number of bullets.", "all sections have the same number of bullet items"),
    ("Two-thirds or more of your sentences should be under 15 words.",
     "at least two thirds of the sentences have at most 14 words"),
    ("50% or fewer of the lines may end with a comma.", "at most 50% of the lines end with a comma"),
    ("Break the text up: no paragraph should have more than 3 sentences.", "each paragraph has at most 3 sentences"),
    ("Every sentence needs at least six words, so no fragments.", "each sentence has at least 6 words"),
    ("Headings in all caps.", "each heading is in capital letters"),
    ("Write the section headings in all capital letters.", "each heading is in capital letters"),
    ("Every heading is written entirely in capital letters.", "each heading is in capital letters"),
    ("Bullets in lowercase.", "each bullet item is in lowercase letters"),
    ("Open every paragraph with a rhetorical question.",
     "the first sentence of each paragraph ends with a question mark"),
    ("Each stanza should close with a question.", "the last sentence of each paragraph ends with a question mark"),
    ("Vary sentence length: no two sentences in a row have the same number of words.",
     "no two consecutive sentences have the same number of words"),
    ("Close by asking whether they have questions.", "the last sentence ends with a question mark"),
    ("Use number words, never numerals.", "the response contains no digits"),
    ("Never use the same word twice.", "no word appears more than once"),
    ("No repeated words - every word used only once.", "no word appears more than once"),
    ("Write headings as statements, not questions.", "no heading ends with a question mark"),
    ("Each heading should be followed by at least two paragraphs.",
     "the text under each heading has at least 2 paragraphs"),
    ("At most one sentence in five may go over 20 words.", "at most 20% of the sentences have at least 21 words"),
    ("At least one line in three should end with a comma.", "at least one third of the lines end with a comma"),
    ("At most 2 sentences in 6 should end with a question mark.",  # a ratio not in lowest terms
     "at most one third of the sentences end with a question mark"),
    ("can the 3rd line be the longest one", "line 3 has more words than any other line"),
    ("Could each bullet be under 10 words?", "each bullet item has at most 9 words"),
    ("Headline: no period at the end.", "the title does not end with a period"),
    ("Headings: no full stops at the end.", "no heading ends with a period"),
    # an upper bound said again
    ("Paragraphs: 1-3 sentences, never more.", "each paragraph has between 1 and 3 sentences"),
    ("Each bullet has at most 12 words, no more.", "each bullet item has at most 12 words"),
    ("Keep sentences short, nothing over 12 words.", "each sentence has at most 12 words"),  # the number says "short"
    ("shorter sentences plz, nothing over like 12 words", "each sentence has at most 12 words"),
    ("dont make the paragraphs huge, 3 lines tops", "each paragraph has at most 3 lines"),
    ("Keep the bullets brief: under 10 words.", "each bullet item has at most 9 words"),
    ("Each point has only one sentence.", "each bullet item has exactly 1 sentence"),  # a list's points
    ("Each bullet should start with a verb, under 10 words.",  # a second limit on the subject after a comma
     "the first word of each bullet item is a verb; each bullet item has at most 9 words"),
    ("Keep each line under 8 words and never end a line with a comma.",  # two instructions joined by "and"
     "each line has at most 7 words; no line ends with a comma"),
    ("Subject line: under 50 characters, no exclamation mark at the end.",
     "the subject line has at most 49 characters; the subject line does not end with an exclamation mark"),
])
def test_a_casual_wording_is_read_as_its_plain_restatement(clause, reading):
    assert "; ".join(said(clause)) == reading and said(clause)


@pytest.mark.parametrize("clause,reading,holds,breaks", [
    ("Headings must not end with punctuation.", "no heading ends with a punctuation mark", "# Intro\n\nText.",
     "# Intro:\n\nText."),
    ("End each stanza with an ellipsis.", "each paragraph ends with an ellipsis", "Rain falls...\n\nWind…",
     "Rain falls...\n\nWind."),
])
def test_new_edges_are_read_and_checked(clause, reading, holds, breaks):
    (program,) = read(clause)
    assert program.describe() == reading and program.check(holds) == [] and program.check(breaks)


@pytest.mark.parametrize("clause", [
    "Don't end a line on a comma unless it is a list.",  # an exception the restatement keeps, so the guard refuses
    "pls keep sentences short, like 6 words or less each, if you can",
    "Headings: 5 words max, except the first.",
    "Bullets don't get periods at the end, or sometimes do.",
    "Kindly make the each sentence start by different word, mostly.",
    "Write about a poet who writes 6-word lines.",  # a form talked about, not asked for
    "In the intro: no sentence over 10 words.",  # a lead-in with a scope is part of the rule
    "For the chorus: every line under 8 words.",
    "Chorus lines: every line under 8 words.",
    "Don't repeat any word from the title.",  # a unit named without an instruction of its own
    "Headings in all caps, except the first.",
    "Open every paragraph with a question, unless it is a quote.",
    "Can the 3rd line be the longest one, if it fits?",
    "Can you make the title short?",  # "short" is no measure
    "Each paragraph has 2 sentences, no more.",  # exactly 2, or up to 2?
    "Each line has at least 3 words, never more.",
    "Keep sentences short, nothing over 12 words unless it is a quote.",
    "Keep sentences short, about 12 words.",  # an estimate
    "Each step must begin with 'Step' and its number.",  # the number is a second rule no reader reads
    "No commas at the end.",  # not "no commas": where they may not be
    "No exclamation point at the end.",
    "Never use more than 3 bullets and 2 headings.",  # "2 headings" opens no instruction of its own
    "Each line should rhyme, about 8 syllables.",
    "Can the lines be longer than 10 words?",  # asks leave, not for a minimum
    "Could the paragraphs have more than 3 sentences?",
    "Each stanza should be four lines, eight syllables.",  # 8 a line, not a stanza of 8 syllables
    "Each paragraph should be 3 sentences, 20 words max.",  # a sentence's limit or the paragraph's?
    "Each bullet should start with a verb, 10 words.",  # a bare number after the comma
    "A title of at most five words for each section.",  # a scope left over
    "A title of at most five words maybe.",
    "Subject line: 6-10 words, and no words in ALL CAPS.",  # the caps rule is the label's, not the answer's
    "Headlines: no period at the end.",  # several headlines: not the title, and "each headline" is not a unit
])
def test_a_restatement_never_reads_what_the_guards_refuse(clause):
    assert said(clause) == []


def test_quoted_text_is_never_restated_and_a_clause_read_as_written_is_not_restated():
    # the words around a quote may be said again ("end every line with" -> "every line must end with"), never the quote
    assert restate("End every line with 'pls help lol'.") == "Every line must end with 'pls help lol'."
    assert restate("Kindly end every line with 'the each'.") == "Every line must end with 'the each'."
    # a clause the readers read as written keeps its own reading
    assert said("Each line has at most 10 words.") == ["each line has at most 10 words"]


def test_each_restatement_is_a_registered_unit():
    assert {"filler", "typos", "plural lead", "refused edge", "no mark at the end"} <= set(
        RESTATEMENTS.names())
    with pytest.raises(ValueError):
        RESTATEMENTS.register("filler", RESTATEMENTS.get("filler"))


# ---- a label, then a list of rules about it (issue 37) -------------------------------------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Lines: at most 8 words, at least 3 words.", ["each line has at most 8 words", "each line has at least 3 words"]),
    ("Subject line: under 50 characters, 6 words or fewer.",
     ["the subject line has at most 49 characters", "the subject line has at most 6 words"]),
    # a mark refused in the list is the label's units' (frames.py "plural lead ban"), never the whole answer's
    ("Each bullet: under 10 words, no commas.", ["each bullet item has at most 9 words",
                                                 "each bullet item contains no commas"]),
    ("Paragraphs: 2-4 sentences, no semicolons.", ["each paragraph has between 2 and 4 sentences",
                                                   "each paragraph contains no semicolons"]),
])
def test_a_label_with_a_list_of_rules_is_read_item_by_item(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    # the second rule is about the label's unit, which no reader of it keeps: not read as a rule on the whole answer
    "Subject line: 6-10 words, and no words in ALL CAPS.",
    # a part of the list no reader reads: nothing, rather than the rest without it
    "Headings: 5 words max, in all caps.",
    "Title: under 8 words, in title case.",
])
def test_a_label_s_scope_is_never_dropped_from_a_rule_in_its_list(clause):
    assert said(clause) == []


# ---- judgements of fit, the answer's genre before a unit, "N-word X, one per line", a mean in a range --------------
@pytest.mark.parametrize("clause,reading", [
    ("put a relevant emoji at the beginning of every line lol", ["each line begins with an emoji"]),
    ("Six-word memoirs, one per line.", ["each line has exactly 6 words"]),
    ("Aim for an average sentence length of 15-20 words.",
     ["the mean number of words per sentence is at least 15", "the mean number of words per sentence is at most 20"]),
    ("Keep the average sentence length between 15 and 20 words.",
     ["the mean number of words per sentence is at least 15", "the mean number of words per sentence is at most 20"]),
])
def test_fit_genre_and_mean_ranges_are_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Each topic sentence must be under 10 words.",  # a part of each paragraph, not every sentence
    "Each example sentence should be under 12 words.",
    "Each verse line has at most 8 syllables.",  # the verses, not the chorus
    "Aim for an average sentence length of 20-15 words.",  # no range
    # the review: a genre before a unit may name one part of several, and a judgement before a limit narrows it
    "Each vocabulary sentence should be between 10 and 20 words.",
    "Write a blog post with three image captions. Each caption sentence should be under 10 words.",
    "Write a poem. Use at most one fun word per line.",
    "Use no more than 3 cute words per sentence.",
])
def test_a_modifier_that_names_a_part_is_not_dropped(clause):
    assert said(clause) == []


@pytest.mark.parametrize("clause,reading", [
    ("A sentence of more than forty words must be split.", ["each sentence has at most 40 words"]),
    ("Any paragraph with more than 5 sentences should be split.", ["each paragraph has at most 5 sentences"]),
    ("Sentences longer than 25 words should be split.", ["each sentence has at most 25 words"]),
    ("Each paragraph with 3 sentences should be split.", []),  # no limit said: not guessed
])
def test_units_to_remake_are_read_as_limits(clause, reading):
    assert said(clause) == reading
