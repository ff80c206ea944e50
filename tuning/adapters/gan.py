"""The thesis' GAN-tuned adapter: a small generator network between the frozen model's
embedding layer and its transformer blocks, and the discriminators it is trained against.

    gen = EmbeddingGenerator(model.get_input_embeddings().embedding_dim)
    handle = attach(model, gen)      # every forward pass, prompt and each generated token, goes through it
    ...
    handle.remove()                  # the base model again, exactly

The generator is attached with a forward hook on the input-embedding module: passing
`inputs_embeds` would only change the prompt, while the hook also acts on every token
generated afterwards. Only safetensors files are read or written (no pickles).
"""
from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

from irg.engine.errors import AdapterError

NOISE_DIM = 100  # as in the thesis


class EmbeddingGenerator(nn.Module):
    """[embedding ; noise] -> 4 linear layers (two reducing, two restoring) -> a correction added to the embedding.

    `zero_init` starts the last layer at zero, so that attaching an untrained generator changes nothing
    (the proper variant); the thesis initialised it randomly (the faithful variant)."""

    def __init__(self, embed_dim: int, noise_dim: int = NOISE_DIM, hidden: tuple[int, int] | None = None,
                 zero_init: bool = True, noise_at_inference: bool = False):
        super().__init__()
        h1, h2 = hidden or (embed_dim // 2, embed_dim // 4)
        self.embed_dim, self.noise_dim = embed_dim, noise_dim
        self.layers = nn.ModuleList([nn.Linear(embed_dim + noise_dim, h1), nn.Linear(h1, h2),
                                     nn.Linear(h2, h1), nn.Linear(h1, embed_dim)])
        self.act = nn.LeakyReLU(0.01)
        # Noise makes training explore; at inference the proper variant uses its mean (zero) so that
        # answers are reproducible, the faithful one keeps sampling it like the thesis.
        self.noise_at_inference = noise_at_inference
        self.enabled = True  # off: the hook passes embeddings through (e.g. to see the frozen model alone)
        if zero_init:
            nn.init.zeros_(self.layers[-1].weight)
            nn.init.zeros_(self.layers[-1].bias)

    def forward(self, emb: torch.Tensor) -> torch.Tensor:
        x = emb.to(self.layers[0].weight.dtype)
        if self.training or self.noise_at_inference:
            noise = torch.randn(*x.shape[:-1], self.noise_dim, device=x.device, dtype=x.dtype)
        else:
            noise = x.new_zeros(*x.shape[:-1], self.noise_dim)
        h = torch.cat([x, noise], dim=-1)
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i < len(self.layers) - 1:
                h = self.act(h)
        return (x + h).to(emb.dtype)

    def config(self) -> dict:
        return {"embed_dim": self.embed_dim, "noise_dim": self.noise_dim,
                "hidden": [self.layers[0].out_features, self.layers[1].out_features],
                "noise_at_inference": self.noise_at_inference}


class Attached:
    """What `attach` returns: `remove()` takes the generator off again."""

    def __init__(self, hook):
        self._hook = hook

    def remove(self) -> None:
        if self._hook is not None:
            self._hook.remove()
            self._hook = None


def attach(model: nn.Module, generator: EmbeddingGenerator) -> Attached:
    emb = model.get_input_embeddings()
    if emb.embedding_dim != generator.embed_dim:
        raise AdapterError(f"This adapter was made for embeddings of size {generator.embed_dim}, but the model's "
                           f"are {emb.embedding_dim}: it belongs to another model.")
    generator.to(emb.weight.device)
    return Attached(emb.register_forward_hook(lambda _module, _inp, out: generator(out) if generator.enabled else out))


def mlp4(n_in: int, widths=(256, 128, 64)) -> nn.Sequential:
    """The discriminator body of the thesis: 4 linear layers, LeakyReLU between, sigmoid at the end."""
    dims = [n_in, *widths]
    layers: list[nn.Module] = []
    for a, b in zip(dims, dims[1:]):
        layers += [nn.Linear(a, b), nn.LeakyReLU(0.01)]
    return nn.Sequential(*layers, nn.Linear(dims[-1], 1), nn.Sigmoid())


class TokenIdDiscriminator(nn.Module):
    """Faithful to the thesis: the answer's raw token ids, cast to float and padded, are the input.
    (Ids are labels, not quantities: neighbouring ids mean nothing alike, so this can learn little.)"""

    def __init__(self, max_len: int = 64):
        super().__init__()
        self.max_len = max_len
        self.net = mlp4(max_len)

    def features(self, answer_ids: list[list[int]], **_) -> torch.Tensor:
        x = torch.zeros(len(answer_ids), self.max_len)
        for i, ids in enumerate(answer_ids):
            ids = ids[: self.max_len]
            x[i, : len(ids)] = torch.tensor(ids, dtype=torch.float32)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(-1)


def pack(prompts: list[list[int]], answers: list[list[int]], pad: int, device) -> tuple[torch.Tensor, ...]:
    """Prompt + answer per row, right-padded (positions stay 0..n-1): ids, attention mask, and a float mask
    that is 1 on the answer tokens."""
    width = max(len(p) + len(a) for p, a in zip(prompts, answers))
    ids = torch.full((len(prompts), width), pad, dtype=torch.long, device=device)
    mask = torch.zeros_like(ids)
    ans = torch.zeros(len(prompts), width, device=device)
    for i, (p, a) in enumerate(zip(prompts, answers)):
        ids[i, : len(p) + len(a)] = torch.tensor(p + a)
        mask[i, : len(p) + len(a)] = 1
        ans[i, len(p): len(p) + len(a)] = 1
    return ids, mask, ans


class HiddenStateDiscriminator(nn.Module):
    """The proper variant: it sees what the frozen model itself makes of question + answer
    (the mean of its last hidden states over the answer tokens), so it can judge meaning."""

    def __init__(self, hidden_size: int):
        super().__init__()
        self.net = mlp4(hidden_size)

    @staticmethod
    @torch.no_grad()
    def features(answer_ids: list[list[int]], *, model, prompt_ids: list[list[int]], pad_id: int) -> torch.Tensor:
        ids, mask, ans = pack(prompt_ids, answer_ids, pad_id, model.get_input_embeddings().weight.device)
        h = model(input_ids=ids, attention_mask=mask, output_hidden_states=True,
                  logits_to_keep=1).hidden_states[-1].float()
        return (h * ans.unsqueeze(-1)).sum(1) / ans.sum(1, keepdim=True).clamp(min=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(-1)


# ---- saving and loading (safetensors + JSON, never pickles) --------------------------

def save(generator: EmbeddingGenerator, path: str | Path, meta: dict) -> None:
    from safetensors.torch import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.detach().contiguous().cpu() for k, v in generator.state_dict().items()},
              str(path.with_suffix(".safetensors")))
    path.with_suffix(".json").write_text(json.dumps({"method": "gan", "generator": generator.config(), **meta},
                                                    indent=1))


