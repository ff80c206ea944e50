"""Run settings as one validated dataclass, shared by the CLI flags and the UI controls."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

from irg.engine.errors import ConfigError  # noqa: F401 — raised here, importable from here as before
from irg.engine.registry import PLANNERS, STOP_RULES, STRATEGIES

# Strategies, planners and stop rules are registries (irg/engine/registry.py): their names are whatever registered.
FINAL_MODES = ("best", "last")
HYBRID_CRITIC = ("always", "when_rules_pass")
# What a revision may use to lay down what the rules found wrong, each level including the ones before it:
# instructions only; + decoding masks (banned tokens, forced prefixes, stop strings, length limits); + scaffolds
# and grammars (irg/engine/scaffold.py); + lossless rendering of pure-form constraints (irg/engine/render.py), which
# then replaces the letter-case masks that make a micro model write debris; + slots the program opens at the end of the
# draft's body and the model fills (a sentence opened with a missing keyword, a placeholder's `[`; irg/engine/fill.py).
STRUCTURE = ("instructions", "masks", "scaffolds", "render", "slots")
MAX_TIME_LIMIT = 86_400  # seconds; threading.Timer overflows on inf or 1e300, and a day is longer than any run
MAX_BUDGET = 10_000_000  # tokens; more is "no budget" in practice, and 0 says that
MAX_SEED = 2**31 - 1  # torch and llama.cpp take it; best-of-N adds each candidate's index to it


def _finite(v) -> bool:
    try:
        return math.isfinite(v)
    except OverflowError:  # an int too large for a float (10**400) is not a usable setting either
        return False


@dataclass
class RunConfig:
    strategy: str = "irg_hybrid"
    planner: str = "template"
    max_iters: int = 4  # IRG iterations (drafts); for best_of_n / self_consistency: candidates
    budget: int = 0  # token budget for the whole run (prompt + generated, every call); 0 = none
    time_limit: float = 0.0  # seconds of wall clock for the whole run; 0 = none
    final: str = "best"  # best-so-far by score, or the last draft (as in the paper)
    temperature: float = 0.0  # drafts: 0 = greedy; best_of_n / self_consistency sample at >= 0.7
    top_p: float = 0.95
    max_new_tokens: int = 256  # per draft
    critic_max_new_tokens: int = 96
    planner_max_new_tokens: int = 64
    seed: int = 0
    include_previous_draft: bool = True  # revision prompt shows the previous draft
    # irg_hybrid asks the model critic only once the rules find nothing critical ("when_rules_pass", chosen on the dev
    # split: same quality or better for 8% fewer tokens), or every iteration ("always", the first version)
    hybrid_critic: str = "when_rules_pass"
    # when the IRG loop stops early: "fixed" (no critical finding left, or max_iters), "plateau" (also when the best
    # score did not rise), "adaptive" (also when a learned model expects too little gain per token;
    # irg/engine/stopping.py)
    stop: str = "fixed"
    structure: str = "slots"  # see STRUCTURE: the ablation levels of how a plan is laid down
    # drafts per revision (IRG strategies): with 2+, the revision's candidates (one greedy, the rest sampled at
    # T 0.7) share the budget and the one meeting most constraints wins, ties broken by mean log-probability
    candidates: int = 1
    # drafts: > 1 makes a token already written less likely (a greedy micro model loops: "a dog, a dog, a dog").
    # 1.1, measured (docs/results/no-debris.md): one pass loops far less (degenerate finals 48% -> 5% on the test
    # split, 48% -> 9% on heldout2) and meets more prompts (+4 and +8 points); the loop's quality is unchanged (0.00
    # and +0.01). 1 = none. A draft after one that was debris is also sampled (irg/engine/redraft.py).
    repetition_penalty: float = 1.1


    def __post_init__(self) -> None:
        for registry, name in ((STRATEGIES, self.strategy), (PLANNERS, self.planner), (STOP_RULES, self.stop)):
            if name not in registry:
                raise registry.unknown(name)
        if self.hybrid_critic not in HYBRID_CRITIC:
            raise ConfigError(f"hybrid critic must be one of {', '.join(HYBRID_CRITIC)} (got '{self.hybrid_critic}').")
        if self.structure not in STRUCTURE:
            raise ConfigError(f"Unknown structure level '{self.structure}': choose one of {', '.join(STRUCTURE)}.")
        if self.final not in FINAL_MODES:
            raise ConfigError("The final answer must be 'best' (best-so-far) or 'last'.")
        for name in ("max_iters", "max_new_tokens", "critic_max_new_tokens", "planner_max_new_tokens", "budget",
                     "time_limit", "temperature", "top_p", "seed", "candidates", "repetition_penalty"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not _finite(v):
                shown = repr(v) if len(repr(v)) <= 40 else repr(v)[:37] + "..."
                raise ConfigError(f"{name.replace('_', ' ')} must be a finite number (got {shown}).")
        for name in ("max_iters", "max_new_tokens", "critic_max_new_tokens", "planner_max_new_tokens"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"{name.replace('_', ' ')} must be at least 1 (got {getattr(self, name)}).")
            setattr(self, name, int(getattr(self, name)))
        if self.seed != int(self.seed) or not 0 <= self.seed <= MAX_SEED:
            raise ConfigError(f"The seed must be a whole number from 0 to {MAX_SEED:,} (got {self.seed}).")
        self.seed = int(self.seed)
        if not 1 <= int(self.candidates) <= 4:
            raise ConfigError(f"candidates must be between 1 and 4 (got {self.candidates}).")
        self.candidates = int(self.candidates)
        if self.max_iters > 50:
            raise ConfigError(f"max iters must be at most 50 (got {self.max_iters}).")
        if self.budget < 0:
            raise ConfigError(f"The token budget cannot be negative (got {self.budget}); use 0 for no budget.")
        if self.time_limit < 0:
            raise ConfigError(f"The time limit cannot be negative (got {self.time_limit}); use 0 for none.")
        if self.time_limit > MAX_TIME_LIMIT:
            raise ConfigError(f"The time limit must be at most {MAX_TIME_LIMIT:,} seconds "
                              f"(a day; got {self.time_limit:g}); use 0 for none.")
        if self.budget > MAX_BUDGET:
            raise ConfigError(f"The token budget must be at most {MAX_BUDGET:,} (got {self.budget:g}); use 0 for none.")
        if not 0.0 <= self.temperature <= 2.0:
            raise ConfigError(f"Temperature must be between 0 and 2 (got {self.temperature}).")
        if not 1.0 <= self.repetition_penalty <= 2.0:
            raise ConfigError(f"The repetition penalty must be between 1 and 2 "
                              f"(got {self.repetition_penalty}; 1 = none).")
        if not 0.0 < self.top_p <= 1.0:
            raise ConfigError(f"top_p must be in (0, 1] (got {self.top_p}).")
        self.budget = int(self.budget)

    def uses(self, level: str) -> bool:
        """Does this run's structure level include `level` (each level includes the ones before it)?"""
        return STRUCTURE.index(self.structure) >= STRUCTURE.index(level)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "RunConfig":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})
