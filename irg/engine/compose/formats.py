"""Readers of how numbers, times, dates, prices and percentages are written: "write numbers as digits", "use the
24-hour clock for all times", "dates in ISO format", "round percentages to whole numbers", "prices to two decimal
places". Each is a rule on the units of that form (filters.FORMATS finds them), so a text with none of them meets it."""
from __future__ import annotations

import re

from irg.engine.compose.filters import Filter
from irg.engine.compose.measures import Count
from irg.engine.compose.program import Each, Quant, Rule, Select
from irg.engine.compose.vocab import reader

ALL = r"(?:all|every|each|any|the)\s+"
# what may follow a rule on a form: an example, then the clause's end ("for every entry" would be a second rule)
ENDS = re.compile(r"\s*(?:,?\s*\(?\s*(?:like|such as|e\.\s?g\.,?)\s+\S+(?:\s?(?:am|pm))?\s*\)?)?(?:\s*,?\s*please)?"
                  r"\s*[.!;]?\s*$", re.I)


def _whole(m: re.Match) -> bool:
    return bool(ENDS.match(m.string, m.end()))


@reader("numbers_as_digits", r"(?:\b(?:write|give|put)\s+(?:all\s+(?:the\s+)?|every\s+|any\s+|the\s+)?numbers?\s+(?:as"
        r"|in)\s+"
        r"(?:digits|numerals|figures)|\b(?:use|write)\s+(?:digits|numerals|figures)\s+for\s+(?:all|every|each|any)\s+"
        r"numbers?|\bwrite\s+every\s+number\s+as\s+a\s+(?:numeral|digit|figure))(?:\s*,?\s*(?:never|not|rather\s+than|"
        r"instead\s+of)\s+(?:as\s+|in\s+)?(?:number\s+)?words|\s*,?\s*even\s+(?:for\s+)?(?:1\s+(?:through|to)\s+9|"
        r"(?:the\s+)?small\s+ones))?")
def _numbers_as_digits(m):
    return Rule(Each(), Select("response"), Count("number word", "exactly", 0))


@reader("times_24h", r"\buse\s+(?:the\s+)?24[- ]hour\s+(?:clock\s+times|clock|time|times|format)(?:\s+for\s+" + ALL
        + r"times?(?:\s+you\s+(?:mention|use|give|write))?|\s+throughout|\s+everywhere)?|\b(?:all\s+|every\s+|"
        r"each\s+)?times?\s+(?:should|"
        r"must)?\s*(?:be\s+)?(?:in|on|use)\s+(?:the\s+)?"
        r"24[- ]hour\s+(?:clock|time|format)")
def _times_24h(m):
    if not _whole(m):
        return None  # "use 24-hour times for every entry": each entry has one, too
    return Rule(Each(), Select("time"), Filter("clock_24h"))


@reader("times_ampm", r"\b(?:write|give|put)\s+" + ALL + r"times?\s+with\s+(?:am|a\.m\.)\s+(?:or|and|/)\s+(?:pm|p\."
        r"m\.)")
def _times_ampm(m):
    return Rule(Each(), Select("time"), Filter("clock_ampm"))


@reader("dates_iso", r"\b(?:(?:all\s+|every\s+|each\s+|the\s+)?dates?\s+(?:should|must|need\s+to|"
        r"have\s+to)\s+(?:appear|be\s+"
        r"written|be\s+given|be\s+formatted|be\s+shown)\s+(?:as|in)\s+(?:the\s+)?(?-i:YYYY-MM-DD)(?:\s+format)?|"
        r"(?:(?:all\s+|every\s+|each\s+|the\s+)?dates?\s+(?:should\s+be\s+|must\s+be\s+)?in\s+ISO"
        r"(?:\s+8601)?\s+format|(?:write|give|put|format|show)\s+(?:" + ALL + r")?dates?\s+(?:in|"
        r"as)\s+(?:the\s+)?(?:ISO(?:\s+8601)?|"
        r"(?-i:YYYY-MM-DD))(?:\s+format)?)"
        r"(?:\s*\(?YYYY-MM-DD\)?)?)")
def _dates_iso(m):
    if not _whole(m):
        return None  # "dates as YYYY-MM-DD in the table": one part's dates
    return Rule(Each(), Select("date"), Filter("iso_date"))


@reader("whole_percentages", r"\bround\s+(?:all\s+|every\s+|each\s+|the\s+|any\s+)?percentages?\s+to\s+(?:the\s+nea"
        r"rest\s+)?"
        r"whole\s+(?:numbers?|percent)")
def _whole_percentages(m):
    return Rule(Each(), Select("percentage"), Filter("whole_number"))


@reader("percent_sign", r"\buse\s+the\s+%\s+sign\s+(?:rather\s+than|instead\s+of)\s+(?:writing\s+(?:out\s+)?)?"
        r"(?:the\s+word\s+)?['\"‘“]?percent['\"’”]?")
def _percent_sign(m):
    return (Rule(Each(), Select("percentage"), Filter("percent_sign")),
            Rule(Quant("none"), Select("word"), Filter("is", "percent")))


@reader("two_decimals", r"\bprices?\s+(?:must|should)\s+(?:show|have|use)\s+(?:exactly\s+)?(?:2|two)\s+decimal\s+pl"
        r"aces|"
        r"\b(?:give|write|show)\s+(?:" + ALL + r")?prices?\s+(?:to|with)\s+(?:exactly\s+)?(?:2|two)\s+decimal"
        r"(?:s|\s+places)|"
        r"\b(?:all\s+(?:the\s+)?|every\s+|each\s+|the\s+)?prices?\s+(?:need|needs|must\s+have|should\s+have|"
        r"take|get)\s+"
        r"(?:exactly\s+)?(?:2|two)\s+decimals?(?:\s+places)?")
def _two_decimals(m):
    if not _whole(m):
        return None
    return Rule(Each(), Select("price"), Filter("two_decimals"))
