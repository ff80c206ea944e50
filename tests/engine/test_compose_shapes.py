"""The constraint language's shapes over the run of units (issue 37): acrostics, the alphabet, refrains, lengths
compared across units, orders, forms written in digits or pictographs, words of a kind. Programs check a text, name
what breaks them, say themselves and round-trip; the reader reads wordings written here (not taken from the sets in
assets/trials/compose/) and refuses those it cannot read one way."""
import pytest

from irg.engine.compose import Count, Each, Filter, Quant, Rhyme, Rule, Select, program_from_dict
from irg.engine.compose.across import Across, Acrostic
from irg.engine.compose.reader import read
from irg.engine.compose.units import split

CASES = [  # (program, its plain words, a text it holds for, a text it breaks, a phrase of the break)
    (Acrostic("SUN"), "the response has exactly 3 lines whose first letters spell S, U, N in order",
     "Soft light\nUnder trees\nNow fading", "Soft light\nNow fading", "the response has 2 lines"),
    (Across("line", "abecedarian"), "line n starts with the nth letter of the alphabet, starting from A",
     "Apples fall\nBees hum\nCats nap", "Apples fall\nCats nap", "line 2 starts with 'c', not 'b'"),
    (Across("bullet item", "reverse_alphabetical"), "the bullet items are in reverse alphabetical order",
     "- pear\n- fig\n- apple", "- apple\n- pear", "comes before"),
    (Across("sentence", "distinct_count", of="word"), "no two sentences have the same number of words",
     "One. Two words. Now three words.", "Go now. Stop here.", "sentence 2 has 2 words, as sentence 1 does"),
    (Across("sentence", "consecutive_distinct_count", of="word"),
     "no two consecutive sentences have the same number of words", "Go now. Stop. Wait here.",
     "Go. Stop. Wait here.", "sentence 2 has 1 words, as sentence 1 does"),
    (Across("paragraph", "same_count", of="line"), "all paragraphs have the same number of lines",
     "a\nb\n\nc\nd", "a\nb\n\nc", "paragraph 2 has 1 lines, paragraph 1 has 2"),
    (Across("bullet item", "spread", of="word", n=2),
     "the longest and the shortest bullet items differ by at most 2 words", "- one two\n- one two three four",
     "- one\n- one two three four five", "4 apart"),
    (Across("paragraph", "last_fewest", of="word"), "no paragraph has fewer words than the last paragraph",
     "Three words here.\n\nTwo words.", "One.\n\nTwo words.", "paragraph 1 has 1 words, the last paragraph 2"),
    (Across("bullet item", "nth_most", of="word", n=2), "bullet item 2 has more words than any other bullet item",
     "- a b\n- c d e\n- f", "- a b c\n- d", "bullet item 1 has 3 words, bullet item 2 1"),
    (Across("paragraph", "middle_most", of="word"),
     "there is an odd number of paragraphs and the middle one has more words than any other",
     "One.\n\nTwo three four.\n\nFive six.", "One.\n\nTwo three.", "no single middle paragraph"),
    (Across("paragraph", "same_last_line"), "all paragraphs end with the same line",
     "Rain falls\nHome again\n\nWind blows\nHome again", "Rain falls\nHome again\n\nWind blows\nAway",
     "paragraph 2 ends with the line 'away'"),
    (Across("word", "chain"), "each word after the first starts with the last letter of the word before it",
     "Tall lions sleep peacefully", "Tall bears sleep", "word 2 starts with 'b', word 1 ends with 'l'"),
    (Across("bullet item", "ascending_count", of="word"),
     "each bullet item has at least as many words as the bullet item before it", "- a\n- b c\n- d e",
     "- a b\n- c", "bullet item 2 has 1 words, bullet item 1 has 2"),
    (Across("year", "increasing"), "the years appear in increasing order", "In 1969, then 1989, then 2001.",
     "In 2001 and in 1969.", "year 2 (1969) comes after 2001"),
    (Rule(Each(), Select("bullet item", 3), Filter("has_price")), "the 3rd bullet item contains a price",
     "- a\n- b\n- now $4.50", "- a\n- b\n- now 4.50", "does not contain a price"),
    (Rule(Each(), Select("sentence", 1), Filter("has_percentage")), "the first sentence contains a percentage",
     "Sales rose 12% this year. Good.", "Sales rose a lot. Up 12%.", "does not contain a percentage"),
    (Rule(Each(), Select("line"), Filter("starts_time")), "each line begins with a time",
     "08:00 Breakfast\n9am Walk", "Breakfast at 08:00", "does not begin with a time"),
    (Rule(Each(), Select("line"), Filter("ends_emoji")), "each line ends with an emoji", "Good day 🎉\nSun ☀",
     "Good day 🎉\nSun", "does not end with an emoji"),
    (Rule(Quant("none"), Select("sentence"), Filter("starts_with_any", ("And", "But"))),
     "no sentence starts with 'And' or 'But'", "Andrew came. So did we.", "We came. But not him.",
     "sentence 2 ('But not him.') starts with 'And' or 'But'"),
    (Rule(Each(), Select("paragraph"), Filter("repeats_first_line")), "each paragraph ends with its own first line",
     "Go home\nnow\nGo home", "Go home\nnow", "does not end with its own first line"),
    (Rule(Quant("none"), Select("word"), Filter("shouted")),
     "no word is written in capitals (a word of two letters or more)",
     "I saw a cat.", "I saw a HUGE cat.", "word 4 ('HUGE') is written in capitals"),
    (Rule(Each(), Select("response"), Filter("pangram")), "the response contains every letter from a to z",
     "The quick brown fox jumps over the lazy dog.", "The quick fox.", "does not contain every letter"),
    (Rule(Quant("none"), Select("title"), Filter("ends_with", ".")), "the title does not end with a period",
     "# Spring days\n\nText.", "# Spring days.\n\nText.", "the title ('Spring days.') ends with a period"),
    (Rule(Quant("share_more_than", 0.5), Select("sentence"), Filter("ends_with", "!")),
     "more than 50% of the sentences end with an exclamation mark", "Go! Run! Stop.", "Go! Stop.",
     "1 of 2 sentences end with an exclamation mark"),
    (Rule(Each(), Select("section"), Count("bullet item", "exactly", 2)),
     "the text under each heading has exactly 2 bullet items",
     "## A\n- x\n- y\n## B\n- z\n- w", "## A\n- x\n## B\n- z\n- w", "section 1 has 1 bullet item"),
    (Across("sentence", "mean_less_than", of="word", n=5), "the mean number of words per sentence is less than 5",
     "One two. Three four five.", "One two three four five six.", "have 6.0 words on average"),
    (Across("sentence", "same_first_word_run", n=2), "at least 2 consecutive sentences start with the same word",
     "We go. We stay. Then.", "We go. Then we stay.", "at most 1 sentences in a row"),
    (Across("paragraph", "opener_limit", n=1), "no word is the first word of more than 1 paragraphs",
     "We go.\n\nThey stay.", "We go.\n\nWe stay.", "'we' starts paragraphs 1, 2"),
    (Across("list number", "counting"), "each numbered list runs 1, 2, 3 and so on", "1. a\n2. b\n\nThen:\n1. c",
     "1. a\n3. b", "item 2 is numbered 3"),
    (Across("bullet item", "cheapest_first"), "the bullet items are in order of their prices, lowest first",
     "Menu:\n- Tea $2\n- Cake $3.50", "- Cake $3.50\n- Tea 2 dollars", "the price of bullet item 2 is less than"),
    (Rule(Each(), Select("title"), Filter("title_case")), "the title is in title case", "# The Rise of the Tide\n\nx",
     "# The rise of the tide\n\nx", "is not in title case"),
    (Rule(Each(), Select("paragraph", inner=True), Count("sentence", "at_least", 2)),
     "each paragraph other than the first and the last has at least 2 sentences", "Hi.\n\nA. B.\n\nBye.",
     "Hi.\n\nA.\n\nB. C.\n\nBye.", "paragraph 2 has 1 sentence"),
    (Rhyme("AABB", True, "paragraph"),
     "in each paragraph, the lines rhyme AABB (line 1 with line 2, line 3 with line 4, and so on)",
     "day\nplay\nsky\nhigh\n\nsea\ntree", "day\nplay\n\nsea\nsun", "in paragraph 2, line 1 ('sea') does not rhyme"),
    (Rule(Each(), Select("line"), Filter("growing_words")), "each line has each word longer than the word before it",
     "I am not here", "I am here now", "does not have each word longer"),
    (Rule(Each(), Select("response"), Count("word", "at_most", 1, where=Filter("ends_with", "ly"))),
     "the response contains at most 1 word ending with the letters 'ly'", "Slowly we go.",
     "Slowly and quietly.", "the response contains 2 words ending with the letters 'ly'"),
]


