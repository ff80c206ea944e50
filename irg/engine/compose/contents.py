"""The general reader's second half: a subject and what it starts, ends with, contains or is (issue 37).

    subject        as clause.py reads it: each / every / no / the first / the last ... + unit
    predicate      start / begin with a letter, a word, a quoted text or a form; end with a mark, a word or a quoted
                   text; contain a mark, a form, a letter, a word or a quoted text; be a question, all capitals ...

A refused start, end or content is read as "no unit ..." only where the subject is every unit (clause.py's `_quant`).

    "The last paragraph ends with 'Cheers!'"        -> the last paragraph ends with 'Cheers!'
    "Each sentence must contain exactly one '_____'" is not this reader's: a count of a text (tallies.py).
"""
from __future__ import annotations

import re

from irg.engine.compose.clause import ALWAYS_ONE, POSITIVE, REFUSED, SUBJECT, _quant, _select
from irg.engine.compose.filters import Filter, opening
from irg.engine.compose.measures import Count
from irg.engine.compose.program import Each, Quant, Rule, Select
from irg.engine.compose.units import MARKS, UNITS
from irg.engine.compose.vocab import mark, reader

QUOTED = r"['\"‘“](?P<q>[^'\"’”]{1,40})['\"’”]"
# what may follow a quoted text a unit contains or ends with: the clause's end, or a second rule on its own subject
QUOTE_ENDS = re.compile(r"\s*(?:(?:\s+(?:somewhere|verbatim|again|as\s+well|too|by\s+name|in\s+it|in\s+them|"
                        r"in\s+it\s+somewhere))?[.!?]*\s*$|;|[.!?]\s+(?=(?:the|each|every)\s[^.]*?\bmust\s+contain\b)|,?\s+(?:it's|its|it\s+is|this\s+is|that's|thats|because|since)\b|"
                        r",?\s+and\s+(?:each|every|no)\b)",
                        re.I)
# letters a word is made of, not a word ("each line must contain 'qu'", "end with 'ing.'"): read as neither
LETTER_GROUPS = {"ing", "ly", "ed", "er", "est", "un", "re", "qu", "th", "sh", "ch", "ph", "ck", "ous", "ful", "less",
                 "ness", "ment", "tion", "ion", "pre", "dis", "mis", "non", "sub", "ize", "ise", "able", "ible", "al",
                 "ic", "ity", "ive", "en", "es", "ies", "ght", "str", "ee", "oo", "ea", "ai", "ou"}
# what narrows a form after its name ("a time in HH:MM format", "a price in dollars", "a number like 12 km")
FORM_QUALIFIED = re.compile(r"\s*(?:\(|,?\s(?:in|with|of|from|written|using|as|like|formatted|such|e\.g\.|for|that|"
                            r"which|and|or|plus)\b)", re.I)
# what a unit opens or ends with, in filters.FORMATS
FORMAT = r"digit|numeral|number|emoji|hashtag|hh:mm time|time|timestamp|date|price|percentage|year"
STARTS = (r"(?:start|starts|begin|begins|open|opens|kick off|kicks off)\s+with\s+(?:(?P<case>an?\s+(?:capital|"
          r"capitali[sz]ed|upper-?case|lower-?case|small)\s+letter)|(?:the\s+letter\s+)(?:['\"‘“]?(?P<x>[a-z])\b['"
          r"\"’”]?)|"
          r"(?P<x3>[A-Z])(?=\s*(?:[.;!]|,(?!\s*(?:and\s+|or\s+|then\s+)?[A-Z]\b)|$))|"  # not "M, A, Y, A": a list
          r"(?:the\s+(?:words?|phrase)\s+)?" + QUOTED
          + r"(?:\s+or\s+(?:with\s+)?['\"‘“](?P<q2>[^'\"’”]{1,40})['\"’”])?|"
          r"the\s+word\s+(?P<sw>[A-Za-z][a-z'-]*)|an?\s+(?P<sf>" + FORMAT + r")|"
          r"an?\s+(?P<vw>vowel|consonant)(?:\s+letter)?(?!\s+(?:sound|cluster|blend|pair|group)))")
