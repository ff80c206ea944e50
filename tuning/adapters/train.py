"""Training the adapters on the fictitious-people questions: GAN (faithful and proper) and LoRA.

Every method gets the same data and the same number of optimiser steps. The frozen model
never changes: only the adapter (and the discriminator) have trainable parameters.

    gan_faithful  the thesis: random-init generator, discriminator on raw token ids cast to float,
                  REINFORCE with the discriminator's score as the reward and no baseline
    gan           MLE warm-start, a discriminator on the frozen model's hidden states, group-relative
                  normalised rewards (GRPO-style), an MLE anchor and a collapse guard
    adapter_mle   the ablation: the same generator network trained by MLE alone for all the steps
                  (how much of `gan` is the adversarial part?)
    lora          peft LoRA trained by plain MLE (supervised fine-tuning)
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F

from tuning.adapters import people as D
from tuning.adapters.gan import EmbeddingGenerator, HiddenStateDiscriminator, TokenIdDiscriminator, attach, pack

METHODS = ("base", "gan_faithful", "gan", "adapter_mle", "lora")
CHUNK = 8  # sequences per forward/backward pass; gradients accumulate over a step


@dataclass
class TrainConfig:
    method: str = "gan"
    steps: int = 120  # optimiser steps of the adapter, MLE warm-start included; the same for every method
    batch_size: int = 4  # questions per step
    group_size: int = 4  # answers sampled per question (the GAN methods); the faithful one samples 1
    lr: float = 1e-3
    d_lr: float = 1e-3
    warmup_steps: int = 60  # MLE warm-start steps (gan); part of `steps`
    mle_weight: float = 0.5  # the MLE anchor beside the policy gradient (gan)
    max_new_tokens: int = 24  # per sampled answer (the reference answers are 10-20 tokens)
    temperature: float = 1.0
    lora_r: int = 8
    lora_alpha: int = 16
    seed: int = 0
    split: str = "thesis"
    log_every: int = 5
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not '{self.method}'")
        if self.steps < 0 or self.batch_size < 1 or self.group_size < 1 or self.max_new_tokens < 1:
            raise ValueError("steps must be >= 0 and batch_size, group_size, max_new_tokens >= 1")
        if self.method == "gan" and not 0 <= self.warmup_steps <= self.steps:
            raise ValueError(f"warmup_steps must be between 0 and steps ({self.steps})")
        if self.lr <= 0 or self.d_lr <= 0 or self.temperature <= 0:
            raise ValueError("lr, d_lr and temperature must be positive")
        if self.split not in D.SPLITS:
            raise ValueError(f"split must be one of {', '.join(D.SPLITS)}")


# ---- tokens ---------------------------------------------------------------------------------
def eos_id(tok) -> int:
    im_end = tok.convert_tokens_to_ids("<|im_end|>")  # SmolLM2 / Qwen chat models end a turn with it
    return im_end if isinstance(im_end, int) and im_end != tok.unk_token_id else tok.eos_token_id


def chat_ids(tok, messages: list[dict]) -> list[int]:
    """The chat's token ids up to the assistant's turn (transformers 5 returns a BatchEncoding, 4 a list)."""
    out = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
    return list(out["input_ids"] if hasattr(out, "keys") else out)


def prompt_ids(tok, question: str) -> list[int]:
    if getattr(tok, "chat_template", None):
        return chat_ids(tok, D.messages(question))
    return tok.encode(f"{D.SYSTEM}\nQuestion: {question}\nAnswer:", add_special_tokens=False)


def answer_ids(tok, answer: str) -> list[int]:
    return tok.encode(answer, add_special_tokens=False) + [eos_id(tok)]


def pad_id(tok) -> int:
    return tok.pad_token_id if tok.pad_token_id is not None else eos_id(tok)


def device_of(model) -> torch.device:
    return model.get_input_embeddings().weight.device


def batch_logprobs(model, prompts: list[list[int]], answers: list[list[int]],
                   pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Sum of log p(answer token) and the answer length, per sequence (right-padded; gradients flow).

    Logits are computed only over the columns where some answer is predicted: with a 49k-token
    vocabulary the full logits would be most of the memory of a training step."""
    ids, mask, target = pack(prompts, answers, pad, device_of(model))
    first = min(len(p) for p in prompts) - 1  # the first column whose logits predict an answer token
    keep = torch.arange(first, ids.shape[1] - 1, device=ids.device)
    logits = model(input_ids=ids, attention_mask=mask, logits_to_keep=keep).logits.float()
    tokens = ids[:, first + 1:]
    logp = -F.cross_entropy(logits.transpose(1, 2), tokens, reduction="none")
    t = target[:, first + 1:]
    return (logp * t).sum(1), t.sum(1)


