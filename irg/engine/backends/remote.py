"""An OpenAI-compatible server as a backend: a bigger model on a GPU box, or replicas behind a balancer.

Speaks /v1/chat/completions with streaming; token counts come from the server's
`usage` (exact). Before a request, prompt tokens are counted with the model's
tokenizer when one is given, else estimated (used only to size requests to a budget).

Decoding constraints are sent as the fields servers understand: stop strings,
`max_tokens`, an assistant prefill for a forced prefix (llama.cpp continues it;
vLLM with `continue_final_message`), `min_tokens` (vLLM), and for banned
characters or letter case a GBNF `grammar` (llama.cpp servers). Tested against
llama.cpp's HTTP server.
"""
from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time

import httpx

from irg.engine.access import Access
from irg.engine.backends import (
    STALL_SECONDS,
    Backend,
    BackendError,
    Generation,
    GenerationStream,
    GenRequest,
    OnPiece,
    elapsed,
    relay,
    watchdog_deadline,
)
from irg.engine.decoding import DecodingConstraints
from irg.engine.errors import ModelError

log = logging.getLogger(__name__)

CHARS_PER_TOKEN = 3.5  # estimate for prompt sizing when no tokenizer is known
PROBE_SECONDS = 10.0  # asking a server for its models is quick, or the server is not answering


def _shown(url: str) -> str:
    """The URL without a user:password part, for the screen and the record."""
    scheme, sep, rest = url.partition("://")
    return scheme + sep + rest.rpartition("@")[2] if "@" in rest.split("/", 1)[0] else url


def gbnf_for(c: DecodingConstraints) -> str | None:
    """A grammar allowing any text without the banned characters / letters (llama.cpp GBNF)."""
    banned = "".join(c.banned_chars)
    if c.lowercase_only:
        banned += "A-Z"
    if c.uppercase_only:
        banned += "a-z"
    if not banned:
        return None
    esc = banned.replace("\\", "\\\\").replace("]", "\\]").replace("^", "\\^").replace('"', '\\"')
    esc = esc.replace("\n", "\\n").replace("-", "\\-").replace("A\\-Z", "A-Z").replace("a\\-z", "a-z")
    return f"root ::= [^{esc}]*"