# a mark a unit may end with, one of several ("end with a full stop, a question mark or an exclamation mark")
ONE_MARK = r"(?:a|an)\s+(?:question mark|exclamation mark|exclamation point|period|full stop)"
ENDS = (r"(?:end|ends|finish|finishes|close|closes)\s+(?:with|in|on)\s+"
        r"(?:(?P<ep>(?:any\s+|a\s+)?punctuation(?:\s+mark)?|an\s+ellipsis|ellipses)|"
        r"(?P<mks>(?:either\s+)?" + ONE_MARK + r"(?:\s*,\s*" + ONE_MARK + r")*\s*,?\s+or\s+(?:with\s+)?" + ONE_MARK
        + r")|"  # "a period or an exclamation mark": either one closes it
        r"(?:(?:a|an)\s+(?P<mk>question mark|exclamation mark|exclamation point|period|full stop|"
        r"colon|comma)|(?P<mkp>question marks|exclamation marks|exclamation"
        r" points|"
        r"periods|full stops|colons))|an?\s+(?P<ef>" + FORMAT + r")|(?:the\s+(?:words?|phrase)\s+)?"
        + QUOTED.replace("?P<q>", "?P<eq>") + r"|the\s+word\s+(?P<ew>[A-Za-z][a-z'-]*))")
CONTAINS = (r"(?:contain|contains|include|includes|mention|mentions|use|uses|have|has|feature|features|need|"
            r"needs)\s+(?:(?:at least (?:1|one)|a|an)\s+(?P<fmt>price|percentage|date|hh:mm time|time|emoji|year)|"
            r"(?:at least (?:1|one)|a|an)\s+(?P<lx2>[b-hj-z])(?=\s*(?:[.!,;]|$))|"
            r"(?:at least (?:1|one)|a|an)\s+(?P<cmk>colon|semicolon|comma|question mark|exclamation mark|em dash|"
            r"hyphen|ampersand|slash)|"
            r"(?:any\s+)?(?P<pm>punctuation)(?:\s+marks?)?(?:\s+at\s+all)?|"
            r"(?:(?:at least (?:1|one)|a|an|some)\s+)?(?:(?P<num>number|numeral|figure|digit)|(?P<qt>quote|quotation|"
            r"direct quote|quoted line(?:\s+of\s+dialogue)?|line of dialogue|quoted (?:sentence|passage))|"
            r"the\s+letter\s+['\"‘“]?(?P<lx>[a-z])\b['\"’”]?|the\s+(?:word|phrase)\s+"
            + QUOTED.replace("?P<q>", "?P<cw>") + r"|(?:the\s+(?:text|string|code|name|brand\s+name|year)\s+)?"
            + QUOTED.replace("?P<q>", "?P<cq>")  # "the first sentence must contain '1848'": that text, said whole
            + r"))(?!\w)")
# "end without a period", "end with no punctuation": the end refused (read as "no unit ends with ...")
ENDS_WITHOUT = (r"(?:end|ends|finish|finishes|close|closes)\s+(?P<en>without|with\s+no|in\s+no)\s+"
                r"(?:a\s+|an\s+|any\s+)?(?:(?P<ep2>punctuation)(?:\s+marks?)?|(?P<mk2>question marks?|"
                r"exclamation marks?|exclamation points?|periods?|full stops?|commas?|colons?))"
                r"(?=\s*(?:[.!;,]|$|\s+(?:and|but)\b))")
