#!/usr/bin/env python3
"""Generate constraints.jsonl (held-out robustness trials with explicit constraint dicts).

Written by a second author WITHOUT reading the IRG Lab code. Each constraint is a dict
{"kind": <name>, <field>: <value>, ...} using the kinds and field names from the brief:
final_answer(value, hint), lowercase(), uppercase(), capital_word_frequency(rel, n),
no_commas(), letter_frequency(letter, rel, n), include_keywords(keywords),
forbidden_words(words), keyword_frequency(word, rel, n), start_phrase(phrase),
end_phrase(phrase), repeat_request(request), choose_from(options), json_format(),
quotation(), title(), postscript(marker="P.S."), two_responses(),
language(language="english"), word_count(rel, n), sentence_count(rel, n),
paragraph_count(n, separator="***"), paragraph_first_word(n, nth, word),
bullet_count(rel, n), sections(n, marker="SECTION"), highlighted_sections(n),
placeholders(n).   rel in {at_least, at_most, exactly, less_than, more_than}.

Deterministic: running it twice gives byte-identical output.
Outputs (next to this script):
  constraints.jsonl           60 lines of batch input
  constraints_expected.json   id -> {"category", "expect"} for a checking harness
Usage: python3 make_constraints.py
"""
import json
import pathlib
import random

HERE = pathlib.Path(__file__).resolve().parent


def K(kind, **fields):
    d = {"kind": kind}
    d.update(fields)
    return d


