"""Pairs of instructions no answer can meet together are named from the prompt as written (issue 38), and only those:
a composed rule's required opening or ending against a ban, two different start phrases, a second count of a kind
read once, a quotation-mark ban beside a wrapped answer."""
from __future__ import annotations

import pytest

from irg.engine.constraints.base import conflicts
from irg.engine.constraints.detect import read_prompt


def named(prompt: str) -> list[str]:
    return conflicts(read_prompt(prompt).constraints)


@pytest.mark.parametrize("prompt,phrase", [
    ("Write a poem about the sea. Do not use the letter e. Every line must start with the word Eerie.", "'Eerie'"),
    ("Write about owls. Every sentence must end with a question mark. No question marks anywhere.", "'?'"),
    ("Write a short note. Each line must have at most 2 words. Start your answer with 'Good morning to you'.",
     "'Good morning to you'"),
    ("Start your answer with the word Hello. Write about tea. The first word must be Goodbye.", "Goodbye"),
    ("Write two paragraphs about dogs separated by ***. Write only one paragraph.", "cannot all hold"),
    ("Wrap your entire answer in double quotes. Describe a lamp. Do not use any quotation marks.", "breaks the second"),
    ("Do not use any commas. Sign off with \"Cheers, Maya\".", "'Cheers, Maya'"),
    ("Write a note of exactly two words. It must contain the phrase \"thank you very much\".", "thank you very much"),
    ("Write about autumn. Use the word cozy at least 3 times. No word may be used more than once.", "cozy cozy cozy"),
    # a second count of a kind read once, said in words a pattern does not read (issue 38, the second author's dev set)
    ("Write a fable. Minimum 400 words. The whole fable must not exceed 250 words.", "cannot all hold"),
    ("describe the new bus timetable. 120+ words. max 60 words tho", "cannot all hold"),
    ("Write a toast. It should be three paragraphs. Please keep it to a single paragraph though.", "cannot all hold"),
    # kinds against kinds
    ('Begin your reply with the word "Hi". The opening word has to be "Welcome".', "'welcome'"),
    ("Write an acrostic poem on MOON. The poem should have at most 3 lines.", "at most 3 lines"),
    ("Write a limerick. It should have exactly four lines.", "exactly 4 lines"),
    # a required text against a ban on a mark it holds
    ("Write a menu. Put placeholders in square brackets like [dish], at least 2. Never use square brackets.", "'['"),
    ("Write a tale. Give it a title in double angular brackets, like <<title>>. No '<' characters anywhere.", "'<<'"),
    ("Write a poster. Highlight at least 2 phrases with *asterisks*. No asterisks allowed anywhere.", "'*'"),
    ('Write a reminder. Keep all hyphens out of it. Include the exact phrase "follow-up call".', "follow-up call"),
    ('Write a note. Every line must be four words or fewer. Include this exact line: "the old mill wheel turns '
     'slowly in the rain".', "the old mill wheel"),
    # each part's count and the total in one clause (tenth session)
    ("Exactly 3 paragraphs, each paragraph exactly 2 sentences, 8 sentences total.", "at most 6 sentences"),
])
def test_a_contradiction_the_prompt_holds_is_named(prompt, phrase):
    said = named(prompt)
    assert said and phrase in said[0]


@pytest.mark.parametrize("prompt", [
    "Write a poem about the sea. Do not use the letter z. Every line must start with the word Eerie.",
    "Write about owls. Every sentence must end with a question mark. No exclamation marks anywhere.",
    "Write a short note. Each line must have at most 5 words. Start your answer with 'Good morning to you'.",
    "Start your answer with 'Hello there'. The first word must be Hello.",
    "Write two paragraphs about dogs separated by ***. Use only one exclamation mark.",
    "Wrap your entire answer in double quotes. Describe a lamp. Do not use commas.",
    "The first word should be a verb. Write about tea.",  # a part of speech, not a word to start with
    "Write a note of exactly five words. It must contain the phrase \"thank you\".",
    "Write about autumn. Use the word cozy at least 3 times. No sentence may have more than 20 words.",
    # near misses: each pair can hold
    "Write a note. The last word must be 'tea'. Close with the line 'and we drank our tea.'",
    "Write a card. No word may be longer than 11 letters. Include the word 'marvellous'.",
    'Write a sign-off, ending with the exact phrase "Rest well and dream big." Never use commas.',
    "Write an email. Put the subject line in ALL CAPS, but the body entirely in lowercase.",
    "List 3 tips. All lowercase for the tips themselves, with a heading at the top in ALL CAPS.",
    "Write a plan with 3 sections labeled SECTION 1 to SECTION 3, each with exactly 2 paragraphs. 6 paragraphs in all.",
    'Is tea healthy? Start your answer with "Yes" or "No", then explain in at least 40 words.',
    "Give me a JSON object for a user. Output only JSON. Add a \"ps\" field with a short note.",
    "Write a poster in lowercase only. Emphasize 2 words by wrapping them in *asterisks* instead of using caps.",
    "Write an acrostic poem on MOON. The poem should have exactly 4 lines.",
    "Reply in JSON only, with the greeting in a field. The greeting must begin with 'Thanks for writing'.",
    "Write an email. Subject line under 8 words. The body should be at least 60 words. Sign off with 'Best, Ana'.",
    "Exactly 4 paragraphs, each paragraph exactly 2 sentences, 8 sentences total.",
])
def test_a_prompt_whose_instructions_can_all_hold_is_not_told_otherwise(prompt):
    assert named(prompt) == []


