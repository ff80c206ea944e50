"""Add a strategy, a planner, a backend, a tab and a constraint type to a tree the way its ARCHITECTURE.md says,
touching only what is needed for each to be chosen (config, CLI --help, app dropdowns, bench flags) and to run.
usage: apply.py TREE old|new EXTENSION"""
import sys
from pathlib import Path
tree, variant, ext = Path(sys.argv[1]), sys.argv[2], sys.argv[3]

def edit(rel, old, new, count=1):
    p = tree / rel
    s = p.read_text()
    assert old in s, (rel, old)
    p.write_text(s.replace(old, new, count))

def append(rel, text):
    p = tree / rel
    p.write_text(p.read_text().rstrip("\n") + "\n\n\n" + text)

def create(rel, text):
    (tree / rel).write_text(text)

if ext == "strategy":
    if variant == "old":
        append("irg/engine/strategies.py",
               '@strategy("demo_strat")\ndef demo_strat(ctx):\n'
               '    return one_draft(ctx, "demo_strat", rendered=False)\n')
        edit("irg/engine/config.py", '"self_consistency")', '"self_consistency", "demo_strat")')
    else:
        append("irg/engine/strategies.py",
               '@strategy("demo_strat")\ndef demo_strat(ctx):\n'
               '    return one_draft(ctx, "demo_strat", rendered=False)\n')
elif ext == "planner":
    body = ('class DemoPlanner(TemplatePlanner):\n    name = "demo_plan"\n\n    def plan(self, *a, **k):\n'
            '        p = super().plan(*a, **k)\n        p.instructions = p.instructions[:1]\n        return p\n')
    if variant == "old":
        edit("irg/engine/plan.py", "def make_planner(", body + "\n\ndef make_planner(")
        edit("irg/engine/plan.py", '    if kind == "preference":',
             '    if kind == "demo_plan":\n'
             '        return DemoPlanner(structure, constraints, draft_tokens, chars_per_token)\n'
             '    if kind == "preference":')
        edit("irg/engine/config.py", 'PLANNERS = ("template", "model", "preference")',
             'PLANNERS = ("template", "model", "preference", "demo_plan")')
        edit("irg/views/cli.py", '"planner": "template, model, or preference',
             '"planner": "template, model, demo_plan, or preference')
    else:
        edit("irg/engine/plan.py", "def make_planner(",
             '@PLANNERS.register("demo_plan")\n' + body + "\n\ndef make_planner(")
elif ext == "backend":
    if variant == "old":
        create("irg/engine/backends/demo.py",
               'from irg.engine.backends.llamacpp import LlamaCppBackend\n\n\n'
               'class DemoBackend(LlamaCppBackend):\n    name = "demo_be"\n')
        edit("irg/engine/models.py", 'BACKENDS = ("auto", "transformers", "llama.cpp")',
             'BACKENDS = ("auto", "transformers", "llama.cpp", "demo_be")')
        edit("irg/engine/models.py", '            elif kind == "llama.cpp":',
             '            elif kind == "demo_be":\n                from irg.engine.backends.demo import DemoBackend\n'
             '                from irg.engine.backends.llamacpp import ChatTokenizer\n\n'
             '                _instances[key] = DemoBackend(Path(spec.path) / spec.gguf_file, '
             'ChatTokenizer(gguf_tokenizer_dir(spec)), model_id=spec.name)\n'
             '            elif kind == "llama.cpp":')
        edit("irg/bench/cli.py", 'choices=["llama.cpp", "transformers"]',
             'choices=["llama.cpp", "transformers", "demo_be"]')
    else:
        create("irg/engine/backends/demo.py",
               'from irg.engine.backends.llamacpp import LlamaCppBackend\n\n\n'
               'class DemoBackend(LlamaCppBackend):\n    name = "demo_be"\n')
        append("irg/engine/__init__.py", 'BACKENDS.register_lazy("demo_be", "irg.engine.backends.demo:DemoBackend")\n')
elif ext == "tab":
    if variant == "old":
        edit("app.py",
             "def _wire(demo: gr.Blocks, r: SimpleNamespace, c: SimpleNamespace, x: SimpleNamespace) -> None:",
             'def _demo_tab() -> SimpleNamespace:\n    with gr.Tab("Demo tab"):\n'
             '        box = gr.Markdown(elem_id="demo-tab")\n        btn = gr.Button("Show the model")\n'
             '    return SimpleNamespace(**locals())\n\n\n'
             "def _wire(demo: gr.Blocks, r: SimpleNamespace, c: SimpleNamespace, x: SimpleNamespace, "
             "t: SimpleNamespace) -> None:\n"
             "    t.btn.click(lambda m: f'model: {m}', r.model, t.box)")
        edit("app.py", "        x = _experiments_tab()\n", "        x = _experiments_tab()\n        t = _demo_tab()\n")
        edit("app.py", "        _wire(demo, r, c, x)", "        _wire(demo, r, c, x, t)")
    else:
        edit("app.py", "# ---- wiring:",
             '@TABS.register("Demo tab")\ndef _demo_tab(page: SimpleNamespace) -> None:\n'
             '    box = gr.Markdown(elem_id="demo-tab")\n'
             "    btn = gr.Button(\"Show the model\")\n    btn.click(lambda m: f'model: {m}', page.run.model, box)\n"
             "\n\n# ---- wiring:")
elif ext == "constraint":
    code = ('@register\n@dataclass\nclass EndsWithBang(Constraint):\n    kind: ClassVar[str] = "demo_bang"\n\n'
            '    @classmethod\n'
            '    def extract(cls, prompt):\n        return [cls()] if "end with a bang" in prompt.lower() else []\n\n'
            '    def check(self, text):\n'
            '        return [] if text.rstrip().endswith("!") else [self.finding("no bang", "end")]\n\n'
            '    def instruction(self):\n        return "End with \'!\'."\n')
    append("irg/engine/constraints/characters.py", code)
    s = (tree / "irg/engine/constraints/characters.py").read_text()
    if "ClassVar" not in s.split("class ")[0]:
        edit("irg/engine/constraints/characters.py", "from __future__ import annotations\n",
             "from __future__ import annotations\n\nfrom typing import ClassVar\n")
    if "from dataclasses import" not in s:
        edit("irg/engine/constraints/characters.py", "from __future__ import annotations\n",
             "from __future__ import annotations\n\nfrom dataclasses import dataclass\n")
