"""Wordings the reader reads since the coverage session (issue 37): each family is read as its plain program in several
wordings, the program holds and breaks where it should, and a wording that says more or less stays unread."""
from __future__ import annotations

import pytest

from irg.engine.compose.filters import Filter
from irg.engine.compose.reader import read


def said(clause: str) -> list[str]:
    return [p.describe() for p in read(clause)]


# ---- a unit's end: one of several marks, a mark in quotes, a hashtag; the same letter at both ends --------------
@pytest.mark.parametrize("clause,reading", [
    ("Every sentence should end with a period or an exclamation mark.",
     ["each sentence ends with a period or an exclamation mark"]),
    ("Each line must end with either a full stop or an exclamation point.",
     ["each line ends with a period or an exclamation mark"]),
    ("Every sentence should end with a period, a question mark or an exclamation mark.",
     ["each sentence ends with a period, a question mark or an exclamation mark"]),
    ("No sentence should end with a period or a question mark.",
     ["no sentence ends with a period or a question mark"]),
    ("Every sentence should be 3 to 8 words long and end with a full stop or an exclamation mark.",
     ["each sentence has between 3 and 8 words", "each sentence ends with a period or an exclamation mark"]),
    ("Every sentence must end in '...'.", ["each sentence ends with an ellipsis"]),
    ("write it so every sentence ends in '...' lol dramatic", ["each sentence ends with an ellipsis"]),
    ("Every line must end with '!'.", ["each line ends with an exclamation mark"]),
    ("Each tweet should end with a hashtag.", ["each paragraph ends with a hashtag"]),
    ("End each paragraph with a hashtag.", ["each paragraph ends with a hashtag"]),
    ("Every line should begin and end with the same letter.", ["each line starts and ends with the same letter"]),
    ("Each word should start and end with the same letter.", ["each word starts and ends with the same letter"]),
])
def test_unit_ends_are_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Sentences may end with a period or an exclamation mark.",  # a permission
    "Every sentence should end with a period or whatever feels right.",  # an open choice
    "Every line should begin and end with the same word.",  # a word, not a letter
    "Every sentence must end in '...' or 'etc.'",  # a text beside the mark
])
def test_ends_that_say_something_else_stay_unread(clause):
    assert read(clause) == []


def test_the_end_filters_hold_and_break():
    either = Filter("ends_with_any", (".", "!"))
    assert either.holds("It works.") and either.holds("It works!") and not either.holds("Does it work?")
    same = Filter("same_letter_ends")
    assert same.holds("Dogs chased cats.") is False and same.holds("Sheep sleep less") and not same.holds("123 !")
    assert same.holds("Élan never dies, Eve")  # an accent is its letter
    tag = Filter("ends_hashtag")
    assert tag.holds("Off to the beach #summer") and tag.holds("Done! #tbt.") and not tag.holds("We placed #3")
    assert not tag.holds("#summer was fun")


# ---- a count, then what each unit counted does: "Write ten sentences, each ending with a question mark" ----------
@pytest.mark.parametrize("clause,reading", [
    ("Write ten sentences, each ending with a question mark.",
     ["the response has exactly 10 sentences", "each sentence ends with a question mark"]),
    ("Write 5 sentences, each one ending with an exclamation mark.",
     ["the response has exactly 5 sentences", "each sentence ends with an exclamation mark"]),
    ("Write three paragraphs, each of which ends with a question mark.",
     ["the response has exactly 3 paragraphs", "each paragraph ends with a question mark"]),
    ("Write four lines, each starting with the letter S.",
     ["the response has exactly 4 lines", "each line starts with the letter s"]),
    ("Write 4 lines, each beginning with 'I remember'.",
     ["the response has exactly 4 lines", "each line starts with 'I remember'"]),
    ("Write 5 bullet points, each containing a number.",
     ["the response has exactly 5 bullet items", "each bullet item contains at least one number"]),
])
def test_what_each_counted_unit_does_is_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Write 4 lines. Each should begin with 'I remember'.",  # "each" of what? (once read as the count alone)
    "Write 3 paragraphs, each containing at least 2 questions.",  # a count inside each unit: not this reading
    "Write 4 lines, each beginning with a word you like.",  # a choice, not a rule
])
def test_a_rule_on_each_unit_left_unread_leaves_the_clause_unread(clause):
    assert read(clause) == []


