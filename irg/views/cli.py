"""Command line: one prompt with live output, a resumable batch over a JSONL file, or a batch's scores.

    python -m irg "prompt" --model bundled --strategy irg_hybrid --max-iters 4 --budget 2000   # = python -m irg run …
    python -m irg batch --in prompts.jsonl --out results.jsonl --strategy irg_hybrid
    python -m irg summarize --in prompts.jsonl results.jsonl

Three argparse subcommands, each naming the function that runs it (`set_defaults(func=...)`); a prompt with no
command before it is `run` (the form the CLI always had).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields

from irg.engine import events as etypes  # the event types (ev is an event)
from irg.engine.config import ConfigError, RunConfig
from irg.engine.errors import InputError, UserError, retryable
from irg.engine.inputs import check_prompt
from irg.engine.models import DEFAULT_BACKEND, adapters, backend_choices
from irg.engine.record import Recorder
from irg.engine.registry import ADAPTERS, PLANNERS, STOP_RULES, STRATEGIES
from irg.views import plugins

HELP = {
    "strategy": "how the answer is made", "planner": "template instructions, the model's own, or preference (template "
                                                     "instructions plus a worse/better example pair)",
    "max_iters": "IRG iterations, or candidates for best_of_n / self_consistency",
    "budget": "token budget for the whole run (0 = none)", "time_limit": "seconds for the whole run (0 = none)",
    "final": "best (best-so-far, default) or last", "temperature": "0 = greedy",
    "stop": "fixed (no critical finding left, or max iters), plateau (also when the best score did not rise), or adaptive "
            "(also when a learned model expects too little gain per token)",
    "structure": "instructions | masks | scaffolds | render | slots: what a revision may use (each includes the ones "
                 "before): instructions only; + decoding masks; + scaffolds and grammars; + lossless rendering; + slots "
                 "the program opens and the model fills (default)",
    "candidates": "drafts per IRG revision (1-4): ranked by constraints met, then mean log-probability",
    "hybrid_critic": "always, or when_rules_pass: irg_hybrid asks the model critic only once the rules find nothing critical",
    "repetition_penalty": "drafts: 1 = none; above 1 a token already written is less likely",
}


REGISTERED = {"strategy": STRATEGIES, "planner": PLANNERS, "stop": STOP_RULES}  # fields named from a registry


def add_config_flags(p: argparse.ArgumentParser) -> None:
    """One flag per RunConfig field, so the CLI and the dataclass never drift apart; a field chosen from a registry
    lists the names registered when the parser is built (a plugin's strategy shows up in --help)."""
    for f in fields(RunConfig):
        flag = "--" + f.name.replace("_", "-")
        helptext = HELP.get(f.name)
        if f.name in REGISTERED:
            helptext = f"{helptext}: one of {', '.join(REGISTERED[f.name].names())}"
        if f.type in ("bool", bool):
            p.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default, help=helptext)
        else:
            typ = {"int": int, "float": float, "str": str}.get(str(f.type), str)
            p.add_argument(flag, type=typ, default=f.default, help=helptext)


def config_from(args: argparse.Namespace) -> RunConfig:
    return RunConfig(**{f.name: getattr(args, f.name) for f in fields(RunConfig)})


