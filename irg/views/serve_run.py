"""One request's run for the endpoint (irg/views/serve.py): the loop in a thread of its own, its events carried into
the server's event loop, gathered into a completion or sent as a stream; a client that goes away cancels it.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from typing import AsyncIterator

from fastapi.responses import StreamingResponse

from irg.engine.errors import ConfigError, InputError, UserError
from irg.engine.events import DraftDone, Final, RunStarted
from irg.engine.record import Recorder
from irg.views import admission, chat_api

log = logging.getLogger(__name__)
POLL = 0.25  # seconds between looks at a client that may have gone: a disconnect cancels its run well within 1 s
_DONE = object()


class Run:
    """One request's run, in a thread of its own; its events cross into the server's event loop by a queue."""

    def __init__(self, served, req: chat_api.ChatRequest, ticket: admission.Ticket):  # served: serve.Served
        self.served, self.req, self.ticket = served, req, ticket
        self.id = chat_api.new_id()
        self.cancel = threading.Event()
        self.recorder = Recorder(self.id)
        self.final: Final | None = None
        self.first_prompt_tokens = 0
        self.started = False  # its thread started (which then gives its place in the line back)

    def _work(self, loop: asyncio.AbstractEventLoop, q: asyncio.Queue) -> None:
        from irg.engine.strategies import run

        def put(item):
            try:
                loop.call_soon_threadsafe(q.put_nowait, item)
            except RuntimeError:  # the server shut down and its event loop closed: nobody will read the run
                self.cancel.set()
        try:
            if not self.ticket.wait(self.cancel):
                return
            drafter = None
            if self.req.adapter:
                drafter = self.served.drafters[self.req.adapter]()
            events = run(self.req.prompt, self.served.backend, self.req.config, self.cancel, draft_backend=drafter)
            try:
                for ev in events:
                    put(ev)
            finally:
                events.close()
        except Exception as err:  # noqa: BLE001 — handed to the request, which says it in a sentence
            put(err)
        finally:
            self.ticket.leave()
            put(_DONE)

    async def events(self, request) -> AsyncIterator:
        """The run's events as they come; a client that goes away cancels the run (its lane is free once the
        generation thread sees the cancel, within a second)."""
        loop = asyncio.get_running_loop()
        q: asyncio.Queue = asyncio.Queue()
        self.started = True
        threading.Thread(target=self._work, args=(loop, q), daemon=True, name="irg-serve-run").start()
        looked = time.monotonic()
        try:
            while True:
                try:
                    item = await asyncio.wait_for(q.get(), timeout=POLL)
                except asyncio.TimeoutError:
                    item = None
                if time.monotonic() - looked >= POLL:  # on a clock: a busy stream of tokens must not hide it
                    looked = time.monotonic()
                    if await request.is_disconnected():
                        return
                if item is None:
                    continue
                if item is _DONE:
                    return
                if isinstance(item, UserError):
                    raise item
                if isinstance(item, Exception):
                    log.error("run %s failed", self.id, exc_info=item)
                    raise UserError(f"The run failed unexpectedly ({type(item).__name__}); details are in the "
                                    "server log.")
                self._keep(item)
                yield item
        finally:
            self.cancel.set()  # done, failed or abandoned: no generation outlives the request

    def _keep(self, ev) -> None:
        if isinstance(ev, RunStarted) and self.req.notices:  # what the request held and the run does not use
            ev.notices = [*ev.notices, *self.req.notices]
        self.recorder.add(ev)
        if isinstance(ev, DraftDone) and not self.first_prompt_tokens:
            self.first_prompt_tokens = ev.prompt_tokens
        if isinstance(ev, Final):
            self.final = ev

    def answer(self) -> tuple[str, str]:
        """The answer, and why it ended: "length" when the run's budget or time ran out before any answer."""
        text = chat_api.cut_at_stop(self.final.answer, self.req.stop)[0]
        cut = not self.final.answer and self.final.stop_reason in ("budget", "time_limit")
        return text, "length" if cut else "stop"

    def usage(self) -> dict:
        return chat_api.usage(self.final.tokens_total, self.first_prompt_tokens)

    def record(self) -> dict:
        return self.recorder.record


async def sse(run: Run, request) -> AsyncIterator[str]:
    """The stream: a role chunk, one chunk per event under `irg` (no choices), then the final answer, the finish,
    usage when asked (stream_options.include_usage), and [DONE]. A failure mid-run is an error object, as OpenAI
    sends one."""
    req = run.req

    def data(obj) -> str:
        return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"
    yield data(chat_api.chunk(run.id, req.model, {"role": "assistant", "content": ""}))
    try:
        async for ev in run.events(request):
            yield data(chat_api.chunk(run.id, req.model, event=ev.to_dict()))
    except UserError as err:
        kind = "invalid_request_error" if isinstance(err, (InputError, ConfigError)) else "server_error"
        yield data(chat_api.RequestError(str(err), kind=kind).body())
        yield "data: [DONE]\n\n"
        return
    if run.final is None:
        return  # the client went away
    answer, finish = run.answer()
    yield data(chat_api.chunk(run.id, req.model, {"content": answer}))
    yield data(chat_api.chunk(run.id, req.model, {}, finish=finish))
    if req.include_usage:
        yield data(chat_api.chunk(run.id, req.model, use=run.usage()))
    yield "data: [DONE]\n\n"


class RunStream(StreamingResponse):
    """The stream of one run, which cancels the run however the response ends: a client that goes away mid-stream
    ends the response while the stream's generator sits at a `yield`, where no `finally` of its own would run."""

    def __init__(self, run: Run, content, **kw):
        super().__init__(content, **kw)
        self.run = run

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.run.cancel.set()
            if not self.run.started:  # gone before the stream began: its place in the line is given back here
                self.run.ticket.leave()
