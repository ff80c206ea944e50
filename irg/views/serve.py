"""`python -m irg serve`: the loop behind an OpenAI-compatible endpoint, so every client that speaks chat completions
(the openai client, LangChain, Open WebUI, curl, this project's own remote backend) can use IRG.

    python -m irg serve --port 8000                     # the bundled model; GET /v1/models lists the strategies
    python -m irg serve --port 8000 --app               # the same process also serves the app at /

Why its own FastAPI app on uvicorn (both come with gradio) rather than routes inside Gradio: the endpoint must start
without the page (a headless server, a second machine), and Gradio's queue orders its own events only. With `--app`
the page is mounted on the same server (gr.mount_gradio_app), so one process holds one model (models.get_backend
shares it) and every run, from the page or from a client, takes its turn from the same lanes (views/admission.py).

Requests and answers are read and written by views/chat_api.py, each run goes in views/serve_run.py; the reference for
clients is docs/serve.md.
"""
from __future__ import annotations

import hmac
import logging
import sys
import time
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from irg.engine.access import Access, RunAllowance
from irg.engine.errors import ConfigError, InputError, UserError
from irg.engine.inputs import check_prompt
from irg.engine.loop import MIN_PROMPT_ROOM, prompt_room
from irg.engine.stopping import check_rule
from irg.views import admission, chat_api
from irg.views.serve_run import Run, RunStream, sse

log = logging.getLogger(__name__)


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
    if err.status >= 500:
        log.warning("a run failed: %s", err)  # the sentence the client got, here for the operator
    headers = {"Retry-After": "60"} if err.status == 429 else None
    return JSONResponse(err.body(), status_code=err.status, headers=headers)


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
        if request.url.path.startswith("/v1/"):
            try:
                authorised(request)  # every /v1/… answer needs the key, a 404 too
            except chat_api.RequestError as denied:
                return _error(denied)
        return _error(chat_api.RequestError(f"{request.method} {request.url.path}: {err.detail}.",
                                            status=err.status_code,
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
        if "json" not in request.headers.get("content-type", "").lower():  # a web page's form cannot start runs
            raise chat_api.RequestError("Send the request as JSON, with 'Content-Type: application/json'.")
        try:
            body = await request.json()
        except Exception:  # noqa: BLE001 — not JSON, not UTF-8, nested too deep, or the client gone mid-body
            raise chat_api.RequestError("The request body is not valid JSON.")
        req = chat_api.parse(body, adapters, served.defaults, served.access.public)
        ticket = _admitted(served, req, allowance, request.client.host if request.client else "")
        run = Run(served, req, ticket)
        if req.stream:
            return RunStream(run, sse(run, request), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        try:
            async for _ in run.events(request):
                pass
        except (InputError, ConfigError) as err:  # what the request asked cannot be run
            raise chat_api.RequestError(str(err))
        except UserError as err:  # the run failed (the model, the machine): the server's fault, not the request's
            raise chat_api.RequestError(str(err), status=500, kind="server_error")
        if run.final is None:  # the client went away: nobody reads this
            return JSONResponse({}, status_code=499)
        return chat_api.completion(run.id, req.model, *run.answer(), run.usage(), run.record())

    return app


def _admitted(served: Served, req: chat_api.ChatRequest, allowance: RunAllowance, client: str) -> admission.Ticket:
    """A place in the line for a request that can run: its prompt, stop rule and sizes checked, the line not full,
    the client's hourly runs not spent (public mode); else RequestError with a sentence."""
    try:
        check_prompt(req.prompt, served.access.max_prompt_chars)
    except UserError as err:
        raise chat_api.RequestError(str(err), "messages")
    try:
        check_rule(req.config.stop)  # a missing learned stop model is a sentence now, not after the wait
    except UserError as err:
        raise chat_api.RequestError(str(err), "stop_rule")
    _fits(req, served.backend)
    try:
        ticket = (served.lanes or admission.shared()).enter()
    except admission.Busy as err:
        raise chat_api.RequestError(str(err), status=429, kind="rate_limit_error", code="server_busy")
    try:  # counted once the line took it: a busy server costs no run of the hourly allowance
        allowance.take(client, served.access.runs_per_hour, who="from one client address")
    except UserError as err:
        ticket.leave()
        raise chat_api.RequestError(str(err), status=429, kind="rate_limit_error", code="rate_limit_exceeded")
    return ticket


def _fits(req: chat_api.ChatRequest, backend) -> None:
    """The draft length and the prompt fit the model's context, or a 400 (as OpenAI answers a prompt too long;
    the CLI and the app cut such a prompt, with a notice)."""
    room = prompt_room(backend.context_length, req.config.max_new_tokens)
    if room < MIN_PROMPT_ROOM:
        most = prompt_room(backend.context_length, 0) - MIN_PROMPT_ROOM  # the longest draft that leaves the minimum
        raise chat_api.RequestError(f"The draft length {req.config.max_new_tokens} leaves no room for the prompt in "
                                    f"this model's context of {backend.context_length} tokens: ask for at most "
                                    f"{most}.", "max_tokens", code="context_length_exceeded")
    n = backend.count_tokens(req.prompt)
    if n > room:
        raise chat_api.RequestError(f"The prompt is {n} tokens; with drafts of {req.config.max_new_tokens} tokens "
                                    f"this model's context holds {room}.", "messages", code="context_length_exceeded")


def _model_card(name: str, served: Served) -> dict:
    strategy, _, adapter = name.partition("+")
    card = {"strategy": strategy, "adapter": adapter or None, "model": served.model}
    if adapter:  # the app offers only adapters measured no worse than none (tuning/adapters/effects.py)
        card["measured_helpful"] = served.helpful.get(adapter)
    return {"id": name, "object": "model", "created": 0, "owned_by": "irg-lab", "irg": card}


def load(model: str = "bundled", backend: str = "auto", adapter: str | None = None, defaults: dict | None = None,
         env=None) -> Served:
    """What `irg serve` serves: the model loaded once (shared with the app in the same process), its shipped
    adapters (and `adapter`, a name or a path) as `strategy+name`, the operator's defaults, the client key."""
    import os
    from pathlib import Path

    from irg.engine.models import adapters, get_backend

    env = os.environ if env is None else env
    access = Access.from_env(env)
    try:
        name = access.admit(model)  # public mode: only the listed models, as in the app
    except UserError as err:
        from irg.engine.models import model_choices

        raise type(err)(f"{err} In public mode --model is one of: {', '.join(access.choices(model_choices()))}.")
    engine = get_backend(name, backend)
    hooks = adapters()
    drafters: dict = {}
    if hooks is not None:
        for k in hooks.find(name):
            if access.public and hooks.helps is not None and not hooks.helps(k):
                continue  # as the app: in public, only adapters measured no worse than none (each is a process)
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
    uvicorn_server(api, host, port).run()
    return 0


def uvicorn_server(api, host: str, port: int):
    """The uvicorn server for `api`. X-Forwarded-For is believed only from the proxies the operator names
    (FORWARDED_ALLOW_IPS): from anyone else a client could name a new address per request and escape the public
    hourly allowance."""
    import os

    import uvicorn

    proxied = bool(os.environ.get("FORWARDED_ALLOW_IPS", "").strip())
    return uvicorn.Server(uvicorn.Config(api, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2,
                                         proxy_headers=proxied))


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
