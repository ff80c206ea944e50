"""One small interface for every inference engine, so the loop never knows which one runs.

A backend turns a chat request into text, either streamed (`stream`) or whole
(`generate`, `generate_batch`), and reports exact token counts. Cancellation is
a `threading.Event` the caller sets; the backend must stop promptly when it is set.
"""
from __future__ import annotations

import queue
import re
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator

from irg.engine import counting
from irg.engine.decoding import DecodingConstraints
from irg.engine.errors import BackendError, ModelError  # noqa: F401 — BackendError: importable from here as before
from irg.engine.feasible import make_decodable


@dataclass
class GenRequest:
    messages: list[dict]  # [{"role": "system"|"user"|"assistant", "content": str}]
    max_new_tokens: int = 256
    temperature: float = 0.0  # 0 = greedy
    top_p: float = 0.95
    seed: int | None = None
    constraints: DecodingConstraints = field(default_factory=DecodingConstraints)
    logprobs: bool = False  # report the mean log-probability of the generated tokens (ranking candidates)
    # > 1 makes tokens already in the text less likely (llama.cpp: the last 64 tokens; transformers: the whole
    # sequence). Not sent to a remote server: the OpenAI protocol has no such field.
    repetition_penalty: float = 1.0

    def sampling_key(self) -> tuple:
        """Requests with equal keys can share one batched call. The seed is not part of it: the rows of one
        tensor call draw different samples from the first request's seed, which keeps a batch reproducible."""
        return (self.max_new_tokens, self.temperature, self.top_p, self.repetition_penalty, repr(self.constraints))


@dataclass
class Generation:
    text: str  # the answer, forced prefix included
    prompt_tokens: int  # tokens fed to the model (chat template and forced prefix included)
    completion_tokens: int  # tokens the model generated (end-of-text included)
    finish_reason: str  # stop | length | stop_string | cancelled
    seconds: float  # wall time of the whole call
    engine_seconds: float = 0.0  # of which inside the inference engine (prefill + decoding)
    mean_logprob: float | None = None  # when the request asked for it: mean log-probability of the generated tokens

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class GenerationStream:
    """Iterate to receive text pieces as they are generated; `.result` is set when done.

    Leaving the loop early (break, exception, generator closed) cancels the
    generation, so an abandoned stream never keeps the model busy.
    """

    def __init__(self, pieces: Callable[[], Iterator[str]], cancel: threading.Event):
        self._pieces = pieces
        self.cancel = cancel
        self.result: Generation | None = None

    def __iter__(self) -> Iterator[str]:
        done = False
        try:
            yield from self._pieces()
            done = True
        finally:
            if not done:
                self.cancel.set()

    def finish(self) -> Generation:
        """Consume what is left and return the result."""
        for _ in self:
            pass
        assert self.result is not None
        return self.result


OnPiece = Callable[[int, str], None]  # (request index, text piece) while a batch is written


