"""Restatements of what is said beside a rule and asks nothing more (issue 37): a reason after a dash, a numbered
label, a label that names the units the rule names again, an emphasis.

    Each page (paragraph) should end with an exclamation mark — toddlers love the excitement.
        -> Each paragraph should end with an exclamation mark.
    Rubric criterion 2: each paragraph of the essay runs 50 to 80 words.  -> each paragraph of the essay runs ...
    Subtitle lines: no more than 7 words per line.                       -> no more than 7 words per line.
    Our style sheet: every bullet ends with a full stop, no exceptions.  -> every bullet ends with a full stop.
    the second paragraph must have 5 sentences, not less not more.       -> ... must have exactly 5 sentences.

Each is kept by `reader.read` only where the restated clause is read whole, under the same guards. What is set aside
never holds a unit, a mark, a number, a quote, an exception or a condition (then nothing is set aside).
"""
from __future__ import annotations

import re

from irg.engine.compose.leftover import LEFT_OVER
from irg.engine.compose.restate import HIDDEN, LEAD_HEDGE, restatement
from irg.engine.compose.vocab import MARK, UNIT

# what an aside never holds: a unit, a mark, a number, a quote, an exception, a condition, a choice, a scope, a rule
NOT_ASIDE = re.compile(r"\b(?:" + UNIT + "|" + MARK.replace("?P<mk>", "") + r")\b|\d|" + HIDDEN
                       + r"|\b(?:except\w*|unless|only|if|or|but|though|although|apart|instead|rather|allowed|okay|"
                       r"ok|fine|must|should|shall|"
                       r"need|needs|keep|make|use|write|put|start|begin|end|add|include|avoid|in the|for the|"
                       r"few|some|every|each|all|any)\b", re.I)
# a statement about someone or something, not an instruction: it opens on its subject
SAID_OF = (r"(?:it|it's|its|they|they're|we|we're|our|my|i|i'm|that's|this|these|those|he|she|you'll|readers|users|"
           r"people|kids|children|toddlers|students|journalists|courts|recruiters|clients|customers|audiences?|"
           r"hiring\s+managers|screen[- ]reader\s+users|the\s+(?:kids|readers|audience|client|boss))\b")
IDIOMS = re.compile(r"\b(?:letter by letter|word for word|line by line|one by one)\b", re.I)


NOT_A_REMARK = re.compile(r"\b(?:optional|required|requirement|rule|strict|hard|preference|prefer\w*|anymore|any more|"
                          r"apply|applies|exclud\w*|includ\w*|rhyme\w*|too|also|either|as well|unless|whenever|"
                          r"where|while|until|after|before|during|later|earlier|old|new|now|today|yet|still|below|"
                          r"above|on|at|under|over|near|inside|outside|within|beside|fold|cover|site|page|version)\b",
                          re.I)


def _aside(m: re.Match) -> str:
    tail = IDIOMS.sub(" ", m["tail"])
    # what is set aside passes the reader's own guard too (LEFT_OVER): dropped before it, it would escape it
    return m.group(0) if NOT_ASIDE.search(tail) or NOT_A_REMARK.search(tail) or LEFT_OVER.search(tail) else \
        m["keep"] + "."


# "... — toddlers love the excitement", "...; screen readers may spell them out letter by letter": a remark after a
# dash or a semicolon, said of someone
restatement("dash remark", r"^(?P<keep>.+?)\s*(?:\s[—–-]\s|—|;)\s*(?P<tail>" + SAID_OF + r"[^—–;]*?)[.!]?\s*$",
            _aside)
# "Rubric criterion 2:", "House rule 3:": a numbered label of the rule that follows (not "Optional rule 2:")
# (only a list's own name before it: "Intro rule 2:", "Removed rule 2:", "Drop rule 2:" are no rule of the answer's)
restatement("numbered label", r"^\s*(?:(?:rubric|grading|marking|assessment|house|style|brand|editorial|writing|our|"
            r"my|the|team|class|course)\s+){0,2}(?:criterion|rule|requirement)\s+\d+\s*[:.)-]\s+"
            r"(?![^:.!?]{0,40}[:—–])(?=\S)", "")  # (not "Rule 4 - Deprecated: …": a second label, its status)
LABELLED = re.compile(r"^\s*(?P<lead>[a-z][a-z' -]{1,38}?)\s*:\s+(?P<rest>\S.*)$", re.I)
LABEL_UNIT = re.compile(r"\b(line|sentence|paragraph|bullet|heading|title|headline|stanza|caption)s?\b", re.I)
# what a label's other words may be: the name of the whole text ("Subtitle lines:", "Title slide:", "Poem lines:"), so
# that the label names every unit of its kind ("Villain lines:", "Lines after the turn:" name some of them)
WHOLE_NAMES = {"subtitle", "subtitles", "caption", "slide", "slides", "poem", "song", "lyric", "lyrics", "essay",
               "resume", "résumé", "cv", "post", "email", "ad", "copy", "text", "story", "book", "card", "menu",
               "script", "list", "the", "all", "our", "my", "your", "letter", "speech", "article", "blog", "thread",
               "newsletter", "brochure", "flyer", "report", "memo", "toast", "bio", "profile", "listing", "recipe"}
# what a label never names if it is set aside: a part or a place ("Intro:", "First stanza:"), a hedge or a number
LABEL_SCOPE = re.compile(r"\d|\b(?:first|last|second|third|final|opening|closing|intro\w*|conclusion|body|end|"
                         r"start|top|bottom|middle|summary|chorus|verse|bridge|each|every|per|in|of|for|other|next|"
                         r"later|alternat\w*|non|most|some|odd|even|quoted|quotes?|header|footer|greeting|sign|off|"
                         r"dialogue|outro|refrain|abstract|example|spoken|speaker|narrat\w*|side|sub|main|short|long)"
                         r"\b", re.I)


def _label(m: re.Match) -> str:
    units = {u.lower() for u in LABEL_UNIT.findall(m["lead"])}
    other = LABEL_UNIT.sub(" ", m["lead"]).split()
    if not units or LABEL_SCOPE.search(m["lead"]) or LEAD_HEDGE.search(m["lead"]) \
            or LEFT_OVER.search(" ".join(other)) or not all(w.lower() in WHOLE_NAMES for w in other) \
            or not all(re.search(rf"\b{u}s?\b", m["rest"], re.I) for u in units):
        return m.group(0)
    return m["rest"]


# "Subtitle lines: no more than 7 words per line", "Title slide: the title should contain a colon": a label naming
# the units the rule names again
restatement("label said again", LABELLED.pattern, _label)
# "..., no exceptions", "..., without exception", "... anywhere at all": emphasis
restatement("no exceptions", r"(?<=\w)\s*[,;—–-]\s*(?:no exceptions|without exception|no excuses)\s*"
            r"[.!]?\s*$", ".")
# "5 sentences, not less not more", "exactly 5, no more no less": exactly that many
restatement("not less not more", r"(?<!~)(?<!≈)(?<!~ )(?<!up to )(?<!at most )(?<!at least )(?<!under )(?<!over )"
            r"(?<!max )(?<!than )"
            r"\b(?P<n>\d+)\s+(?P<u>[a-z]+),?\s+(?:not|no)\s+(?:less|fewer),?\s+(?:not|no|and\s+no)"
            r"\s+more\b", r"exactly \g<n> \g<u>")