def many_forbidden_words(count=3000, seed=20240611):
    """3,000 distinct pseudo-words, plus a handful of very common English words so that
    practically any English answer breaks the ban (an effectively unsatisfiable list)."""
    rng = random.Random(seed)
    onsets = ["b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m",
              "n", "p", "pl", "qu", "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "z"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "oo", "ou", "y"]
    codas = ["", "", "n", "r", "s", "t", "ck", "ng", "sh", "x", "m", "l"]
    common = ["the", "a", "and", "is", "of", "to", "in", "it", "that", "you"]
    words = list(common)
    seen = set(words)
    while len(words) < count:
        w = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                     for _ in range(rng.randint(1, 3)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    rng.shuffle(words)
    return words


ODD_OPTIONS = [
    'He said "yes"',
    "C:\\Users\\me\\answer.txt",
    "line one\nline two",
    "\u65e5\u672c\u8a9e\u306e\u7b54\u3048",          # Japanese
    "na\u00efve caf\u00e9",
    "\U0001F44D",                                   # thumbs up emoji
    "  padded option  ",
    "tab\there",
]

LONG_OPTIONS = [
    "The committee should postpone the decision until the independent audit of the 2019 to 2023 accounts has been completed and published.",
    "The committee should approve the proposal today, on the condition that a review takes place after exactly six months of operation.",
    "The committee should reject the proposal outright, because the projected costs exceed the agreed budget by more than twenty percent.",
]

REGEX_KEYWORDS = ["c++", "a.b", "(x)", "[tag]", "$100", "^start", "a|b", "\\d+", "*", "?"]

# (id-suffix, category, expectation, prompt, constraints)
rows = []


def add(category, expect, prompt, constraints, **extra):
    rows.append((category, expect, prompt, constraints, extra))


C, H, Z, D, O, E, INV, AMB = ("contradiction", "huge_count", "zero_or_negative_count",
                                  "demanding", "ordinary", "odd_values", "invalid", "ambiguous")
EXP_C = "accept; run without crash; report the constraints as conflicting/unsatisfiable (or report which stay unmet) instead of looping forever or crashing"
EXP_H = "accept or reject with a clear message; must not allocate/loop proportional to n, must not hang; report as unsatisfiable/unmet"
EXP_Z = "accept or reject with one clear message; no crash; if accepted, impossible bounds are reported, not silently dropped"
EXP_D = "accept; produce one output record with per-constraint pass/fail; no crash"
EXP_O = "accept; one normal output record"
EXP_E = "accept; the odd value is treated literally (no regex/format errors, no encoding errors); one output record"
EXP_INV = "reject this line with one clear message naming the id and the bad field; other lines unaffected"
EXP_AMB = "either accept or reject, but with a clear message and no crash; behaviour should be documented"

# ---- contradictions ----
add(C, EXP_C, "Pick the first letter of the alphabet.",
    [K("choose_from", options=["a"]), K("forbidden_words", words=["a"])])
add(C, EXP_C, "Is Pluto a planet? Answer with yes, no or maybe.",
    [K("choose_from", options=["yes", "no", "maybe"]), K("forbidden_words", words=["yes", "no", "maybe"])])
add(C, EXP_C, "Give your honest opinion of pineapple on pizza.",
    [K("start_phrase", phrase="Honestly speaking"), K("forbidden_words", words=["honestly"])])
add(C, EXP_C, "Describe a rainy morning in a big city.",
    [K("uppercase"), K("end_phrase", phrase="any other questions?")])
add(C, EXP_C, "Write a short poem about snow.",
    [K("lowercase"), K("end_phrase", phrase="Is there anything else I can help with?")])
add(C, EXP_C, "List three fruits and their colours.",
    [K("json_format"), K("forbidden_words", words=['"', "'"]), K("include_keywords", keywords=["banana", "yellow"])])
add(C, EXP_C, "Describe a walk along the beach.",
    [K("letter_frequency", letter="e", rel="less_than", n=1), K("include_keywords", keywords=["the"])])
add(C, EXP_C, "How do I start a vegetable garden?",
    [K("sections", n=5), K("bullet_count", rel="at_least", n=15), K("word_count", rel="at_most", n=10)])
add(C, EXP_C, "Explain photosynthesis briefly.",
    [K("capital_word_frequency", rel="at_least", n=5), K("lowercase")])
add(C, EXP_C, "Write about the Apollo missions.",
    [K("uppercase"), K("capital_word_frequency", rel="less_than", n=1)])
add(C, EXP_C, "Write a short note to my landlord about the heating.",
    [K("postscript"), K("forbidden_words", words=["P.S."])])
add(C, EXP_C, "Explain why the sky is blue.",
    [K("repeat_request", request="Explain why the sky is blue."), K("forbidden_words", words=["sky", "blue"])])
add(C, EXP_C, "Suggest a name for my cat.",
    [K("two_responses"), K("word_count", rel="at_most", n=3)])
add(C, EXP_C, "What is 17 times 3?",
    [K("final_answer", value="51", hint=True), K("forbidden_words", words=["51"])])
add(C, EXP_C, "Which space agency ran the Apollo program?",
    [K("final_answer", value="NASA", hint=False), K("lowercase")])
add(C, EXP_C, "Tell me a fun fact about octopuses.",
    [K("quotation"), K("forbidden_words", words=['"'])])
add(C, EXP_C, "Write a haiku about autumn with a title.",
    [K("title"), K("forbidden_words", words=["<<", ">>"])])
add(C, EXP_C, "Write a template for a job application email.",
    [K("placeholders", n=3), K("forbidden_words", words=["[", "]"])])
add(C, EXP_C, "Write a story about bread baking in paragraphs.",
    [K("paragraph_first_word", n=4, nth=7, word="Finally")])
add(C, EXP_C, "Write a story about a cat.",
    [K("keyword_frequency", word="cat", rel="at_least", n=5), K("keyword_frequency", word="cat", rel="less_than", n=2)])
add(C, EXP_C, "Explain how vaccines work.",
    [K("end_phrase", phrase="Any other questions?"), K("forbidden_words", words=["?"])])
add(C, EXP_C, "Write a limerick.",
    [K("start_phrase", phrase="There once was"), K("forbidden_words", words=["there", "once", "was"])])

# ---- huge counts ----
add(H, EXP_H, "Write about the history of tea.",
    [K("paragraph_count", n=10**6)])
add(H, EXP_H, "Tell me about dogs, in sections.",
    [K("sections", n=10**12)])
add(H, EXP_H, "List reasons to learn Spanish.",
    [K("bullet_count", rel="exactly", n=5000), K("word_count", rel="less_than", n=50)])
add(H, EXP_H, "Write an essay about rivers.",
    [K("word_count", rel="at_least", n=10**30)])     # larger than any 64-bit integer
add(H, EXP_H, "Explain gravity.",
    [K("highlighted_sections", n=10**6), K("letter_frequency", letter="z", rel="more_than", n=10**12)])

# ---- zero / negative counts ----
add(Z, EXP_Z, "Give me some paragraphs about the moon.",
    [K("paragraph_count", n=0), K("include_keywords", keywords=["crater"])])
add(Z, "accept; satisfiable (an answer with no bullets); one output record",
    "Describe a sunrise without using a list.",
    [K("bullet_count", rel="exactly", n=0), K("include_keywords", keywords=["horizon"])])
add(Z, EXP_Z, "Write about the ocean.",
    [K("word_count", rel="less_than", n=0)])
add(Z, EXP_Z, "Describe volcanoes as a list.",
    [K("bullet_count", rel="exactly", n=-3)])
add(Z, EXP_Z, "Summarise the news.",
    [K("sentence_count", rel="at_most", n=0), K("placeholders", n=-1)])

# ---- demanding but satisfiable ----
add(D, "accept; hard but satisfiable (e.g. a single long 'qqqq...' word); one output record",
    "Describe a quilt.",
    [K("letter_frequency", letter="q", rel="at_least", n=40), K("word_count", rel="at_most", n=5)])
add(D, EXP_D, "Write about the French Revolution.",
    [K("word_count", rel="at_least", n=200), K("sentence_count", rel="exactly", n=3), K("no_commas")])
add(D, EXP_D, "Tell me about sushi.",
    [K("language", language="japanese"), K("include_keywords", keywords=["sushi", "rice"])])
add(D, EXP_D, "Write a blog post about minimalism.",
    [K("paragraph_count", n=4), K("paragraph_first_word", n=4, nth=2, word="Clutter"), K("no_commas")])
add(D, "accept; satisfiable by the single word 'Hello'; one output record",
    "Say hello.",
    [K("start_phrase", phrase="Hello"), K("end_phrase", phrase="Hello"), K("word_count", rel="exactly", n=1)])

# ---- odd values that are nevertheless valid ----
add(E, "accept; 3,000 banned words (incl. 'the', 'a', 'and') is effectively unsatisfiable in English; must finish in reasonable time and report unmet, not hang",
    "Write a paragraph about the weather.",
    [K("forbidden_words", words=many_forbidden_words())])
add(E, EXP_E, "Write a three-part guide to tying knots.",
    [K("sections", n=3, marker="\u00a7")])
add(E, EXP_E, "Write a two-part story.",
    [K("sections", n=2, marker="Part  Two ")])
add(E, EXP_E, "Write two sections about regexes.",
    [K("sections", n=2, marker="SECTION.*")])
add(E, EXP_E, "What should the committee do about the proposal?",
    [K("choose_from", options=LONG_OPTIONS)])
add(E, EXP_E, "Pick whichever option you like best.",
    [K("choose_from", options=ODD_OPTIONS)])
add(E, "accept; keywords are literal text, never compiled as regex (no re.error); one output record",
    "Write a note about programming languages and prices.",
    [K("include_keywords", keywords=REGEX_KEYWORDS)])
add(E, "accept; literal matching, no re.error; one output record",
    "Write about C and C++.",
    [K("forbidden_words", words=["c++", ".", "(", "[", "\\"]), K("keyword_frequency", word="a.b", rel="exactly", n=2)])
add(E, EXP_E, "Write a story in two paragraphs.",
    [K("paragraph_first_word", n=2, nth=2, word="two words")])
add(E, EXP_E, "Write about tea.",
    [K("paragraph_count", n=2, separator="\n\n"), K("start_phrase", phrase="First line\nsecond line")])
add(E, EXP_E, "Write a greeting.",
    [K("postscript", marker="P.P.S"), K("end_phrase", phrase="\u2014 fin \u2014 \U0001F31F")])

# ---- ordinary ----
add(O, EXP_O, "Write a short poem about autumn leaves.",
    [K("lowercase"), K("no_commas"), K("word_count", rel="at_most", n=50)])
add(O, EXP_O, "Give me three tips for budgeting.",
    [K("bullet_count", rel="exactly", n=3), K("include_keywords", keywords=["budget"])])
add(O, EXP_O, "What are the colours of a traffic light?",
    [K("json_format"), K("include_keywords", keywords=["red", "green"])])
add(AMB, "accept; an empty list means 'no explicit constraints' (or falls back to extraction) -- must be documented; one output record",
    "Write a haiku about the sea in all lowercase.",
    [])
add(O, "accept; the given constraints are checked even though the prompt does not mention them; one output record",
    "Tell me about owls.",
    [K("title"), K("postscript"), K("sentence_count", rel="at_least", n=3)])
add(O, EXP_O, "Plan a two-day trip to Lisbon.",
    [K("sections", n=2, marker="Day"), K("highlighted_sections", n=1), K("language", language="english")])

# ---- deliberately invalid (should be rejected with a message) ----
add(INV, EXP_INV, "Write a haiku.", [K("haiku_format", lines=3)])                          # unknown kind
add(INV, EXP_INV, "Write about dogs.", [K("word_count", rel="at_least", n="fifty")])       # n is a string
add(INV, EXP_INV, "Write about cats.", [K("forbidden_words", words="dog, mouse, bird")])   # words not a list
add(INV, EXP_INV, "Write about birds.", [K("bullet_count", rel="roughly", n=3)])          # bad rel
add(INV, EXP_INV, "Choose a colour.", [K("choose_from", options=5), K("letter_frequency", letter="ab", rel="at_least", n=True)])  # options not a list; 2-char letter; bool n
add(INV, EXP_INV, "Write about fish.", ["lowercase", {"type": "no_commas"}])               # constraint not a dict; missing "kind"

assert len(rows) == 60, len(rows)

lines, expected = [], {}
for i, (category, expect, prompt, constraints, extra) in enumerate(rows, 1):
    rid = f"k{i:03d}"
    obj = {"id": rid, "prompt": prompt, "constraints": constraints}
    obj.update(extra)
    line = json.dumps(obj, ensure_ascii=False)
    line = line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\u0085", "\\u0085")
    lines.append(line)
    expected[rid] = {"category": category, "expect": expect}

(HERE / "constraints.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
(HERE / "constraints_expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n",
                                                 encoding="utf-8", newline="\n")
if __name__ == "__main__":
    from collections import Counter
    print(len(lines), "lines;", dict(Counter(v["category"] for v in expected.values())))
