"""Learning curves (issue 40): a recipe trains for epochs, is scored every half epoch, stops early, and resumes."""
from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import build_model
from safetensors.numpy import load_file

from tuning.loop import curves, ship
from tuning.loop.curves import Curve, Recipe, epoch_batches, lr_at, share_of, split_rows

ROWS = [{"id": f"tr{i:03d}", "prompt": f"Write about the sea number {i}.",
         "final": "the sea is wide and blue." if i % 2 else "Cats sleep; dogs run.",
         "first_draft": "The sea is wide, and the waves are blue."} for i in range(curves.HELD_OUT + 12)]


class Scores:
    """A stand-in for the dev run (the benchmark on llama.cpp): hands out the given qualities in order and records
    which adapter folders it was asked to score."""

    def __init__(self, qualities):
        self.qualities, self.seen = list(qualities), []

    def __call__(self, adapter, out, n):
        self.seen.append(adapter)
        if adapter is not None:  # a point is scored on the adapter saved at that point
            assert any((adapter / f).exists() for f in ("adapter_model.safetensors", "adapter.safetensors",
                                                        "blocks.safetensors"))
        q = self.qualities.pop(0)
        if isinstance(q, BaseException):
            raise q
        return {"n": n, "quality": q, "quality_ci": [q, q], "tokens": 10.0, "degenerate_share": 0.0}


def _recipe(**kw):
    return Recipe(**{"rank": 2, "targets": "all", "lr": 1e-2, "epochs": 2, "batch_size": 4, "evals_per_epoch": 1,
                     "patience": 2, "warmup_steps": 1, "dev_n": 5, "chunk": 2, **kw})


def test_a_curve_scores_base_then_every_point_and_stops_after_patience(tokenizer, tmp_path):
    scores = Scores([0.2, 0.4, 0.3, 0.35, 0.9])  # best at the first trained point, then two points without a new best
    r = _recipe(epochs=5)
    st = Curve(r, tmp_path, build_model(tokenizer), tokenizer, ROWS, scores).run(on_log=lambda rec: None)
    assert [p["step"] for p in st["points"]] == [0, 3, 6, 9]  # 12 train rows / batch 4 = 3 steps an epoch
    assert scores.seen[0] is None and st["points"][0]["train_loss"] is None  # point 0: the base model
    assert st["best"] == {"step": 3, "quality": 0.4} and st["stopped"].startswith("no new best")
    assert st["examples"] == 12 and st["held_out"] == curves.HELD_OUT
    assert all(p["train_loss"] > 0 and p["held_out_loss"] > 0 for p in st["points"][1:])
    # the best point's adapter is kept beside the last one, and the file on disk is the state returned
    assert (tmp_path / r.name / "best" / "adapter_model.safetensors").exists()
    assert json.loads((tmp_path / r.name / "curve.json").read_text()) == st


def test_a_killed_curve_resumes_to_the_same_weights(tokenizer, tmp_path):
    r = _recipe(epochs=3, patience=5)
    whole = Curve(r, tmp_path / "a", build_model(tokenizer), tokenizer, ROWS, Scores([0.1, 0.2, 0.3, 0.4]))
    whole.run(on_log=lambda rec: None)
    kill = Scores([0.1, 0.2, KeyboardInterrupt()])  # killed while scoring its second point
    with pytest.raises(KeyboardInterrupt):
        Curve(r, tmp_path / "b", build_model(tokenizer), tokenizer, ROWS, kill).run(on_log=lambda rec: None)
    logs = []
    st = Curve(r, tmp_path / "b", build_model(tokenizer), tokenizer, ROWS, Scores([0.3, 0.4])).run(on_log=logs.append)
    assert logs[0] == {"resumed_at_step": 3} and [p["step"] for p in st["points"]] == [0, 3, 6, 9]
    a = load_file(str(tmp_path / "a" / r.name / "last" / "adapter_model.safetensors"))
    b = load_file(str(tmp_path / "b" / r.name / "last" / "adapter_model.safetensors"))
    assert a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a)


