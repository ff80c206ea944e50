"""Adapters written for llama.cpp, so that their drafts run on llama.cpp rather than transformers.

    fold_gan(base.gguf, adapter.safetensors, out.gguf)   # the embedding adapter, folded into the token table
    lora_adapter(base.gguf, lora_folder, out.gguf)        # a peft LoRA as llama.cpp's own LoRA adapter file (the app)
    merge_lora(base.gguf, lora_folder, out.gguf)          # a peft LoRA, merged into the weights it adapts
    merge_blocks(base.gguf, blocks.safetensors, out.gguf) # fully fine-tuned block matrices, written in their place

Why folding is exact: the proper GAN adapter (no noise at inference) is a function of one token's embedding
alone, G(E[t]), so running it after the embedding lookup is the same as looking up a new table E'[t] = G(E[t]).
The output head stays the original table (SmolLM2 ties it to the embeddings), written as its own
`output.weight`, which llama.cpp uses when present. The faithful variant samples noise at every token and cannot
be folded.

Every other tensor is copied byte for byte, quantised as it was. Changed tensors are not requantised (a LoRA's small
change would drown in the model's Q4_1 blocks): the folded table is F32, computed from the dequantised Q8_0 one
exactly as transformers dequantises it (only looked up, so its size costs no speed); merged LoRA weights are F16.
A LoRA costs llama.cpp speed whichever way it is written (issue 25: `python -m irg.bench adapters --part
lora_formats`, assets/results/adapters/lora-formats.json); requantised to the base's Q4_1 it keeps the speed but
the LoRA drowns (teacher-forced agreement with transformers + the LoRA ~76%, against ~99% for the others). The app
uses the adapter file: 2 MB, written in seconds, exact in F32.

The file for llama.cpp is built on first use and cached (tuning/adapters/shipped.py: gguf_with_adapter).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from irg.engine.errors import AdapterError

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


def _copy(reader, out: Path, replace: dict[str, np.ndarray], add: list[tuple[str, object]],
          note: dict[str, str]) -> Path:
    """Write `reader`'s file to `out` with some tensors replaced (float arrays, or (bytes, quantisation type) pairs)
    and some added (reader tensors)."""
    import gguf

    arch = reader.fields[gguf.Keys.General.ARCHITECTURE].contents()
    return _atomically(out, lambda tmp: _write(reader, tmp, arch, replace, add, note))


def _atomically(out: Path, write) -> Path:
    """write(tmp) into a temporary file beside `out`, then rename it: a half-written file never has the final name,
    an interrupted write leaves nothing behind, and two processes building the same file never share one."""
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}-", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return out


def _write(reader, tmp: Path, arch: str, replace: dict, add: list, note: dict) -> None:
    import gguf

    replace_types = {}  # quantised replacements: (bytes, type) pairs
    for name, value in list(replace.items()):
        if isinstance(value, tuple):
            replace[name], replace_types[name] = value

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
            qtype = replace_types.get(name) or (gguf.GGMLQuantizationType.F16 if arr.dtype == np.float16
                                              else gguf.GGMLQuantizationType.F32)
            writer.add_tensor_info(name, arr.shape, arr.dtype, arr.nbytes, qtype)
        else:
            writer.add_tensor_info(name, t.data.shape, t.data.dtype, t.data.nbytes, t.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for name, t in zip(names, tensors):
        writer.write_tensor_data(replace[name] if name in replace else t.data, tensor_endianess=reader.endianess)
    writer.close()


def export(base: Path, adapter: Path, out: Path) -> Path:
    """The adapter for llama.cpp: a GAN adapter file folded into a copy of the base GGUF; a LoRA folder as a LoRA
    adapter file (exact, and 2 MB: see lora_adapter)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return lora_adapter(base, adapter, out) if Path(adapter).is_dir() else fold_gan(base, adapter, out)


def merged(base: Path, adapter: Path, out: Path) -> Path:
    """The adapter written into a copy of the base GGUF, whatever it is: a GAN adapter file (or a folder holding
    adapter.safetensors, as the learning curves save the embedding adapter) folded in, a LoRA folder merged."""
    adapter = Path(adapter)
    if adapter.is_dir() and (adapter / "adapter.safetensors").exists():
        adapter = adapter / "adapter.safetensors"
    out.parent.mkdir(parents=True, exist_ok=True)
    if adapter.is_dir() and (adapter / "blocks.safetensors").exists():  # full fine-tuning (tuning/loop/learners.py)
        return merge_blocks(base, adapter / "blocks.safetensors", out)
    return merge_lora(base, adapter, out) if adapter.is_dir() else fold_gan(base, adapter, out)


