"""Issue 34: safe to open in public. A visitor's model box reaches neither the file system nor the network in public
mode; the deployment's key goes only to the servers the operator listed, in either mode; a remote server's error body
is never shown to a visitor."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from irg.engine import models
from irg.engine.access import REFUSED, Access, RunAllowance, server_key
from irg.engine.backends.remote import RemoteBackend
from irg.engine.errors import BackendError, ConfigError, ModelError
from irg.views import session


class Recorder(BaseHTTPRequestHandler):
    """An OpenAI-compatible stub that records every request it receives (path and Authorization header)."""

    seen: list
    redirect_to: str | None = None
    fail_with: str | None = None

    def _reply(self, code: int, body: dict | str, headers: dict | None = None) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self) -> bool:
        self.seen.append((self.path, self.headers.get("Authorization")))
        if self.redirect_to:
            self._reply(307, "", {"Location": self.redirect_to + self.path})
            return False
        return True

    def do_GET(self):  # noqa: N802 — the stdlib's name
        if self._record():
            self._reply(200, {"data": [{"id": "stub"}]})

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self._record():
            return
        if self.fail_with:
            self._reply(500, self.fail_with)
            return
        chunk = {"choices": [{"delta": {"content": "hi"}, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 3, "completion_tokens": 1}}
        self._reply(200, f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n", {"Content-Type": "text/event-stream"})

    def log_message(self, *args):
        pass


def listener(**attrs):
    handler = type("Handler", (Recorder,), {"seen": [], **attrs})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler.seen, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def stub():
    server, seen, url = listener()
    yield seen, url
    server.shutdown()


@pytest.fixture
def public(monkeypatch):
    for k in ("IRG_SERVERS", "IRG_PUBLIC_MODELS", "IRG_PUBLIC_RUNS", "IRG_PUBLIC_MAX_PROMPT"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("IRG_PUBLIC", "1")
    monkeypatch.setenv("IRG_API_KEY", "K-secret")


def hostile_inputs(tmp_path, url: str) -> list[str]:
    """What a hostile visitor types in the model box: paths that exist and that do not, ~ and .., file:// and other
    schemes, loopback / link-local / encoded addresses, URLs with credentials."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "config.json").write_text("{}")
    (tmp_path / "file.gguf").write_bytes(b"GGUF" + b"\0" * 16)
    (tmp_path / "plain.txt").write_text("x")
    port = url.rsplit(":", 1)[1]
    return ["/etc/shadow", "/etc/passwd", "/nonexistent/x.gguf", "~", "~/.bash_history", "~root", "..", "../..",
            "../../etc/passwd", "./", str(tmp_path / "folder"), str(tmp_path / "file.gguf"),
            str(tmp_path / "plain.txt"),
            str(tmp_path / "missing"), str(models.bundled_gguf()) if models.bundled_installed() else "/x.gguf",
            "file:///etc/passwd", "file://" + str(tmp_path / "file.gguf"), "ftp://127.0.0.1/", "gopher://127.0.0.1:70/",
            url, url + "/v1", url + "/#stub", f"http://localhost:{port}/", f"http://[::1]:{port}/",
            f"http://0x7f000001:{port}/", f"http://2130706433:{port}/", "http://169.254.169.254/latest/meta-data/",
            f"http://user:pass@127.0.0.1:{port}/", f"http://evil.example@127.0.0.1:{port}/",
            f"http://127.0.0.1:{port}@evil.example/", "HTTP://127.0.0.1:%s/" % port, "no such model!",
            "someone/unlisted-model", "bundled/../../etc"]


