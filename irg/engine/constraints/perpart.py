"""Is a count about each part, or one named part, rather than the whole answer? ("each bullet under 20 words", "Subject
line under 8 words", "no sentence may exceed 25 words", "Sentences should not exceed 20 words", "Any paragraph over 5
sentences should be broken up"). From length.py, which had passed 700 lines; about.py reads with it too."""
from __future__ import annotations

import re

from irg.engine.constraints.scope import asked_as_answer
from irg.engine.constraints.text import _REL


_PARTS = (r"(?:bullet|point|item|line|sentence|paragraph|section|part|tweet|verse|stanza|day|step|tip|slide|card|"
          r"caption|entry|entries|example|idea|option|chapter|scene|reason|benefit|feature|fact)s?")
EACH_PART = re.compile(r"\b(?:under|for|in|within|beneath|below)\s+each\s+[a-z]+\b|"  # "Under each laptop, …"
                       r"\b(?:each|every|per)\s+(?:of\s+(?:your|the|my|its)\s+|\w+\s+)?(?:" + _PARTS
                       + r"|answers?|responses?)\b|\beach\s*$"
                       r"|\beach\s+(?:one|1|of them)\b"  # "Write 3 paragraphs. Each one at most 4 sentences."
                       # "If a sentence has more than 30 words, split it", "Rewrite sentences longer than 40 words"
                       r"|\b(?:if|when|whenever)\s+(?:a|an|any)\s+" + _PARTS
                       + r"\s+(?:has|have|is|are|runs?|goes|gets)\b"
                       r"|\b(?:rewrite|split|shorten|break\s+up|cut|trim)\s+(?:any\s+|all\s+|the\s+)?" + _PARTS + r"\b"
                       # "no sentence may be longer than 8 words", "any line over 10 words": a limit on every part
                       r"|(?<![Aa]t )\b(?:no|any)\s+(?:\w+\s+)?" + _PARTS
                       + r"\s+(?:may|can|should|must|shall|will|is|goes|runs|"
                       r"longer|shorter|over|under|above|exceed\w*|more|less|fewer|with\s+more)\b"
                       # "4 sections, each with exactly 2 paragraphs": the count right after "each with"
                       r"|\beach\s+(?:with|having|containing|holding)\s+(?:(?:at\s+(?:least|most)|exactly|only|just|"
                       r"up\s+to|over|under|no\s+(?:more|fewer|less)\s+than)\s+)?(?:\d+|one|two|three|four|five|six|"
                       r"seven|eight|nine|ten)\b|\beach\s+(?:with|having|containing|holding)\s+(?:(?:at\s+(?:least|most)|"
                       r"exactly|only|just|up\s+to|over|under|no\s+(?:more|fewer|less)\s+than)\s+)?$", re.I)


# A named part as the subject of a count: "Subject line under 8 words", "Keep the intro under 50 words", "The title
# should be at most 6 words" (not "Write a tagline under 8 words", where the part is the answer)
# The part needs an article ("Caption this photo in under 15 words" is the answer), or is a subject line; what follows
# it up to the count holds no comma ("Make the title bold, at least 250 words" is the answer's).
_NAMED = (r"(?:subject(?:\s+line)?|title|headline|heading|header|greeting|intro(?:duction)?|opening(?:\s+line)?|"
          r"(?:first|second|third|fourth|fifth|last|final|middle|\d+(?:st|nd|rd|th))\s+(?:line|sentence|paragraph|section|"
          r"stanza|bullet|part)|sign-?off|caption|conclusion|summary|closing(?:\s+line)?|field|value|dialogue|dialog|hook|lede|"
          r"teaser|abstract|thesis(?:\s+statement)?|topic\s+sentence|punchline|tagline|slogan|postscript)s?")
NAMED_PART = re.compile(r"(?:(?:^\W*|\b(?:keep|make sure|make|limit|cap|also|please|and|but)\W+)"
                        r"(?:the|your|its|each)\s+(?:\w+\s+)?" + _NAMED + r"|^\W*subject\s+lines?|"
                        r"\b(?:with|include|including|add|plus)\s+an?\s+(?:\w+\s+)?" + _NAMED
                        + r")(?:\s*:\s*|\b)[^.;:!?\n,]{0,25}$", re.I)




