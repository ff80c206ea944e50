"""A learning curve's best point becomes the shipped student (issue 40): `python -m tuning.loop ship --recipe NAME`."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from irg.engine import paths
from tuning.adapters import packed
from tuning.loop import keep
from tuning.loop.curves import CURVES


def ship(name: str, root: Path = CURVES, dest: Path = keep.ADAPTERS) -> Path:
    """A recipe's best point becomes the shipped student (loop_lora, or loop_mle for the embedding adapter), with the
    meta the app and the report read: the recipe, the step chosen on dev, the training time and peak memory up to
    it. The student it replaces is reproducible by `python -m tuning.loop train --student lora|mle`."""
    st = json.loads((root / name / "curve.json").read_text())
    best, recipe = st["best"], {**st["recipe"], "data": paths.relative(st["recipe"]["data"])}
    if best["step"] == 0:
        raise ValueError(f"No point of the curve '{name}' beat the base model: there is nothing to ship.")
    if recipe.get("method") == "full":  # not an adapter: the whole blocks, 212 MB in F16
        raise ValueError(f"'{name}' is full fine-tuning, which is not shipped as an adapter; write its model file with "
                         f"python -m tuning.loop merge --adapter {root / name / 'best'} --out <file.gguf>.")
    upto = [p for p in st["points"][1:] if p["step"] <= best["step"]]
    student = "mle" if recipe.get("method") == "adapter_mle" else "lora"
    meta = {"adapter_name": f"loop_{student}", "base_model": "bundled", "trained_on": "the IRG loop's verified answers "
            "(issue 40: the recipe and its point chosen on dev one-pass quality)", "data": recipe["data"],
            "examples": st["examples"],
            "config": {"student": student, "recipe": recipe, "curve": name, "steps": best["step"],
                       "epochs": round(best["step"] / st["steps_per_epoch"], 3), "dev_quality": best["quality"]},
            # training time up to the point: each run of the command counts from its own start, pauses included
            "train_seconds": round(sum(p.get("train_seconds", 0) for p in upto), 1),
            "peak_rss_mb": max(p.get("peak_rss_mb", 0) for p in upto)}
    src = root / name / "best"
    if student == "mle":
        target = dest / f"{keep.PREFIX}-mle"
        shutil.copyfile(src / "adapter.safetensors", target.with_suffix(".safetensors"))
        was = json.loads((src / "adapter.json").read_text())
        target.with_suffix(".json").write_text(json.dumps({**was, **meta}, indent=1) + "\n")
        return target.with_suffix(".safetensors")
    from tuning.adapters.shipped import settle_lora

    target = dest / f"{keep.PREFIX}-lora"
    target.mkdir(parents=True, exist_ok=True)
    (target / packed.WEIGHTS).unlink(missing_ok=True)  # float weights of an earlier ship
    packed.pack(src, target / packed.PACKED)  # 4.6 MB for git instead of 19.6 (rank 16, every projection)
    shutil.copyfile(src / "adapter_config.json", target / "adapter_config.json")
    return settle_lora(target, {"method": "lora", **meta})
