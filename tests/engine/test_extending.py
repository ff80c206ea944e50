"""Where to add… (ARCHITECTURE.md), proved from outside the engine: a strategy, a constraint type, a planner, a
backend, a stop rule and a tab, each one unit plus its registration, defined in this test module. Each shows up where
a user chooses it (the CLI's --help, the app's dropdowns and tabs, the benchmarks' flags) and works in a run. A
plugin package is found through its entry point alone: no file of this repository changes."""
from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from typing import ClassVar

import pytest

import app  # the app's own tabs register when it is imported; a plugin's tab comes after them
from irg.engine.backends.hf import TransformersBackend
from irg.engine.config import RunConfig
from irg.engine.constraints.base import Constraint, register
from irg.engine.events import Final, PlanDone, RunStarted, Stopped
from irg.engine.loop import irg_loop
from irg.engine.plan import TemplatePlanner
from irg.engine.registry import BACKENDS, CONSTRAINT_TYPES, PLANNERS, STOP_RULES, STRATEGIES
from irg.engine.stopping import StopRule
from irg.views.tabs import TABS
from tests.conftest import build_model, build_tokenizer


# ---- the four extensions, as a newcomer would write them --------------------------------------------------
def echo_loop(ctx):
    """A strategy: the IRG loop with rules only, under a name of its own."""
    return irg_loop(ctx, "external", "test_echo_loop")


@dataclass
class EndsWithBang(Constraint):
    """A constraint type: "end with a bang" -> the answer's last character is '!'."""
    kind: ClassVar[str] = "test_ends_with_bang"

    @classmethod
    def extract(cls, prompt):
        return [cls()] if re.search(r"\bend with a bang\b", prompt, re.I) else []

    def check(self, text):
        return [] if text.rstrip().endswith("!") else [self.finding("The answer does not end with '!'.", "end")]

    def instruction(self):
        return "End the answer with '!'."


class TersePlanner(TemplatePlanner):
    """A planner: the template's plan, one instruction at most."""
    name = "test_terse"

    def plan(self, prompt, report, history, previous=None, token_allowance=None, cancel=None):
        p = super().plan(prompt, report, history, previous, token_allowance, cancel)
        p.instructions, p.source = p.instructions[:1], "test_terse"
        return p


class TinyBackend(TransformersBackend):
    """A backend: how it loads a model is its own (here: a 2-layer Llama built in-process, whatever the name)."""
    name = "test_tiny"

    @classmethod
    def load(cls, spec):
        tok = build_tokenizer()
        return cls(build_model(tok), tok, model_id=f"tiny for {spec.name}")


def after_two(its, x, stopper=None, threshold=None):
    """A stop rule: two passes are enough, whatever their scores (its detail is what the user reads)."""
    return "two passes are enough" if len(its) >= 2 else None


def extension_tab(page):
    """A tab: its own components (and events), reading the Run tab's shared controls from `page.run`."""
    import gradio as gr

    gr.Markdown(f"Model chosen on the Run tab: {page.run.model.value}", elem_id="test-extension-tab")


@pytest.fixture()
def extended():
    """Each extension is one registration line; taken out again after the test."""
    STRATEGIES.register("test_echo_loop", echo_loop)
    register(EndsWithBang)
    PLANNERS.register("test_terse", TersePlanner)
    BACKENDS.register("test_tiny", TinyBackend)
    STOP_RULES.register("test_two", StopRule(after_two, "two passes (test rule)", uses_features=False))
    TABS.register("Extension test", extension_tab)
    try:
        yield
    finally:
        for registry, name in ((STRATEGIES, "test_echo_loop"), (CONSTRAINT_TYPES, "test_ends_with_bang"),
                               (PLANNERS, "test_terse"), (BACKENDS, "test_tiny"), (STOP_RULES, "test_two"),
                               (TABS, "Extension test")):
            registry.unregister(name)
        from irg.engine import models

        for key in [k for k in models._instances if k[1] == "test_tiny"]:
            models._instances.pop(key)


def cli_help(argv: list[str]) -> str:
    from irg.views import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.main(argv)
    return out.getvalue()


def test_each_extension_is_offered_by_the_cli(extended):
    text = " ".join(cli_help(["x", "--help"]).split())  # argparse wraps lines
    assert "test_echo_loop" in text and "test_terse" in text and "test_tiny" in text and "test_two" in text


