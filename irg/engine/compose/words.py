"""Readers of words of a kind and of a word's place: suffixes ("three -ly words at most", "begin every bullet with an
-ing word"), hyphenated, shouted and palindromic words, double and repeated letters, pangrams and vowels, a word
chain, capitals word by word, and a named word at the start or end of a unit ("'new' as the last word of the first
sentence")."""
from __future__ import annotations

import re

from irg.engine.compose.across import Across
from irg.engine.compose.clause import ORDS, subject
from irg.engine.compose.filters import Filter
from irg.engine.compose.measures import Count
from irg.engine.compose.program import Each, Quant, Rule, Select
from irg.engine.compose.vocab import SHALL, REL, inclusive, reader

MODAL = SHALL



# ---- words of a kind: "three -ly words at most", "begin every bullet with an -ing word", "at least four hyphenated
# words", "no word in all caps", "a word with a double letter in each sentence", "a pangram" ---------------------
SUFFIX = r"-(?P<x>[a-z]{1,4})\s+words"


@reader("suffix_words", r"\b(?:(?P<no>no|avoid|without)\s+(?:any\s+)?" + SUFFIX.replace("?P<x>", "?P<x0>") + r"|(?:"
        + REL.replace("?P<rel>", "?P<r1>") + r"\s+)?(?P<n>\d+)\s+" + SUFFIX + r"(?:\s*,?\s+(?P<t2>at most|max|tops|"
        r"at least|minimum))?)\b")
def _suffix_words(m):
    if m["no"]:
        return Rule(Quant("none"), Select("word"), Filter("ends_with", m["x0"].lower()))
    if m["r1"] and m["t2"]:
        return None
    rel, n = inclusive(m["r1"], int(m["n"])) if m["r1"] else \
        ("at_least" if (m["t2"] or "").lower() in ("at least", "minimum") else "at_most" if m["t2"] else None,
         int(m["n"]))
    return None if rel is None else Rule(Each(), Select("response"),
                                         Count("word", rel, n, where=Filter("ends_with", m["x"].lower())))


@reader("opening_word_suffix", r"\b(?:(?:start|begin|open)\s+(?P<det>each|every|all)\s+(?P<u>sentence|line|paragraph|"
        r"bullet point|bullet|item|stanza)s?\s+with\s+an?\s+-(?P<x>[a-z]{1,4})\s+word|(?:each|every)\s+(?P<u2>sentence|"
        r"line|paragraph|bullet point|bullet|item|stanza)\s+" + MODAL + r"(?:start|begin|open)s?\s+with\s+an?\s+"
        r"-(?P<x2>[a-z]{1,4})\s+word)\b")
def _opening_word_suffix(m):
    u = subject(m["u"] or m["u2"])
    u = "bullet item" if u == "item" else u
    return Rule(Each(), Select("word", 1, Select(u)), Filter("ends_with", (m["x"] or m["x2"]).lower()))


# "Start every bullet with a strong past-tense action verb", "Each step begins with an imperative verb", "All bullet
# points must kick off with a verb": the unit's first word can be a verb (of that form); "a different verb", "the same
# part of speech" are other rules, and not read
VERB_UNIT = (r"(?P<u>bullet points?|bullets?|list items?|items?|steps?|lines?|sentences?|paragraphs?|numbered items?|"
             r"points?)")
VERB_KIND = (r"(?:an?\s+)?(?P<adj>(?:(?:strong|action|active|dynamic|powerful|imperative|command|past[- ]tense)\s+)*)"
             r"verbs?\b")


# what may follow the verb in the clause: nothing, or examples ("- Whisk, Fold, Bake", "like 'Whisk' or 'Chop'");
# anything else narrows it ("a verb in the past tense", "a verb and a noun", "a verb that rhymes with go"): not read
VERB_TAIL = re.compile(r"(?:\s*(?:[-–—:(]|,?\s*(?:like|such as|e\.\s?g\.,?))\s*['\"‘“]?[A-Z][\w'’]*['\"’”]?"
                       r"(?:\s*(?:,|,?\s*or|,?\s*and)\s*['\"‘“]?[A-Z][\w'’]*['\"’”]?)*\s*\)?)?\s*[.!]?\s*$")


@reader("verb_start", r"\b(?:(?:each|every|all(?:\s+the)?|all\s+your)\s+" + VERB_UNIT + r"\s+" + MODAL
        + r"(?:start|begin|open|kick\s+off|lead)s?\s+with\s+|(?:start|begin|open|lead|kick\s+off)\s+(?:each|every|all"
        r"(?:\s+the)?|all\s+your)\s+" + VERB_UNIT.replace("?P<u>", "?P<u2>") + r"\s+with\s+)" + VERB_KIND)
def _verb_start(m):
    if not VERB_TAIL.match(m.string, m.end()):
        return None
    u = subject(m["u"] or m["u2"])
    u = "bullet item" if u == "item" else u
    adj = (m["adj"] or "").lower()
    past, imperative = bool(re.search(r"past", adj)), bool(re.search(r"imperative|command", adj))
    if past and imperative:
        return None
    return Rule(Each(), Select("word", 1, Select(u)), Filter("past_verb" if past else "imperative_verb" if imperative
                                                             else "verb"))


