"""Issue 20: llama.cpp in a supervised process of its own — a native crash costs one request, never the app or the
batch; requests in flight retry once; watchdogs end requests that hang."""
import json
import threading
import time

import pytest

from irg.engine.backends import BackendError, GenRequest
from irg.engine.backends.llama_process import LlamaProcess, ModelCrashed
from irg.engine.decoding import DecodingConstraints

pytest.importorskip("xllamacpp")
pytestmark = pytest.mark.bundled


@pytest.fixture(scope="module", params=["http", "pipe"])
def own(request):
    """A backend with a model process of its own (over each transport): these tests kill it."""
    from irg.engine.backends.llamacpp import ChatTokenizer, LlamaCppBackend
    from irg.engine.models import bundled_gguf, gguf_tokenizer_dir, resolve

    b = LlamaCppBackend(bundled_gguf(), ChatTokenizer(gguf_tokenizer_dir(resolve("bundled"))), n_parallel=4,
                        transport=request.param)
    yield b
    b.close()


def req(text, n=40, **kw):
    return GenRequest([{"role": "user", "content": text}], max_new_tokens=n, **kw)


def crashing_body(own):
    """A grammar that allows only 'a' and a logit bias that bans it: llama.cpp's grammar sampler aborts (SIGABRT)."""
    r = req("Say a letter.", n=4)
    body = own._body(r, own.prompt_text(r), 4)
    body["grammar"] = 'root ::= "a"'
    body["logit_bias"] = [[i, False] for i in own.banned_ids(DecodingConstraints(banned_words=["a"]))]
    return body


def test_a_native_abort_costs_its_request_and_the_next_request_is_served(own):
    assert isinstance(own.engine, LlamaProcess)
    before = own.engine.restarts
    with pytest.raises(ModelCrashed, match="fatal error|signal 6"):
        own.engine.complete(crashing_body(own), lambda ch: False, threading.Event(), 60)
    g = own.generate(req("Name three colours.", n=20))
    assert g.text.strip() and g.completion_tokens > 0
    assert own.engine.restarts == before + 1


def test_a_request_in_flight_when_the_process_dies_is_retried_and_streams_no_piece_twice(own):
    first = own.generate(req("Count from one to thirty, in words.", n=60))
    restarts = own.engine.restarts
    pieces, started = [], threading.Event()
    out = {}

    def consume():
        try:
            s = own.stream(req("Count from one to thirty, in words.", n=60))
            for p in s:
                pieces.append(p)
                if len(pieces) == 5:
                    started.set()
                    time.sleep(0.5)  # the kill lands while the rest is being written
            out["g"] = s.result
        except Exception as e:  # noqa: BLE001 — shown by the assertion below
            out["error"] = e

    t = threading.Thread(target=consume)
    t.start()
    assert started.wait(60)
    own.engine.kill()  # as if another request had crashed the process
    t.join(120)
    assert "g" in out, out
    g = out["g"]
    assert own.engine.restarts == restarts + 1  # it was in flight when the process was killed
    assert g.text == first.text  # greedy: the retried pass writes what the lost one would have
    assert "".join(pieces) == g.text  # the consumer saw every character once


