"""The prompt reader of issue 21: slot-fillers (pure functions), clauses, the semantic detector's plumbing, and the
equivalences that keep it honest (detector off = patterns exactly; the stored classifier is the bank's)."""
import json

import pytest

from irg.engine.compose import Form
from irg.engine.compose.constraint import Composed

from irg.engine.config import RunConfig
from irg.engine.constraints import detect, extract_all
from irg.engine.constraints.detect import clauses, read_prompt
from irg.engine.constraints.readers import Unread, read_counts
from irg.engine.constraints.slots import Missing, PerPart, read_values, templates
from irg.engine.paths import ASSETS
from irg.engine.record import Recorder
from irg.engine.strategies import run

WORDS = r"words?"


# ---- counts: the relation before or after the noun -------------------------------------------------------------------
@pytest.mark.parametrize("text,want", [
    ("Write 400 or more words.", [("at_least", 400)]),
    ("100 words or less please", [("at_most", 100)]),
    ("keep the word count under 300", [("less_than", 300)]),
    ("Limit your answer to fewer than 50 words.", [("less_than", 50)]),
    ("no more than eighty words", [("at_most", 80)]),
    ("words: 200 max", [("at_most", 200)]),
    ("a minimum of 350 words", [("at_least", 350)]),
    ("between 100 and 150 words", [("at_least", 100), ("at_most", 150)]),
    ("don't go over 90 words", [("at_most", 90)]),
    ("more than 20 words", [("more_than", 20)]),
    ("exactly twelve words", [("exactly", 12)]),
])
def test_counts_are_read_whichever_side_the_relation_is_on(text, want):
    assert read_counts(text, WORDS) == want


def test_a_bare_count_without_relation_is_not_guessed():
    assert isinstance(read_counts("a 300-word essay", WORDS), Unread)
    assert read_counts("write a 3 sentence summary", r"sentences?", default="exactly") == [("exactly", 3)]
    assert read_counts("write something nice", WORDS) is None


@pytest.mark.parametrize("kind,clause,want", [
    ("capital_word_frequency", "words in all capital letters should appear fewer than 4 times",
     {"rel": "less_than", "n": 4}),
    ("capital_word_frequency", "have more than 3 words be in all caps", {"rel": "more_than", "n": 3}),
    ("highlighted_sections", "at least 3 italic phrases in markdown, i.e. *italic*", {"n": 3}),
    ("highlighted_sections", "highlight some words, like *this*", {"n": 1}),
    ("letter_frequency", "the letter z should appear 4 or more times", {"letter": "z", "rel": "at_least", "n": 4}),
    ("keyword_frequency", 'use the word "ocean" at least twice', {"word": "ocean", "rel": "at_least", "n": 2}),
    ("paragraph_count", "Part 1 ... *** Part 2 ... *** Part 3", {"n": 3, "separator": "***"}),
    ("paragraph_count", "write 3 paragraphs separated by a line of three asterisks", {"n": 3, "separator": "***"}),
    ("sections", "Divide it into 3 parts, mark each with Part N", {"n": 3, "marker": "Part"}),
    ("include_keywords", "mention the words lighthouse and fog", {"keywords": ["lighthouse", "fog"]}),
    ("include_keywords", "include the keywords: gravity, orbit.", {"keywords": ["gravity", "orbit"]}),
    ("forbidden_words", 'avoid the words "good" and "bad"', {"words": ["good", "bad"]}),
    ("end_phrase", "Begin with 'Hi there' and end with 'Thanks!'", {"phrase": "Thanks!"}),
    ("language", "Réponds uniquement en français", {"language": "french"}),
    ("postscript", "add a p.p.s at the end", {"marker": "P.P.S"}),
    ("choose_from", "choose one of the following: yes, no, maybe", {"options": ["yes", "no", "maybe"]}),
    ("placeholders", "leave blanks like [city] to fill in - at least 4 of them", {"n": 4}),
])
def test_slot_fillers_read_the_values(kind, clause, want):
    got = read_values(kind, clause, "Write something. " + clause)
    assert isinstance(got, list) and len(got) == 1
    d = got[0].to_dict()
    assert d["kind"] == kind and {k: d[k] for k in want} == want