QUOTED_MARKS = ("...", "…", "?", "!", ".")  # "end in '...'", "end with '?'": the mark itself, quoted
SAME_ENDS = r"(?P<se>(?:start|starts|begin|begins)\s+and\s+(?:end|ends)\s+(?:with|on)\s+the\s+same\s+letter)"
SHAPE = (r"(?:be|is|are)\s+(?:(?:phrased|written|worded|framed|put)\s+as\s+)?(?:(?P<qs>a question|questions)|"
         r"an?\s+(?P<st>couplet|tercet|quatrain|quintain|sestet|octave)|"
         r"(?P<caps>in all caps|in all capitals|all caps|in capital letters|in capitals|in block capitals|in caps|"
         r"in uppercase|uppercase)|(?P<low>in lowercase|lowercase|all lowercase)|(?P<tc>in title case)|"
         r"(?P<cap>capitali[sz]ed)|(?P<pal>a palindrome|palindromes|palindromic)|"
         + QUOTED.replace("?P<q>", "?P<is>") + r")")


@reader("clause_shape", SUBJECT + r"\s+(?:(?:that|which)\s+)?(?:(?P<pos>" + POSITIVE + r")\s+|(?P<neg>"
        + REFUSED + r")\s+|(?P<may>may|can)\s+"
        r")?(?:" + STARTS
        + r"|" + ENDS + r"|" + ENDS_WITHOUT + r"|" + CONTAINS + r"|" + SHAPE + r"|" + SAME_ENDS + r")")
def _clause_shape(m):
    sel = _select(m)
    if sel is None or ((m["sf"] or m["ef"] or m["fmt"] or m["num"]) and FORM_QUALIFIED.match(m.string, m.end())):
        return None  # "a time in HH:MM format", "a price in dollars", "a number like 12 km": narrower than read
    if m["neg"] and m["en"]:
        return None  # "must not end without a period": a double refusal is not read
    refused_verb = bool(m["neg"] or m["en"])  # "end without a period": no unit ends with one
    if (refused_verb or (m["det"] or "").lower() in ("no", "not a single", "not one")) \
            and re.search(r"\bneeds?\b", m.group(0), re.I):
        return None  # "The title doesn't need a colon", "No bullet needs a colon": leave, not a ban
    if m["cmk"] and re.match(r"\s+(?:after|before|between|at|in|on|inside|around|"
    r"following)\b", m.string[m.end():], re.I):
        return None  # "a colon after the label": a mark at a place
    if m["may"] and not ((m["det"] or "").lower() in ("no", "not a single", "not one")
                         or m["qn"] and m["qrel"].lower() in ("at most", "no more than", "only")
                         or (m["share"] or "").lower() in ("at most", "no more than")):
        return None  # "sentences may end with a question mark": a permission; "no sentence may ..." is not
    if m["pos"] and m["pos"].lower() in ("are", "is") and not (m["qs"] or m["caps"] or m["low"] or m["tc"] or m["pal"]
                                                                or m["is"] or m["cap"]):
        return None  # "sentences are start with": not English
    got = _quant(m, sel, refused_verb)
    if got is None:
        return None
    quant, refused = got
    if m["may"] and quant.kind == "exactly" and (m["qrel"] or "").lower() == "only":
        quant = Quant("at_most", quant.n)  # "only 2 lines may start with 'I'": at most 2
    test = _shape_test(m, sel)
    text = m["cq"] or m["eq"] and m["eq"].strip() not in QUOTED_MARKS  # a mark in quotes is no text that runs on
    if test is None or text and not QUOTE_ENDS.match(m.string, m.end()):
        return None  # "must contain 'Dune' in French", "end with 'Cheers!' and my name": more than the text
    if not refused:  # "every sentence needs an emoji": counted, as the marks' reader counts it (one reading, not two)
        return Rule(quant, sel, Count("emoji", "at_least", 1) if test == Filter("has_emoji") else test)
    if m["cmk"] and quant.kind == "each" and not m["lead"]:  # "no bullet may contain a colon": none in any
        return Rule(Each(), sel, Count(test.unit, "exactly", 0))
    if isinstance(test, Count) or m["lead"] or ((sel.nth is not None or UNITS.get(sel.unit).single)
                                                and not (m["neg"] or m["en"])):
        return None  # "the first sentence can't have 3 words", "don't let ...", "no first sentence"
    return Rule(Quant("none"), sel, test)