# ---- the only words an answer may use; a title's two predicates with "be" said once ------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Use only words of exactly four letters.", ["each word has exactly 4 letters"]),
    ("Write a sentence using only words of exactly four letters.", ["each word has exactly 4 letters"]),
    ("Write a paragraph using only words of one syllable.", ["each word has exactly 1 syllable"]),
    ("Write a story with only words of one syllable.", ["each word has exactly 1 syllable"]),
    ("The headline must be under ten words and in Title Case.",
     ["the title has at most 9 words", "the title is in title case"]),
    ("The title must be under ten words and in all caps.",
     ["the title has at most 9 words", "the title is in capital letters"]),
    ("Every heading must be under 6 words and in title case.",
     ["each heading has at most 5 words", "each heading is in title case"]),
    ("The title must be under 10 words and end with a question mark.",
     ["the title has at most 9 words", "the title ends with a question mark"]),
])
def test_only_words_and_a_title_said_twice_are_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Use only words of exactly 1 or 2 syllables.",  # "exactly" said of a span
    "Write a poem using only words of five letters, except the title.",  # an exception
    "No heading should be over 6 words and in title case.",  # refused together: neither alone
    "Each bullet must start with a verb and in title case.",  # no "be" to say again
    "The title is under ten words and in all caps.",  # a description, no modal
])
def test_only_words_and_two_predicates_that_say_more_stay_unread(clause):
    assert read(clause) == []


# ---- a second limit whose counted unit is said once, in the first ------------------------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Sentences should not exceed 30 words and paragraphs should not exceed 150.",
     ["each sentence has at most 30 words", "each paragraph has at most 150 words"]),
    ("Keep sentences under 20 words and paragraphs under 100.",
     ["each sentence has at most 19 words", "each paragraph has at most 99 words"]),
    ("Keep paragraphs under 100 words and sentences under 20.",
     ["each paragraph has at most 99 words", "each sentence has at most 19 words"]),
    ("Sentences under 20 words, paragraphs under 100.",
     ["each sentence has at most 19 words", "each paragraph has at most 99 words"]),
])
def test_a_counted_unit_said_once_is_read_for_both_limits(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Each line should have at most 8 syllables and each stanza should have at most 4.",  # 4 lines, not syllables
    "Keep sentences under 20 words and paragraphs under 10.",  # 10 sentences? not said
    "Keep sentences under 20 words and lines under 30.",  # neither unit holds the other
    "Keep lines under 8 words and stanzas under 12.",  # 12 lines? a stanza of 12 words holds under 2 lines
    "Keep paragraphs under 5 sentences and sections under 20.",  # 20 sentences, or paragraphs?
    "Headline under 30 characters, description under 90.",  # no unit the language has
    "Keep the intro under 50 words and the body under 300.",  # parts
])
def test_a_second_limit_without_its_unit_stays_unread_where_it_could_count_another(clause):
    assert read(clause) == []


# ---- a rhyme scheme said before the form: "an ABBA-rhymed quatrain", "an AABB poem" --------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Write an ABBA-rhymed quatrain.",
     ["the response has exactly 4 lines rhyming ABBA (line 2 with line 3, line 1 with line 4)"]),
    ("Write an ABAB quatrain.",
     ["the response has exactly 4 lines rhyming ABAB (line 1 with line 3, line 2 with line 4)"]),
    ("Write an AABB poem.", ["the lines rhyme AABB (line 1 with line 2, line 3 with line 4, and so on)"]),
    ("Write an ABAB-rhyming poem about rain.",
     ["the lines rhyme ABAB (line 1 with line 3, line 2 with line 4, and so on)"]),
])
def test_a_scheme_said_before_its_form_is_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Write a SPRING poem.",  # capitals that are no scheme
    "Write an ABCD poem.",  # no two lines rhyme: no scheme
    "Write an ABAB CDCD poem.",  # a scheme of several groups
])
def test_capitals_before_a_form_that_are_no_scheme_stay_unread(clause):
    assert read(clause) == []


# ---- requests: "I want every bullet to be ...", "Sentences should all be ..." --------------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("I want every bullet to be under 12 words.", ["each bullet item has at most 11 words"]),
    ("I want every bullet to be shorter than 12 words.", ["each bullet item has at most 11 words"]),
    ("Let each line be under 8 syllables.", ["each line has at most 7 syllables"]),
    ("I'd like every paragraph to be a single sentence.", ["each paragraph has exactly 1 sentence"]),
    ("I'd like the first sentence to be a question.", ["the first sentence ends with a question mark"]),
    ("Sentences should all be under 20 words.", ["each sentence has at most 19 words"]),
    ("The headings should all be questions.", ["each heading ends with a question mark"]),
    ("The bullets must all be in title case.", ["each bullet item is in title case"]),
])
def test_requests_and_a_floated_all_are_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "The paragraphs should all be under 300 words combined.",  # a sum, not each one
    "The lines should all be different.",  # from each other
    "I want each paragraph to be about the same topic.",  # a topic
])
def test_a_floated_all_that_speaks_of_them_together_stays_unread(clause):
    assert read(clause) == []