def test_a_value_that_cannot_be_read_is_a_notice_not_a_guess():
    got = read_values("word_count", "Keep it within the usual word limit.",
                      "Write a memo. Keep it within the usual word limit.")
    assert isinstance(got, Missing)
    assert "word limit" in got.notice("Keep it within the usual word limit.") and "could not be read" in got.notice("x")


def test_limits_on_each_part_and_topic_questions_are_not_answer_constraints():
    assert isinstance(read_values("word_count", "Each bullet under 20 words.", "x"), PerPart)
    assert read_values("uppercase", "Is it rude to write an email in all caps?", "x") == []
    assert read_values("json_format", "No need to answer in JSON.", "x") == []


def test_templates_count_numbered_markers_but_not_examples():
    assert [c.to_dict() for c in templates("Plan a week. Mark each day as Day 1 ... Day 7.")] == \
        [{"kind": "sections", "n": 7, "marker": "Day"}]
    assert templates("Plan a trip. Mark each day with Day X, for example Day 1, Day 2.") == []
    got = templates("Use this layout:\nparagraph 1\n***\nparagraph 2\n***\nparagraph 3")
    assert [c.to_dict() for c in got] == [{"kind": "paragraph_count", "n": 3, "separator": "***"}]


# ---- clauses ---------------------------------------------------------------------------------------------------------
def test_clauses_keep_quotes_and_abbreviations_whole():
    got = clauses('Write a bio. End with "Is there anything else? Ask me." Use e.g. *this* twice.\n'
                  '1) at least 50 words')
    assert got == ["Write a bio.", 'End with "Is there anything else? Ask me."', "Use e.g. *this* twice.",
                   "at least 50 words"]
    assert clauses("Mention 'a' and 'b', keep it under 150 words, and end with 'Bye.'") == \
        ["Mention 'a' and 'b'", "keep it under 150 words", "end with 'Bye.'"]


# ---- the detector's plumbing (a stand-in classifier makes these exact) -----------------------------------------------
@pytest.fixture()
def fake_classifier(monkeypatch):
    """`classify` answers from a dict clause -> probabilities; clauses not listed look like the task."""
    table: dict[str, dict[str, float]] = {}
    monkeypatch.setattr(detect, "available", lambda: True)
    monkeypatch.setattr(detect, "classify", lambda texts: [table.get(t, {"none": 0.9}) for t in texts])
    return table


def test_a_detected_kind_the_patterns_missed_is_read_by_its_filler(fake_classifier):
    fake_classifier["Make it 400 or more words."] = {"word_count": 0.97}
    got = read_prompt("Write a story about a fox. Make it 400 or more words.")
    assert [c.to_dict() for c in got.constraints] == [{"kind": "word_count", "rel": "at_least", "n": 400}]


def test_a_sure_kind_without_a_value_is_a_notice_and_an_unsure_one_is_silent(fake_classifier):
    fake_classifier["Keep to the word limit."] = {"word_count": 0.95}
    got = read_prompt("Write a memo. Keep to the word limit.")
    assert got.constraints == [] and len(got.notices) == 1 and "word limit" in got.notices[0]
    fake_classifier["Keep to the word limit."] = {"word_count": 0.6}
    assert read_prompt("Write a memo. Keep to the word limit.").notices == []


def test_unchecked_lists_instructions_of_no_type_but_never_the_task(fake_classifier):
    fake_classifier["Write a poem about the sea."] = {"other": 0.7, "none": 0.3}  # the task, even when it reads as one
    # (an AABBA rhyme scheme was the example until issue 37's language read it into a program)
    fake_classifier["End every stanza on a hopeful note."] = {"other": 0.95, "none": 0.05}
    fake_classifier["No commas."] = {"no_commas": 0.99, "other": 0.7}
    got = read_prompt("Write a poem about the sea. End every stanza on a hopeful note. No commas.")
    assert got.unchecked == ["End every stanza on a hopeful note."]
    assert [c.kind for c in got.constraints] == ["no_commas"]


