"""Where the checkout's files are: one place, so moving a module never breaks a path."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # irg/engine/paths.py -> the checkout
ASSETS = ROOT / "assets"