def load(path: str | Path, model: nn.Module | None = None) -> tuple[EmbeddingGenerator, dict]:
    """Read an adapter (the .safetensors and its .json side by side); with `model`, check it fits."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    path = Path(path)
    st, js = path.with_suffix(".safetensors"), path.with_suffix(".json")
    if path.suffix not in ("", ".safetensors", ".json"):
        raise AdapterError(f"'{path.name}' is not an adapter: only .safetensors files (with their .json) are read.")
    if not st.exists() or not js.exists():
        raise AdapterError(f"The adapter '{path.stem}' needs both {st.name} and {js.name}.")
    try:
        meta = json.loads(js.read_text())
        cfg = meta["generator"]
        gen = EmbeddingGenerator(cfg["embed_dim"], cfg["noise_dim"], tuple(cfg["hidden"]), zero_init=False,
                                 noise_at_inference=cfg.get("noise_at_inference", False))
        state = load_file(str(st))
    except (KeyError, TypeError, ValueError, SafetensorError, OSError) as e:
        raise AdapterError(f"The adapter '{path.stem}' is damaged or not an adapter ({type(e).__name__}).") from e
    expected = {k: tuple(v.shape) for k, v in gen.state_dict().items()}
    got = {k: tuple(v.shape) for k, v in state.items()}
    if expected != got:
        raise AdapterError(f"The adapter '{path.stem}' has tensors of other shapes than its own description says.")
    gen.load_state_dict(state)
    if model is not None and model.get_input_embeddings().embedding_dim != gen.embed_dim:
        raise AdapterError(f"The adapter '{path.stem}' was made for embeddings of size {gen.embed_dim}, but this "
                           f"model's are {model.get_input_embeddings().embedding_dim}: it belongs to another model.")
    return gen.eval(), meta