@pytest.mark.parametrize("program,words,good,bad,phrase", CASES, ids=[c[1] for c in CASES])
def test_a_shape_checks_names_what_breaks_it_and_round_trips(program, words, good, bad, phrase):
    assert program.describe() == words
    assert program.check(good) == []
    broken = program.check(bad)
    assert broken and any(phrase in b for b in broken), broken
    assert program_from_dict(program.to_dict()) == program


def test_shapes_refuse_fields_they_do_not_take_and_words_they_cannot_spell():
    with pytest.raises(ValueError, match="takes 'of' and 'n'"):
        Across("bullet item", "spread", of="word")
    with pytest.raises(ValueError, match="takes no 'of' or 'n'"):
        Across("line", "alphabetical", of="word")
    with pytest.raises(ValueError, match="2 to 26 letters"):
        Acrostic("R2D2")
    with pytest.raises(ValueError, match="not an order of 'line' units"):
        Across("line", "increasing")
    with pytest.raises(ValueError, match="ordered by value"):
        Across("list number", "alphabetical")


def test_how_numbers_times_and_dates_are_written_is_checked_on_each_of_them():
    assert read("Write numbers as digits.")[0].check("I have 2 cats; no one knows why, and one of them sleeps.") == []
    assert read("Write numbers as digits.")[0].check("I have two cats.")
    clock = read("Use the 24-hour clock for all times.")[0]
    assert clock.check("Meet at 09:30, leave at 17:45.") == [] and clock.check("Meet at 9:30am.")
    assert read("Dates in ISO format.")[0].check("Due 2024-05-01 or on 3 May.") == ["date 2 ('3 May') is not written "
                                                                                   "as YYYY-MM-DD"]


