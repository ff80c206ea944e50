"""Format: JSON, quotation marks around the answer, <<title>>, P.S., two responses around ******."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import ClassVar

from irg.engine.constraints.base import Constraint, register
from irg.engine.constraints.text import _find, about_not_asked, negated_before
from irg.engine.decoding import DecodingConstraints


# ---- format ---------------------------------------------------------------------------
def strip_fences(text: str) -> str:
    """The JSON inside a fenced block, or the text. A text that is JSON as it stands is never cut: its strings may
    hold fences of their own ({"answer": "```python ..."} had been cut at its first ``` and judged not JSON)."""
    try:
        json.loads(text)
        return text.strip()
    except ValueError:
        pass
    m = re.search(r"```(?:json|JSON)?\s*\n?(.*?)```", text, re.S)
    return (m.group(1) if m else text).strip()


# A flat JSON object: string keys; strings, numbers, booleans or lists of strings as values. Nesting is left out on
# purpose: a 135M model nests objects until the token limit cuts the JSON off (measured while building this).
JSON_RULES = r'''
object ::= "{" ws pair ("," ws pair){0,9} ws "}"
pair   ::= string ":" " "? value
value  ::= string | number | "true" | "false" | "null" | "[" ws ( string ("," ws string){0,7} )? ws "]"
string ::= "\"" ( [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt]) ){0,160} "\""
number ::= "-"? [0-9]{1,12} ("." [0-9]{1,6})?
ws     ::= | " " | "\n" [ ]{0,8}
'''


@register
@dataclass
class JsonFormat(Constraint):
    kind: ClassVar[str] = "json_format"

    @classmethod
    def extract(cls, p):
        pats = (r"\b(?:in|as|using|wrap\w*[^.\n]{0,40}?in)\s+(?:valid\s+)?json\b|\bjson format\b|\bvalid json\b"
                r"|\bjson\s+(?:object|array|output|response|string|only)\b"
                r"|\b(?:return|output|give|respond|reply|answer|format|produce|provide|write)\w*\b[^.\n]{0,30}\bjson\b")
        for m in _find(pats, p):
            if not negated_before(p, m.start()) and not about_not_asked(p, m.start()):
                return [cls()]
        return []

    def check(self, text):
        try:
            json.loads(strip_fences(text))
        except ValueError as e:
            return [self.finding(f"The answer is not valid JSON ({e.__class__.__name__}: {str(e).split(':')[0]}).",
                                 f"char {getattr(e, 'pos', 0)}")]
        return []

    def instruction(self):
        return "Answer with one valid JSON object only, with no text before or after it."

    def decoding(self):
        return DecodingConstraints(forced_prefix="{")

    render_label, render_order = "rendered: wrapped as JSON", 3
    body_priority, closed = 60, True

    def render(self, text):
        try:
            json.loads(strip_fences(text))
            return text
        except ValueError:
            return json.dumps({"answer": text.strip()}, ensure_ascii=False)

    def grammar_body(self):
        return "object", 1, JSON_RULES


# "put the title in quotes", "wrap each keyword in quotation marks": a part in quotation marks, not the whole answer
PART_QUOTED = re.compile(r"\b(?:put|wrap|enclos\w*|surround|place|set)\s+(?:the|your|each|every|a|an|any)\s+(?:\w+\s+)?"
                         r"(?:title|name|heading|headline|word|phrase|term|quote|quotation|dialogue|lines?|keywords?|"
                         r"answer key)s?\s+(?:in|inside|within|between|with)\b", re.I)


@register
@dataclass
class Quotation(Constraint):
    kind: ClassVar[str] = "quotation"

    @classmethod
    def extract(cls, p):
        m = (re.search(r"\b(?:wrap|enclos|put|surround|place)\w*\b[^.\n]{0,50}?\b(?:in|with|inside|within|between)\s+"
                       r"(?:a\s+pair\s+of\s+)?double\s+quot", p, re.I)
             or re.search(r"\bdouble\s+quot\w*(?:\s+marks?)?\s+(?:around|surrounding|enclosing)\b", p, re.I))
        if m and PART_QUOTED.match(p, m.start()):
            return []  # "put the title in quotes": a part in quotation marks, not the whole answer
        return [cls()] if m and not negated_before(p, m.start()) else []

    def check(self, text):
        t = text.strip()
        if not (len(t) >= 2 and t[0] in "\"“" and t[-1] in "\"”"):
            return [self.finding("The whole answer is not wrapped in double quotation marks.", "start/end")]
        return []

    def instruction(self):
        return 'Wrap the entire answer in double quotation marks: start with " and end with ".'

    def required_texts(self):  # an opening double quotation mark, straight or curly
        return [(['"', "“"], True)]

    def decoding(self):
        return DecodingConstraints(forced_prefix='"')

    render_label, render_order = "rendered: wrapped in quotes", 4

    def render(self, text):
        t = text.strip()
        if len(t) >= 2 and t[0] in "\"“" and t[-1] in "\"”":
            return t
        # an answer that opens with a bullet, a header or a title keeps that first line as it is: the marks go on
        # lines of their own ('"* a' is no longer a bullet)
        own = re.match(r"[*\-•#<]|\d+[.)]\s|SECTION\b|PARAGRAPH\b", t)
        return f'"\n{t}\n"' if own else f'"{t}"'


@register
@dataclass
class Title(Constraint):
    kind: ClassVar[str] = "title"
    around_body = True

    @classmethod
    def extract(cls, p):
        return [cls()] if re.search(r"double angular brackets|<<[^<>]+>>", p, re.I) else []

    def check(self, text):
        if not re.search(r"<<[^<>\n]+>>", text):
            return [self.finding("No title wrapped in double angular brackets like <<title>>.", "start")]
        return []

    def instruction(self):
        return "Start with a title wrapped in double angular brackets, like <<my title>>."

    def required_texts(self):  # the brackets around it
        return [(["<<"], True)]

    def decoding(self):
        return DecodingConstraints(forced_prefix="<<")


@register
@dataclass
class Postscript(Constraint):
    kind: ClassVar[str] = "postscript"
    around_body = True
    marker: str = "P.S."

    @classmethod
    def extract(cls, p):
        m = re.search(r"\b(?:postscript|p\.\s?p\.\s?s|p\.\s?s)\b|\bP\.?S\b", p, re.I)
        if not m or negated_before(p, m.start()) or about_not_asked(p, m.start()):
            return []
        if re.match(r"[\"'”’]?\s*(?:field|key|property|attribute|entry|column)\b", p[m.end():], re.I):
            return []  # 'a "ps" field' in JSON: a key named so, not a postscript
        if re.search(r"\bp\.\s?p\.\s?s\b", p, re.I):
            return [cls("P.P.S")]
        return [cls("P.S." if re.search(r"\bp\.\s?s\b|postscript", p, re.I) else "PS")]

    def _core(self) -> str:
        """The marker as a pattern that allows "P.P.S", "PPS", "P. P. S"."""
        return re.escape(self.marker.rstrip(".")).replace(r"\.", r"\.?\s?")

    def check(self, text):
        if not re.search(rf"(?im)^\s*{self._core()}\.?", text):
            return [self.finding(f"No postscript: a final line starting with {self.marker}.", "end")]
        return []

    def instruction(self):
        return f"End with a postscript on its own line starting with {self.marker}"

    # The model often writes its postscript at the end of its last paragraph ("… thrift store. P.P.S you can …"): the
    # words are its own, only the line is missing. (The scaffold does not lay a marker the model wrote itself.)
    render_label, render_order = "rendered: the postscript on its own line", 1

    def render(self, text):
        inline = list(re.finditer(rf"(?i)(?<=[.!?\"”)])[ \t]+({self._core()}\.?)(?=[\s:,–—]|$)", text))
        if not inline:
            return text
        i = inline[-1].start(1)
        return text[:i].rstrip(" \t") + "\n\n" + text[i:]

    def required_texts(self):
        return [([self.marker], False)]


@register
@dataclass
class TwoResponses(Constraint):
    kind: ClassVar[str] = "two_responses"
    covered_by = ("paragraph_count",)

    @classmethod
    def extract(cls, p):
        six = re.search(r"(?<!\*)\*{6}(?!\*)|\b6\s+asterisks?", p, re.I)
        two = re.search(r"\b(?:2|two|both)\b|\bseparat", p, re.I)
        return [cls()] if six and two and not negated_before(p, six.start()) else []

    def check(self, text):
        parts = [x.strip() for x in text.split("******")]
        if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
            return [self.finding(f"{len([x for x in parts if x])} non-empty responses separated by ******; "
                                 "needs 2 different ones.")]
        return []

    def instruction(self):
        return "Give two different responses, separated by a line with only ******."

    body_priority, stars_in_text = 50, False

    def grammar_body(self):
        return 'para "\\n******\\n" para', 2, ""
