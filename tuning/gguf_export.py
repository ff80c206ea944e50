"""An adapter written into a copy of the model's GGUF file, so that llama.cpp runs it at the base model's speed.

    fold_gan(base.gguf, adapter.safetensors, out.gguf)   # the embedding adapter, folded into the token table
    merge_lora(base.gguf, lora_folder, out.gguf)          # a peft LoRA, merged into the weights it adapts

Why folding is exact: the proper GAN adapter (no noise at inference) is a function of one token's embedding
alone, G(E[t]), so running it after the embedding lookup is the same as looking up a new table E'[t] = G(E[t]).
The output head stays the original table (SmolLM2 ties it to the embeddings), written as its own
`output.weight`, which llama.cpp uses when present. The faithful variant samples noise at every token and cannot
be folded.

Every other tensor is copied byte for byte, quantised as it was. Changed tensors are written as F32: the table is
computed from the dequantised Q8_0 one exactly as transformers dequantises it, and a LoRA's small change must not
drown in a requantisation.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from tuning.errors import AdapterError

EXPORT_VERSION = "1"  # part of the cache key: bump when the written file would change


class NotFoldable(AdapterError):
    """The adapter cannot be written into a model file (it stays on transformers, and the user is told why)."""

# peft's module names -> llama.cpp's tensor names (LLaMA-style models)
LORA_TARGETS = {"q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v", "o_proj": "attn_output",
                "gate_proj": "ffn_gate", "up_proj": "ffn_up", "down_proj": "ffn_down"}


def file_hash(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        for f in sorted(Path(p).glob("*")) if Path(p).is_dir() else [Path(p)]:
            if f.suffix in (".safetensors", ".json"):
                h.update(f.name.encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _copy(reader, out: Path, replace: dict[str, np.ndarray], add: list[tuple[str, object]], note: dict[str, str]) -> Path:
    """Write `reader`'s file to `out` with some tensors replaced (F32 arrays) and some added (reader tensors)."""
    import gguf

    arch = reader.fields[gguf.Keys.General.ARCHITECTURE].contents()
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}-", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _write(reader, tmp, arch, replace, add, note)
    except BaseException:
        tmp.unlink(missing_ok=True)  # an interrupted write leaves nothing behind
        raise
    tmp.replace(out)  # a half-written file never has the final name
    return out