def test_a_broken_detector_costs_nothing_but_itself(fake_classifier, monkeypatch):
    def boom(texts):
        raise RuntimeError("bad weights")
    monkeypatch.setattr(detect, "classify", boom)
    prompt = "Write a haiku. Use no commas and at least 10 words."
    got = read_prompt(prompt)
    assert "detector failed" in got.notices[-1]
    # the patterns still read, and so does the program reader (a haiku: 3 lines of 5, 7 and 5 syllables)
    assert got.constraints == extract_all(prompt) + [Composed(Form((5, 7, 5)).to_dict())]


def test_without_the_detector_the_program_reader_still_reads_what_no_type_reads(monkeypatch):
    monkeypatch.setattr(detect, "available", lambda: False)
    got = read_prompt("Write a poem about rain. Start every line with the word Rain. Use no commas.")
    assert [c.kind for c in got.constraints] == ["no_commas", "composed"]
    assert got.constraints[1].says() == "each line starts with the word 'Rain'"


def test_the_run_record_and_first_event_carry_the_unchecked_list(fake_classifier, backend):
    fake_classifier["Use a warm tone."] = {"other": 0.9}
    rec = Recorder("u1")
    evs = list(rec.wrap(run("Write a note. Use a warm tone.", backend, RunConfig(max_new_tokens=4, max_iters=1,
                                                                                    strategy="single_pass"))))
    assert evs[0].unchecked == ["Use a warm tone."] and rec.record["unchecked"] == ["Use a warm tone."]


# ---- the real detector (the bundled embedding model; no download) ----------------------------------------------------
needs_model = pytest.mark.skipif(not detect.available(), reason="the embedding model or classifier is not installed")


def test_detector_off_reads_exactly_what_the_patterns_read():
    rows = [json.loads(line) for line in open(ASSETS / "suites" / "constraints.jsonl")][:60]
    for r in rows:
        assert read_prompt(r["prompt"], detector=False).constraints == extract_all(r["prompt"])


def test_the_stored_classifier_was_built_from_the_bank_as_it_is():
    """Edit the bank, then rebuild: python -m irg.engine.constraints.detect build"""
    clf = detect.Classifier.load()
    assert clf.bank_sha == detect.bank_sha()
    bank = detect.load_bank()
    assert len(bank) >= 1000 and sum(not r["labels"] for r in bank) >= 200
    typed = {lab for r in bank for lab in r["labels"]} - {"other"}
    from irg.engine.constraints import CONSTRAINT_TYPES
    assert {k for k, cls in CONSTRAINT_TYPES.items() if cls.detected} <= typed


@needs_model
def test_the_constraints_suite_is_read_exactly_through_the_detector():
    from irg.evaluation.phrasings import canonical, split_keywords

    rows = [json.loads(line) for line in open(ASSETS / "suites" / "constraints.jsonl")]
    wrong = []
    for r in rows:
        gold = sorted(split_keywords([canonical(c) for c in r["gold_constraints"]]), key=str)
        got = sorted(split_keywords([canonical(c.to_dict()) for c in read_prompt(r["prompt"]).constraints]), key=str)
        if got != gold:
            wrong.append(r["prompt"])
    assert len(rows) == 240 and not wrong, wrong[:3]


@needs_model
def test_the_real_detector_reads_a_number_first_count_and_lists_an_unchecked_instruction():
    got = read_prompt("Write a story about a lighthouse keeper. It should be 300 or more words. "
                      "Use a melancholic tone.")
    assert {"kind": "word_count", "rel": "at_least", "n": 300} in [c.to_dict() for c in got.constraints]
    assert got.unchecked == ["Use a melancholic tone."]


@needs_model
def test_prompts_that_ask_for_nothing_get_no_constraints_and_no_unchecked_items():
    """On the dev set's prompts that ask for nothing (the held-out sets stay out of tests: never tuned on)."""
    rows = [r for line in open(ASSETS / "phrasings" / "dev3.jsonl")
            if not (r := json.loads(line))["gold"] and not r["unchecked"]]
    assert len(rows) >= 15
    for r in rows:
        got = read_prompt(r["prompt"])
        # a form the task names ("Write a haiku about ...") is a program of issue 37's language: 3 lines of 5, 7, 5
        # syllables; this set's gold, which scores the 27 types, leaves it out
        forms = [c for c in got.constraints if c.kind == "composed" and "form" in c.program]
        assert [c for c in got.constraints if c not in forms] == [] and got.unchecked == [], r["prompt"]