def test_a_folder_of_another_recipe_is_refused(tokenizer, tmp_path):
    r = _recipe(epochs=1)
    Curve(r, tmp_path, build_model(tokenizer), tokenizer, ROWS, Scores([0.1, 0.2])).run(on_log=lambda rec: None)
    st = json.loads((tmp_path / r.name / "curve.json").read_text())
    st["recipe"]["epochs"] = 4
    (tmp_path / r.name / "curve.json").write_text(json.dumps(st))
    with pytest.raises(ValueError, match="another recipe"):
        Curve(r, tmp_path, build_model(tokenizer), tokenizer, ROWS, Scores([])).run()


def test_batches_schedule_and_split_are_fixed_by_the_seed():
    lengths = [5, 9, 1, 7, 3, 3, 8, 2, 6]
    one = epoch_batches(lengths, 4, seed=0, epoch=0)
    assert sorted(i for b in one for i in b) == list(range(9))  # every example once an epoch
    assert one == epoch_batches(lengths, 4, 0, 0) and one != epoch_batches(lengths, 4, 0, 1)
    r = _recipe(lr=1e-3, warmup_steps=4)
    assert lr_at(0, 100, r) == pytest.approx(2.5e-4) and lr_at(3, 100, r) == pytest.approx(1e-3)
    assert lr_at(100, 100, r) == pytest.approx(1e-4) and lr_at(50, 100, r) < lr_at(10, 100, r)
    train, held = split_rows(ROWS)
    assert len(held) == curves.HELD_OUT and not {r["id"] for r in train} & {r["id"] for r in held}
    assert split_rows(list(reversed(ROWS)))[1] == sorted(held, key=lambda r: r["id"], reverse=True)


def test_the_embedding_adapter_learns_by_mle_and_resumes_to_the_same_weights(tokenizer, tmp_path):
    """The GAN adapter's MLE phase (and its ablation) on the same data, batches and schedule as a LoRA recipe."""
    r = _recipe(method="adapter_mle", epochs=2, patience=5)
    assert r.name == "mle-lr0.01-b4-s0"
    whole = Curve(r, tmp_path / "a", build_model(tokenizer), tokenizer, ROWS, Scores([0.1, 0.2, 0.3]))
    st = whole.run(on_log=lambda rec: None)
    assert [p["step"] for p in st["points"]] == [0, 3, 6]
    assert st["points"][-1]["held_out_loss"] < st["points"][0]["held_out_loss"]  # it learns
    folder = tmp_path / "a" / r.name / "best"
    assert (folder / "adapter.safetensors").exists() and json.loads((folder / "adapter.json").read_text())["method"] \
        == "gan"  # what tuning.adapters.gan.load and the GGUF fold read
    kill = Scores([0.1, 0.2, KeyboardInterrupt()])
    with pytest.raises(KeyboardInterrupt):
        Curve(r, tmp_path / "b", build_model(tokenizer), tokenizer, ROWS, kill).run(on_log=lambda rec: None)
    Curve(r, tmp_path / "b", build_model(tokenizer), tokenizer, ROWS, Scores([0.3])).run(on_log=lambda rec: None)
    a = load_file(str(tmp_path / "a" / r.name / "last" / "adapter.safetensors"))
    b = load_file(str(tmp_path / "b" / r.name / "last" / "adapter.safetensors"))
    assert a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a)