def _write(reader, tmp: Path, arch: str, replace: dict, add: list, note: dict) -> None:
    import gguf

    writer = gguf.GGUFWriter(str(tmp), arch)
    for field in reader.fields.values():  # as gguf's own gguf_new_metadata script copies them
        if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue
        vt = field.types[0]
        sub = field.types[-1] if vt == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), vt, sub_type=sub)
    for k, v in note.items():
        writer.add_string(f"irg.{k}", v)
    tensors = list(reader.tensors) + [t for _, t in add]
    names = [t.name for t in reader.tensors] + [n for n, _ in add]
    for name, t in zip(names, tensors):
        if name in replace:
            arr = replace[name]
            writer.add_tensor_info(name, arr.shape, arr.dtype, arr.nbytes, gguf.GGMLQuantizationType.F32)
        else:
            writer.add_tensor_info(name, t.data.shape, t.data.dtype, t.data.nbytes, t.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for name, t in zip(names, tensors):
        writer.write_tensor_data(replace[name] if name in replace else t.data, tensor_endianess=reader.endianess)
    writer.close()


def export(base: Path, adapter: Path, out: Path) -> Path:
    """The base GGUF with the adapter in it: a GAN adapter file is folded, a LoRA folder merged."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return merge_lora(base, adapter, out) if Path(adapter).is_dir() else fold_gan(base, adapter, out)


def dequantized(tensor) -> np.ndarray:
    """A GGUF tensor as float32, rows = output features (numpy's view of ggml's ne reversed)."""
    from gguf.quants import dequantize

    return np.ascontiguousarray(dequantize(tensor.data, tensor.tensor_type), dtype=np.float32)


def fold_gan(base: Path, adapter: Path, out: Path) -> Path:
    import gguf
    import torch

    from tuning.gan import load

    gen, meta = load(adapter)
    if gen.noise_at_inference:
        raise NotFoldable("This adapter samples noise at every token (the thesis' faithful variant), so it is not a "
                          "function of the embedding alone and cannot be folded into the model file.")
    reader = gguf.GGUFReader(str(base))
    table = next((t for t in reader.tensors if t.name == "token_embd.weight"), None)
    if table is None or any(t.name == "output.weight" for t in reader.tensors):
        raise NotFoldable("Only a model whose output head is tied to its token embeddings can take a folded adapter.")
    E = dequantized(table)
    if E.shape[1] != gen.embed_dim:
        raise AdapterError(f"The adapter was made for embeddings of size {gen.embed_dim}, but this model's are {E.shape[1]}.")
    with torch.no_grad():
        folded = torch.cat([gen(torch.from_numpy(E[i: i + 4096])) for i in range(0, len(E), 4096)]).numpy()
    return _copy(reader, out, {"token_embd.weight": folded.astype(np.float32)}, [("output.weight", table)],
                 {"adapter": Path(adapter).stem, "adapter_kind": "gan-folded", "adapter_sha": file_hash(Path(adapter))})


def permute_rows(w: np.ndarray, n_head: int) -> np.ndarray:
    """The row order llama.cpp's converter gives q/k projections (rotary halves interleaved); transformers undoes
    it when it reads a GGUF, so a change computed on the transformers model must be permuted the same way."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def lora_deltas(folder: Path) -> dict[tuple[int, str], np.ndarray]:
    """{(layer, peft module name): B @ A * alpha / r} from a peft LoRA folder (safetensors only)."""
    import json

    from safetensors.numpy import load_file

    cfg = json.loads((folder / "adapter_config.json").read_text())
    if cfg.get("use_rslora") or cfg.get("rank_pattern") or cfg.get("alpha_pattern") or cfg.get("use_dora"):
        raise NotFoldable(f"The LoRA '{folder.name}' uses per-layer ranks, rsLoRA or DoRA, which this export does not merge.")
    scale = cfg["lora_alpha"] / cfg["r"]
    state = load_file(str(folder / "adapter_model.safetensors"))
    out = {}
    for key, a in state.items():
        if ".lora_A." not in key:
            continue
        b = state[key.replace(".lora_A.", ".lora_B.")]
        parts = key.split(".")
        if "layers" not in parts:
            raise NotFoldable(f"The LoRA '{folder.name}' adapts '{key}', outside the transformer blocks; only block "
                              "weights can be merged.")
        layer = int(parts[parts.index("layers") + 1])
        module = parts[parts.index("lora_A") - 1]
        out[(layer, module)] = (b.astype(np.float32) @ a.astype(np.float32)) * scale
    return out


def merge_lora(base: Path, folder: Path, out: Path) -> Path:
    import gguf

    reader = gguf.GGUFReader(str(base))
    arch = reader.fields[gguf.Keys.General.ARCHITECTURE].contents()
    n_head = int(reader.fields[f"{arch}.attention.head_count"].contents())
    n_kv = int(reader.fields[f"{arch}.attention.head_count_kv"].contents())
    by_name = {t.name: t for t in reader.tensors}
    replace = {}
    for (layer, module), delta in lora_deltas(Path(folder)).items():
        if module not in LORA_TARGETS:
            raise NotFoldable(f"The LoRA adapts '{module}', which this export does not know how to place.")
        name = f"blk.{layer}.{LORA_TARGETS[module]}.weight"
        if name not in by_name:
            raise AdapterError(f"The LoRA adapts layer {layer}'s {module}, which this model does not have.")
        if module == "q_proj":
            delta = permute_rows(delta, n_head)
        elif module == "k_proj":
            delta = permute_rows(delta, n_kv)
        w = dequantized(by_name[name])
        if w.shape != delta.shape:
            raise AdapterError(f"The LoRA's change to {name} has shape {delta.shape}, the model's weight {w.shape}.")
        replace[name] = w + delta
    return _copy(reader, out, replace, [], {"adapter": Path(folder).name, "adapter_kind": "lora-merged",
                                             "adapter_sha": file_hash(Path(folder))})
