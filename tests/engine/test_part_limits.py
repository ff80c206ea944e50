"""A part's limit is no count of the whole answer (constraints/settle.part_limits_whole, constraints/perpart.py):
"no more than 7 words per line" must not become "the answer has at most 7 words" beside the line's rule."""
import pytest

from irg.engine.compose.constraint import Composed
from irg.engine.constraints.detect import read_prompt

WHOLE = ("word_count", "sentence_count", "paragraph_count", "bullet_count")


def reading(prompt: str) -> tuple[list[str], list[str]]:
    got = read_prompt(prompt).constraints
    return [f"{c.kind} {getattr(c, 'rel', '')} {getattr(c, 'n', '')}".strip() for c in got if c.kind in WHOLE], \
        [c.says() for c in got if isinstance(c, Composed)]


@pytest.mark.parametrize("prompt,program", [
    ("Write subtitles for a cooking video. Subtitle lines: no more than 7 words per line, and no line may start with "
     "a dash.", None),  # the count said before "per line" (perpart.EACH_AFTER)
    ("Write a slide deck outline. Max five bullets per slide.", None),
    ("Write a short essay. Paragraphs: four sentences maximum.", "each paragraph has at most 4 sentences"),
    ("Write a story. Keep the average sentence length below 20 words.",
     "the mean number of words per sentence is less than 20"),
    ("Write a story. Keep sentences between 8 and 20 words; anything outside that range gets cut.",
     "each sentence has between 8 and 20 words"),
    ("Write a blog post. At most two sentences may end with an exclamation mark.", None),
    ("Write product specs as bullets, each in the form 'Label: value', and no bullet longer than 60 characters.",
     None),
])
def test_a_limit_on_each_part_is_not_read_as_the_answers_count(prompt, program):
    whole, programs = reading(prompt)
    assert whole == [], (prompt, whole)
    if program:
        assert program in programs, (prompt, programs)


@pytest.mark.parametrize("prompt,want", [
    # the answer's count beside a part's limit of another number: both are kept
    ("Write exactly 3 paragraphs. Each paragraph should have exactly 2 sentences.", ["paragraph_count exactly 3"]),
    ("Write at least 150 words. No sentence should be longer than 20 words.", ["word_count at_least 150"]),
    # the same number said twice, once for the answer and once for each part: the answer's count stays
    ("Write 4 paragraphs, and no paragraph may have more than 4 sentences.", ["paragraph_count exactly 4"]),
    # no part named: the answer's own count
    ("Write a poem of no more than 7 words.", ["word_count at_most 7"]),
    ("Describe a typist who can exceed 120 words per minute, in at most 50 words.", ["word_count at_most 50"]),
])
def test_the_answers_own_count_stays(prompt, want):
    whole, _ = reading(prompt)
    assert whole == want, (prompt, whole)


@pytest.mark.parametrize("prompt,whole,program", [
    # "no greater than" had been read as "greater than": a limit turned into its opposite, by the types and the reader
    ("Answer in no greater than 100 words.", ["word_count at_most 100"], []),
    ("Keep each sentence no greater than 20 words.", [], ["each sentence has at most 20 words"]),
    ("Keep it at or below 120 words.", ["word_count at_most 120"], []),  # had been "fewer than 120"
    ("Each line has to stay at or below 37 characters.", [], ["each line has at most 37 characters"]),
    ("Every paragraph should be at or above 40 words.", [], ["each paragraph has at least 40 words"]),
])
def test_a_bound_said_with_the_bound_itself_allowed_is_read_the_right_way_round(prompt, whole, program):
    assert reading(prompt) == (whole, program)
