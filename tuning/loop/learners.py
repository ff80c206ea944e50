"""What a recipe trains (curves.py): a peft LoRA, the embedding adapter by MLE, or the blocks' weights themselves.

Each learner wraps the frozen model it is given and exposes the same four things to the curve: `model` (what the
forward pass runs), `params` (what the optimiser moves), `save`/`load` (a folder per point, read back by a resumed
run and by the GGUF merge of the dev points, tuning/adapters/gguf_export.py: `merged`).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuning.loop.curves import Recipe

TARGETS = {"qv": ("q_proj", "v_proj"),
           "all": ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")}
# a peft LoRA; the embedding adapter (tuning/adapters/gan.py) trained by MLE; every weight matrix of the blocks
METHODS = ("lora", "adapter_mle", "full")


class LoraStudent:
    """A peft LoRA on the frozen model."""
    weights = "adapter_model.safetensors"

    def __init__(self, base, r: Recipe):
        from peft import LoraConfig, get_peft_model

        cfg = LoraConfig(r=r.rank, lora_alpha=2 * r.rank, lora_dropout=0.0, target_modules=list(TARGETS[r.targets]),
                         task_type="CAUSAL_LM")
        self.model = get_peft_model(base, cfg)
        self.params = [p for p in self.model.parameters() if p.requires_grad]

    def train(self, on: bool) -> None:
        self.model.train(on)

    def save(self, folder: Path) -> None:
        self.model.save_pretrained(str(folder))

    def load(self, folder: Path) -> None:
        from peft import set_peft_model_state_dict
        from safetensors.torch import load_file

        set_peft_model_state_dict(self.model, load_file(str(folder / self.weights)))


class EmbeddingStudent:
    """The thesis' embedding adapter (a small MLP between the embedding table and the blocks), trained by MLE: the
    GAN adapter's first phase, and its ablation. Starts at zero: untrained, it is the base model."""
    weights = "adapter.safetensors"

    def __init__(self, base, r: Recipe):
        from tuning.adapters.gan import EmbeddingGenerator, attach

        emb = base.get_input_embeddings()
        self.gen = EmbeddingGenerator(emb.embedding_dim).to(emb.weight.device)
        attach(base, self.gen)
        self.model, self.params = base, list(self.gen.parameters())

    def train(self, on: bool) -> None:
        self.model.train(on)
        self.gen.train(on)  # noise while training, none at inference (the proper variant)

    def save(self, folder: Path) -> None:
        from tuning.adapters.gan import save

        folder.mkdir(parents=True, exist_ok=True)
        save(self.gen, folder / "adapter", {"adapter_name": "loop_mle", "base_model": "bundled",
                                             "trained_on": "the IRG loop's verified answers (issue 40)"})

    def load(self, folder: Path) -> None:
        from safetensors.torch import load_file

        self.gen.load_state_dict(load_file(str(folder / self.weights)))


class FullStudent:
    """Full fine-tuning of the transformer blocks: every weight matrix of every block (q, k, v, o, gate, up, down:
    106M of SmolLM2-135M's 135M parameters), in float32. Frozen: the token table, which the output head shares (a
    change to it would move every output logit, and llama.cpp reads the two from one tensor), and the norms
    (0.03M). Why float32: an AdamW step at a fine-tuning rate (~1e-5 of a weight) is below bfloat16's resolution
    (~4e-3 of a weight), so in the bfloat16 the model is loaded in on a CPU with native bf16 most updates would round
    away. The saved file holds the trained matrices themselves; the GGUF merge writes them in place of the model's."""
    weights = "blocks.safetensors"

    def __init__(self, base, r: Recipe | None = None):
        for p in base.parameters():  # by hand: transformers refuses .float() on a model it read from a GGUF file
            p.data = p.data.float()
        self.model = base
        self.named = block_matrices(base)
        for w in self.named.values():
            w.requires_grad_(True)
        self.params = list(self.named.values())

    def train(self, on: bool) -> None:
        self.model.train(on)

    def save(self, folder: Path) -> None:
        from safetensors.torch import save_file

        folder.mkdir(parents=True, exist_ok=True)
        save_file({k: w.detach().contiguous() for k, w in self.named.items()}, str(folder / self.weights),
                  metadata={"method": "full", "what": "the trained weight matrices of the blocks, float32"})

    def load(self, folder: Path) -> None:
        import torch
        from safetensors.torch import load_file

        state = load_file(str(folder / self.weights))
        with torch.no_grad():
            for k, w in self.named.items():
                w.copy_(state[k])


def block_matrices(model) -> dict:
    """{"<layer>.<module>": weight} for every block projection of a LLaMA-style model, the names the merge reads."""
    out = {}
    for name, module in model.named_modules():
        parts = name.split(".")
        if parts[-1] in TARGETS["all"] and "layers" in parts and hasattr(module, "weight"):
            out[f"{parts[parts.index('layers') + 1]}.{parts[-1]}"] = module.weight
    if not out:
        raise ValueError("This model has no LLaMA-style block projections (q_proj … down_proj) to fine-tune.")
    return out


STUDENTS = {"lora": LoraStudent, "adapter_mle": EmbeddingStudent, "full": FullStudent}
