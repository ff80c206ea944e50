"""The llama.cpp backend: the same GGUF file, ~6x faster than transformers on a CPU.

Runs llama.cpp's server (the prebuilt `xllamacpp` wheel) in a supervised child
process of its own (llama_process.py): a native crash costs a request, not the app. Its
slots batch concurrent requests continuously, so best-of-N candidates and
parallel runs share the model. We render the chat template and tokenise
ourselves (tokenizers + jinja2, no transformers import), so prompt token counts
are known before a request is sent and match what the server reports.

Decoding constraints map to what llama.cpp offers:
  banned characters / letter case -> logit bias (the same token set as transformers bans)
  banned words                     -> logit bias on their single-token forms (multi-token
                                      spellings are left to the checker)
  minimum length                   -> a first pass with end-of-text ignored, then the rest
  stop strings                     -> matched on the stream, text kept up to and with the stop
  no repeated n-grams              -> the DRY repetition sampler (a penalty, not a hard ban)
"""
from __future__ import annotations

import functools
import json
import os
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from irg.engine.backends import (
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
from irg.engine.backends.cpu import cpu_settings
from irg.engine.backends.llama_process import Cancelled, ModelCrashed
from irg.engine.decoding import DecodingConstraints, banned_token_ids, word_forms
from irg.engine.errors import RequestCrashed
from irg.engine.models import gguf_tokenizer_dir, has_llamacpp

MAX_OUTSIDE = 3  # kills from outside (another process, the OOM killer) one request survives before it gives up
MAX_MOVES = 2  # thread switches one pass is moved by; past that a switch counts like a kill from outside


class ChatTokenizer:
    """A Hugging Face tokenizer folder read with `tokenizers` and jinja2 only (imports in milliseconds)."""

    def __init__(self, directory: str | Path):
        from tokenizers import Tokenizer

        d = Path(directory)
        self.tok = Tokenizer.from_file(str(d / "tokenizer.json"))
        cfg = json.loads((d / "tokenizer_config.json").read_text())
        tpl = d / "chat_template.jinja"
        self.chat_template = tpl.read_text() if tpl.exists() else cfg.get("chat_template")
        content = lambda t: t.get("content") if isinstance(t, dict) else t  # noqa: E731
        self.eos_token = content(cfg.get("eos_token"))
        self.bos_token = content(cfg.get("bos_token"))
        self.eos_token_id = self.tok.token_to_id(self.eos_token) if self.eos_token else None
        added = json.loads((d / "tokenizer.json").read_text()).get("added_tokens", [])
        self.special_ids = {a["id"] for a in added if a.get("special")}
        self._template = None
        self._vocab: list[str] | None = None

    def apply_chat_template(self, messages: list[dict]) -> str:
        if not self.chat_template:
            return "".join(f"{m['role'].capitalize()}: {m['content']}\n" for m in messages) + "Assistant:"
        if self._template is None:  # the same jinja settings transformers uses
            from jinja2.ext import loopcontrols
            from jinja2.sandbox import ImmutableSandboxedEnvironment

            env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
            env.globals["raise_exception"] = lambda msg: (_ for _ in ()).throw(ValueError(msg))
            self._template = env.from_string(self.chat_template)
        return self._template.render(messages=messages, add_generation_prompt=True, bos_token=self.bos_token or "",
                                     eos_token=self.eos_token or "")

    def encode(self, text: str) -> list[int]:
        return list(self._encode(text))

    @functools.lru_cache(maxsize=64)  # a prompt is counted for the budget, then sent: tokenise it once
    def _encode(self, text: str) -> tuple[int, ...]:
        return tuple(self.tok.encode(text, add_special_tokens=False).ids)

    def decode(self, ids: list[int]) -> str:
        return self.tok.decode(ids, skip_special_tokens=True)

    def vocab_strings(self) -> list[str]:
        if self._vocab is None:
            self._vocab = [self.tok.decode([i], skip_special_tokens=False) for i in range(self.tok.get_vocab_size())]
        return self._vocab


class LlamaCppBackend(Backend):
    name = "llama.cpp"

    def __init__(self, gguf: str | Path, tokenizer: ChatTokenizer, model_id: str = "model", slot_ctx: int = 2048,
                 n_parallel: int = 8, threads: int | None = None, transport: str | None = None,
                 cache_mib: int | None = None, lora: str | Path | None = None):
        from irg.engine.backends.llama_process import make_engine

        # llama.cpp runs in a supervised child process (llama_process.py): an abort in native code costs the
        # requests in flight, never this process. 8 slots, each with its own KV cache: with one unified buffer
        # shared by the slots, reusing cached prompt prefixes made greedy output depend on earlier requests (7 of
        # 12 first drafts differed); per-slot caches keep the reuse (prefill is slow on 2 cores) and the output
        # reproducible (12/12 then; after longer, concurrent histories 0-3 of 10 still differ: irg.bench history).
        cfg = {"model": str(gguf), "n_parallel": n_parallel, "slot_ctx": slot_ctx, **cpu_settings(threads),
               **({"lora": str(lora)} if lora else {})}
        self.engine = make_engine(cfg if cache_mib is None else {**cfg, "cache_mib": cache_mib}, transport)
        self.tokenizer = tokenizer
        # the model file and a LoRA adapter file (an adapter's cached file may be deleted under us:
        # tuning/adapters/shipped.py)
        self.files = [Path(gguf), *([Path(lora)] if lora else [])]
        self.model_id = model_id
        self.context_length = slot_ctx  # what one request may use
        self.n_parallel = n_parallel
        self._ban_cache: dict[tuple, list[int]] = {}
        self.cache_prompt = os.environ.get("IRG_LLAMACPP_PROMPT_CACHE", "1") == "1"  # 0 turns prefix reuse off

    @classmethod
    def unusable(cls, spec) -> str | None:
        if not spec.gguf_file:
            return f"The llama.cpp backend needs a GGUF model; '{spec.name}' is not one (use the transformers backend)."
        if not has_llamacpp():
            return "The llama.cpp backend needs the xllamacpp package: pip install xllamacpp."
        return None

    @classmethod
    def load(cls, spec) -> "LlamaCppBackend":
        return cls(Path(spec.path) / spec.gguf_file, ChatTokenizer(gguf_tokenizer_dir(spec)), model_id=spec.name)

    def close(self) -> None:
        self.engine.close()

    def recoveries(self) -> list[dict]:
        return self.engine.recoveries

    # ---- prompts and counting -------------------------------------------------
    def prompt_text(self, req: GenRequest) -> str:
        return self.tokenizer.apply_chat_template(req.messages) + (req.constraints.forced_prefix or "")

    def count_prompt_tokens(self, req: GenRequest) -> int:
        return len(self.tokenizer.encode(self.prompt_text(req)))

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text))

    def truncate(self, text: str, max_tokens: int) -> str:
        ids = self.tokenizer.encode(text)
        return text if len(ids) <= max_tokens else self.tokenizer.decode(ids[:max_tokens])

    # ---- constraints -> request fields ----------------------------------------------
    def banned_ids(self, c: DecodingConstraints) -> list[int]:
        key = (tuple(c.banned_chars), c.lowercase_only, c.uppercase_only, tuple(c.banned_words), c.whole_words)
        if key not in self._ban_cache:
            ids = banned_token_ids(self.tokenizer.vocab_strings(), self.tokenizer.special_ids, c)
            for form in word_forms(c.banned_words):
                toks = self.tokenizer.encode(form)
                if len(toks) == 1:
                    ids.append(toks[0])
            self._ban_cache[key] = sorted(set(ids))
        return self._ban_cache[key]

    def _body(self, req: GenRequest, prompt: str, n_predict: int, ignore_eos: bool = False) -> dict:
        c = req.constraints
        body = {
            "prompt": prompt, "n_predict": n_predict, "stream": True, "cache_prompt": self.cache_prompt,
            "temperature": req.temperature, "top_p": req.top_p if req.temperature > 0 else 1.0,
            "top_k": 0 if req.temperature > 0 else 1, "min_p": 0.0, "repeat_penalty": req.repetition_penalty,
            "seed": req.seed if req.seed is not None else -1, "ignore_eos": ignore_eos,
        }
        banned = self.banned_ids(c)
        if banned:
            body["logit_bias"] = [[i, False] for i in banned]
        if c.no_repeat_ngram:
            body.update(dry_multiplier=2.0, dry_base=2.0, dry_allowed_length=max(1, c.no_repeat_ngram - 1))
        if c.grammar:
            body["grammar"] = c.grammar  # llama.cpp's own grammar sampler
        if req.logprobs:
            body["n_probs"] = 1  # each chunk then carries the chosen token's log-probability
        return body

    # ---- generation -----------------------------------------------------------
    def _pieces(self, req: GenRequest, cancel: threading.Event, stream: GenerationStream):
        t0 = time.perf_counter()
        c = req.constraints
        prompt = self.prompt_text(req)
        n_prompt = len(self.tokenizer.encode(prompt))
        if n_prompt >= self.context_length:
            raise BackendError(f"The prompt is {n_prompt} tokens; this model's context holds {self.context_length}.")
        max_new = min(req.max_new_tokens, c.max_new_tokens or req.max_new_tokens, self.context_length - n_prompt)
        st = _Passes(self.engine, c.stop_strings, cancel)

        def work():
            try:
                first = 0 if c.grammar else min(c.min_new_tokens, max_new)  # a grammar says where the text may end
                if first:  # end-of-text is not allowed yet: generate the first part with it ignored
                    st.complete(self._body(req, prompt, first, ignore_eos=True))
                rest = max_new - st.tokens
                if rest > 0 and not cancel.is_set() and not st.stopped_on and st.error is None:
                    st.finish = None
                    st.complete(self._body(req, prompt + st.text, rest))
            except Exception as e:  # surfaced to the consumer below
                st.error = e
            finally:
                st.q.put(None)

        worker = threading.Thread(target=work, name="irg-llamacpp", daemon=True)
        worker.start()
        if c.forced_prefix:
            yield c.forced_prefix
        yield from relay(st.q, worker, cancel)
        if st.error is not None and not cancel.is_set():  # stopped, a late failure is no failure
            raise st.error if isinstance(st.error, BackendError) else BackendError(f"Generation failed: {st.error}")
        if cancel.is_set():
            reason = "cancelled"
        elif st.stopped_on:
            reason = "stop_string"
        elif st.finish == "length" or st.tokens >= max_new:
            reason = "length"
        else:
            reason = "stop"
        # llama.cpp does not stream the end-of-text token; count it as transformers does.
        completion = st.tokens + (1 if reason == "stop" else 0)
        lp = st.logprobs
        stream.result = Generation(c.forced_prefix + st.text, n_prompt, completion, reason, elapsed(t0),
                                   round(st.engine_seconds, 4), sum(lp) / len(lp) if lp and req.logprobs else None)

    def generate_batch(self, reqs: list[GenRequest], cancel: threading.Event | None = None,
                       on_piece: OnPiece | None = None) -> list[Generation]:
        """Concurrent requests: the server's slots decode them in shared batches (each row streams to on_piece)."""
        cancel = cancel or threading.Event()
        with ThreadPoolExecutor(max_workers=min(self.n_parallel, max(1, len(reqs)))) as pool:
            return list(pool.map(lambda ir: self.generate_streamed(ir[1], cancel, ir[0], on_piece), enumerate(reqs)))


