"""What analysis produces: findings (what is wrong, where, how to fix it) and a score."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITIES = ("critical", "major", "minor")
# How much one general finding (not a prompt constraint) lowers the score.
PENALTY = {"critical": 0.5, "major": 0.8, "minor": 0.95}


@dataclass
class Finding:
    kind: str  # e.g. "no_commas", "arithmetic", "repetition", "critic"
    severity: str  # critical | major | minor
    message: str  # what is wrong
    where: str = ""  # e.g. "chars 10-14", "line 3", "end"
    fix: str = ""  # a hint the planner can turn into an instruction
    source: str = "rule"  # rule | model
    constraint: dict | None = None  # the violated prompt constraint, if any

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    score: float = 1.0  # in [0, 1]
    constraints_total: int = 0
    constraints_met: int = 0
    critic_text: str = ""  # the model critic's raw output, when one ran
    tokens: int = 0  # tokens the analysis spent (model critic only)

    @property
    def has_critical(self) -> bool:
        return any(f.severity == "critical" for f in self.findings)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["has_critical"] = self.has_critical
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        d = {k: v for k, v in d.items() if k != "has_critical"}
        d["findings"] = [Finding(**f) for f in d.get("findings", [])]
        return cls(**d)