class Backend(ABC):
    """Base class: engines implement `_pieces`, `count_tokens`, `count_prompt_tokens`, `truncate`, and `load`
    (how the engine loads a model: `irg.engine.models.get_backend` calls it once per model and shares the result)."""

    name = "base"
    model_id = ""
    context_length = 2048

    @classmethod
    def unusable(cls, spec) -> str | None:
        """Why this engine cannot serve the model `spec` (a models.ModelSpec), in one sentence; None if it can."""
        return None

    @classmethod
    def load(cls, spec) -> "Backend":
        """A backend that cannot load models by name (one built around a model object, like the tests' tiny ones)
        says so in a sentence when it is chosen; a registered backend overrides this."""
        raise ModelError(f"The backend '{cls.name}' cannot load the model '{spec.name}' by name.")

    def recoveries(self) -> list[dict]:
        """Every restart of this engine's model process so far, oldest first: {"at", "event", "cause"} (event: crash,
        hang, outside, switch). A run reports the ones that happened while it ran; engines without a process of
        their own have none."""
        return []

    def stream(self, req: GenRequest, cancel: threading.Event | None = None) -> GenerationStream:
        cancel = cancel or threading.Event()
        req = decodable(req)
        if req.constraints.suffix or req.constraints.suffix_end:
            stream = GenerationStream(lambda: self._with_suffix(req, cancel, stream), cancel)
        else:
            stream = GenerationStream(lambda: self._counted(req, cancel, stream), cancel)
        return stream

    def _counted(self, req: GenRequest, cancel: threading.Event, stream: GenerationStream) -> Iterator[str]:
        """`_pieces`, keeping the request's counted limits (irg/engine/counting.py). Under a grammar, which cannot be
        written in segments, only the masks of the limits the forced prefix has already reached hold."""
        c = req.constraints
        if not c.limits:
            return self._pieces(req, cancel, stream)
        if c.grammar:
            return self._pieces(replace(req, constraints=replace(counting.masks_for(c, c.forced_prefix), limits=[])),
                                cancel, stream)
        return counting.pieces(req, cancel, stream, self._pieces, (GenerationStream, Generation))

    def _with_suffix(self, req: GenRequest, cancel: threading.Event, stream: GenerationStream) -> Iterator[str]:
        """The model writes; when it stops, the program lays down the suffix, and the model may write one more line
        (a P.S.) in a continuation of the same request, then the closing literal. Tokens: the body's, the new
        prompt tokens of the continuation (the suffix fed to the model), and the line's."""
        t0 = time.perf_counter()
        c = req.constraints
        slot, tail = c.suffix_slot, c.suffix_end
        reserve = self.count_tokens(c.suffix + tail) + slot if (c.suffix + tail) else slot
        room = counting.leave_room(c.limits, c.suffix + tail, slot)  # the answer's lengths, less what follows the body
        body_c = replace(c, suffix="", suffix_slot=0, suffix_end="", limits=room)
        body_req = replace(req, constraints=body_c, max_new_tokens=max(8, req.max_new_tokens - reserve))
        inner = GenerationStream(lambda: self._counted(body_req, cancel, inner), cancel)
        yield from inner
        gen = inner.result
        text, prompt_tokens, completion, reason = gen.text, gen.prompt_tokens, gen.completion_tokens, gen.finish_reason
        t_engine = gen.engine_seconds
        # the model wrote its own P.S. (one inline is put on its own line by Postscript.render); a bullet that opens
        # with it ("* P.S. …") is no postscript: the program lays one down anyway
        mark = c.suffix.strip()
        written = mark and any(mark in ln and not re.match(r"\s*(?:[*\-•]|\d+[.)])\s+" + re.escape(mark), ln)
                               for ln in text.splitlines())
        if reason != "cancelled" and not written and not _already_ends(text, c.suffix + tail):
            text = text.rstrip() + c.suffix
            yield c.suffix
            if slot:
                # one line: no line break may be sampled (not a grammar: under a grammar the counted limits only
                # mask, and a banned word glued to a hashtag got through, "P.P.S #penguins #beautiful")
                line_c = DecodingConstraints(forced_prefix=text, min_new_tokens=2,
                                             banned_chars=[*c.banned_chars, "\n"], banned_words=c.banned_words,
                                             lowercase_only=c.lowercase_only, uppercase_only=c.uppercase_only,
                                             limits=c.limits)  # counted from the answer's start
                line_req = replace(req, constraints=line_c, max_new_tokens=slot, messages=body_req.messages)
                more = GenerationStream(lambda: self._counted(line_req, cancel, more), cancel)
                first, fresh = True, text.endswith(" ")
                for piece in more:
                    if first and piece == text:  # the forced prefix is echoed first: it is already out
                        first = False
                        continue
                    first = False
                    if fresh and piece.strip():  # the model's first word brings its own space after "P.S. ": not two
                        piece, fresh = piece.lstrip(" "), False
                    yield piece
                g2 = more.result
                prompt_tokens += max(0, g2.prompt_tokens - gen.prompt_tokens - gen.completion_tokens)
                completion += g2.completion_tokens
                t_engine += g2.engine_seconds
                line = g2.text[len(text):] if g2.text.startswith(text) else None
                text = (text + line.lstrip(" ") if line is not None and text.endswith(" ") else g2.text).rstrip()
                reason = g2.finish_reason if g2.finish_reason == "cancelled" else reason
            if tail and reason != "cancelled":
                text += tail
                yield tail
        stream.result = Generation(text, prompt_tokens, completion, reason, elapsed(t0),
                                   round(t_engine, 4), gen.mean_logprob)

    @abstractmethod
    def _pieces(self, req: GenRequest, cancel: threading.Event, stream: GenerationStream) -> Iterator[str]:
        """Yield text pieces; set `stream.result` before returning."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        ...

    @abstractmethod
    def count_prompt_tokens(self, req: GenRequest) -> int:
        ...

    def generate(self, req: GenRequest, cancel: threading.Event | None = None) -> Generation:
        return self.stream(req, cancel).finish()

    def generate_batch(self, reqs: list[GenRequest], cancel: threading.Event | None = None,
                       on_piece: OnPiece | None = None) -> list[Generation]:
        """Several requests; engines with real batching override this. `on_piece(i, text)` hears request i's
        text as it is written (engines that decode rows together in one tensor call it not at all)."""
        return [self.generate_streamed(r, cancel, i, on_piece) for i, r in enumerate(reqs)]

    def generate_streamed(self, req: GenRequest, cancel: threading.Event | None, i: int,
                          on_piece: OnPiece | None) -> Generation:
        """`generate`, telling `on_piece(i, piece)` each piece: concurrent batches stream every row this way."""
        if on_piece is None:
            return self.generate(req, cancel)
        stream = self.stream(req, cancel)
        for piece in stream:
            on_piece(i, piece)
        assert stream.result is not None
        return stream.result

    @abstractmethod
    def truncate(self, text: str, max_tokens: int) -> str:
        """Cut `text` to at most `max_tokens` tokens (keeps the beginning)."""
        ...


def decodable(req: GenRequest) -> GenRequest:
    """A grammar and bans that leave no text abort llama.cpp: such a request is never sent as it is (the plan has
    already said so on its card; this guards every other caller)."""
    if not req.constraints.grammar:
        return req
    fixed, let_go = make_decodable(req.constraints)
    return replace(req, constraints=fixed) if let_go else req


def _already_ends(text: str, suffix: str) -> bool:
    """Does the text already end with what the suffix would lay down (an end phrase the model wrote itself)?"""
    want = " ".join(suffix.split()).lower().rstrip(" .!?")
    return bool(want) and " ".join(text.split()).lower().rstrip(" .!?").endswith(want)


# ---- watchdogs: every request ends, whatever the engine does --------------------------------------------------------
STALL_SECONDS = 90.0  # a request that hears nothing this long is stuck (a 2k-token prefill on a busy CPU takes ~20 s)
CANCEL_GRACE = 2.0  # after cancel (Stop, a time limit), how long we wait for the engine before leaving the request


def watchdog_deadline(n_predict: int) -> float:
    """Seconds a request of `n_predict` tokens may take at most. A hung engine is caught by STALL_SECONDS (nothing
    heard); this bound is for one that streams forever, so it is generous: on a CPU shared with other model processes
    llama.cpp was measured at under 1 tok/s per request (24 s for 8 tokens with three model processes on 2 cores)."""
    return 300.0 + 2.0 * max(0, n_predict)


def relay(q: queue.Queue, worker: threading.Thread, cancel: threading.Event,
          leave_after: float | None = CANCEL_GRACE) -> Iterator[str]:
    """Yield what a worker thread puts on `q` until it puts None. Leaving early cancels the worker; once `cancel` is
    set, a worker that does not finish within `leave_after` seconds is left behind (a silent server cannot hold a
    run). None: wait for the worker whatever it takes (it is bounded itself, e.g. by relays of its own)."""
    finished = left = False
    cancelled_at = None
    try:
        while True:
            try:
                piece = q.get(timeout=0.1)
            except queue.Empty:
                if cancel.is_set():
                    cancelled_at = cancelled_at or time.monotonic()
                    left = leave_after is not None and time.monotonic() - cancelled_at > leave_after
                    if left:
                        break  # the worker had its grace: it is left behind (a daemon thread)
                continue
            if piece is None:
                finished = True
                break
            yield piece
    finally:
        if not finished:
            cancel.set()
        worker.join(timeout=0 if left else leave_after)


def elapsed(t0: float) -> float:
    return round(time.perf_counter() - t0, 4)
