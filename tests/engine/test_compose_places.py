"""Units named with the whole text they are in, reasons and examples after a rule, a learner's frames, phrases and
vowels (issue 37, fourteenth session): read as their plain program; a part of the text, a role some units play, or
anything more after the rule stays unread."""
from __future__ import annotations

import pytest

from irg.engine.compose.reader import read


def said(clause: str) -> str:
    return " and ".join(p.describe() for p in read(clause))


@pytest.mark.parametrize("clause,reading", [
    # the units of the text, named with the text ("of the sign", "on the résumé", "in your poem")
    ("Each line of the poster should be under 30 characters.", "each line has at most 29 characters"),
    ("Every bullet on the résumé must contain at least one number.", "each bullet item contains at least one number"),
    ("Every sentence in your answer should end with a period.", "each sentence ends with a period"),
    ("Each line of the rhyme should have at most 6 words.", "each line has at most 6 words"),
    ("Every sentence in the second paragraph has at most 8 words.",  # a part of the text keeps its place
     "each sentence in the 2nd paragraph has at most 8 words"),
    # a reason after the rule, said of two words, or of where it is read
    ("Each line should have at most 4 words so young readers can follow.", "each line has at most 4 words"),
    ("Put every heading in capital letters so they stand out in the printout.", "each heading is in capital letters"),
    # kinds named as examples of what is asked
    ("Each bullet should contain at least one number, like a price or a date.",
     "each bullet item contains at least one number"),
    # a learner's and a chatter's frames
    ("make every line like really short, 6 words max ok", "each line has at most 6 words"),
    ("write simple sentences, each one not more than 9 word", "each sentence has at most 9 words"),
    ("Pupils should write lines that each end with a question mark.", "each line ends with a question mark"),
    ("Write sentences that all contain exactly two commas.", "each sentence contains exactly 2 commas"),
    ("Each line has at most 5 words, i'm printing it on a mug", "each line has at most 5 words"),
    ("figures in words pls, not digits", "the response contains no digits"),
    ("every bullet must have an emoji", "each bullet item contains at least 1 emoji"),  # one reading, not two
    ("every para shud have like at least 3 commas", "each paragraph contains at least 3 commas"),
    ("each line like 2-4 words thx", "each line has between 2 and 4 words"),
    ("can u make every line like under 8 words thx", "each line has at most 7 words"),
    ("make each para like 3-4 sentences", "each paragraph has between 3 and 4 sentences"),
    ("write like each line has a digit in it idk why", "each line contains a digit"),
    ("each line gotta have a hashtag somewhere ok", "each line contains at least 1 hashtag"),
    # units before a colon, then a mark none of them has (anywhere, or at an edge), beside a limit
    ("Subheadings: no colons.", "each heading contains no colons"),
    ("Bullets: 8 words max, no full stop at the end.",
     "each bullet item has at most 8 words and no bullet item ends with a period"),
    ("Each line: no ending punctuation.", "no line ends with a punctuation mark"),
    # one unit, by its place, said whole
    ("The last line should only say 'Love, Gran'.", "the last line is 'Love, Gran'"),
    ("The last paragraph must be 'The End.'", "the last paragraph is 'The End.'"),
    # a phrase of several words, and letters by kind
    ("Each paragraph must contain the phrase 'due date'.", "each paragraph contains the phrase 'due date'"),
    ("Every word should start with a vowel.", "each word starts with a vowel"),
    ("Each line begins with a consonant.", "each line starts with a consonant"),
])
def test_read(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "Each line of the chorus should be under 30 characters.",
    "In the FAQ keep every sentence under 20 words.",
    "Each caption sentence should be under 10 words.",  # a role some units play (the review's refusal stands)
    "Each line should start with a vowel sound.",  # a sound is not a spelling
    "Each line should have at most 4 words so kids can follow, except the title.",  # an exception after the reason
    "Each line should end with a mark, like a period or a comma.",  # marks as examples narrow the rule: not read
    "Keep every sentence under 12 words so little ones can follow in the intro.",  # a part after the reason
    "Each line has at most 5 words, i'm not sure about the title",  # a refusal in the reason
    "numbers as words, except years",
    "Each line should be 'xoxo'.",  # every line the same text: not a unit by its place
])
def test_not_read(clause):
    assert said(clause) == ""


@pytest.mark.parametrize("clause,text,broken", [
    ("Each heading should contain the phrase 'home loans'.", "# Cheap Home Loans\nText.\n# Home loan tips\nMore.",
     "heading 2 ('Home loan tips') does not contain the phrase 'home loans'"),
    ("Every word should start with a vowel.", "An owl ate eight apples. The end.",
     "word 6 ('The') does not start with a vowel"),
    ("The last paragraph must be 'The End.'", "Once.\n\nThe end of it.",
     "the last paragraph ('The end of it.') is not 'The End.'"),
    ("Every word should start with a vowel.", "Élan is ours. Then",  # an accented vowel is a vowel
     "word 4 ('Then') does not start with a vowel"),
    ("Each line begins with a consonant.", "Big dog\n\"Apple\" pie", "line 2 ('\"Apple\" pie') does not start with a "
                                                                     "consonant"),
])
def test_checked(clause, text, broken):
    (program,) = read(clause)
    assert program.check(text) == [broken]
