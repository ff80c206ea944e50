"""Shipped adapters (assets/adapters/) and the draft engines that use them.

    find("bundled")                    -> {"gan": Shipped(...), "lora": Shipped(...)}
    draft_backend("bundled", "gan")    -> a backend with the adapter on: llama.cpp for a GGUF model (a GAN adapter
                                          folded into a cached copy of the file, a LoRA as llama.cpp's adapter
                                          file), else transformers

Each (model, adapter) gets its own model instance, loaded once and shared: the adapter is
never switched on a model that other runs use, so two sessions with different settings
cannot affect each other. Only safetensors files are read; a pickle is refused.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from irg.engine import paths
from irg.engine.backends import GenRequest
from irg.engine.backends.llamacpp import ChatTokenizer, LlamaCppBackend
from irg.engine.errors import AdapterError
from irg.engine.models import AdapterHooks, register_adapters
from irg.engine.registry import ADAPTERS
from tuning.adapters import effects, packed

ADAPTER_DIR = paths.ASSETS / "adapters"
LABELS = {"gan": "GAN-tuned adapter", "lora": "LoRA adapter",
          # students of the IRG loop (tuning/loop/students.py): the loop's verified answers, learnt in one pass
          "loop_lora": "Loop-taught LoRA", "loop_gan": "Loop-taught GAN adapter",
          "loop_mle": "Loop-taught adapter (MLE only)",
          "loop_lora_r2": "Loop-taught LoRA, round 2", "loop_gan_r2": "Loop-taught GAN adapter, round 2",
          "loop_mle_r2": "Loop-taught adapter (MLE only), round 2"}
# The bundled GGUF is SmolLM2-135M-Instruct; the hub copy of it (the default on a Space) takes its adapters.
ALIASES = {"bundled": ("bundled", "HuggingFaceTB/SmolLM2-135M-Instruct")}
PICKLES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")


def method(meta: dict) -> str | None:
    """How an adapter was trained (gan | lora | student), from its meta file; files written before issue 36 call
    this field "kind"."""
    return meta.get("method", meta.get("kind"))


@dataclass(frozen=True)
class Shipped:
    method: str  # how it was trained: gan | lora | student
    stored: Path  # gan: the .safetensors file; lora: the folder as shipped
    meta: dict

    @property
    def path(self) -> Path:
        """What loaders read: the stored file or folder, or a LoRA shipped in eight bits unpacked into the cache
        (packed.py; on first use, AdapterError if it is damaged)."""
        return self.stored if self.method == "gan" else packed.unpacked(self.stored)

    @property
    def name(self) -> str:
        """What the app and --adapter call it: "gan", "lora", "loop_lora", ..."""
        return self.meta.get("adapter_name") or self.method

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)


def _meta_models(meta: dict) -> tuple[str, ...]:
    base = meta.get("base_model", "")
    return ALIASES.get(base, (base,))


def find(model: str, directory: Path | None = None) -> dict[str, Shipped]:
    """The shipped adapters made for `model` (by the name the user picks it with)."""
    directory = directory or ADAPTER_DIR
    found: dict[str, Shipped] = {}
    if not directory.is_dir():
        return found
    for js in sorted(directory.glob("*.json")):
        try:
            meta = json.loads(js.read_text())
        except (OSError, ValueError):
            continue
        if (method(meta) == "gan" and (model or "").strip() in _meta_models(meta)
                and js.with_suffix(".safetensors").exists()):
            shipped = Shipped("gan", js.with_suffix(".safetensors"), meta)
            found.setdefault(shipped.name, shipped)
    for js in sorted(directory.glob("*/irg_meta.json")):
        try:
            meta = json.loads(js.read_text())
        except (OSError, ValueError):
            continue
        if method(meta) == "lora" and (model or "").strip() in _meta_models(meta):
            shipped = Shipped("lora", js.parent, meta)
            found.setdefault(shipped.name, shipped)
    return found


def students(directory: Path | None = None) -> dict[str, Shipped]:
    """Distilled students (tuning/distill/table.py ships them) shipped as whole model choices: {model name: Shipped}.
    A student is a LoRA folder whose irg_meta.json says method "student", its name and its base model."""
    directory = directory or ADAPTER_DIR
    out: dict[str, Shipped] = {}
    for js in sorted(directory.glob("*/irg_meta.json")) if directory.is_dir() else []:
        try:
            meta = json.loads(js.read_text())
        except (OSError, ValueError):
            continue
        if method(meta) == "student" and meta.get("model_name") and meta.get("base_model"):
            out.setdefault(meta["model_name"], Shipped("student", js.parent, meta))
    return out


def check_lora_folder(folder: Path) -> None:
    if not (folder / "adapter_config.json").exists() or not (folder / "adapter_model.safetensors").exists():
        raise AdapterError(f"The LoRA adapter '{folder.name}' needs adapter_config.json and adapter_model.safetensors.")
    pickles = [p.name for p in folder.iterdir() if p.suffix in PICKLES]
    if pickles:
        raise AdapterError(f"The LoRA adapter '{folder.name}' contains pickle files ({', '.join(pickles)}); "
                           "only safetensors are loaded.")


def apply(model, adapter: str | Path, method: str | None = None):
    """The model with the adapter on, for good (a model nobody else uses). Returns the model to use."""
    path = Path(adapter)
    if path.suffix in PICKLES:
        raise AdapterError(f"'{path.name}' is a pickle file; adapters are only loaded from safetensors.")
    method = method or ("lora" if path.is_dir() else "gan")  # a distilled student is a LoRA folder too
    if method == "gan":
        from tuning.adapters.gan import attach, load

        gen, _ = load(path, model)
        attach(model, gen)
        model._irg_adapter = gen  # keep a reference next to the hook that uses it
        return model
    from peft import PeftModel

    check_lora_folder(path)
    saved = lora_keys(path)
    try:
        peft_model = PeftModel.from_pretrained(model, str(path))
    except (RuntimeError, ValueError, KeyError) as e:  # size mismatches and unknown modules end here
        raise AdapterError(f"The LoRA adapter '{path.name}' does not fit this model: its layers have other shapes "
                           "or names (it was made for another model).") from e
    from peft import get_peft_model_state_dict

    if not saved & set(get_peft_model_state_dict(peft_model)):  # peft only warns when no weight found a layer
        raise AdapterError(f"The LoRA adapter '{path.name}' matches no layer of this model: none of its "
                           f"{len(saved)} weights has a place in it (it was made for another model), "
                           f"so it would change nothing.")
    return peft_model.merge_and_unload()  # merged: drafts run as fast as the base model


def lora_keys(folder: Path) -> set[str]:
    """The weight names in a LoRA folder's safetensors file; AdapterError if it is not a safetensors file."""
    from safetensors import safe_open

    try:
        with safe_open(str(folder / "adapter_model.safetensors"), framework="pt") as f:
            return set(f.keys())
    except Exception as e:  # SafetensorError (a pickle renamed, a torn file) is not an OSError
        raise AdapterError(f"The LoRA adapter '{folder.name}': adapter_model.safetensors is not a safetensors file "
                           f"({str(e).splitlines()[0][:100] or type(e).__name__}); "
                           f"it may be damaged or a renamed pickle.") from e


