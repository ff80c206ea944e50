"""`python -m irg serve`: the loop behind an OpenAI-compatible endpoint, so every client that speaks chat completions
(the openai client, LangChain, Open WebUI, curl, this project's own remote backend) can use IRG.

    python -m irg serve --port 8000                     # the bundled model; GET /v1/models lists the strategies
    python -m irg serve --port 8000 --app               # the same process also serves the app at /

Why its own FastAPI app on uvicorn (both come with gradio) rather than routes inside Gradio: the endpoint must start
without the page (a headless server, a second machine), and Gradio's queue orders its own events only. With `--app`
the page is mounted on the same server (gr.mount_gradio_app), so one process holds one model (models.get_backend
shares it) and every run, from the page or from a client, takes its turn from the same lanes (views/admission.py).

Requests and answers are read and written by views/chat_api.py; the reference for clients is docs/serve.md.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from irg.engine.access import Access, RunAllowance
from irg.engine.errors import UserError
from irg.engine.events import DraftDone, Final, RunStarted
from irg.engine.inputs import check_prompt
from irg.engine.record import Recorder
from irg.engine.stopping import check_rule
from irg.views import admission, chat_api

log = logging.getLogger(__name__)
POLL = 0.25  # seconds between looks at a client that may have gone: a disconnect cancels its run well within 1 s
_DONE = object()


@dataclass
class Served:
    """What one server serves: a loaded model, its adapters by name, the request defaults, who may call."""

    model: str
    backend: object  # a loaded Backend
    drafters: dict = field(default_factory=dict)  # adapter name -> loader of its draft backend (called per run)
    defaults: dict = field(default_factory=dict)  # RunConfig fields the operator set (`irg serve --max-iters 3`)
    key: str | None = None  # IRG_SERVE_KEY: clients send it as a Bearer token
    access: Access = field(default_factory=Access)
    lanes: admission.Admission | None = None  # None: the process's shared lanes
    helpful: dict = field(default_factory=dict)  # adapter name -> measured no worse than none (None: not measured)

    def __post_init__(self):
        if self.access.public and not self.key:
            raise UserError("Public mode needs a key for clients: set IRG_SERVE_KEY before `irg serve` "
                            "(a public endpoint without one would run anyone's requests).")


def _error(err: chat_api.RequestError) -> JSONResponse:
    return JSONResponse(err.body(), status_code=err.status)


def create_app(served: Served):
    """The FastAPI app: GET /v1/models, GET /v1/models/{id}, POST /v1/chat/completions, GET /health."""
    app = FastAPI(title="IRG Lab — OpenAI-compatible endpoint", docs_url=None, redoc_url=None)
    allowance = RunAllowance()
    adapters = list(served.drafters)

    def authorised(request: Request) -> None:
        if not served.key:
            return
        given = request.headers.get("authorization", "")
        token = given[7:].strip() if given.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(token.encode(), served.key.encode()):
            raise chat_api.RequestError("A valid API key is required: send it as 'Authorization: Bearer <key>' "
                                        "(the server's IRG_SERVE_KEY).", status=401, code="invalid_api_key")

    @app.exception_handler(chat_api.RequestError)
    async def _refused(request, err: chat_api.RequestError):
        return _error(err)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request, err: StarletteHTTPException):  # an unknown path, a wrong method: OpenAI's error shape
        return _error(chat_api.RequestError(f"{request.method} {request.url.path}: {err.detail}.", status=err.status_code,
                                            code="not_found" if err.status_code == 404 else None))

    @app.get("/health")
    async def health():
        lanes = served.lanes or admission.shared()
        return {"status": "ok", "lanes": lanes.state()}

    @app.get("/v1/models")
    async def models(request: Request):
        authorised(request)
        return {"object": "list", "data": [_model_card(m, served) for m in chat_api.model_ids(adapters)]}

    @app.get("/v1/models/{name:path}")
    async def model(name: str, request: Request):
        authorised(request)
        if name not in chat_api.model_ids(adapters):
            raise chat_api.RequestError(f"The model '{name}' does not exist here (GET /v1/models lists them).",
                                        "model", status=404, code="model_not_found")
        return _model_card(name, served)

    @app.post("/v1/chat/completions")
    async def chat(request: Request):
        authorised(request)
        try:
            body = await request.json()
        except Exception:  # noqa: BLE001 — not JSON, not UTF-8, nested too deep, or the client gone mid-body
            raise chat_api.RequestError("The request body is not valid JSON.")
        req = chat_api.parse(body, adapters, served.defaults, served.access.public)
        try:
            check_prompt(req.prompt, served.access.max_prompt_chars)
        except UserError as err:
            raise chat_api.RequestError(str(err), "messages")
        try:
            check_rule(req.config.stop)  # a missing learned stop model is a sentence now, not after the wait
        except UserError as err:
            raise chat_api.RequestError(str(err), "stop_rule")
        try:
            ticket = (served.lanes or admission.shared()).enter()
        except admission.Busy as err:
            raise chat_api.RequestError(str(err), status=429, kind="rate_limit_error", code="server_busy")
        try:  # counted once the line took it: a busy server costs no run of the hourly allowance
            allowance.take(request.client.host if request.client else "", served.access.runs_per_hour)
        except UserError as err:
            ticket.leave()
            raise chat_api.RequestError(str(err), status=429, kind="rate_limit_error", code="rate_limit_exceeded")
        run = _Run(served, req, ticket)
        if req.stream:
            return _RunStream(run, _sse(run, request), media_type="text/event-stream",
                              headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        try:
            async for _ in run.events(request):
                pass
        except UserError as err:  # the run failed (the model, the machine): the server's fault, not the request's
            raise chat_api.RequestError(str(err), status=500, kind="server_error")
        if run.final is None:  # the client went away: nobody reads this
            return JSONResponse({}, status_code=499)
        return chat_api.completion(run.id, req.model, *run.answer(), run.usage(), run.record())

    return app


class _RunStream(StreamingResponse):
    """The stream of one run, which cancels the run however the response ends: a client that goes away mid-stream
    ends the response while the stream's generator sits at a `yield`, where no `finally` of its own would run."""

    def __init__(self, run: "_Run", content, **kw):
        super().__init__(content, **kw)
        self.run = run

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.run.cancel.set()
            if not self.run.started:  # gone before the stream began: its place in the line is given back here
                self.run.ticket.leave()