def test_each_extension_is_offered_by_the_benchmarks(extended):
    from irg.bench.cli import parser

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        parser().parse_args(["quality", "--help"])
    text = " ".join(out.getvalue().split())
    assert "test_terse" in text and "test_tiny" in text and "test_two" in text


def test_each_extension_is_offered_by_the_app(extended):
    import gradio as gr

    demo = app.build_demo()
    blocks = list(demo.blocks.values())

    def choices(elem_id):
        return [c[0] if isinstance(c, tuple) else c for b in blocks if getattr(b, "elem_id", None) == elem_id
                for c in b.choices]

    assert "test_echo_loop" in choices("strategy") and "test_echo_loop" in choices("cmp-strategies")
    assert "test_terse" in [c[0] for b in blocks if isinstance(b, gr.Radio) and b.label.startswith("Planner")
                            for c in b.choices]
    assert "test_two" in choices("stop-rule")
    tabs = [b.label for b in blocks if isinstance(b, gr.Tab)]
    assert tabs[-1] == "Extension test" and tabs[0] == "Run"
    assert any(getattr(b, "elem_id", None) == "test-extension-tab" for b in blocks)


def test_the_extensions_work_together_in_a_run(extended):
    from irg.engine.models import get_backend
    from irg.engine.strategies import run

    backend = get_backend("bundled", "test_tiny")
    assert isinstance(backend, TinyBackend)
    events = list(run("Say hello and end with a bang.", backend,
                      RunConfig(strategy="test_echo_loop", planner="test_terse", max_iters=2, max_new_tokens=8)))
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.strategy == "test_echo_loop"
    assert {"kind": "test_ends_with_bang"} in started.constraints
    plans = [e for e in events if isinstance(e, PlanDone)]
    assert all(p.plan["source"] == "test_terse" and len(p.plan["instructions"]) <= 1 for p in plans)
    assert isinstance(events[-1], Final)


def test_a_stop_rule_ends_a_run_with_its_own_detail_and_words(extended):
    from irg.engine.models import get_backend
    from irg.engine.strategies import run
    from irg.views.run_view import RunView

    events = list(run("Say hello and end with a bang.", get_backend("bundled", "test_tiny"),
                      RunConfig(strategy="irg_external", stop="test_two", max_iters=4, max_new_tokens=8)))
    stopped = next(e for e in events if isinstance(e, Stopped))
    assert (stopped.reason, stopped.detail) == ("test_two", "two passes are enough")
    view = RunView()
    for e in events:
        view.add(e)
    assert view.stopped == "two passes (test rule) — two passes are enough"


PLUGIN = {  # a third party's package, installed: its module registers a strategy; its metadata names the module
    "irg_test_plugin/__init__.py": "from irg.engine.loop import irg_loop\n"
                                   "from irg.engine.registry import STRATEGIES\n\n"
                                   "STRATEGIES.register('test_plugged', "
                                   "lambda ctx: irg_loop(ctx, 'external', 'test_plugged'))\n",
    "irg_test_plugin-0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: irg-test-plugin\nVersion: 0.1\n",
    "irg_test_plugin-0.1.dist-info/entry_points.txt": "[irg.plugins]\nplugged = irg_test_plugin\n",
}


def test_a_plugin_package_is_found_through_its_entry_point_alone(tmp_path, monkeypatch):
    from irg.views import plugins

    for rel, text in PLUGIN.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        loaded = plugins.load()
        # the built-in: declared the same way
        assert "irg_test_plugin" in loaded and "tuning.adapters.shipped" in loaded
        assert "test_plugged" in STRATEGIES and "test_plugged" in " ".join(cli_help(["x", "--help"]).split())
    finally:
        STRATEGIES.unregister("test_plugged")


def test_a_second_unit_under_a_taken_name_is_refused_and_an_unknown_name_listed(extended):
    from irg.engine.config import ConfigError
    from irg.engine.models import ModelError, get_backend
    from irg.engine.registry import DuplicateName

    with pytest.raises(DuplicateName, match="already registered"):
        STRATEGIES.register("test_echo_loop", echo_loop)
    with pytest.raises(DuplicateName, match="already registered"):
        register(EndsWithBang)
    with pytest.raises(ConfigError,
                       match=r"Unknown planner 'nope': choose one of template, model, preference, test_terse"):
        RunConfig(planner="nope")
    with pytest.raises(ModelError, match="Unknown backend 'nope'.*test_tiny"):
        get_backend("bundled", "nope")
