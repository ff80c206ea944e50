"""The common shapes said in other ordinary ways (rewordings.py), and the programs of verse and tallies (verse.py,
tallies.py): each wording is read as its plain program, each program holds and breaks where it should, and what
the guards refuse stays unread (issue 37)."""
from __future__ import annotations

import pytest

from irg.engine.compose.program import program_from_dict
from irg.engine.compose.reader import read


def said(clause: str) -> list[str]:
    return [p.describe() for p in read(clause)]


@pytest.mark.parametrize("clause,reading", [
    ("Keep each sentence within 12 words.", "each sentence has at most 12 words"),
    ("Paragraphs should each begin with a question.", "the first sentence of each paragraph ends with a question mark"),
    ("Begin every paragraph by asking a question.", "the first sentence of each paragraph ends with a question mark"),
    ("Use no words longer than 7 letters.", "no word has more than 7 letters"),
    ("Don't use any word with more than seven letters.", "no word has more than 7 letters"),
    ("Avoid words over seven letters.", "no word has more than 7 letters"),
    ("Stick to words of seven letters or less.", "no word has more than 7 letters"),
    ("Bullet 3 should contain a price.", "the 3rd bullet item contains a price"),
    ("Don't begin consecutive sentences with the same word.", "no two consecutive sentences start with the same word"),
    ("Consecutive sentences must not start with the same word.",
     "no two consecutive sentences start with the same word"),
    ("Include five or more words starting with 'b'.", "at least 5 words start with the letter b"),
    ("Paragraphs must contain 3 or more sentences.", "each paragraph has at least 3 sentences"),
    ("Paragraphs of 3 to 5 sentences.", "each paragraph has between 3 and 5 sentences"),
    ("Keep bullet points short, under 10 words each.", "each bullet item has at most 9 words"),
    ("Lines of eight syllables each.", "each line has exactly 8 syllables"),
    ("The poem should rhyme AABB.", "the lines rhyme AABB (line 1 with line 2, line 3 with line 4, and so on)"),
    ("Ask at least two questions.", "at least 2 sentences end with a question mark"),
    ("Don't use more than one semicolon.", "the response contains at most 1 semicolon"),
    ("Don't use more than 2 commas.", "the response contains at most 2 commas"),
    ("Each line is shorter than the previous one.", "each line has fewer words than the line before it"),
    ("Lines should get progressively shorter.", "each line has fewer words than the line before it"),
    ("Alphabetize the list.", "the bullet items are in alphabetical order"),
    ("The first letters of each line must spell SUN.",
     "the response has exactly 3 lines whose first letters spell S, U, N in order"),
    ("Each item in the list should end with a period.", "each bullet item ends with a period"),
    ("Put one emoji at the end of each line.", "each line ends with an emoji"),
    ("Open with a one-sentence paragraph.", "the first paragraph has exactly 1 sentence"),
    ("End with the same line you started with.", "the response ends with its own first line"),
    ("Don't write any word in capitals.", "no word is written in capitals (a word of two letters or more)"),
    ("Start every line with the letter M.", "each line starts with the letter m"),
    ("End every stanza with the word \"home\".", "each paragraph ends with the word 'home'"),
    ("Begin each line with 'I remember'.", "each line starts with 'I remember'"),
    ("Every paragraph should open with the phrase 'In short'.", "each paragraph starts with 'In short'"),
    ("No more than two commas in any sentence.", "each sentence contains at most 2 commas"),
    ("Every bullet needs a colon.", "each bullet item contains at least 1 colon"),
    ("No bullet should contain a colon.", "each bullet item contains no colons"),
    ("Make each heading a single word.", "each heading has exactly 1 word"),
    ("Each paragraph's first sentence must be short, under 8 words.",
     "the first sentence of each paragraph has at most 7 words"),
    ("Give dates in YYYY-MM-DD format.", "each date is written as YYYY-MM-DD"),
    ("Show prices with two decimal places.",
     "each price has a currency sign and exactly two digits after the decimal point"),
    ("Write numbers below 10 as words.", "no number is a figure from 0 to 9"),
    ("Use tercets.", "each paragraph has exactly 3 lines"),
])
def test_an_ordinary_rewording_is_read_as_its_plain_program(clause, reading):
    assert said(clause) == [reading]


