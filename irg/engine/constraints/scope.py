"""Scope: what a clause's rule applies to, read before the rule itself (issue 38). Leave granted is no rule ("I don't
mind if it's over 500 words"); a ban on one part is no ban on the answer ("no comma after the greeting"); a part added
beside the answer has its own edges ("add a P.S. that starts with …"); a quoted example is no text to use ("a
greeting like 'Good morning'"). The readers in text.py, content.py, characters.py and slots.py ask these."""
from __future__ import annotations

import re

# Leave granted, not a rule asked for: "I don't mind if it's over 500 words", "feel free to use more than three
# examples", "it's fine if a line runs past 10 words". Set aside up to a "but" or "as long as", which asks again.
_PERMITTED = re.compile(r"\b(?:i\s+(?:don't|do not|dont)\s+(?:mind|care)\s+(?:if|it|about)"
                        r"|(?:there's\s+|there\s+is\s+)?no\s+need\s+to"
                        r"|(?:you\s+|it\s+)?(?:don't|do not|dont|doesn't|does not|doesnt)\s+(?:have|need)\s+to"
                        r"|(?:it's|it is|its|that's|that is)\s+(?:fine|ok|okay|alright|all right|acceptable)\s+"
                        r"(?:if|to)"
                        r"|feel\s+free\s+to|(?:it\s+)?(?:doesn't|does not|doesnt)\s+matter\s+if"
                        r"|(?:don't|do not)\s+worry\s+(?:if|about)|no\s+problem\s+if"
                        r"|you(?:'re|\s+are)\s+allowed\s+to"
                        # "You may go beyond 500 words if you need to", "You can exceed 300 words if necessary"
                        r"|you\s+(?:may|can|could|are free to|are welcome to)(?=\s+(?:go|run|write|use|exceed|be)\b"
                        r"[^.;!?\n]{0,40}?\bif\b))\b"
                        # ... up to what asks again: "but", "as long as", "just", ", and keep it …", or the clause's end
                        r"[^.;!?\n]*?(?=\s*,?\s*\b(?:but|as long as|so long as|provided|however|though|although|just)\b"
                        r"|\s*,?\s*\band\s+(?:keep|make|stay|use|write|limit|don't|do not|dont|never|avoid|the|your|"
                        r"it|no)\b|\s*[.;!?\n]|\s*$)", re.I)


# ... or said after what it allows: "Going over 50 words is fine", "Long sentences are okay, even over 40 words"
_PERMITTED_AFTER = re.compile(r"(?:^|(?<=[.;!?\n,]))[^.;!?\n,]{1,60}?\s(?:is|are)\s+(?:totally\s+|perfectly\s+|"
                              r"also\s+)?(?:fine|ok|okay|alright|all right|acceptable)\b(?!\s+(?:if|to|as long|"
                              r"so long|provided))(?:,?\s*even\b[^.;!?\n,]*)?", re.I)


# a suggestion, no rule: "You could open with a greeting such as 'Hi team'", "feel free to end with a question"
SUGGESTED = re.compile(r"\b(?:you\s+(?:could|might|may|can)|feel\s+free|if\s+you\s+(?:want|like)|optionally|maybe|"
                       r"perhaps)\b", re.I)


# A count corrected as it is said: "3 bullet points — no wait, 5 — on …", "4 paragraphs, sorry, 3 paragraphs"
_UNIT = (r"(?:words?|sentences?|paragraphs?|bullet points?|bullets?|points?|tips?|items?|lines?|stanzas?|sections?|"
         r"examples?|ideas?|reasons?|steps?|questions?|names?|slides?|verses?)")
_N = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
_CORRECTED = re.compile(r"\b(?P<n>" + _N + r")(?P<unit>\s+(?:[a-z]+\s+)?" + _UNIT + r")?(?P<between>[^.!?\n—–]{0,40}?)"
                        r"(?:\s*(?:[—–(]|,)\s*(?:no\s+wait|wait|no|sorry|oops|i\s+mean|i\s+meant|actually|scratch that|"
                        r"make (?:it|that))|\s*(?:\.{2,}\s*|[.!]\s*|[—–,]\s*)(?:no\s+wait|sorry|oops|i\s+meant|"
                        r"actually|"
                        r"scratch that|make that))"
                        r"\s*[,:]?\s*(?:i\s+meant\s+|make (?:it|that)\s+)?(?P<m>" + _N + r")\b"
                        r"(?P<unit2>\s+(?:[a-z]+\s+)?" + _UNIT
                        + r")?(?=\s*(?:[—–),.;!?]|$|not\s+\w))(?:\s*[—–)])?(?:,?\s*not\s+(?P=n)\b)?", re.I)


def uncorrected(text: str) -> str:
    """`text` with a count corrected as it is said written once, as corrected (padded to the same length): "3 bullet
    points — no wait, 5 —", "Write 3 paragraphs about dogs — no wait, 5.", "4 paragraphs … Sorry, I meant 3."; not
    "5 bullet points — actually, 10 would be overkill", nor "make it 4 if you need more room"."""
    def fixed(m: re.Match) -> str:
        unit = m.group("unit2") or m.group("unit")
        return (m.group("m") + unit + m.group("between")).ljust(len(m.group(0))) if unit else m.group(0)
    return _CORRECTED.sub(fixed, text)