_backends: dict[tuple[str, str, str], object] = {}
_locks: dict[tuple[str, str, str], threading.Lock] = {}
_lock = threading.Lock()  # guards _locks only


def resolve_adapter(model: str, adapter: str) -> tuple[Path, str | None, str]:
    """(path, method or None, label) of a shipped adapter's name or an adapter path; AdapterError if there is none."""
    shipped = find(model).get(adapter)
    if shipped is not None:  # a shipped adapter, by its name
        return shipped.path, shipped.method, shipped.label
    if adapter in LABELS:
        raise AdapterError(f"There is no {LABELS[adapter]} for the model '{model}'.")
    path = Path(adapter)
    if not path.exists():
        raise AdapterError(f"There is no adapter at '{adapter}'.")
    return (packed.unpacked(path) if path.is_dir() else path), None, path.name


def gguf_with_adapter(base: Path, adapter: Path, progress=None) -> Path:
    """The adapter as a file for llama.cpp: a GAN adapter folded into a copy of the base GGUF (a model file), a LoRA
    as llama.cpp's own LoRA adapter file (applied on top of the base GGUF). Built once on first use into the
    project's cache folder, under a name keyed by the adapter's contents and the base file, then reused.
    NotFoldable if the adapter cannot be written for llama.cpp (the faithful GAN variant)."""
    from irg.engine.models import cache_root
    from tuning.adapters.gguf_export import EXPORT_VERSION, export, file_hash

    if adapter.suffix in PICKLES:
        raise AdapterError(f"'{adapter.name}' is a pickle file; adapters are only loaded from safetensors.")
    if adapter.is_dir():
        check_lora_folder(adapter)
    st = base.stat()
    # the adapter by content (a GAN adapter with its .json, which says whether it samples noise); the base model by
    # name, size and modification time, as the converted-model cache keys it
    files = [adapter] if adapter.is_dir() else [adapter, adapter.with_suffix(".json")]
    key = hashlib.sha256(f"{file_hash(*files)}|{base.name}|{st.st_size}|{int(st.st_mtime)}|{EXPORT_VERSION}".encode())
    form = "lora" if adapter.is_dir() else "folded"
    out = cache_root() / "adapters" / f"{adapter.stem}-{key.hexdigest()[:16]}.{form}.gguf"
    if out.exists():
        return out
    say = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    how = ("writing the LoRA as a llama.cpp adapter file (once, a few seconds)" if adapter.is_dir()
           else "folding the GAN-tuned adapter into a copy of the model file (once, about 10 s)")
    say(f"First use of the adapter '{adapter.stem}' on llama.cpp: {how}…")
    t = time.perf_counter()
    export(base, adapter, out)
    say(f"… done in {time.perf_counter() - t:.1f} s: {out} ({out.stat().st_size / 1e6:.0f} MB).")
    return out