def test_a_request_that_crashes_the_process_twice_fails_with_a_sentence_and_others_go_on(own, monkeypatch):
    import irg.engine.backends as backends

    monkeypatch.setattr(backends, "make_decodable", lambda dc: (dc, []))  # as if the plan check had missed it
    bad = req("Say a letter.", n=4, constraints=DecodingConstraints(grammar='root ::= "a"', banned_words=["a"]))
    good = req("Name a fruit.", n=12)
    results = {}

    def run(name, r):
        try:
            results[name] = own.generate(r)
        except BackendError as e:
            results[name] = e

    threads = [threading.Thread(target=run, args=("bad", bad)), threading.Thread(target=run, args=("good", good))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert isinstance(results["bad"], BackendError) and "crashed on this request twice" in str(results["bad"])
    assert not isinstance(results["good"], Exception) and results["good"].text.strip()
    assert own.generate(req("Name a city.", n=8)).text.strip()


def test_a_batch_line_that_crashes_the_model_is_an_error_record_and_the_batch_finishes(tmp_path, monkeypatch, capsys):
    import irg.engine.backends as backends
    import irg.engine.plan as plan
    from irg.views.cli import main

    for module in (backends, plan):  # as if both checks had missed it
        monkeypatch.setattr(module, "make_decodable", lambda dc: (dc, []))
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    bad = {"id": "bad", "prompt": "Is the sky blue? Answer a or b.", "constraints": [
        {"kind": "choose_from", "options": ["a", "b"]}, {"kind": "forbidden_words", "words": ["a", "b"]}]}
    lines = [{"id": "x1", "prompt": "Say hi."}, bad, {"id": "x2", "prompt": "Say bye."}]
    inp.write_text("".join(json.dumps(x) + "\n" for x in lines))
    args = ["batch", "--in", str(inp), "--out", str(out), "--strategy", "irg_hybrid", "--max-iters", "3",
            "--max-new-tokens", "24"]
    assert main(args) == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {"x1", "bad", "x2"}
    assert rows["bad"].get("stop_reason") == "error" and "crashed" in rows["bad"]["stop_detail"]
    assert main(args) == 0  # resuming goes past it: nothing left to run
    assert "0 to run" in capsys.readouterr().err


def test_a_hung_model_process_is_replaced_and_its_requests_retried(own, monkeypatch):
    """Alive but silent to everyone (here: stopped), and not answering the liveness probe: killed, and the request
    that waited retries on a new process."""
    import os
    import signal

    import irg.engine.backends.llama_process as lp

    monkeypatch.setattr(lp, "STALL_SECONDS", 1.0)
    proc = own.engine.ensure()
    restarts = own.engine.restarts
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        t = time.perf_counter()
        assert own.generate(req("Say hi.", n=8)).text.strip()
        assert time.perf_counter() - t < 20 and own.engine.restarts == restarts + 1
    finally:
        try:
            os.kill(proc.pid, signal.SIGCONT)
        except ProcessLookupError:
            pass


def test_a_request_past_its_deadline_is_stopped_with_a_sentence(own):
    with pytest.raises(BackendError, match="watchdog"):
        own.engine.complete(own._body(req("Write a long story.", n=400),
                                      own.prompt_text(req("Write a long story.")), 400),
                            lambda ch: False, threading.Event(), 0.3)
    assert own.generate(req("Say hi.", n=8)).text.strip()


def test_kills_from_outside_are_never_blamed_on_the_request_and_every_restart_is_on_the_record(own):
    """Issue 34: two kill -9s from outside, the second while the request retries alone: the request is retried again
    (not blamed), ends with the text it would have written, and both restarts are on the record with their cause."""
    import os
    import signal

    first = own.generate(req("Count from one to fifty, in words.", n=120))
    seen = len(own.engine.recoveries)
    out = {}

    def consume():
        try:
            out["g"] = own.generate(req("Count from one to fifty, in words.", n=120))
        except Exception as e:  # noqa: BLE001 — shown by the assertion below
            out["error"] = e

    t = threading.Thread(target=consume)
    t.start()
    killed = set()
    for _ in range(2):  # each time: wait until the request is in flight on a new child, then kill that child
        t0 = time.monotonic()
        while time.monotonic() - t0 < 60:
            proc = own.engine.proc
            if proc.pid not in killed and proc.poll() is None and own.engine.active:
                break
            time.sleep(0.02)
        time.sleep(0.5)  # the request (re)started on this child
        killed.add(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
    t.join(120)
    assert "g" in out, out
    assert out["g"].text == first.text
    new = own.engine.recoveries[seen:]
    assert [r["event"] for r in new] == ["outside", "outside"] and all("signal 9" in r["cause"] for r in new)


def test_a_run_record_counts_the_restarts_it_lived_through(own):
    from irg.engine.config import RunConfig
    from irg.engine.record import Recorder
    from irg.engine.strategies import run

    rec = Recorder("r")
    events = rec.wrap(run("Count from one to forty, in words.", own, RunConfig(strategy="single_pass",
                                                                               max_new_tokens=96)))
    for ev in events:
        if type(ev).__name__ == "DraftToken" and not rec.record.get("_killed"):
            rec.record["_killed"] = True
            own.engine.kill()  # mid-draft
    assert rec.record["restarts"] == 1 and rec.record["restart_causes"][0].startswith("outside: ")
    assert rec.record["final"].strip()
