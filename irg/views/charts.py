"""Plotly figures of a run's anytime curve (the app shows them; reports reuse them)."""
from __future__ import annotations

import plotly.graph_objects as go

from irg.evaluation.anytime import AnytimeCurve

LAYOUT = dict(height=300, margin=dict(l=50, r=20, t=40, b=45), template="plotly_white",
              legend=dict(orientation="h", y=-0.28), yaxis=dict(range=[-0.05, 1.05]))


def _best_so_far(values: list[float]) -> list[float]:
    out, best = [], float("-inf")
    for v in values:
        best = max(best, v)
        out.append(best)
    return out


def quality_vs_iteration(curve: AnytimeCurve) -> go.Figure:
    its = [p.iteration for p in curve.points]
    fig = go.Figure()
    fig.add_scatter(x=its, y=[p.score for p in curve.points], mode="lines+markers", name="run's score")
    if curve.has_key:
        fig.add_scatter(x=its, y=[p.key for p in curve.points], mode="lines+markers", name="answer key",
                        line=dict(dash="dash"))
    fig.update_layout(title="Quality vs iteration", xaxis_title="iteration", yaxis_title="quality (0–1)",
                      xaxis=dict(dtick=1), **LAYOUT)
    return fig


def quality_vs_tokens(curve: AnytimeCurve) -> go.Figure:
    fig = go.Figure()
    qs = [p.quality for p in curve.points]
    xs, labels = [p.tokens for p in curve.points], [f"iteration {p.iteration}" for p in curve.points]
    fig.add_scatter(x=xs, y=_best_so_far(qs), mode="lines", line_shape="hv", name="best so far")
    fig.add_scatter(x=xs, y=qs, mode="markers", name="each draft", text=labels, marker=dict(size=8))
    if curve.single is not None:
        t0, q0 = curve.single
        fig.add_scatter(x=[t0], y=[q0], mode="markers", name="single pass", marker=dict(size=13, symbol="star"))
    ai = curve.index()
    title = "Quality vs tokens (anytime curve)"
    if ai is not None:
        title += f" · Anytime Index {ai:+.2f} per 1k tokens"
    fig.update_layout(title=title, xaxis_title="cumulative tokens (read + written)",
                      yaxis_title="quality (" + ("answer key" if curve.has_key else "run's score") + ")", **LAYOUT)
    return fig


def compare_vs_tokens(curves: dict[str, AnytimeCurve], budget: int = 0) -> go.Figure:
    """Every strategy of a comparison on one anytime chart: best quality so far against tokens spent."""
    fig = go.Figure()
    has_key = any(c.has_key for c in curves.values())
    for name, curve in curves.items():
        if not curve.points:
            fig.add_scatter(x=[], y=[], mode="lines+markers", name=f"{name} (running)")
            continue
        xs, qs = [p.tokens for p in curve.points], [p.quality for p in curve.points]
        fig.add_scatter(x=xs, y=_best_so_far(qs), mode="lines+markers", line_shape="hv", name=name,
                        text=[f"{name} · draft {p.iteration}" for p in curve.points])
    if budget:
        fig.add_vline(x=budget, line_dash="dot", line_color="#8c959f", annotation_text="budget",
                      annotation_position="top left")
    fig.update_layout(title="Quality vs tokens, every strategy (best answer so far)",
                      xaxis_title="cumulative tokens (read + written)",
                      yaxis_title="quality (" + ("answer key" if has_key else "run's score") + ")", **LAYOUT)
    return fig
