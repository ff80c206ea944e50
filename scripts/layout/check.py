"""Is each extension chosen where users choose (config, CLI --help, app, bench flags) and does it run?"""
import contextlib
import io
import sys
sys.path.insert(0, ".")
ext = sys.argv[1]
from irg.views import plugins  # noqa
plugins.load()

def cli_help(argv):
    from irg.views import cli
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            cli.main(argv)
        except SystemExit:
            pass
    return " ".join(out.getvalue().split())

def bench_help(argv):
    from irg.bench.cli import parser
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            parser().parse_args(argv)
        except SystemExit:
            pass
    return " ".join(out.getvalue().split())

res = {}
if ext in ("strategy", "planner"):
    from irg.engine.config import RunConfig
    name = {"strategy": "demo_strat", "planner": "demo_plan"}[ext]
    try:
        RunConfig(**{ext: name})
        res["config accepts"] = True
    except Exception as e:
        res["config accepts"] = f"no: {e}"
    res["cli --help"] = name in cli_help(["x", "--help"])
    import app
    d = app.build_demo()
    res["app"] = any(name in str(getattr(b, "choices", "")) for b in d.blocks.values())
    if ext == "planner":
        res["bench --planner"] = name in bench_help(["quality", "--help"])
if ext == "backend":
    res["cli --help"] = "demo_be" in cli_help(["x", "--help"])
    res["bench speed --help"] = "demo_be" in bench_help(["speed", "--help"])
    from irg.engine.models import get_backend
    b = get_backend("bundled", "demo_be")
    res["loads"] = type(b).__name__
    res["runs"] = bool(b.generate(__import__("irg.engine.backends", fromlist=["GenRequest"]).GenRequest(
        [{"role": "user", "content": "Hi"}], max_new_tokens=4)).text)
    b.close()
if ext == "tab":
    import app
    import gradio as gr
    d = app.build_demo()
    res["tab"] = "Demo tab" in [b.label for b in d.blocks.values() if isinstance(b, gr.Tab)]
if ext == "constraint":
    try:
        from irg.engine.constraints import extract_all
    except ImportError:
        from irg.engine.constraints.base import extract_all
    cs = extract_all("Say hi and end with a bang.")
    res["extracted"] = [c.kind for c in cs]
    res["checked"] = [len(c.check("hi")) for c in cs]
print(res)
