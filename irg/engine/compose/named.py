"""Readers of shapes named by a word or a fixed phrase: marks and quotes counted in the response, forms ("a haiku",
"a sonnet", "in quatrains"), rhyme schemes, openers and endings across units, letter bans, contractions, numbers in
words or in order, labelled limits ("Headline: five words or fewer"), units that grow or shrink, filtered counts
("at least 4 words beginning with p")."""
from __future__ import annotations

import re

from irg.engine.compose.clause import ALWAYS_ONE, LIMIT, ORD, START, SUBJECT_UNIT, _limit, _select, counted, subject
from irg.engine.compose.filters import Filter
from irg.engine.compose.measures import Count
from irg.engine.compose.program import Across, Each, Form, Quant, Rhyme, Rule, Select
from irg.engine.compose.units import MARKS
from irg.engine.compose.vocab import (MARK, NARROWS, NTH, PART_SUBJECT, QUALIFIED, REFUSE_USE, REL, TOPIC_WORDS,
                                     inclusive, mark, reader, topic_before, unit, vacuous)

# ---- marks and quotes in the response: "use exactly one colon", "include at least two em dashes" --------------
@reader("use_n_marks", r"\b(?:use|include|add|put in|have|with|contain|work in|squeeze in|fit in)\s+(?:" + REL
        + r"\s+)?(?P<n>\d+)\s+"
        r"(?:direct\s+)?(?:" + MARK + r"|(?P<qt>quotes|quotations|quote|quotation)\b)")
def _use_n_marks(m):
    after = m.string[m.end():]
    if re.match(r"\s+(?:in|per|for)\s+(?:each|every|a)\b", after) or QUALIFIED.match(m.string, m.end()):
        return None  # "2 commas in each sentence": per unit
    if re.search(r"\b(?:each|every|per)\b", m.string[: m.start()], re.I):
        return None
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    what = "quoted span" if m["qt"] else mark(m["mk"])
    if what in ("digit", "hashtag"):
        return None
    return Rule(Each(), Select("response"), Count(what, rel, n))


# ---- forms named by one word -----------------------------------------------------------------------------------
FORMS = {"haiku": (5, 7, 5), "senryu": (5, 7, 5), "tanka": (5, 7, 5, 7, 7), "cinquain": (2, 4, 6, 8, 2),
         "nonet": (9, 8, 7, 6, 5, 4, 3, 2, 1), "etheree": tuple(range(1, 11)),
         "fibonacci poem": (1, 1, 2, 3, 5, 8), "fib": (1, 1, 2, 3, 5, 8)}  # syllables per line
WORD_FORMS = {"diamante": (1, 2, 3, 4, 3, 2, 1)}  # forms whose lines are counted in words
LINES = {"sonnet": 14}
STANZAS = {"quatrains": 4, "tercets": 3}


RHYMED = {"limerick": "AABBA", "clerihew": "AABB", "shakespearean sonnet": "ABABCDCDEFEFGG",
          "elizabethan sonnet": "ABABCDCDEFEFGG"}  # forms that are a number of lines and a rhyme scheme


@reader("form", r"\b(?:a|an|1|as a|as an|it a|it an)\s+(?:(?:little|short|single|simple|traditional|funny|silly|"
        r"proper|classic|standard|real|true)\s+)?"
        r"(?P<f>haiku|senryu|tanka|cinquain|nonet|etheree|(?:shakespearean\s+|elizabethan\s+)?sonnet|limerick|"
        r"clerihew|diamante|fibonacci\s+poem|fib)(?:\s+poem)?\b(?!\s+(?:stanzas?|sequence|cycle|chain|series))"
        r"(?:\s+(?:about|on)\s+" + TOPIC_WORDS + r")?")
def _form(m):
    if topic_before(m.string, m.start("f")):
        return None  # "a story about a poet who writes a haiku", "explain what a sonnet is"
    f = re.sub(r"\s+", " ", m["f"].lower())
    before = m.string[max(0, m.start() - 40):m.start()]
    if re.search(r"\b(?:not|n't|never|instead of|rather than|like|about|than)\s+(?:\w+\s+){0,2}$", before, re.I):
        return None  # "not a haiku", "a poem like a haiku", "write about a sonnet"
    if f in RHYMED:
        return Rhyme(RHYMED[f])
    if f in LINES:
        return Rule(Each(), Select("response"), Count("line", "exactly", LINES[f]))
    if f in WORD_FORMS:
        return Form(WORD_FORMS[f], "line", "word")
    return Form(FORMS[f])


