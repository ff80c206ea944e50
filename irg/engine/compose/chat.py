"""Restatements of chat (issue 37): the words people add around a rule in a chat box that ask nothing more —
"like 3-5 words", "an emoji somewhere in it", "write like each sentence has ...", "idk why", "..., 5 words max ok".
Registered beside restate.py's own; kept by `reader.read` only where the restated clause is read whole.
"""
from __future__ import annotations

import re

from irg.engine.compose.restate import restatement

# "each bullet like 3-5 words", "have like at least 2 commas": a chat "like" before a number says the number
# (a range or a bound of a count: "like 5 words" is about 5 and stays unread; "a time like 08:00" shows a form)
restatement("chat like", r"(?<=[a-z])\s+like\s+(?=(?:at\s+(?:least|most)|max(?:imum)?|under|no\s+more\s+than)\s+"
            r"\d+\s+[a-z]|\d+\s*(?:-|–|to)\s*\d+\s+[a-z])", " ")
# "every sentence has an emoji somewhere", "each line contains a number in it": where in the unit is not asked
restatement("somewhere in it", r"\b(?P<v>have|has|contain|contains|include|includes|use|uses)\s+(?P<x>(?:an?|"
            r"at least \d+|\d+)\s+[a-z]+)\s+(?:somewhere(?:\s+in\s+(?:it|them))?|in\s+(?:it|them)|"
            r"anywhere(?:\s+in\s+(?:it|them))?)\b", r"\g<v> \g<x>")
# "write like each sentence has ...", "write it so every line ...": the rule after it is the ask
restatement("write like", r"^\s*write\s+(?:it\s+)?(?:like|so|so\s+that|such\s+that)\s+(?=(?:each|every|no|all)\b)", "")
# "idk why just do it", "tbh": chat that asks nothing
restatement("chat aside", r"\b(?:idk(?:\s+why)?(?:\s+just\s+do\s+it)?|just\s+do\s+it|tbh)\b[,!.]*", " ")
# "..., 5 words max ok", "... thanks!": a chat sign-off after the rule asks nothing more
restatement("sign-off", r"[,\s]+(?:ok|okay|thanks|thank you|thx|ty|cheers)\s*[.!?]*\s*$",
            lambda m: m.group(0) if re.search(r"(?:word|letter|with|say|says|write|is|be)\s*$", m.string[:m.start()],
                                              re.I) else ".")  # not "end each line with the word ok"
# "the last line should only say 'xoxo'", "the last page should just read 'The End.'": that unit is that text
restatement("only say", r"\b(?P<m>should|must|has\s+to|needs\s+to|will)\s+(?:only\s+|just\s+)?(?:say|read)\s+"
            r"(?:only\s+)?(?=['\"‘“])", r"\g<m> be ")
