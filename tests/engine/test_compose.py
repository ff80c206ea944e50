"""The constraint language's first layer (issue 37): programs check a text, name the units that break them, say
themselves in plain words and round-trip through their dict form. Texts written here, not taken from the held-out
sets in assets/trials/compose/."""
import pytest

from irg.engine.compose import Across, Count, Each, Filter, Form, Quant, Rule, Select, program_from_dict
from irg.engine.errors import ConfigError

POEM = "Bright stars above.\nBirds sing at dawn.\nBlue waves break slowly.\n\nQuiet night falls.\nQuiet night ends."
CASES = [  # (program, its plain words, a text it holds for, a text it breaks, a phrase of the break)
    (Rule(Each(), Select("sentence"), Count("word", "at_most", 4)), "each sentence has at most 4 words",
     "Short one. Also short.", "This sentence has far too many words.", "sentence 1 has 7 words"),
    (Rule(Quant("none"), Select("word"), Filter("ends_with", "ing")), "no word ends with the letters 'ing'",
     "We sang and ran.", "We were singing.", "word 3 ('singing') ends with the letters 'ing'"),
    (Rule(Quant("at_least", 3), Select("word"), Filter("starts_with", "b")), "at least 3 words start with the letter b",
     POEM, "A cat sat.", "0 of 3 words start with the letter b"),
    (Rule(Each(), Select("response"), Count("line", "exactly", 3)), "the response has exactly 3 lines",
     "a\nb\nc", POEM, "the response has 5 lines"),
    (Rule(Each(), Select("sentence", nth=-1), Filter("question")), "the last sentence is a question",
     "It rains. Why?", "Why? It rains.", "the last sentence ('It rains.') is not a question"),
    (Rule(Each(), Select("line", nth=1, within=Select("paragraph")), Filter("first_word", "quiet")),
     "the first line of each paragraph starts with the word 'quiet'", "Quiet now.\n\nQuiet again.", POEM,
     "line 1 of paragraph 1 ('Bright stars above.') does not start with the word 'quiet'"),
    (Rule(Each(), Select("paragraph"), Count("sentence", "between", 2, 3)),
     "each paragraph has between 2 and 3 sentences",
     "One. Two.\n\nThree. Four. Five.", "One.\n\nTwo. Three.", "paragraph 1 has 1 sentence"),
    (Rule(Quant("share_at_most", 0.5), Select("sentence"), Filter("ends_with", "!")),
     "at most 50% of the sentences end with an exclamation mark", "Go! Stop. Wait.", "Go! Now! Wait.",
     "2 of 3 sentences end with an exclamation mark"),
    (Rule(Quant("none"), Select("line"), Filter("contains", "a")), "no line contains the letter a",
     "Quiet night.\nSoft light.", "Quiet night.\nBlue waves.", "line 2 ('Blue waves.') contains the letter a"),
    (Across("bullet item", "alphabetical"), "the bullet items are in alphabetical order",
     "- apple\n- fig\n- pear", "- pear\n- apple", "bullet item 2 ('apple') comes before bullet item 1 ('pear')"),
    (Across("line", "distinct_first_word"), "no two lines start with the same word", "A b.\nC d.", POEM,
     "line 5 starts with 'quiet', as line 4 does"),
]


@pytest.mark.parametrize("program,words,good,bad,phrase", CASES, ids=[c[1] for c in CASES])
def test_a_program_checks_names_the_units_and_says_itself(program, words, good, bad, phrase):
    assert program.describe() == words
    assert program.check(good) == []
    problems = program.check(bad)
    assert problems and any(phrase in p for p in problems), problems
    assert program_from_dict(program.to_dict()) == program


def test_a_missing_nth_unit_breaks_the_rule_and_says_which():
    rule = Rule(Each(), Select("sentence", nth=3), Filter("contains", "price"))
    assert rule.check("One. Two.") == ["there is no 3rd sentence"]
    assert rule.describe() == "the 3rd sentence contains 'price'"


def test_unknown_primitives_are_refused_with_the_known_ones_listed():
    with pytest.raises(ConfigError, match="Unknown unit 'stanza'.*sentence"):
        Select("stanza")
    with pytest.raises(ConfigError, match="Unknown filter 'rhymes'"):
        Filter("rhymes")
    with pytest.raises(ValueError, match="between"):
        Count("word", "between", 3)


