"""A small constraint language (issue 37): rules built from a few primitives instead of one class per type.

    each sentence has at most 11 words            Rule(Each(), Select("sentence"), Count("word", "at_most", 11))
    no word ends with 'ing'                       Rule(Quant("none"), Select("word"), Filter("ends_with", "ing"))
    the first sentence of each paragraph ends
      with a question mark                        Rule(Each(), Select("sentence", nth=1, within=Select("paragraph")),
                                                       Filter("ends_with", "?"))
    the list items are in alphabetical order      Across("bullet", "alphabetical")

    units.py     the units a rule speaks of (response, paragraph, sentence, line, bullet item, word, letter, ...)
    filters.py   what one unit is or has (starts with, ends with, contains, a question, all capitals, ...)
    measures.py  numbers of one unit (how many words, letters, characters, sentences it has)
    program.py   selections, quantifiers, rules across units; check (which units broke it) and plain words
    reader.py    an instruction no type reads -> its programs, or none (never guess: a number, an "each", a
                 refusal left out of what was read, or two readings of the same words, and nothing is read);
                 its readers: patterns.py (one shape each), clause.py (subject, modal, predicate), named.py
                 (forms, rhyme schemes, letter bans, orders...), sharing vocab.py
    enforce.py   a mask, a grammar or a rendering step that meets a program while the model writes
    constraint.py  a program as the constraint type "composed": checked, planned and shown like the others

Each primitive is a registered unit with its plain-words description and its checker. A program is a typed,
serialisable tree (`to_dict` / `program_from_dict`); `describe()` writes it in the words the issue's gold readings
use, and `check(text)` names the units that break it ("sentence 3 has 17 words"). The detector
(constraints/detect.py) gives every clause no type reads to the reader.
"""
from irg.engine.compose.filters import Filter  # noqa: F401
from irg.engine.compose.measures import Count  # noqa: F401
from irg.engine.compose.program import Across, Each, Form, Quant, Rhyme, Rule, Select, program_from_dict  # noqa: F401