@reader("hyphenated", r"\b(?:use|include|with|have)\s+(?:" + REL + r"\s+)?(?P<n>\d+)\s+hyphenated\s+"
        r"(?:compound\s+)?words\b")
def _hyphenated(m):
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    return Rule(Each(), Select("response"), Count("word", rel, n, where=Filter("hyphenated")))


@reader("no_shouting", r"\b(?:(?:don't|do not|never)\s+(?:write|put|use)\s+(?:any|a)\s+(?:single\s+)?words?|no\s+words?"
        r")\s+in\s+(?:all\s+caps|all\s+capitals|capital\s+letters|uppercase|all\s+uppercase)\b")
def _no_shouting(m):
    return Rule(Quant("none"), Select("word"), Filter("shouted"))


@reader("double_letter", r"\b(?:each|every)\s+(?P<u>sentence|line|paragraph|bullet point|bullet|stanza)\s+"
        r"(?:(?:must|should|has to|needs to|will)\s+)?(?:contain|contains|include|includes|have|has|need|needs|use|"
        r"uses)\s+(?:at least\s+)?(?:1|a)\s+word\s+with\s+an?\s+double(?:d)?\s+letter\b")
def _double_letter(m):
    return Rule(Each(), Select(subject(m["u"])), Count("word", "at_least", 1, where=Filter("double_letter")))


@reader("pangram", r"\b(?:write|make\s+it|compose|give\s+me)\s+an?\s+pangram\b|\b(?:each|every)\s+(?P<u>sentence|"
        r"line|paragraph|bullet point|bullet)\s+(?:(?:must|should|has to|needs to|will)\s+)?(?:be\s+an?\s+pangram|"
        r"(?:contain|contains|use|uses|include|includes)\s+(?:every|each|all)\s+(?:the\s+)?(?:26\s+)?letters?(?:\s+"
        r"of\s+"
        r"the\s+alphabet)?)\b")
def _pangram(m):
    return Rule(Each(), Select(subject(m["u"]) if m["u"] else "response"), Filter("pangram"))


@reader("word_case", r"\b(?P<cap>capitali[sz]e|lowercase)\s+(?:the\s+first\s+letter\s+of\s+)?(?:(?P<each>each|every|all"
        r"(?:\s+the)?)\s+words?|the\s+first\s+word\s+of)\s+(?:in\s+)?(?:each|every)\s+(?P<u>line|sentence|bullet point|"
        r"bullet|paragraph|stanza)\b")
def _word_case(m):
    u = subject(m["u"])
    if m["cap"].lower() == "lowercase":
        return None if m["each"] else Rule(Each(), Select(u), Filter("starts_lowercase"))
    if not m["each"]:
        return Rule(Each(), Select(u), Filter("capitalised"))
    return Rule(Each(), Select("word", within=Select(u)), Filter("capitalised"))


@reader("palindromic_words", r"\b(?:use|include|with|have)\s+(?:" + REL + r"\s+)?(?P<n>\d+)\s+(?:palindromic\s+words|"
        r"palindromes|words\s+that\s+are\s+palindromes)\b(?:\s+of\s+(?:3\s+or\s+more|at\s+least\s+3)\s+letters)?")
def _palindromic_words(m):
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    return Rule(Each(), Select("response"), Count("word", rel, n, where=Filter("palindrome_word")))




@reader("word_is_nth", r"\bthe\s+word\s+['\"‘“](?P<w>[A-Za-z'-]{1,30})['\"’”]\s+" + MODAL + r"be\s+the\s+(?:very\s+)?"
        r"(?P<k>first|last|final)\s+word\s+of\s+(?:the\s+(?P<nth>first|second|third|last|final|opening|closing)\s+"
        r"(?P<u>sentence|line|paragraph|bullet point|bullet)|(?:each|every)\s+(?P<u2>sentence|line|paragraph|"
        r"bullet point|bullet)|the\s+(?P<one>title|headline|response|piece))\b")
def _word_is_nth(m):
    k = 1 if m["k"].lower() == "first" else -1
    if m["u"]:
        within = Select(subject(m["u"]), ORDS[m["nth"].lower()])
    elif m["u2"]:
        within = Select(subject(m["u2"]))
    else:
        within = None if m["one"].lower() in ("response", "piece") else Select(subject(m["one"]))
    return Rule(Each(), Select("word", k, within), Filter("is", m["w"]))


@reader("word_chain", r"\b(?:each|every)\s+word\s+" + MODAL + r"(?:begins?|starts?)\s+with\s+the\s+last\s+letter\s+"
        r"of\s+the\s+(?:word\s+before\s+it|previous\s+word|preceding\s+word|1\s+before(?:\s+it)?)\b")
def _word_chain(m):
    return Across("word", "chain")


@reader("repeated_letters", r"\bno\s+word\s+(?:(?:may|can|should|must|will)\s+)?(?:contains?|uses?|has|have)\s+the\s+"
        r"same\s+letter\s+(?:twice|2\s+times|more\s+than\s+once)\b")