READ = [  # (an instruction no type reads, what it is read as)
    ("Every sentence starts with a capital letter and ends with a period.",  # two predicates, both read
     "each sentence begins with an uppercase letter and each sentence ends with a period"),
    ("Each sentence must end with a period and have at least 6 words.",
     "each sentence ends with a period and each sentence has at least 6 words"),
    ("Use no more than 1 comma per sentence.", "each sentence contains at most 1 comma"),
    ("Keep the average sentence length below 20 words.", "the mean number of words per sentence is less than 20"),
    ("Sort the bullet points in reverse alphabetical order.", "the bullet items are in reverse alphabetical order"),
    ("The title should not be in all caps.", "the title is not in capital letters"),
    ("Keep every sentence under twelve words.", "each sentence has at most 11 words"),
    ("No paragraph should have more than 3 sentences.", "each paragraph has at most 3 sentences"),
    ("Use exactly two sentences per paragraph.", "each paragraph has exactly 2 sentences"),
    ("No word may be longer than seven letters.", "no word has more than 7 letters"),
    ("Don't use colons in headings.", "each heading contains no colons"),  # a mark banned in one unit
    ("No sentence contains a semicolon.", "each sentence contains no semicolons"),
    ("Headings have no exclamation marks.", "each heading contains no exclamation marks"),
    ("Make the first paragraph shorter than the second.", "paragraph 1 has fewer words than paragraph 2"),
    ("Your conclusion should be shorter than your introduction.",
     "the last paragraph has fewer words than the first paragraph"),
    ("The last line should be longer than the first line.", "the last line has more words than the first line"),
    ("Make it a tanka: five lines, 5-7-5-7-7.", "the response has exactly 5 lines with 5, 7, 5, 7 and 7 syllables"),
    ("Write a diamante poem.", "the response has exactly 7 lines with 1, 2, 3, 4, 3, 2 and 1 words"),
    ("End every stanza with the same refrain line.", "all paragraphs end with the same line"),
    ("Every heading should be in title case.", "each heading is in title case"),
    # the units of the forms that have them: a numbered list's steps, a thread's tweets, a slide's title
    ("Keep every step between 8 and 15 words.", "each numbered item has between 8 and 15 words"),
    ("Steps: 2 sentences max.", "each numbered item has at most 2 sentences"),
    ("No more than two sentences per page.", "each paragraph has at most 2 sentences"),
    ("Slide titles: 5 words max.", "each heading has at most 5 words"),
    ("Six lines with 1, 1, 2, 3, 5 and 8 syllables.",
     "the response has exactly 6 lines with 1, 1, 2, 3, 5 and 8 syllables"),
    ("Write 3 lines with 5, 7 and 5 words respectively.", "the response has exactly 3 lines with 5, 7 and 5 words"),
    ("Start each paragraph with a question.", "the first sentence of each paragraph ends with a question mark"),
    ("Use at least five words that begin with b.", "at least 5 words start with the letter b"),
    ("Don't use semicolons.", "the response contains no semicolons"),
    ("No ampersands.", "the response contains no ampersands"),  # marks the types never named
    ("Don't use slashes.", "the response contains no slashes"),
    ("Do not use any asterisks.", "the response contains no asterisks"),
    ("No more than 3 emoji per paragraph.", "each paragraph contains at most 3 emojis"),
    ("Each line at most 30 chars.", "each line has at most 30 characters"),
    ("Keep each answer under 50 words.", "each answer has at most 49 words"),
    ("Bold the first word of every paragraph using **double asterisks**.", "each paragraph begins with a word in bold"),
    ("Every sentence should have at most one comma.", "each sentence contains at most 1 comma"),
    ("No two sentences in a row should start with the same word.",
     "no two consecutive sentences start with the same word"),
    ("Put the bullet points in alphabetical order.", "the bullet items are in alphabetical order"),
    ("Begin every line with a capital letter.", "each line begins with an uppercase letter"),
    ("Finish every stanza with a question.", "the last sentence of each paragraph ends with a question mark"),
    ("At most a third of the sentences should end with exclamation marks.",
     "at most one third of the sentences end with an exclamation mark"),
    ("Use no more than two exclamation marks.", "the response contains at most 2 exclamation marks"),
    ("Start every paragraph with a different word.", "no two paragraphs start with the same word"),
    # the general clause reader (clause.py): subject, modal, predicate
    ("Sentences can't be more than nine words long.", "each sentence has at most 9 words"),
    ("Paragraphs must not exceed 40 words.", "each paragraph has at most 40 words"),
    ("Lines should be between 3 and 6 words.", "each line has between 3 and 6 words"),
    ("The opening paragraph can't run over 50 words.", "the first paragraph has at most 50 words"),
    ("Keep the final paragraph to a single sentence.", "the last paragraph has exactly 1 sentence"),
    ("Keep stanzas to three or four lines.", "each paragraph has between 3 and 4 lines"),
    ("Write in sentences of ten words or fewer.", "each sentence has at most 10 words"),
    ("Two-sentence paragraphs only.", "each paragraph has exactly 2 sentences"),
    ("No word may have fewer than three letters.", "each word has at least 3 letters"),
    ("Each line must fit in 40 characters.", "each line has at most 40 characters"),
    ("The last line must end with the word 'home'.", "the last line ends with the word 'home'"),
    ("Every bullet should contain a number.", "each bullet item contains at least one number"),
    ("The third word of the first line must be 'river'.", "the 3rd word of the first line is 'river'"),
    ("At most two sentences may end with a question mark.", "at most 2 sentences end with a question mark"),
    ("Use exactly one colon.", "the response contains exactly 1 colon"),
    ("Each paragraph should include a quote.", "each paragraph contains at least 1 quoted span"),
    ("No two lines may end with the same word.", "no two lines end with the same word"),
    ("Every sentence must start with a different letter.", "no two sentences start with the same letter"),
    ("Write a haiku about rain.", "the response has exactly 3 lines with 5, 7 and 5 syllables"),
    ("Make it a sonnet.", "the response has exactly 14 lines"),
    ("Write it in quatrains.", "each paragraph has exactly 4 lines"),
    ("Put every sentence on its own line.", "each line has exactly 1 sentence"),
    ("Keep the subject line under 50 characters.", "the subject line has at most 49 characters"),
    ("Headline: six words or fewer.", "the title has at most 6 words"),
    ("The title must be a question.", "the title ends with a question mark"),
    ("At least half of the sentences should be eight words or fewer.",
     "at least 50% of the sentences have at most 8 words"),
    ("Use at least two sentences that have more than 15 words.", "at least 2 sentences have at least 16 words"),
    ("Every line should have an even number of words.", "each line has an even number of words"),
    ("Each stanza should be shorter than the one before it.",
     "each paragraph has fewer lines than the paragraph before it"),
    ("Don't use the letter z at all.", "no word contains the letter z"),
    ("No contractions, please.", "no word is a contraction"),
    ("Spell out all numbers in words.", "the response contains no digits"),
    ("Each line needs at least three words beginning with s.",
     "each line contains at least 3 words starting with the letter s"),
    ("Every sentence must include at least one word of four syllables or more.",
     "each sentence contains at least 1 word with at least 4 syllables"),
    ("Paragraphs longer than 60 words are not allowed.", "each paragraph has at most 60 words"),
    ("Sentences: 4 to 9 words.", "each sentence has between 4 and 9 words"),
    ("Avoid any word with more than two syllables.", "no word has more than 2 syllables"),
    ("The letter q must appear in every stanza.", "each paragraph contains the letter q"),
    ("Never end your lines with question marks.", "no line ends with a question mark"),
    ("Give it a title of at most four words.", "the title has at most 4 words"),
    ("A title of at most five words.", "the title has at most 5 words"),  # the verb left out
    ("All lines must end with the same word.", "all lines end with the same word"),
    ("Don't use any word more than once.", "no word appears more than once"),
    ("Rhyme it ABAB.", "the lines rhyme ABAB (line 1 with line 3, line 2 with line 4, and so on)"),
    ("Sort the figures from highest to lowest.", "the numbers appear in non-increasing order"),
    ("Each paragraph should contain at least one question.",
     "each paragraph contains at least 1 sentence ending with a question mark"),
    ("Include a quote in every paragraph.", "each paragraph contains at least 1 quoted span"),
    ("A rhyming couplet about tea.", "the response has exactly 2 lines rhyming AA (line 1 with line 2)"),
    ("Each line should not end with a period.", "no line ends with a period"),  # once read the wrong way round
    # once read wrong and so left unread; read since the coverage session, either mark allowed
    ("End every line with a full stop or an exclamation mark.", "each line ends with a period or an exclamation mark"),
    ("3 sentences per paragraph at most.", "each paragraph has at most 3 sentences"),
    ("Each paragraph should have between two and four sentences.", "each paragraph has between 2 and 4 sentences"),
]
NOT_READ = [  # never guess: a number left over, a unit narrowed, a measure the language does not have
    "Each sentence must be at least 8 and at most 12 words, with one word of three syllables.",
    "Make it sound warm and friendly.",
    "Write each sentence so it has exactly one word starting with a capital letter.",
    # a review helper's wordings, once read the wrong way round:
    "Every sentence need not be under 12 words.",
    "Every sentence can be over 12 words.",
    "Avoid semicolons and em dashes",
    "Each sentence should average under 15 words",
    "Write in 0 lines",
    "Sentences may end with a question mark.",  # a permission, not a rule
    "Sentences can be longer than 30 words.",
    "Lines can't be exactly 5 words.",  # a refused number is not one limit
    "The paragraph should be 3 sentences.",  # which paragraph?
    "Not a haiku, just a short poem.",
    "Write a poem like a haiku.",
    "Two haiku stanzas, one after the other.",
    "Each tooltip line should stay under 15 words.",  # another unit (a tooltip line), not every line
    "Headlines can be up to 30 characters each.",  # several headlines: not the title
    "Half of the sentences may be questions.",
    "Rhyme it with SPRING in mind.",  # capitals that are not a scheme
    "Use the rhyme scheme ABAB CDCD EFEF GG.",  # not ABAB repeated
    "Every line should have at least one word of 3 syllables.",  # exactly 3, or at least 3? not read
    # the second review's wordings, once read wrong or in part: a refusal inside a word, a gap holding an exception
    # or a second instruction, a permission or a hedge, an estimate, a contradiction, a scope, the past
    "Don't write a haiku.",
    "Sentences needn't be under 12 words.",
    "Paragraphs shouldn't contain exactly 3 sentences.",
    "Each line, except the first, has at most 5 words.",
    "Feel free to use more than 3 semicolons.",
    "Keep every sentence under 12 words where possible.",
    "About 10 words per line.",
    "Each sentence must have 5 words that start with a vowel.",
    "Write a sonnet with 12 lines.",
    "Use no more than 3 hashtags per tweet.",
    "Don't use slashes in dates.",  # a scope, not every slash
    "Don't use asterisks for emphasis.",
    "Keep each post under 280 chars.",  # a post may run over paragraphs
    "Every sentence had at most 10 words.",
    "At least 150% of the sentences must be questions.",
    "At least 3 words in each sentence must start with the letter t.",
    "No heading contains a colon unless it is a subtitle.",
    "Headings may have no colons.",
    "The first line is shorter than the second paragraph.",  # two kinds of unit
    "The first paragraph should not be shorter than the second.",
    "Write three lines of 5-7-5.",  # words or syllables? not said, and no form named
    "Write 4 lines: 1, 2, 3 syllables.",  # four lines, three lengths
    "Explain what a diamante is.", "Write something like a diamante.", "Write a poem, like a fib.",
    "nothing over 12 words per sentence",  # a refusal outside what was read ("over 12 words" alone: at least 13)
]