def _shape_test(m: re.Match, sel: Select) -> Filter | Count | None:
    if m["en"] or m["se"] or m["mks"] or m["eq"] and m["eq"].strip() in QUOTED_MARKS:
        return _ends_test(m, sel)
    if m["case"]:
        low = re.search(r"lower|small", m["case"], re.I)
        return None if sel.unit == "word" and False else Filter("starts_lowercase" if low else "capitalised")
    if m["vw"]:  # by spelling, not sound: "hour" starts with a consonant; "y counts as a vowel": another rule
        return None if re.search(r"\by\b", m.string, re.I) else \
            Filter("starts_vowel" if m["vw"].lower() == "vowel" else "starts_consonant")
    if m["x"] or (m["x3"] and m["x3"].isupper()):  # "the letter s", or a capital alone: "start with S."
        return Filter("starts_with", (m["x"] or m["x3"]).lower())
    if m["x3"]:
        return None  # "start with a.": the article, not a letter
    if m["q2"]:  # "with 'And' or 'But'": either opening
        return None if sel.unit == "word" else Filter("starts_with_any", (m["q"].strip(), m["q2"].strip()))
    if m["q"] or m["sw"]:
        word = (m["q"] or m["sw"]).strip()
        if sel.unit == "word":
            return None
        return opening(word, as_word=bool(m["sw"]) or bool(re.search(r"\bword\s+['\"‘“]", m.group(0), re.I)))
    if m["sf"] or m["ef"]:
        said = (m["sf"] or m["ef"]).lower()
        what = {"numeral": "digit", "timestamp": "time", "hh:mm time": "hhmm"}.get(said, said)
        return None if sel.unit in ("word", "response") else Filter(("starts_" if m["sf"] else "ends_") + what)
    if m["pm"]:
        return None if sel.unit == "word" else Filter("has_punctuation")
    if m["cmk"]:  # "every bullet needs a colon"
        return None if sel.unit == "word" else Count(mark(m["cmk"]), "at_least", 1)
    if m["fmt"]:
        return None if sel.unit == "word" else \
            Filter("has_" + {"hh:mm time": "hhmm"}.get(m["fmt"].lower(), m["fmt"].lower()))
    if m["mk"] or m["mkp"]:
        return None if sel.unit == "word" else Filter("ends_with", MARKS[mark(m["mk"] or m["mkp"])])
    if m["ep"]:  # "end with punctuation", "end with an ellipsis"
        return None if sel.unit == "word" else Filter("ends_ellipsis" if "llips" in m["ep"].lower() else
                                                      "ends_punctuation")
    if m["eq"] and len(m["eq"].strip()) == 1 and m["eq"].strip().isalpha() \
            and not re.search(r"\bword\s+['\"‘“]", m.group(0), re.I):  # "ending with 'y'": a letter
        return None if sel.unit == "word" else Filter("ends_with", m["eq"].strip().lower())
    if m["eq"] or m["ew"]:
        word = (m["eq"] or m["ew"]).strip()
        if m["eq"] and word.lower().strip(".,") in LETTER_GROUPS:
            return None  # "end with 'ing.'": the letters of a word's end, not a word
        if m["eq"] and re.fullmatch(r"[A-Za-z][A-Za-z'-]{1,}\.", word) \
                and word[:-1].lower() not in ("etc", "inc", "ltd", "corp", "vs", "approx", "esp", "mr", "mrs", "ms",
                                              "dr", "jr", "sr", "st", "co", "no", "vol", "fig", "dept", "ave"):
            word = word[:-1]  # "end with the word 'home.'": the mark inside the quotes is the writer's, not the line's
        elif m["eq"] and sel.unit != "word" and re.search(r"[A-Za-z].*[^A-Za-z' -]|[^A-Za-z' -].*[A-Za-z]", word):
            return Filter("ends_with", word)  # "ends with 'Cheers!'", "'But Milo was not sleepy.'": that text
        return None if sel.unit == "word" or not re.fullmatch(r"[A-Za-z][A-Za-z' -]*", word) else \
            Filter("last_word", word)
    if m["num"]:  # a digit or numeral is written in figures; a number may be a word
        return None if sel.unit == "word" else Filter("has_digit" if m["num"].lower() in ("digit", "numeral") else
                                                      "has_number")
    if m["lx2"]:  # "include at least one q"
        return Filter("contains", m["lx2"].lower())
    if m["qt"]:
        return None if sel.unit in ("word", "quoted span") else Count("quoted span", "at_least", 1)
    if m["lx"]:
        return Filter("contains", m["lx"].lower())
    if m["cw"]:
        w = m["cw"].strip()
        if re.fullmatch(r"[A-Za-z][a-z'-]*", w, re.I):
            return Filter("contains_word", w.lower())
        return Filter("contains_phrase", w.lower()) if re.fullmatch(r"[A-Za-z][a-z'-]*(?: [A-Za-z][a-z'-]*){1,5}", w,
                                                                    re.I) else None  # "the phrase 'home insurance'"
    if m["cq"]:  # a text in quotes, whole: "Pip", not "Pipe" ('z', 'ing', '7': a letter or a part of a word, unread)
        text = m["cq"].strip()
        part = re.search(r"\b(?:letters?|prefix\w*|suffix\w*|endings?|syllables?|sounds?|combinations?|clusters?|"
                         r"blends?|groups?|digraphs?|strings?|characters?|digits?)\b", m.string, re.I)
        return None if sel.unit in ("word", "response") or re.fullmatch(r"[A-Za-z0-9]", text) and text != "I" \
            or (part or text.lower() in LETTER_GROUPS) and re.fullmatch(r"[A-Za-z]{1,4}", text) else \
            Filter("contains_text", text)
    if m["st"]:  # "every stanza should be a quatrain"
        lines = {"couplet": 2, "tercet": 3, "quatrain": 4, "quintain": 5, "sestet": 6, "octave": 8}[m["st"].lower()]
        return Count("line", "exactly", lines) if sel.unit == "paragraph" else None
    if m["qs"]:
        return None if sel.unit == "word" else Filter("ends_with", "?")
    if m["caps"] or m["low"] or m["tc"] or m["cap"]:
        return _case_test(m, sel)
    if m["pal"]:
        return Filter("palindrome")
    if m["is"] and sel.nth is not None and (sel.unit == "word" or sel.within is None and sel.unit in ALWAYS_ONE):
        return Filter("is", m["is"].strip().lower() if sel.unit == "word" else m["is"].strip())  # "the last line: 'xo'"
    return None


