"""Distillation's models, shared by stage 2 (the teacher) and stage 4 (the students): loading a decoder-only or
an encoder–decoder model, the student's prompt and target token ids, and batched greedy generation.

Both stages load, prompt and generate the same way (a trained student must drop into the app as is, so it reads
the engine's own draft prompt), so this is one module below both rather than a copy in each.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from irg.engine.answers import MATH_HINT
from irg.engine.loop import draft_messages
from irg.engine.models import ModelError, load_hf
from tuning.adapters import train as T


@dataclass
class Loaded:
    model: object
    tok: object
    seq2seq: bool


def is_seq2seq(name: str) -> bool:
    if name == "bundled":
        return False
    from transformers import AutoConfig

    try:
        return bool(AutoConfig.from_pretrained(name).is_encoder_decoder)
    except (OSError, ValueError):
        return False  # irg.engine.models says why it cannot be loaded, in one sentence


def load_model(name: str) -> Loaded:
    """The bundled model (transformers copy of the GGUF), a hub id or a local folder; T5-style models too."""
    if is_seq2seq(name):
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        try:
            return Loaded(AutoModelForSeq2SeqLM.from_pretrained(name).eval(), AutoTokenizer.from_pretrained(name), True)
        except OSError as e:
            raise ModelError(f"The model '{name}' could not be loaded: {str(e).splitlines()[0]}") from e
    model, tok = load_hf(name)
    return Loaded(model.eval(), tok, False)


def source_text(prompt: str) -> str:
    return f"{prompt}\n\n{MATH_HINT}"


def source_ids(tok, prompt: str, seq2seq: bool) -> list[int]:
    """What the student reads: the engine's own draft prompt (so a trained student drops into the app as is)."""
    if seq2seq or not getattr(tok, "chat_template", None):
        return tok.encode(source_text(prompt), add_special_tokens=seq2seq)
    return T.chat_ids(tok, draft_messages(prompt, "math"))


def target_ids(tok, text: str, seq2seq: bool, limit: int) -> list[int]:
    ids = tok.encode(text, add_special_tokens=False)[:limit]
    return ids + [tok.eos_token_id if seq2seq else T.eos_id(tok)]


def generate(model, tok, prompts: list[str], max_new_tokens: int, seq2seq: bool | None = None,
             batch: int = 16) -> list[str]:
    """Greedy answers, batched."""
    seq2seq = bool(getattr(model.config, "is_encoder_decoder", False)) if seq2seq is None else seq2seq
    if not seq2seq:
        ids = T.generate(model, tok, [source_ids(tok, p, False) for p in prompts], max_new_tokens, sample=False,
                         batch=batch)
        return [tok.decode(x, skip_special_tokens=True).strip() for x in ids]
    out = []
    with torch.no_grad():
        for k in range(0, len(prompts), batch):
            enc = tok([source_text(p) for p in prompts[k: k + batch]], return_tensors="pt",
                      padding=True).to(T.device_of(model))
            gen = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False)
            out += [t.strip() for t in tok.batch_decode(gen, skip_special_tokens=True)]
    return out
