"""Shared fixtures: a tiny Llama and a tokenizer trained here, so tests never download."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
# llama.cpp's thread count follows the free cores by default (a switch restarts the model process): tests pin it, so
# that other tests' CPU load never restarts a model under a test that counts restarts. test_adapter_gguf tests the
# switch.
os.environ.setdefault("IRG_LLAMACPP_THREADS", str(os.cpu_count() or 2))

from irg.views import plugins  # noqa: E402

plugins.load()  # the shipped adapters register with the engine, as the app and CLI do

# SmolLM2's chat template, so prompts look like the real model's.
CHAT_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
    "'<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
CORPUS = [
    "The sea is wide, and the waves are blue. Cats sleep; dogs run. I like apples, pears, and plums!",
    "Write a poem about the sea. Answer in JSON: {\"a\": 1}. The answer is 42. 12 * 4 = 48, 7 + 5 = 12.",
    "ALL CAPS TEXT HERE. lowercase text here. Hello, World. Quick brown fox jumps over the lazy dog.",
    "* first bullet\n* second bullet\n- third bullet\nSECTION 1\nSECTION 2\nP.S. thanks <<title>> [name]",
] * 20


def build_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=420, special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(CORPUS, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|im_start|>", eos_token="<|im_end|>",
                                   pad_token="<|im_end|>", unk_token="<|endoftext|>")
    fast.chat_template = CHAT_TEMPLATE
    return fast


def build_model(tokenizer, seed: int = 0, layers: int = 2):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=layers,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                      bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                      pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=False)
    return LlamaForCausalLM(cfg).eval()


def favour_tokens(model, token_ids, strength: float = 40.0):
    """Make greedy decoding pick one of `token_ids` at every step, whatever the context.

    Every token embedding gets a large constant in hidden dimension 0, which the
    small random layers cannot flip, so after the final norm that coordinate is
    always positive; only the favoured rows of the output layer read it.
    """
    import torch

    with torch.no_grad():
        model.model.embed_tokens.weight[:, 0] = 100.0
        model.lm_head.weight.zero_()
        for t in token_ids:
            model.lm_head.weight[t, 0] = strength
    return model


@pytest.fixture(scope="session")
def tokenizer():
    return build_tokenizer()


@pytest.fixture()
def backend(tokenizer):
    from irg.engine.backends.hf import TransformersBackend

    return TransformersBackend(build_model(tokenizer), tokenizer, model_id="tiny-llama")


@pytest.fixture()
def comma_backend(tokenizer):
    """A tiny model that wants to write commas at every step."""
    from irg.engine.backends.hf import TransformersBackend

    ids = [i for i in range(len(tokenizer)) if "," in tokenizer.decode([i])]
    return TransformersBackend(favour_tokens(build_model(tokenizer), ids), tokenizer, model_id="tiny-comma")


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory, tokenizer):
    """The tiny model saved as a local folder, for code paths that load models by name."""
    d = tmp_path_factory.mktemp("models") / "tiny"
    build_model(tokenizer).save_pretrained(d)
    tokenizer.save_pretrained(d)
    return str(d)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "bundled" in item.keywords and os.environ.get("IRG_SKIP_BUNDLED") == "1":
            item.add_marker(pytest.mark.skip(reason="IRG_SKIP_BUNDLED=1"))
