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