@pytest.mark.parametrize("instruction,words", READ)
def test_an_instruction_no_type_reads_is_read_into_its_program(instruction, words):
    from irg.engine.compose.reader import read

    assert " and ".join(p.describe() for p in read(instruction)) == words


@pytest.mark.parametrize("instruction", NOT_READ)
def test_what_cannot_be_read_for_sure_is_not_read(instruction):
    from irg.engine.compose.reader import read

    assert read(instruction) == []


def test_a_composed_constraint_is_checked_planned_and_named_like_the_others():
    from irg.engine.compose.constraint import Composed, said
    from irg.engine.constraints import ConstraintError, from_dict

    rule = Rule(Each(), Select("sentence"), Count("word", "at_most", 4))
    c = from_dict({"kind": "composed", "program": rule.to_dict()})
    assert isinstance(c, Composed) and c.instruction() == "Make sure each sentence has at most 4 words."
    [finding] = c.check("Fine. This one is much too long.")
    assert "sentence 2 has 6 words" in finding.message and finding.constraint == c.to_dict()
    assert said(c.to_dict()) == "each sentence has at most 4 words" and said({"kind": "no_commas"}) == "no commas"
    with pytest.raises(ConstraintError, match="'program' is not a program"):
        from_dict({"kind": "composed", "program": {"rule": {"select": {"unit": "stanza"}}}})