@reader("stanza_form", r"\b(?:in|use|using|write\s+in)\s+(?P<f>quatrains|tercets)\b"
        r"(?!\s*(?:,(?!\s*please\b)|and|or|with|plus|then|ending|except|but))")
def _stanza_form(m):
    return Rule(Each(), Select("paragraph"), Count("line", "exactly", STANZAS[m["f"].lower()]))


# ---- across units: "no two lines end with the same word", "each sentence starts with a different letter" --------
@reader("distinct_across", r"\b(?:no\s+(?:two|2)\s+(?P<c>neighbou?ring\s+|adjacent\s+|consecutive\s+|successive\s+|"
        r"back-to-back\s+)?(?P<u>sentences|lines|paragraphs|bullet points|bullets|items|stanzas|words)\s+(?P<r>in a"
        r" row\s+)?"
        r"(?:(?:may|can|should|must|will)\s+)?(?P<v>start|begin|end)\s+with\s+the\s+same\s+(?P<w>word|letter)|"
        r"(?:each|every)\s+(?P<u2>sentence|line|paragraph|bullet point|bullet|item|stanza)\s+"
        + r"(?:(?:must|should|has "
        r"to|needs to|will)\s+)?(?P<v2>starts?|begins?|opens?|ends?)\s+with\s+a\s+different\s+(?P<w2>word|letter)"
        r"(?:\s+of\s+the\s+alphabet)?(?:\s+(?:from|than)\s+(?:every|any|each|all\s+the)\s+other\s+(?:1|ones?|"
        r"sentences?|lines?|paragraphs?|bullets?|items?|stanzas?))?)\b")
def _distinct_across(m):
    u = subject(m["u"] or m["u2"])
    verb, what = (m["v"] or m["v2"]).lower(), (m["w"] or m["w2"]).lower()
    row = "consecutive_" if (m["c"] or m["r"]) else ""
    if u == "word" and (what == "word" or verb.startswith("end")):
        return None  # "no two words start with the same word": not a rule about words
    if verb.startswith("end"):
        return Across(u, row + "distinct_last_word") if what == "word" else None
    return Across(u, row + ("distinct_first_letter" if what == "letter" else "distinct_first_word"))


# "put every sentence on its own line": each line holds one sentence
@reader("own_line", r"\b(?:put|write|place|start)\s+(?:each|every)\s+sentence\s+on\s+"
        r"(?:(?:its\s+own|a\s+separate|a\s+new)\s+line|a\s+line\s+of\s+its\s+own)\b")
def _own_line(m):
    return Rule(Each(), Select("line"), Count("sentence", "exactly", 1))


# "Headline: five words or fewer", "Subject line - under 50 characters", "Sentences: 3 to 7 words"
@reader("label_limit", START + r"(?:(?P<kind>[A-Z][a-z]+)\s+)?(?P<u>title|headline|subject line|sentences|paragraphs|"
        r"lines|bullets|bullet points|stanzas|steps|tweets|pages|headings|section headings|slide titles)\s*[:–-]\s*"
        + LIMIT)
def _label_limit(m):
    if m["kind"] and (NARROWS.search(m["kind"]) or m["u"].lower() not in ("title", "headline", "subject line")):
        return None  # "Billboard headline: 7 words" names the title's kind; "First lines: …" narrows
    test = _limit(m, False)
    if test is None or (m["bare"] and not (m["t"] or m["t2"])) or m["single"] or m["oe"] \
            or vacuous(subject(m["u"]), test.unit):
        return None
    return Rule(Each(), Select(subject(m["u"])), test)