def test_public_mode_refuses_every_hostile_input_with_one_sentence_and_touches_nothing(public, stub, tmp_path,
                                                                                    monkeypatch):
    seen, url = stub
    resolved = []
    monkeypatch.setattr(models, "resolve", lambda name: resolved.append(name))  # any look at the file system
    monkeypatch.setattr(models, "get_backend", lambda *a, **k: resolved.append(a))
    monkeypatch.setattr(session, "get_backend", lambda *a, **k: resolved.append(a))
    assert session.adapter_choices("bundled")  # the adapter package is registered (conftest): [] below means refused
    answers = set()
    for name in hostile_inputs(tmp_path, url):
        backend, err = session.load_model(name)
        assert backend is None, name
        answers.add(err)
        status = list(session.model_status(name))[-1]
        answers.add(status.removeprefix("⚠ "))
        assert session.adapter_choices(name) == []
        assert session.load_draft_backend(name, "GAN-tuned adapter") == (None, REFUSED)
    assert answers == {REFUSED}  # the same sentence whether the thing exists or not
    assert resolved == [] and seen == []  # no path resolved, no request reached the listener


def test_public_mode_offers_and_admits_only_the_listed_models(public, monkeypatch):
    monkeypatch.setenv("IRG_SERVERS", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("IRG_PUBLIC_MODELS", "org/listed")
    access = Access.from_env()
    assert access.public
    assert access.admit("bundled") == "bundled" and access.admit(" org/listed ") == "org/listed"
    # the listed server, written another way (case, a query, a port, a model of the visitor's):
    # as the operator listed it
    for spelling in ("http://127.0.0.1:9/", "http://127.0.0.1:9/v1/?x=1", "http://127.0.0.1:9/v1#gpt-4"):
        assert access.admit(spelling) == "http://127.0.0.1:9/v1"
    for spoof in ("http://user@127.0.0.1:9/v1", "http://127.0.0.1:9@evil.example/v1", "http://127.0.0.1:90/v1",
                  "http://127.0.0.1:9/v1/extra", "https://127.0.0.1:9/v1", "http://localhost:9/v1"):
        with pytest.raises(ModelError, match=REFUSED):
            access.admit(spoof)
    for name in ("HuggingFaceTB/SmolLM2-360M-Instruct", "http://127.0.0.1:10/v1", "org/listed/.."):
        with pytest.raises(ModelError, match=REFUSED):
            access.admit(name)
    offered = access.choices(["bundled", "HuggingFaceTB/SmolLM2-360M-Instruct"])
    assert offered == ["bundled", "org/listed", "http://127.0.0.1:9/v1"]


def test_public_mode_is_on_for_a_space_and_off_by_default():
    assert Access.from_env({"SPACE_ID": "me/irg"}).public
    assert not Access.from_env({}).public
    assert not Access.from_env({"SPACE_ID": "me/irg", "IRG_PUBLIC": "0"}).public
    with pytest.raises(ConfigError, match="IRG_PUBLIC must be 1 or 0"):
        Access.from_env({"IRG_PUBLIC": "maybe"})
    with pytest.raises(ConfigError, match="not an http"):
        Access.from_env({"IRG_SERVERS": "file:///etc/passwd"})
    with pytest.raises(ConfigError, match="no user or password|must not hold a user"):
        Access.from_env({"IRG_SERVERS": "http://me:secret@127.0.0.1:9/v1"})
    with pytest.raises(ConfigError, match="IRG_PUBLIC_RUNS"):
        Access.from_env({"IRG_PUBLIC": "1", "IRG_PUBLIC_RUNS": "-3"})


@pytest.mark.parametrize("mode", ["public", "private"])
def test_the_key_goes_only_to_a_listed_server(mode, stub, monkeypatch):
    seen, url = stub
    monkeypatch.setenv("IRG_PUBLIC", "1" if mode == "public" else "0")
    monkeypatch.setenv("IRG_API_KEY", "K-secret")
    monkeypatch.delenv("IRG_SERVERS", raising=False)
    port = url.rsplit(":", 1)[1]
    unlisted = [url, url + "/v1", f"http://localhost:{port}/", f"http://user:pw@127.0.0.1:{port}/",
                f"{url}/other/v1"]
    for u in unlisted:
        RemoteBackend.load(models.ModelSpec(u, "remote", u))  # the operator's own call: no key for an unlisted URL
    assert len(seen) == len(unlisted) and all(auth != "Bearer K-secret" for _, auth in seen), seen
    seen.clear()
    monkeypatch.setenv("IRG_SERVERS", url + "/v1")
    for u in unlisted[2:]:  # another host name, a user part, another path: not the listed server
        RemoteBackend.load(models.ModelSpec(u, "remote", u))
    assert len(seen) == 3 and all(auth != "Bearer K-secret" for _, auth in seen), seen  # (a URL's own user
    seen.clear()  # part is sent as that URL's basic auth, as any client would: it is not the deployment's key)
    b = RemoteBackend.load(models.ModelSpec(url + "/", "remote", url + "/"))
    assert seen == [("/v1/models", "Bearer K-secret")]
    assert b.generate(session_req()).text == "hi"


def session_req():
    from irg.engine.backends import GenRequest

    return GenRequest([{"role": "user", "content": "Say hi."}], max_new_tokens=4)


def test_a_listed_server_that_redirects_is_not_followed(stub, monkeypatch):
    seen, target = stub
    server, first, url = listener(redirect_to=target)
    try:
        monkeypatch.setenv("IRG_API_KEY", "K-secret")
        monkeypatch.setenv("IRG_SERVERS", url)
        with pytest.raises(ModelError, match="did not answer as an OpenAI-compatible API"):
            RemoteBackend.load(models.ModelSpec(url, "remote", url))
        assert first == [("/v1/models", "Bearer K-secret")] and seen == []  # the redirect's target heard nothing
    finally:
        server.shutdown()


def test_a_server_error_body_is_logged_not_shown(monkeypatch, caplog):
    server, seen, url = listener(fail_with="internal secret: db password hunter2")
    try:
        b = RemoteBackend(url)
        with pytest.raises(BackendError) as err:
            b.generate(session_req())
        assert "HTTP 500" in str(err.value) and "hunter2" not in str(err.value)
        assert "hunter2" in caplog.text  # the operator still finds it in the server log
    finally:
        server.shutdown()


def test_server_key_reads_urls_as_a_browser_would():
    assert server_key("http://h:80/v1/") == server_key("HTTP://H/") == ("http", "h", 80, "", "")
    assert server_key("http://a@h/") != server_key("http://h/")
    assert server_key("http://h@evil/")[1] == "evil"  # the host is after the @
    assert server_key("file:///etc") is None and server_key("http://h:notaport/") is None


def test_a_public_session_has_a_bounded_prompt_and_run_allowance(public, monkeypatch):
    monkeypatch.setenv("IRG_PUBLIC_RUNS", "2")
    monkeypatch.setenv("IRG_PUBLIC_MAX_PROMPT", "100")
    monkeypatch.setattr(session, "_allowance", RunAllowance())
    with pytest.raises(Exception, match="100"):
        session.check_input("x" * 101, {})
    session.check_input("x" * 100, {})
    session.count_runs("s1", 1)
    session.count_runs("s1", 1)
    with pytest.raises(ConfigError, match="2 runs per hour"):
        session.count_runs("s1", 1)
    session.count_runs("s2", 1)  # another session has its own allowance
    monkeypatch.setattr(session, "get_backend", lambda name, *a: object())
    assert session.load_engines("bundled", None, "s1")[2][1] == "⚠ nothing was run"  # counted after the model loads
    assert session.load_engines("/etc/passwd", None, "s3")[2][1] == "⚠ the model did not load"
    session.count_runs("s3", 2)  # the refused model did not spend s3's allowance
    allowance = RunAllowance()
    allowance.take("a", 1, now=0.0)
    with pytest.raises(ConfigError):
        allowance.take("a", 1, now=10.0)
    allowance.take("a", 1, now=3601.0)  # an hour later the window has moved on