@pytest.mark.skipif(not __import__("irg.engine.constraints.detect", fromlist=["available"]).available(),
                    reason="the embedding model or classifier is not installed")
def test_a_run_reads_checks_and_plans_an_instruction_no_type_reads(backend):
    """The detector hands the clause to the reader; the loop checks the program and its plan says it in words."""
    from irg.engine.config import RunConfig
    from irg.engine.events import CritiqueDone, PlanDone, RunStarted
    from irg.engine.strategies import run

    events = list(run("Describe the sea. Keep every sentence under three words.", backend,
                      RunConfig(strategy="irg_external", max_iters=2, max_new_tokens=24)))
    started = next(e for e in events if isinstance(e, RunStarted))
    assert {"kind": "composed", "program": Rule(Each(), Select("sentence"), Count("word", "at_most", 2)).to_dict()} \
        in started.constraints
    findings = [f for e in events if isinstance(e, CritiqueDone) for f in e.report["findings"]]
    plans = [e.plan for e in events if isinstance(e, PlanDone)]
    assert any(f["check"] == "composed" and "has at most 2 words" in f["message"] for f in findings), findings
    assert any("each sentence has at most 2 words" in " ".join(p["instructions"]) for p in plans), plans


def test_list_markers_and_markdown_emphasis_are_not_text():
    """"1. Apples are red." is one sentence, "**Done.**" ends with a period, "- **Zebra**" sorts under z."""
    assert Rule(Each(), Select("sentence"), Count("word", "at_least", 3)).check("1. Apples are red.\n"
                                                                                "2. Pears are sweet.") == []
    assert Rule(Each(), Select("sentence", nth=-1), Filter("ends_with", ".")).check("All good. **Done.**") == []
    assert Rule(Each(), Select("line"), Filter("first_word", "and")).check("1. And more\n2. And again") == []
    assert Across("bullet item", "alphabetical").check("- **Zebra**\n- Apple")