# ---- an end refused: "end without a period", "end with no punctuation" ---------------------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Every bullet should end without a period.", ["no bullet item ends with a period"]),
    ("End each line without punctuation.", ["no line ends with a punctuation mark"]),
    ("End all lines without punctuation.", ["no line ends with a punctuation mark"]),
    ("Lines should end with no punctuation.", ["no line ends with a punctuation mark"]),
    ("The title should end without a period.", ["the title does not end with a period"]),
    ("Each line starts with a capital letter and ends with no punctuation.",  # unread until its second half was
     ["each line begins with an uppercase letter", "no line ends with a punctuation mark"]),
    ("Every bullet should end without a period and start with a verb.",
     ["no bullet item ends with a period", "the first word of each bullet item is a verb"]),
])
def test_an_end_refused_is_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Each sentence must not end without a period.",  # a double refusal
    "No line should end without a comma.",
    "Every line should end without punctuation, except the last.",  # an exception
    "Every sentence should end without a full stop when it is a question.",  # a condition
])
def test_an_end_refused_twice_or_narrowed_stays_unread(clause):
    assert read(clause) == []


# ---- a limit in other request wordings: a size word then its number in brackets, "every one of", "don't write any" -
@pytest.mark.parametrize("clause,reading", [
    ("Use short sentences, no more than 12 words each.", ["each sentence has at most 12 words"]),
    ("Keep the sentences short (under 12 words).", ["each sentence has at most 11 words"]),
    ("Write short sentences (max 10 words).", ["each sentence has at most 10 words"]),
    ("Short sentences only, under 10 words each.", ["each sentence has at most 9 words"]),
    ("Every one of the sentences should end with a period.", ["each sentence ends with a period"]),
    ("Each one of the paragraphs should have at most 3 sentences.", ["each paragraph has at most 3 sentences"]),
    ("Don't write any sentence longer than 20 words.", ["each sentence has at most 20 words"]),
    ("Never write a line over 40 characters.", ["each line has at most 40 characters"]),
    ("Don't go over 15 words in any sentence.", ["each sentence has at most 15 words"]),
])
def test_limits_in_request_wordings_are_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Write short sentences (10 words).",  # a number with no limit word: exactly, or about?
    "Write short sentences (max 10 words per paragraph).",  # another unit's count
    "Keep the sentences short (under 12 words) in the intro.",  # a part
    "Don't write any sentence longer than 20 words unless it's a quote.",  # an exception
    "Every one of the 5 sentences should end with a period.",  # a count said inside
])
def test_limits_in_request_wordings_that_say_more_stay_unread(clause):
    assert read(clause) == []


# ---- units said back as "them", a mark refused "at the end" of the units just read, a learner's missing article ----
@pytest.mark.parametrize("clause,reading", [
    ("Write four stanzas, and make them all the same length.",
     ["the response has exactly 4 paragraphs", "all paragraphs have the same number of lines"]),
    ("Use headings, and keep them under 5 words.", ["each heading has at most 4 words"]),
    ("Use bullet points and keep them under 10 words each.", ["each bullet item has at most 9 words"]),
    ("headings pls, and keep them to 2 or 3 words", ["each heading has between 2 and 3 words"]),
    ("keep each bullet less than fifteen words and no full stops at the end",
     ["each bullet item has at most 14 words", "no bullet item ends with a period"]),
    ("Keep each line under 40 characters and no punctuation at the end.",
     ["each line has at most 39 characters", "no line ends with a punctuation mark"]),
    ("Each sentence must end with full stop.", ["each sentence ends with a period"]),
    ("please each sentence must finish with full stop and have no more than ten words.",
     ["each sentence ends with a period", "each sentence has at most 10 words"]),
])
def test_units_said_back_and_ends_at_the_end_are_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Keep each paragraph under 5 sentences and no full stops at the end.",  # the paragraphs' end, or the sentences'?
    "Use headings and keep them short.",  # short is no number
    "Use headings, and keep them under 5 words in the intro.",  # a part
])
def test_units_said_back_that_could_be_others_stay_unread(clause):
    assert read(clause) == []


# ---- a thread's tweets or a book's pages named before a colon, then their limit -----------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Each tweet in the thread: 280 characters max.", ["each paragraph has at most 280 characters"]),
    ("Each tweet in the thread: 280 characters max, including spaces.", ["each paragraph has at most 280 characters"]),
    ("Each tweet: under 280 characters.", ["each paragraph has at most 279 characters"]),
    ("Every page: at most 3 sentences.", ["each paragraph has at most 3 sentences"]),
])
def test_tweets_and_pages_before_a_colon_are_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Each tweet: 280 characters max, excluding spaces.",  # another count of characters
    "Each tweet: 280 characters max, excluding hashtags.",
    "Tweet: 280 characters max.",  # one tweet, the answer: not each paragraph
])
def test_tweets_before_a_colon_counted_otherwise_stay_unread(clause):
    assert read(clause) == []