def dequantized(tensor) -> np.ndarray:
    """A GGUF tensor as float32, rows = output features (numpy's view of ggml's ne reversed)."""
    from gguf.quants import dequantize

    return np.ascontiguousarray(dequantize(tensor.data, tensor.tensor_type), dtype=np.float32)


def fold_gan(base: Path, adapter: Path, out: Path) -> Path:
    import gguf
    import torch

    from tuning.adapters.gan import load

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
        raise AdapterError(f"The adapter was made for embeddings of size {gen.embed_dim}, "
                           f"but this model's are {E.shape[1]}.")
    with torch.no_grad():
        folded = torch.cat([gen(torch.from_numpy(E[i: i + 4096])) for i in range(0, len(E), 4096)]).numpy()
    return _copy(reader, out, {"token_embd.weight": folded.astype(np.float32)}, [("output.weight", table)],
                 {"adapter": Path(adapter).stem, "adapter_kind": "gan-folded", "adapter_sha": file_hash(Path(adapter))})


# The merged weights' type: F16 keeps a LoRA's change (its 11-bit mantissa resolves ~0.05% of a weight) and ggml
# multiplies it faster than F32 (measured in issue 25: see docs/results/adapters.md).
LORA_DTYPE = np.float16


PERMUTED_ARCHS = ("llama",)  # architectures whose q/k rows llama.cpp's converter reorders (permute_rows)


