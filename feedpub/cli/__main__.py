"""``python -m feedpub.cli``: the ``feedpub`` command without the console script."""

from feedpub.cli import main
from temporal_app.schedules._process import exit_after

if __name__ == "__main__":
    exit_after(main)