# ---- enforcement while decoding (compose/enforce.py) ------------------------------------------------------------
def _admits(gbnf: str, text: str) -> bool:
    """Does the grammar admit `text` as a whole (byte by byte, with llguidance, as the engines enforce it)?"""
    import llguidance

    from irg.engine.feasible import _byte_tokenizer

    m = llguidance.LLMatcher(_byte_tokenizer(), llguidance.grammar_from("gbnf", gbnf))
    return all(m.consume_token(b) for b in text.encode()) and m.is_accepting()


GRAMMARS = [  # (an instruction, a text that meets it, a text that breaks it)
    ("Keep every sentence under eight words.", "Rain falls on the town. People hurry home, wet and cold.",
     "Rain falls softly on the quiet little town this afternoon."),
    ("No word may be longer than six letters.", "The cat sat on a warm mat, at noon.", "Photosynthesis is neat."),
    ("Lines must be between 2 and 4 words.", "Blue waves break.\nGulls cry, wheel, dive", "Blue.\nGulls cry"),
    ("Each paragraph should have 2 to 3 sentences.", "One. Two.\n\nThree. Four. Five.", "One.\n\nTwo. Three."),
    ("Write a haiku about rain.", "rain on the tin roof\nthe gutters sing all night long\nmorning, puddles shine",
     "rain on the roof\nall night"),
    ("Begin every line with the word Home.", "Home is warm\nHome is near", "Home is warm\nAway we go"),
    ("Start each paragraph with a question.", "Why rain? It helps.\n\nWho knows? Not me.", "It rains. Why?"),
]


