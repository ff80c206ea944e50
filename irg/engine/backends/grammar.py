"""Grammar-constrained decoding on transformers: the GBNF grammar llama.cpp takes, enforced through llguidance.

llguidance (the Rust engine behind llama.cpp's and vLLM's structured output) reads GBNF, compiles it against the
tokenizer once and gives, at each step, the set of tokens that keep the text inside the grammar. The processor
below feeds it the tokens generated so far and masks the rest — one matcher per batch row.
"""
from __future__ import annotations

import threading

import torch
from transformers import LogitsProcessor

_tokenizers: dict[int, object] = {}
_lock = threading.Lock()


def ll_tokenizer(hf_tokenizer, n_vocab: int, eos_ids: list[int]):
    """llguidance's view of a fast tokenizer (about a second to build): once per tokenizer."""
    import llguidance.hf

    key = id(hf_tokenizer)
    with _lock:
        if key not in _tokenizers:
            _tokenizers[key] = llguidance.hf.from_tokenizer(hf_tokenizer, n_vocab=n_vocab, eos_token=eos_ids or None)
        return _tokenizers[key]


def compile_grammar(gbnf: str) -> str:
    """The llguidance grammar for GBNF text; ValueError with the reason if it is not a grammar."""
    import llguidance

    return llguidance.grammar_from("gbnf", gbnf)


class GrammarProcessor(LogitsProcessor):
    def __init__(self, gbnf: str, hf_tokenizer, n_vocab: int, eos_ids: list[int], prompt_width: int):
        import llguidance

        self.tok = ll_tokenizer(hf_tokenizer, n_vocab, eos_ids)
        self.grammar = compile_grammar(gbnf)
        self.width = prompt_width  # generated tokens start here in every row (left padding)
        self.matchers: list = []
        self.fed: list[int] = []
        self._llg = llguidance

    def _matcher(self, row: int):
        while len(self.matchers) <= row:
            m = self._llg.LLMatcher(self.tok, self.grammar)
            if m.is_error():
                raise ValueError(f"grammar error: {m.get_error()}")
            self.matchers.append(m)
            self.fed.append(0)
        return self.matchers[row]

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        from llguidance.torch import allocate_token_bitmask, apply_token_bitmask_inplace, fill_next_token_bitmask

        n = scores.shape[-1]
        mask = allocate_token_bitmask(input_ids.shape[0], self.tok.vocab_size)
        for r in range(input_ids.shape[0]):
            m = self._matcher(r)
            new = input_ids[r, self.width + self.fed[r]:].tolist()
            for t in new:
                if not m.is_stopped():
                    m.consume_token(t)
            self.fed[r] += len(new)
            fill_next_token_bitmask(m, mask, r)
        scores = scores.clone()
        v = min(n, self.tok.vocab_size)
        apply_token_bitmask_inplace(scores[:, :v], mask.to(scores.device))
        if n > v:
            scores[:, v:] = float("-inf")  # rows of the output layer with no token behind them
        return scores