@pytest.mark.parametrize("clause,readings,holds,breaks", [
    ("Lines 2 and 4 must rhyme.", ["line 2 rhymes with line 4"], "a cat\nthe sun\nmy hat\nis fun",
     "a cat\nthe sun\nmy hat\nis red"),
    ("The second and fourth lines of every stanza must rhyme.", ["in each paragraph, line 2 rhymes with line 4"],
     "a\nthe sun\nb\nis fun\n\nc\nmy day\nd\nto play", "a\nthe sun\nb\nis fun\n\nc\nmy day\nd\nto go"),
    ("Make the first and last lines rhyme.", ["line 1 rhymes with the last line"], "the cat\nran off\nand sat",
     "the cat\nran off\nand slept"),
    ("Lines 1, 2 and 5 rhyme.", ["line 1 rhymes with line 2", "line 1 rhymes with line 5"],
     "a cat\na hat\nx\ny\na mat", "a cat\na hat\nx\ny\na dog"),
    ("No rhymes at all - free verse only.", ["no two lines end with rhyming words"], "the sun\nis up\nover hills",
     "the sun\nis up\nwe run"),
    ("make every line rhyme lol",
     ["each line ends with a word that rhymes with the last word of another line"], "a cat\nthe hat\nmy day\nto play",
     "a cat\nthe hat\nmy day\nto go"),
    ("All the lines should rhyme with each other.", ["all lines end with words that rhyme with each other"],
     "a cat\nthe hat\nthat mat", "a cat\nthe hat\nmy day"),
    ("Each line should be one word shorter than the line above it.",
     ["each line after the first has exactly 1 fewer word than the line before it"], "one two three\nfour five\nsix",
     "one two three\nfour\nsix"),
    ("Snowball it - each word one letter longer than the word before.",
     ["each word after the first has exactly 1 more letter than the word before it"], "I am the best",
     "I am a best"),
    ("Include at least two percentages.", ["the response has at least 2 percentages"], "Up 5% and down 7%.",
     "Up 5 and down 7%."),
    ("No commas in the first paragraph.", ["the first paragraph contains no commas"], "One two.\n\nThree, four.",
     "One, two.\n\nThree four."),
    ("No word may appear more than twice.", ["no word appears more than 2 times"], "the cat and the dog",
     "the cat and the dog and the bird"),
    ("Write it in blank verse.", ["each line has exactly 10 syllables", "no two lines end with rhyming words"],
     "the river runs so quietly at dawn\nand all the birds are waking in the trees",
     "the river runs so quietly at dawn\nand every bird is singing on the lawn"),
    ("Write an ottava rima stanza.",
     ["the response has exactly 8 lines rhyming ABABABCC (line 1 with line 3, line 2 with line 4, line 1 with line 5, "
      "line 2 with line 6, line 7 with line 8)"],
     "a cat\nthe day\na hat\nthe way\na mat\nto play\nthe sun\nis fun", "a cat\nthe day\na hat\nthe way"),
    ("Write a poem in which each line ends with a word that rhymes with 'light'.",
     ["each line ends with a word that rhymes with 'light'"], "the night\nis bright", "the night\nis dark"),
])
def test_verse_and_tallies_are_read_checked_and_round_trip(clause, readings, holds, breaks):
    programs = read(clause)
    assert [p.describe() for p in programs] == readings
    assert all(not p.check(holds) for p in programs)
    assert any(p.check(breaks) for p in programs)
    assert [program_from_dict(p.to_dict()) for p in programs] == programs


def test_a_broken_rhyme_pair_names_its_lines():
    (pair,) = read("Line 2 must rhyme with line 4.")
    assert pair.check("a\nthe sun\nb\nis red") == ["line 2 ('sun') does not rhyme with line 4 ('red')"]
    assert pair.check("a\nthe sun") == ["there are 2 lines: no line 4 to rhyme with"]


def test_a_malformed_iso_date_is_a_date_that_breaks_the_format():
    (rule,) = read("Write all dates as YYYY-MM-DD.")
    assert rule.check("From 2025-3-3 to 2025-04-14.")  # the month and day need two digits
    assert not rule.check("From 2025-03-03 to 2025-04-14.")