def test_forms_are_seen_as_people_write_them():
    assert Filter("has_time").holds("Lunch at 12:30pm.") and Filter("has_date").holds("On May 5th, 2021 we met.")
    assert Filter("ends_emoji").holds("Sunny today ☀️") and Filter("starts_emoji").holds("👩‍💻 Coding all day")
    assert Across("paragraph", "same_last_line").check("Rain\nHome again.\n\nWind\nHome again") == []
    assert Acrostic("SUN").check("# Summer\n\nSoft light\nUnder trees\nNow fading") == []  # a title is no line


def test_sections_years_and_forms_are_read_by_their_written_shape():
    assert split("section", "Intro.\n## One\nA b.\n## Two\nC d.") == ["A b.", "C d."]
    assert split("section", "No heading at all.") == ["No heading at all."]
    assert split("year", "In 1969 we paid $1999 for 1,969 items; 2024.") == ["1969", "2024"]
    assert Filter("has_time").holds("We meet at 14:30.") and not Filter("has_time").holds("It costs 3.50 now.")
    assert Filter("has_date").holds("Due on 3 March.") and not Filter("has_date").holds("In 2024.")
    assert Filter("starts_number").holds("Two cups of flour") and not Filter("starts_number").holds("Tomatoes")


READ = [  # (a wording written here, what it is read as)
    ("Compose an acrostic spelling out the word RAIN.",
     "the response has exactly 4 lines whose first letters spell R, A, I, N in order"),
    ("The first letters of the paragraphs should spell the word CALM.",
     "the response has exactly 4 paragraphs whose first letters spell C, A, L, M in order"),
    ("Begin every sentence with the next letter of the alphabet.",
     "sentence n starts with the nth letter of the alphabet, starting from A"),
    ("Every stanza should close with the same line.", "all paragraphs end with the same line"),
    ("Each verse must end with the line 'and so we sail'.", "the last line of each paragraph is 'and so we sail'"),
    ("No two lines may have the same number of words.", "no two lines have the same number of words"),
    ("Each stanza should have the same number of syllables.", "all paragraphs have the same number of syllables"),
    ("No two sentences in a row should be of equal length.",
     "no two consecutive sentences have the same number of words"),
    ("Make the last sentence the longest one.", "no sentence has more words than the last sentence"),
    ("The second bullet should be the longest one.", "bullet item 2 has more words than any other bullet item"),
    ("The middle line of the poem should be the longest.",
     "there is an odd number of lines and the middle one has more words than any other"),
    ("Keep all the bullet points within 4 words of each other.",
     "the longest and the shortest bullet items differ by at most 4 words"),
    ("Mention a price in the second sentence.", "the 2nd sentence contains a price"),
    ("Kick off each line with an emoji.", "each line begins with an emoji"),
    ("Never begin a paragraph with a digit.", "no paragraph begins with a digit"),
    ("Each paragraph should have no fewer than 2 sentences and no more than 4.",
     "each paragraph has between 2 and 4 sentences"),
    ("Every line has six syllables, no more, no less.", "each line has exactly 6 syllables"),
    ("Most lines should end with a period.", "more than 50% of the lines end with a period"),
    ("At least 2 out of every 3 sentences should end with a question mark.",
     "at least two thirds of the sentences end with a question mark"),
    ("Fewer than half of the sentences should start with 'I'.",
     "less than 50% of the sentences start with the word 'I'"),
    ("The subject line must not end with an exclamation mark.",
     "the subject line does not end with an exclamation mark"),
    ("Avoid opening lines with 'Oh' or 'Ah'.", "no line starts with 'Oh' or 'Ah'"),
    ("Put the items in reverse alphabetical order.", "the bullet items are in reverse alphabetical order"),
    ("Sort the lines from longest to shortest.", "each line has at most as many words as the line before it"),
    ("Write a funny limerick about a cat.",
     "the response has exactly 5 lines rhyming AABBA (line 1 with line 2, line 3 with line 4, line 1 with line 5)"),
    ("Use no more than two -ly words.", "the response contains at most 2 words ending with the letters 'ly'"),
    ("Start each bullet with an -ed word.", "the first word of each bullet item ends with the letters 'ed'"),
    ("Finish every paragraph on a word of 2 syllables.", "the last word of each paragraph has exactly 2 syllables"),
    ("Mini rule: each line must contain the letter z.", "each line contains the letter z"),
    ("Each sentence should have a word with a double letter, such as 'book'.",
     "each sentence contains at least 1 word with a double letter"),
    ("The word 'fin' must be the last word of the response.", "the last word is 'fin'"),
    ("Zero semicolons.", "the response contains no semicolons"),
    ("Under each heading, write exactly 3 sentences.", "the text under each heading has exactly 3 sentences"),
    ("Each section should have a heading of at most 3 words.",
     "the response has at least 1 heading and each heading has at most 3 words"),
    ("Paragraphs should average under 60 words.", "the mean number of words per paragraph is less than 60"),
    ("Begin at least 4 consecutive lines with the same word.", "at least 4 consecutive lines start with the same word"),
    ("No more than three sentences may begin with the same word.",
     "no word is the first word of more than 3 sentences"),
    ("Number the instructions 1, 2, 3.", "each numbered list runs 1, 2, 3 and so on"),
    ("List these from the cheapest to the most expensive.",
     "the bullet items are in order of their prices, lowest first"),
    ("Bold the first word of each bullet.", "each bullet item begins with a word in bold"),
    ("Every line should be alliterative.", "each line has every word starting with the same letter"),
    ("Write all headings in title case.", "each heading is in title case"),
    ("No two-line stanzas.", "no paragraph has exactly 2 lines"),
    ("Keep titles tidy: no word in the title longer than 8 letters.", "no word in the title has more than 8 letters"),
    ("Make the 3rd line a question.", "the 3rd line ends with a question mark"),
    ("Every stanza must be a couplet.", "each paragraph has exactly 2 lines"),
    ("Each stanza should be longer than the one before it.",
     "each paragraph has more lines than the paragraph before it"),
    ("Over half of the lines should end with a comma.", "more than 50% of the lines end with a comma"),
    ("No emojis, please.", "the response contains no emojis"),
    ("Use at most 2 emojis.", "the response contains at most 2 emojis"),
    ("End each subheading with a colon.", "each heading ends with a colon"),
    ("Make the first word of each paragraph bold.", "each paragraph begins with a word in bold"),
    ("Poster headline: five words or fewer.", "the title has at most 5 words"),
    ("No more than a third of the lines may end with a comma.", "at most one third of the lines end with a comma"),
    ("The first letters of the lines should be in alphabetical order.",
     "the first letters of the lines are in alphabetical order"),
    ("No two adjacent lines should rhyme.", "no two consecutive lines rhyme"),
    ("The first word of every line must rhyme with the last word.",
     "each line has a first word that rhymes with its last word"),
    ("Every line must contain the letter s exactly 2 times.",
     "each line contains exactly 2 letters that are the letter 's'"),
    ("Each body paragraph should have at least 4 sentences.",
     "each paragraph other than the first and the last has at least 4 sentences"),
    ("Write all the numbers in figures.", "the response contains no number words"),
    ("Each bullet should start with an emoji and end with a period.",
     "each bullet item begins with an emoji and each bullet item ends with a period"),
    ("Each paragraph should have 3 sentences and end with a question mark.",
     "each paragraph has exactly 3 sentences and each paragraph ends with a question mark"),
    ("Rhyme it ABAB in each stanza.",
     "in each paragraph, the lines rhyme ABAB (line 1 with line 3, line 2 with line 4, and so on)"),
    ("Every word in each line must start with the same letter.",
     "each line has every word starting with the same letter"),
    ("All times must be in 24-hour format.", "each time is written as HH:MM on a 24-hour clock"),
    ("Give every date in ISO format.", "each date is written as YYYY-MM-DD"),
    ("Round every percentage to the nearest whole number.", "each percentage has no decimal point"),
    ("Give all prices to two decimal places, e.g. 3.50.",
     "each price has a currency sign and exactly two digits after the decimal point"),
    ("Write 4 lines with at least 1 question, 1 exclamation and 1 statement.",
     "the response has exactly 4 lines and at least 1 sentence ends with a question mark and at least 1 sentence "
     "ends with an exclamation mark and at least 1 sentence ends with a period"),
]


