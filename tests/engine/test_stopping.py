"""Stop rules (fixed, plateau, adaptive): features, the learned model, live runs and their simulation on logs."""
import json

import numpy as np
import pytest

import irg.engine.stopping as S
import irg.evaluation.stopping_fit as F
from irg.engine.config import ConfigError, RunConfig
from irg.engine.events import IterationDone, Stopped
from irg.engine.record import Recorder
from irg.engine.strategies import run
from irg.engine.values import Iteration

PROMPT = "Write about the zebra. Include the keywords 'zebra' and 'stripes'."  # a random model never complies


def it(score, draft="a b c", tokens=100, cum=100, findings=()):
    return Iteration.from_dict({"score": score, "draft": draft, "tokens": tokens, "tokens_cum": cum,
                                "finish_reason": "stop", "findings": list(findings)})


def record(backend, **kw):
    rec = Recorder("r1")
    cfg = RunConfig(**{"strategy": "irg_external", "max_iters": 4, "max_new_tokens": 8, **kw})
    for _ in rec.wrap(run(PROMPT, backend, cfg)):
        pass
    return rec.record


def stopper(threshold, weights=None):
    n = len(S.FEATURES)
    return S.AdaptiveStopper(weights or [0.0] * n, 0.0, [0.0] * n, [1.0] * n, 1.0, threshold, {})


def test_features_follow_the_trajectory():
    crit = {"severity": "critical", "source": "rule", "kind": "keywords", "constraint": {"kind": "keywords"}}
    x = S.features([it(0.2, "a b c"), it(0.5, "a b d", 120, 220, [crit])], is_math=False, n_constraints=2)
    f = dict(zip(S.FEATURES, x))
    assert len(x) == len(S.FEATURES)
    assert f["iteration"] == 2 and f["score_change"] == pytest.approx(0.3) and f["best_score"] == 0.5 \
        and f["is_best"] == 1
    assert f["critical_rule"] == 1 and f["constraint_findings"] == 1 and f["tokens_so_far_k"] == 0.22
    assert 0 < f["draft_similarity"] < 1 and f["n_constraints"] == 2


def test_logistic_regression_learns_a_separable_rule():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 1] > 0).astype(float)
    w, b, mean, std = F.fit_logistic(X, y, l2=0.1)
    p = 1 / (1 + np.exp(-(((X - mean) / std) @ w + b)))
    assert np.mean((p > 0.5) == (y > 0.5)) > 0.95 and abs(w[1]) > 3 * max(abs(w[0]), abs(w[2]))


def test_plateau_stops_when_the_score_does_not_rise():
    t = {"its": [it(0.2), it(0.5), it(0.5), it(0.9)], "q": [0, 0, 0, 1], "tokens": [100, 200, 300, 400],
         "x": [[0.0] * len(S.FEATURES)] * 4}
    assert F.stop_index(t, "fixed") == 3 and F.stop_index(t, "plateau") == 2
    assert F.simulate([t], "plateau") == {"quality": [0], "tokens": [300]}
    assert F.stop_index(t, "adaptive", stopper(1e9)) == 0 and F.stop_index(t, "adaptive", stopper(-1.0)) == 3


def test_model_file_roundtrip_and_bad_files(tmp_path):
    s = stopper(0.5, [0.1] * len(S.FEATURES))
    s.save(tmp_path / "m.json")
    t = S.AdaptiveStopper.load(tmp_path / "m.json")
    x = [1.0] * len(S.FEATURES)
    assert t.p_improve(x) == s.p_improve(x) and t.threshold == 0.5
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="cannot be read"):
        S.AdaptiveStopper.load(tmp_path / "bad.json")
    d = json.loads((tmp_path / "m.json").read_text())
    d["features"] = d["features"][:-1]
    (tmp_path / "old.json").write_text(json.dumps(d))
    with pytest.raises(ValueError, match="features"):
        S.AdaptiveStopper.load(tmp_path / "old.json")


