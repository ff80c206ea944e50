"""A LoRA shipped in eight bits (tuning/adapters/packed.py): what loads from the cache is the trained LoRA, within the
quantisation's bound, through every door a shipped or user-given adapter takes; a damaged file is a sentence."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from conftest import build_model
from safetensors.numpy import load_file

from irg.engine.errors import AdapterError
from tuning.adapters import packed, shipped


@pytest.fixture
def lora(tokenizer, tmp_path, monkeypatch):
    """A trained-looking LoRA folder (random B, so the adapter changes the model), shipped packed for 'bundled'."""
    from peft import LoraConfig, get_peft_model

    monkeypatch.setenv("IRG_CACHE_DIR", str(tmp_path / "cache"))
    torch.manual_seed(0)
    model = get_peft_model(build_model(tokenizer), LoraConfig(r=4, target_modules=["q_proj", "v_proj", "down_proj"]))
    for name, p in model.named_parameters():
        if "lora_B" in name:
            torch.nn.init.normal_(p, std=0.05)
    folder = tmp_path / "adapters" / "tiny-loop-lora"
    model.save_pretrained(folder)
    (folder / "irg_meta.json").write_text(json.dumps({"method": "lora", "adapter_name": "loop_lora",
                                                      "base_model": "bundled"}))
    float_weights = load_file(str(folder / packed.WEIGHTS))
    packed.pack(folder)
    (folder / packed.WEIGHTS).unlink()
    return folder, float_weights


def test_the_packed_lora_unpacks_within_the_bound_into_the_cache_once(lora, tmp_path):
    folder, weights = lora
    out = packed.unpacked(folder)
    assert out.is_relative_to(tmp_path / "cache") and (out / "adapter_config.json").exists()
    loaded = load_file(str(out / packed.WEIGHTS))
    assert set(loaded) == set(weights)
    for k, w in weights.items():
        axis = 1 if ".lora_A." in k else 0  # the bound holds per rank component, not only per matrix
        assert (np.abs(loaded[k] - w) <= np.abs(w).max(axis=axis, keepdims=True) / 254 + 1e-8).all()
    stamp = (out / packed.WEIGHTS).stat().st_mtime_ns
    assert packed.unpacked(folder) == out and (out / packed.WEIGHTS).stat().st_mtime_ns == stamp  # not rewritten
    assert (folder / packed.PACKED).read_bytes() == packed.pack(out, tmp_path / "again.gz").read_bytes()  # stable


def test_a_packed_lora_drafts_like_its_float_self(lora, tokenizer):
    folder, weights = lora
    found = shipped.find("bundled", folder.parent)["loop_lora"]
    assert found.stored == folder and found.path != folder
    ids = torch.tensor([[1, 5, 9, 14, 3, 7]])
    base = build_model(tokenizer)(ids).logits
    with_packed = shipped.apply(build_model(tokenizer), found.path, "lora")(ids).logits
    exact_dir = folder.parent / "exact"
    exact_dir.mkdir()
    (exact_dir / "adapter_config.json").write_text((folder / "adapter_config.json").read_text())
    from safetensors.numpy import save_file

    save_file(weights, str(exact_dir / packed.WEIGHTS))
    exact = shipped.apply(build_model(tokenizer), exact_dir, "lora")(ids).logits
    change = (exact - base).abs().max()
    assert change > 1e-3  # the adapter does something, so the comparison means something
    assert (with_packed - exact).abs().max() < 0.02 * change


def test_a_packed_folder_given_as_a_path_is_unpacked_too(lora):
    folder, _ = lora
    path, method, label = shipped.resolve_adapter("bundled", str(folder))
    assert path != folder and (path / packed.WEIGHTS).exists() and label == folder.name


@pytest.mark.parametrize("damage", ["torn", "no scale"])
def test_a_damaged_packed_file_is_a_sentence(lora, damage):
    import gzip

    from safetensors.numpy import save

    folder, _ = lora
    f = folder / packed.PACKED
    f.write_bytes(f.read_bytes()[:1000] if damage == "torn" else
                  gzip.compress(save({"layers.0.q_proj.lora_A.weight": np.zeros((2, 2), np.int8)})))
    found = shipped.find("bundled", folder.parent)["loop_lora"]  # listing never reads the weights
    with pytest.raises(AdapterError, match="tiny-loop-lora"):
        found.path