# "each paragraph should be longer than the last", "each line shorter than the one above it"
@reader("growing", r"\b(?:each|every)\s+(?P<u>sentence|line|paragraph|bullet point|bullet|item|stanza|verse)\s+"
        r"(?:(?:must|should|has to|needs to|will)\s+)?(?:be\s+)?(?P<d>longer|shorter)\s+than\s+(?:the\s+)?"
        r"(?:last|previous|preceding|(?:one|1)\s+(?:before|above)(?:\s+it)?|(?:sentence|line|paragraph|bullet|item|"
        r"stanza|verse)\s+(?:before|above)\s+it)(?:\s+(?:one|1|it))?\b")
def _growing(m):
    u, longer = subject(m["u"]), m["d"].lower() == "longer"
    if m["u"].lower() in ("stanza", "verse"):  # a stanza's length is its lines
        return Across(u, "more_count" if longer else "fewer_count", of="line")
    return Across(u, "more_words" if longer else "fewer_words")


# ---- letters, contractions, digits: "don't use the letter e", "no contractions", "write numbers out in words" ----
@reader("letter_ban", r"\b(?:" + REFUSE_USE + r"|avoid|without(?:\s+using)?|with\s+no|no)\s+(?:the\s+)?(?:any\s+)?"
        r"(?:letter\s+['\"‘“]?(?P<x>[a-z])\b['\"’”]?|letters\s+(?P<xs>['\"‘“]?[a-z]\b['\"’”]?(?:\s*(?:,|,?\s*or|,?"
        r"\s*and|,?\s*nor)\s*"
        r"['\"‘“]?[a-z]\b['\"’”]?)+))(?:(?:\s+anywhere)?\s+in\s+the\s+(?P<nth>first|second|third|last|"
        r"final|opening|closing)\s+(?P<u2>line|sentence|paragraph|stanza)|\s+(?:at all|anywhere|even once|whatsoever)|"
        r"\s+in\s+(?:any|a single)\s+(?P<u>line|sentence|paragraph|stanza|bullet))?"
        # "uppercase or lowercase": the ban counts either case, as it always does
        r"(?:,?\s+(?:in\s+)?(?:either\s+)?(?:upper\s?case or lower\s?case|lower\s?case or upper\s?case|"
        r"capital or (?:small|lowercase)|(?:any|either) case)\b)?")
def _letter_ban(m):
    if PART_SUBJECT.search(m.string[max(0, m.start() - 40):m.start()]):
        return None  # "the dragon's name must not contain the letter z": the name's rule
    letters = [m["x"].lower()] if m["x"] else re.findall(r"\b[a-z]\b", m["xs"].lower())
    if m["u2"]:  # "anywhere in the first paragraph": the words of that unit
        within = Select(subject(m["u2"]), {"final": -1, "opening": 1, "closing": -1}.get(m["nth"].lower())
                        or NTH[m["nth"].lower()])
        sel = Select("word", within=within)
    else:
        sel = Select(subject(m["u"]) if m["u"] else "word")
    return tuple(Rule(Quant("none"), sel, Filter("contains", x)) for x in dict.fromkeys(letters))


@reader("no_contractions", r"\b(?:no|avoid|without|(?:don't|do not|never)\s+use)\s+(?:any\s+)?contractions\b")
def _no_contractions(m):
    return Rule(Quant("none"), Select("word"), Filter("contraction"))


@reader("numbers_in_words", r"\b(?:(?:write|spell)\s+(?:out\s+)?(?:all|any|every|the)?\s*numbers?\s+"
        r"(?:out\s+)?(?:in|as)\s+"
        r"words|spell\s+out\s+(?:all|any|every)\s+numbers?|use\s+(?:only\s+)?number\s+words)\b")
def _numbers_in_words(m):
    return Rule(Each(), Select("response"), Count("digit", "exactly", 0))


# "sentences over 30 words are not allowed", "paragraphs longer than 80 words are banned"
@reader("too_long_refused", START + r"(?P<u>sentences|paragraphs|lines|bullets|bullet points|quotes)\s+"
        r"(?:over|longer than|"
        r"more than|of more than|exceeding|with more than)\s+(?P<n>\d+)\s+(?P<v>words|sentences|characters)\s+"
        r"(?:are|is)\s+"
        r"(?:not allowed|banned|forbidden|off[- ]limits|not okay|not ok|a no-go)\b")