@pytest.mark.parametrize("clause", [
    "Don't rhyme 'love' with 'dove'.",  # a pair refused, not every rhyme
    "The poem should rhyme nicely.",  # no scheme
    "Write numbers under 10.",  # as what?
    "Use 3 numbers in each paragraph.",  # per unit: not the whole answer's count
    "Use at least 3 numbers written as digits.",  # narrowed
    "Line 2 and 4 rhyme.",  # "line" for two lines
])
def test_what_the_rewordings_cannot_read_for_sure_stays_unread(clause):
    assert read(clause) == []


@pytest.mark.parametrize("clause,reading", [
    ("Do not make any paragraph longer than five sentences.", "each paragraph has at most 5 sentences"),
    ("Write a haiku about the first frost of the year.", "the response has exactly 3 lines with 5, 7 and 5 syllables"),
    ("Each numbered step must be less than 25 words.", "each numbered item has at most 24 words"),
    ("Write a paragraph where every word contains the letter E.", "each word contains the letter e"),
    ("Write a tongue twister where every single word starts with the letter P.", "each word starts with the letter p"),
    ("lol make every line start with 'bro'", "each line starts with the word 'bro'"),
    ("In each stanza, the lines should rhyme AABA.",
     "in each paragraph, the lines rhyme AABA (line 1 with line 2, line 1 with line 4, and so on)"),
    ("Each paragraph should start with a sentence of no more than ten words.",
     "the first sentence of each paragraph has at most 10 words"),
    ("dont make any paragraph longer than like 3 lines", "each paragraph has at most 3 lines"),
    ("Write the steps as a numbered list where each step is under 10 words.", "each numbered item has at most 9 words"),
    ("Write a paragraph where no word is repeated.", "no word appears more than once"),
    ("No paragraph should be a single sentence.", "each paragraph has at least 2 sentences"),
    ("Use 24-hour clock times throughout (14:30, not 2:30pm).", "each time is written as HH:MM on a 24-hour clock"),
    ("Dates must appear as YYYY-MM-DD.", "each date is written as YYYY-MM-DD"),
    ("Write every price with two decimals — £4.50, never £4.5.",
     "each price has a currency sign and exactly two digits after the decimal point"),
    ("Don't rhyme. Not a single pair of lines should rhyme.", "no two lines end with rhyming words"),
    ("Give example sentences where no word is longer than 6 letters, so beginners can read them.",
     "no word has more than 6 letters"),
    ("every paragraph should end w a question so ppl comment",
     "the last sentence of each paragraph ends with a question mark"),
    ("If it isn't too much trouble, I'd be so grateful if you could keep every paragraph to between forty and sixty "
     "words, as the layout of our print newsletter is rather unforgiving.",
     "each paragraph has between 40 and 60 words"),
    ("Keep the vocabulary simple — don't use any word longer than seven letters.", "no word has more than 7 letters"),
    ("Each tweet in the thread has to come in under 280 characters.", "each paragraph has at most 279 characters"),
    ("I need a text where no word is having more than two syllable, for my beginner students.",
     "no word has more than 2 syllables"),
    ("Every paragraph should open with a one-word sentence.",
     "the first sentence of each paragraph has exactly 1 word"),
    ("No sentence should begin with a number written in digits.", "no sentence begins with a digit"),
    ("Make every line of the poem contain the word 'blue'.", "each line contains the word 'blue'"),
    ("Keep it data-driven: every sentence needs at least one figure in it.",
     "each sentence contains at least one number"),
    ("Each stanza should end on a one-word line.", "the last line of each paragraph has exactly 1 word"),
    ("Lines ≤ 60 chars.", "each line has at most 60 characters"),
    ("No line over 72 chars.", "each line has at most 72 characters"),
])
def test_a_wording_inside_a_request_is_read_as_its_plain_program(clause, reading):
    assert said(clause) == [reading]


@pytest.mark.parametrize("clause", [
    "Give dates in the YYYY-MM-DD format and keep the days in chronological order.",  # a second instruction after it
    "Write a haiku about not giving up.",  # a refusal inside the topic is kept, and blocks
    "Write a haiku about rain in 4 lines.",  # a number after the topic
    "Lines <<title>> 60 chars.",  # a title mark is no sign
])
def test_a_second_instruction_or_a_number_after_a_reading_blocks_it(clause):
    assert read(clause) == []


