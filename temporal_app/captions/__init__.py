"""Captions, without Temporal or Claude: what Claude is asked (``prompt``), how its answer
becomes the captions that are published (``answer``), the rules they must keep (``checks``,
with ``contacts`` and ``language``), and what the request cost (``pricing``)."""
