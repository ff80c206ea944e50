"""The learning curves of the loop's students, as one plotly chart (issue 40): dev one-pass quality and degenerate
share against epochs, one line per recipe.

    python -m tuning.loop chart [--collect] [--png docs/results/convergence.png]

`--collect` copies each recipe's curve from runs/distill_loop/curves/<recipe>/curve.json into
assets/results/distill_loop/curves/<recipe>.json (what is committed, and what the app's "How IRG works" tab draws);
`--png` also writes the chart as a picture for the README, drawn by Chromium through Playwright (the tests' browser):
plotly's own picture export needs Kaleido, which this project does not install.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from irg.engine import paths

COMMITTED = paths.ASSETS / "results" / "distill_loop" / "curves"


def collect(runs: Path, into: Path = COMMITTED) -> list[str]:
    """Copy every recipe's curve.json under `runs` into `into` (paths made relative to the checkout); the names."""
    into.mkdir(parents=True, exist_ok=True)
    names = []
    for f in sorted(Path(runs).glob("*/curve.json")):
        st = json.loads(f.read_text())
        if len(st.get("points", [])) < 2:  # the base point alone is no curve yet
            continue
        st["recipe"]["data"] = paths.relative(st["recipe"]["data"])
        old = into / f"{f.parent.name}.json"
        if old.exists() and "command" in (was := json.loads(old.read_text())):
            st["command"] = was["command"]
        old.write_text(json.dumps(st, indent=1) + "\n")
        names.append(f.parent.name)
    return names


