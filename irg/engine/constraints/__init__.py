"""Constraint types: read from the prompt's own words, checked deterministically.

Each type is a small registered class with
  - `extract(prompt)`: the instances the prompt asks for (handles negations and
    numbers written as words),
  - `check(text)`: findings saying what is wrong and where (empty = satisfied),
  - `instruction()`: how the planner phrases it for the next draft,
  - `decoding()`: the decoding constraint that enforces it, where one exists.
Rules decide what they can check: small models are poor judges of their own work.
"""
from irg.engine.constraints import (  # noqa: F401 (registers the types)
                                  case,
                                  characters,
                                  content,
                                  edges,
                                  choices,
                                  format,
                                  gold,
                                  language,
                                  length,
)
from irg.engine.constraints.base import (
                                  Constraint,
                                  ConstraintError,
                                  conflicts,
                                  extract_all,
                                  from_dict,
                                  from_dicts,
                                  negative_counts,
                                  register,
)
from irg.engine.constraints.case import CapitalWordFrequency, Lowercase, Uppercase
from irg.engine.constraints.characters import LetterFrequency, NoCommas
from irg.engine.constraints.choices import ChooseFrom
from irg.engine.constraints.content import ForbiddenWords, IncludeKeywords, KeywordFrequency
from irg.engine.constraints.edges import EndPhrase, RepeatRequest, StartPhrase
from irg.engine.constraints.format import JsonFormat, Postscript, Quotation, Title, TwoResponses, strip_fences
from irg.engine.constraints.gold import FinalAnswer
from irg.engine.constraints.language import Language, detect_language
from irg.engine.constraints.length import (
                                  BulletCount,
                                  HighlightedSections,
                                  ParagraphCount,
                                  ParagraphFirstWord,
                                  Placeholders,
                                  Sections,
                                  SentenceCount,
                                  WordCount,
                                  paragraphs,
)
from irg.engine.constraints.text import normalize_numbers, quoted, sentences, words
from irg.engine.registry import CONSTRAINT_TYPES

__all__ = ["CONSTRAINT_TYPES", "Constraint", "ConstraintError", "conflicts", "extract_all", "from_dict", "from_dicts",
           "negative_counts", "register", "FinalAnswer", "CapitalWordFrequency", "Lowercase", "Uppercase",
           "LetterFrequency", "NoCommas", "ChooseFrom", "EndPhrase", "ForbiddenWords", "IncludeKeywords",
           "KeywordFrequency", "RepeatRequest", "StartPhrase", "JsonFormat", "Postscript", "Quotation", "Title",
           "TwoResponses", "strip_fences", "Language", "detect_language", "BulletCount", "HighlightedSections",
           "ParagraphCount", "ParagraphFirstWord", "Placeholders", "Sections", "SentenceCount", "WordCount",
           "paragraphs", "normalize_numbers", "quoted", "sentences", "words"]