def _too_long_refused(m):
    u, v = subject(m["u"]), counted(m["v"])
    return None if vacuous(u, v) else Rule(Each(), Select(u), Count(v, "at_most", int(m["n"])))


# "never begin two back-to-back sentences with the same word"
@reader("never_two_same", r"\b(?:never|don't|do not)\s+(?:start|begin|open)\s+(?:any\s+)?(?:two|2)\s+"
        r"(?P<c>back-to-back\s+|"
        r"consecutive\s+|adjacent\s+|successive\s+)?(?P<u>sentences|lines|paragraphs|bullet points|bullets|stanzas)\s+"
        r"(?P<r>in a row\s+)?(?:with\s+the\s+same\s+word|the\s+same\s+way)\b|\b(?:never|don't|do not)\s+end\s+"
        r"(?:any\s+)?(?:two|2)\s+(?P<ce>consecutive\s+|back-to-back\s+|adjacent\s+)?(?P<ue>sentences|lines|paragraphs|"
        r"bullets|bullet points|stanzas)\s+(?P<re>in a row\s+)?with\s+the\s+same\s+word\b|\b(?:never|don't|do not)"
        r"\s+(?:repeat|"
        r"reuse)\s+(?:the\s+same\s+|a\s+)?(?P<u2>sentence|line|paragraph)\s+(?:openers?|opening\s+words?|first\s+"
        r"words?|starts?)\b")
def _never_two_same(m):
    if m["ue"]:
        return Across(subject(m["ue"]), "consecutive_distinct_last_word" if (m["ce"] or m["re"]) else
                      "distinct_last_word")
    if m["u2"]:
        return Across(subject(m["u2"]), "distinct_first_word")
    return Across(subject(m["u"]), "consecutive_distinct_first_word" if (m["c"] or m["r"]) else "distinct_first_word")


# "only words of one syllable", "words of 1 or 2 syllables only", "avoid any word with more than 3 syllables",
# "nothing over 6 letters"
@reader("word_size", r"\b(?:(?:use\s+)?only\s+(?P<a3>\d+)-(?P<v5>syllable|letter)\s+words|(?:use\s+)?only\s+words\s"
        r"+of\s+(?:(?P<ex>exactly)\s+)?(?P<a>"
        + r"\d+)(?:\s+or\s+(?P<b>\d+))?\s+(?P<v>syllables?|letters?)|"
        r"words\s+of\s+(?P<a2>\d+)(?:\s+or\s+(?P<b2>\d+))?\s+(?P<v2>syllables?|letters?)\s+only|(?:avoid|no)\s+(?:a"
        r"ny\s+)?"
        r"words?\s+(?:with|of|that ha(?:s|ve))\s+(?:more than|over)\s+(?P<c>\d+)\s+(?P<v3>syllables|letters)|nothing\s+"
        r"(?:over|longer than|more than)\s+(?P<d>\d+)\s+(?P<v4>letters))\b")
def _word_size(m):
    if m["a3"]:  # "only one-syllable words"
        return Rule(Each(), Select("word"), Count(unit(m["v5"]), "exactly", int(m["a3"])))
    v = unit(m["v"] or m["v2"] or m["v3"] or m["v4"])
    if m["c"] or m["d"]:
        return Rule(Quant("none"), Select("word"), Count(v, "at_least", int(m["c"] or m["d"]) + 1))
    a, b = int(m["a"] or m["a2"]), m["b"] or m["b2"]
    if b is None:
        return Rule(Each(), Select("word"), Count(v, "exactly", a))
    if m["ex"]:
        return None  # "only words of exactly 1 or 2 syllables": "exactly" said of a span
    return Rule(Quant("none"), Select("word"), Count(v, "at_least", int(b) + 1)) if a == 1 else None


# "the letter x must appear in every paragraph"
@reader("letter_in_each", r"\bthe\s+letter\s+['\"‘“]?(?P<x>[a-z])\b['\"’”]?\s+(?:must|should|has to|needs to|will)\s+"
        r"(?:appear|show up|be used)\s+(?:at least once\s+)?in\s+(?:each|every)\s+(?P<u>sentence|line|paragraph|stanza|"
        r"bullet point|bullet)\b")