@pytest.mark.parametrize("clause,reading", [
    ("Write a limerick where the last line ends with an exclamation mark.",
     ["the last line ends with an exclamation mark",
      "the response has exactly 5 lines rhyming AABBA (line 1 with line 2, line 3 with line 4, line 1 with line 5)"]),
    ("No paragraph should start with 'I', and none should be more than 90 words.",
     ["no paragraph starts with the word 'I'", "each paragraph has at most 90 words"]),
    ("List the steps as bullets in alphabetical order, and keep each one under ten words so they're easy to scan.",
     ["the bullet items are in alphabetical order", "each bullet item has at most 9 words"]),
    ("Write every number as digits, never as words.", ["the response contains no number words"]),
    ("None of the sentences may contain the letter z.", ["no sentence contains the letter z"]),
    ("Don't use any word more than once (capitalisation doesn't matter).", ["no word appears more than once"]),
    ("Any numbers you mention must appear in increasing order.", ["the numbers appear in increasing order"]),
    ("Avoid any word ending in -ing.", ["no word ends with the letters 'ing'"]),
    ("Use the 24-hour clock for every time you mention.", ["each time is written as HH:MM on a 24-hour clock"]),
    ("Never end two lines on the same word.", ["no two lines end with the same word"]),
    ("Do not use a single semicolon.", ["the response contains no semicolons"]),
    ("Each sentence has to include at least one q.", ["each sentence contains the letter q"]),
    ("Mention a year in the second paragraph.", ["the 2nd paragraph contains a year"]),
    ("Order the bullets from shortest to longest by word count.",
     ["each bullet item has at least as many words as the bullet item before it"]),
    ("Write the title in all capital letters.", ["the title is in capital letters"]),
    ("Don't put a period at the end of any bullet.", ["no bullet item ends with a period"]),
    ("Use between two and four exclamation marks in total.",
     ["the response contains between 2 and 4 exclamation marks"]),
    ("No word may contain a double letter like 'ee' or 'll'.", ["no word has a double letter"]),
    ("Phrase every heading as a question.", ["each heading ends with a question mark"]),
    ("Each paragraph needs at least one number written in digits.", ["each paragraph contains a digit"]),
    ("Each line must be shorter in characters than the line before it.",
     ["each line has fewer characters than the line before it"]),
    ("Capitalise every word of the title.", ["each word in the title begins with an uppercase letter"]),
    ("Leave out exclamation marks entirely.", ["the response contains no exclamation marks"]),
    ("Each bullet item should start with a different word.", ["no two bullet items start with the same word"]),
    ("Put every sentence on a line of its own.", ["each line has exactly 1 sentence"]),
    ("At most one sentence may be longer than 15 words.", ["at most 1 sentence has at least 16 words"]),
    ("No word should be written in all capital letters.",
     ["no word is written in capitals (a word of two letters or more)"]),
    ("Each line should start with a time in HH:MM format.", ["each line begins with a time written as HH:MM"]),
    ("The second bullet must be the longest one, by word count.",
     ["bullet item 2 has more words than any other bullet item"]),
    ("Use figures for every number, even one through nine.", ["the response contains no number words"]),
    ("Hyphens only, no em dashes.", ["the response contains no em dashes"]),
    ("Nothing longer than fifteen words in a single sentence, or you'll lose the room.",
     ["each sentence has at most 15 words"]),
])
def test_the_first_author_s_wordings_are_read(clause, reading):
    assert said(clause) == reading


def test_a_clock_time_needs_two_digits_each():
    (rule,) = read("Each line should start with a time in HH:MM format.")
    assert not rule.check("08:00 Breakfast\n13:00 Lunch")
    assert rule.check("08:00 Breakfast\n9:30 Museum")  # the hour needs two digits
    assert rule.check("08:00 Breakfast\nMuseum at 09:30")


@pytest.mark.parametrize("clause", [
    "The last line should rhyme with the one before it, rest doesnt matter",  # "the one" is no line 1
    "The last line should rhyme with the line before it.",
])
def test_a_line_named_by_its_neighbour_is_not_read_as_a_position(clause):
    assert read(clause) == []