def _repeated_letters(m):
    return Rule(Quant("none"), Select("word"), Filter("repeats_letter"))


@reader("all_vowels", r"\b(?:each|every)\s+(?P<u>line|sentence|paragraph|word)\s+" + MODAL + r"(?:contains?|uses?|"
        r"includes?|have|has)\s+(?:all|each|every\s+1)\s+(?:of\s+)?(?:the\s+)?(?:5\s+)?vowels(?:\s*[:,(]?\s*a,?\s+e"
        r",?\s+i,?"
        r"\s+o,?\s+(?:and\s+)?u\)?)?")
def _all_vowels(m):
    return Rule(Each(), Select(subject(m["u"])), Filter("all_vowels"))


# ---- bold openings, alliteration, words that grow, title case ----------------------------------------------------
@reader("bold_opening", r"\b(?:bold\s+the\s+first\s+(?P<w>word|sentence)\s+of\s+(?:each|every)\s+(?P<u>paragraph|line|"
        r"bullet point|bullet|stanza)|make\s+the\s+first\s+(?P<w2>word|sentence)\s+of\s+(?:each|every)\s+(?P<u2>par"
        r"agraph|"
        r"line|bullet point|bullet|stanza)\s+bold)\b")
def _bold_opening(m):
    return Rule(Each(), Select(subject(m["u"] or m["u2"])),
                Filter("bold_start" if (m["w"] or m["w2"]).lower() == "word" else "bold_first_sentence"))


@reader("alliterative", r"\b(?:all\s+(?:the\s+)?words|every\s+word|each\s+word)\s+(?:in|of)\s+(?:a|each|every)\s+"
        r"(?P<u>line|sentence)\s+" + MODAL
        + r"(?:start|begin)\s+with\s+the\s+same\s+letter\b|\bmake\s+the\s+(?P<t>title|headline)\s+alliterative\b|"
        r"\b(?:each|every)\s+(?P<u2>line|sentence)\s+" + MODAL + r"be\s+alliterative\b")
def _alliterative(m):
    return Rule(Each(), Select(subject(m["u"] or m["t"] or m["u2"])), Filter("alliterative"))


@reader("distinct_initials", r"\bno\s+(?:two|2)\s+words\s+in\s+the\s+same\s+(?P<u>sentence|line)\s+(?:(?:may|can|sh"
        r"ould|"
        r"must)\s+)?(?:start|begin)\s+with\s+the\s+same\s+letter\b")
def _distinct_initials(m):
    return Rule(Each(), Select(subject(m["u"])), Filter("distinct_initials"))


LONGER = r"(?P<d>longer|shorter)\s+than\s+the\s+(?:1|one|word)\s+before\s+it"


@reader("growing_words", r"\b(?:in|within)\s+(?:each|every)\s+(?P<u>sentence|line),?\s+(?:each|every)\s+word\s+" + MODAL
        + r"be\s+" + LONGER + r"|\b(?:each|every)\s+word\s+" + MODAL + r"be\s+" + LONGER.replace("?P<d>", "?P<d2>")
        + r"\s+(?:within|in)\s+(?:each|every)\s+(?P<u2>sentence|line)\b")
def _growing_words(m):
    longer = (m["d"] or m["d2"]).lower() == "longer"
    return Rule(Each(), Select(subject(m["u"] or m["u2"])), Filter("growing_words" if longer else "shrinking_words"))


@reader("title_case", r"\b(?:(?:put|write|set)\s+(?:the\s+|all\s+(?:the\s+)?)?(?P<u>headline|title|headings|subhead"
        r"ings)"
        r"\s+in\s+title\s+case|title\s+case\s+for\s+(?:the\s+|all\s+(?:the\s+)?)?(?P<u2>headline|title|headings|"
        r"subheadings)|(?:the\s+)?(?P<u3>headline|title|headings|subheadings)\s+" + MODAL + r"be\s+in\s+title\s+cas"
        r"e)\b")
def _title_case(m):
    return Rule(Each(), Select(subject(m["u"] or m["u2"] or m["u3"])), Filter("title_case"))


@reader("inner_rhyme", r"\bthe\s+first\s+word\s+of\s+(?:each|every)\s+(?P<u>line|sentence)\s+" + MODAL + r"rhymes?\s+"
        r"with\s+the\s+last\s+(?:word|1)(?:\s+of\s+(?:that|the|its)\s+(?:line|sentence))?\b")
def _inner_rhyme(m):
    return Rule(Each(), Select(subject(m["u"])), Filter("inner_rhyme"))


@reader("letter_times", r"\b(?:each|every)\s+(?P<u>sentence|line|paragraph|word)\s+(?:(?:may|must|should|can)\s+)?"
        r"(?:use|contain|have|include)\s+the\s+letter\s+['\"‘“]?(?P<x>[a-z])\b['\"’”]?\s+(?:" + REL
        + r"\s+)?(?P<n>\d+)\s+times\b")
def _letter_times(m):
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    return Rule(Each(), Select(subject(m["u"])), Count("letter", rel, n, where=Filter("letter", m["x"].lower())))