def per_part(p: str, pos: int) -> bool:
    """Is the count at `pos` about each part ("each bullet under 20 words", "per paragraph") or about one named part
    ("Subject line under 8 words")? Then it is no limit on the whole answer."""
    before = re.split(r"[.;:!?\n]", p[max(0, pos - 40):pos])[-1]
    named = NAMED_PART.search(before.strip() + " ")
    if named and asked_as_answer(p, named.group(0)):
        named = None  # "Write a dialogue … Keep the dialogue under 200 words": the dialogue is the answer
    return bool(EACH_PART.search(before) or named or EACH_AFTER.match(p, pos)
                or THIRD_PARTY.search(re.split(r"[.;:!?\n]", p[max(0, pos - 100):pos])[-1])
                or NO_PART.search(before) or QUOTING.search(before) or PARTS_SUBJECT.search(before)
                or LABEL_PART.search(p[max(0, pos - 60):pos])
                or PARTS_REFUSED.search(before) or (PART_BEFORE.search(before) and REMADE.match(p, pos))
                or PARTS_BARE.search(before))


# a rule for someone else's writing, told in the answer: "a game where students must answer every question in exactly
# 3 words", "rules for a contest: entries must be under 100 words"
THIRD_PARTY = re.compile(r"\b(?:(?:students|players|kids|children|pupils|participants|contestants|entrants|entries|"
                         r"submissions|applicants|candidates|teams|members)(?:\s+(?:in|of|on)\s+(?:the\s+)?\w+)?|"
                         r"(?:each|every|any)\s+(?:player|student|pupil|team|person|participant|contestant|entrant|"
                         r"entry|member))\s+(?:must|should|have to|has to|need to|needs to|are to|is to)\s+"
                         r"(?:[\w'-]+\s+){0,10}?$", re.I)  # (not "that users can follow", "kids will love")


# "no sentence anywhere in the post may exceed 25 words": none of the parts, so each of them
NO_PART = re.compile(r"(?<![Aa]t )\b(?:no|none of the|any)\s+(?:single\s+)?(?:sentence|paragraph|line|bullet|item|"
                     r"point|step|section|caption|title|heading|quote|quotation|tweet|slide)s?\b(?:\s*$|(?:\s+[\w']+){0,4}?"
                     r"\s+(?:may|can|could|should|must|shall|will|is|are|has|have|longer|shorter|exceeds?|goes|runs|"
                     r"contains?)\b[^.;:!?\n,]{0,30}$)", re.I)


# "Sentences should not exceed 20 words", "Titles must be under 8 words", "none should exceed 20 words": the parts
# as the subject of the limit, each of them
PARTS_SUBJECT = re.compile(r"(?:^\s*|[^\w\s]\s*|\b(?:and|but|also)\s+)(?:the\s+|your\s+|all\s+)?"
                           r"(?:sentences|paragraphs|lines|bullets|bullet points|items|points|steps|sections|titles|"
                           r"headings|headlines|captions|quotes|quotations|tweets|questions|answers|slides|stanzas|verses|chapters)\s+(?:should|must|may|can|cannot|"
                           r"can't|shouldn't|mustn't|will|need to|have to|are to|ought to)(?:\s+not|n't)?\s+(?:be\s+)?"
                           r"(?:kept\s+)?$|\bnone\s+(?:of\s+(?:them|these|those|the\s+\w+)\s+)?(?:should|must|may|can|"
                           r"shall|will)\s+$|\bkeep\s+(?:the\s+|your\s+|all\s+)?(?:sentences|paragraphs|lines|bullets|"
                           r"titles|captions|headings|quotes|quotations)\s+$", re.I)


# "Titles max 5 words", "Bullets: max 8 words", "Slide titles, max 6 words": parts named bare right before their bound
PARTS_BARE = re.compile(r"(?:^\s*|[^\w\s'’]\s*|\b(?:and|but|also|plus)\s+)(?:the\s+|your\s+|all\s+)?(?:[a-z]+\s+)?"
                        r"(?:titles|headings|subheadings|headlines|captions|bullets|bullet points|items|points|lines|"
                        r"sentences|paragraphs|stanzas|verses|steps|tips|slides|tweets|quotes|sections|"
                        r"(?:title|heading|headline|caption|bullet|line|sentence|paragraph|slide|tweet)\s*:)\s*[:,—–-]?"
                        r"\s*$", re.I)


# "Quote no more than 50 words from the speech": what is quoted, not the answer
QUOTING = re.compile(r"(?:^\W*|\b(?:and|but|please|only|never|don't|do not|dont)\s+)(?:quote|cite)\s+$", re.I)