class RemoteBackend(Backend):
    name = "remote"

    @classmethod
    def unusable(cls, spec) -> str | None:
        if spec.source != "remote":
            return (f"The remote backend serves an OpenAI-compatible server's address (http://…); "
                    f"'{spec.name}' is not one.")
        return None

    @classmethod
    def load(cls, spec) -> "RemoteBackend":
        url, _, model = spec.path.partition("#")  # "#model" picks one of the server's models
        access = Access.from_env()
        key = access.credential_for(url)
        if key is None and os.environ.get("IRG_API_KEY"):
            log.warning("IRG_API_KEY is not sent to %s: the key goes only to the servers listed in IRG_SERVERS.", url)
        try:
            return cls(url, model or None, key)
        except BackendError as e:
            raise ModelError(str(e)) from e

    def __init__(self, base_url: str, model: str | None = None, api_key: str | None = None, tokenizer=None,
                 context_length: int = 8192, timeout: float = STALL_SECONDS):

        self.base = base_url.rstrip("/")
        if not self.base.endswith("/v1"):
            self.base += "/v1"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout = timeout  # read timeout: a server silent this long is stuck
        # never follow a redirect: a server must not send the request (and its key) on to another address
        self.client = httpx.Client(timeout=httpx.Timeout(timeout, connect=5.0), headers=headers, follow_redirects=False)
        self.tokenizer = tokenizer
        self.context_length = context_length
        try:
            self.model = model or self.client.get(f"{self.base}/models", timeout=PROBE_SECONDS).json()["data"][0]["id"]
        except Exception as e:
            raise BackendError(f"The server at {_shown(base_url)} did not answer as an OpenAI-compatible API "
                               f"({type(e).__name__}).") from e
        self.model_id = f"{self.model} @ {_shown(base_url)}"

    # ---- counting (exact with a tokenizer, else an estimate) -----------------------------
    def count_tokens(self, text: str) -> int:
        if self.tokenizer is not None:
            return len(self.tokenizer.encode(text))
        return max(1, round(len(text) / CHARS_PER_TOKEN))

    def count_prompt_tokens(self, req: GenRequest) -> int:
        if self.tokenizer is not None:
            return len(self.tokenizer.encode(self.tokenizer.apply_chat_template(req.messages)
                                             + req.constraints.forced_prefix))
        return (sum(self.count_tokens(m["content"]) + 4 for m in req.messages)
                + self.count_tokens(req.constraints.forced_prefix))

    def truncate(self, text: str, max_tokens: int) -> str:
        if self.tokenizer is not None:
            ids = self.tokenizer.encode(text)
            return text if len(ids) <= max_tokens else self.tokenizer.decode(ids[:max_tokens])
        return text[: int(max_tokens * CHARS_PER_TOKEN)]

    # ---- generation -----------------------------------------------------------
    def _body(self, req: GenRequest) -> dict:
        c = req.constraints
        msgs = list(req.messages)
        body: dict = {"model": self.model, "stream": True, "stream_options": {"include_usage": True},
                      "max_tokens": min(req.max_new_tokens, c.max_new_tokens or req.max_new_tokens),
                      "temperature": req.temperature, "top_p": req.top_p if req.temperature > 0 else 1.0}
        if req.seed is not None:
            body["seed"] = req.seed
        if c.forced_prefix:  # the server continues a final assistant message
            msgs.append({"role": "assistant", "content": c.forced_prefix})
            body.update(continue_final_message=True, add_generation_prompt=False)
        body["messages"] = msgs
        if c.min_new_tokens:
            body["min_tokens"] = c.min_new_tokens
        grammar = gbnf_for(c)
        if grammar:
            body["grammar"] = grammar
        return body

    def _pieces(self, req: GenRequest, cancel: threading.Event, stream: GenerationStream):
        t0 = time.perf_counter()
        q: queue.Queue = queue.Queue()
        state = {"text": "", "chunks": 0, "finish": None, "usage": None, "error": None, "stopped": False}
        stops = list(req.constraints.stop_strings)  # matched here, as llama.cpp's are: a server would cut them off

        body = self._body(req)
        deadline = time.monotonic() + watchdog_deadline(body["max_tokens"])

        def work():
            try:
                with self.client.stream("POST", f"{self.base}/chat/completions", json=body) as r:
                    if r.status_code != 200:  # the reply's text goes to the server log, never to the user
                        said = r.read().decode(errors="replace")[:500]
                        log.warning("the model server %s answered HTTP %s: %s", self.base, r.status_code, said)
                        state["error"] = f"it answered HTTP {r.status_code} (details in the server log)"
                        return
                    for line in r.iter_lines():
                        if cancel.is_set():
                            return  # leaving the block closes the connection: the server stops generating
                        if time.monotonic() > deadline:
                            state["error"] = "the request took longer than its limit (watchdog)"
                            return
                        if not line.startswith("data:"):
                            continue
                        data = line[5:].strip()
                        if data == "[DONE]":
                            break
                        chunk = json.loads(data)
                        if chunk.get("error"):  # a failure after the stream began (OpenAI sends it so)
                            log.warning("the model server %s sent an error: %s", self.base, str(chunk["error"])[:500])
                            state["error"] = "it sent an error mid-stream (details in the server log)"
                            return
                        if chunk.get("usage"):
                            state["usage"] = chunk["usage"]
                        for ch in chunk.get("choices", []):
                            piece = (ch.get("delta") or {}).get("content") or ""
                            state["finish"] = ch.get("finish_reason") or state["finish"]
                            if piece:
                                state["chunks"] += 1
                                state["text"] += piece
                                q.put(piece)
                                if any(st in state["text"][-(len(st) + len(piece)):] for st in stops):
                                    state["stopped"] = True
                                    return  # leaving the block closes the connection: the server stops
            except httpx.TimeoutException:
                state["error"] = f"it sent nothing for {self.timeout:.0f} s (watchdog)"
            except Exception as e:  # connection refused, bad JSON: surfaced below
                state["error"] = f"{type(e).__name__}: {e}"
            finally:
                q.put(None)

        worker = threading.Thread(target=work, name="irg-remote", daemon=True)
        worker.start()
        prefix = req.constraints.forced_prefix
        if prefix:
            yield prefix
        yield from relay(q, worker, cancel)  # Stop or the time limit ends the wait even if the server stays silent
        if state["error"] and not cancel.is_set():
            raise BackendError(f"The model server failed: {state['error']}")
        usage = state["usage"] or {}
        reason = "cancelled" if cancel.is_set() else "stop_string" if state["stopped"] else \
            {"length": "length"}.get(state["finish"], "stop")
        prompt_tokens = usage.get("prompt_tokens") or self.count_prompt_tokens(req)
        completion = usage.get("completion_tokens") or state["chunks"]
        secs = elapsed(t0)  # the server's work and the network, as seen from here
        stream.result = Generation(prefix + state["text"], prompt_tokens, completion, reason, secs, secs)

    def generate_batch(self, reqs: list[GenRequest], cancel: threading.Event | None = None,
                       on_piece: OnPiece | None = None) -> list[Generation]:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(8, max(1, len(reqs)))) as pool:
            return list(pool.map(lambda ir: self.generate_streamed(ir[1], cancel, ir[0], on_piece), enumerate(reqs)))