def test_a_rule_said_after_a_part_s_scope_is_not_read_of_the_whole_answer():
    from irg.engine.constraints.detect import read_prompt

    def composed(prompt):
        return [c.instruction() for c in read_prompt(prompt).constraints if c.kind == "composed"]

    assert composed("Write a speech for a school assembly. In the part about bullying, keep sentences short, under 10 "
                    "words each.") == []
    assert composed("Write a speech. In your response, keep sentences short, under 10 words each.") == [
        "Make sure each sentence has at most 9 words."]



# a review of this change (a helper that read the diff and tried 750 wordings) found these read wrongly; each is a
# hedge, an exception, a scope, a topic, an example, a permission or a second request the reader had dropped
REVIEWED_UNREAD = [
    "Optional — keep each line under 8 words.",
    "If possible — keep each line under 8 words.",
    "Not required — each sentence under 20 words.",
    "Bonus — every line should rhyme.",
    "No line over 10 words (the first 2 lines not counted).",
    "Each bullet has at most 12 words (3 bullets, not 4).",
    "Every line should have 8 syllables - 7 or 9, not 10.",
    "Keep each sentence within 12 words (2 exceptions, not more).",
    "Write a haiku about autumn followed by a short explanation.",
    "Write a haiku about the sea then explain your word choices.",
    "Write a haiku about rain plus a title.",
    "Write a limerick about a cat then a second limerick about a dog.",
    "Write a haiku about snow if you can.",
    "Write an essay about Milton, who wrote in blank verse.",
    "Analyze a passage in blank verse from Hamlet.",
    "Summarize the plot of a play written in blank verse.",
    "Explain why Shakespeare wrote in blank verse.",
    "Write a short scene in blank verse with some prose for the servants.",
    "Lines 2 and 4 should rhyme with 'June'.",
    "Lines 1 and 3 should rhyme internally.",
    "Lines 2 and 4 rhyme slant.",
    "Lines 1 and 3 should rhyme loosely.",
    "In a ballad, the second and fourth lines rhyme.",
    "In a limerick, lines 1, 2 and 5 rhyme.",
    "e.g. lines 2 and 4 must rhyme.",
    "\"Lines 2 and 4 must rhyme\" is a rule I hate.",
    "Lines 2 and 4 should rhyme where it fits.",
    "Lines 2 and 4 should rhyme where natural.",
    "Write about a woman who will have 2 dates this weekend.",
    "Include 2 figures showing the trend.",
    "No commas in the first paragraph of each section.",
    "No commas in the first paragraph of each chapter.",
    "No commas in the first paragraph of each email.",
    "Avoid semicolons in the last paragraph of every article.",
    "No exclamation marks in the last sentence of each scene.",
    "No word should be repeated back to back.",
    "No word should be repeated immediately.",
    "No word should appear more than twice (articles excluded).",
    "No word may appear more than twice besides 'the'.",
    "No word should be repeated, apart from 'the' and 'and'.",
    "No word should be repeated, aside from names.",
    "No word may appear more than twice where avoidable.",
    "No word may appear more than twice within reason.",
    "Avoid words over seven letters, apart from names.",
    "Avoid words over seven letters, aside from proper nouns.",
    "Stick to words of seven letters or fewer, bar proper nouns.",
    "Avoid words over seven letters for the most part.",
    "Avoid words over seven letters, within reason.",
    "Avoid words over seven letters — within reason.",
    "Don't use more than one semicolon, apart from in lists.",
    "Don't use more than one exclamation mark in a row.",
    "At least 2 lines may be longer than 10 words.",
    "At least 1 paragraph may be longer than 100 words.",
    "At least one line can be over 10 syllables.",
    "Exactly 2 sentences may be longer than 20 words.",
    "Describe a poetry game where each line has 5 syllables.",
    "Tell me about a form of poetry in which every line has seven syllables.",
    "Explain a writing exercise where each sentence must start with the letter A.",
    "Write a letter where the writer complains that every sentence has 40 words.",
    "Include a date in any paragraph.",
    "Mention the price in any sentence you like.",
    "Add an emoji in any bullet.",
    "Include a number in any bullet point.",
    "No bullet needs a colon.",
    "No paragraph needs a date.",
    "The title doesn't need a colon.",
    "No sentence needs a comma.",
    "No heading needs a number.",
    "The bullets don't need a colon.",
    "Headings don't need a number.",
    "The first sentence doesn't need a comma.",
    "Lines don't need an emoji.",
    "The subject line doesn't need a date.",
    "Every paragraph must contain a quote, and none of them should be longer than 20 words.",
    "Each paragraph must include a line of dialogue, and each of them should be under 10 words.",
    "Each paragraph should include a quotation, and each of them should be under 15 words.",
    "Every bullet should contain a quote, and none of them should exceed 12 words.",
    "Each stanza must include a line of dialogue, and none of them should be longer than 8 words.",
    "Lowercase only, no exclamation marks.",
    "Lowercase only, no emojis.",
    "All caps only, no commas.",
    "Bullet points only, no commas.",
    "Keep the bridge within 4 lines.",
    "Keep the outro within 2 lines.",
    "Keep the recap within 3 lines.",
    "Keep the hook within 2 lines.",
    "Dates must be shown as YYYY-MM-DD in the table.",
    "Use quatrains and couplets.",
    "Use quatrains, ending with a couplet.",
    "Start each line with a clock time.",
    "Never end two lines on the same word in a row.",
    "Use a different starting word for every sentence in the list.",
    "The lines should each have 8 syllables, roughly.",
    "Each line is shorter than the previous one, roughly.",
    "Keep each sentence within 12 words-ish.",
    "Every paragraph should include a date, as the opening words.",
    "Each line should have exactly 8 syllables, or we'll accept 9.",
    "Each bullet must be under 10 words, as the slide only fits 4 bullets.",
    "Include exactly one rhetorical question.",
    "Ask at most one rhetorical question.",
    "Include exactly 2 direct questions.",
    "Ask no more than 2 open questions.",
    "Each title must be in all caps.",
    "Each bullet needs a colon after the label.",
]


