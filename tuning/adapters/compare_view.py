"""The tuning comparison as the app and the HTML file show it: the Markdown tables and the
weight trajectories (like the thesis' figures 3.3-3.4: how far each adapter tensor moved, step by step)."""
from __future__ import annotations

import json
from pathlib import Path

from irg.engine import paths

SAVED = paths.ASSETS / "results" / "tuning"


def trajectory_figure(results: dict):
    """One row per trained method: distance of each weight tensor from its start (left), losses and reward (right)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    trained = {m: r for m, r in results.items() if r.get("trajectory")}
    if not trained:
        return None
    fig = make_subplots(rows=len(trained), cols=2,
                        vertical_spacing=0.08 / max(1, len(trained) - 1) if len(trained) > 1 else 0.1,
                        subplot_titles=[t for m in trained for t in
                                        (f"{m}: distance of each weight tensor from its start",
                                         f"{m}: losses and reward")])
    for row, (m, r) in enumerate(trained.items(), start=1):
        steps = [t["step"] for t in r["trajectory"]]
        for name in list(r["trajectory"][0]["weights"])[:12]:
            fig.add_trace(go.Scatter(x=steps, y=[t["weights"][name]["moved"] for t in r["trajectory"]], mode="lines",
                                     name=f"{m}: {name}", showlegend=False,
                                     hovertemplate=f"{name}<br>step %{{x}}: %{{y:.3f}}"),
                          row=row, col=1)
        for key in ("mle", "d_loss", "reward", "pg"):
            pts = [(rec["step"], rec[key]) for rec in r.get("log", []) if rec.get(key) is not None]
            if pts:
                fig.add_trace(go.Scatter(x=[p[0] for p in pts], y=[p[1] for p in pts], mode="lines",
                                         name=f"{m}: {key}"),
                              row=row, col=2)
    fig.update_layout(height=300 * len(trained), margin=dict(t=40, b=20), title="Adapter weights and training curves")
    return fig


def saved(directory: Path = SAVED) -> tuple[str, object]:
    """(the comparison's Markdown, its trajectory figure) from a saved run, or a sentence saying there is none."""
    md, js = directory / "compare.md", directory / "compare.json"
    if not md.exists() or not js.exists():
        return ("No saved tuning comparison: run `python -m tuning.adapters.compare` "
                "(see docs/results/adapters.md)."), None
    try:
        return md.read_text(), trajectory_figure(json.loads(js.read_text()))
    except (OSError, ValueError, KeyError) as e:
        return f"The saved tuning comparison could not be read ({type(e).__name__}).", None
