"""OpenAI's chat completions, read and written for the loop: a request becomes (prompt, strategy, adapter, RunConfig),
a run's events become a completion or its chunks. No web server here (irg/views/serve.py serves it); docs/serve.md
is the reference a client reads.

How a request maps onto a run:
- `model` names a strategy, `+adapter` after it drafts with a tuned adapter ("irg_hybrid+gan");
- `max_tokens` (or `max_completion_tokens`) is the draft length, `temperature`, `top_p`, `seed` as in RunConfig;
- the loop's own settings are extra top-level fields with RunConfig's names and validation (what the openai client
  sends for `extra_body`): `max_iters`, `budget`, `time_limit`, `stop_rule`… (`stop` is OpenAI's stop strings, so
  the stop rule is `stop_rule` here);
- the prompt is the last user message (the loop answers one request; earlier turns are said to be unread);
- the answer is the run's final answer; `usage.total_tokens` is every token the run spent (prompt and generated, every
  call, as the budget counts them); the whole run record travels in the extra field `irg`.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field, fields

from irg.engine.config import RunConfig
from irg.engine.errors import ConfigError, UserError
from irg.engine.registry import STRATEGIES

# what each RunConfig field must be in JSON (bool is not a number here, as in RunConfig)
_JSON_TYPES = {"int": (int, float), "float": (int, float), "str": (str,), "bool": (bool,)}
# OpenAI fields the server reads; below, the ones it accepts and leaves alone, and the ones it cannot honour
READ = {"model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature",
        "top_p", "seed", "n", "stop"}
HARMLESS = {"user", "metadata", "store", "service_tier", "parallel_tool_calls", "reasoning_effort", "prediction",
            "web_search_options", "safety_identifier", "prompt_cache_key"}
# fields other OpenAI-compatible servers honour (this project's remote backend sends them): read, not applied
NOT_APPLIED = {"grammar", "min_tokens", "continue_final_message", "add_generation_prompt", "top_k", "repeat_penalty",
               "cache_prompt", "min_p", "typical_p", "ignore_eos", "mirostat", "mirostat_tau", "mirostat_eta",
               "tfs_z", "dry_multiplier", "dry_base", "dry_allowed_length", "xtc_probability", "xtc_threshold",
               "samplers", "n_probs", "best_of", "use_beam_search", "length_penalty", "skip_special_tokens",
               "spaces_between_special_tokens", "include_stop_str_in_output", "echo", "guided_json", "guided_regex",
               "guided_choice", "guided_grammar", "chat_template_kwargs", "json_schema"}
# fields with a neutral value the server accepts; any other value is refused with a sentence
NEUTRAL = {"frequency_penalty": (0, 0.0, None), "presence_penalty": (0, 0.0, None), "logprobs": (False, None),
           "top_logprobs": (0, None), "logit_bias": ({}, None), "tools": ([], None), "functions": ([], None),
           "tool_choice": ("none", "auto", None), "function_call": ("none", "auto", None),
           "modalities": (["text"], None), "audio": (None,),
           "response_format": ({"type": "text"}, None)}
MAX_STOP = 32  # OpenAI takes 4; a run that is itself a client (the remote backend) may send more
# public mode: the limits the app's controls have (app.py's sliders), so a client cannot ask for more than a visitor
PUBLIC_CAPS = {"max_iters": 8, "max_new_tokens": 512, "critic_max_new_tokens": 512, "planner_max_new_tokens": 512}
RENAMED = {"stop_rule": "stop"}  # request field -> RunConfig field, where OpenAI already uses the name
LOOP_FIELDS = {f.name for f in fields(RunConfig)} - {"strategy", "stop"}  # "stop" comes as "stop_rule"


class RequestError(UserError):
    """A request the server refuses: HTTP `status`, an OpenAI error `type`/`code`, and the field at fault."""

    def __init__(self, message: str, param: str | None = None, status: int = 400,
                 kind: str = "invalid_request_error", code: str | None = None):
        super().__init__(message)
        self.param, self.status, self.kind, self.code = param, status, kind, code

    def body(self) -> dict:
        return {"error": {"message": str(self), "type": self.kind, "param": self.param, "code": self.code}}


def model_ids(adapters: list[str]) -> list[str]:
    """What GET /v1/models lists: every registered strategy, and each with every adapter the model has."""
    names = list(STRATEGIES.names())
    return names + [f"{s}+{a}" for a in adapters for s in names]


@dataclass
class ChatRequest:
    """A request as the loop takes it."""

    model: str
    strategy: str
    adapter: str | None
    prompt: str
    config: RunConfig
    stream: bool = False
    include_usage: bool = False
    stop: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what was read and not used, said in the record


def _text(content, where: str) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for p in content:
            if isinstance(p, dict) and p.get("type") == "text" and not isinstance(p.get("text"), str):
                raise RequestError(f"A text part of {where} must have its text as a string in 'text'.", "messages")
            if not isinstance(p, dict) or p.get("type") != "text":
                kind = p.get("type") if isinstance(p, dict) else type(p).__name__
                raise RequestError(f"This server reads text only: {where} holds a part of type '{kind}'.", "messages")
            parts.append(p["text"])
        return "\n".join(parts)
    if content is None:
        return ""
    raise RequestError(f"{where}'s content must be text or a list of text parts.", "messages")


def _prompt(messages) -> tuple[str, list[str]]:
    """The last user message's text, and notices about the messages the loop does not read."""
    if not isinstance(messages, list) or not messages:
        raise RequestError("'messages' must be a non-empty list of {role, content} objects.", "messages")
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str):
            raise RequestError(f"messages[{i}] must be an object with a 'role' and a 'content'.", "messages")
    users = [i for i, m in enumerate(messages) if m["role"] == "user"]
    if not users:
        raise RequestError("The request holds no user message: the loop answers the last one.", "messages")
    last = users[-1]
    prompt = _text(messages[last].get("content"), f"messages[{last}]")
    notices = []
    others = len(messages) - 1
    if others:
        notices.append(f"The loop answers the last user message alone; {others} other message"
                       f"{'s were' if others > 1 else ' was'} not read (system prompts and earlier turns).")
    return prompt, notices


