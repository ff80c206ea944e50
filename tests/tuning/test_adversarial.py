"""The GAN's adversarial phase from the MLE curve's best point (tuning/loop/adversarial.py): it starts where the MLE
curve's best point is, keeps a point every few steps, scores each as the curve does, and the chart draws it."""
from __future__ import annotations

import json

import torch
from conftest import build_model
from safetensors.torch import load_file
from test_curves import ROWS, Scores, _recipe

from tuning.loop import adversarial, chart
from tuning.loop.curves import Curve


def test_the_generator_starts_from_the_given_state(tokenizer):
    from tuning.adapters.gan import EmbeddingGenerator
    from tuning.adapters.train import TrainConfig, Trainer

    model = build_model(tokenizer)
    start = EmbeddingGenerator(model.get_input_embeddings().embedding_dim)
    for p in start.parameters():
        torch.nn.init.normal_(p, std=0.1)
    pairs = [([1, 2, 3], [4, 5, 6])]
    trainer = Trainer(model, tokenizer, TrainConfig(method="gan", steps=0, warmup_steps=0), None, pairs=pairs,
                      drafts=[[7, 8]])
    trainer.init_state = start.state_dict()
    gen, _ = trainer.run()
    assert all(torch.equal(a, b) for a, b in zip(gen.state_dict().values(), start.state_dict().values()))


def test_the_adversarial_phase_continues_the_mle_curve(tokenizer, tmp_path):
    r = _recipe(method="adapter_mle", epochs=1, evals_per_epoch=1)
    Curve(r, tmp_path, build_model(tokenizer), tokenizer, ROWS, Scores([0.1, 0.3])).run(on_log=lambda rec: None)
    scores = Scores([0.25, 0.4])
    curve = adversarial.run(r.name, steps=2, every=1, sample_tokens=8, root=tmp_path, model=build_model(tokenizer),
                            tok=tokenizer, rows=ROWS, evaluate=scores, on_log=lambda rec: None)
    folder = tmp_path / f"{r.name}-adv2"
    assert [p["adversarial_steps"] for p in curve["points"]] == [0, 1, 2]
    assert [p["step"] for p in curve["points"]] == [3, 4, 5]  # after the MLE curve's 3 steps (its best point)
    assert [p["quality"] for p in curve["points"]] == [0.3, 0.25, 0.4] and curve["best"]["step"] == 5
    assert scores.seen == [folder / "step1", folder / "step2"]
    assert json.loads((folder / "curve.json").read_text()) == curve
    a, b = (load_file(str(folder / f"step{k}" / "adapter.safetensors")) for k in (1, 2))
    assert any(not torch.equal(a[k], b[k]) for k in a)  # the adversarial steps move the generator
    assert "2 adversarial steps" in chart.label(folder.name, curve)