def test_full_fine_tuning_moves_every_block_matrix_and_nothing_else_and_resumes(tokenizer, tmp_path):
    """The blocks' weight matrices train in float32; the token table, the output head and the norms stay as they
    were; a killed run resumes to the same weights."""
    import torch

    r = _recipe(method="full", lr=1e-3, epochs=2, patience=5)
    assert r.name == "full-lr0.001-b4-s0" and r.same_as(__import__("dataclasses").asdict(_recipe(
        method="full", lr=1e-3, epochs=2, patience=5, rank=32, targets="qv")))  # no rank or modules of its own
    model = build_model(tokenizer)
    frozen = {k: v.clone() for k, v in model.state_dict().items() if "proj" not in k}
    before = {k: v.clone() for k, v in model.state_dict().items() if "proj" in k}
    st = Curve(r, tmp_path / "a", model, tokenizer, ROWS, Scores([0.1, 0.2, 0.3])).run(on_log=lambda rec: None)
    assert st["points"][-1]["held_out_loss"] < st["points"][0]["held_out_loss"]  # it learns
    after = model.state_dict()
    assert all(torch.equal(after[k].float(), v.float()) for k, v in frozen.items())
    assert len(before) == 2 * 7 and all(not torch.equal(after[k], v) for k, v in before.items())
    assert all(after[k].dtype == torch.float32 for k in before)
    saved = load_file(str(tmp_path / "a" / r.name / "last" / "blocks.safetensors"))
    assert sorted(saved) == sorted(f"{i}.{m}" for i in range(2) for m in curves.TARGETS["all"])
    assert np.array_equal(saved["1.down_proj"], after["model.layers.1.mlp.down_proj.weight"].numpy())
    kill = Scores([0.1, 0.2, KeyboardInterrupt()])
    with pytest.raises(KeyboardInterrupt):
        Curve(r, tmp_path / "b", build_model(tokenizer), tokenizer, ROWS, kill).run(on_log=lambda rec: None)
    Curve(r, tmp_path / "b", build_model(tokenizer), tokenizer, ROWS, Scores([0.3])).run(on_log=lambda rec: None)
    b = load_file(str(tmp_path / "b" / r.name / "last" / "blocks.safetensors"))
    assert saved.keys() == b.keys() and all((saved[k] == b[k]).all() for k in saved)


def test_an_untrained_embedding_adapter_is_the_base_model(tokenizer):
    import torch

    from tuning.adapters.train import batch_logprobs, pad_id

    model = build_model(tokenizer)
    prompts, answers = [[5, 6, 7], [8, 9]], [[10, 11], [12, 13, 14]]
    before = batch_logprobs(model, prompts, answers, pad_id(tokenizer))[0]
    student = curves.EmbeddingStudent(model, _recipe(method="adapter_mle"))
    student.train(False)
    assert torch.equal(batch_logprobs(student.model, prompts, answers, pad_id(tokenizer))[0], before)


def test_a_curve_written_before_methods_existed_is_a_lora_recipe():
    r = _recipe()
    stored = {k: v for k, v in __import__("dataclasses").asdict(r).items() if k != "method"}
    assert r.same_as(stored) and not _recipe(method="adapter_mle").same_as(stored)
    mle = _recipe(method="adapter_mle")  # no rank or modules of its own: another --rank is the same recipe
    assert mle.same_as(__import__("dataclasses").asdict(_recipe(method="adapter_mle", rank=32, targets="qv")))


@pytest.mark.parametrize("bad,match", [
    ({"method": "dpo"}, "method"), ({"targets": "mlp"}, "targets"), ({"rank": 0}, "at least 1"),
    ({"lr": 0}, "lr"), ({"epochs": 0}, "epochs"),
    ({"patience": 0}, "patience"), ({"data_share": 0}, "data share"), ({"data_share": 1.5}, "data share"),
])
def test_recipe_validates(bad, match):
    with pytest.raises(ValueError, match=match):
        _recipe(**bad)


@pytest.mark.parametrize("method,name", [("lora", "loop_lora"), ("adapter_mle", "loop_mle")])
def test_the_best_point_ships_as_the_student_the_app_finds(tokenizer, tmp_path, monkeypatch, method, name):
    from tuning.adapters import shipped

    monkeypatch.setenv("IRG_CACHE_DIR", str(tmp_path / "cache"))

    r = _recipe(method=method, epochs=2, patience=5)
    Curve(r, tmp_path / "curves", build_model(tokenizer), tokenizer, ROWS, Scores([0.1, 0.5, 0.3])).run(
        on_log=lambda rec: None)
    dest = tmp_path / "adapters"
    dest.mkdir()
    ship.ship(r.name, tmp_path / "curves", dest)
    found = shipped.find("bundled", dest)
    assert name in found
    meta = found[name].meta
    assert meta["config"]["steps"] == 3 and meta["config"]["dev_quality"] == 0.5  # the best point, not the last
    assert meta["examples"] == 12 and meta["peak_rss_mb"] > 0 and meta["config"]["recipe"]["method"] == method
    if method == "lora":  # shipped in eight bits, loaded in float32 from the cache, within 1/254 of each component
        assert not (found[name].stored / "adapter_model.safetensors").exists()
        best = load_file(str(tmp_path / "curves" / r.name / "best" / "adapter_model.safetensors"))
        loaded = load_file(str(found[name].path / "adapter_model.safetensors"))
        assert set(loaded) == set(best) and found[name].path != found[name].stored
        assert all(np.abs(loaded[k] - best[k]).max() <= np.abs(best[k]).max() / 250 for k in best)


