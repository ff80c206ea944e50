"""The OpenAI-compatible backend against a real llama.cpp HTTP server started here on 127.0.0.1."""
import socket
import threading

import pytest

from irg.engine.backends import GenRequest
from irg.engine.config import RunConfig
from irg.engine.decoding import DecodingConstraints
from irg.engine.events import Final
from irg.engine.models import ModelError, bundled_gguf, get_backend
from irg.engine.strategies import run

xlc = pytest.importorskip("xllamacpp")
pytestmark = pytest.mark.bundled


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_url():
    p = xlc.CommonParams()
    p.model.path = str(bundled_gguf())
    p.n_parallel = 2
    p.n_ctx = 4096
    p.kv_unified = True
    p.warmup = False
    p.hostnames = ["127.0.0.1"]
    p.verbosity = 0
    p.port = free_port()
    server = xlc.Server(p)  # listens on the port while this object lives
    yield f"http://127.0.0.1:{p.port}"
    del server


def test_generate_and_stream(server_url):
    b = get_backend(server_url)
    g = b.generate(GenRequest([{"role": "user", "content": "Name a colour."}], max_new_tokens=20))
    assert g.text.strip() and g.prompt_tokens > 5 and 0 < g.completion_tokens <= 20
    s = b.stream(GenRequest([{"role": "user", "content": "Name a colour."}], max_new_tokens=20))
    assert "".join(s) == s.result.text == g.text


def test_constraints_reach_the_server(server_url):
    b = get_backend(server_url)
    c = DecodingConstraints(banned_chars=[","], lowercase_only=True, forced_prefix="Fruits:")
    g = b.generate(GenRequest([{"role": "user", "content": "List ten fruits separated by commas."}], max_new_tokens=40,
                              constraints=c))
    assert g.text.startswith("Fruits:") and "," not in g.text and g.text[7:] == g.text[7:].lower()


def test_cancel_and_irg_run(server_url):
    b = get_backend(server_url)
    cancel = threading.Event()
    s = b.stream(GenRequest([{"role": "user", "content": "Write a long story."}], max_new_tokens=1500), cancel)
    for i, _ in enumerate(s):
        if i == 2:
            cancel.set()
    assert s.result.finish_reason == "cancelled"
    evs = list(run("Write about snow without any commas.", b, RunConfig(max_iters=2, max_new_tokens=40)))
    assert isinstance(evs[-1], Final) and evs[-1].tokens_total > 0


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(ModelError, match="did not answer"):
        get_backend(f"http://127.0.0.1:{free_port()}")
