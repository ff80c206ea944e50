"""The OpenAI-compatible endpoint (`python -m irg serve`), spoken to by the official openai client, by plain HTTP, and
by this project's own remote backend. A tiny model in-process, and a scripted one that writes slowly (to be
cancelled)."""
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from irg.engine.access import Access
from irg.engine.backends import Backend, Generation, elapsed
from irg.engine.config import RunConfig
from irg.engine.errors import UserError
from irg.engine.events import Final
from irg.engine.strategies import run
from irg.views import admission
from irg.views.serve import Served, create_app, uvicorn_server, wait_ready

openai = pytest.importorskip("openai")


class Scripted(Backend):
    """Writes back the words of the request's last message, one every `delay` seconds, until cancelled."""

    name = model_id = "scripted"
    context_length = 8192

    def __init__(self, delay: float = 0.0):
        self.delay = delay

    def _pieces(self, req, cancel, stream):
        t0, out, n, reason = time.perf_counter(), req.constraints.forced_prefix, 0, "length"
        if out:
            yield out
        words = (req.messages[-1]["content"].split() or ["word"]) * 1000
        for w in words[: req.max_new_tokens]:
            if cancel.is_set():
                reason = "cancelled"
                break
            time.sleep(self.delay)
            out += w + " "
            n += 1
            yield w + " "
        stream.result = Generation(out, self.count_prompt_tokens(req), n, reason, elapsed(t0))

    def count_tokens(self, text):
        return max(1, len(text.split()))

    def count_prompt_tokens(self, req):
        return sum(self.count_tokens(m["content"]) for m in req.messages)

    def truncate(self, text, max_tokens):
        return " ".join(text.split()[:max_tokens])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """create_app(served) on uvicorn in a thread, on a free port."""

    def __init__(self, served: Served):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn_server(create_app(served), "127.0.0.1", self.port)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        wait_ready(self.url, 30)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)

    def client(self, key="none"):
        return openai.OpenAI(base_url=self.url + "/v1", api_key=key, max_retries=0)


@pytest.fixture(scope="module")
def tiny(tokenizer):
    from irg.engine.backends.hf import TransformersBackend
    from tests.conftest import build_model

    return TransformersBackend(build_model(tokenizer), tokenizer, model_id="tiny-llama")


@pytest.fixture(scope="module")
def tiny_server(tiny):
    with Server(Served("tiny", tiny, drafters={"gan": lambda: tiny}, lanes=admission.Admission(4))) as s:
        yield s


PROMPT = "Write two sentences about rivers. Use lowercase letters only."
SETTINGS = {"max_iters": 3, "budget": 1500, "max_new_tokens": 24}


def in_process(backend, strategy, prompt=PROMPT, **settings) -> Final:
    config = RunConfig(strategy=strategy, **{**SETTINGS, **settings})
    return [ev for ev in run(prompt, backend, config) if isinstance(ev, Final)][-1]


def test_models_list_every_strategy_and_adapter(tiny_server):
    from irg.engine.registry import STRATEGIES

    ids = [m.id for m in tiny_server.client().models.list().data]
    assert set(STRATEGIES.names()) <= set(ids)
    assert "irg_hybrid+gan" in ids and "single_pass+gan" in ids
    assert tiny_server.client().models.retrieve("irg_hybrid+gan").id == "irg_hybrid+gan"
    with pytest.raises(openai.NotFoundError):
        tiny_server.client().models.retrieve("gpt-4")


@pytest.mark.parametrize("strategy", ["single_pass", "irg_hybrid", "best_of_n"])
def test_answer_and_usage_equal_the_loop_in_process(tiny_server, tiny, strategy):
    final = in_process(tiny, strategy)
    r = tiny_server.client().chat.completions.create(
        model=strategy, messages=[{"role": "user", "content": PROMPT}], max_tokens=SETTINGS["max_new_tokens"],
        extra_body={"max_iters": 3, "budget": 1500})
    assert r.choices[0].message.content == final.answer
    assert r.usage.total_tokens == final.tokens_total
    assert r.usage.prompt_tokens + r.usage.completion_tokens == final.tokens_total
    assert r.irg["final"] == final.answer and r.irg["strategy"] == strategy
    assert len(r.irg["iterations"]) >= 1 and all("findings" in it for it in r.irg["iterations"])