def test_a_share_of_the_data_is_a_fixed_draw_named_in_the_recipe():
    """Does more data help? A curve on half the train rows: the same held-out rows, a larger share holds a smaller's
    rows, and the recipe's name (its folder) says the share, so it never resumes the full-data curve."""
    train, _ = split_rows(ROWS)
    half, quarter = share_of(train, 0.5), share_of(train, 0.25)
    assert len(half) == round(len(train) / 2) and {r["id"] for r in quarter} < {r["id"] for r in half}
    assert share_of(train, 1.0) == train and share_of(list(reversed(train)), 0.5) == list(reversed(half))
    assert _recipe(data_share=0.5).name.endswith("-share0.5") and not _recipe().name.endswith("share1")
    stored = {k: v for k, v in __import__("dataclasses").asdict(_recipe()).items() if k != "data_share"}
    assert _recipe().same_as(stored) and not _recipe(data_share=0.5).same_as(stored)  # curves from before the share


def test_another_kept_set_is_a_curve_of_its_own():
    """A later round's kept answers train a curve in a folder of its own, never resuming the default data's."""
    assert _recipe().name == _recipe(data=str(curves.DATA)).name and "kept" not in _recipe().name
    assert _recipe(data="assets/distill_loop/kept-r2c.jsonl").name.endswith("-kept-r2c")


@pytest.mark.parametrize("method", ["lora", "adapter_mle", "full"])
def test_gradient_checkpointing_is_memory_not_maths(tokenizer, tmp_path, method):
    """With the blocks' activations recomputed in the backward pass, training reaches the same weights (to float
    rounding), and a curve may resume with it on or off."""
    weights = {}
    for on in (False, True):
        r = _recipe(method=method, epochs=1, checkpointing=on)
        model = build_model(tokenizer)
        Curve(r, tmp_path / str(on), model, tokenizer, ROWS, Scores([0.1, 0.2])).run(on_log=lambda rec: None)
        assert model.is_gradient_checkpointing == on  # the switch reached the model (its effect is on memory only)
        f = {"lora": "adapter_model.safetensors", "adapter_mle": "adapter.safetensors",
             "full": "blocks.safetensors"}[method]
        weights[on] = load_file(str(tmp_path / str(on) / r.name / "last" / f))
    a, b = weights[False], weights[True]
    assert a.keys() == b.keys() and all(np.allclose(a[k], b[k], atol=1e-6) for k in a)
    if method == "full":  # it trained at all: the blocks left their starting weights
        start = curves.block_matrices(build_model(tokenizer))
        assert any(not np.allclose(a[k], start[k].detach().numpy()) for k in a)
    else:
        assert any(np.abs(a[k]).sum() > 0 for k in a)  # it trained at all (an adapter starts at zero)
    stored = __import__("dataclasses").asdict(_recipe(checkpointing=False))
    assert _recipe(checkpointing=True).same_as(stored) and _recipe(checkpointing=True).name == _recipe().name


def test_a_fully_fine_tuned_curve_is_not_shipped_as_an_adapter(tokenizer, tmp_path):
    r = _recipe(method="full", lr=1e-3, epochs=1)
    Curve(r, tmp_path, build_model(tokenizer), tokenizer, ROWS, Scores([0.1, 0.2])).run(on_log=lambda rec: None)
    with pytest.raises(ValueError, match="not shipped as an adapter"):
        ship.ship(r.name, root=tmp_path, dest=tmp_path / "adapters")