@pytest.mark.parametrize("instruction,words", READ, ids=[r[0] for r in READ])
def test_a_wording_of_a_shape_is_read_into_its_program(instruction, words):
    assert " and ".join(p.describe() for p in read(instruction)) == words


NOT_READ = [
    "Write a double acrostic on the word MOON.",  # first and last letters: not this program
    "Make an acrostic poem about friendship.",  # which word?
    "Don't start each line with a time.",  # a refusal said of each: not one reading
    "Put the number in the first line.",  # which number?
    "Keep the items sorted by price in alphabetical order.",  # another key
    "List the names, except the first, in alphabetical order.",  # an exception
    "In the first paragraph: no word longer than five letters.",  # the gloss narrows the rule
    "Put the price in the last sentence, and not before.",  # more than this reads
    "Use between 3 and 5 -ing words, ideally.",  # a hedge
    "Open each stanza with a two-line sentence.",  # a sentence counted in lines
    "Each line starts with a capital letter and ends with a flourish.",  # the second half is not read
    "Every sentence should be short and sweet.",
    # found by a review helper's ~740 wordings: refusals said after the rule, forms as topics, scopes and parts left out
    "Sentences shorter than 5 words are banned.", "Lines that start with \"The\" are banned.",
    "Words that start with a capital letter should be avoided.", "Stanzas of 4 lines should be avoided.",
    "Ignore the rule that every line must end with an emoji.",
    "Write a story about a poet who writes an acrostic on the word SUN.",
    "Explain what an acrostic on the word SUN is.",
    "Write a story about a girl who writes a haiku.",
    "Most sentences in each paragraph should be questions.",
    "Most sentences in the last paragraph should be questions.",
    "Start each sentence with the next letter of the alphabet, starting from M.",
    "Write an abecedarian poem of 10 lines.",  # 26 lines and 10: no text meets both
    "Each bullet must contain a price and a percentage.", "The third bullet must mention a price, the fourth a date.",
    "Each line must contain a word such as 'book' or 'tree'.", "Opening lines: no more than 5 words.",
    "Sentences should average under 1 word.",
    "First lines: no more than 5 words.",  # a label that narrows
    "The middle line should have 3 words.",  # one line, not the ones between
]


