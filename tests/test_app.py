"""The app: view functions called directly, and gradio_client against a launched demo."""
import time

import pytest

from irg import ui
from irg.config import RunConfig
from irg.strategies import run


SETTINGS = dict(strategy="irg_external", max_iters=2, max_new_tokens=6)


def test_run_view_shows_every_module(backend):
    view = ui.RunView()
    for ev in run("Write about zebras. Include the keyword 'zebra'.", backend, RunConfig(**SETTINGS)):
        view.add(ev)
    md = view.markdown()
    for part in ("### Iteration 1", "**Critique**", "🔴 **critical** · rule · `include_keywords`", "**Plan for the next draft**",
                 "### Iteration 2", "**Stopped:** max iters"):
        assert part in md


@pytest.mark.parametrize("prompt,model,settings,msg", [
    ("", "bundled", SETTINGS, "prompt is empty"),
    ("hi", "bundled", {**SETTINGS, "max_iters": 0}, "at least 1"),
    ("hi", "no such model!", SETTINGS, "Unknown model"),
])
def test_bad_input_is_a_message(prompt, model, settings, msg):
    out = list(ui.stream_run(prompt, model, settings, "s1"))
    assert msg in out[-1][0] and out[-1][0].startswith("⚠️")


def test_stream_is_throttled_and_ends_with_final(model_dir):
    outs = list(ui.stream_run("Say hi.", model_dir, {**SETTINGS, "max_new_tokens": 200, "strategy": "single_pass"}, "s2"))
    assert outs[-1][1] and "score" in outs[-1][1]
    assert len(outs) < 200  # not one update per token


def test_stop_reaches_only_its_session(model_dir):
    gen_a = ui.stream_run("Say hi.", model_dir, {**SETTINGS, "max_new_tokens": 3000, "strategy": "single_pass"}, "A")
    next(gen_a), next(gen_a)  # loading message, then the run is under way
    ui.stop("B")  # another session's Stop
    assert not ui._cancels["A"].is_set()
    ui.stop("A")
    rest = list(gen_a)
    assert "cancelled" in rest[-1][0]


def test_gradio_client_streams_in_order_and_cancels(model_dir, monkeypatch):
    from gradio_client import Client

    import app

    demo = app.build_demo()
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True)
    try:
        client = Client(url, verbose=False)
        job = client.submit("Write about zebras. Include the keyword 'zebra'.", model_dir, "irg_external", "template", 2, 0, 0,
                            "best", 0.0, 32, api_name="/start")
        outs = job.result(timeout=120) and job.outputs()
        transcripts = [o[0] for o in outs]
        assert "### Iteration 2" in transcripts[-1] and "Stopped" in transcripts[-1]
        assert [("### Iteration 2" in t) for t in transcripts] == sorted("### Iteration 2" in t for t in transcripts)
        assert outs[-1][1]  # the final answer
        job = client.submit("Say hi.", model_dir, "single_pass", "template", 1, 0, 0, "best", 0.0, 512, api_name="/start")
        t0 = time.time()
        while len(job.outputs()) < 2 and time.time() - t0 < 60:
            time.sleep(0.1)
        job.cancel()
        time.sleep(1)
        job2 = client.submit("Say hi.", model_dir, "single_pass", "template", 1, 0, 0, "best", 0.0, 32, api_name="/start")
        assert job2.result(timeout=60)[1]  # the model is free for the next run
    finally:
        demo.close()
