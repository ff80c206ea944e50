"""IRG Lab: watch a micro language model draft, critique and plan its way to a better answer.

Only components and wiring here; the logic is in irg/ (irg/views/ui.py turns the engine's events
into page updates). `make run` starts it on 127.0.0.1:7860; on Hugging Face Spaces the
module-level `demo` is served.
"""
from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from irg.engine.access import Access
from irg.engine.config import FINAL_MODES, RunConfig
from irg.engine.models import default_model
from irg.engine.registry import PLANNERS, STOP_RULES, STRATEGIES
from irg.views import compare, experiments, explain, plugins, presets, run_view, scratch, session, ui
from irg.views.tabs import TABS

plugins.load()  # the tuned adapters register with the engine (the toggle on the Run tab)

OUT_KEYS = ("status", "cards", "final", "by_iteration", "by_tokens")
CMP_KEYS = ("status", "columns", "chart")
HEADLINE_REPORT = "headline (committed)"  # what the Experiments tab opens on: the constraints test split, issue 38


def _outputs(update: dict, keys=OUT_KEYS) -> list:
    """One page update from irg.views.ui -> values for the output components (unchanged ones skipped); the first
    update of a run reveals the results area and hides the "what you will see" note."""
    vals = [update.get(k, gr.skip()) for k in keys]
    shown = [gr.Column(visible=True), gr.Markdown(visible=False)]  # also for a message: it is shown in the results
    if "files" not in update:
        return vals + [gr.skip(), gr.skip()] + shown
    files = update["files"]
    return vals + ([gr.DownloadButton(value=f, visible=True) for f in files] if files
                   else [gr.DownloadButton(value=None, visible=False)] * 2) + shown


def _tuning_table():
    try:
        from tuning.adapters.compare_view import saved
    except ImportError:  # a slim install without the tuning package
        return "The tuning package is not installed.", None
    return saved()


def _teacher_section() -> str:
    try:
        from tuning.loop.table import teacher_section
    except ImportError:  # a slim install without the tuning package
        return ""
    return teacher_section()


def _learning_curves():
    """(caption, chart) of the students' learning curves (issue 40), or None when the tuning package or the curves
    are absent."""
    try:
        from tuning.loop import chart
    except ImportError:
        return None
    curves = chart.load()
    return (chart.caption(curves), chart.figure(curves)) if curves else None


def _adapter_radio(options: list[tuple[str, str]], keep: str | None = None) -> gr.Radio:
    """The adapter toggle: shown only for models that have an adapter on offer; each choice says what it does and
    its measured effect (vs no adapter, 95% CI). Adapters not measured better than none wait behind the
    experimental box."""
    value = keep if keep in [v for _, v in options] else session.ADAPTER_OFF  # a choice still offered stays chosen
    return gr.Radio(options or [session.ADAPTER_OFF], value=value, visible=bool(options), elem_id="adapter",
                    label="Tuned adapter on the draft module",
                    info="Drafts come from the model with this adapter, on llama.cpp: "
                         "the GAN adapter folded into a copy "
                         "of the model file, a LoRA as llama.cpp's adapter file, written once on first use (seconds). "
                         "Critique and plan come from the plain model. Try the example about a fictitious author.")


def _example_cards(elem_id: str) -> gr.Dataset:
    """The classroom examples as clickable cards (each sets the example picker, which fills the prompt)."""
    return gr.Dataset(components=[gr.Textbox(visible=False)], samples=[[t] for t in presets.titles()], type="index",
                      label="Classroom examples — click one", elem_id=elem_id, samples_per_page=12)


def _downloads(what: str, elem: str) -> tuple[gr.DownloadButton, gr.DownloadButton]:
    """The JSON and Markdown download buttons, hidden until a run has files to offer."""
    with gr.Row():
        return (gr.DownloadButton(f"Download {what} (JSON)", visible=False, elem_id=f"{elem}-json"),
                gr.DownloadButton(f"Download {what} (Markdown)", visible=False, elem_id=f"{elem}-md"))


