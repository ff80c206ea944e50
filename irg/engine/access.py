"""Who may choose which model, and where a credential may go.

Two rules, both read from the environment the operator sets (never from what a visitor types):

- **A credential goes only where it was configured.** `IRG_API_KEY` is sent only to the OpenAI-compatible servers
  listed in `IRG_SERVERS` (comma-separated URLs). Any other URL, however it was typed, is called without it: a
  visitor cannot have the server send the deployment's key to an address of their choosing.
- **Public mode** (on when `SPACE_ID` is set — a Hugging Face Space — or `IRG_PUBLIC=1`; `IRG_PUBLIC=0` turns it off):
  the model box accepts only the listed models (bundled, its shipped students, the hub ids in `IRG_PUBLIC_MODELS`,
  default the ones the app offers, and the servers in `IRG_SERVERS`). No local path, no `~`, no other URL: anything
  else gets one and the same sentence, whether or not it exists, so the box reveals nothing about the server's files
  or network. Prompts are shorter (`IRG_PUBLIC_MAX_PROMPT`) and each browser session has a run allowance per hour
  (`IRG_PUBLIC_RUNS`).
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlsplit

from irg.engine.errors import ConfigError, ModelError
from irg.engine.models import BUNDLED, HUB_CHOICES, shipped_students

REFUSED = "That model is not available on this server: choose one from the list."
PRIVATE_MAX_PROMPT = 20_000  # characters; longer prompts are refused before any work
PUBLIC_MAX_PROMPT = 4_000
PUBLIC_RUNS_PER_HOUR = 30  # runs one browser session may start per hour in public mode


def _flag(raw: str | None, name: str) -> bool | None:
    raw = (raw or "").strip().lower()
    if not raw:
        return None
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 or 0, not '{raw}'.")


def env_count(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 1 from the environment, `default` when unset; else ConfigError with a sentence."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, not '{raw}'.")
    return int(raw)


def _split(raw: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.strip() for s in (raw or "").split(",") if s.strip()))


def server_key(url: str) -> tuple | None:
    """What identifies a server: scheme, host, port, the user part and the path (without a trailing /v1 or /, and
    without the "#model" choice). None for anything that is not an http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port that is not a number, brackets that do not close…
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    path = parts.path.rstrip("/")
    path = path[:-3] if path.endswith("/v1") else path
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return parts.scheme, parts.hostname.lower(), port, userinfo, path.rstrip("/")


@dataclass(frozen=True)
class Access:
    """The operator's choices (from the environment); `Access.from_env()` reads them."""

    public: bool = False
    servers: tuple[str, ...] = ()  # URLs of OpenAI-compatible servers the operator configured
    public_models: tuple[str, ...] = ()  # hub ids a visitor may pick in public mode
    max_prompt_chars: int = PRIVATE_MAX_PROMPT
    runs_per_hour: int = 0  # per browser session; 0 = no allowance (private mode)

    def __post_init__(self):
        bad = [s for s in self.servers if server_key(s) is None]
        if bad:
            raise ConfigError(f"IRG_SERVERS holds '{bad[0]}', which is not an http(s) URL.")
        if any(server_key(s)[3] for s in self.servers):  # the list is shown to visitors: no password in it
            raise ConfigError("IRG_SERVERS must not hold a user or password in a URL: give the key in IRG_API_KEY.")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Access":
        env = os.environ if env is None else env
        public = _flag(env.get("IRG_PUBLIC"), "IRG_PUBLIC")
        public = bool(env.get("SPACE_ID", "").strip()) if public is None else public
        servers = _split(env.get("IRG_SERVERS"))
        hub = _split(env.get("IRG_PUBLIC_MODELS")) if "IRG_PUBLIC_MODELS" in env else HUB_CHOICES
        if not public:
            return cls(False, servers, hub)
        return cls(True, servers, hub, env_count(env, "IRG_PUBLIC_MAX_PROMPT", PUBLIC_MAX_PROMPT),
                   env_count(env, "IRG_PUBLIC_RUNS", PUBLIC_RUNS_PER_HOUR))

    def listed_server(self, url: str) -> str | None:
        """The entry of IRG_SERVERS that `url` names (written any way a browser reads the same), or None."""
        key = server_key(url.partition("#")[0])
        return next((s for s in self.servers if key is not None and server_key(s.partition("#")[0]) == key), None)

    def credential_for(self, url: str, env: Mapping[str, str] | None = None) -> str | None:
        """IRG_API_KEY for a listed server; None for any other URL (it is called without a key)."""
        env = os.environ if env is None else env
        return (env.get("IRG_API_KEY") or None) if self.listed_server(url) is not None else None

    def choices(self, offered: list[str]) -> list[str]:
        """The model box's list: in public mode only what a visitor may pick."""
        if not self.public:
            return [*offered, *[s for s in self.servers if s not in offered]]
        return [*[m for m in offered if self._listed(m)], *[m for m in self.public_models if m not in offered],
                *self.servers]

    def _listed(self, name: str) -> bool:
        if name.startswith(("http://", "https://")):
            return self.listed_server(name) is not None
        return name == BUNDLED or name in self.public_models or name in shipped_students()

    def admit(self, name: str) -> str:
        """The model to load for what a visitor chose (in public mode a server as the operator listed it), if they
        may use it here; else ModelError with one sentence, the same for everything refused, so the answer says
        nothing about what exists on the server."""
        name = (name or "").strip()
        if not self.public:
            return name
        if not self._listed(name):
            raise ModelError(REFUSED)
        # a server as the operator listed it (its "#model" too), however the visitor spelled it
        return self.listed_server(name) if name.startswith(("http://", "https://")) else name


class RunAllowance:
    """Public mode: at most `per_hour` runs per browser session in any hour (a sliding window)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.started: dict[str, list[float]] = {}

    def take(self, session: str | None, per_hour: int, runs: int = 1, now: float | None = None,
             who: str = "in one session") -> None:
        """Count `runs` more for this session (or client: `who` says which in the sentence), or ConfigError with a
        sentence when the allowance is spent."""
        if per_hour <= 0:
            return
        now = time.monotonic() if now is None else now
        with self.lock:
            for key in [k for k, v in self.started.items() if not v or now - v[-1] > 3600]:
                del self.started[key]  # sessions idle for an hour are forgotten (memory stays bounded)
            recent = [t for t in self.started.get(session or "", []) if now - t < 3600]
            if len(recent) + runs > per_hour:
                wait = 3600 - (now - recent[0]) if recent else 3600
                raise ConfigError(f"This public demo allows {per_hour} runs per hour {who}; "
                                  f"try again in {max(1, round(wait / 60))} min.")
            self.started[session or ""] = recent + [now] * runs
