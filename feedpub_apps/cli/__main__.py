"""``python -m feedpub_apps.cli``: the ``feedpub`` command without the console script."""

from feedpub_apps.cli import main

if __name__ == "__main__":
    main()