def _letter_in_each(m):
    return Rule(Each(), Select(subject(m["u"])), Filter("contains", m["x"].lower()))


# "don't end your sentences with periods"
@reader("end_refused", r"\b(?:don't|do not|never)\s+end\s+(?:(?:any\s+|your\s+|the\s+)?"
        r"(?P<u>sentences|lines|bullets|bullet points|paragraphs)|the\s+(?P<one>title|headline|subject line)|"
        r"the\s+(?P<nth>first|last|final|opening|closing)\s+(?P<u2>sentence|line|paragraph|bullet point|bullet))\s+"
        r"(?:with|in|on)\s+(?:an?\s+)?(?P<mk>periods?|full stops?|exclamation (?:marks?|points?)|question marks?)\b")
def _end_refused(m):
    if m["one"]:  # "don't end the headline with a period"
        sel = Select(subject(m["one"]))
    elif m["u2"]:
        sel = Select(subject(m["u2"]), 1 if m["nth"].lower() in ("first", "opening") else -1)
    else:
        sel = Select(subject(m["u"]))
    return Rule(Quant("none"), sel, Filter("ends_with", MARKS[mark(m["mk"])]))


# "give it a title of at most five words", "use a title between 50 and 60 characters long", "A title of at most five
# words."
@reader("title_of", r"(?:\b(?:give\s+it|add|include|use|write|with|put)\s+|^\s*)a\s+(?:title|headline)\s+"
        r"(?:of\s+|with\s+|that\s+"
        r"(?:is|has)\s+)?" + LIMIT)
def _title_of(m):
    test = _limit(m, False)
    if test is None or test.unit not in ("word", "character") or m["oe"] or (m["bare"] and not (m["t"] or m["t2"])):
        return None
    return Rule(Each(), Select("title"), test)


# "each line needs at least 4 words beginning with p", "every sentence must include at least one word of three
# syllables or more": units counted only where a filter holds
@reader("each_has_words", r"\b(?:each|every)\s+(?P<u>sentence|line|paragraph|stanza|bullet point|bullet)\s+"
        r"(?:(?:must|should|"
        r"has to|needs to|will)\s+)?(?:contain|contains|include|includes|have|has|use|uses|need|needs)\s+(?:" + REL
        + r"\s+)?(?P<n>\d+)\s+words?\s+"
        r"(?:(?:that\s+)?(?P<se>start|starting|starts|begin|beginning|begins|end|ending|ends)\s+"
        r"with\s+(?:the\s+letter\s+|an?\s+)?['\"‘“]?(?P<x>[a-z])\b(?!(?<=\ba)\s+[a-z])['\"’”]?|"
        r"(?:of|with)\s+(?:(?P<r2>at least)\s+)?(?P<k>\d+)\s+"
        r"(?P<v>letters|syllables)(?P<more>\s+or\s+more)?)")
def _each_has_words(m):
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    if m["x"]:
        where = Filter("ends_with" if m["se"].lower().startswith("end") else "starts_with", m["x"].lower())
    elif m["r2"] or m["more"]:
        where = Count(unit(m["v"]), "at_least", int(m["k"]))
    else:
        return None  # "a word of 3 syllables": exactly, or at least? not read
    if not m["rel"] and n == 1 and re.match(r"1\s", m.string[m.start("n"):]):
        rel = "at_least"  # "needs one word with ...": at least one
    return Rule(Each(), Select(subject(m["u"])), Count("word", rel, n, where=where))


# ---- the same opener or ending everywhere, no word twice ------------------------------------------------------
@reader("same_across", r"\b(?:every|each|all(?:\s+the)?)\s+"
        r"(?P<u>lines?|sentences?|paragraphs?|stanzas?|bullets?|bullet points?|words?)"
        r"(?:\s+of\s+the\s+(?:poem|piece|response|song))?\s+"
        r"(?:(?:must|should|has to|have to|need to|needs to|will)\s+)?"
        r"(?P<v>starts?|begins?|ends?)\s+with\s+the\s+same\s+(?P<w>word|letter)\b(?!\s*[,:(]?\s*['\"‘“])")