# "3 titles, numbered, each under 6 words": each one's limit, said with no part named
EACH_REL = re.compile(r"\beach\s+(?:under|over|at most|at least|no more than|fewer than|less than|more than|up to|max|"
                      r"\d)", re.I)
# "Subject line: keep it under 8 words": a part named as the label of its rule
LABEL_PART = re.compile(r"(?:^|[.;!?\n])\s*(?:the\s+)?" + _NAMED + r"\s*:[^.;:!?\n]{0,25}$", re.I)


# "A sentence of more than 40 words must be split", "Any paragraph over 5 sentences should be broken up": parts
# described to be remade, each of them (the whole answer had been read as over the count)
_DESCRIBED = r"(?:^\W*|\b(?:a|an|any|no)\s+(?:\w+\s+)?)" + _PARTS + r"\s+"
PART_BEFORE = re.compile(_DESCRIBED + r"(?:(?:that|which)\s+(?:has|have|is|are|runs?)\s+|of\s+|with\s+)?$", re.I)
_REMADE = r"\b(?:must|should|has to|have to|needs? to|will have to)\s+be\s+(?:split|broken|cut|shortened|rewritten|" \
          r"trimmed|divided)\b"
REMADE = re.compile(r"[^.;:!?\n]{0,40}?" + _REMADE, re.I)
REMADE_PART = re.compile(_DESCRIBED + r"[^.;:!?\n]{0,50}?" + _REMADE, re.I)  # the same, said of a clause


# "Don't write sentences longer than 20 words", "never use paragraphs with more than 100 words", "do not write a
# conclusion longer than 2 sentences": parts refused over a limit, each of them (not the whole answer)
_REFUSED = (r"(?:\b(?:not|never|cannot|no)|n't)\s+(?:[a-z]+\s+){0,2}?"  # no number between: "not over 300 words nor"
          r"(?:(?:sentences|paragraphs|lines|bullets|bullet points|items|points|steps|sections|words)|"
          r"(?:a|an|the|any|your)\s+(?:\w+\s+)?(?:conclusion|intro\w*|title|summary|"
          r"heading|headline|sentence|paragraph|line|bullet|section|opening|closing|greeting|caption))\s+(?:\w+\s+)?")
PARTS_REFUSED = re.compile(_REFUSED + "$", re.I)
PARTS_REFUSED_SAID = re.compile(_REFUSED + r"(?:longer|shorter|more|fewer|less|over|under|above|below|exceed\w*)\b",
                                re.I)


# "max 10 words each", "20 words per sentence", "12 words a line", "5 bullets per slide": the part is named after the
# count — "per" only before a part's name ("per response", "per the template", "per APA", "120 words per minute"
# are none); "each" after bullets or paragraphs only at the end ("5 bullets each starting with a verb" are five bullets)
PER_PART = (r"(?:line|sentence|paragraph|bullet|bullet point|item|point|slide|section|stanza|verse|tweet|caption|"
            r"card|page|step|question|heading|entry|tip|block|tooltip|job|day|dish|headline|title|chapter|scene|"
            r"option|idea|example|speaker|character|panel|frame|person|reason|topic|product|week|side|pro|con|"
            r"category|member|role|course|stop|clue|ad variant|variant|subject)s?")
EACH_AFTER = re.compile(r"[^.;:!?\n\d]{0,25}?\d+\s+(?P<noun>words?|sentences?|lines?|characters?|chars?|syllables?|"
                        r"bullets?|bullet points?|paragraphs?)\s+"
                        r"(?:(?:max(?:imum)?|tops|at most|minimum|min|at least|or fewer|or less|or more)\s+)?"
                        r"(?:(?<!bullets )(?<!bullet )(?<!points )(?<!point )(?<!paragraphs )(?<!paragraph )each|"
                        r"each(?=\s*(?:[.;!?]|$))|apiece|(?:in each|for each|in every|a)\s+(?:\w+\s+)?"
                        + _PARTS + r"|per\s+" + PER_PART + r")\b", re.I)


def bound_start(p: str, at: int) -> int:
    """Where the bound said just before the number at `at` starts ("Keep quotes under 20 words": at "under"), the
    place per_part reads from."""
    m = re.search(r"(?:" + _REL + r")\s+$", p[max(0, at - 30):at], re.I)
    return max(0, at - 30) + m.start() if m else at
