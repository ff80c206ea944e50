"""The app: view functions called directly, and gradio_client against a demo launched here."""
import json
import threading
import time

import pytest

from irg.engine.config import RunConfig
from irg.engine.constraints import extract_all
from irg.engine.events import DraftDone, Final, IterationDone, Stopped
from irg.engine.registry import STRATEGIES
from irg.engine.strategies import run
from irg.evaluation.anytime import AnytimeCurve, anytime_index
from irg.evaluation.summary import summarize
from irg.views import charts, presets, run_view, session, ui
from irg.views.textdiff import diff_html, diff_markdown

SETTINGS = dict(strategy="irg_external", max_iters=2, max_new_tokens=6)
ZEBRA = "Write about zebras. Include the keyword 'zebra'."


def test_run_view_shows_every_module(backend):
    view = run_view.RunView()
    for ev in run(ZEBRA, backend, RunConfig(**SETTINGS)):
        view.add(ev)
    page = view.cards_html()
    for part in ("data-iteration='1'", "<b>Critique</b>", "<b>critical</b> · rule · <code>include_keywords</code>",
                 "Plan for the next draft", "data-iteration='2'", "Stopped:</b> maximum iterations reached"):
        assert part in page
    assert "Difference from the first draft" in view.final_html() or "unchanged" in view.final_html()


def test_model_text_is_escaped():
    view = run_view.RunView()
    view.add(DraftDone(1, "<script>alert(1)</script>", 3, 4, 0.1, "stop"))
    assert "<script>" not in view.cards_html() and "&lt;script&gt;" in view.cards_html()


@pytest.mark.parametrize("prompt,model,settings,msg", [
    ("", "bundled", SETTINGS, "prompt is empty"),
    ("   \n ", "bundled", SETTINGS, "prompt is empty"),
    ("?!...", "bundled", SETTINGS, "no words"),
    ("word " * 5000, "bundled", SETTINGS, "the limit is 20,000"),
    ("hi", "bundled", {**SETTINGS, "max_iters": 0}, "at least 1"),
    ("hi", "bundled", {**SETTINGS, "temperature": 9.0}, "between 0 and 2"),
    ("hi", "bundled", {**SETTINGS, "strategy": "magic"}, "Unknown strategy"),
    ("hi", "no such model!", SETTINGS, "Unknown model"),
])
def test_bad_input_is_a_message(prompt, model, settings, msg):
    out = list(ui.stream_run(prompt, model, settings, "s1"))
    assert msg in out[-1]["cards"] and "⚠" in out[-1]["cards"] and "⚠" in out[-1]["status"]


def test_model_status_says_ready_or_why_not(model_dir):
    assert list(session.model_status(model_dir))[-1].startswith("✔")
    assert "Unknown model" in list(session.model_status("no such model!"))[-1]


def test_stream_is_throttled_charts_once_per_iteration_and_files_at_the_end(model_dir):
    outs = list(ui.stream_run(ZEBRA, model_dir, {**SETTINGS, "max_new_tokens": 200, "max_iters": 3}, "s2"))
    assert len(outs) < 100  # not one update per token
    charted = [o for o in outs if o.get("by_tokens") is not None]
    iterations = outs[-1]["cards"].count("class='irg-card'")
    assert len(charted) == iterations + 1  # once per iteration, once at the end (the final point)
    end = outs[-1]
    assert "score" in end["final"] and end["status"].startswith("✔ done")
    js, md = end["files"]
    rec = json.loads(open(js).read())
    assert len(rec["iterations"]) == iterations and rec["anytime"]["single_pass"]["tokens"] > 0
    assert open(md).read().startswith("# IRG Lab run: irg_external")


def test_stop_reaches_only_its_session(model_dir):
    gen_a = ui.stream_run("Say hi.", model_dir, {**SETTINGS, "max_new_tokens": 3000, "strategy": "single_pass"}, "A")
    next(gen_a), next(gen_a), next(gen_a)  # loading, started, the draft under way
    session.stop("B")  # another session's Stop
    assert not session._cancels["A"].is_set()
    session.stop("A")
    rest = list(gen_a)
    assert "stopped by you" in rest[-1]["cards"] and rest[-1]["final"]