def load(folder: Path = COMMITTED) -> dict[str, dict]:
    """The committed curves by recipe name; unreadable files are skipped (the tab must still open)."""
    out = {}
    for f in sorted(Path(folder).glob("*.json")):
        try:
            st = json.loads(f.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(st, dict) and readable(st.get("points")):
            out[f.stem] = st
    return out


def readable(points) -> bool:
    """Points the chart can draw: a list of dicts, each with its epoch, quality and CI, and degenerate share."""
    need = ("epoch", "quality", "quality_ci", "degenerate_share")
    return bool(points) and isinstance(points, list) and all(isinstance(p, dict) and all(k in p for k in need)
                                                              for p in points)


def caption(curves: dict[str, dict]) -> str:
    """What the tab says above the chart, from the curves themselves."""
    n = sorted({st.get("recipe", {}).get("dev_n", 60) for st in curves.values()})
    return ("**Learning curves.** Each line is one training recipe of a student on the loop's kept answers (a LoRA, "
            "the embedding adapter trained by MLE, or the blocks fully fine-tuned): its one-pass quality on "
            f"{' or '.join(map(str, n))} dev prompts every half epoch (the recipe is chosen on this, not on the loss), "
            "and the share of its answers that are degenerate. "
            'The study: Experiments → The studies → "learning curves (issue 40)".')


def label(name: str, st: dict) -> str:
    r = st.get("recipe", {})
    run = ", first run (to 1.5 epochs)" if "-run1" in name else ""  # the embedding adapter's, run again to its end
    if r.get("method") == "adapter_mle":
        return f"embedding adapter (MLE), lr {r.get('lr', 0):g}{run}"
    if r.get("method") == "full":  # reruns of one recipe differ by the name's tail: "-f32", "-f32-2ep"
        tail = name.split(Path(str(r.get("data", ""))).stem or "\0")[-1].strip("-") if r.get("data") else ""
        said = {"": "bf16-rounded start", "f32": "float32 start", "f32-2ep": "float32, trained to its end"}
        return f"full fine-tuning of the blocks, lr {r.get('lr', 0):g}, {said.get(tail, tail)}"
    if r.get("method") == "gan":  # adversarial.py: the GAN's phase after the MLE curve's best point
        return (f"embedding adapter (MLE, then {r.get('adversarial_steps', '?')} adversarial steps), "
                f"lr {r.get('lr', 0):g}{run}")
    targets = {"all": "all projections", "qv": "q/v"}.get(r.get("targets"), r.get("targets", "?"))
    share = f", {r['data_share']:.0%} of the data" if r.get("data_share", 1) < 1 else ""
    stem = Path(str(r.get("data", ""))).stem  # another kept set than the curves' first ("kept-r3": three rounds)
    share += f", {stem}" if stem.startswith("kept-r") and stem != "kept-r2" else ""
    return f"rank {r.get('rank', '?')}, {targets}, lr {r.get('lr', 0):g}{share}" if r else name


def figure(curves: dict[str, dict]):
    """Two panels sharing the epoch axis: dev one-pass quality (95% CI as error bars) and degenerate share."""
    import plotly.graph_objects as go
    from plotly.colors import qualitative
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.68, 0.32],
                        subplot_titles=("One pass on the dev prompts: every instruction met",
                                        "Degenerate answers"))
    base = None
    for i, (name, st) in enumerate(curves.items()):
        pts, colour = st["points"], qualitative.Plotly[i % len(qualitative.Plotly)]
        if base is None and pts[0]["step"] == 0:  # the base model: point 0 of a curve trained from it, not
            base = pts[0]["quality"]  # the first point of one that continues another (the adversarial phase)
        x = [p["epoch"] for p in pts]
        q = [p["quality"] for p in pts]
        lo = [p["quality"] - p["quality_ci"][0] for p in pts]
        hi = [p["quality_ci"][1] - p["quality"] for p in pts]
        group, text = name, label(name, st)
        fig.add_trace(go.Scatter(x=x, y=q, mode="lines+markers", name=text, legendgroup=group,
                                 line={"color": colour},
                                 error_y={"type": "data", "array": hi, "arrayminus": lo, "thickness": 1, "width": 3},
                                 hovertemplate="epoch %{x}<br>dev %{y:.1%}<extra>" + text + "</extra>"), row=1, col=1)
        fig.add_trace(go.Scatter(x=x, y=[p["degenerate_share"] for p in pts], mode="lines+markers", name=text,
                                 legendgroup=group, showlegend=False, line={"color": colour},
                                 hovertemplate="epoch %{x}<br>degenerate %{y:.1%}<extra>" + text + "</extra>"),
                      row=2, col=1)
    if base is not None:
        fig.add_hline(y=base, line_dash="dot", line_color="grey", annotation_text=f"base model {base:.0%}",
                      annotation_position="bottom right", row=1, col=1)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text="epochs of the kept answers", row=2, col=1)
    fig.update_layout(height=560, margin={"l": 50, "r": 20, "t": 40, "b": 50}, template="plotly_white",
                      legend={"orientation": "h", "y": -0.18})
    return fig


def png(fig, out: Path, chromium: str = "/usr/bin/chromium", width: int = 900) -> Path:
    """The chart as a PNG, drawn by Chromium from plotly's own page (plotly.js inline: no network)."""
    from playwright.sync_api import sync_playwright

    fd, name = tempfile.mkstemp(suffix=".html")
    os.close(fd)
    page_file = Path(name)
    try:
        fig.write_html(str(page_file), include_plotlyjs=True, full_html=True,
                       config={"staticPlot": True, "displayModeBar": False}, default_width=width)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": width + 40, "height": 700})
            page.goto(page_file.as_uri())
            page.wait_for_selector(".main-svg")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.locator(".plotly-graph-div").screenshot(path=str(out))
            browser.close()
    finally:
        page_file.unlink(missing_ok=True)
    return out


def main_chart(args) -> int:
    if args.collect:
        print("collected:", ", ".join(collect(Path(args.runs))) or "nothing")
    curves = load()
    if not curves:
        raise ValueError(f"No learning curves in {COMMITTED}: train a recipe (python -m tuning.loop curve) and "
                         "collect it.")
    if args.png:
        if not shutil.which(args.chromium) and not Path(args.chromium).exists():
            raise OSError(f"Chromium was not found at {args.chromium} (apt-get install chromium).")
        print("wrote", png(figure(curves), Path(args.png), args.chromium))
    return 0