@pytest.mark.parametrize("instruction,good,bad", GRAMMARS, ids=[g[0] for g in GRAMMARS])
def test_a_program_with_a_grammar_admits_what_meets_it_and_refuses_what_breaks_it(instruction, good, bad):
    from irg.engine.compose.enforce import decoding
    from irg.engine.compose.reader import read
    from irg.engine.feasible import search

    [program] = read(instruction)
    gbnf = decoding(program).grammar
    assert program.check(good) == [] and _admits(gbnf, good)
    assert program.check(bad) and not _admits(gbnf, bad)
    found = search(gbnf)  # a text the grammar admits, found by walking it: it meets the program too
    assert found.found and (isinstance(program, __import__("irg.engine.compose", fromlist=["Form"]).Form)
                            or program.check(found.example) == []), found


def test_banned_marks_and_letters_are_masks_and_other_programs_have_no_mechanism():
    from irg.engine.compose.enforce import decoding
    from irg.engine.compose.reader import read

    assert decoding(read("Don't use semicolons.")[0]).banned_chars == [";"]
    assert decoding(read("No word may contain the letter e.")[0]).banned_chars == ["e", "E"]
    assert decoding(read("Make it a sonnet.")[0]) is None  # 14 forced lines: the model writes debris to fill them
    assert decoding(Across("line", "distinct_first_word")) is None


def test_alphabetical_bullets_are_rendered_as_a_labelled_step_and_numbered_lists_are_left_alone():
    from irg.engine.compose.constraint import Composed
    from irg.engine.render import render

    c = Composed(Across("bullet item", "alphabetical").to_dict())
    text, steps = render("Pack these:\n- tent\n- apple\n- map\nHave fun.", [c])
    assert text == "Pack these:\n- apple\n- map\n- tent\nHave fun." and c.check(text) == []
    assert [s.label for s in steps] == ["rendered: the bullet items sorted alphabetically"]
    numbered = "1. tent\n2. apple"
    assert render(numbered, [c])[0] == numbered
    assert Composed(Rule(Each(), Select("sentence"), Count("word", "at_most", 5)).to_dict()).render_label == ""


def test_a_title_and_a_subject_line_are_one_unit_that_a_rule_needs():
    from irg.engine.compose.reader import read

    [title] = read("The title must be at most four words.")
    assert title.check("# Rain on the Roof\n\nIt rained.") == []
    assert title.check("<<A much longer title than asked>>\n\nIt rained.") == ["the title has 6 words"]
    assert title.check("It rained all day. We stayed in.") == ["there is no title"]
    [subject] = read("Keep the subject line under 20 characters.")
    assert subject.check("Subject: Lunch on Friday\n\nHi all,") == []
    assert subject.check("Hi all, lunch?") == ["there is no subject line"]


def test_the_answers_of_a_q_and_a_are_a_unit():
    """"Keep each answer under 50 words" (an FAQ template): what follows each question, up to the next one, without
    its "A:" label. Where questions are marked "Q:", only those are questions (an answer may ask one); a text with
    no question answers by its list items, else its paragraphs ("1. …" in reply to "answer these questions")."""
    from irg.engine.compose.reader import read
    from irg.engine.compose.units import split

    faq = ("**Q: What is a volcano?**\nA: An opening in the crust. Lava flows out.\n\nQ2. Why do they erupt?\n"
           "Answer: Pressure builds up. Why not?\n\nQuestion 3: How hot is lava?\nIt can reach 1200 degrees.")
    assert split("answer", faq) == ["An opening in the crust. Lava flows out.", "Pressure builds up. Why not?",
                                    "It can reach 1200 degrees."]
    assert split("answer", "How old is it?\nVery old.\n\nWhere is it?\nIn Peru.") == ["Very old.", "In Peru."]
    assert split("answer", "1. It is a rock.\n2. Short.") == ["It is a rock.", "Short."]
    assert split("answer", "Q: Capital?\nA) Paris\nB) Rome") == ["A) Paris B) Rome"]  # options are no labels
    [rule] = read("Every answer should be two sentences long.")
    assert rule.describe() == "each answer has exactly 2 sentences"
    assert rule.check(faq) == ["answer 3 has 1 sentence"]