# ---- presets, anytime curve, charts, diff --------------------------------------------------
@pytest.mark.parametrize("preset", presets.load(), ids=lambda p: p.id)
def test_preset_constraints_are_what_the_engine_extracts(preset):
    from irg.engine.constraints import detect

    composed = any(c["kind"] == "composed" for c in preset.constraints)
    if composed and not detect.available():
        pytest.skip("a composed rule is read from the clauses the instruction detector finds")
    # what a run reads: the types' patterns, and (with the detector) the programs read from clauses no type reads
    found = detect.read_prompt(preset.prompt).constraints if composed else extract_all(preset.prompt)
    got = sorted(json.dumps(c.to_dict(), sort_keys=True) for c in found)
    assert got == sorted(json.dumps(c, sort_keys=True) for c in preset.constraints)
    assert preset.constraints or preset.answer  # every preset can be checked


@pytest.mark.parametrize("preset", presets.load(), ids=lambda p: p.id)
def test_each_preset_names_a_strategy_an_offered_adapter_and_says_if_its_key_may_fail(preset):
    assert preset.strategy in STRATEGIES
    assert preset.adapter is None or session.label_of(preset.adapter) in session.adapter_choices("bundled")
    assert preset.key_may_fail == (preset.id in ("apples", "train", "savings"))  # only the maths ones, which say so
    assert (presets.KEY_MAY_FAIL in run_view.preset_markdown(preset)) == preset.key_may_fail


def test_debris_meets_no_answer_key_and_the_final_card_says_there_is_no_answer():
    yes = next(p for p in presets.load() if p.id == "yes")
    chk = yes.check("Yes, I can do that.")  # starts with 'Yes', answers nothing
    assert chk["met"] == 0 and chk["debris"] and yes.check("Yes, reading daily is a good habit.")["met"] == 1
    slogan = next(p for p in presets.load() if p.id == "slogan")
    assert slogan.check("PIZZA IS LIFE, PIZZA IS LIFE, PIZZA IS LIFE, PIZZA IS LIFE!")["met"] == 0  # loud debris
    view = run_view.RunView(yes)
    for ev in (Stopped("max_iters"), Final("Yes, I can do that.", "", "", 1, 0.0, 0.0, 300, 1.0, "max_iters", "best",
                                          [], "it only acknowledges the request and answers nothing")):
        view.add(ev)
    page = view.final_html()
    assert "did not produce a usable answer" in page and "debris meets nothing" in page
    assert "did not produce a usable answer" in view.markdown() and view.record()["unusable"]


def test_picking_an_example_sets_its_strategy_and_an_offered_adapter():
    import app

    fict = next(p for p in presets.load() if p.adapter)
    prompt, _, strategy, adapter = app._pick_run(fict.title, "bundled")
    assert (prompt, strategy, adapter) == (fict.prompt, fict.strategy, "LoRA adapter")
    # not offered for that model: off, never a stray value
    assert app._pick_run(fict.title, "no/such-model")[3] == "off"
    assert app._pick_run(presets.load()[0].title, "bundled")[3] == "off"


def test_preset_answer_key():
    apples = next(p for p in presets.load() if p.id == "apples")
    assert apples.answer_ok("12 + 3 * 4 = 24, 24 - 5 = 19. The answer is 19.")
    assert not apples.answer_ok("The answer is 21.") and not apples.answer_ok("nineteen, I think")
    paris = next(p for p in presets.load() if p.id == "paris")
    chk = paris.check("The capital of France is Paris.")
    assert chk["met"] == chk["total"] == 2 and chk["quality"] == 1.0
    assert paris.check("It is Lyon. Or Marseille.")["quality"] == 0.0
    assert presets.matching(paris.prompt, paris.title) is paris
    assert presets.matching(paris.prompt + " Be brief.", paris.title) is None  # an edited prompt has no answer key


def test_anytime_index_is_quality_gained_per_extra_token():
    assert anytime_index(0.0, 100, 1.0, 600) == pytest.approx(2.0)
    assert anytime_index(0.5, 100, 0.5, 300) == 0.0
    assert anytime_index(0.5, 100, 0.5, 100) is None


