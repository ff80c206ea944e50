"""The transformers backend: any HF causal LM, with hooks, adapters and logits processors.

Generation runs in a worker thread (transformers' `TextIteratorStreamer` pattern);
a lock per model serialises calls so one shared instance serves many threads.
"""
from __future__ import annotations

import functools
import queue
import threading
import time

import torch
from transformers import (LogitsProcessor, LogitsProcessorList, StoppingCriteria, StoppingCriteriaList,
                          TextIteratorStreamer)

from irg.engine.backends import (Backend, BackendError, Generation, GenerationStream, GenRequest, OnPiece, decodable,
                                 elapsed)
from irg.engine.decoding import DecodingConstraints, banned_token_ids, word_forms
from irg.engine.models import load_hf

STREAM_POLL_SECONDS = 0.25  # how often a waiting consumer checks that the worker is alive


class CancelCriteria(StoppingCriteria):
    """Stops every row as soon as the event is set (checked once per generated token)."""

    def __init__(self, event: threading.Event):
        self.event = event

    def __call__(self, input_ids, scores, **kwargs):
        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class TokenMaskProcessor(LogitsProcessor):
    """Sets the score of every masked token to -inf (banned characters, letter case)."""

    def __init__(self, mask: torch.Tensor):
        self.mask = mask

    def __call__(self, input_ids, scores):
        n = min(scores.shape[-1], self.mask.shape[0])
        mask = self.mask[:n].to(scores.device)
        scores = scores.clone()
        scores[:, :n] = scores[:, :n].masked_fill(mask, float("-inf"))
        return scores


def _sequences(out) -> tuple[torch.Tensor, tuple | None]:
    """`generate` returns a tensor, or a dict-like output with scores when they were asked for."""
    return (out.sequences, out.scores) if hasattr(out, "sequences") else (out, None)


def _mean_logprob(scores: tuple | None, seqs: torch.Tensor, row: int, start: int, n: int) -> float | None:
    """Mean log-probability of row `row`'s first `n` generated tokens (up to its end-of-text) under the processed
    scores, i.e. after the masks and grammar: what the constrained model assigned to what it wrote."""
    if not scores:
        return None
    vals = []
    for step, sc in enumerate(scores[:n]):
        tok = int(seqs[row, start + step])
        lp = torch.log_softmax(sc[row].float(), dim=-1)[tok].item()
        if lp == float("-inf"):
            break
        vals.append(lp)
    return sum(vals) / len(vals) if vals else None