@pytest.mark.parametrize("instruction", NOT_READ)
def test_a_shape_that_cannot_be_read_one_way_is_not_read(instruction):
    assert read(instruction) == []


def test_an_acrostic_of_up_to_six_letters_is_a_grammar_and_reverse_order_is_rendered():
    from irg.engine.compose.constraint import Composed
    from irg.engine.compose.enforce import decoding
    from irg.engine.feasible import search
    from irg.engine.render import render
    from tests.engine.test_compose import _admits

    program = read("Write an acrostic on the word SUN.")[0]
    gbnf = decoding(program).grammar
    assert _admits(gbnf, "Soft light falls\nUnder the trees\nNight comes") and program.check("Soft\nUs\nNo") == []
    assert not _admits(gbnf, "Soft light falls\nNight comes\nUnder the trees")
    assert not _admits(gbnf, "S\nU\nN")  # a letter alone is no line of a poem
    found = search(gbnf)
    assert found.found and program.check(found.example) == [], found
    assert decoding(Acrostic("SPRINGS")) is None  # seven forced lines: no grammar
    c = Composed(Across("bullet item", "reverse_alphabetical").to_dict())
    text, steps = render("- apple\n- pear\n- fig", [c])
    assert text == "- pear\n- fig\n- apple" and c.check(text) == []
    assert [s.label for s in steps] == ["rendered: the bullet items sorted in reverse alphabetical order"]