def backward_in_chunks(loss_of, n: int, chunk: int) -> float:
    """Backpropagate mean-over-n losses chunk by chunk (gradient accumulation): the activations of a
    whole group of sampled answers at once would need several GB."""
    total = 0.0
    for k in range(0, n, chunk):
        idx = list(range(k, min(n, k + chunk)))
        loss = loss_of(idx) * (len(idx) / n)
        loss.backward()
        total += loss.item()
    return total


@torch.no_grad()
def generate(model, tok, prompts: list[list[int]], max_new_tokens: int, sample: bool, temperature: float = 1.0,
             batch: int = 16) -> list[list[int]]:
    """Answers (token ids, up to and including the end-of-turn token) for each prompt; left padding."""
    out: list[list[int]] = []
    eos, pad = eos_id(tok), pad_id(tok)
    dev = device_of(model)
    for k in range(0, len(prompts), batch):
        chunk = prompts[k: k + batch]
        width = max(len(p) for p in chunk)
        ids = torch.tensor([[pad] * (width - len(p)) + p for p in chunk], device=dev)
        mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in chunk], device=dev)
        kw = dict(do_sample=True, temperature=temperature, top_k=0, top_p=1.0) if sample else dict(do_sample=False)
        gen = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens, eos_token_id=eos,
                             pad_token_id=pad, **kw)
        for row in gen[:, width:].tolist():
            out.append(row[: row.index(eos) + 1] if eos in row else row)
    return out


def distinct_n(texts: list[str], n: int = 2) -> float:
    grams = [tuple(t.split()[i: i + n]) for t in texts for i in range(max(0, len(t.split()) - n + 1))]
    return len(set(grams)) / len(grams) if grams else 0.0


# ---- trajectories: the weight plots of the thesis' figures 3.3-3.4 ---------------------------
def weight_snapshot(params: dict[str, torch.Tensor], init: dict[str, torch.Tensor]) -> dict:
    """Per trainable tensor: its norm, its distance from the start, and a few fixed entries."""
    snap = {}
    for name, p in params.items():
        flat = p.detach().float().flatten()
        idx = torch.linspace(0, flat.numel() - 1, 4).long()
        snap[name] = {"norm": round(float(flat.norm()), 5), "moved": round(float((flat - init[name]).norm()), 5),
                      "entries": [round(float(v), 5) for v in flat[idx]]}
    return snap


# ---- the methods ------------------------------------------------------------------------------
def discriminator_update(disc, d_opt, x_real, x_neg):
    """BCE, real reference answers vs sampled ones (and the recorded one-pass drafts, if given): one step."""
    d_real, d_fake = disc(x_real), disc(x_neg)
    d_loss = (F.binary_cross_entropy(d_real, torch.ones_like(d_real))
              + F.binary_cross_entropy(d_fake, torch.zeros_like(d_fake)))
    d_opt.zero_grad()
    d_loss.backward()
    d_opt.step()
    return d_loss, d_real, d_fake