def _checked_types(body: dict) -> None:
    for f in fields(RunConfig):
        name = next((k for k, v in RENAMED.items() if v == f.name), f.name)
        if name in body and body[name] is not None:
            want = _JSON_TYPES[str(f.type)]
            v = body[name]
            if not isinstance(v, want) or (bool not in want and isinstance(v, bool)):
                kind = {"str": "a string", "bool": "true or false"}.get(str(f.type), "a number")
                raise RequestError(f"'{name}' must be {kind} (got {v!r}).", name)


def _strategy(body, adapters: list[str]) -> tuple[str, str, str | None]:
    """(model, strategy, adapter or None) from the model name."""
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise RequestError("'model' is required: one of GET /v1/models (a strategy, e.g. irg_hybrid).", "model")
    if model not in model_ids(adapters):
        raise RequestError(f"The model '{model}' does not exist here: choose a strategy ("
                           f"{', '.join(STRATEGIES.names())}), optionally with +adapter (GET /v1/models lists them).",
                           "model", status=404, code="model_not_found")
    strategy, _, adapter = model.partition("+")
    return model, strategy, adapter or None


def _refusals(body: dict) -> list[str]:
    """Fields the server cannot honour are refused with a sentence; the notices for those it reads and leaves."""
    if "strategy" in body:
        raise RequestError("The model name picks the strategy: send 'model': 'irg_hybrid' (or another strategy), "
                           "not 'strategy'.", "strategy")
    known = READ | HARMLESS | NOT_APPLIED | set(NEUTRAL) | LOOP_FIELDS | set(RENAMED)
    unknown = sorted(k for k in body if k not in known)
    if unknown:
        raise RequestError(f"Unknown field '{unknown[0]}': the loop's settings are {', '.join(sorted(LOOP_FIELDS))} "
                           "and 'stop_rule'.", unknown[0])
    for k, allowed in NEUTRAL.items():
        if k in body and body[k] not in allowed:
            raise RequestError(f"'{k}' is not supported by this server (the loop writes text, one answer a "
                               "request); leave it out.", k)
    if body.get("n") not in (None, 1):
        raise RequestError("'n' must be 1: the loop returns one answer (best_of_n draws several inside a run).", "n")
    applied_not = sorted(k for k in body if k in NOT_APPLIED)
    return [f"Not applied: {', '.join(applied_not)} (the loop lays down its own decoding constraints)."] \
        if applied_not else []


def _settings(body: dict, defaults: dict | None, public: bool) -> dict:
    """RunConfig's fields: the operator's defaults, then the request's own (their JSON types checked first)."""
    tokens = [k for k in ("max_tokens", "max_completion_tokens", "max_new_tokens") if body.get(k) is not None]
    for k in tokens:
        if isinstance(body[k], bool) or not isinstance(body[k], int) or body[k] < 1:
            raise RequestError(f"'{k}' must be a whole number of at least 1 (got {body[k]!r}).", k)
    if len({body[k] for k in tokens}) > 1:
        raise RequestError(f"{' and '.join(tokens)} say different draft lengths; send one.", tokens[1])
    _checked_types(body)
    settings = {k: v for k, v in (defaults or {}).items() if k != "strategy"}
    settings.update({k: body[k] for k in LOOP_FIELDS if body.get(k) is not None})
    if body.get("stop_rule") is not None:
        settings["stop"] = body["stop_rule"]
    if tokens:
        settings["max_new_tokens"] = body[tokens[0]]
    for k, most in (PUBLIC_CAPS.items() if public else ()):
        if isinstance(settings.get(k), (int, float)) and settings[k] > most:
            name = tokens[0] if k == "max_new_tokens" and tokens else k
            raise RequestError(f"'{name}' is at most {most} on this public server (got {settings[k]}).", name)
    return settings


