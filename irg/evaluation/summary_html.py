"""A quality summary (irg/evaluation/summary.py) as a standalone HTML page (plotly inlined, works offline): its table
and figures, which the Experiments tab shows too."""
from __future__ import annotations

import html
from pathlib import Path

import plotly.graph_objects as go

# short titles and the legend below the plot: the charts stay readable at a phone's width
LAYOUT = dict(template="plotly_white", height=420, margin=dict(l=60, r=20, t=50, b=50),
              legend=dict(orientation="h", yanchor="top", y=-0.22))


def figures(summary: dict) -> list[go.Figure]:
    st = summary["strategies"]
    metric = "prompt-level satisfaction" if "constraints" in summary["tasks"] else (
        "exact match" if "maths" in summary["tasks"] else "similarity to reference")
    f1 = go.Figure()
    for s, d in st.items():
        f1.add_scatter(x=list(range(1, len(d["by_iteration"]) + 1)), y=d["by_iteration"], mode="lines+markers", name=s)
    # a run that stopped keeps its answer at later iterations
    f1.update_layout(title="Quality vs iteration", xaxis_title="iteration (candidate for best-of-N, self-consistency)",
                     yaxis_title=metric, **LAYOUT)
    f2 = go.Figure()
    for s, d in st.items():
        xs = [int(b) for b in d["by_budget"]]
        f2.add_scatter(x=xs, y=list(d["by_budget"].values()), mode="lines+markers", name=s, line_shape="hv")
    # anytime curves: what each run had returned when the budget ran out
    f2.update_layout(title="Quality vs token budget (anytime)", xaxis_title="tokens (read + written)",
                     yaxis_title=metric, **LAYOUT)
    figs = [f1, f2]
    if any("by_constraint_type" in d for d in st.values()):
        f3 = go.Figure()
        for s, d in st.items():
            kinds = list(d["by_constraint_type"])
            f3.add_bar(x=kinds, y=[d["by_constraint_type"][k]["met"] for k in kinds], name=s)
        f3.update_layout(title="Constraints met, by type (final answers)", barmode="group", yaxis_title="share met",
                         **{**LAYOUT, "height": 520, "legend": dict(orientation="h", yanchor="top", y=-0.35)})
        figs.append(f3)
    return figs


def _fmt(x, spec=".3f"):
    return "" if x is None else format(x, spec)


def table(summary: dict) -> str:
    head = ("<tr><th>strategy</th><th>n</th><th>quality</th><th>95% CI</th><th>vs single pass</th><th>95% CI</th>"
            "<th>wins/losses</th><th>p (sign)</th><th>harm</th><th>mean tokens</th><th>Anytime Index /1k</th></tr>")
    rows = []
    for s, d in summary["strategies"].items():
        v = d.get("vs_single_pass") or {}
        ci, dci = d["quality_ci"], v.get("diff_ci", (None, None))
        wl = f"{v['wins']}/{v['losses']}" if v else ""
        rows.append(f"<tr><td>{html.escape(s)}</td><td>{d['n']}</td><td>{d['quality']:.3f}</td>"
                    f"<td>[{ci[0]:.3f}, {ci[1]:.3f}]</td><td>{_fmt(v.get('diff'), '+.3f')}</td>"
                    f"<td>{'' if dci[0] is None else f'[{dci[0]:+.3f}, {dci[1]:+.3f}]'}</td>"
                    f"<td>{wl}</td><td>{_fmt(v.get('p_sign_test'), '.2g')}</td>"
                    f"<td>{d['harm_rate']:.1%}</td><td>{d['mean_tokens']:.0f}</td>"
                    f"<td>{_fmt(v.get('anytime_index'), '+.3f')}</td></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def extraction_table(e: dict) -> str:
    rows = "".join(f"<tr><td>{k}</td><td>{v['tp']}</td><td>{v['fp']}</td><td>{v['fn']}</td></tr>"
                   for k, v in e["by_type"].items())
    return (f"<p>Precision {e['precision']:.3f} · recall {e['recall']:.3f} · prompts extracted exactly "
            f"{e['prompts_exact']:.1%}</p><table><tr><th>type</th><th>right</th><th>extra</th><th>missed</th></tr>"
            f"{rows}</table>")


def write_html(summary: dict, path: Path, title: str = "IRG Lab quality report") -> None:
    figs = figures(summary)
    parts = [fig.to_html(full_html=False, include_plotlyjs="inline" if i == 0 else False) for i, fig in enumerate(figs)]
    ext = (f"<h2>Constraint extraction vs ground truth</h2>{extraction_table(summary['extraction'])}"
           if "extraction" in summary else "")
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}} td:first-child{{text-align:left}}</style></head><body>
<h1>{html.escape(title)}</h1><p>Tasks: {', '.join(summary['tasks'])} · {summary['n_rows']} runs. Differences are paired
against single pass on the same prompts: bootstrap 95% CIs (2,000 resamples) and an exact two-sided sign test.
Harm: some iteration was right and the final answer is not.</p>
{table(summary)}{''.join(parts)}{ext}</body></html>"""
    path.write_text(page, encoding="utf-8")