def _same_across(m):  # not "the same word, 'light'": that word, which this reader does not name
    u, end, letter = subject(m["u"]), m["v"].lower().startswith("end"), m["w"].lower() == "letter"
    if letter:
        return None if end else Across(u, "same_first_letter")
    return None if u == "word" else Across(u, "same_last_word" if end else "same_first_word")


@reader("no_word_twice", r"\b(?:no\s+repeated\s+words|(?:every|each)\s+word\s+(?:(?:must|should)\s+be\s+)?used\s+"
        r"(?:only\s+once|just\s+once|once\s+only)|(?:don't|do not|never)\s+(?:use|repeat)\s+(?:any|a)\s+(?:single\s"
        r"+)?word\s+"
        r"(?:more than (?:once|1 times?)|"
        r"twice|2 times)|no\s+word\s+(?:may|can|should|must)?\s*(?:appear|be used|come up)\s+"
        r"(?:more than (?:once|1 times?)|"
        r"twice|2 times))\b")
def _no_word_twice(m):
    return Across("word", "distinct_words")


# ---- rhyme: "rhyme it AABB", "an ABAB quatrain" (rhyming couplets are read in verse.py) -------------------------
@reader("rhyme_scheme", r"\b(?:(?:rhyme(?:s|d)?|rhyming)\s+(?:it\s+|scheme\s+(?:of\s+)?|pattern\s+(?:of\s+)?)?"
        r"(?P<s>[A-Z]{4,8})\b|"
        r"(?P<s2>[A-Z]{4,8})\s+rhyme(?:\s+scheme)?\b|(?P<s3>[A-Z]{4,8})(?:-?(?:rhymed|rhyming))?\s+(?=(?:quatrain|poem)\b)"
        r")(?P<per>\s+(?:in|for)\s+(?:each|every)\s+(?:stanza|verse|parag"
        r"raph)|"
        r"\s+per\s+stanza)?")
def _rhyme_scheme(m):
    scheme = m["s"] or m["s2"] or m["s3"]  # "rhyme it ABAB", "an ABAB rhyme", "an ABBA-rhymed quatrain"
    if re.match(r"[\s,]+[A-Z]{2,}\b", m.string[m.end("s") if m["s"] else m.end("s2") if m["s2"] else m.end("s3"):]):
        return None  # "ABAB CDCD EFEF GG": a scheme of several groups, not ABAB repeated
    if not re.fullmatch(r"[A-H]+", scheme) or scheme[0] != "A" or len(set(scheme)) == len(scheme):
        return None  # "rhyme it SPRING": not a scheme
    if m["per"]:
        return Rhyme(scheme, repeat=True, per="paragraph")
    quatrain = re.search(r"\bquatrain\b", m.string, re.I) and len(scheme) == 4
    return Rhyme(scheme, repeat=not quatrain)


# ---- numbers in order: "give the numbers in increasing order", "sort the figures from highest to lowest" --------
@reader("numbers_in_order", r"\b(?:give|list|put|sort|order|write|arrange|present)\s+(?:the|all|your)?\s*"
        r"(?:numbers|figures|"
        r"values)\s+(?:in\s+(?P<up>increasing|ascending)\s+order|(?:from\s+)?(?P<down>highest to lowest|largest to "
        r"smallest|biggest to smallest)|(?:from\s+)?(?P<up2>lowest to highest|smallest to largest))\b")
def _numbers_in_order(m):
    return Across("number", "non_increasing" if m["down"] else "increasing")


# "each paragraph should contain at least one question", "include a quote in every paragraph"
@reader("question_in_each", r"\b(?:each|every)\s+(?P<u>paragraph|stanza|section)\s+"
        r"(?:(?:must|should|has to|needs to|will)\s+)?"
        r"(?:contain|contains|include|includes|have|has|need|needs)\s+(?:at least\s+)?(?:1|one|a)\s+question\b")
def _question_in_each(m):
    u = subject(m["u"])
    return None if u == "section" else Rule(Each(), Select(u), Count("sentence", "at_least", 1,
                                                                          where=Filter("ends_with", "?")))


