"""Where the checkout's files are: one place, so moving a module never breaks a path."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # irg/engine/paths.py -> the checkout
ASSETS = ROOT / "assets"


def relative(p: str | Path) -> str:
    """A path as results files record it: relative to the checkout when inside it (the same on every clone),
    else as given."""
    p = Path(p)
    return str(p.relative_to(ROOT)) if p.is_absolute() and p.is_relative_to(ROOT) else str(p)
