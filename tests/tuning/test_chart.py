"""The students' learning curves as a chart (tuning/loop/chart.py): collected from the runs, drawn in the app."""
import json

from irg.engine import paths
from tuning.loop import chart


def _curve(points, data):
    return {"recipe": {"rank": 8, "targets": "qv", "lr": 3e-4, "data": data},
            "points": [{"step": s, "epoch": e, "quality": q, "quality_ci": [q - 0.1, q + 0.1],
                        "degenerate_share": d} for s, e, q, d in points]}


def test_collect_keeps_finished_points_relative_paths_and_the_recorded_command(tmp_path):
    runs, into = tmp_path / "runs", tmp_path / "into"
    (runs / "a").mkdir(parents=True)
    (runs / "b").mkdir()
    absolute = str(paths.ROOT / "assets" / "distill_loop" / "kept-r2.jsonl")
    (runs / "a" / "curve.json").write_text(json.dumps(_curve([(0, 0.0, 0.15, 0.0), (10, 0.5, 0.3, 0.05)], absolute)))
    (runs / "b" / "curve.json").write_text(json.dumps(_curve([(0, 0.0, 0.15, 0.0)], absolute)))  # base point only
    into.mkdir()
    (into / "a.json").write_text(json.dumps({"command": "python -m tuning.loop curve --rank 8", "points": []}))
    assert chart.collect(runs, into) == ["a"]
    got = json.loads((into / "a.json").read_text())
    assert got["recipe"]["data"] == "assets/distill_loop/kept-r2.jsonl"
    assert got["command"] == "python -m tuning.loop curve --rank 8" and len(got["points"]) == 2
    assert not (into / "b.json").exists()


def test_figure_has_a_quality_and_a_degenerate_line_per_recipe_in_one_colour(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps(_curve([(0, 0.0, 0.15, 0.0), (10, 0.5, 0.3, 0.05)], "d")))
    (tmp_path / "y.json").write_text(json.dumps(_curve([(0, 0.0, 0.15, 0.0), (10, 0.5, 0.2, 0.1)], "d")))
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "no_ci.json").write_text(json.dumps({"points": [{"step": 0, "epoch": 0.0, "quality": 0.1}]}))
    curves = chart.load(tmp_path)  # what the chart cannot draw is left out: the tab still opens
    assert list(curves) == ["x", "y"]
    fig = chart.figure(curves)
    assert len(fig.data) == 4 and [t.y[-1] for t in fig.data] == [0.3, 0.05, 0.2, 0.1]
    assert fig.data[0].line.color == fig.data[1].line.color != fig.data[2].line.color
    assert fig.data[0].name == "rank 8, q/v, lr 0.0003"
    assert chart.label("m", {"recipe": {"method": "adapter_mle", "lr": 1e-3}}) == "embedding adapter (MLE), lr 0.001"
    assert [round(v, 6) for v in fig.data[0].error_y.array] == [0.1, 0.1]
    assert any("base model 15%" in (a.text or "") for a in fig.layout.annotations)
    assert "60 dev prompts" in chart.caption(curves) and "embedding adapter" in chart.caption(curves)
    later = {"a-adv": {"recipe": {"method": "gan", "adversarial_steps": 20, "lr": 1e-3},  # continues another curve
                       "points": [{"step": 10, "epoch": 0.5, "quality": 0.3, "quality_ci": [0.2, 0.4],
                                   "degenerate_share": 0.0}]}, **curves}
    assert any("base model 15%" in (a.text or "") for a in chart.figure(later).layout.annotations)


def test_the_how_it_works_tab_draws_the_committed_curves():
    import app

    assert chart.load(), "the committed curves (assets/results/distill_loop/curves) are the tab's data"
    demo = app.build_demo()
    assert any(getattr(b, "elem_id", None) == "learning-curves" for b in demo.blocks.values())