@reader("quote_in_each", r"\b(?:include|use|put|add|give)\s+(?:at least\s+)?(?:1|one|a)\s+"
        r"(?:short\s+|direct\s+)?(?:quote|"
        r"quotation|line of dialogue)(?:\s+from\s+(?:a|one)\s+(?:person|character|source))?\s+in\s+(?:each|every)\s+"
        r"(?P<u>paragraph|stanza|section|bullet point|bullet)\b")
def _quote_in_each(m):
    u = subject(m["u"])
    return None if u == "section" else Rule(Each(), Select(u), Count("quoted span", "at_least", 1))



# "keep every sentence to 10 words", "limit paragraphs to 2 or 3 sentences", "keep the closing paragraph to a single
# sentence": "to N" is at most N
@reader("keep_to", r"\b(?:keep|limit|cap|restrict|hold)\s+(?:(?P<det>each|every|all|all the|the|your)\s+)?"
        r"(?:" + ORD + r"\s+)?(?P<u>" + SUBJECT_UNIT + r")\b(?:\s+(?:of|in)\s+(?:each|every)\s+(?P<w>"
        + SUBJECT_UNIT + r"))?\s+(?:to|at)\s+" + LIMIT)
def _keep_to(m):
    sel = _select(m)
    if sel is None or QUALIFIED.match(m.string, m.end()) or m["rel"] and (m["t"] or m["t2"]) or m["lo"] or m["t3"]:
        return None
    v = counted(m["v"])
    if m["oe"] or (m["t"] or "").lower() in ("more", "longer", "over") or (m["t2"] or "").lower() in ("minimum",
                                                                                                     "at least"):
        return None  # "keep every line to 7 words or more": not a limit to keep to
    if m["a"] or m["c"]:
        lo, hi = int(m["a"] or m["c"]), int(m["b"] or m["d"])
        test = Count(v, "between", lo, hi) if lo < hi else None
    elif m["single"]:
        test = Count(v, "exactly", 1) if v in ALWAYS_ONE else None
    elif m["rel"]:
        test = Count(v, *inclusive(m["rel"], int(m["n"])))
    else:
        test = Count(v, "at_most", int(m["bare"]))
    if test is None or vacuous(sel.unit, v) or (sel.nth is None and not m["u"].lower().endswith("s") and not m["det"]):
        return None
    return Rule(Each(), sel, test)


# "sentences of 15 words or fewer", "aim for sentences of at most 12 words", "write in sentences of 5 to 10 words"
@reader("units_of_limit", r"\b(?:aim for|write|use|stick to|go for|keep to|in|only)\s+(?:only\s+)?(?P<u>sentences|"
        r"paragraphs|lines|bullets|bullet points)\s+of\s+" + LIMIT)
def _units_of_limit(m):
    if m["single"] or (m["bare"] and not (m["t"] or m["t2"])):
        return None  # "sentences of 12 words": exactly? about? not read
    test = _limit(m, False)
    u = unit(m["u"])
    if test is None or vacuous(u, test.unit) or QUALIFIED.match(m.string, m.end()):
        return None
    return Rule(Each(), Select(u), test)


# "one-sentence paragraphs only", "use 2-sentence paragraphs", "three-line stanzas"
@reader("n_unit_units", r"(?:(?P<no>(?:^|(?<=[.;:!?]))\s*no)\s+)?\b(?P<n>\d+)[- ](?P<v>sentence|line|word)\s+"
        r"(?P<u>paragraphs|stanzas|bullets|bullet points|lines|sentences|verses|headings|subheadings)\b")
def _n_unit_units(m):
    u, v = subject(m["u"]), unit(m["v"])
    before = m.string[: m.start("n")]
    if topic_before(m.string, m.start()):
        return None  # "a story about a poet who writes 6-word lines"
    if vacuous(u, v) or re.search(r"\b(?:a|an|the|one|each|every|\d+)\s*$", before, re.I):
        return None  # "a one-sentence paragraph", "three 2-line stanzas": one unit, or a count of units
    if m["no"]:  # "No one-sentence paragraphs."
        return Rule(Quant("none"), Select(u), Count(v, "exactly", int(m["n"])))
    return Rule(Each(), Select(u), Count(v, "exactly", int(m["n"])))