def test_streaming_gives_the_same_answer_and_every_event(tiny_server):
    client = tiny_server.client()
    kw = dict(model="irg_hybrid", messages=[{"role": "user", "content": PROMPT}], max_tokens=24,
              extra_body={"max_iters": 3, "budget": 1500})
    whole = client.chat.completions.create(**kw)
    content, kinds, usage = "", [], None
    for ch in client.chat.completions.create(stream=True, stream_options={"include_usage": True}, **kw):
        if ch.choices and ch.choices[0].delta.content:
            content += ch.choices[0].delta.content
        if getattr(ch, "irg", None):
            kinds.append(ch.irg["type"])
        usage = ch.usage or usage
    assert content == whole.choices[0].message.content
    assert usage.total_tokens == whole.usage.total_tokens
    assert kinds[0] == "RunStarted" and kinds[-1] == "Final"
    assert {"DraftDone", "CritiqueDone", "IterationDone", "Stopped"} <= set(kinds)
    assert kinds.count("IterationDone") == len(whole.irg["iterations"])


def test_the_adapter_in_the_name_drafts_with_it(tiny_server):
    r = tiny_server.client().chat.completions.create(model="single_pass+gan",
                                                     messages=[{"role": "user", "content": PROMPT}], max_tokens=8)
    assert r.model == "single_pass+gan" and r.irg["iterations"]


def post(server, body, key=None):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.post(server.url + "/v1/chat/completions", json=body, headers=headers, timeout=60)


USER = [{"role": "user", "content": "Say hi."}]


@pytest.mark.parametrize("body, status, param", [
    ({"model": "irg_hybrid", "messages": USER, "max_iter": 3}, 400, "max_iter"),  # a typo is named, not ignored
    ({"model": "irg_hybrid", "messages": USER, "max_iters": "3"}, 400, "max_iters"),
    ({"model": "irg_hybrid", "messages": USER, "max_iters": 0}, 400, "max_iters"),
    ({"model": "irg_hybrid", "messages": USER, "budget": -5}, 400, "budget"),
    ({"model": "irg_hybrid", "messages": USER, "stop_rule": "never"}, 400, "stop_rule"),
    ({"model": "irg_hybrid", "messages": USER, "include_previous_draft": "yes"}, 400, "include_previous_draft"),
    ({"model": "irg_hybrid", "messages": USER, "strategy": "single_pass"}, 400, "strategy"),
    ({"model": "irg_hybrid", "messages": USER, "n": 2}, 400, "n"),
    ({"model": "irg_hybrid", "messages": USER, "tools": [{"type": "function"}]}, 400, "tools"),
    ({"model": "irg_hybrid", "messages": USER, "max_tokens": 0}, 400, "max_tokens"),
    ({"model": "irg_hybrid", "messages": USER, "max_tokens": [1]}, 400, "max_tokens"),
    ({"model": "irg_hybrid", "messages": USER, "max_iters": 10**400}, 400, "max_iters"),
    ({"model": "irg_hybrid", "messages": USER, "seed": -1}, 400, "seed"),
    ({"model": "irg_hybrid", "messages": USER, "critic_max_new_tokens": 0}, 400, "critic_max_new_tokens"),
    ({"model": "irg_hybrid", "messages": USER, "stop": 5}, 400, "stop"),
    ({"model": "irg_hybrid", "messages": USER, "stream_options": []}, 400, "stream_options"),
    ({"model": "irg_hybrid", "messages": USER, "stream_options": {"include_usage": True}}, 400, "stream_options"),
    ({"model": "irg_hybrid", "messages": [{"role": "user", "content": [{"type": "text"}]}]}, 400, "messages"),
    ({"model": "irg_hybrid", "messages": {"role": "user", "content": "hi"}}, 400, "messages"),
    ({"model": "irg_hybrid", "messages": [{"role": "user", "content": 5}]}, 400, "messages"),
    ({"model": "irg_hybrid", "messages": USER, "max_tokens": 10, "max_new_tokens": 20}, 400, "max_new_tokens"),
    ({"model": "irg_hybrid", "messages": USER, "stop": ["a"] * 33}, 400, "stop"),
    ({"model": "irg_hybrid", "messages": []}, 400, "messages"),
    ({"model": "irg_hybrid", "messages": [{"role": "system", "content": "Be nice."}]}, 400, "messages"),
    ({"model": "irg_hybrid", "messages": [{"role": "user", "content": "   "}]}, 400, "messages"),
    ({"model": "irg_hybrid", "messages": [{"role": "user", "content": "x" * 30_000}]}, 400, "messages"),
    ({"model": "irg_hybrid", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]}, 400, "messages"),
    ({"model": "gpt-4o", "messages": USER}, 404, "model"),
    ({"messages": USER}, 400, "model"),
])
def test_bad_requests_get_one_sentence(tiny_server, body, status, param):
    r = post(tiny_server, body)
    assert r.status_code == status
    err = r.json()["error"]
    assert err["param"] == param and err["type"] == "invalid_request_error"
    assert err["message"].endswith((".", ")")) and "Traceback" not in err["message"] and "\n" not in err["message"]


