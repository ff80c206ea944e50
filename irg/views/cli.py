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
import sys
from dataclasses import fields

from irg.engine import events as etypes  # the event types (ev is an event)
from irg.engine.compose.constraint import said
from irg.engine.config import ConfigError, RunConfig
from irg.engine.errors import UserError
from irg.engine.inputs import check_prompt
from irg.engine.models import DEFAULT_BACKEND, adapters, backend_choices
from irg.engine.registry import ADAPTERS, PLANNERS, STOP_RULES, STRATEGIES
from irg.views import plugins
from irg.views.batch import check_batch_files, run_batch, summarize_cmd

HELP = {
    "strategy": "how the answer is made", "planner": "template instructions, the model's own, or preference (template "
                                                     "instructions plus a worse/better example pair)",
    "max_iters": "IRG iterations, or candidates for best_of_n / self_consistency",
    "budget": "token budget for the whole run (0 = none)", "time_limit": "seconds for the whole run (0 = none)",
    "final": "best (best-so-far, default) or last", "temperature": "0 = greedy",
    "stop": "fixed (no critical finding left, or max iters), plateau (also when the best score did not rise), "
            "or adaptive (also when a learned model expects too little gain per token)",
    "structure": "instructions | masks | scaffolds | render | slots: what a revision may use (each includes the "
                 "ones before): instructions only; + decoding masks; + scaffolds and grammars; + lossless rendering; "
                 "+ slots the program opens and the model fills (default)",
    "candidates": "drafts per IRG revision (1-4): ranked by constraints met, then mean log-probability",
    "hybrid_critic": "always, or when_rules_pass: irg_hybrid asks the model critic only once the rules find "
                     "nothing critical",
    "repetition_penalty": "drafts: 1 = none; above 1 a token already written is less likely",
}


REGISTERED = {"strategy": STRATEGIES, "planner": PLANNERS, "stop": STOP_RULES}  # fields named from a registry


def add_config_flags(p: argparse.ArgumentParser, skip: tuple = ()) -> None:
    """One flag per RunConfig field, so the CLI and the dataclass never drift apart; a field chosen from a registry
    lists the names registered when the parser is built (a plugin's strategy shows up in --help)."""
    for f in fields(RunConfig):
        if f.name in skip:
            continue
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
                w("constraints found in the prompt: " + ", ".join(said(c, plain=False) for c in ev.constraints) + "\n")
            if ev.unchecked:
                w("the rules do not check: " + "; ".join(repr(u) for u in ev.unchecked) + "\n")
        elif isinstance(ev, etypes.Outlined):
            w(f"\n── draft {ev.iteration}: {ev.label}\n"
              + (f"   outline ({ev.tokens} tokens):\n" if ev.tokens else "   no outline: the budget leaves no room\n")
              + "".join(f"   {k}. {o or '(left out: it copied an earlier line)'}\n"
                        for k, o in enumerate(ev.openings, 1)))
        elif isinstance(ev, etypes.DraftToken):
            if not streaming:
                w(f"\n── draft {ev.iteration} ──\n")
                streaming = True
            w(ev.text)
        elif isinstance(ev, etypes.DraftDone):
            if not streaming:  # a batched candidate: no tokens were streamed
                w(f"\n── draft {ev.iteration} ──\n{ev.text}")
            streaming = False
            w(f"\n   [{ev.prompt_tokens} prompt + {ev.completion_tokens} generated tokens, {ev.seconds:.1f}s, "
              f"{ev.finish_reason}]\n")
        elif isinstance(ev, etypes.Candidates):
            w("── candidates: " + "; ".join(f"{'*' if j == ev.chosen else ''}{it['constraints_met']} met, log-prob "
                                          f"{it['mean_logprob']}" for j, it in enumerate(ev.items)) + "\n")
        elif isinstance(ev, etypes.Rendered):
            w("── " + (", ".join(st["label"] for st in ev.steps) or "no slot kept")
              + (f" ({ev.tokens} tokens for slots)" if ev.tokens else "")
              + f" (the model wrote: {ev.before[:80]!r}…)\n")
        elif isinstance(ev, etypes.CritiqueDone):
            r = ev.report
            w(f"── critique {ev.iteration}: score {r['score']:.2f}" + (f", {ev.tokens} tokens" if ev.tokens else "")
              + "\n")
            for f in r["findings"]:
                w(f"   [{f['severity']}/{f['source']}] {f['check']}: {f['message']}"
                  + (f" ({f['where']})" if f["where"] else "") + "\n")
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
            w(f"── iteration {ev.iteration} done: score {ev.score:.2f}, {ev.tokens_cum} tokens so far, "
              f"{ev.seconds_cum:.1f}s\n")
        elif isinstance(ev, etypes.Stopped):
            w(f"\nstopped: {ev.reason}" + (f" ({ev.detail})" if ev.detail else "") + "\n")
        elif isinstance(ev, etypes.Final):
            w(f"\n══ final answer ({ev.mode}: iteration {ev.best_iteration if ev.mode == 'best' else 'last'}, "
              f"score {ev.best_score if ev.mode == 'best' else ev.last_score:.2f}, {ev.tokens_total} tokens, "
              f"{ev.seconds:.1f}s) ══\n")
            if ev.unusable:
                w("(the model did not produce a usable answer: every draft it could return was debris — "
                  f"{ev.unusable})\n")
            if ev.broken_ban:
                w(f"(the answer breaks a ban the loop enforced: {ev.broken_ban})\n")
            w(ev.answer + "\n")


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
    """python -m irg batch --in prompts.jsonl --out results.jsonl: every prompt, resumable (irg/views/batch.py)."""
    config = config_from(args)
    check_batch_files(args)
    from irg.engine.models import get_backend

    return run_batch(args, get_backend(args.model, args.backend), config)