def test_live_plateau_run_matches_its_simulation_on_the_fixed_log(backend):
    fixed = record(backend)
    live = record(backend, stop="plateau")
    assert fixed["stop_reason"] == "max_iters" and live["stop_reason"] == "plateau"
    t = F.trajectory({**fixed, "task": "constraints", "gold_constraints": fixed["constraints"], "answer": None})
    k = F.stop_index(t, "plateau")
    assert len(live["iterations"]) == k + 1 and live["tokens_total"] == t["tokens"][k]
    assert "did not beat" in live["stop_detail"]


@pytest.mark.parametrize("threshold,reason,n", [(1e9, "adaptive", 1), (-1.0, "max_iters", 4)])
def test_live_adaptive_rule(backend, monkeypatch, threshold, reason, n):
    monkeypatch.setitem(S._loaded, "model", stopper(threshold))
    r = record(backend, stop="adaptive")
    assert r["stop_reason"] == reason and len(r["iterations"]) == n


def test_adaptive_without_a_model_file_is_a_sentence(monkeypatch, tmp_path):
    from irg.views.session import check_input

    monkeypatch.setattr(S, "MODEL_PATH", tmp_path / "none.json")
    monkeypatch.delitem(S._loaded, "model", raising=False)
    with pytest.raises(ConfigError, match="python -m irg.evaluation.stopping_fit train"):
        check_input("Say hi.", {"stop": "adaptive"})
    with pytest.raises(ConfigError, match="Unknown stop rule"):
        RunConfig(stop="sometimes")


def test_shipped_model_loads():
    m = S.AdaptiveStopper.load()
    assert m.meta["decisions"] > 0 and len(m.weights) == len(S.FEATURES)


def _log(path, backend, n=3):
    with open(path, "w") as fh:
        for i in range(n):
            rec = record(backend, max_iters=3)
            rec.update(id=f"r{i}", task="constraints", gold_constraints=rec["constraints"], answer=None, reference=None)
            fh.write(json.dumps(rec) + "\n")


def test_train_and_compare_commands(tmp_path, backend, capsys):
    path = tmp_path / "runs.jsonl"
    _log(path, backend)
    assert F.main(["train", "--data", str(path), "--out", str(tmp_path / "m.json")]) == 2  # nothing ever improves
    assert "too few, or all alike" in capsys.readouterr().err
    s = stopper(0.0)
    s.meta = {"runs": 3, "decisions": 6, "improved": 1}
    s.save(tmp_path / "m.json")
    assert F.main(["compare", "--data", str(path), "--model", str(tmp_path / "m.json"),
                   "--out", str(tmp_path / "cmp")]) == 0
    c = json.loads((tmp_path / "cmp" / "stopping.json").read_text())
    assert c["n"] == 3 and set(c["rules"]) == {"fixed", "plateau", "adaptive", "first_draft"}
    assert c["rules"]["fixed"]["tokens_saved_vs_fixed"] == 0.0
    assert F.main(["compare", "--data", str(tmp_path / "nope.jsonl"), "--model", str(tmp_path / "m.json")]) == 2


def test_stopped_event_names_the_rule(backend, monkeypatch):
    monkeypatch.setitem(S._loaded, "model", stopper(1e9))
    evs = list(run(PROMPT, backend, RunConfig(strategy="irg_hybrid", max_iters=3, max_new_tokens=8, stop="adaptive")))
    stops = [e for e in evs if isinstance(e, Stopped)]
    assert stops[0].reason == "adaptive" and len([e for e in evs if isinstance(e, IterationDone)]) == 1


def test_a_record_written_before_issue_36_reads_back_with_its_findings_checks():
    """Findings named what found them `kind` until issue 36 (now `check`): old records read the same."""
    from irg.engine.values import Report, checked

    old = {"kind": "no_commas", "severity": "critical", "message": "commas", "source": "rule"}
    assert checked(old)["check"] == "no_commas" and "kind" not in checked(old)
    assert Iteration.from_dict({"iteration": 1, "draft": "a, b", "findings": [old],
                                "score": 0.0}).findings[0].check == "no_commas"
    assert Report.from_dict({"findings": [old], "score": 0.0}).findings[0].check == "no_commas"
    new = {**checked(old), "where": "char 1"}
    assert checked(new) is new