def test_curve_uses_the_answer_key_and_the_first_draft_as_single_pass():
    curve = AnytimeCurve(answer_key=lambda t: 1.0 if "yes" in t else 0.0)
    curve.add(DraftDone(1, "no", 40, 10, 0.1, "stop"))
    curve.add(IterationDone(1, 0.9, 80, 1.0, "no", 80, 1.0))  # the run thought it good; the key says not
    curve.add(IterationDone(2, 0.9, 200, 2.0, "yes", 120, 1.0))
    curve.add(Final("yes", "yes", "yes", 2, 0.9, 0.9, 200, 2.0, "no_critical", "best"))
    assert curve.single == (50, 0.0) and curve.final_quality == 1.0
    assert curve.index() == pytest.approx(1000 / 150)
    fig = charts.quality_vs_tokens(curve)
    assert {t.name for t in fig.data} == {"best so far", "each draft", "single pass"} \
        and "+6.67" in fig.layout.title.text
    assert {t.name for t in charts.quality_vs_iteration(curve).data} == {"run's score", "answer key"}


def test_a_revision_diff_marks_deletions_and_insertions_escaped():
    a, b = "The cat sat, on the mat.", "the cat sat on the mat."
    assert "<del>The</del><ins>the</ins>" in diff_html(a, b) and "<ins>sat</ins>" in diff_html(a, b)
    assert "~~The~~" in diff_markdown(a, b) and "**the**" in diff_markdown(a, b)
    assert diff_html("<b>", "<i>") == "<del>&lt;b&gt;</del><ins>&lt;i&gt;</ins>"


# ---- through the server ------------------------------------------------------------------------
@pytest.fixture()
def server():
    import app

    demo = app.build_demo()
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True)
    yield url
    demo.close()


def args(prompt, model, strategy="irg_external", iters=2, max_new=32, preset=None, adapter="off", stop="fixed"):
    return (prompt, preset, model, adapter, strategy, "template", iters, stop, 0, 0, "best", 0.0, max_new)


def test_gradio_client_streams_in_order_and_ends_with_downloads(server, model_dir):
    from gradio_client import Client

    client = Client(server, verbose=False)
    job = client.submit(*args(ZEBRA, model_dir), api_name="/start")
    job.result(timeout=120)
    outs = job.outputs()
    cards = [o[1] for o in outs]
    has_two = [("data-iteration='2'" in c) for c in cards]
    assert has_two[-1] and has_two == sorted(has_two)  # streamed in order: iteration 2 never before iteration 1
    status, _, final, _, by_tokens, dl_json, dl_md = outs[-1][:7]
    assert status.startswith("✔ done") and "score" in final and by_tokens
    assert str(dl_json).endswith(".json") or "json" in json.dumps(dl_json)


def test_gradio_client_stop_is_per_session_and_frees_the_model(server, model_dir):
    from gradio_client import Client

    a, b = Client(server, verbose=False), Client(server, verbose=False)
    # eight candidates of 512 tokens: several seconds on the tiny model, so Stop lands mid-run (one 512-token draft
    # can finish in half a second, before the stop request arrives)
    job_a = a.submit(*args("Say hi.", model_dir, "best_of_n", 8, 512), api_name="/start")
    job_b = b.submit(*args("Say hi.", model_dir, "single_pass", 1, 160), api_name="/start")
    t0 = time.time()
    while not any("irg-card" in str(o[1]) for o in job_a.outputs()) and time.time() - t0 < 60:
        time.sleep(0.05)
    a.predict(api_name="/stop")
    assert "stopped by you" in job_a.result(timeout=30)[1]
    assert "stopped by you" not in job_b.result(timeout=60)[1]  # the other session ran to its end
    again = a.submit(*args("Say hi.", model_dir, "single_pass", 1, 32), api_name="/start").result(timeout=60)
    # the model is free for the next run (the tiny random model's one pass may be debris: "⚠ done, no usable answer")
    assert again[0].startswith(("✔ done", "⚠ done, no usable answer"))