def unpermitted(text: str) -> str:
    """`text` with the leave it grants blanked (same length, so offsets hold): no rule is read from a permission."""
    text = uncorrected(text)
    plain = text.replace("’", "'")  # (a curly apostrophe is one too)
    spans = [m.span() for m in _PERMITTED.finditer(plain)]
    spans += [m.span() for m in _PERMITTED_AFTER.finditer(plain)
              if not re.search(r"\b(?:not|n't|never|no|only)\b", m.group(0), re.I)
              and not re.match(r"\W*(?:about|around|roughly|approximately|~)\s*\d[\d,]*\s+words?\s+(?:is|are)\b",
                               m.group(0),
                               re.I)]  # "Around 300 words is fine.": a length asked, not leave
    return "".join(" " if any(a <= i < b for a, b in spans) else ch for i, ch in enumerate(text)) if spans else text


# "No comma after the greeting", "no commas in the first paragraph", "don't use the word 'very' in the title", "no
# commas at the end of lines": a ban on one part or one place, not on the answer. Only parts named as such (or by an
# ordinal) and the ends of units: "in your haiku", "in the list", "on any line" are all of it.
_PART_NOUNS = (r"greeting|salutation|sign-?off|signature|titles?|headings?|headlines?|subject(?:\s+line)?|intro|"
               r"introduction|conclusion|opening|closing|chorus|verse|bridge|refrain|captions?|address|dates?|names?|"
               r"numbers?|urls?|slogan|tagline|header|footer|field|value|keys?|table|code|quotes?|quotations?|"
               r"postscript|p\.?s\.?|body|abstract|outline|bio|hashtags?|footnotes?|labels?|prices?|dialogue|dialog|"
               r"items|list items")
_PART_SCOPE = re.compile(r"\s*(?:(?:is|are|must|should|may|can)(?:\s+not|n't)?\s+(?:be\s+)?(?:used|allowed|"
                         r"permitted|banned|forbidden|prohibited|appear)\s+)?(?:at the (?:very\s+)?(?:end|start|"
                         r"beginning) of\s+|(?:after|before|following|inside|within|in|between|on)\s+(?:the\s+|your\s+|"
                         r"its\s+|my\s+|each\s+|every\s+|a\s+|an\s+)?(?:(?:first|last|second|third|fourth|fifth|final|"
                         r"\d+(?:st|nd|rd|th))\s+\w+|(?:[\w-]+\s+)?(?:" + _PART_NOUNS + r"))\b)", re.I)


def part_scoped(p: str, end: int) -> bool:
    """Is what ends at `end` (a mark, a word banned) scoped to one part ("… after the greeting", "… in the title")?"""
    if re.search(r"\banywhere\s*$", p[max(0, end - 12):end], re.I):
        return False  # "anywhere in the ad": all of it
    m = _PART_SCOPE.match(p, end)
    return bool(m) and not asked_as_answer(p, m.group(0))


# what the prompt asks to write: "Write a dialogue between …", "Write an inspirational quote", "Give me a caption"
_ASKED = re.compile(r"\b(?:write|compose|create|draft|give me|make)\s+(?:me\s+)?(?:a|an)\s+(?:[\w-]+\s+){0,2}?"
                    r"(?P<noun>dialogue|dialog|conversation|script|quote|caption|title|headline|summary|tagline|slogan|"
                    r"bio|intro(?:duction)?|greeting|table|outline|abstract)\b", re.I)


def asked_as_answer(p: str, said: str) -> bool:
    """Is the part named in `said` ("the dialogue", "in the caption") what the prompt asks to write? Then it is the
    answer, not one part of it."""
    m = _ASKED.search(p)
    return bool(m) and bool(re.search(r"\b" + m.group("noun")[:6], said, re.I))


_ITEM = r"(?:[\"'“‘][^\"'”’\n]{1,40}[\"'”’]|[\w-]+)"
_ITEMS = re.compile(r"\s*(?:the\s+)?(?:(?:key\s?)?words?\s+|terms?\s+)?" + _ITEM + r"(?:\s*(?:,|,?\s*(?:or|and))\s*"
                    + _ITEM + r")*(?:\s+anywhere)?")


def list_scoped(s: str) -> bool:
    """Is the list of words that opens `s` banned in one part only ("'volunteer' in the subject line")?"""
    m = _ITEMS.match(s)
    return bool(m) and part_scoped(s, m.end())


# A part added beside the answer, named just before an edge verb: "add a postscript / a one-line note (that) starts
# with …", "then a P.S. starting with …", "The subject line should begin with …": that part's edge, not the answer's
# ("Write a limerick that starts with …" is the answer's: only "add", "include", "then" … bring in a part)
PART_EDGE = re.compile(r"(?:\b(?:add|adding|include|including|append|attach|insert|then|followed by|plus|and|"
                       r"(?:end|finish|close|conclude)\s+with)|^\W*)\s*(?:a|an|another|one)\s+(?:[\w.-]+\s+){0,5}?"
                       r"(?:that|which)?\s*$"
                       r"|\b(?:a|an|the|your)\s+(?:[\w-]+\s+)?(?:postscript|p\.?s\.?|signature|sign-?off|footnote|"
                       r"dedication|disclaimer|tagline|slogan)\s+(?:(?:that|which)\s+)?$"
                       r"|^\W*(?:then\s+)?(?:the\s+)?(?:subject(?:\s+line)?|title|heading|headline|greeting|sign-?off|"
                       r"caption|first\s+line)\s+(?:(?:should|must|has to|needs to|will|can)\s+)?$", re.I)
# a quoted text given as an example that would do, not as the text to use: "('Hi Tom' is fine)"
EXAMPLE_AFTER = re.compile(r"\s*(?:is|would be|'s|are)\s+(?:fine|ok|okay|good|great|enough|an example)\b", re.I)
# ... or named as an example of a kind: "a greeting like 'Good morning'", "for example 'Hello friends'"
EXAMPLE_BEFORE = re.compile(r"\b(?:like|such as|for example|for instance|e\.g\.)\s*,?\s*[\"'“‘]?$", re.I)