@pytest.mark.parametrize("clause", REVIEWED_UNREAD)
def test_what_a_review_found_read_wrongly_is_not_read(clause):
    assert read(clause) == []


@pytest.mark.parametrize("clause,reading", [
    ("Write a poem in rhyme royal.", ["in each paragraph, the lines rhyme ABABBCC (line 1 with line 3, line 2 with "
                                      "line 4, line 2 with line 5, line 6 with line 7, and so on)",
                                      "each paragraph has exactly 7 lines"]),
    ("Only 2 sentences can be longer than 20 words.", ["at most 2 sentences have at least 21 words"]),
    ("Keep each sentence under 15 words so kids can follow, and end every paragraph with a question.",
     ["each sentence has at most 14 words", "the last sentence of each paragraph ends with a question mark"]),
    ("Keep every bullet under 12 words, for my slides.", ["each bullet item has at most 11 words"]),
    # the review's short list of missed readings
    ("Lines 2 and 4 of the poem must rhyme.", ["line 2 rhymes with line 4"]),
    ("No two lines should rhyme with each other.", ["no two lines end with rhyming words"]),
    ("Each line should be one word longer than the last.",
     ["each line after the first has exactly 1 more word than the line before it"]),
])
def test_what_a_review_found_is_read_right(clause, reading):
    assert said(clause) == reading