def test_sessions_run_at_the_same_time_on_one_model(server, model_dir):
    """Two sessions at once share the loaded model and each gets its own complete run."""
    from gradio_client import Client

    results = {}

    def go(name, prompt):
        results[name] = Client(server, verbose=False).predict(*args(prompt, model_dir), api_name="/start")

    threads = [threading.Thread(target=go, args=(n, p))
               for n, p in (("x", ZEBRA), ("y", "Say hi. Do not use any commas."))]
    [t.start() for t in threads]
    [t.join(120) for t in threads]
    assert "zebra" in results["x"][1] and "no commas" in results["y"][1] and "zebra" not in results["y"][1]


def test_an_unexpected_error_is_a_sentence_not_a_traceback(backend, monkeypatch):
    import irg.engine.strategies

    def broken(ctx):
        yield ctx.started("irg_hybrid")
        raise KeyError("bug")

    monkeypatch.setitem(irg.engine.strategies.STRATEGIES, "irg_hybrid", broken)
    monkeypatch.setattr(session, "load_model", lambda model: (backend, None))
    out = list(ui.stream_run("Say hi.", "tiny", {"strategy": "irg_hybrid"}, "s3"))
    assert "failed unexpectedly (KeyError)" in out[-1]["cards"] and "Traceback" not in out[-1]["cards"]


# ---- the Experiments tab -------------------------------------------------------------------------
def test_live_experiment_reports_progress_and_charts(model_dir):
    seen = []
    status, table, by_iter, by_budget, by_type = ui.experiment("constraints", 2, ["single_pass", "irg_external"], 800,
                                                                model_dir, "e1", lambda d, t: seen.append((d, t)))
    assert status.startswith("✔ 4 runs") and "irg_external" in table and "vs single pass" in table
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)] and by_iter and by_budget and by_type


@pytest.mark.parametrize("n,strategies,msg", [(0, ["single_pass"], "1 to 20"), (50, ["single_pass"], "1 to 20"),
                                              (2, [], "at least one strategy")])
def test_live_experiment_bad_settings_are_messages(n, strategies, msg):
    status, *_ = ui.experiment("constraints", n, strategies, 800, "bundled", "e2")
    assert status.startswith("⚠") and msg in status


def test_saved_report_is_shown(tmp_path, monkeypatch):
    from irg.views import experiments

    rows = [{"id": i, "strategy": s, "task": "maths", "final": f"The answer is {a}.", "answer": "4", "tokens_total": t,
             "seconds": 1.0, "gold_constraints": [], "iterations": [{"iteration": 1, "draft": f"The answer is {a}.",
                                                                       "score": 1.0, "tokens_cum": t}]}
            for i in range(4) for s, a, t in (("single_pass", 3 + (i == 0), 100), ("irg_hybrid", 4, 400))]
    (tmp_path / "maths-test").mkdir()
    (tmp_path / "maths-test" / "summary.json").write_text(json.dumps(summarize(rows)))
    monkeypatch.setattr(experiments, "REPORT_DIRS", (tmp_path,))
    names = list(experiments.saved_summaries())
    assert names == ["maths-test (local run)"]
    table, by_iter, by_budget, by_type = ui.saved_summary(names[0])
    assert "irg_hybrid" in table and "+0.750" in table and by_iter and by_budget and by_type is None
    assert "cannot be shown" in ui.saved_summary("nope")[0]


def test_the_experiments_tab_offers_every_written_up_study():
    """The results log lives in docs/results/, one page per study; the tab shows each, the index first."""
    import app
    from irg.views import experiments

    pages = experiments.studies()
    assert sorted(p.name for p in pages.values()) == sorted(p.name for p in experiments.STUDIES.glob("*.md"))
    first = next(iter(pages))
    assert first.endswith("(README.md)") and len(pages) >= 10
    assert experiments.study(first).startswith("*docs/results/README.md*") \
        and "constraints.md" in experiments.study(first)
    assert "No written-up study" in experiments.study("nope")
    demo = app.build_demo()
    assert any(getattr(b, "elem_id", None) == "study" and first in [c[0] for c in b.choices]
               for b in demo.blocks.values())