@pytest.mark.parametrize("raw", [b"{oops", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000,
                                 b'{"model": "irg_hybrid", "messages": [], "max_iters": NaN}'])
def test_a_body_that_is_not_json(tiny_server, raw):
    r = httpx.post(tiny_server.url + "/v1/chat/completions", content=raw, timeout=10,
                   headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["message"]


def test_unknown_paths_answer_in_openais_error_shape(tiny_server):
    r = httpx.get(tiny_server.url + "/v1/completions", timeout=10)
    assert r.status_code in (404, 405) and r.json()["error"]["message"]


def test_only_json_starts_a_run(tiny_server):
    """A web page's form (text/plain, form-encoded) cannot start runs on a server without a key."""
    body = json.dumps({"model": "single_pass", "messages": USER}).encode()
    for kind in ("text/plain", "application/x-www-form-urlencoded", ""):
        r = httpx.post(tiny_server.url + "/v1/chat/completions", content=body, headers={"content-type": kind},
                       timeout=10)
        assert r.status_code == 400 and "application/json" in r.json()["error"]["message"]


def test_what_does_not_fit_the_context_is_refused_up_front():
    with Server(Served("echo", Scripted(), lanes=admission.Admission(2))) as s:
        r = post(s, {"model": "single_pass", "messages": USER, "max_tokens": 8000})
        assert r.status_code == 400 and r.json()["error"]["code"] == "context_length_exceeded"
        assert r.json()["error"]["param"] == "max_tokens" and "at most 7560" in r.json()["error"]["message"]
        r = post(s, {"model": "single_pass", "messages": [{"role": "user", "content": "word " * 9000}]})
        assert r.status_code == 400 and r.json()["error"]["param"] == "messages"


def test_a_budget_that_pays_for_nothing_ends_with_length(tiny_server):
    r = post(tiny_server, {"model": "irg_hybrid", "messages": USER, "budget": 1}).json()
    assert r["choices"][0]["message"]["content"] == "" and r["choices"][0]["finish_reason"] == "length"
    assert r["irg"]["stop_reason"] == "budget"


def test_the_openai_client_raises_its_own_errors(tiny_server):
    with pytest.raises(openai.BadRequestError, match="max iters"):
        tiny_server.client().chat.completions.create(model="irg_hybrid", messages=USER, extra_body={"max_iters": 99})


def test_unread_messages_and_fields_are_said_and_stop_cuts_the_answer(tiny_server):
    r = post(tiny_server, {"model": "single_pass", "max_tokens": 8, "grammar": "root ::= [a-z]*",
                           "messages": [{"role": "system", "content": "Be brief."},
                                        {"role": "user", "content": "Say hi."}]}).json()
    notices = " ".join(r["irg"]["notices"])
    assert "1 other message was not read" in notices and "Not applied: grammar" in notices
    full = r["choices"][0]["message"]["content"]
    word = full.split()[1] if len(full.split()) > 1 else full.split()[0]
    cut = post(tiny_server, {"model": "single_pass", "max_tokens": 8, "messages": [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hi."}], "stop": [word]}).json()
    assert cut["choices"][0]["message"]["content"] == full[: full.find(word)]


def test_operator_defaults_and_request_overrides(tiny):
    with Server(Served("tiny", tiny, defaults={"max_iters": 1, "max_new_tokens": 6},
                       lanes=admission.Admission(2))) as s:
        r = post(s, {"model": "irg_hybrid", "messages": [{"role": "user", "content": PROMPT}]}).json()
        assert r["irg"]["config"]["max_iters"] == 1 and len(r["irg"]["iterations"]) == 1
        r = post(s, {"model": "irg_hybrid", "messages": [{"role": "user", "content": PROMPT}], "max_iters": 2}).json()
        assert r["irg"]["config"]["max_iters"] == 2


def test_a_key_is_required_when_set(tiny):
    with Server(Served("tiny", tiny, key="s3cret", lanes=admission.Admission(2))) as s:
        assert post(s, {"model": "single_pass", "messages": USER, "max_tokens": 4}).status_code == 401
        assert post(s, {"model": "single_pass", "messages": USER, "max_tokens": 4}, key="wrong").status_code == 401
        with pytest.raises(openai.AuthenticationError):
            s.client("wrong").models.list()
        assert s.client("s3cret").chat.completions.create(model="single_pass", messages=USER, max_tokens=4).choices
        assert httpx.get(s.url + "/v1/nothing", timeout=10).status_code == 401  # every /v1 answer needs the key


def test_public_mode_needs_a_key_and_keeps_the_public_limits(tiny):
    public = Access.from_env({"IRG_PUBLIC": "1", "IRG_PUBLIC_RUNS": "2"})
    with pytest.raises(UserError, match="IRG_SERVE_KEY"):
        Served("tiny", tiny, access=public)
    with Server(Served("tiny", tiny, key="k", access=public, lanes=admission.Admission(2))) as s:
        long = [{"role": "user", "content": "word " * 1000}]  # 5,000 characters: over the public limit, not the private
        assert post(s, {"model": "single_pass", "messages": long}, key="k").status_code == 400
        ok = [post(s, {"model": "single_pass", "messages": USER, "max_tokens": 4}, key="k").status_code
              for _ in range(3)]
        assert ok == [200, 200, 429]  # the hourly allowance
        spent = post(s, {"model": "single_pass", "messages": USER, "max_tokens": 4}, key="k")
        assert spent.headers["retry-after"] and "from one client address" in spent.json()["error"]["message"]
        forged = httpx.post(s.url + "/v1/chat/completions", timeout=30, json={"model": "single_pass", "messages": USER},
                            headers={"Authorization": "Bearer k", "X-Forwarded-For": "10.0.0.9"})
        assert forged.status_code == 429  # a named address is believed only from the proxies the operator lists
        r = post(s, {"model": "irg_hybrid", "messages": USER, "max_iters": 9}, key="k")  # the app's slider ends at 8
        assert r.status_code == 400 and "at most 8" in r.json()["error"]["message"]


class Broken(Scripted):
    def _pieces(self, req, cancel, stream):
        yield "a "
        raise KeyError("a bug")


def test_a_run_that_fails_is_the_servers_error_with_a_sentence():
    with Server(Served("broken", Broken(), lanes=admission.Admission(2))) as s:
        r = post(s, {"model": "single_pass", "messages": USER, "max_tokens": 4})
        assert r.status_code == 500 and r.json()["error"]["type"] == "server_error"
        assert "failed unexpectedly" in r.json()["error"]["message"]
        with pytest.raises(openai.APIError, match="failed unexpectedly"):
            for _ in s.client().chat.completions.create(model="single_pass", messages=USER, stream=True):
                pass
        from irg.engine.backends import BackendError, GenRequest
        from irg.engine.backends.remote import RemoteBackend

        with pytest.raises(BackendError, match="error mid-stream"):  # the remote backend says so, not an empty draft
            RemoteBackend(s.url, model="single_pass").generate(GenRequest(USER, max_new_tokens=4))
        assert _running(s) == 0


def test_a_public_server_serves_only_listed_models_and_adapters(tiny, monkeypatch):
    from irg.engine import models
    from irg.engine.errors import ModelError
    from irg.views.serve import load

    with pytest.raises(ModelError, match="not available on this server.*is one of: bundled"):
        load("/etc", env={"IRG_PUBLIC": "1", "IRG_SERVE_KEY": "k"})
    monkeypatch.setattr(models, "get_backend", lambda name, backend="auto": tiny)
    hooks = models.adapters()
    public = load("bundled", env={"IRG_PUBLIC": "1", "IRG_SERVE_KEY": "k"})
    private = load("bundled", env={})
    if hooks is None or hooks.helps is None:
        pytest.skip("no adapter package with measured effects")
    assert set(private.drafters) == set(hooks.find("bundled"))
    assert set(public.drafters) == {k for k in hooks.find("bundled") if hooks.helps(k)} != set(private.drafters)


def _running(server) -> int:
    return httpx.get(server.url + "/health", timeout=5).json()["lanes"]["running"]


@pytest.mark.parametrize("stream", [True, False])
def test_a_client_that_goes_away_frees_its_lane_within_a_second(stream):
    lanes = admission.Admission(2)
    with Server(Served("slow", Scripted(delay=0.05), lanes=lanes)) as s:
        post(s, {"model": "single_pass", "messages": USER, "max_tokens": 4})  # warm: a first run imports the reader
        body = json.dumps({"model": "single_pass", "messages": USER, "max_tokens": 4000, "stream": stream}).encode()
        sock = socket.create_connection(("127.0.0.1", s.port))  # a raw client, closed while its run is going
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        t = time.monotonic()
        while _running(s) == 0 and time.monotonic() - t < 10:
            time.sleep(0.05)
        assert _running(s) == 1
        time.sleep(0.3)
        sock.close()
        gone = time.monotonic()
        while _running(s) and time.monotonic() - gone < 5:
            time.sleep(0.05)
        assert _running(s) == 0 and time.monotonic() - gone < 1.0


def test_a_full_line_is_a_429_with_a_sentence():
    with Server(Served("slow", Scripted(delay=0.05), lanes=admission.Admission(1, waiting=0))) as s:
        body = {"model": "single_pass", "messages": USER, "max_tokens": 4000, "stream": True}
        with httpx.Client(timeout=60) as c, c.stream("POST", s.url + "/v1/chat/completions", json=body):
            t = time.monotonic()
            while _running(s) == 0 and time.monotonic() - t < 10:
                time.sleep(0.05)
            r = post(s, {**body, "stream": False})
            assert r.status_code == 429 and "busy" in r.json()["error"]["message"]


def test_eight_clients_at_once_each_get_their_own_answer():
    with Server(Served("echo", Scripted(delay=0.002), lanes=admission.Admission(8))) as s:
        def ask(i):
            stream = i % 2 == 0
            body = {"model": "single_pass", "max_tokens": 30, "stream": stream,
                    "messages": [{"role": "user", "content": f"client{i} says hello"}]}
            if not stream:
                return post(s, body).json()["choices"][0]["message"]["content"]
            text = ""
            with httpx.stream("POST", s.url + "/v1/chat/completions", json=body, timeout=60) as r:
                for line in r.iter_lines():
                    if line.startswith("data: {"):
                        for ch in json.loads(line[6:])["choices"]:
                            text += ch["delta"].get("content") or ""
            return text
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(ask, range(8)))
    for i, a in enumerate(answers):
        assert f"client{i}" in a and not any(f"client{j}" in a for j in range(8) if j != i)


def test_the_projects_remote_backend_can_use_it(tiny_server, tiny):
    from irg.engine.backends.remote import RemoteBackend

    remote = RemoteBackend(tiny_server.url, model="single_pass")
    final = [ev for ev in run(PROMPT, remote, RunConfig(strategy="single_pass", max_new_tokens=24))
             if isinstance(ev, Final)][-1]
    direct = in_process(tiny, "single_pass")
    assert final.answer == direct.answer  # the server ran the same single pass on the same model
    assert RemoteBackend(tiny_server.url).model == "single_pass"  # its first model when none is named


@pytest.mark.bundled
def test_irg_serve_starts_on_the_bundled_model_and_answers_as_the_cli(tmp_path):
    """`python -m irg serve --port N`, no other flag: the openai client's answer and usage are the CLI's (llama.cpp's
    prompt cache off in both, so greedy output cannot depend on an earlier request)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "IRG_LLAMACPP_PROMPT_CACHE": "0"}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "irg", "serve", "--port", str(port)], env=env,
                            stdout=(tmp_path / "log").open("w"), stderr=subprocess.STDOUT)
    try:
        wait_ready(f"http://127.0.0.1:{port}", 180)
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="none", max_retries=0, timeout=300)
        prompt = "Name three animals that live in the sea, in all lowercase letters."
        r = client.chat.completions.create(model="irg_hybrid", messages=[{"role": "user", "content": prompt}],
                                           extra_body={"max_iters": 2, "budget": 1500})
        cli = subprocess.run([sys.executable, "-m", "irg", prompt, "--strategy", "irg_hybrid", "--max-iters", "2",
                              "--budget", "1500", "--json"], env=env, capture_output=True, text=True, timeout=300)
        events = [json.loads(line) for line in cli.stdout.splitlines() if line.startswith("{")]
        final = [e for e in events if e["type"] == "Final"][-1]
        assert r.choices[0].message.content == final["answer"]
        assert r.usage.total_tokens == final["tokens_total"]
        assert len(r.irg["iterations"]) == sum(e["type"] == "IterationDone" for e in events)
    finally:
        proc.terminate()
        proc.wait(30)


def test_a_server_in_front_of_another(tiny_server, tiny):
    """`irg serve --model http://other/v1`: the remote backend makes the endpoint a proxy that runs the loop in front
    of any OpenAI-compatible server (here, another IRG endpoint's single pass)."""
    from irg.views.serve import load

    front = load(tiny_server.url + "/v1#single_pass", "remote", env={})
    front.lanes = admission.Admission(2)
    with Server(front) as s:
        r = post(s, {"model": "single_pass", "messages": [{"role": "user", "content": PROMPT}], "max_tokens": 24})
    assert r.status_code == 200
    assert r.json()["choices"][0]["message"]["content"] == in_process(tiny, "single_pass", max_new_tokens=24).answer


def test_one_process_serves_the_app_and_the_endpoint(tiny):
    """`irg serve --app`: the page at /, the endpoint at /v1, one server."""
    from irg.views.serve import _with_page

    served = Served("tiny", tiny, lanes=admission.Admission(2))
    s = Server(served)
    s.server.config.app = _with_page(create_app(served))
    with s:
        assert httpx.get(s.url + "/", timeout=30).status_code == 200
        assert "gradio" in httpx.get(s.url + "/config", timeout=30).text.lower()
        assert s.client().models.list().data