def permute_rows(w: np.ndarray, n_head: int) -> np.ndarray:
    """The row order llama.cpp's converter gives q/k projections (rotary halves interleaved); transformers undoes
    it when it reads a GGUF, so a change computed on the transformers model must be permuted the same way."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def lora_deltas(folder: Path, check_only: bool = False) -> dict[tuple[int, str], np.ndarray]:
    """{(layer, peft module name): B @ A * alpha / r} from a peft LoRA folder (safetensors only); check_only: only
    refuse what cannot be exported (per-layer ranks, rsLoRA, DoRA, weights outside the blocks)."""
    from safetensors.numpy import load_file

    cfg = json.loads((folder / "adapter_config.json").read_text())
    if cfg.get("use_rslora") or cfg.get("rank_pattern") or cfg.get("alpha_pattern") or cfg.get("use_dora"):
        raise NotFoldable(f"The LoRA '{folder.name}' uses per-layer ranks, rsLoRA or DoRA, "
                          "which this export does not merge.")
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
        if check_only:
            continue
        layer = int(parts[parts.index("layers") + 1])
        module = parts[parts.index("lora_A") - 1]
        out[(layer, module)] = (b.astype(np.float32) @ a.astype(np.float32)) * scale
    return out


def merge_lora(base: Path, folder: Path, out: Path, dtype=LORA_DTYPE) -> Path:
    note = {"adapter": Path(folder).name, "adapter_kind": "lora-merged", "adapter_sha": file_hash(Path(folder))}
    return _merge(base, lora_deltas(Path(folder)), out, dtype, whole=False, note=note)


def merge_blocks(base: Path, weights: Path, out: Path, dtype=LORA_DTYPE) -> Path:
    """Fully fine-tuned block matrices (tuning/loop/learners.py: FullStudent, "<layer>.<module>" -> the trained
    weight, as transformers holds it) written in place of the model's: the same placement as a LoRA's merge, the
    matrix itself instead of base + change."""
    from safetensors.numpy import load_file

    state = load_file(str(weights))
    changes = {(int(k.split(".")[0]), k.split(".")[1]): w.astype(np.float32) for k, w in state.items()}
    return _merge(base, changes, out, dtype, whole=True, note={"adapter": Path(weights).parent.name,
                  "adapter_kind": "blocks-fine-tuned", "adapter_sha": file_hash(Path(weights))})


def _merge(base: Path, changes: dict[tuple[int, str], np.ndarray], out: Path, dtype, whole: bool,
           note: dict[str, str]) -> Path:
    """Write (layer, peft module name) -> a change to that weight (whole: the weight itself) into a copy of `base`."""
    import gguf

    reader = gguf.GGUFReader(str(base))
    arch = reader.fields[gguf.Keys.General.ARCHITECTURE].contents()
    if arch not in PERMUTED_ARCHS:
        raise NotFoldable(f"Merging a LoRA into a '{arch}' model is not supported (only LLaMA-style models).")
    n_head = int(reader.fields[f"{arch}.attention.head_count"].contents())
    n_kv = int(reader.fields[f"{arch}.attention.head_count_kv"].contents())
    by_name = {t.name: t for t in reader.tensors}
    replace = {}
    for (layer, module), delta in changes.items():
        if module not in LORA_TARGETS:
            raise NotFoldable(f"The LoRA adapts '{module}', which this export does not know how to place.")
        name = f"blk.{layer}.{LORA_TARGETS[module]}.weight"
        if name not in by_name:
            raise AdapterError(f"The LoRA adapts layer {layer}'s {module}, which this model does not have.")
        w = dequantized(by_name[name])
        if w.shape != delta.shape:
            raise AdapterError(f"The LoRA's change to {name} has shape {delta.shape}, the model's weight {w.shape}.")
        if module == "q_proj":
            delta = permute_rows(delta, n_head)
        elif module == "k_proj":
            delta = permute_rows(delta, n_kv)
        new = delta if whole else w + delta
        if dtype in ("q8_0", "same"):  # requantised: Q8_0, or the type the base weight had
            from gguf.quants import quantize

            qtype = gguf.GGMLQuantizationType.Q8_0 if dtype == "q8_0" else by_name[name].tensor_type
            replace[name] = (quantize(new, qtype), qtype)
        else:
            replace[name] = new.astype(dtype)
    return _copy(reader, out, replace, [], note)


def lora_adapter(base: Path, folder: Path, out: Path) -> Path:
    """A peft LoRA as llama.cpp's own LoRA adapter file (what llama.cpp's convert_lora_to_gguf.py writes): per adapted
    weight `<name>.lora_a` (r x in) and `<name>.lora_b` (out x r, q/k rows permuted as the converter permutes the
    model's), `adapter.lora.alpha`. llama.cpp adds B(Ax)·alpha/r to the quantised weight's product at run time, so
    the LoRA stays exact in F32 and the base weights are untouched; 2 MB instead of a 117 MB model copy. (Speed:
    no better than a merge; see the module docstring.)"""
    import gguf
    from safetensors.numpy import load_file

    cfg = json.loads((folder / "adapter_config.json").read_text())
    lora_deltas(folder, check_only=True)  # the same refusals as a merge (rsLoRA, DoRA, outside the blocks)
    state = load_file(str(folder / "adapter_model.safetensors"))
    reader = gguf.GGUFReader(str(base))
    arch = reader.fields[gguf.Keys.General.ARCHITECTURE].contents()
    if arch not in PERMUTED_ARCHS:
        raise NotFoldable(f"Writing a LoRA for a '{arch}' model is not supported (only LLaMA-style models, whose q/k "
                          "rows llama.cpp's converter reorders, are).")
    unknown = [k for k in state if ".lora_A." not in k and ".lora_B." not in k]
    if unknown:
        raise NotFoldable(f"The LoRA also saves weights other than its A/B matrices ({unknown[0]}, …), "
                          "which llama.cpp's adapter files cannot hold.")
    heads = {"q_proj": int(reader.fields[f"{arch}.attention.head_count"].contents()),
             "k_proj": int(reader.fields[f"{arch}.attention.head_count_kv"].contents())}
    shapes = {t.name: tuple(int(x) for x in reversed(t.shape)) for t in reader.tensors}  # numpy order: (out, in)
    tensors = []
    for key in sorted(state):
        if ".lora_A." not in key:
            continue
        parts = key.split(".")
        layer, module = int(parts[parts.index("layers") + 1]), parts[parts.index("lora_A") - 1]
        if module not in LORA_TARGETS:
            raise NotFoldable(f"The LoRA adapts '{module}', which this export does not know how to place.")
        name = f"blk.{layer}.{LORA_TARGETS[module]}.weight"
        a = state[key].astype(np.float32)
        b = state.get(key.replace(".lora_A.", ".lora_B."))
        if b is None or shapes.get(name) != (b.shape[0], a.shape[1]):
            raise AdapterError(f"The LoRA's change to {name} does not fit the model's weight {shapes.get(name)}: it "
                               "was made for another model, or its file is incomplete.")
        b = b.astype(np.float32)
        if module in heads:
            b = permute_rows(b, heads[module])
        tensors += [(f"{name}.lora_a", np.ascontiguousarray(a)), (f"{name}.lora_b", np.ascontiguousarray(b))]
    def write(tmp: Path) -> None:
        writer = gguf.GGUFWriter(str(tmp), arch)
        writer.add_string("general.type", "adapter")
        writer.add_string("adapter.type", "lora")
        writer.add_float32("adapter.lora.alpha", float(cfg["lora_alpha"]))
        for k, v in {"adapter": folder.name, "adapter_kind": "lora-adapter", "adapter_sha": file_hash(folder)}.items():
            writer.add_string(f"irg.{k}", v)
        for name, arr in tensors:
            writer.add_tensor(name, arr)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
    return _atomically(out, write)
