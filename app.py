"""IRG Lab: watch a micro language model draft, critique and plan its way to a better answer.

Only components and wiring here; the logic is in irg/. `make run` starts it on
127.0.0.1:7860; on Hugging Face Spaces the module-level `demo` is served.
"""
import json
from pathlib import Path

import gradio as gr

from irg import ui
from irg.config import PLANNERS, STRATEGIES, RunConfig
from irg.models import BUNDLED, HUB_CHOICES

ASSETS = Path(__file__).parent / "assets"
HOW_IT_WORKS = """
**Iterative Reflexive Generation** gives a small model extra passes instead of extra parameters.

1. **Draft** — the model answers the request.
2. **Analyse and reflect** — *rules* check what can be checked exactly (lowercase, commas, word counts,
   keywords, JSON, arithmetic, repetition…); in *internal* mode the model critiques itself; *hybrid* uses both,
   and the rules decide when to stop.
3. **Plan** — each problem becomes an instruction for the next draft, and where possible a *decoding
   constraint* (e.g. commas banned outright) that the model cannot break.

The loop stops when no critical problem is left, after the maximum iterations, at the time limit, or when
the token budget (every token read and written) runs out. The answer shown is the best-scoring draft.
"""


def examples() -> list[list[str]]:
    path = ASSETS / "prompts" / "constraints_30.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
    return [[r["prompt"]] for r in rows[:8]]


def build_demo() -> gr.Blocks:
    d = RunConfig()
    with gr.Blocks(title="IRG Lab") as demo:
        gr.Markdown("# IRG Lab\nIterative Reflexive Generation with micro language models — every draft, critique and plan, live.")
        with gr.Row():
            with gr.Column(scale=1, min_width=300):
                model = gr.Dropdown([BUNDLED, *HUB_CHOICES], value=BUNDLED, allow_custom_value=True,
                                    label="Model", info="bundled = SmolLM2-135M-Instruct (offline); or a hub id / local path")
                strategy = gr.Dropdown(list(STRATEGIES), value=d.strategy, label="Strategy")
                planner = gr.Radio(list(PLANNERS), value=d.planner, label="Planner")
                max_iters = gr.Slider(1, 8, value=d.max_iters, step=1, label="Max iterations (candidates for best-of-N)")
                budget = gr.Number(value=0, precision=0, minimum=0, label="Token budget (0 = none)")
                time_limit = gr.Number(value=0, minimum=0, label="Time limit, seconds (0 = none)")
                final = gr.Radio(["best", "last"], value=d.final, label="Final answer")
                temperature = gr.Slider(0, 1.5, value=d.temperature, step=0.1, label="Temperature (0 = greedy)")
                max_new = gr.Slider(32, 512, value=d.max_new_tokens, step=16, label="Max new tokens per draft")
                with gr.Accordion("How IRG works", open=False):
                    gr.Markdown(HOW_IT_WORKS)
            with gr.Column(scale=2):
                prompt = gr.Textbox(lines=3, label="Prompt", placeholder="e.g. Describe a forest in all lowercase letters and without any commas.")
                gr.Examples(examples(), inputs=[prompt], label="Classroom examples")
                with gr.Row():
                    run_btn = gr.Button("Run", variant="primary")
                    stop_btn = gr.Button("Stop", variant="stop")
                answer = gr.Markdown(label="Final answer")
                transcript = gr.Markdown()

        def start(prompt, model, strategy, planner, max_iters, budget, time_limit, final, temperature, max_new,
                  request: gr.Request):
            settings = dict(strategy=strategy, planner=planner, max_iters=int(max_iters), budget=int(budget or 0),
                            time_limit=float(time_limit or 0), final=final, temperature=float(temperature),
                            max_new_tokens=int(max_new))
            for md, fin in ui.stream_run(prompt, model, settings, request.session_hash if request else None):
                yield md, fin

        def halt(request: gr.Request):
            ui.stop(request.session_hash if request else None)

        run_event = run_btn.click(start, [prompt, model, strategy, planner, max_iters, budget, time_limit, final,
                                          temperature, max_new], [transcript, answer], concurrency_limit=2)
        stop_btn.click(halt, None, None, cancels=[run_event])
    demo.queue(max_size=16, default_concurrency_limit=2)
    return demo


demo = build_demo()

if __name__ == "__main__":
    demo.launch(server_name="127.0.0.1", server_port=7860)