def _ends_test(m: re.Match, sel: Select) -> Filter | None:
    """A unit's ends: the same letter at both ("begin and end with the same letter"), a mark it ends without, one of
    several marks ("end with a period or an exclamation mark"), a mark in quotes ("end in '...'")."""
    if m["se"]:
        return None if sel.unit == "response" else Filter("same_letter_ends")
    if sel.unit == "word":
        return None
    if m["en"]:  # what a unit ends without: the reading refuses it (_clause_shape)
        return Filter("ends_punctuation") if m["ep2"] else Filter("ends_with", MARKS[mark(m["mk2"])])
    if m["mks"]:
        ends = tuple(dict.fromkeys(MARKS[mark(x)] for x in re.findall(r"question mark|exclamation (?:mark|point)|"
                                                                        r"period|full stop", m["mks"], re.I)))
        return Filter("ends_with_any", ends) if len(ends) > 1 else Filter("ends_with", ends[0])
    said = m["eq"].strip()
    return Filter("ends_ellipsis") if said in ("...", "…") else Filter("ends_with", said)


def _case_test(m: re.Match, sel: Select) -> Filter | None:
    """A unit's letter case: all capitals, lowercase, title case, or capitalised ("every word must be capitalized": its
    first letter; said of a heading or a title it could be title case or all capitals, and is not read)."""
    if m["cap"]:
        return Filter("capitalised") if sel.unit in ("word", "sentence", "line", "bullet item", "numbered item") \
            and sel.within is None or sel.unit == "word" else None
    return Filter("all_capitals") if m["caps"] else Filter("lowercase") if m["low"] else Filter("title_case")