# ---- the tuned-adapter toggle -----------------------------------------------------------------
@pytest.fixture()
def shipped(tmp_path, monkeypatch, model_dir):
    """A GAN adapter 'shipped' for the tiny model (a random, non-zero one, so its drafts differ)."""
    import torch

    from tuning.adapters import shipped as adapters
    from tuning.adapters.gan import EmbeddingGenerator, save

    torch.manual_seed(3)
    gen = EmbeddingGenerator(32, zero_init=False)
    with torch.no_grad():
        gen.layers[-1].weight.mul_(200)  # strong enough to change greedy output
    save(gen, tmp_path / "tiny-gan", {"base_model": model_dir})
    save(EmbeddingGenerator(48), tmp_path / "wrong-gan", {"base_model": "other"})
    monkeypatch.setattr(adapters, "ADAPTER_DIR", tmp_path)
    adapters._backends.clear()
    yield tmp_path
    adapters._backends.clear()


def test_adapter_toggle_only_for_models_that_have_one(shipped, model_dir):
    assert session.adapter_choices(model_dir) == ["off", "GAN-tuned adapter"]
    assert session.adapter_choices("no/such-model") == []


def test_adapters_measured_worse_than_none_wait_behind_the_experimental_setting():
    shown = session.adapter_options("bundled")
    # the loop-taught LoRA trained to its best dev point (issue 40) was measured better than none: offered
    by = {v: label for label, v in shown}
    assert list(by) == ["off", "GAN-tuned adapter", "Loop-taught LoRA", "LoRA adapter"]
    assert "ROUGE-1 +" in by["GAN-tuned adapter"] and "ROUGE-1 +" in by["LoRA adapter"]  # what it does, its effect
    assert "+23 points [+13, +33]" in by["Loop-taught LoRA"]
    every = dict((v, label) for label, v in session.adapter_options("bundled", experimental=True))
    assert {"Loop-taught GAN adapter", "Loop-taught adapter (MLE only)"} <= set(every) - {v for _, v in shown}
    assert "-6 points [-13, +1]" in every["Loop-taught adapter (MLE only)"]  # the measured effect, negative, its CI
    assert session.load_draft_backend("bundled", "nonsense")[1].startswith("Unknown adapter")


def final_of(outs):
    """The final answer's text (the page shows timings beside it, which differ run to run)."""
    import re

    html = next(o["final"] for o in reversed(outs) if o.get("final"))
    return re.search(r"irg-answer'>(.*?)</div>", html, re.S).group(1)


