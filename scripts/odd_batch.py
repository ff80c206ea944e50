"""Builds a JSONL file of ~150 odd lines (issue 15's trial as a new user would run it): ordinary prompts mixed with
invalid UTF-8, deep nesting, bad ids, duplicate ids, every kind of bad constraint value, lone surrogates, huge and
empty prompts, contradictions and negative counts.  python scripts/odd_batch.py runs/odd/in.jsonl"""
import json
import random
import sys

TOPICS = ["the sea", "a cat", "autumn", "trains", "coffee", "a lighthouse", "bees", "winter", "a library", "rain"]
FORMS = ["Write a haiku about {t}.", "Describe {t} in two sentences without any commas.",
         "Write 3 bullet points about {t}.", "Write about {t} in all lowercase letters.",
         "Tell me about {t}. End your response with 'Is there anything else I can help with?'",
         "Write a short poem about {t}. Include the keywords 'light' and 'day'.",
         "In fewer than 40 words, explain {t}.", "Write a limerick about {t}; wrap your whole answer in double quotes."]
BAD_CONSTRAINTS = [[None], [1], {"kind": ["word_count"]}, [{"kind": "word_count", "rel": "bogus", "n": 5}],
                   [{"kind": "word_count", "rel": "at least", "n": 5}], [{"kind": "word_count", "n": "five"}],
                   [{"kind": "word_count", "n": None}], [{"kind": "include_keywords", "keywords": None}],
                   [{"kind": "include_keywords", "keywords": [1, 2]}], [{"kind": "end_phrase", "phrase": 3}],
                   [{"kind": "repeat_request", "request": None}], [{"kind": "final_answer", "value": 12}],
                   [{"kind": "sections", "n": 2, "marker": None}], [{"kind": "nope"}]]


def main(path: str) -> None:
    rng = random.Random(15)
    lines: list[bytes] = []
    for i in range(100):
        lines.append(json.dumps({"id": f"p{i:03d}", "prompt": rng.choice(FORMS).format(t=rng.choice(TOPICS))}).encode())
    for j, c in enumerate(BAD_CONSTRAINTS):
        lines.append(json.dumps({"id": f"badc{j}", "prompt": "Say hi.", "constraints": c}).encode())
    lines += [b'{"id": "utf", "prompt": "caf\xe9 \xff\xfe"}', b"[" * 100_000, b"{not json", b"",
              json.dumps({"id": None, "prompt": "Say hi."}).encode(),
              json.dumps({"id": "p001", "prompt": "dup"}).encode(),
              json.dumps({"id": "p002", "prompt": "dup again"}).encode(),
              json.dumps({"id": "sur", "prompt": "Say \ud800 hi."}).encode(),
              json.dumps({"id": "empty", "prompt": "   "}).encode(),
              json.dumps({"id": "huge", "prompt": "Summarise this. " + "word " * 20000}).encode(),
              json.dumps({"id": "neg", "prompt": "Write -2 bullet points about bees."}).encode(),
              json.dumps({"id": "contra1",
                          "prompt": "Write in all lowercase letters and in all capital letters about rain."}).encode(),
              json.dumps({"id": "contra2",
                          "prompt": "Write at least 900 words about rain. Use at most 5 words."}).encode(),
              json.dumps({"id": "list", "prompt": ["a", "b"]}).encode(), json.dumps([1, 2, 3]).encode(),
              json.dumps({"id": "emoji", "prompt": "Écris un haïku 🌊 sur la mer."}).encode(),
              json.dumps({"id": "ctrl", "prompt": "Say hi.\x00\x07"}).encode()]
    for k in range(150 - len(lines)):
        lines.append(json.dumps({"id": f"q{k}", "prompt": f"Name {k % 7 + 2} colours."}).encode())
    with open(path, "wb") as fh:
        fh.write(b"\n".join(lines) + b"\n")
    print(f"{len(lines)} lines -> {path}")


if __name__ == "__main__":
    main(sys.argv[1])