def test_no_grammar_with_whole_words_has_a_place_only_a_word_piece_can_fill():
    """Under whole words no token may start with a lowercase letter; a grammar place that allows only one (after
    "don'" when the apostrophe ending was [a-z]+) left llama.cpp no token, and it aborted the model process. The word
    grammars have no such place, and a plan whose grammar has one lets whole words go rather than abort."""
    from irg.engine.compose.enforce import decoding
    from irg.engine.decoding import DecodingConstraints
    from irg.engine.feasible import make_decodable, search, word_piece_only

    for instruction, walked in (("Keep every sentence under eight words.", True),
                                ("No word may be longer than six letters.", True),
                                ("Lines must be between 2 and 4 words.", True),
                                ("Each sentence should have at least 3 words.", False)):  # unbounded: a partial walk
        dc = decoding(read(instruction)[0])
        # a full walk takes ~0.8 s alone, near search's 1 s default: timed out on a loaded machine it said "unknown"
        # (the test failed one run in two beside a training run); what is tested is the grammar, not the clock
        found = search(dc.grammar, goal=word_piece_only, seconds=30).found
        assert dc.whole_words and found is not True and (found is False or not walked), instruction
    old = 'root ::= w (" " w)*\nw ::= [A-Z] [a-z]* ("\'" [a-z]+)?\n'  # the apostrophe ending before the fix
    assert search(old, goal=word_piece_only).example == "A'"
    dc, let_go = make_decodable(DecodingConstraints(grammar=old, whole_words=True))
    assert not dc.whole_words and dc.grammar == old and [lg.field for lg in let_go] == ["whole_words"]


# ---- enforcement found missing by the development banks' quality run (scripts/compose_devq.py) ---------------------
@pytest.mark.parametrize("said,text,want", [
    ("Bullets don't get periods at the end.", "Tips:\n* Eat well.\n* Sleep early.\nHave fun.",
     "Tips:\n* Eat well\n* Sleep early\nHave fun."),
    ("No line should end with punctuation.", "Roses are red,\nViolets are blue.\n\nOk?", "Roses are red\nViolets are "
     "blue\n\nOk"),
    ("Never end a line with a comma.", "a line,\nnext line.", "a line\nnext line."),
])
def test_a_mark_no_line_may_end_with_is_taken_off_as_a_labelled_step(said, text, want):
    from irg.engine.compose.constraint import Composed
    from irg.engine.compose.reader import read
    from irg.engine.render import render

    (p,) = read(said)
    c = Composed(p.to_dict())
    assert c.check(text) and not c.check(want)  # broken before, kept after
    out, steps = render(text, [c])
    assert out == want and [s.label for s in steps] == ["rendered: end marks taken off, so that " + p.describe()]


def test_numbers_in_words_mask_every_digit():
    from irg.engine.compose import enforce
    from irg.engine.compose.reader import read

    (p,) = read("Write out any numbers in words.")
    assert enforce.decoding(p).banned_chars == list("0123456789")


@pytest.mark.parametrize("said,good,bad", [
    ("Write it in tercets.", "Rain falls\nOn the roof\nAll night\n\nThe sun\nComes back\nAt dawn",
     "Rain falls\nOn the roof\n\nThe sun"),
    ("Every stanza should be a quatrain.", "a\nb b\nc c\nd d", "a\nb b\nc c"),
    ("write me a lil poem where every line ends with a question mark haha", "Who am I?\nWhere is home?",
     "Who am I?\nHome is here."),
    ("Each tweet in the thread has to come in under 280 characters.", "Short one.\n\nAnother short one.",
     "x" * 300),
    ("No line may be longer than 20 characters.", "A short line\nAnother one", "This line is much longer than twenty"),
])
def test_stanzas_line_ends_and_characters_per_unit_have_a_grammar(said, good, bad):
    from irg.engine.compose.enforce import decoding
    from irg.engine.compose.reader import read
    from irg.engine.feasible import search
    from tests.engine.test_compose import _admits

    (program,) = read(said)
    gbnf = decoding(program).grammar
    assert _admits(gbnf, good) and program.check(good) == []
    assert not _admits(gbnf, bad) and program.check(bad)
    found = search(gbnf)
    assert found.found and program.check(found.example) == [], found