@TABS.register("Run")
def _run_tab(page: SimpleNamespace) -> None:
    """Model and strategy up front, examples as cards, the prompt and Run; the rest in Advanced; results after a run.
    The model, the adapter and the advanced settings are the page's: the other tabs read them (`page.run`)."""
    d = RunConfig()
    with gr.Row():
        public = Access.from_env().public  # a public server offers its listed models only (irg/engine/access.py)
        offered = session.choices()
        model = gr.Dropdown(offered, value=default_model() if default_model() in offered or not public else offered[0],
                            allow_custom_value=not public, label="Model", scale=2,
                            min_width=300, elem_id="model",
                            info="bundled = SmolLM2-135M-Instruct." + ("" if public else
                                 " Or a hub id, a local folder, a .gguf file or a server's URL."))
        strategy = gr.Dropdown(list(STRATEGIES.names()), value=d.strategy, label="Strategy", scale=1, min_width=240,
                               elem_id="strategy",
                               info="single_pass: one draft. irg_*: draft, critique, plan, repeat.")
    model_status = gr.Markdown(f"`{default_model()}` loads on the first run.", elem_id="model-status")
    adapter = _adapter_radio(session.adapter_options(default_model()))
    examples = _example_cards("examples")
    with gr.Row():
        preset = gr.Dropdown(presets.titles(), value=None, label="Classroom example", elem_id="preset", scale=1,
                             min_width=240,
                             info="With an answer key: checkable constraints and, where there is one, an exact "
                                  "result or a reference answer.")
        prompt = gr.Textbox(lines=3, label="Prompt", elem_id="prompt", scale=2, min_width=300,
                            placeholder="e.g. Describe a forest in all lowercase letters and without any commas.")
    preset_note = gr.Markdown()
    with gr.Row():
        run_btn = gr.Button("Run", variant="primary", elem_id="run")
        stop_btn = gr.Button("Stop", variant="stop", elem_id="stop")
    with gr.Accordion(ui.settings_summary(*[getattr(d, f) for f in ui.ADVANCED]), open=False,
                      elem_id="advanced") as advanced:
        with gr.Row():
            planner = gr.Radio(list(PLANNERS.names()), value=d.planner, label="Planner (IRG strategies)")
            max_iters = gr.Slider(1, 8, value=d.max_iters, step=1, label="Max iterations (candidates for best-of-N)")
            stop_rule = gr.Radio(list(STOP_RULES.names()), value=d.stop, label="Stop rule (IRG strategies)",
                                 elem_id="stop-rule",
                                 info="fixed: when nothing critical is left or at max iterations. plateau: also when "
                                      "the score stops rising. adaptive: also when a model learned from logged runs "
                                      "expects too little gain for the tokens.")
        with gr.Row():
            budget = gr.Number(value=0, precision=0, minimum=0, label="Token budget (0 = none)")
            time_limit = gr.Number(value=0, minimum=0, label="Time limit, seconds (0 = none)")
            final = gr.Radio(list(FINAL_MODES), value=d.final, label="Final answer")
        with gr.Row():
            temperature = gr.Slider(0, 1.5, value=d.temperature, step=0.1, label="Temperature (0 = greedy)")
            max_new = gr.Slider(32, 512, value=d.max_new_tokens, step=16, label="Max new tokens per draft")
            experimental = gr.Checkbox(False, label="Experimental adapters", elem_id="experimental-adapters",
                                       info="Also offer the tuned adapters not measured better than no adapter "
                                            "(the loop-taught students).")
    adv = dict(zip(ui.ADVANCED, (planner, max_iters, stop_rule, budget, time_limit, final, temperature, max_new),
                   strict=True))
    intro = gr.Markdown(ui.WHAT_YOU_WILL_SEE, elem_id="intro")
    status = gr.Markdown(elem_id="status")
    with gr.Column(visible=False, elem_id="results") as results:
        cards = gr.HTML(elem_id="cards", css_template=run_view.CARD_CSS)
        final_html = gr.HTML(label="Final answer", show_label=True, container=True, elem_id="final",
                             css_template=run_view.CARD_CSS)
        with gr.Row():
            by_iteration = gr.Plot(show_label=False, elem_id="plot-iteration", min_width=300)
            by_tokens = gr.Plot(show_label=False, elem_id="plot-tokens", min_width=300)
        dl_json, dl_md = _downloads("run", "dl")
    page.run = SimpleNamespace(**{k: v for k, v in locals().items() if k not in ("page", "d")})
    _wire_run(page.run)