class TransformersBackend(Backend):
    name = "transformers"

    @classmethod
    def load(cls, spec) -> "TransformersBackend":
        model, tok = load_hf(spec.name)
        return cls(model, tok, model_id=spec.name)

    def __init__(self, model, tokenizer, model_id: str = "model"):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.model_id = model_id
        self.lock = threading.RLock()
        self.context_length = int(getattr(model.config, "max_position_embeddings", 2048) or 2048)
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        self.eos_ids = self._eos_ids()
        self._vocab: list[str] | None = None
        self._mask_cache: dict[tuple, torch.Tensor] = {}

    # ---- prompts and counting -------------------------------------------------
    def _eos_ids(self) -> set[int]:
        ids = set()
        for src in (self.model.generation_config.eos_token_id, self.tokenizer.eos_token_id):
            if isinstance(src, int):
                ids.add(src)
            elif src:
                ids.update(src)
        return ids

    def prompt_text(self, req: GenRequest) -> str:
        if getattr(self.tokenizer, "chat_template", None):
            text = self.tokenizer.apply_chat_template(req.messages, add_generation_prompt=True, tokenize=False)
        else:  # a base model without a chat template: a plain transcript
            text = "".join(f"{m['role'].capitalize()}: {m['content']}\n" for m in req.messages) + "Assistant:"
        return text + (req.constraints.forced_prefix or "")

    def prompt_ids(self, req: GenRequest) -> list[int]:
        return list(self._encode(self.prompt_text(req)))

    @functools.lru_cache(maxsize=64)  # a prompt is counted for the budget, then sent: tokenise it once
    def _encode(self, text: str) -> tuple[int, ...]:
        return tuple(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def count_prompt_tokens(self, req: GenRequest) -> int:
        return len(self.prompt_ids(req))

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def truncate(self, text: str, max_tokens: int) -> str:
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        return text if len(ids) <= max_tokens else self.tokenizer.decode(ids[:max_tokens])

    # ---- decoding constraints -------------------------------------------------
    def vocab_strings(self) -> list[str]:
        """Each token id decoded alone; computed once (about a second for 49k tokens)."""
        if self._vocab is None:
            n = max(len(self.tokenizer), self.model.get_output_embeddings().weight.shape[0])
            self._vocab = [self.tokenizer.decode([i]) if i < len(self.tokenizer) else "" for i in range(n)]
        return self._vocab

    def token_mask(self, c: DecodingConstraints) -> torch.Tensor | None:
        key = (tuple(c.banned_chars), c.lowercase_only, c.uppercase_only, c.whole_words)
        if key == ((), False, False, False):
            return None
        if key not in self._mask_cache:
            vocab = self.vocab_strings()
            mask = torch.zeros(len(vocab), dtype=torch.bool)
            mask[banned_token_ids(vocab, set(self.tokenizer.all_special_ids), c)] = True
            self._mask_cache[key] = mask
        return self._mask_cache[key]

    def bad_words_ids(self, words: list[str]) -> list[list[int]]:
        seqs = {tuple(self.tokenizer(f, add_special_tokens=False)["input_ids"]) for f in word_forms(words)}
        return [list(s) for s in sorted(seqs) if s]

    def _generate_kwargs(self, req: GenRequest, cancel: threading.Event, n_prompt: int) -> dict:
        c = req.constraints
        max_new = min(req.max_new_tokens, c.max_new_tokens or req.max_new_tokens)
        max_new = max(1, min(max_new, self.context_length - n_prompt))
        kw: dict = dict(
            max_new_tokens=max_new,
            pad_token_id=self.tokenizer.pad_token_id,
            eos_token_id=sorted(self.eos_ids) or None,
            stopping_criteria=StoppingCriteriaList([CancelCriteria(cancel)]),
        )
        if req.temperature > 0:
            kw.update(do_sample=True, temperature=req.temperature, top_p=req.top_p, top_k=0)
        else:
            kw.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        processors = LogitsProcessorList()
        mask = self.token_mask(c)
        if mask is not None:
            processors.append(TokenMaskProcessor(mask))
        if c.grammar:
            from irg.engine.backends.grammar import GrammarProcessor

            n_vocab = self.model.get_output_embeddings().weight.shape[0]
            processors.append(GrammarProcessor(c.grammar, self.tokenizer, n_vocab, sorted(self.eos_ids), n_prompt))
        if processors:
            kw["logits_processor"] = processors
        if c.banned_words:
            kw["bad_words_ids"] = self.bad_words_ids(c.banned_words)
        if c.min_new_tokens and not c.grammar:  # a grammar says where the text may end
            kw["min_new_tokens"] = min(c.min_new_tokens, max_new)
        if c.stop_strings:
            kw.update(stop_strings=list(c.stop_strings), tokenizer=self.tokenizer)
        # a hard ban here (llama.cpp's DRY is a penalty, broken at line ends): under a grammar that counts words it
        # could ban the only token the grammar allows ("- " after a repeated line end), so it is left out there
        if c.no_repeat_ngram and not (c.grammar and c.whole_words):
            kw["no_repeat_ngram_size"] = c.no_repeat_ngram
        if req.repetition_penalty != 1.0:
            kw["repetition_penalty"] = req.repetition_penalty
        if req.logprobs:  # the processed scores of each step: log-probabilities of the chosen tokens
            kw.update(output_scores=True, return_dict_in_generate=True)
        return kw

    # ---- generation -----------------------------------------------------------
    def _finish_reason(self, gen_ids: list[int], max_new: int, cancel: threading.Event, c: DecodingConstraints,
                       text: str) -> str:
        if cancel.is_set():
            return "cancelled"
        if gen_ids and gen_ids[-1] in self.eos_ids:
            return "stop"
        # transformers stops once a stop string ends in the last token: it may begin tokens before (". " in ". The")
        last = len(self.tokenizer.decode(gen_ids[-1:], skip_special_tokens=True)) if gen_ids else 0
        if c.stop_strings and any(s in text[-(len(s) + last):] for s in c.stop_strings):
            return "stop_string"
        return "length" if len(gen_ids) >= max_new else "stop"

    def _count_generated(self, row: list[int]) -> list[int]:
        """Generated ids up to and including the first end-of-text (the rest is padding)."""
        for j, t in enumerate(row):
            if t in self.eos_ids:
                return row[: j + 1]
        return row

    def _pieces(self, req: GenRequest, cancel: threading.Event, stream: GenerationStream):
        t0 = time.perf_counter()
        ids = self.prompt_ids(req)
        if len(ids) >= self.context_length:
            raise BackendError(f"The prompt is {len(ids)} tokens; this model's context holds {self.context_length}.")
        kw = self._generate_kwargs(req, cancel, len(ids))
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True,
                                        timeout=STREAM_POLL_SECONDS)
        box: dict = {}

        def work():
            try:
                with self.lock:
                    if req.seed is not None:
                        torch.manual_seed(req.seed)
                    inp = torch.tensor([ids], device=self.model.device)
                    t = time.perf_counter()
                    with torch.inference_mode():
                        box["out"] = self.model.generate(
                            input_ids=inp, attention_mask=torch.ones_like(inp), streamer=streamer, **kw
                        )
                    box["engine"] = time.perf_counter() - t
            except Exception as e:  # surfaced to the consumer below
                box["error"] = e
                streamer.end()

        worker = threading.Thread(target=work, name="irg-generate", daemon=True)
        worker.start()
        prefix = req.constraints.forced_prefix
        if prefix:
            yield prefix
        finished = False
        try:
            while True:
                try:
                    piece = next(streamer)
                except StopIteration:
                    break
                except queue.Empty:
                    if not worker.is_alive():
                        break
                    continue
                if piece:
                    yield piece
            finished = True
        finally:
            if not finished:  # the consumer left early: stop the worker before waiting for it
                cancel.set()
            worker.join()
        if "error" in box:
            raise BackendError(f"Generation failed: {box['error']}") from box["error"]
        seqs, scores = _sequences(box["out"])
        stream.result = self._result(seqs[0, len(ids):].tolist(), len(ids), req, kw["max_new_tokens"], cancel,
                                     elapsed(t0), round(box.get("engine", 0.0), 4),
                                     _mean_logprob(scores, seqs, 0, len(ids),
                                                   len(self._count_generated(seqs[0, len(ids):].tolist()))))

    def _result(self, row: list[int], n_prompt: int, req: GenRequest, max_new: int, cancel: threading.Event,
                seconds: float, engine_seconds: float, mean_logprob: float | None = None) -> Generation:
        gen_ids = self._count_generated(row)
        text = req.constraints.forced_prefix + self.tokenizer.decode(gen_ids, skip_special_tokens=True)
        return Generation(text, n_prompt, len(gen_ids),
                          self._finish_reason(gen_ids, max_new, cancel, req.constraints, text),
                          seconds, engine_seconds, mean_logprob)

    def generate_batch(self, reqs: list[GenRequest], cancel: threading.Event | None = None,
                       on_piece: OnPiece | None = None) -> list[Generation]:
        """Left-padded batches of requests that share sampling settings and constraints. The rows are decoded
        together in one tensor, so they are not streamed (`on_piece` is not called)."""
        cancel = cancel or threading.Event()
        if any(r.constraints.limits for r in reqs):  # limits are counted in segments (counting.py), one row at a time
            return [self.generate(r, cancel) for r in reqs]
        reqs = [decodable(r) for r in reqs]  # rows bypass stream(): the same guard here
        results: list[Generation | None] = [None] * len(reqs)
        groups: dict[tuple, list[int]] = {}
        for i, r in enumerate(reqs):
            groups.setdefault(r.sampling_key(), []).append(i)
        for idx in groups.values():
            t0 = time.perf_counter()
            rows = [self.prompt_ids(reqs[i]) for i in idx]
            width = max(map(len, rows))
            if width >= self.context_length:
                raise BackendError(f"A prompt is {width} tokens; this model's context holds {self.context_length}.")
            pad = self.tokenizer.pad_token_id
            inp = torch.tensor([[pad] * (width - len(r)) + r for r in rows], device=self.model.device)
            att = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows], device=self.model.device)
            req = reqs[idx[0]]
            kw = self._generate_kwargs(req, cancel, width)
            with self.lock:
                if req.seed is not None:
                    torch.manual_seed(req.seed)
                t = time.perf_counter()
                with torch.inference_mode():
                    out = self.model.generate(input_ids=inp, attention_mask=att, **kw)
                engine = round(time.perf_counter() - t, 4)
            secs = elapsed(t0)
            seqs, scores = _sequences(out)
            for k, i in enumerate(idx):
                results[i] = self._result(seqs[k, width:].tolist(), len(rows[k]), req, kw["max_new_tokens"], cancel,
                                          secs, engine,
                                          _mean_logprob(scores, seqs, k, width,
                                                        len(self._count_generated(seqs[k, width:].tolist()))))
        return results  # type: ignore[return-value]
