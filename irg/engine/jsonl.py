"""JSON Lines that lose nothing: bad lines are reported and skipped, output is written a whole line at a time,
and a line torn by a killed process is removed before a resumed run appends to the file.

Used by every batch runner (`python -m irg batch`, `irg.bench quality`): one reader, one writer, one repair.
"""
from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import IO, Iterator

MAX_LINE_BYTES = 10_000_000  # a longer line is not a prompt someone meant; decoding it would only cost memory


def rows(path: str | Path, err: IO[str] | None = None, quiet: bool = False) -> list[dict]:
    """Every object of a JSONL file, in order (read_objects without the line numbers). `quiet`: bad lines are skipped
    without a word (a results file whose last line a killed run cut: the line is run again)."""
    return [obj for _, obj in read_objects(path, io.StringIO() if quiet else err)]


def read_objects(path: str | Path, err: IO[str] | None = None) -> Iterator[tuple[int, dict]]:
    """(line number, object) for every line that holds one JSON object. Every other non-blank line is
    reported on `err` with its number and why, and skipped: invalid UTF-8, invalid or too deeply nested JSON,
    a value that is not an object. Opened in binary so one bad byte costs its own line, not the file."""
    err = err or sys.stderr
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if n == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark (Windows editors write one)
            if not raw.strip():
                continue
            why = None
            if len(raw) > MAX_LINE_BYTES:
                why = f"longer than {MAX_LINE_BYTES:,} bytes"
            else:
                try:
                    item = json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError as e:
                    why = f"not valid UTF-8 (byte {e.start} of the line)"
                except json.JSONDecodeError as e:
                    why = f"not valid JSON ({e.msg})"
                except RecursionError:
                    why = "JSON nested too deeply"
                else:
                    if not isinstance(item, dict):
                        why = f"a JSON {type(item).__name__}, not an object"
            if why:
                err.write(f"{path}:{n}: {why}; line skipped\n")
                continue
            yield n, item


def repair_tail(path: str | Path) -> str | None:
    """Drop a last line that a killed writer left unfinished (no final newline, or not JSON). Returns a notice
    saying what was dropped, or None if the file was whole. Only the last line can be torn: writes are whole lines."""
    p = Path(path)
    if not p.exists() or p.stat().st_size == 0:
        return None
    data = p.read_bytes()
    body, sep, last = data.rstrip(b"\n").rpartition(b"\n")
    keep = body + sep if sep else b""
    torn = not data.endswith(b"\n")
    if not torn:
        try:
            json.loads(last.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            torn = True
    if not torn:
        return None
    with open(p, "r+b") as fh:
        fh.truncate(len(keep))
    return f"{p}: dropped a torn last line ({len(data) - len(keep)} bytes, a run killed mid-write); it will run again"


def append_line(fh: IO[str], obj: dict) -> None:
    """One complete line in one write, flushed and synced: a kill can lose a line, never leave half of one.
    Text that is not valid Unicode (a lone surrogate read from an escaped "\\udc80") is written escaped."""
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj, ensure_ascii=True)
    fh.write(line + "\n")
    fh.flush()
    try:
        os.fsync(fh.fileno())
    except OSError:  # a device (/dev/null) cannot be synced, and need not be
        pass


def field_values(path: str | Path, *keys: str) -> set:
    """The set of `keys` tuples (or single values) over the file's whole lines: what a resumed run skips. A record
    marked "retry" (a failure that was not the line's own, errors.retryable) is not done: the line runs again, its
    new record after the old one (readers take the last record of a line)."""
    out = set()
    if not Path(path).exists():
        return out
    for _, r in read_objects(path, err=io.StringIO()):  # a damaged line is simply not done
        if r.get("retry"):
            continue
        try:
            vals = tuple(str(r[k]) for k in keys)
        except KeyError:
            continue
        out.add(vals[0] if len(vals) == 1 else vals)
    return out