def test_the_first_word_named_with_a_capital_or_quotes_is_a_start_phrase():
    assert [c.to_dict() for c in read_prompt("The first word must be Goodbye. Write about tea.").constraints] == \
        [{"kind": "start_phrase", "phrase": "Goodbye"}]
    assert read_prompt("Describe a pond. The first word must be 'ripples'.").constraints[0].phrase == "ripples"


def test_a_clause_that_contradicts_itself_is_said_and_not_read_either_way():
    reading = read_prompt("Write a haiku about snow in five lines.")
    assert reading.constraints == [] and "cannot all hold" in reading.notices[0] and "exactly 5 lines" in \
        reading.notices[0]


def test_a_rule_over_every_word_is_not_a_keyword_to_count():
    said = [c.to_dict() for c in read_prompt("Write about autumn. No word may be used more than once.").constraints]
    assert said == [{"kind": "composed", "program": {"across": {"unit": "word", "kind": "distinct_words"}}}]


@pytest.mark.parametrize("prompt,kind,not_read", [
    # a limit on every part, said with "no" or "any", is no limit on the whole answer
    ("Write a guide. No sentence may be longer than 9 words.", "composed", "word_count"),
    # letters of either case are no case rule
    ("Write a card. Do not use the letter 'q' at all, upper or lower case.", None, "lowercase"),
    # "include" is never a ban, whatever the classifier says
    ("Write a note. No word longer than 9 letters. Include the word 'wonderful'.", "include_keywords",
     "forbidden_words"),
    # a case asked of one part is not the whole answer's
    ("Write a memo. The title should be in all capital letters.", None, "uppercase"),
    # a count per part
    ("Write a report with 4 sections, each with exactly 2 paragraphs.", "sections", "paragraph_count"),
])
def test_a_wording_is_not_misread(prompt, kind, not_read):
    kinds = [c.kind for c in read_prompt(prompt).constraints]
    assert not_read not in kinds and (kind is None or kind in kinds), kinds


def test_a_quoted_phrase_is_never_cut_at_its_and():
    from irg.engine.constraints.clauses import clauses

    assert clauses('Keep it short, and end with "Rest well and stay curious." Never use commas.') == \
        ["Keep it short", 'end with "Rest well and stay curious."', "Never use commas."]
    assert [c.phrase for c in read_prompt('End with "Rest well and stay curious."').constraints] == \
        ["Rest well and stay curious."]


def test_a_section_label_is_read_where_it_is_said():
    got = read_prompt("Write a plan with 3 sections labeled PART 1 to PART 3, each with exactly 2 paragraphs.")
    assert [c.marker for c in got.constraints if c.kind == "sections"] == ["PART"]


# A review's adversarial wordings (2026-12-05): each can be met, and none is told otherwise
@pytest.mark.parametrize("prompt", [
    "Write a story of at least 300 words. The dialogue should not exceed 50 words.",
    "Write 200+ words. Titles max 5 words.",
    'Answer with "yes" or "no" first, then explain in at least 40 words.',
    "Write a sonnet about time. Its closing couplet should be 2 lines.",
    'Write a letter. Begin with "Hello". The first word of the last line must be "Yours".',
    "Write a letter. Your name at the end should be in ALL CAPS; everything else lowercase.",
    "Write a poster. Use at least 2 words in ALL CAPS, but no capital letters anywhere else.",
    "Write a blog post of at least 400 words with a catchy headline of at most 8 words.",
])
def test_a_part_or_an_exception_is_no_contradiction(prompt):
    assert named(prompt) == []