def test_a_units_first_word_as_a_verb_of_a_form():
    """"Start every bullet with a past-tense action verb" (a résumé guide), "each step begins with an imperative verb"
    (a recipe): what the word can be, from a dictionary of inflections — not a tagger, so "Team" can be a verb."""
    from irg.engine.compose.filters import verb_tags
    from irg.engine.compose.reader import read

    assert "VBD" in verb_tags("led") and "VB" in verb_tags("whisk") and not verb_tags("the") and not verb_tags("fresh")
    [past] = read("Start every bullet with a strong past-tense action verb.")
    assert past.describe() == "the first word of each bullet item is a past-tense verb"
    assert past.check("- **Led** a team of five.\n- Managed the budget.") == []
    assert past.check("- Led a team.\n- Strong skills.") == [
        "word 1 of bullet item 2 ('Strong') is not a past-tense verb"]
    [imp] = read("Each step begins with an imperative verb - Whisk, Fold, Bake.")
    assert imp.check("1. Whisk the eggs.\n2. Fold in the flour.") == [] and imp.check("1. Baked it.") != []
    assert read("Use a different verb to start each bullet.") == []  # another rule: not read as this one
    assert read("Don't start every bullet with a verb.") == []
    for narrower in ("Start each sentence with a verb in the past tense.", "Start each bullet with a verb and a noun.",
                     "Start each bullet with a verb that rhymes with go."):
        assert read(narrower) == [], narrower  # more than "a verb" is asked: not read as "a verb"
    assert "VBD" in verb_tags("re-engineered")


def test_syllables_and_forms():
    from irg.engine.compose import Form
    from irg.engine.compose.units import syllables

    assert [syllables(w) for w in ("cat", "apple", "table", "poem", "whispering", "make", "jumped")] \
        == [1, 2, 2, 2, 3, 1, 1]
    haiku = Form((5, 7, 5))
    assert haiku.check("An old silent pond\nA frog jumps into the pond\nSplash silence again") == []
    assert haiku.check("An old pond\nA frog") == ["the response has 2 lines (the form has 3)",
                                                  "line 1 ('An old pond') has 3 syllables (it needs 5)",
                                                  "line 2 ('A frog') has 2 syllables (it needs 7)"]
    assert program_from_dict(haiku.to_dict()) == haiku


def test_rhyme_by_spelling_and_schemes():
    from irg.engine.compose import Rhyme
    from irg.engine.compose.program import rhymes

    assert all(rhymes(a, b) for a, b in [("night", "light"), ("sky", "high"), ("time", "rhyme"), ("sea", "free")])
    assert not any(rhymes(a, b) for a, b in [("cat", "dog"), ("river", "stone")])
    abab = Rhyme("ABAB")
    assert abab.check("the night\nthe day\nso bright\nthe way") == []
    assert abab.check("the night\nthe day\nthe dog") == ["the response has 3 lines (the scheme has 4)",
                                                          "line 1 ('night') does not rhyme with line 3 ('dog')"]
    assert Rhyme("AA", repeat=True).check("a cat\na hat\na dog\na log") == []
    assert program_from_dict(abab.to_dict()) == abab


def test_a_grammar_that_counts_words_writes_whole_words_and_the_mask_bans_word_pieces():
    """Under a word-counting grammar the model glued words ("beautifulday") or cut them ("Photosyn") to meet it, so
    such a grammar comes with whole words: no token that continues a word may be sampled."""
    from irg.engine.compose.enforce import decoding
    from irg.engine.compose.reader import read
    from irg.engine.decoding import DecodingConstraints, banned_token_ids

    assert decoding(read("Keep every sentence under eight words.")[0]).whole_words
    assert decoding(read("No word may be longer than six letters.")[0]).whole_words
    assert not decoding(read("Write a haiku about rain.")[0]).whole_words  # lines, not words
    vocab = [" day", "day", "Day", "'s", ".", "3", " 3", "<eos>"]
    assert banned_token_ids(vocab, {7}, DecodingConstraints(grammar="g", whole_words=True)) == [1]  # digits stay
    # a lone letter begins a word that can only be written in pieces ("h" + "ush"): only words of one letter stay
    letters = [" h", "E", " a", " I", "O", " day", " hE"]
    assert banned_token_ids(letters, set(), DecodingConstraints(grammar="g", whole_words=True)) == [0, 1]
    assert banned_token_ids(letters, set(), DecodingConstraints(grammar="g")) == []
    assert banned_token_ids(vocab, {7}, DecodingConstraints(grammar="g", whole_words=True, lowercase_only=True)) \
        == [2]  # (the capital is banned by lowercase-only; whole words are off under it)
    # whole words go where the grammar that counts words goes: kept with it, dropped when another grammar replaces
    # it or the grammar is let go
    ww = DecodingConstraints(grammar="g", whole_words=True)
    assert DecodingConstraints().merge(ww).whole_words and ww.merge(DecodingConstraints(banned_chars=[";"])).whole_words
    assert not ww.merge(DecodingConstraints(grammar="other")).whole_words
    from irg.engine.feasible import LetGo
    assert not LetGo("grammar").apply(ww).whole_words