@TABS.register("Compare")
def _compare_tab(page: SimpleNamespace) -> None:
    """Two to four strategies on one prompt at one budget, side by side (irg/views/compare.py)."""
    gr.Markdown("**Compare strategies at the same token budget.** One prompt; two to four strategies run together "
                "on the model chosen on the Run tab (one shared model: llama.cpp decodes their requests in the "
                "same batches), streamed side by side, with every strategy on one anytime chart. Other settings "
                "(iterations, planner, temperature, draft length) come from the Run tab's Advanced settings.")
    cmp_examples = _example_cards("cmp-examples")
    with gr.Row():
        cmp_preset = gr.Dropdown(presets.titles(), value=None, label="Classroom example", elem_id="cmp-preset", scale=1,
                                 min_width=240)
        cmp_prompt = gr.Textbox(lines=3, label="Prompt", elem_id="cmp-prompt", scale=2, min_width=300,
                                placeholder="e.g. Write exactly three bullet points about tea.")
    cmp_note = gr.Markdown()
    with gr.Row():
        cmp_strats = gr.CheckboxGroup(list(STRATEGIES.names()), value=list(compare.DEFAULT),
                                      label="Strategies (2 to 4)",
                                      elem_id="cmp-strategies", scale=3, min_width=300)
        cmp_budget = gr.Number(value=compare.DEFAULT_BUDGET, precision=0, minimum=0, scale=1, min_width=200,
                               elem_id="cmp-budget",
                               label="Token budget for each strategy (0 = none)")
    with gr.Row():
        cmp_run = gr.Button("Compare", variant="primary", elem_id="cmp-run")
        cmp_stop = gr.Button("Stop all", variant="stop", elem_id="cmp-stop")
    cmp_intro = gr.Markdown("**What you will see.** One column per strategy, each streaming its drafts, critiques "
                            "and plans, then its final answer with score, tokens and seconds (and the answer key "
                            "for an example); below, one chart of quality against tokens spent for all of them.",
                            elem_id="cmp-intro")
    cmp_status = gr.Markdown(elem_id="cmp-status")
    with gr.Column(visible=False, elem_id="cmp-results") as cmp_results:
        cmp_columns = gr.HTML(elem_id="cmp-columns", css_template=run_view.CARD_CSS)
        cmp_chart = gr.Plot(show_label=False, elem_id="cmp-chart")
        cmp_json, cmp_md = _downloads("comparison", "cmp-dl")
    _wire_compare(SimpleNamespace(**{k: v for k, v in locals().items() if k != "page"}), page.run)


@TABS.register("Experiments")
def _experiments_tab(page: SimpleNamespace) -> None:
    """Saved quality reports (opens on the headline one, drawn without a click), a small live experiment, tuning."""
    gr.Markdown("Does IRG help? Saved reports of the quality runs (`python -m irg.bench quality`; "
                "each study is written up in docs/results/, below): "
                "each strategy against single pass on the same prompts, at the same token budget. It opens on "
                "*headline*: the constraints test split with today's code (issue 38). In the "
                "issue-14 report best-of-N's candidates shared one seed (some drew one sample four times); "
                "*constraints-test-seeds* is the re-run with that fixed: best-of-N 34%, irg_hybrid 57%.")
    reports = list(experiments.saved_summaries())
    first = HEADLINE_REPORT if HEADLINE_REPORT in reports else (reports[0] if reports else None)
    shown = ui.saved_summary(first)  # drawn when the page is built: the tab opens on a result, no click needed
    report_pick = gr.Dropdown(reports, value=first, label="Saved report", elem_id="report")
    exp_status = gr.Markdown(elem_id="exp-status")
    exp_table = gr.HTML(shown[0], elem_id="exp-table")
    with gr.Row():
        exp_iter = gr.Plot(shown[1], show_label=False, elem_id="exp-plot-iteration", min_width=300)
        exp_budget = gr.Plot(shown[2], show_label=False, elem_id="exp-plot-budget", min_width=300)
    exp_types = gr.Plot(shown[3], show_label=False, elem_id="exp-plot-types")
    with gr.Accordion("Run a small experiment live (dev split, the model chosen on the Run tab)", open=False):
        with gr.Row():
            exp_suite = gr.Radio(list(experiments.LIVE_SUITES), value="constraints", label="Suite")
            exp_n = gr.Slider(1, 20, value=5, step=1, label="Prompts")
            exp_budget_n = gr.Number(value=1500, precision=0, minimum=0, label="Token budget per run (0 = none)")
        exp_strats = gr.CheckboxGroup(list(STRATEGIES.names()), value=["single_pass", "irg_hybrid"], label="Strategies")
        with gr.Row():
            exp_run = gr.Button("Run experiment", variant="primary")
            exp_stop = gr.Button("Stop", variant="stop")
    with gr.Accordion("The studies, written up (docs/results/: one page per study, with commands and figures)",
                      open=False):
        pages = list(experiments.studies())
        study_pick = gr.Dropdown(pages, value=pages[0] if pages else None, label="Study", elem_id="study")
        study_md = gr.Markdown(experiments.study(pages[0] if pages else None), elem_id="study-page")
    with gr.Accordion("Tuning: the GAN-tuned adapter vs LoRA (python -m tuning.adapters.compare)", open=False):
        tuning_md, tuning_fig = _tuning_table()
        gr.Markdown(tuning_md, elem_id="tuning-table")
        gr.Plot(tuning_fig, show_label=False, elem_id="tuning-plot")
    _wire_experiments(SimpleNamespace(**{k: v for k, v in locals().items() if k != "page"}), page.run, page.demo)