def draft_backend(model: str, adapter: str, backend: str = "auto"):
    """A shared backend of `model` with `adapter` (a shipped name or a path) applied. With a GGUF model and llama.cpp
    (backend "auto" or "llama.cpp") the adapter is written for llama.cpp (gguf_with_adapter) and runs in its own
    llama.cpp process; an adapter that cannot be (the faithful GAN variant) runs on transformers, and the backend's
    `note` says why. backend "transformers" keeps it on transformers."""
    from irg.engine.models import pick_backend, resolve

    model = (model or "").strip() or "bundled"
    path, trained, label = resolve_adapter(model, adapter)
    spec = resolve(model)
    engine = pick_backend(spec, backend)
    key = (model, str(path), engine)
    with _lock:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:  # one lock per (model, adapter, engine): a second caller waits for the first load, others do not
        old = _backends.get(key)
        if old is not None and not all(f.exists() for f in getattr(old, "files", ())):
            old.close()  # its cached file was deleted (the cache cleared): build it again rather than fail later
            del _backends[key]
        if key not in _backends:
            _backends[key] = _load(model, spec, path, trained, label, engine)
        return _backends[key]


def _load(model, spec, path: Path, trained: str | None, label: str, engine: str):
    from irg.engine.backends.hf import TransformersBackend
    from irg.engine.models import load_hf
    from tuning.adapters.gguf_export import NotFoldable

    note = ""
    if engine == "llama.cpp":
        from irg.engine.models import gguf_tokenizer_dir

        try:
            folded = gguf_with_adapter(Path(spec.path) / spec.gguf_file, path)
        except NotFoldable as e:
            note = f"{e} Its drafts run on transformers, about six times slower than llama.cpp."
        else:
            base = Path(spec.path) / spec.gguf_file
            model_file, lora = (base, folded) if folded.name.endswith(".lora.gguf") else (folded, None)
            b = LlamaCppBackend(model_file, ChatTokenizer(gguf_tokenizer_dir(spec)), model_id=f"{model} + {label}",
                                lora=lora)
            try:  # one token now: a new llama.cpp process is slow on its first request (~250 ms more), which the
                # app's first run with the adapter would otherwise wait for (it loads the adapter when the toggle moves)
                b.generate(GenRequest([{"role": "user", "content": "Hi."}], max_new_tokens=1))
            except BaseException:
                b.close()  # not kept: its process must not outlive it
                raise
            return b
    m, tok = load_hf(model)
    b = TransformersBackend(apply(m, path, trained).eval(), tok, model_id=f"{model} + {label}")
    b.note = note
    return b


def settle_lora(target: Path, meta: dict) -> Path:
    """A trained peft folder made ready to ship: its config names the hub copy of the base model (not this machine's
    cache path), peft's model-card template goes (it says nothing about this adapter), irg_meta.json says the rest."""
    for f in target.glob("*.md"):
        f.unlink()
    cfg = json.loads((target / "adapter_config.json").read_text())
    if meta.get("base_model") == "bundled":
        cfg["base_model_name_or_path"] = ALIASES["bundled"][1]
    (target / "adapter_config.json").write_text(json.dumps(cfg, indent=2))
    (target / "irg_meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return target


def ship_model_choice(src: Path, folder: str, model_name: str, base_model: str, meta: dict,
                      dest: Path | None = None) -> Path:
    """Copy a trained peft LoRA folder into assets/adapters/<folder> as a whole model choice named `model_name`
    (irg.engine.models resolves the name to the base model with this adapter merged in)."""
    target = (dest or ADAPTER_DIR) / folder
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("adapter_model.safetensors", "adapter_config.json"):
        shutil.copy2(src / name, target / name)
    return settle_lora(target, {"method": "student", "model_name": model_name, "base_model": base_model, **meta})


def ship(src: Path, dest: Path | None = None, prefix: str = "smollm2-135m") -> list[Path]:
    """Copy a comparison's trained adapters (gan, lora) into assets/adapters under stable names:
    `python -c "from tuning.adapters.shipped import ship; ship(Path('runs/tuning/compare/adapters'))"`."""
    dest = dest or ADAPTER_DIR
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    gan = src / "gan.safetensors"
    if gan.exists():
        for suffix in (".safetensors", ".json"):
            shutil.copy2(gan.with_suffix(suffix), dest / f"{prefix}-gan{suffix}")
            out.append(dest / f"{prefix}-gan{suffix}")
    lora = src / "lora"
    if lora.is_dir():
        target = dest / f"{prefix}-lora"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        for name in ("adapter_model.safetensors", "irg_meta.json"):
            shutil.copy2(lora / name, target / name)
        cfg = json.loads((lora / "adapter_config.json").read_text())
        cfg["base_model_name_or_path"] = ALIASES["bundled"][1]  # the hub copy, not this machine's cache path
        (target / "adapter_config.json").write_text(json.dumps(cfg, indent=2))
        out.append(target)
    return out


# The engine reaches these through its hook (irg/engine/models.py); it never imports this package.
for _name, _label in LABELS.items():
    ADAPTERS.register(_name, _label)
register_adapters(AdapterHooks(find=find, draft_backend=draft_backend, students=students, apply=apply,
                               helps=effects.helps, describe=effects.describe))
