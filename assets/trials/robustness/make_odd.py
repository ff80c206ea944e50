#!/usr/bin/env python3
"""Generate odd_lines.jsonl: 40 physical lines of odd batch-file content.

Written by a second author WITHOUT reading the IRG Lab code. The file is written as raw
bytes on purpose: it starts with a UTF-8 BOM, mixes LF and CRLF endings, contains a line
of more than 1 MB, invalid UTF-8, raw NUL bytes, raw U+2028/U+0085 inside a JSON string,
and its last line has NO trailing newline. Some lines are deliberately not valid JSON.

"Line" below means a chunk of the file split on b"\\n" (40 of them).
Note that str.splitlines() would see MORE than 40 lines (it also splits on \\r, U+2028,
U+0085, \\x1c...), which is one of the things this file checks.

Outputs (next to this script):
  odd_lines.jsonl            the trial file
  odd_lines_expected.json    line number -> {"id", "category", "expect"}
Categories:
  valid      perfectly ordinary line: must yield exactly one output record, never lost
  valid_odd  parses as JSON (Python json module) but content is odd: accept or reject
             with ONE clear message; never crash, never take other lines down with it
  invalid    not a usable record: reject with ONE clear message that names the line number
  blank      empty/whitespace-only line: skip (optionally with a note); not a record
Deterministic: running it twice gives byte-identical output.
Usage: python3 make_odd.py
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
BOM = b"\xef\xbb\xbf"

VALID, ODD, INVALID, BLANK = "valid", "valid_odd", "invalid", "blank"

rows = []  # (bytes_without_newline, eol, id_for_report, category, expect)


def obj(d, eol=b"\n"):
    return json.dumps(d, ensure_ascii=False).encode("utf-8"), eol


def add(raw, eol, rid, category, expect):
    rows.append((raw, eol, rid, category, expect))


E_VALID = "exactly one output record for this id"
E_ODD = "accept or reject with one clear message; no crash; other lines unaffected"
E_INV = "reject with one clear message naming the line; no crash; other lines unaffected"
E_BLANK = "skip (blank line); not counted as a record; no crash"

# 1: BOM then a perfectly valid line
raw, eol = obj({"id": "o001", "prompt": "Write a haiku about rain. Your entire response should be in lowercase letters."})
add(BOM + raw, eol, "o001", VALID, E_VALID + " (the BOM must not end up in the id or break parsing)")

# 2: id is a lone low surrogate written as a JSON escape (json.loads accepts it; it cannot be encoded as UTF-8)
add(b'{"id": "\\udc80", "prompt": "Give me two tips for learning to juggle."}', b"\n", "\\udc80", ODD,
    E_ODD + "; in particular no UnicodeEncodeError when the id is written to an output file/log")

# 3: valid
raw, eol = obj({"id": "o003", "prompt": "List three uses for a paperclip as markdown bullet points. Exactly 3 bullets."})
add(raw, eol, "o003", VALID, E_VALID)

# 4: id is a huge integer
add(b'{"id": 123456789012345678901234567890123456789, "prompt": "Name a famous bridge."}', b"\n",
    "123456789012345678901234567890123456789", ODD, E_ODD + " (id is not a string)")

# 5: id is a float that overflows to inf in Python
add(b'{"id": 1e400, "prompt": "Name a famous tower."}', b"\n", "1e400", ODD, E_ODD + " (id overflows to inf)")

# 6: valid
raw, eol = obj({"id": "o006", "prompt": "Name a famous river and say in one sentence why it matters. Do not use the word 'water'."})
add(raw, eol, "o006", VALID, E_VALID)

# 7: id is a nested object
add(b'{"id": {"a": {"b": [1, 2, {"c": null}]}}, "prompt": "Name a famous lake."}', b"\n",
    "{nested}", ODD, E_ODD + " (id is an object; should most likely be rejected)")

# 8: valid, CRLF
raw, _ = obj({"id": "o008", "prompt": "Write a two-sentence story about a lighthouse. Do not use any commas."})
add(raw, b"\r\n", "o008", VALID, E_VALID + " (CRLF line ending)")

# 9: prompt is only NUL characters (escaped, so valid JSON)
add(b'{"id": "o009", "prompt": "' + b"\\u0000" * 64 + b'"}', b"\n", "o009", ODD,
    E_ODD + " (prompt is 64 NULs; effectively empty)")

# 10: raw NUL bytes inside a JSON string -> not valid JSON (control character)
add(b'{"id": "o010", "prompt": "hello\x00\x00\x00world"}', b"\n", "o010", INVALID,
    E_INV + " (raw NUL bytes inside a string)")

# 11: prompt only zero-width spaces (raw UTF-8)
raw, eol = obj({"id": "o011", "prompt": "\u200b" * 40})
add(raw, eol, "o011", ODD, E_ODD + " (prompt is only U+200B; effectively empty)")

# 12: prompt only U+FEFF (raw UTF-8)
raw, eol = obj({"id": "o012", "prompt": "\ufeff" * 10})
add(raw, eol, "o012", ODD, E_ODD + " (prompt is only U+FEFF; effectively empty)")

# 13: prompt only whitespace and control characters (escaped)
add(b'{"id": "o013", "prompt": "\\t \\r\\n\\u000b\\u000c\\u001b\\u007f\\u0085\\u00a0\\u3000\\u2028\\u0001"}', b"\n",
    "o013", ODD, E_ODD + " (prompt is only whitespace/control characters; effectively empty)")

# 14: valid
raw, eol = obj({"id": "o014", "prompt": "What is the boiling point of water at sea level? Answer in one sentence."})
add(raw, eol, "o014", VALID, E_VALID)

# 15-18: task field with odd values (CRLF)
for n, task in ((15, "MATH"), (16, "poetry"), (17, 5), (18, None)):
    rid = f"o{n:03d}"
    raw, _ = obj({"id": rid, "task": task, "prompt": "What is 12 plus 30?" if n != 16 else "Write a short poem about a fox."})
    note = {"MATH": "task in upper case: either normalised or rejected with a message listing allowed values",
            "poetry": "unknown task name: reject with a message listing allowed values, or fall back with a warning",
            5: "task is a number: reject with a message (wrong type)",
            None: "task is null: most naturally treated like an absent task field"}[task]
    add(raw, b"\r\n", rid, ODD, E_ODD + "; " + note)

# 19: valid
raw, eol = obj({"id": "o019", "prompt": "Suggest a name for a pet goldfish. Wrap your entire response in double quotation marks."})
add(raw, eol, "o019", VALID, E_VALID)

# 20: duplicate of a valid id (o003) with a different prompt
raw, eol = obj({"id": "o003", "prompt": "This line reuses the id o003. Write a limerick about a duck."})
add(raw, eol, "o003", INVALID, "duplicate id: the first o003 (line 3) must be kept; this line rejected or reported with a clear message")

# 21-22: a pair of lines sharing a fresh id
raw, eol = obj({"id": "dup", "prompt": "First line with id dup. Write a tweet about spring."})
add(raw, eol, "dup", ODD, "first occurrence of a duplicated id: either kept (and the second rejected) or both reported; never silently merged or overwritten")
raw, eol = obj({"id": "dup", "prompt": "Second line with id dup. Write a tweet about autumn."})
add(raw, eol, "dup", INVALID, "second occurrence of id dup: reject/report as duplicate with a clear message")

# 23: a line over 1 MB (valid JSON)
big = ("lorem ipsum dolor sit amet " * 40000)  # 1,080,000 characters
raw, eol = obj({"id": "o023", "prompt": "Summarise the following text in one sentence: " + big})
assert len(raw) > 1_000_000
add(raw, eol, "o023", ODD, E_ODD + " (line over 1 MB: accept, or reject as too long; no hang/OOM; the lines after it must still be read)")

# 24-25: blank and whitespace-only lines
add(b"", b"\n", "", BLANK, E_BLANK)
add(b"   \t  ", b"\n", "", BLANK, E_BLANK)

# 26: valid
raw, eol = obj({"id": "o026", "prompt": "Give me a packing list for a day hike with at least 4 bullet points."})
add(raw, eol, "o026", VALID, E_VALID)

# 27: truncated JSON
add(b'{"id": "o027", "prompt": "This line is cut off in the mid', b"\n", "o027", INVALID, E_INV + " (truncated JSON)")

# 28: JSON array instead of an object
add(b'["o028", "Write a poem about a clock."]', b"\n", "o028", INVALID, E_INV + " (array, not an object)")

# 29: valid (arrives right after two bad lines)
raw, eol = obj({"id": "o029", "prompt": "Explain in at most 50 words why leaves change colour in autumn."})
add(raw, eol, "o029", VALID, E_VALID)

# 30: NaN id (Python's json accepts the non-standard literal NaN)
add(b'{"id": NaN, "prompt": "Name a famous mountain."}', b"\n", "NaN", ODD,
    E_ODD + " (id NaN; non-standard JSON that Python's json module accepts)")

# 31: missing prompt
add(b'{"id": "o031"}', b"\n", "o031", INVALID, E_INV + " (no prompt field)")

# 32: prompt is a list
add(b'{"id": "o032", "prompt": ["Write", "a", "poem"]}', b"\n", "o032", INVALID, E_INV + " (prompt is not a string)")

# 33: duplicate keys inside one object (json module keeps the last value)
add(b'{"id": "o033", "id": "o033b", "prompt": "Name a famous painting."}', b"\n", "o033/o033b", ODD,
    E_ODD + " (duplicate key 'id' in one object; if accepted, one record under one id)")

# 34: invalid UTF-8 bytes inside the string
add(b'{"id": "o034", "prompt": "caf\xe9 \xff\xfe latte"}', b"\n", "o034", INVALID,
    E_INV + " (invalid UTF-8; must not abort the whole file with UnicodeDecodeError)")

# 35: comment line
add(b"# this is a comment, not JSON", b"\n", "", INVALID, E_INV + " (comment line; rejecting or skipping with a note are both fine)")

# 36: two objects on one line
add(b'{"id": "o036a", "prompt": "Name a bird."}{"id": "o036b", "prompt": "Name a fish."}', b"\n",
    "o036a/o036b", INVALID, E_INV + " (two JSON objects on one line)")

# 37: trailing comma
add(b'{"id": "o037", "prompt": "Name a tree.",}', b"\n", "o037", INVALID, E_INV + " (trailing comma)")

# 38: valid JSON with raw U+2028 and U+0085 (plus an escaped \x1c) inside the prompt (str.splitlines() would split here)
raw, eol = obj({"id": "o038", "prompt": "Write a short note about rivers.\u2028Use no commas.\u0085Keep it under 40 words.\x1cThanks!"})
assert "\\u001c" in raw.decode("utf-8") and "\u2028" in raw.decode("utf-8")
add(raw, eol, "o038", VALID, E_VALID + " (raw U+2028/U+0085 inside the string must NOT split the record)")

# 39: id with a newline and path traversal
add(b'{"id": "../../etc/passwd\\nx", "prompt": "Name a famous castle."}', b"\n", "../../etc/passwd\\nx", ODD,
    E_ODD + " (if ids are used in file names, nothing may be written outside the output folder)")

# 40: valid, unknown extra field, and NO trailing newline (last line of the file)
raw, _ = obj({"id": "o040", "prompt": "Write a thank-you note to a bus driver in all lowercase letters.", "note": "extra field"})
add(raw, b"", "o040", VALID, E_VALID + " (last line has no trailing newline; extra field 'note' ignored or warned about)")

assert len(rows) == 40, len(rows)
data = b"".join(raw + eol for raw, eol, *_ in rows)
assert data.count(b"\n") == 39 and not data.endswith(b"\n")  # 40 physical lines, last one unterminated

(HERE / "odd_lines.jsonl").write_bytes(data)
expected = {str(i): {"id": rid, "category": cat, "expect": exp}
            for i, (_, _, rid, cat, exp) in enumerate(rows, 1)}
(HERE / "odd_lines_expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=True) + "\n",
                                              encoding="utf-8", newline="\n")
if __name__ == "__main__":
    from collections import Counter
    print(len(rows), "lines,", len(data), "bytes;", dict(Counter(r[3] for r in rows)))