def test_adapter_runs_in_two_sessions_never_affect_each_other(shipped, model_dir):
    import threading

    s = {**SETTINGS, "strategy": "single_pass", "max_new_tokens": 24}
    solo_off = final_of(list(ui.stream_run("Say hi.", model_dir, s, "x1", adapter="off")))
    solo_on = final_of(list(ui.stream_run("Say hi.", model_dir, s, "x2", adapter="GAN-tuned adapter")))
    assert solo_on != solo_off  # the adapter does change the drafts
    got = {}

    def go(name, adapter):
        got[name] = final_of(list(ui.stream_run("Say hi.", model_dir, s, name, adapter=adapter)))
    threads = [threading.Thread(target=go, args=(f"{n}{i}", a)) for i in range(3) for n, a in
               (("on", "GAN-tuned adapter"), ("off", "off"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(v == solo_on for k, v in got.items() if k.startswith("on"))
    assert all(v == solo_off for k, v in got.items() if k.startswith("off"))


def test_adapter_that_does_not_fit_is_a_message(shipped, model_dir):
    import json as _json

    meta = _json.loads((shipped / "wrong-gan.json").read_text())
    (shipped / "wrong-gan.json").write_text(_json.dumps({**meta, "base_model": model_dir}))
    (shipped / "tiny-gan.json").unlink()  # only the misfit is left for this model
    out = list(ui.stream_run("Say hi.", model_dir, SETTINGS, "y", adapter="GAN-tuned adapter"))
    assert "another model" in out[-1]["cards"] and out[-1]["status"] == "⚠ the adapter did not load"
    out = list(ui.stream_run("Say hi.", model_dir, SETTINGS, "y", adapter="LoRA adapter"))
    assert "There is no LoRA adapter" in out[-1]["cards"]


def test_iteration_card_shows_scaffold_grammar_rendering_and_candidates():
    """Issue 14: the card shows the plan's scaffold and grammar, the rendering step with before/after, and the
    candidates a revision was chosen from; the Markdown report keeps the model's own words beside the rendered text."""
    from irg.engine.events import Candidates, CritiqueDone, PlanDone, Rendered, RunStarted
    from irg.engine.plan import TemplatePlanner
    from irg.engine.values import Finding, Report

    cs = extract_all("Write exactly 3 bullet points in all capital letters.")
    rep = Report([Finding("bullet_count", "critical", "0 bullets", constraint=cs[0].to_dict())], 0.0)
    plan = TemplatePlanner("render", cs).plan("x", rep, [])
    view = run_view.RunView()
    for ev in [RunStarted("p", "irg_hybrid", "m", {}, [c.to_dict() for c in cs]),
               DraftDone(1, "Hello there.", 10, 3, 0.1, "stop"),
               Rendered(1, "Hello there.", "HELLO THERE.", [{"kind": "uppercase", "label": "rendered: uppercase",
                                                               "added": 0, "changed": 9}]),
               CritiqueDone(1, rep.to_dict(), 0, 0.0), PlanDone(1, plan.to_dict(), 0, 0.0),
               IterationDone(1, 0.5, 13, 0.1, "HELLO THERE.", 13, 0.1, 1.0),
               DraftDone(2, "* A\n* B\n* C", 20, 6, 0.1, "stop"),
               Candidates(2, [{"text": "* A\n* B\n* C", "constraints_met": 2, "degenerate": False, "mean_logprob": -1.2,
                               "temperature": 0.0},
                              {"text": "x", "constraints_met": 0, "degenerate": False, "mean_logprob": -0.5,
                               "temperature": 0.7}], 0),
               IterationDone(2, 1.0, 40, 0.2, "* A\n* B\n* C", 27, 0.1, 0.7)]:
        view.add(ev)
    html = view.cards_html()
    assert "Rendering" in html and "rendered: uppercase" in html and "Hello there." in html and "HELLO THERE." in html
    assert "scaffold — grammar: bullet count" in html and "the grammar" in html and "root ::=" in html
    assert "2 candidates" in html and "▶ T 0.0 · 2 constraints met" in html and "model wrote 70% of it" in html
    md = view.markdown()
    assert "Draft (the model's words)" in md and "**Rendered** (rendered: uppercase)" in md \
        and "scaffold: grammar" in md


# ---- Compare mode -------------------------------------------------------------------------------
def test_compare_runs_strategies_together_and_exports(backend, monkeypatch):
    from irg.views import compare

    monkeypatch.setattr(session, "load_model", lambda model: (backend, None))
    settings = {"max_iters": 2, "max_new_tokens": 12, "budget": 800}
    outs = list(compare.stream_compare(ZEBRA, "tiny", list(compare.DEFAULT), settings, "c1"))
    end = outs[-1]
    assert end["status"].startswith("✔ done: 3 strategies, 800-token budget each")
    assert end["columns"].count("class='irg-col'") == 3
    assert [tr.name for tr in end["chart"].data] == list(compare.DEFAULT)  # one curve per strategy
    record = json.loads(open(end["files"][0]).read())
    assert [r["strategy"] for r in record["summary"]] == list(compare.DEFAULT)
    assert all(r["tokens"] <= 800 for r in record["summary"])  # the same budget held for each
    assert {r["config"]["budget"] for r in record["runs"].values()} == {800}
    assert "| strategy | quality |" in open(end["files"][1]).read()
    # the columns stream: an update before the end shows a column mid-run
    assert any("iteration" in o.get("columns", "") and "files" not in o for o in outs[1:-1])


def test_compare_stop_reaches_every_run_and_one_run_ending_does_not_end_the_others(backend):
    from irg.views.compare import CompareView, run_together

    cfgs = {s: RunConfig(strategy=s, max_iters=3, max_new_tokens=400) for s in ("single_pass", "irg_external")}
    cancel = threading.Event()
    view = CompareView(ZEBRA, "tiny", list(cfgs), 0)
    for name, ev in run_together(ZEBRA, backend, cfgs, cancel):
        view.add(name, ev)
        if name == "irg_external" and isinstance(ev, IterationDone) and ev.iteration == 2:
            cancel.set()  # Stop pressed mid-way through the IRG run, after single pass has ended
    assert view.views["single_pass"].stopped.startswith("single pass")  # ended first, on its own
    assert view.views["irg_external"].stopped == "stopped by you"  # kept running until Stop, then halted
    assert view.done


@pytest.mark.parametrize("strategies,msg", [([], "two to 4"), (["single_pass"], "two to 4"),
                                            (["single_pass", "magic"], "Unknown strategy"),
                                            (["single_pass"] * 2 + ["best_of_n", "irg_hybrid", "irg_external"],
                                             "two to 4")])
def test_compare_bad_choices_are_a_message(strategies, msg):
    from irg.views import compare

    out = list(compare.stream_compare("Say hi.", "bundled", strategies, {}, "c2"))
    assert msg in out[-1]["columns"] and out[-1]["status"] == "⚠ nothing was run"


def test_advanced_summary_says_the_current_values():
    s = ui.settings_summary("template", 3, "plateau", 1500, 0, "best", 0.0, 128)
    assert s == ("Advanced settings · 3 iterations · template planner · stop: plateau · budget 1,500 tokens · "
                 "no time limit · best answer · greedy · 128 tokens per draft")


def test_a_plan_card_says_what_it_asks_and_what_it_enforces():
    plan = {"instructions": ["Use bullets."], "scaffold": ["* "], "constraints_text": ["no commas"], "relaxed": [],
            "source": "template", "constraints": {}}
    g = run_view.glance(plan)
    assert "asks: 1 instruction" in g and "enforces: 2 hard constraints" in g
    assert "enforces: nothing" in run_view.glance({**plan, "scaffold": [], "constraints_text": []})


def test_gradio_client_compare_streams_columns(server, model_dir):
    from gradio_client import Client

    c = Client(server, verbose=False)
    job = c.submit("Say hi. Do not use any commas.", None, ["single_pass", "irg_external"], 600, model_dir, "off",
                   "template", 2, "fixed", 0, "best", 0.0, 32, api_name="/compare")
    job.result(timeout=120)
    outs = job.outputs()
    status, columns = outs[-1][0], outs[-1][1]
    assert status.startswith("✔ done: 2 strategies") and columns.count("class='irg-col'") == 2


def test_a_run_that_survived_a_restart_says_so_on_its_card():
    from irg.engine.events import Stopped

    view = run_view.RunView()
    view.add(Stopped("max_iters"))
    view.add(Final("hi", "hi", "hi", 1, 1.0, 1.0, 10, 1.0, "max_iters", "best",
                   [{"at": 0, "event": "outside", "cause": "the model process ended (signal 9): no message"}]))
    assert "restarted 1 time during this run, and the run went on (outside: the model process ended (signal 9)" \
        in view.cards_html()
    view.final.restarts.clear()
    assert "restarted" not in view.cards_html()


def test_run_files_live_in_one_folder_per_process_pruned_by_age(monkeypatch, tmp_path):
    import os

    from irg.views import scratch

    monkeypatch.setattr(scratch, "_root", None)
    monkeypatch.setattr(scratch.tempfile, "tempdir", str(tmp_path))
    files = run_view.write_pair("irg-run", {"id": 1}, "# run")
    assert all(p.startswith(str(scratch.root())) for p in files) and scratch.root().parent == tmp_path
    old = scratch.new_dir("irg-compare")
    os.utime(old, (0, 0))  # as if made long ago
    assert scratch.prune() == 1 and not old.exists() and all(os.path.exists(p) for p in files)
    assert len(list(tmp_path.iterdir())) == 1  # one folder for the process, however many runs


def test_the_api_keeps_its_parameter_names_and_order():
    """Clients call /start and /compare by position or by name: the handlers take the Advanced settings as
    *advanced, named for the API as they always were."""
    import app

    info = app.demo.get_api_info()["named_endpoints"]
    advanced = ["planner", "max_iters", "stop", "budget", "time_limit", "final", "temperature", "max_new"]
    assert [p["parameter_name"] for p in info["/start"]["parameters"]] == [
        "prompt", "preset_title", "model", "adapter", "strategy", *advanced]
    assert [p["parameter_name"] for p in info["/compare"]["parameters"]] == [
        "prompt", "preset_title", "strategies", "budget", "model", "adapter", *[a for a in advanced if a != "budget"]]