@TABS.register("How IRG works")
def _how_it_works_tab(page: SimpleNamespace) -> None:
    gr.Markdown(explain.HOW_IT_WORKS + _teacher_section())
    curves = _learning_curves()
    if curves is not None:
        gr.Markdown(curves[0])
        gr.Plot(curves[1], show_label=False, elem_id="learning-curves")


# ---- handlers: what a click does (the logic is in irg/views/) -------------------------------------------
def _pick(title):
    p = presets.by_title(title)
    return (p.prompt, run_view.preset_markdown(p)) if p else (gr.skip(), "")


def _pick_run(title, model, experimental=False):
    """A classroom example on the Run tab: its prompt and card, and the strategy and adapter it runs with (its adapter
    if the toggle offers it for this model, else off)."""
    p = presets.by_title(title)
    if p is None:
        return gr.skip(), "", gr.skip(), gr.skip()
    labels = dict(zip(session.adapter_names(model, experimental), session.adapter_choices(model, experimental)[1:]))
    return p.prompt, run_view.preset_markdown(p), p.strategy, labels.get(p.adapter, session.ADAPTER_OFF)


def _pick_card(i):
    titles = presets.titles()
    return titles[i] if i is not None and 0 <= i < len(titles) else gr.skip()


@ui.api_named()
def _start(request: gr.Request, prompt, preset_title, model, adapter, strategy, *advanced):
    """Run: the Advanced controls' values come last, in ui.ADVANCED's order."""
    s = {"strategy": strategy, **ui.advanced_settings(advanced)}
    sid = request.session_hash if request else None
    for update in ui.stream_run(prompt, model, s, sid, presets.matching(prompt, preset_title), adapter=adapter):
        yield _outputs(update)


@ui.api_named("budget")
def _start_compare(request: gr.Request, prompt, preset_title, strategies, budget, model, adapter, *advanced):
    """Compare: the Advanced controls but the budget (the tab has its own), in ui.ADVANCED's order."""
    s = ui.advanced_settings(advanced, budget=int(budget or 0))
    sid = request.session_hash if request else None
    for update in compare.stream_compare(prompt, model, strategies, s, sid, presets.matching(prompt, preset_title),
                                         adapter=adapter):
        yield _outputs(update, CMP_KEYS)


def _halt(request: gr.Request):
    session.stop(request.session_hash if request else None)


def _halt_compare(request: gr.Request):
    compare.stop(request.session_hash if request else None)


def _run_experiment(suite, n, strategies, budget, model, request: gr.Request, progress=gr.Progress()):
    progress(0, desc="starting")
    return ui.experiment(suite, n, strategies, budget, model, request.session_hash if request else None,
                         lambda done, total: progress(done / total, desc=f"{done}/{total} runs"))


# ---- wiring: each tab's events, given the Run tab's shared controls (run) ----------------------------------
def _advanced(run: SimpleNamespace, *but: str) -> list:
    """The Advanced controls in ui.ADVANCED's order (without the fields `but`)."""
    return [run.adv[f] for f in ui.ADVANCED if f not in but]