def _model_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="bundled",
                   help="'bundled', a Hugging Face id, a local path, or an OpenAI-compatible server URL")
    p.add_argument("--backend", default=DEFAULT_BACKEND, choices=backend_choices(),
                   help="auto = llama.cpp for GGUF models (fast), transformers otherwise")


def parser() -> argparse.ArgumentParser:
    """The commands and their flags; the run settings are RunConfig's fields, the registries' names as they are now."""
    p = argparse.ArgumentParser(prog="python -m irg",
                                description="Iterative Reflexive Generation with small language models.")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help='one prompt, live (the default: `python -m irg "prompt"`)')
    r.add_argument("prompt", help="the request (use quotes)")
    r.add_argument("--json", action="store_true", help="print events as JSON lines instead of text")
    _model_flags(r)
    r.add_argument("--adapter", default=None,
                   help="drafts from the model with a tuned adapter: a shipped one by name "
                        f"({', '.join(ADAPTERS.names())}), or a path to an adapter .safetensors file or LoRA folder")
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
    v = sub.add_parser("serve", help="an OpenAI-compatible endpoint: the model name picks the strategy (docs/serve.md)")
    v.add_argument("--host", default="127.0.0.1", help="where to listen (0.0.0.0: every interface)")
    v.add_argument("--port", type=int, default=8000)
    _model_flags(v)
    v.add_argument("--adapter", default=None, help="one more adapter to offer as strategy+name (a shipped one by name "
                                                   "or a path); the model's shipped adapters are offered anyway")
    v.add_argument("--app", action="store_true", help="also serve the app at / from the same process (one model, "
                                                     "one set of lanes)")
    v.add_argument("--lanes", type=int, default=None, help="runs at once, shared with the app (default 8, "
                                                          "or IRG_RUN_LANES)")
    add_config_flags(v, skip=("strategy",))  # the request's model picks the strategy; these are the defaults
    v.set_defaults(func=serve_cmd)
    return p


def serve_cmd(args: argparse.Namespace) -> int:
    """python -m irg serve: the endpoint (irg/views/serve.py), the run settings given here as request defaults."""
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535 (got {args.port}).")
    if args.lanes is not None and args.lanes < 1:
        raise ConfigError(f"--lanes must be at least 1 (got {args.lanes}).")
    defaults = {f.name: getattr(args, f.name) for f in fields(RunConfig) if f.name != "strategy"}
    RunConfig(**defaults)  # a bad default is a sentence now, not in every request
    from irg.views import serve

    return serve.main(serve.load(args.model, args.backend, args.adapter, defaults), args.host, args.port,
                      args.app, args.lanes)


COMMANDS = ("run", "batch", "summarize", "serve")


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