def _model_card(name: str, served: Served) -> dict:
    strategy, _, adapter = name.partition("+")
    card = {"strategy": strategy, "adapter": adapter or None, "model": served.model}
    if adapter:  # the app offers only adapters measured no worse than none (tuning/adapters/effects.py)
        card["measured_helpful"] = served.helpful.get(adapter)
    return {"id": name, "object": "model", "created": 0, "owned_by": "irg-lab", "irg": card}


class _Run:
    """One request's run, in a thread of its own; its events cross into the server's event loop by a queue."""

    def __init__(self, served: Served, req: chat_api.ChatRequest, ticket: admission.Ticket):
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
            if loop.is_closed():  # the server shut down: nobody will read the run
                self.cancel.set()
                return
            loop.call_soon_threadsafe(q.put_nowait, item)
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
        return chat_api.cut_at_stop(self.final.answer, self.req.stop)[0], "stop"

    def usage(self) -> dict:
        return chat_api.usage(self.final.tokens_total, self.first_prompt_tokens)

    def record(self) -> dict:
        return self.recorder.record


async def _sse(run: _Run, request) -> AsyncIterator[str]:
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
        yield data(chat_api.RequestError(str(err), kind="server_error").body())
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


def load(model: str = "bundled", backend: str = "auto", adapter: str | None = None, defaults: dict | None = None,
         env=None) -> Served:
    """What `irg serve` serves: the model loaded once (shared with the app in the same process), its shipped
    adapters (and `adapter`, a name or a path) as `strategy+name`, the operator's defaults, the client key."""
    import os
    from pathlib import Path

    from irg.engine.models import adapters, get_backend

    env = os.environ if env is None else env
    access = Access.from_env(env)
    name = access.admit(model)  # public mode: only the listed models, as in the app
    engine = get_backend(name, backend)
    hooks = adapters()
    drafters: dict = {}
    if hooks is not None:
        for k in hooks.find(name):
            drafters[k] = (lambda k=k: hooks.draft_backend(name, k, backend))
        if adapter:
            label = Path(adapter).stem if Path(adapter).exists() else adapter
            drafters[label] = (lambda: hooks.draft_backend(name, adapter, backend))
            drafters[label]()  # loaded now: a bad adapter is a sentence at start, not in a client's run
    elif adapter:
        raise UserError("--adapter needs the tuning package (tuning/), which is not installed.")
    helpful = {k: (hooks.helps(k) if hooks.helps else None) for k in drafters} if hooks is not None else {}
    return Served(name, engine, drafters, dict(defaults or {}), (env.get("IRG_SERVE_KEY") or "").strip() or None,
                  access, helpful=helpful)


def main(served: Served, host: str, port: int, with_app: bool = False, lanes: int | None = None) -> int:
    """Run the server until Ctrl-C."""
    import uvicorn

    served.lanes = admission.set_lanes(lanes) if lanes else admission.shared()  # a bad IRG_RUN_LANES: said now
    from irg.engine.constraints.detect import warm

    warm()  # the prompt reader's embedding model, loaded before the first client waits for it
    api = create_app(served)
    if with_app:
        api = _with_page(api)
    where = f"http://{host}:{port}"
    print(f"IRG endpoint for {served.backend.model_id} at {where}/v1 (models: GET {where}/v1/models)"
          + (f"; the app at {where}/" if with_app else "") + ("; clients need IRG_SERVE_KEY" if served.key else ""),
          flush=True)
    uvicorn.run(api, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)
    return 0


def _with_page(api):
    """The app (app.py's `demo`) mounted at / of the same server."""
    import importlib.util
    from pathlib import Path

    import gradio as gr

    path = Path(__file__).resolve().parents[2] / "app.py"
    if not path.is_file():
        raise UserError("--app needs app.py from the project's checkout beside the irg package.")
    module = sys.modules.get("app")  # imported already (its tabs registered): built once per process
    if module is None or Path(getattr(module, "__file__", "")).resolve() != path:
        spec = importlib.util.spec_from_file_location("app", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["app"] = module
        spec.loader.exec_module(module)
    return gr.mount_gradio_app(api, module.demo, path="/")


def wait_ready(url: str, seconds: float = 120.0) -> None:
    """Block until GET {url}/health answers (the benchmarks and tests start a server and wait for it)."""
    import httpx

    t = time.monotonic()
    while time.monotonic() - t < seconds:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the server at {url} did not answer within {seconds:.0f} s")