def _wire_run(run: SimpleNamespace) -> None:
    run.examples.click(_pick_card, run.examples, run.preset, queue=False)
    run.preset.change(_pick_run, [run.preset, run.model, run.experimental], [run.prompt, run.preset_note, run.strategy,
                                                                              run.adapter])
    for ctl in _advanced(run):  # the closed accordion still says what the next run will do
        ctl.change(lambda *v: gr.Accordion(label=ui.settings_summary(*v)), _advanced(run), run.advanced, queue=False)
    run.model.change(session.model_status, run.model, run.model_status, concurrency_limit=1, concurrency_id="load")
    for ctl in (run.model, run.experimental):
        ctl.change(lambda m, x, a: _adapter_radio(session.adapter_options(m, x), a),
                   [run.model, run.experimental, run.adapter],
                   run.adapter, queue=False)
    # ready by the time Run is pressed
    run.adapter.change(session.preload_adapter, [run.model, run.adapter], None, queue=False)
    run.run_btn.click(_start, [run.prompt, run.preset, run.model, run.adapter, run.strategy, *_advanced(run)],
                    [run.status, run.cards, run.final_html, run.by_iteration, run.by_tokens, run.dl_json, run.dl_md,
                     run.results, run.intro],
                    concurrency_limit=4, concurrency_id="run", show_progress="hidden", api_name="start")
    # Stop bypasses the queue (it must work when the queue is full) and sets this session's cancel event:
    # generation halts within a second and the run ends normally, showing what it had.
    run.stop_btn.click(_halt, None, None, queue=False, api_name="stop")


def _wire_compare(cmp: SimpleNamespace, run: SimpleNamespace) -> None:
    cmp.cmp_examples.click(_pick_card, cmp.cmp_examples, cmp.cmp_preset, queue=False)
    cmp.cmp_preset.change(_pick, cmp.cmp_preset, [cmp.cmp_prompt, cmp.cmp_note])
    cmp.cmp_run.click(_start_compare, [cmp.cmp_prompt, cmp.cmp_preset, cmp.cmp_strats, cmp.cmp_budget, run.model,
                                       run.adapter,
                                       *_advanced(run, "budget")],
                    [cmp.cmp_status, cmp.cmp_columns, cmp.cmp_chart, cmp.cmp_json, cmp.cmp_md, cmp.cmp_results,
                     cmp.cmp_intro],
                    concurrency_limit=2, concurrency_id="compare", show_progress="hidden", api_name="compare")
    cmp.cmp_stop.click(_halt_compare, None, None, queue=False, api_name="stop_compare")


def _wire_experiments(exp: SimpleNamespace, run: SimpleNamespace, demo: gr.Blocks) -> None:
    exp.report_pick.change(ui.saved_summary, exp.report_pick,
                           [exp.exp_table, exp.exp_iter, exp.exp_budget, exp.exp_types])
    # new local runs too
    demo.load(lambda: gr.Dropdown(choices=list(experiments.saved_summaries())), None, exp.report_pick)
    exp.exp_run.click(_run_experiment, [exp.exp_suite, exp.exp_n, exp.exp_strats, exp.exp_budget_n, run.model],
                    [exp.exp_status, exp.exp_table, exp.exp_iter, exp.exp_budget, exp.exp_types], concurrency_limit=1,
                    concurrency_id="experiment")
    exp.exp_stop.click(_halt, None, None, queue=False)
    exp.study_pick.change(experiments.study, exp.study_pick, exp.study_md)


def build_demo() -> gr.Blocks:
    """The page: one tab per entry of TABS, in registration order, Run first whoever registered before it (the
    other tabs read its controls)."""
    # Gradio keeps a copy of every file it serves: those older than an hour are removed every 10 minutes (and all of
    # them when the server restarts); our own copies live in irg/views/scratch.py's folder, pruned the same way.
    with gr.Blocks(title="IRG Lab", delete_cache=(600, int(scratch.MAX_AGE))) as demo:
        gr.Markdown("# IRG Lab\nIterative Reflexive Generation: a micro language model drafts, critiques and plans its "
                    "way to a better answer — every step live.")
        page = SimpleNamespace(demo=demo, run=None)  # what tabs share: the page, and the Run tab's controls
        for title in sorted(TABS.names(), key=lambda t: t != "Run"):
            with gr.Tab(title):
                TABS.get(title)(page)
    # Runs share the loaded model: llama.cpp batches 8 requests at once, transformers takes turns (a lock per model).
    demo.queue(max_size=32, default_concurrency_limit=2)
    return demo


demo = build_demo()

if __name__ == "__main__":
    import signal

    # a stop (a Space, `kill`) closes the server as Ctrl-C does: Gradio removes the copies it served, and the
    # scratch folder goes at exit
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    session.warm_up()  # the instruction detector's embedding model loads while the page opens, not in the first run
    demo.launch(**session.launch_options())