# a second review (of the mends, with kinds the first did not try) found these read wrongly; all are unread now
SECOND_REVIEW_UNREAD = [
    "Every paragraph must contain a question, and none should be longer than 10 words.",
    "Every paragraph should have 3 sentences, and each of them should be under 20 words.",
    "Every paragraph should have 3 sentences, and none should start with 'The'.",
    "Every stanza should have 4 lines, and each of them should end with a comma.",
    "Every paragraph should have 3 sentences, and none of them should be longer than 20 words.",
    "Each paragraph should have 2 sentences, and each one should end with a question mark.",
    "Each stanza has 4 lines, and none of them should be longer than 8 words.",
    "Each stanza should have 4 lines, and none should end with a period.",
    "Each paragraph must contain a question, and each of them should be under 10 words.",
    "Each stanza must end with a question, and none of them should be over 8 words.",
    "Every bullet should include at least 2 words starting with 'b', and none should be longer than 6 letters.",
    "Each paragraph should start with a question, and none should exceed 80 words.",
    "Keep each sentence under 15 words to make sure it fits, unless it's a quote.",
    "Keep each sentence under 15 words so kids can follow, except in the dialogue.",
    "Keep each sentence under 15 words so kids can follow, but the intro can be longer.",
    "Keep each sentence under 15 words so kids can follow, apart from quotes.",
    "Keep each sentence under 15 words because kids read this, though dialogue can run longer.",
    "Keep each sentence under 15 words because kids read this, unless it's dialogue.",
    "Keep each sentence under 15 words since kids read it, at least in the first section.",
    "Keep each sentence under 15 words, as the screen is small, at least for the body.",
    "Keep each sentence under 15 words, as the screen is small, except the title.",
    "No exclamation marks, because my boss hates them, other than in the sign-off.",
    "No exclamation marks because my boss hates them, unless quoting someone.",
    "Use no more than 3 sentences per paragraph, so it's easy to skim, for most paragraphs.",
    "Keep every line under 8 words so it fits, in the chorus anyway.",
    "Keep every line under 8 words so it fits, in the chorus only.",
    "Avoid semicolons since readers find them fussy, outside of lists.",
    "Every bullet under 10 words to keep it punchy, roughly speaking.",
    "Every bullet under 10 words to keep it punchy — give or take.",
    "Every bullet under 10 words to show you can be concise, mostly.",
    "Keep each line under 8 words so the song flows, for the verses.",
    "Nice to have: no exclamation marks.",
    "Extra credit — every sentence under 15 words.",
    "Stretch goal: every sentence under 15 words.",
    "Low priority: every sentence under 15 words.",
    "Unimportant: every sentence under 15 words.",
    "A suggestion: every sentence under 15 words.",
    "Just an idea: every sentence under 15 words.",
    "Food for thought: every sentence under 15 words.",
    "Ignore this: every sentence under 15 words.",
    "Old rule: every sentence under 15 words.",
    "Previous draft: every sentence under 15 words.",
    "Each bullet should be under 10 words by and large.",
    "Each bullet should be under 10 words, where feasible.",
    "Each bullet should be under 10 words where practical.",
    "Each bullet should be under 10 words, as a rule of thumb.",
    "Each bullet should be under 10 words, as a soft limit.",
    "Each bullet should be under 10 words, loosely.",
    "Each bullet should be under 10 words, best effort.",
    "Write it in blank verse, loosely.",
    "In the verses, each line should be under 10 words.",
    "In the bridge, each line should be under 10 words.",
    "In the outro, each line should be under 10 words.",
    "In the hook, every line should end with 'yeah'.",
    "The abstract: every sentence under 25 words.",
    "Abstract — every sentence under 25 words.",
    "Imagine a language where no word has more than 3 letters.",
    "Invent a language where every word starts with Z.",
    "Picture a kingdom where every sentence ends with a question mark.",
    "Imagine a world where every sentence has 5 words.",
    "I have 3 dates this week, write me a schedule.",
    "No word should be repeated more than once.",
    "No word should be repeated more than twice.",
    "Include the phrase 'every sentence under 10 words'.",
    "My friend said 'no commas', but I disagree.",
    "Is 'no commas in the first paragraph' a good rule?",
    "Each bullet should start with a number — 1, not one.",
    "Write a rhyme royal stanza and a limerick.",
    "Write a poem in blank verse and end with a rhyming couplet.",
    "End with a rhyming couplet.",
    "Include 2 dates, spelled out in full.",
]


@pytest.mark.parametrize("clause", SECOND_REVIEW_UNREAD)
def test_what_a_second_review_found_read_wrongly_is_not_read(clause):
    assert read(clause) == []


@pytest.mark.parametrize("clause,reading", [
    ("Only 2 lines may start with 'I'.", ["at most 2 lines start with the word 'I'"]),
    ("Only one line can end with a question mark.", ["at most 1 line ends with a question mark"]),
    ("Stay within 280 characters per tweet.", ["each paragraph has at most 280 characters"]),
    ("Write all dates as YYYY-MM-DD, please.", ["each date is written as YYYY-MM-DD"]),
    ("Use quatrains, please.", ["each paragraph has exactly 4 lines"]),
])
def test_what_a_second_review_found_is_read_right(clause, reading):
    assert said(clause) == reading