# ---- "capitalized": a unit's first letter ---------------------------------------------------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Every word must be capitalized.", ["each word begins with an uppercase letter"]),
    ("Each bullet should be capitalized.", ["each bullet item begins with an uppercase letter"]),
    ("Capitalize every word.", ["each word begins with an uppercase letter"]),
    ("Capitalise all the words.", ["each word begins with an uppercase letter"]),
])
def test_capitalized_units_are_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Every heading should be capitalized.",  # title case, or all capitals?
    "The title must be capitalized.",
])
def test_capitalized_headings_stay_unread(clause):
    assert read(clause) == []


# ---- one subject, a second predicate refused: "... and must not start with 'And'" ---------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Every sentence needs to be under 12 words and must not start with 'And'.",
     ["each sentence has at most 11 words", "no sentence starts with the word 'And'"]),
    ("Each bullet must start with a verb and not end with a period.",
     ["the first word of each bullet item is a verb", "no bullet item ends with a period"]),
    ("Each sentence must be under 20 words and mustn't start with 'So'.",
     ["each sentence has at most 19 words", "no sentence starts with the word 'So'"]),
    ("Each line has 5 words and doesn't end with a comma.",
     ["each line has exactly 5 words", "no line ends with a comma"]),
])
def test_a_second_predicate_refused_is_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "No sentence should be long and must not start with 'And'.",  # a refusal inside a refusal
    "Each sentence should be under 20 words and not be boring.",  # no shape to refuse
    "Each line has 5 words and not a comma.",  # no verb: not one reading
])
def test_a_second_predicate_refused_twice_or_without_a_verb_stays_unread(clause):
    assert read(clause) == []


# ---- a count of units followed by their own predicate is no count ---------------------------------------------------
@pytest.mark.parametrize("clause", [
    "At least one sentence in each paragraph should be a question.",  # once read as "at least 1 sentence" alone
    "At least 2 sentences in each paragraph should be questions.",
    "No more than 3 sentences per paragraph should end with a question mark.",
])
def test_a_count_whose_units_have_a_predicate_is_not_read_as_the_count(clause):
    assert read(clause) == []


def test_a_count_per_unit_alone_is_still_read():
    assert said("At least 2 sentences per paragraph.") == ["each paragraph has at least 2 sentences"]
    assert said("3 sentences per paragraph at most.") == ["each paragraph has at most 3 sentences"]


# ---- "should never", "must never": a refusal said with its modal -----------------------------------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Each line should never end with a comma.", ["no line ends with a comma"]),
    ("Sentences should never start with 'And'.", ["no sentence starts with the word 'And'"]),
    ("Paragraphs must never exceed 100 words.", ["each paragraph has at most 100 words"]),
    ("Sentences must never be longer than 20 words.", ["each sentence has at most 20 words"]),
    ("Lines can never be longer than 40 characters.", ["each line has at most 40 characters"]),
])
def test_a_refusal_said_with_its_modal_is_read(clause, reading):
    assert said(clause) == reading


def test_a_double_refusal_with_never_stays_unread():
    assert read("No sentence should never end with a period.") == []


# ---- "avoid sentences longer than ...", "I don't want any sentence over ...": no unit is --------------------------
@pytest.mark.parametrize("clause,reading", [
    ("Please avoid sentences longer than 20 words.", ["each sentence has at most 20 words"]),
    ("Avoid paragraphs with more than 4 sentences.", ["each paragraph has at most 4 sentences"]),
    ("Avoid any line longer than 40 characters.", ["each line has at most 40 characters"]),
    ("Steer clear of sentences over 25 words.", ["each sentence has at most 25 words"]),
    ("I don't want any sentence over 20 words.", ["each sentence has at most 20 words"]),
])
def test_units_avoided_over_a_size_are_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Avoid sentences longer than 20 words where possible.",  # a hedge
    "Avoid sentences longer than 20 words in the intro.",  # a part
])
def test_units_avoided_with_a_hedge_or_a_part_stay_unread(clause):
    assert read(clause) == []


# ---- a label naming a part of the text scopes the rule after it: never read as the whole text's -------------------
@pytest.mark.parametrize("clause", [
    "Headline: capitalise every word.",  # the headline's words, not every word of the answer
    "Headline: every word must be capitalized.",
    "Headline: no word longer than 7 letters.",  # had been read as every word of the answer
    "Tagline: each word should start with the letter S.",
])
def test_a_rule_under_a_part_label_is_not_read_for_the_whole_text(clause):
    assert read(clause) == []


def test_a_part_label_with_its_own_limit_is_still_read():
    assert said("Headline: no more than 8 words.") == ["the title has at most 8 words"]