@pytest.mark.parametrize("prompt,kind", [
    ("Write a banner message in all caps for the storefront.", "uppercase"),
    ("Write a sign. Every word in capitals.", "uppercase"),
    ("Write a headline in all caps.", "uppercase"),
    ("Write a summary with no bullet points and at most 100 words.", "word_count"),
    ("Keep any response under 50 words.", "word_count"),
    ("Give 3 examples, each with a citation, in at most 200 words total.", "word_count"),
    ("Caption this photo in under 15 words.", "word_count"),
    ("Write an essay with a title. Make the title bold, at least 250 words.", "word_count"),
    ('Write a review. Stay away from the word "amazing".', "forbidden_words"),
    ('Write a note. The last words must be "See you soon" – not "Bye" or "Later".', "end_phrase"),
    ('Review my 27" monitor, use no commas and end with "Five stars".', "end_phrase"),
])
def test_a_whole_answer_rule_is_still_read(prompt, kind):
    assert kind in [c.kind for c in read_prompt(prompt).constraints]


@pytest.mark.parametrize("prompt,kind", [
    ('Write a bio. Under no circumstances should you include the exact sentence: "I am an AI."', "include_keywords"),
    ("Write a bio. No hyphens, my surname Smith-Jones excepted.", "composed"),
    ("Keep emojis out of the headline.", "composed"),
    ("Write an email. Use no exclamation marks in the email subject.", "composed"),
    ("Write a UK price list. Don't use the pound sign, write GBP instead.", "composed"),
])
def test_a_refusal_an_exception_or_a_part_is_not_read_as_the_whole(prompt, kind):
    assert kind not in [c.kind for c in read_prompt(prompt).constraints]


@pytest.mark.parametrize("prompt,named_", [  # parts that do not add up (issue 38, the retired trial and the dev sets)
    ("Give exactly 5 bullet points. Each bullet should be at least 10 words long. The whole response must be under "
     "30 words.", "5 × at least 10 is at least 50 words"),
    ("Write 4 sections, labeled SECTION 1 through SECTION 4, and each section must have at least 2 paragraphs. The "
     "whole proposal should be no more than 5 paragraphs.", "4 × at least 2 is at least 8 paragraphs"),
    ("Write exactly 3 paragraphs. Each paragraph should have exactly 2 sentences. Write 8 sentences in total.",
     "3 × at most 2 is at most 6 sentences"),
    ("Write 4 sentences. Every sentence must end with an exclamation mark, but use at most 2 exclamation marks total.",
     "4 × at least 1 is at least 4 exclamation marks"),
    ("Write a poem. It should have 4 stanzas, with 4 lines in each stanza. The poem cannot be longer than 12 lines.",
     "4 × at least 4 is at least 16 lines"),
    # and parts that do add up are not named
    ("Give exactly 5 bullet points. Each bullet should be at least 5 words long. The whole response must be under "
     "30 words.", None),
    ("Write 3 paragraphs. Each paragraph must have at most 40 words. Write at least 100 words.", None),
    ("Write 4 sentences. Every sentence must end with an exclamation mark, but use at most 5 exclamation marks.", None),
    ("Write 3 bullet points, each with at least 10 words. Keep the whole answer under 200 words.", None),
])
def test_parts_that_do_not_add_up_are_named(prompt, named_):
    said = named(prompt)
    assert (any(named_ in s for s in said) if named_ else said == []), (prompt, said)


@pytest.mark.parametrize("prompt,kind,value", [  # the answer named by its own noun, and openings said "exactly"
    ('hey, it has to start with exactly "Congratulations!" tho', "start_phrase", "Congratulations!"),
    ('Start the message with "I am so sorry for your loss."', "start_phrase", "I am so sorry for your loss."),
    ('End the toast with "Cheers to the happy couple!"', "end_phrase", "Cheers to the happy couple!"),
    ('At the end sign it exactly like this: "Cheers, Maya"', "end_phrase", "Cheers, Maya"),
])
def test_openings_and_endings_of_the_answer_by_its_own_name(prompt, kind, value):
    got = [c.phrase for c in read_prompt(prompt).constraints if c.kind == kind]
    assert got == [value], [c.to_dict() for c in read_prompt(prompt).constraints]