def test_grammars_for_one_unit_and_parities_are_valid_or_absent():
    from irg.engine.compose.enforce import decoding
    from irg.engine.feasible import search

    for program in (Rule(Each(), Select("line"), Count("word", "exactly", 1)),
                    Rule(Each(), Select("paragraph"), Count("sentence", "exactly", 1)),
                    Rule(Each(), Select("response"), Count("line", "exactly", 1)), Form((5,))):
        found = search(decoding(program).grammar)
        assert found.found, (program, found.reason)
    assert decoding(Rule(Each(), Select("paragraph"), Count("sentence", "even", 0))) is None


def test_two_units_compared_check_their_lengths_and_a_missing_one_breaks_the_rule():
    from irg.engine.compose.pairs import Compare
    from irg.engine.compose.program import program_from_dict
    from irg.engine.constraints.detect import read_prompt

    first_shorter = Compare("paragraph", 1, 2, "fewer")
    assert first_shorter.check("Rain falls.\n\nIt falls all night on the town.") == []
    assert first_shorter.check("It falls all night on the town.\n\nRain falls.") == [
        "paragraph 1 has 7 words, paragraph 2 2"]
    assert first_shorter.check("Only one paragraph here.") == [
        "the response has 1 paragraph: there is no paragraph 2 to compare"]
    conclusion = Compare("paragraph", -1, 1, "fewer")
    assert "the last paragraph is paragraph 1 itself" in conclusion.check("One paragraph only here.")[0]
    assert conclusion.check("") == ["the response has 0 paragraphs: there is no paragraph 1 to compare"]
    assert conclusion.check("A long opening paragraph of words.\n\nMiddle.\n\nShort end.") == []
    assert program_from_dict(conclusion.to_dict()) == conclusion
    with pytest.raises(ValueError):
        Compare("paragraph", 2, 2, "fewer")
    from irg.engine.compose.reader import read

    assert read("Make the 0th paragraph shorter than the second.") == []  # no valid program: nothing read, no crash
    # beside a paragraph count read in another clause, the comparison is still read (the classifier's shape for it,
    # "a paragraph's first word", is covered by that count; no type reads the clause)
    got = read_prompt("Write two paragraphs about rain. Make the first paragraph shorter than the second.").constraints
    assert [c.kind for c in got] == ["paragraph_count", "composed"]



def test_a_numbered_item_is_a_line_of_a_numbered_list_and_a_step_is_one():
    from irg.engine.compose.reader import read
    from irg.engine.compose.units import split

    text = "Steps:\n1. Whisk the eggs well.\n2) Fold in the flour and stir. Then rest it.\n- a bullet, not numbered"
    assert split("numbered item", text) == ["Whisk the eggs well.", "Fold in the flour and stir. Then rest it."]
    (program,) = read("Steps: 1 sentence max.")
    assert program.check(text) and not program.check("1. Whisk the eggs.\n2. Fold in the flour.")


def test_the_number_style_rule_spells_out_one_to_nine_and_writes_ten_and_up_in_figures():
    from irg.engine.compose.reader import read

    both = read("Spell out numbers one through nine and use figures for 10 and up.")
    assert [p.describe() for p in both] == ["no number is a figure from 1 to 9", "no number word stands for 10 or more"]
    assert [p.check("I have three cats, 12 dogs and 2.5 acres.") for p in both] == [[], []]  # 2.5: no whole number
    assert both[0].check("I have 3 cats.") and both[1].check("I have twelve dogs and a hundred fish.")
    assert [p.describe() for p in read("Spell out numbers under ten.")] == ["no number is a figure from 0 to 9"]
    assert read("Spell out numbers under ten.")[0].check("We had 0 votes.")
    assert [p.describe() for p in read("Use figures for numbers above nine.")] == [
        "no number word stands for 10 or more"]