def print_events(events, out=None) -> None:
    """Human-readable live view of a run."""
    out = out or sys.stdout
    streaming = False  # inside a draft whose tokens are being printed

    def w(s=""):
        out.write(s)
        out.flush()
    for ev in events:
        if isinstance(ev, etypes.RunStarted):
            w(f"model {ev.model} · strategy {ev.strategy}\n")
            for n in ev.notices:
                w(f"note: {n}\n")
            if ev.constraints:
                w("constraints found in the prompt: " + ", ".join(c["kind"] for c in ev.constraints) + "\n")
            if ev.unchecked:
                w("the rules do not check: " + "; ".join(repr(u) for u in ev.unchecked) + "\n")
        elif isinstance(ev, etypes.DraftToken):
            if not streaming:
                w(f"\n── draft {ev.iteration} ──\n")
                streaming = True
            w(ev.text)
        elif isinstance(ev, etypes.DraftDone):
            if not streaming:  # a batched candidate: no tokens were streamed
                w(f"\n── draft {ev.iteration} ──\n{ev.text}")
            streaming = False
            w(f"\n   [{ev.prompt_tokens} prompt + {ev.completion_tokens} generated tokens, {ev.seconds:.1f}s, {ev.finish_reason}]\n")
        elif isinstance(ev, etypes.Candidates):
            w("── candidates: " + "; ".join(f"{'*' if j == ev.chosen else ''}{it['constraints_met']} met, log-prob "
                                          f"{it['mean_logprob']}" for j, it in enumerate(ev.items)) + "\n")
        elif isinstance(ev, etypes.Rendered):
            w("── " + (", ".join(st["label"] for st in ev.steps) or "no slot kept")
              + (f" ({ev.tokens} tokens for slots)" if ev.tokens else "") + f" (the model wrote: {ev.before[:80]!r}…)\n")
        elif isinstance(ev, etypes.CritiqueDone):
            r = ev.report
            w(f"── critique {ev.iteration}: score {r['score']:.2f}" + (f", {ev.tokens} tokens" if ev.tokens else "") + "\n")
            for f in r["findings"]:
                w(f"   [{f['severity']}/{f['source']}] {f['check']}: {f['message']}" + (f" ({f['where']})" if f["where"] else "") + "\n")
            if not r["findings"]:
                w("   no findings\n")
        elif isinstance(ev, etypes.PlanDone):
            w(f"── plan {ev.iteration} ({ev.plan['source']}" + (f", {ev.tokens} tokens" if ev.tokens else "") + ")\n")
            for i in ev.plan["instructions"]:
                w(f"   - {i}\n")
            for c in ev.plan.get("scaffold", []):
                w(f"   scaffold: {c}\n")
            for c in ev.plan["constraints_text"]:
                w(f"   decoding: {c}\n")
            for c in ev.plan.get("conflicts", []):
                w(f"   conflict: {c}\n")
            for c in ev.plan.get("out_of_reach", []):
                w(f"   out of reach: {c}\n")
            for c in ev.plan.get("relaxed", []):
                w(f"   relaxed after a degenerate draft: {c}\n")
            if ev.plan.get("redraft"):
                w(f"   redraft: {ev.plan['redraft']}\n")
        elif isinstance(ev, etypes.IterationDone):
            w(f"── iteration {ev.iteration} done: score {ev.score:.2f}, {ev.tokens_cum} tokens so far, {ev.seconds_cum:.1f}s\n")
        elif isinstance(ev, etypes.Stopped):
            w(f"\nstopped: {ev.reason}" + (f" ({ev.detail})" if ev.detail else "") + "\n")
        elif isinstance(ev, etypes.Final):
            w(f"\n══ final answer ({ev.mode}: iteration {ev.best_iteration if ev.mode == 'best' else 'last'}, "
              f"score {ev.best_score if ev.mode == 'best' else ev.last_score:.2f}, {ev.tokens_total} tokens, {ev.seconds:.1f}s) ══\n")
            if ev.unusable:
                w(f"(the model did not produce a usable answer: every draft it could return was debris — {ev.unusable})\n")
            w(ev.answer + "\n")


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
        if isinstance(rid, bool) or not isinstance(rid, (str, int, float)) or (isinstance(rid, str) and not rid.strip()):
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
        raise ConfigError(f"The output '{out}' is a folder; give a file path such as {os.path.join(out, 'results.jsonl')}.")
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
            for _ in rec.wrap(run(item["prompt"], backend, config, constraints=item.get("constraints"), task=item.get("task"))):
                pass
            row, line = rec.record, (f"score {rec.record['iterations'][-1]['score'] if rec.record['iterations'] else 0:.2f}, "
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
        err.write(f"{counter['errors']} of {len(todo)} lines ended in an error; each has an error record in {args.out}\n")
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
    cols = ["strategy", "n", "errors", "prompt_level", "constraint_level", "first_draft_prompt_level", "mean_tokens", "mean_seconds",
            "mean_iterations", "extraction_exact"]
    print("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for path in args.results:
        last = {str(r.get("id")): r for _, r in read_objects(path)}  # a line run again after a "retry" record: its last
        try:
            s = score_records(list(last.values()), gold)
        except (ValueError, KeyError, TypeError) as e:  # a record of another shape: the file, not a bug, is wrong
            raise InputError(f"{path} does not hold batch records ({e!r}).") from e
        print("| " + " | ".join(f"{s.get(c, ''):.3f}" if isinstance(s.get(c), float) else str(s.get(c, "")) for c in cols) + " |")
    return 0


def run_cmd(args: argparse.Namespace) -> int:
    """python -m irg run "prompt": one run, its events printed as they come (or as JSON lines)."""
    config = config_from(args)
    check_prompt(args.prompt)  # before a model loads
    from irg.engine.models import get_backend
    from irg.engine.strategies import run

    backend = get_backend(args.model, args.backend)
    drafter = None
    if args.adapter:
        hooks = adapters()
        if hooks is None:
            raise ConfigError("--adapter needs the tuning package (tuning/), which is not installed.")
        drafter = hooks.draft_backend(args.model, args.adapter, args.backend)
        if getattr(drafter, "note", ""):
            print(f"note: {drafter.note}", file=sys.stderr)
    events = run(args.prompt, backend, config, draft_backend=drafter)
    if args.json:
        for ev in events:
            print(json.dumps(ev.to_dict(), ensure_ascii=False), flush=True)
    else:
        print_events(events)
    return 0


def batch_cmd(args: argparse.Namespace) -> int:
    """python -m irg batch --in prompts.jsonl --out results.jsonl: every prompt, resumable."""
    config = config_from(args)
    check_batch_files(args)
    from irg.engine.models import get_backend

    return run_batch(args, get_backend(args.model, args.backend), config)


def _model_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="bundled", help="'bundled', a Hugging Face id, a local path, or an OpenAI-compatible server URL")
    p.add_argument("--backend", default=DEFAULT_BACKEND, choices=backend_choices(),
                   help="auto = llama.cpp for GGUF models (fast), transformers otherwise")


def parser() -> argparse.ArgumentParser:
    """The commands and their flags; the run settings are RunConfig's fields, the registries' names as they are now."""
    p = argparse.ArgumentParser(prog="python -m irg", description="Iterative Reflexive Generation with small language models.")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help='one prompt, live (the default: `python -m irg "prompt"`)')
    r.add_argument("prompt", help="the request (use quotes)")
    r.add_argument("--json", action="store_true", help="print events as JSON lines instead of text")
    _model_flags(r)
    r.add_argument("--adapter", default=None,
                   help=f"drafts from the model with a tuned adapter: a shipped one by name ({', '.join(ADAPTERS.names())}), "
                        "or a path to an adapter .safetensors file or LoRA folder")
    add_config_flags(r)
    r.set_defaults(func=run_cmd)
    b = sub.add_parser("batch", help="every prompt of a JSONL file, one record per line (resumable)")
    b.add_argument("--in", dest="inp", required=True, help='JSONL: {"id": ..., "prompt": ...} per line')
    b.add_argument("--out", required=True, help="JSONL results; ids already there are skipped (resumable)")
    b.add_argument("--n-jobs", type=int, default=1, help="prompts run at once (they share one model)")
    _model_flags(b)
    add_config_flags(b)
    b.set_defaults(func=batch_cmd)
    s = sub.add_parser("summarize", help='batch results scored against the prompts\' "gold_constraints"')
    s.add_argument("--in", dest="inp", required=True, help='prompts JSONL with "gold_constraints" per line')
    s.add_argument("results", nargs="+", help="batch output files")
    s.set_defaults(func=summarize_cmd)
    return p


COMMANDS = ("run", "batch", "summarize")


def main(argv=None) -> int:
    plugins.load()  # the tuned adapters register with the engine (--adapter)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["run", *argv]  # a prompt alone is a run, as it always was
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return 130
    except (UserError, OSError) as e:  # every expected failure has a sentence for the user; anything else is a bug
        sys.stderr.write(f"error: {e}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
