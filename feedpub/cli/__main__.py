"""``python -m feedpub.cli``: the ``feedpub`` command without the console script."""

from feedpub.cli import main

if __name__ == "__main__":
    main()