@dataclass
class GanRun:
    """What one GAN run carries from step to step (Trainer.run_gan)."""

    gen: EmbeddingGenerator
    disc: torch.nn.Module
    feats: Callable  # (answer ids, prompt ids) -> the discriminator's input
    g_opt: torch.optim.Optimizer
    d_opt: torch.optim.Optimizer
    faithful: bool
    group: int  # answers sampled per question
    good_state: dict | None = None  # the collapse guard's last good generator
    lr_scale: float = 1.0


class Trainer:
    """Trains one method on (model, tokenizer); `run()` returns the adapter object and a log."""

    def __init__(self, model, tok, cfg: TrainConfig, train: list[D.QA] | None, on_log=None,
                 pairs: list[tuple[list[int], list[int]]] | None = None, drafts: list[list[int]] | None = None):
        """`train`: author questions; or `pairs` of (prompt ids, answer ids) from elsewhere (the loop's verified
        answers, tuning/loop/students.py), with `drafts`: for each pair the model's own one-pass answer, which the
        GAN's discriminator sees as fake beside the generator's fresh samples."""
        self.model, self.tok, self.cfg = model, tok, cfg
        self.on_log = on_log or (lambda rec: None)
        self.rng = random.Random(cfg.seed)
        torch.manual_seed(cfg.seed)
        for p in model.parameters():  # the base model stays frozen whatever the method
            p.requires_grad_(False)
        if pairs is None:
            self.prompts = [prompt_ids(tok, qa.question) for qa in train]
            self.answers = [answer_ids(tok, qa.answer) for qa in train]
        else:
            self.prompts, self.answers = [p for p, _ in pairs], [a for _, a in pairs]
        self.train = train if train is not None else pairs
        self.drafts = drafts
        self.chunk = CHUNK
        self._buckets: list[list[int]] = []
        # Long answers of different lengths (the loop's): a batch of similar lengths pads little, and on a CPU
        # padding is most of the cost of a step. Every answer is drawn once per pass over the data.
        self.bucketed = pairs is not None
        self.pad = pad_id(tok)
        self.log: list[dict] = []
        self.trajectory: list[dict] = []
        self.init_state: dict | None = None  # GAN: the generator's start (the MLE curve's best point, tuning/loop)
        self.on_step = None  # GAN: called with (step, generator) after every step: points to keep

    def batch(self) -> list[int]:
        if self.bucketed:
            if not self._buckets:
                length = [len(p) + len(a) for p, a in zip(self.prompts, self.answers)]
                order = sorted(range(len(self.train)), key=lambda i: (length[i], self.rng.random()))
                size = min(self.cfg.batch_size, len(order))
                self._buckets = [order[k: k + size] for k in range(0, len(order), size)]
                self.rng.shuffle(self._buckets)
            return self._buckets.pop()
        return self.rng.sample(range(len(self.train)), min(self.cfg.batch_size, len(self.train)))

    def mle(self, idx: list[int], weight: float = 1.0) -> float:
        """Backpropagate the mean token NLL of the reference answers (chunked); returns its value."""
        n_tok = sum(len(self.answers[i]) for i in idx)

        def loss_of(sub):
            lp, _ = batch_logprobs(self.model, [self.prompts[idx[j]] for j in sub], [self.answers[idx[j]] for j in sub],
                                   self.pad)
            return -weight * lp.sum() / n_tok * len(idx) / len(sub)
        return backward_in_chunks(loss_of, len(idx), self.chunk) / weight

    def record(self, step: int, params: dict, init: dict, **values) -> None:
        rec = {"step": step, **{k: (round(v, 5) if isinstance(v, float) else v) for k, v in values.items()}}
        self.log.append(rec)
        if step % self.cfg.log_every == 0 or step == self.cfg.steps:
            self.trajectory.append({"step": step, "weights": weight_snapshot(params, init)})
            self.on_log(rec)

    # -- LoRA: supervised fine-tuning with peft --
    def run_lora(self):
        from peft import LoraConfig, get_peft_model

        targets = [n for n in ("q_proj", "v_proj") if any(m.endswith(n) for m, _ in self.model.named_modules())]
        lcfg = LoraConfig(r=self.cfg.lora_r, lora_alpha=self.cfg.lora_alpha, lora_dropout=0.0,
                          target_modules=targets or None, task_type="CAUSAL_LM")
        self.model = get_peft_model(self.model, lcfg)
        params = {n: p for n, p in self.model.named_parameters() if p.requires_grad}
        init = {n: p.detach().float().flatten().clone() for n, p in params.items()}
        opt = torch.optim.AdamW(params.values(), lr=self.cfg.lr)
        self.model.train()
        for step in range(1, self.cfg.steps + 1):
            opt.zero_grad()
            loss = self.mle(self.batch())
            opt.step()
            self.record(step, params, init, mle=loss)
        self.model.eval()
        return self.model

    # -- the GAN methods --
    def critic_inputs(self, idx: list[int], fake: list[list[int]], prompts: list[list[int]], feats):
        """The discriminator's inputs: real answers, the fresh samples, and the negatives it learns from (the
        samples, and with recorded drafts those too)."""
        real = [self.answers[i] for i in idx]
        x_fake = feats(fake, prompts)
        x_neg = x_fake
        if self.drafts is not None:  # long answers: the critic sees as much of each as a sample can hold,
            cut = self.cfg.max_new_tokens  # so that length alone gives nothing away
            real = [a[:cut] for a in real]
            if d_idx := [i for i in idx if self.drafts[i]]:  # [] = the draft was already the final answer
                drafts = feats([self.drafts[i][:cut] for i in d_idx], [self.prompts[i] for i in d_idx])
                x_neg = torch.cat([x_fake, drafts])
        return feats(real, [self.prompts[i] for i in idx]), x_fake, x_neg

    def build_discriminator(self, gen: EmbeddingGenerator, faithful: bool):
        """The discriminator and its input from (answer ids, prompt ids): raw token ids or frozen hidden states."""
        if faithful:
            disc = TokenIdDiscriminator()
            return disc, lambda ids, prompts: disc.features(ids)
        disc = HiddenStateDiscriminator(self.model.config.hidden_size)

        def feats(ids, prompts):
            # judged by the frozen model without the adapter: the critic must not move with the policy
            gen.enabled = False
            try:
                return HiddenStateDiscriminator.features(ids, model=self.model, prompt_ids=prompts, pad_id=self.pad)
            finally:
                gen.enabled = True
        return disc, feats

    def run_gan(self, faithful: bool):
        cfg = self.cfg
        emb = self.model.get_input_embeddings()
        gen = EmbeddingGenerator(emb.embedding_dim, zero_init=not faithful,
                                 noise_at_inference=faithful).to(emb.weight.device)
        if self.init_state is not None:
            gen.load_state_dict(self.init_state)
        handle = attach(self.model, gen)
        disc, feats = self.build_discriminator(gen, faithful)
        disc.to(emb.weight.device)
        params = {n: p for n, p in gen.named_parameters()}
        init = {n: p.detach().float().flatten().clone() for n, p in params.items()}
        g_opt = torch.optim.AdamW(gen.parameters(), lr=cfg.lr)
        d_opt = torch.optim.AdamW(disc.parameters(), lr=cfg.d_lr)
        warm = 0 if faithful else cfg.steps if cfg.method == "adapter_mle" else cfg.warmup_steps
        gan = GanRun(gen, disc, feats, g_opt, d_opt, faithful, group=1 if faithful else cfg.group_size)
        for step in range(1, cfg.steps + 1):
            idx = self.batch()
            gen.train()
            if step <= warm:  # MLE warm-start: the policy starts near the data, so rewards are informative
                g_opt.zero_grad()
                loss = self.mle(idx)
                g_opt.step()
                self.record(step, params, init, phase="mle", mle=loss)
            else:
                self.record(step, params, init, phase="gan", **self.adversarial_step(gan, idx))
            if self.on_step is not None:
                self.on_step(step, gen)
        gen.eval()
        handle.remove()
        return gen

    def adversarial_step(self, gan: GanRun, idx: list[int]) -> dict:
        """One step after the warm-start: sample, update the discriminator, then the generator; the values to log."""
        cfg = self.cfg
        prompts = [self.prompts[i] for i in idx for _ in range(gan.group)]
        fake = generate(self.model, self.tok, prompts, cfg.max_new_tokens, sample=True, temperature=cfg.temperature)
        x_real, x_fake, x_neg = self.critic_inputs(idx, fake, prompts, gan.feats)
        d_loss, d_real, d_fake = discriminator_update(gan.disc, gan.d_opt, x_real, x_neg)
        reward, pg, mle = self.generator_update(gan, idx, prompts, fake, x_fake)
        texts = [self.tok.decode(f, skip_special_tokens=True) for f in fake]
        d2 = distinct_n(texts)
        collapsed = False if gan.faithful else self.collapse_guard(gan, d2)
        return dict(d_loss=d_loss.item(), pg=pg, mle=mle, reward=reward.mean().item(), d_real=d_real.mean().item(),
                    d_fake=d_fake.mean().item(), distinct2=round(d2, 4), collapsed=collapsed, fakes=len(x_neg))

    def generator_update(self, gan: GanRun, idx: list[int], prompts: list[list[int]], fake: list[list[int]], x_fake):
        """REINFORCE with the discriminator's score as the reward (+ the MLE anchor): (reward, pg loss, mle loss)."""
        with torch.no_grad():
            reward = gan.disc(x_fake).detach()
        if gan.faithful:
            adv = reward  # no baseline, as in the thesis
        else:  # group-relative: each answer against the others sampled for the same question
            r = reward.view(len(idx), gan.group)
            adv = ((r - r.mean(1, keepdim=True)) / (r.std(1, keepdim=True) + 1e-6)).flatten()
        gan.g_opt.zero_grad()

        def pg_of(sub):
            lp, n = batch_logprobs(self.model, [prompts[j] for j in sub], [fake[j] for j in sub], self.pad)
            a = adv[sub]
            if gan.faithful:
                return -(a * lp).mean()  # sequence log-probability, as SeqGAN
            return -(a * lp / n.clamp(min=1)).mean()  # per token: no reward for length alone
        pg = backward_in_chunks(pg_of, len(fake), self.chunk)
        mle = None if gan.faithful else self.mle(idx, self.cfg.mle_weight)  # the anchor: stay close to the data
        if not gan.faithful:
            torch.nn.utils.clip_grad_norm_(gan.gen.parameters(), 1.0)
        gan.g_opt.step()
        return reward, pg, mle

    def collapse_guard(self, gan: GanRun, d2: float) -> bool:
        """Samples all alike -> back to the last good state, smaller steps (True); else remember this state."""
        if d2 < 0.25 and gan.good_state is not None:
            gan.gen.load_state_dict(gan.good_state)
            gan.lr_scale *= 0.5
            for group in gan.g_opt.param_groups:
                group["lr"] = self.cfg.lr * gan.lr_scale
            return True
        gan.good_state = {k: v.detach().clone() for k, v in gan.gen.state_dict().items()}
        return False

    def run(self):
        t0 = time.perf_counter()
        if self.cfg.method == "base":
            adapter = None
        elif self.cfg.method == "lora":
            adapter = self.run_lora()
        else:
            adapter = self.run_gan(faithful=self.cfg.method == "gan_faithful")  # adapter_mle: never leaves warm-up
        return adapter, {"seconds": round(time.perf_counter() - t0, 2), "log": self.log, "trajectory": self.trajectory,
                         "config": asdict(self.cfg)}
