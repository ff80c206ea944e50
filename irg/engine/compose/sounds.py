"""How words sound, guessed from their spelling: the sound a word ends on (`rime`) and whether two words rhyme."""
from __future__ import annotations

import re

from irg.engine.compose.units import syllables


def rime(word: str) -> str:
    """The sound a word ends on, guessed from its spelling: its last vowel group and what follows ("night" -> "ite",
    "sea" -> "ee", "time" -> "ime"). A rule of thumb: it hears "blue" / "through" as different."""
    w = re.sub(r"[^a-z]", "", word.lower())
    for a, b in (("ight", "ite"), ("igh", "ai"), ("eigh", "ay"), ("ough", "oo"), ("ew", "oo"), ("ue", "oo"),
                 ("ey", "ay"), ("ea", "ee"), ("ie", "ee")):
        if w.endswith(a):
            w = w[: -len(a)] + b
    if re.search(r"[^aeiou]y$", w):  # "sky", "fly": /ai/; "happy", "city": /ee/
        w = w[:-1] + ("ai" if syllables(w) == 1 else "ee")
    w = w.replace("y", "i")
    silent = w.endswith("e") and len(w) > 2 and w[-2] not in "aeiou"
    core = w[:-1] if silent else w
    m = re.search(r"[aeiou]+[^aeiou]*$", core)
    return (m.group(0) + ("e" if silent else "")) if m else w


WEAK = re.compile(r"(?:er|or|ee|en|on|al|le|ing|ed|es|est|ly)$")  # unstressed endings: water / mother do not rhyme


def rhymes(a: str, b: str) -> bool:
    """Two different words ending on the same sound (a word does not rhyme with itself); where the ending is an
    unstressed one (-er, -y, -ing), the syllable before it must sound alike too."""
    a, b = re.sub(r"[^a-z]", "", a.lower()), re.sub(r"[^a-z]", "", b.lower())
    if not a or not b or a == b:
        return False
    ra, rb = rime(a), rime(b)
    if ra != rb and not (ra[-3:] == rb[-3:] and len(ra) >= 3):
        return False
    if WEAK.search(ra) and syllables(a) > 1 and syllables(b) > 1:
        return rime(a[: -len(ra)]) == rime(b[: -len(rb)])
    return True
