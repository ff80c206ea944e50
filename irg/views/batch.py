"""`python -m irg batch` and `python -m irg summarize`: every prompt of a JSONL file, one record per line (resumable:
ids already in the output are skipped; a bad line is named and skipped, and only it), and a batch's scores against
the prompts' "gold_constraints". The command line's flags and the single run are irg/views/cli.py.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from irg.engine.config import ConfigError, RunConfig
from irg.engine.errors import InputError, retryable
from irg.engine.record import Recorder


def read_jsonl(path: str, err=None):
    """(id, item) for every usable line. Bad lines are reported with their number and skipped, and only they:
    invalid UTF-8 or JSON, no prompt, an id that is not a string or number, an id seen before on an earlier
    line (the output has one line per id), constraints that are not valid (the message names the field).
    A line's hand-written constraints are checked here, before any model runs, and kept as objects."""
    from irg.engine.constraints import ConstraintError, from_dicts
    from irg.engine.inputs import prompt_problem, task_name
    from irg.engine.jsonl import read_objects

    err = err or sys.stderr
    seen: dict[str, int] = {}
    for n, item in read_objects(path, err):
        def skip(why: str) -> None:
            err.write(f"{path}:{n}: {why.rstrip('.')}; line skipped\n")
        if not isinstance(item.get("prompt"), str) or not item["prompt"].strip():
            skip('needs a non-empty "prompt" string')
            continue
        if (problem := prompt_problem(item["prompt"])) is not None:
            skip(f'"prompt": {problem[0].lower()}{problem[1:]}')
            continue
        rid = item.get("id", f"line-{n}")
        if (isinstance(rid, bool) or not isinstance(rid, (str, int, float))
                or (isinstance(rid, str) and not rid.strip())):
            skip(f'"id" must be a non-empty string or a number, not {json.dumps(rid)}')
            continue
        if isinstance(rid, float) and not math.isfinite(rid):
            skip(f'"id" must be a finite number, not {rid}')
            continue
        rid = str(int(rid)) if isinstance(rid, float) and rid.is_integer() else str(rid)  # 1.0 is the id 1
        if not _valid_text(rid):
            skip(f'"id" {json.dumps(rid)} holds characters that are not valid text (a lone surrogate)')
            continue
        try:
            item["task"] = task_name(item.get("task"))
        except InputError as e:
            skip(str(e))
            continue
        if rid in seen:
            skip(f"duplicate id {rid!r} (first on line {seen[rid]})")
            continue
        seen[rid] = n
        if "constraints" in item and item["constraints"] is not None:
            try:
                item["constraints"] = from_dicts(item["constraints"])
            except ConstraintError as e:
                skip(str(e))
                continue
        yield rid, item


MAX_JOBS = 64  # prompts at once (the model server has 8 slots; more wait their turn)


def check_batch_files(args) -> None:
    """The batch's files and --n-jobs, before any model loads: every problem is a sentence naming the path."""
    if not 1 <= args.n_jobs <= MAX_JOBS:
        raise ConfigError(f"--n-jobs must be between 1 and {MAX_JOBS}, not {args.n_jobs}.")
    if not os.path.isfile(args.inp):
        raise ConfigError(f"No such input file: {args.inp}")
    out = args.out
    if os.path.isdir(out):
        raise ConfigError(f"The output '{out}' is a folder; give a file path such as "
                          f"{os.path.join(out, 'results.jsonl')}.")
    if not os.path.exists(out):  # checked without creating it: a model that fails to load leaves no empty file
        parent = os.path.dirname(os.path.abspath(out))
        if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
            raise ConfigError(f"The output file '{out}' cannot be written (its folder {parent} does not exist or is "
                              "not writable).")
        return
    if os.path.samefile(out, args.inp):
        raise ConfigError(f"The output '{out}' is the input file; give another path.")
    try:
        with open(out, "a", encoding="utf-8"):
            pass
    except OSError as e:
        raise ConfigError(f"The output file '{out}' cannot be written ({e.strerror or e}).") from None


