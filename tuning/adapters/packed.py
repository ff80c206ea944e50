"""A LoRA shipped in eight bits, unpacked into the cache on first use.

A rank-16 LoRA on every projection of the 135M model is 19.6 MB in float32, more than a file in git should be. Its
A and B matrices are stored as int8 with one float32 scale per rank component (A's rows, B's columns: each component's
direction keeps its own range), the file gzipped: 4.6 MB. The largest error is 1/254 of a component's largest weight,
finer than the Q8_0 blocks the bundled model itself is stored in. The first time the adapter is used it is unpacked,
once, into the project's cache folder as an ordinary peft folder in float32, under a name keyed by the packed file's
contents, and every loader (peft, the llama.cpp export) reads that folder.

    python -m tuning.adapters.packed FOLDER     # packs FOLDER's adapter_model.safetensors in place
"""
from __future__ import annotations

import gzip
import hashlib
import shutil
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from irg.engine.errors import AdapterError

PACKED = "adapter_model.int8.safetensors.gz"
WEIGHTS = "adapter_model.safetensors"
KEPT = ("adapter_config.json", "irg_meta.json")  # copied beside the unpacked weights


def _axis(key: str) -> int:
    """The axis a scale runs along: A (r x in) gets one scale per row, B (out x r) one per column."""
    return 1 if ".lora_A." in key else 0


def pack(folder: Path, out: Path | None = None) -> Path:
    """FOLDER's float weights as int8 with per-component scales, gzipped, as PACKED (in FOLDER unless `out`)."""
    from safetensors.numpy import load_file, save

    packed = {}
    for key, w in load_file(str(folder / WEIGHTS)).items():
        w = w.astype(np.float32)
        scale = np.abs(w).max(axis=_axis(key), keepdims=True) / 127.0
        scale[scale == 0] = 1.0  # an all-zero component stays zero
        packed[key] = np.round(w / scale).astype(np.int8)
        packed[key + ".scale"] = scale.astype(np.float32)
    out = out or folder / PACKED
    out.write_bytes(gzip.compress(save(packed), compresslevel=9, mtime=0))  # mtime 0: the same bytes every time
    return out


def unpack_weights(path: Path) -> dict[str, np.ndarray]:
    """The float32 weights of a packed file; AdapterError if it cannot be read."""
    from safetensors.numpy import load

    try:
        packed = load(gzip.decompress(path.read_bytes()))
    except Exception as e:  # a torn gzip stream, a SafetensorError: neither is one exception class
        raise AdapterError(f"The LoRA adapter '{path.parent.name}': {path.name} cannot be read "
                           f"({str(e).splitlines()[0][:100] or type(e).__name__}); it may be damaged.") from e
    keys = [k for k in packed if not k.endswith(".scale")]
    if any(k + ".scale" not in packed for k in keys):
        raise AdapterError(f"The LoRA adapter '{path.parent.name}': {path.name} lacks the scale of some weight.")
    return {k: packed[k].astype(np.float32) * packed[k + ".scale"] for k in keys}


@lru_cache(maxsize=32)
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    """The packed file's content hash, read once per version of the file (every run that uses the adapter asks)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def unpacked(folder: Path) -> Path:
    """The folder to load: `folder` itself when it holds float weights (or nothing packed), else its unpacked copy in
    the cache, written on first use."""
    from irg.engine.models import cache_root

    if (folder / WEIGHTS).exists() or not (folder / PACKED).exists():
        return folder
    st = (folder / PACKED).stat()
    out = cache_root() / "adapters" / f"{folder.name}-{_digest(folder / PACKED, st.st_size, st.st_mtime_ns)}"
    if (out / WEIGHTS).exists():
        return out
    from safetensors.numpy import save_file

    weights = unpack_weights(folder / PACKED)
    tmp = out.with_name(out.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file(weights, str(tmp / WEIGHTS))
    for name in KEPT:
        if (folder / name).exists():
            shutil.copyfile(folder / name, tmp / name)
    try:
        tmp.replace(out)  # whole or not at all: a second process may have unpacked it meanwhile
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not (out / WEIGHTS).exists():
            raise
    return out


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(pack(Path(arg)))