@pytest.mark.parametrize("prompt", [
    'Start the second paragraph with "However".', 'Add a line that starts with "P.S.".'])
def test_a_part_s_opening_is_not_the_answer_s(prompt):
    assert "start_phrase" not in [c.kind for c in read_prompt(prompt).constraints]


@pytest.mark.parametrize("clause,said", [
    ("The very last character of your response must be a question mark.", "the response ends with a question mark"),
    ("Finish the whole response with a question mark.", "the response ends with a question mark"),
    ("The poem cannot be longer than 12 lines overall.", "the response has at most 12 lines"),
    ("The poem must be exactly 5 lines long.", "the response has exactly 5 lines"),
    ("Each sentence cannot be longer than 12 words.", "each sentence has at most 12 words"),
    ("Write 4 bullet points, each with at least 10 words.",
     "the response has exactly 4 bullet items and each bullet item has at least 10 words"),
    ("The greeting should be 2 lines.", ""),  # a part's lines: not read
    ("Write 2 paragraphs with 3 sentences.", ""),  # per paragraph or in all? not said: not read
])
def test_the_response_s_end_mark_and_line_count_and_parts_each_with(clause, said):
    from irg.engine.compose.reader import read
    assert " and ".join(p.describe() for p in read(clause)) == said


@pytest.mark.parametrize("prompt,n", [("Write it as one single paragraph.", 1), ("Answer in a single sentence.", 1)])
def test_one_single_paragraph_or_sentence(prompt, n):
    got = [(c.kind, c.n) for c in read_prompt(prompt).constraints]
    assert got in ([("paragraph_count", n)], [("sentence_count", n)]), got


@pytest.mark.parametrize("clause,read_", [  # a form's own shape said again beside it is no second rule
    ("Write a limerick (the standard five-line AABBA form) about a cat.", True),
    ("Write a traditional haiku about coffee, the classic three-line 5-7-5 kind.", True),
    ("Write a limerick (a six-line one) about a cat.", False),  # another number: not read
    ("Do not use quotation marks of any kind (single or double) in your answer.", True),
])
def test_a_form_s_shape_said_again_is_read_with_it(clause, read_):
    from irg.engine.compose.reader import read
    assert bool(read(clause)) == read_, [p.describe() for p in read(clause)]


@pytest.mark.parametrize("prompt,options", [  # an option list, and what is not one
    ("Should I buy a car? Answer with 'yes' or 'no' first, then explain your reasoning.", None),
    ("Your answer must be one of: 'Guitar first', 'Piano first', 'Doesn't matter'.",
     ["Guitar first", "Piano first", "Doesn't matter"]),
    ("choose one of: (a) 'Yes, easily' (b) 'Yes, but slowly' (c) 'No'. just the option text pls",
     ["Yes, easily", "Yes, but slowly", "No"]),
])
def test_options_are_a_run_of_quotes_and_not_an_opening_with_more_after(prompt, options):
    got = [c.options for c in read_prompt(prompt).constraints if c.kind == "choose_from"]
    assert got == ([options] if options else []), got
    assert "start_phrase" not in [c.kind for c in read_prompt(prompt).constraints]


@pytest.mark.parametrize("prompt,holds", [
    ('Is it safe? Answer only with "yes" or "no", nothing else. Your answer should be at least 50 words.', False),
    ("Reply with only 'Yes' or 'No'. Make sure the reply has at least three sentences.", False),
    ('Answer only with "yes" or "no", nothing else. Write at most 5 words.', True),
])
def test_one_option_and_nothing_else_against_a_count_no_option_meets(prompt, holds):
    assert (named(prompt) == []) == holds, named(prompt)


@pytest.mark.parametrize("prompt,holds", [  # a letter case the required text insists on
    ('Write it all in lowercase letters, no capitals at all. Begin the letter with exactly "Dear Mr. Patel".', False),
    ("Write the whole ad in capital letters only. Include the word 'iPhone'.", False),
    ("Use only lowercase letters. Start your answer with 'Hello'.", True),  # a habitual opening capital
    ("Write the whole ad in capital letters only. Include the word 'delicious'.", True),
    ('Use only lowercase letters. Mention nasa, written exactly as "nasa".', True),
])
def test_a_letter_case_the_required_text_insists_on(prompt, holds):
    assert (named(prompt) == []) == holds, named(prompt)
