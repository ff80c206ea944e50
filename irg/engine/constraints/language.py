"""The response language: told by function words (Latin-script languages) or by script (the rest)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from irg.engine.constraints.base import Constraint, register
from irg.engine.constraints.text import about_not_asked, negated_before, words

# A few common function words per language: enough to tell languages apart in a paragraph.
LANG_WORDS = {
    "english": "the and is are of to in that it with for this you was on be not have".split(),
    "french": "le la les et est sont de des un une que qui dans pour pas avec ce vous nous".split(),
    "spanish": "el la los las y es son de del un una que en para por con no se muy".split(),
    "german": "der die das und ist sind ein eine nicht mit zu den dem ich sie es auf für".split(),
    "italian": "il lo la gli le e è sono di un una che per non con del della sono".split(),
    "portuguese": "o a os as e é são de do da um uma que em para não com por".split(),
    "dutch": "de het een en is zijn van niet met voor op dat die ik je".split(),
}
# Languages told by their script (Unicode ranges); a text "is" one when most of its letters are in the range.
LANG_SCRIPTS = {
    "russian": "\u0400-\u04ff", "ukrainian": "\u0400-\u04ff", "bulgarian": "\u0400-\u04ff", "greek": "\u0370-\u03ff",
    "arabic": "\u0600-\u06ff", "persian": "\u0600-\u06ff", "urdu": "\u0600-\u06ff", "hebrew": "\u0590-\u05ff",
    "hindi": "\u0900-\u097f", "marathi": "\u0900-\u097f", "nepali": "\u0900-\u097f", "bengali": "\u0980-\u09ff",
    "punjabi": "\u0a00-\u0a7f", "gujarati": "\u0a80-\u0aff", "tamil": "\u0b80-\u0bff", "telugu": "\u0c00-\u0c7f",
    "kannada": "\u0c80-\u0cff", "malayalam": "\u0d00-\u0d7f", "thai": "\u0e00-\u0e7f",
    "korean": "\uac00-\ud7af\u1100-\u11ff",
    "japanese": "\u3040-\u30ff\u4e00-\u9fff", "chinese": "\u4e00-\u9fff",
}
LANGUAGES = [*LANG_WORDS, *LANG_SCRIPTS, "mandarin", "swahili", "turkish", "vietnamese", "indonesian", "polish",
             "swedish"]
ALIASES = {"mandarin": "chinese", "farsi": "persian"}
# Names a request written in the language itself uses ("Réponds en français")
NATIVE = {"français": "french", "francais": "french", "español": "spanish", "espanol": "spanish",
          "castellano": "spanish",
          "italiano": "italian", "deutsch": "german", "português": "portuguese", "portugues": "portuguese",
          "nederlands": "dutch", "polski": "polish", "svenska": "swedish", "türkçe": "turkish", "русском": "russian",
          "русский": "russian", "日本語": "japanese", "中文": "chinese", "한국어": "korean", "हिंदी": "hindi",
          "العربية": "arabic", "ελληνικά": "greek", "tiếng việt": "vietnamese", "kiswahili": "swahili"}


def detect_language(text: str) -> str | None:
    letters = [ch for ch in text if ch.isalpha()]
    if letters:
        for lang, rng in LANG_SCRIPTS.items():
            if sum(bool(re.match(f"[{rng}]", ch)) for ch in letters) / len(letters) > 0.5:
                if lang == "chinese" and re.search("[\u3040-\u30ff]", text):
                    return "japanese"  # kana: Japanese, even with many kanji
                return lang
    ws = [w.lower() for w in words(text)]
    if len(ws) < 3:
        return None
    scores = {lang: sum(w in vocab for w in ws) for lang, vocab in LANG_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else None


def _same_script_family(a: str, b: str | None) -> bool:
    """Languages the detector cannot tell apart (one script, no word lists) count as the same."""
    return b is not None and (a == b or (a in LANG_SCRIPTS and b in LANG_SCRIPTS
                                         and LANG_SCRIPTS[a] == LANG_SCRIPTS[b]))


@register
@dataclass
class Language(Constraint):
    kind: ClassVar[str] = "language"
    asked_for = "a language"
    language: str = "english"

    @classmethod
    def extract(cls, p):
        langs = "|".join(sorted({*LANGUAGES, *ALIASES}, key=len, reverse=True))
        verbs = (r"respond|response|answer|reply|repl|write|written|say|speak|compose|"
                 r"draft|output|translat|tell|explain|"
                 r"describe|story|poem|essay|letter|email|message|text|greeting|speech|summar|give|list|greeting")
        pats = [rf"\b(?:{verbs})\w*\b[^.\n]{{0,60}}?\b(?:in|into)\s+(?:the\s+)?"
                r"(?:plain\s+|simple\s+|proper\s+|standard\s+|formal\s+|informal\s+|good\s+)?"
                rf"({langs})\b(?!\s+(?:words?|alphabet))",
                rf"\b(?:only|entirely|completely|wholly|all|just)\s+(?:in\s+)?({langs})\b",
                rf"\bin\s+({langs})\s+(?:only|language only)\b",
                rf"\b({langs})\s+(?:only|language only)\b",
                rf"\b(?:should|must|has to|needs to)\s+be\s+(?:written\s+)?(?:in\s+)?({langs})\b"]
        native = "|".join(sorted(NATIVE, key=len, reverse=True))
        m = re.search(rf"(?:\b(?:en|in|auf|em|на|in\s+lingua)\s+|^|\s)(?:l')?({native})(?!\w)", p, re.I)
        if (m and m.group(1).lower() in NATIVE
                and not re.search(r"\b(?:words?|alphabet)\b", p[m.end():m.end() + 8], re.I)):
            return [cls(NATIVE[m.group(1).lower()])]
        for pat in pats:
            for m in re.finditer(pat, p, re.I):
                if negated_before(p, m.start(), 25) or re.search(r"\bnot\s+(?:in\s+)?$", p[:m.start(1)], re.I) \
                        or about_not_asked(p, m.start(1)):  # "How do you say 'hello' in German?": a question
                    continue
                lang = m.group(1).lower()
                return [cls(ALIASES.get(lang, lang))]
        return []

    def check(self, text):
        got = detect_language(text)
        if not _same_script_family(self.language, got):
            return [self.finding(f"The answer reads as {got or 'no clear language'}, "
                                 f"not {self.language.capitalize()}.")]
        return []

    def instruction(self):
        return f"Write the whole answer in {self.language.capitalize()} only."

    def out_of_reach(self) -> str:
        # A language in another script (or one the checker cannot tell) is a thing the model can or cannot write:
        # no rendering, slot or grammar writes Hindi for it. Latin-script languages stay: a draft can get closer.
        if self.language in LANG_WORDS:
            return ""
        name = self.language.capitalize()
        if self.language not in LANG_SCRIPTS:
            return (f"The checker cannot recognise {name}, so no draft can be seen to meet it; after a draft that "
                    "missed it, no more drafts are spent on it.")
        return (f"No mechanism here can make the model write {name} (rendering, slots and grammars keep its own "
                "words, and this draft was not in it); no more drafts are spent on it.")

    def notice(self) -> str:
        if self.language == "english":
            return ""
        if self.language not in LANG_WORDS and self.language not in LANG_SCRIPTS:
            return (f"The request asks for {self.language.capitalize()}; the checker cannot recognise that language, "
                    "so it reports it as not met. Small models such as SmolLM2-135M write little but English.")
        return (f"The request asks for {self.language.capitalize()}: small models such as SmolLM2-135M were trained "
                "almost only on English and rarely write it well; the checker says whether the answer is in it.")