class _Passes:
    """One request's passes through the server (a first one with end-of-text ignored, then the rest): the text and
    the exact counts so far, the pieces for the consumer on `q`, stop strings matched on the stream."""

    def __init__(self, engine, stop_strings: list[str], cancel: threading.Event):
        self.engine, self.stop_strings, self.cancel = engine, stop_strings, cancel
        self.q: queue.Queue = queue.Queue()
        self.text, self.tokens, self.engine_seconds = "", 0, 0.0  # tokens: counted in finished passes
        self.chunks, self.usage = 0, None  # the pass under way
        self.finish = self.stopped_on = self.error = None
        self.logprobs: list[float] = []
        self.skip = 0  # characters a retried pass must not stream again

    def on_chunk(self, chunk: dict) -> bool:
        if "error" in chunk or chunk.get("code"):
            self.error = BackendError(f"Generation failed: {chunk.get('error') or chunk.get('message') or chunk}")
            return True
        if chunk.get("usage"):  # the last chunk of a pass: the server's exact count
            self.usage = chunk["usage"]["completion_tokens"]
        for choice in chunk.get("choices", []):
            piece = choice.get("text") or ""
            for tok in ((choice.get("logprobs") or {}).get("content") or []):
                self.logprobs.append(tok.get("logprob", 0.0))
            if choice.get("finish_reason") is None or piece:
                self.chunks += 1  # about one per token (multi-byte characters can merge several)
            self.finish = choice.get("finish_reason") or self.finish
            if piece:
                self.text += piece
                shown = piece[min(self.skip, len(piece)):]
                self.skip -= len(piece) - len(shown)
                if shown:
                    self.q.put(shown)
                for s in self.stop_strings:
                    if s in self.text[-(len(s) + len(piece)):]:
                        self.stopped_on = s
                        return True
        return self.cancel.is_set()

    def complete(self, body: dict) -> None:
        """One pass. If the model process dies under it, the pass runs again from its start, under probation
        (alone: it may be the request that crashed it); text already streamed is not streamed again. The final
        text is the retry's: with greedy decoding it is what the lost pass would have written. Blamed (RequestCrashed)
        only when a retry that ran alone crashes it again by itself; a kill from outside (another process, the OOM
        killer) is never the request's, and it retries up to MAX_OUTSIDE times. A thread switch moves it to the new
        child: it runs again there at once, neither blamed nor counted (up to MAX_MOVES times)."""
        t = time.perf_counter()
        base_text, base_lp = self.text, len(self.logprobs)
        deadline = watchdog_deadline(body["n_predict"])
        attempt = outside = own = moved = 0
        try:
            while True:
                self.chunks, self.usage = 0, None
                try:
                    turn = self.engine.probation.retry if attempt else self.engine.probation.first
                    with turn(self.cancel):
                        self.engine.complete(body, self.on_chunk, self.cancel, deadline)
                    break
                except ModelCrashed as e:
                    if self.cancel.is_set():
                        break  # stopped anyway: what was written stands
                    self.skip += len(self.text) - len(base_text)
                    self.text, self.logprobs = base_text, self.logprobs[:base_lp]
                    moved += e.cause == "switch"
                    if e.cause == "switch" and moved <= MAX_MOVES:  # on a child with a new thread count: again
                        continue
                    own += e.cause in ("native", "hang")
                    if own == 2:  # the second time is always a retry, and a retry runs alone
                        raise RequestCrashed(f"The model process crashed on this request twice ({e}), the second time "
                                             "while it ran alone; it was restarted and the request given up.") from None
                    outside += e.cause in ("outside", "switch")
                    if outside > MAX_OUTSIDE:
                        raise BackendError(f"The model process was killed from outside {outside} times while this "
                                           f"request ran ({e}); the request was given up, not blamed.") from None
                    attempt += 1
        except Cancelled:
            pass  # stopped while waiting for its turn after a crash
        self.skip = 0
        self.engine_seconds += time.perf_counter() - t
        # Stopped by us (cancel, stop string) there is no usage chunk: the chunk count stands in.
        self.tokens += self.usage if self.usage is not None else self.chunks