def parse(body, adapters: list[str], defaults: dict | None = None, public: bool = False) -> ChatRequest:
    """The request, or RequestError with one sentence. `defaults`: RunConfig fields the operator set, which the
    request's own fields override; `public`: the app's public limits hold (PUBLIC_CAPS)."""
    if not isinstance(body, dict):
        raise RequestError("The request body must be a JSON object.")
    model, strategy, adapter = _strategy(body, adapters)
    notices = _refusals(body)
    settings = _settings(body, defaults, public)
    try:
        config = RunConfig(strategy=strategy, **settings)
    except ConfigError as err:
        raise RequestError(str(err), _param_of(str(err), body)) from err
    stream = False if body.get("stream") is None else body["stream"]
    if not isinstance(stream, bool):
        raise RequestError("'stream' must be true or false.", "stream")
    opts = {} if body.get("stream_options") is None else body["stream_options"]
    if not isinstance(opts, dict) or not isinstance(opts.get("include_usage", False), bool):
        raise RequestError("'stream_options' must be an object like {\"include_usage\": true}.", "stream_options")
    if opts and not stream:
        raise RequestError("'stream_options' is only for streamed requests ('stream': true).", "stream_options")
    stop = body.get("stop")
    stop = [stop] if isinstance(stop, str) else stop
    if stop is not None and (not isinstance(stop, list) or len(stop) > MAX_STOP
                             or not all(isinstance(s, str) and s for s in stop)):
        raise RequestError(f"'stop' must be a string or a list of up to {MAX_STOP} non-empty strings.", "stop")
    prompt, said = _prompt(body.get("messages"))
    return ChatRequest(model, strategy, adapter, prompt, config, stream, bool(opts.get("include_usage")),
                       stop or [], said + notices)


def _param_of(message: str, body: dict) -> str | None:
    """The request field a RunConfig sentence is about (RunConfig writes a name with spaces), if one is."""
    low = message.lower()
    names = {**{f.name: f.name for f in fields(RunConfig)}, "max_new_tokens": None, "stop": "stop_rule"}
    for k in sorted(names, key=len, reverse=True):
        if k.replace("_", " ") in low or k in low:
            if k == "max_new_tokens":  # said in RunConfig's words; asked as whichever field the request used
                return next((t for t in ("max_tokens", "max_completion_tokens", "max_new_tokens") if t in body), None)
            return names[k]
    return None


def cut_at_stop(answer: str, stop: list[str]) -> tuple[str, bool]:
    """OpenAI's `stop`: the answer up to the first stop string (applied to the final answer), and whether it cut."""
    ends = [i for i in (answer.find(s) for s in stop) if i >= 0]
    return (answer[:min(ends)], True) if ends else (answer, False)


def usage(tokens_total: int, first_prompt_tokens: int) -> dict:
    """`total_tokens`: every token the run spent (what its budget counts). `prompt_tokens`: the request as the model
    first read it (its first draft's prompt); `completion_tokens`: everything else the run spent — drafts, critiques,
    plans, and the prompts they read again. A single pass splits exactly as a plain model server would."""
    prompt = min(first_prompt_tokens, tokens_total)
    return {"prompt_tokens": prompt, "completion_tokens": tokens_total - prompt, "total_tokens": tokens_total}


def new_id() -> str:
    return f"chatcmpl-irg{uuid.uuid4().hex[:24]}"


def completion(cid: str, model: str, answer: str, finish: str, use: dict, record: dict) -> dict:
    return {"id": cid, "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": finish,
                         "logprobs": None}],
            "usage": use, "irg": record}


def chunk(cid: str, model: str, delta: dict | None = None, finish: str | None = None, use: dict | None = None,
          event: dict | None = None) -> dict:
    """One streamed chunk. An event of the run travels with no choices (standard clients skip such chunks, as they
    skip the usage chunk) under `irg`."""
    out = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
           "choices": [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish,
                                                 "logprobs": None}]}
    if use is not None:
        out["usage"] = use
    if event is not None:
        out["irg"] = event
    return out