def _valid_text(s: str) -> bool:
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def run_batch(args, backend, config: RunConfig, err=None) -> int:
    """Every line's run is isolated: an error in one becomes an error record for its id and the batch goes on.
    Resumable: ids already done are skipped (field_values: not those marked "retry"); a line torn by a killed run is
    dropped first."""
    from irg.engine.jsonl import append_line, field_values, repair_tail
    from irg.engine.strategies import run

    err = err or sys.stderr
    if (torn := repair_tail(args.out)) is not None:
        err.write(torn + "\n")
    done = field_values(args.out, "id")
    todo = [(i, item) for i, item in read_jsonl(args.inp, err) if i not in done]
    err.write(f"{len(done)} already in {args.out}; {len(todo)} to run with {config.strategy}\n")
    lock = threading.Lock()
    counter = {"n": 0, "errors": 0}

    def one(job, fh):
        rid, item = job
        rec = Recorder(rid)
        try:
            for _ in rec.wrap(run(item["prompt"], backend, config, constraints=item.get("constraints"),
                                  task=item.get("task"))):
                pass
            row, line = rec.record, (
                f"score {rec.record['iterations'][-1]['score'] if rec.record['iterations'] else 0:.2f}, "
                f"{rec.record['tokens_total']} tokens, {rec.record['seconds']:.1f}s, {rec.record['stop_reason']}")
        except InputError as e:  # the prompt itself: the message is for the user as is
            row, line = {"id": rid, "strategy": config.strategy, "error": str(e)}, f"error: {e}"
        except Exception as e:  # noqa: BLE001 — one line's failure must not end the batch; it is recorded
            msg = f"{type(e).__name__}: {e}"
            row, line = {"id": rid, "strategy": config.strategy, "error": msg}, f"error: {msg}"
            if retryable(e):  # not the line's own doing: a resumed batch runs it again
                row["retry"] = True
        with lock:
            append_line(fh, row)
            counter["n"] += 1
            counter["errors"] += "error" in row
            err.write(f"[{counter['n']}/{len(todo)}] {rid}: {line}\n")

    with open(args.out, "a", encoding="utf-8") as fh:
        with ThreadPoolExecutor(max_workers=max(1, args.n_jobs)) as pool:
            list(pool.map(lambda job: one(job, fh), todo))
    if counter["errors"]:
        err.write(f"{counter['errors']} of {len(todo)} lines ended in an error; "
                  f"each has an error record in {args.out}\n")
    return 0


def summarize_cmd(args: argparse.Namespace) -> int:
    """python -m irg summarize --in prompts.jsonl results.jsonl [...]: scores against "gold_constraints"."""
    from irg.engine.constraints import ConstraintError, from_dicts
    from irg.engine.jsonl import read_objects
    from irg.evaluation.metrics import score_records

    gold = {}
    for i, item in read_jsonl(args.inp):
        if isinstance(item.get("gold_constraints"), list):
            try:
                from_dicts(item["gold_constraints"])
                gold[i] = item["gold_constraints"]
            except ConstraintError as e:
                sys.stderr.write(f"{args.inp}: id {i}: gold_constraints: {e}; not scored\n")
    cols = ["strategy", "n", "errors", "prompt_level", "constraint_level", "first_draft_prompt_level", "mean_tokens",
            "mean_seconds", "mean_iterations", "extraction_exact"]
    print("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for path in args.results:
        last = {str(r.get("id")): r for _, r in read_objects(path)}  # a line run again after a "retry" record: its last
        try:
            s = score_records(list(last.values()), gold)
        except (ValueError, KeyError, TypeError) as e:  # a record of another shape: the file, not a bug, is wrong
            raise InputError(f"{path} does not hold batch records ({e!r}).") from e
        print("| " + " | ".join(f"{s.get(c, ''):.3f}" if isinstance(s.get(c), float) else str(s.get(c, ""))
                                for c in cols) + " |")
    return 0
