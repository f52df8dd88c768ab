"""Which language a caption is written in: py3langid, restricted to the languages feedpub
writes, so a short Dutch caption is not read as Afrikaans.

Chosen over lingua-language-detector: 4.5 MB installed against about 96 MB, as accurate on
the one-to-three-sentence captions feedpub writes (checked on nl/fr/en/de/es samples), and
the model loads once in under a second.
"""

from __future__ import annotations

import logging
import mmap
import os
import re
import tempfile
import threading
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

__all__ = ["CANDIDATE_LANGUAGES", "MIN_LETTERS", "detect_language", "load_detector"]

CANDIDATE_LANGUAGES = ("nl", "fr", "en", "de", "es", "it", "pt")
MIN_LETTERS = 20
"""Shorter texts ("Suit up!") are not judged: no detector is reliable on them."""
CONFIDENCE = 0.9
_NOT_WORDS = re.compile(r"(?:https?://\S+|[#@]\w+)")
_LETTER = re.compile(r"[^\W\d_]")
_lock = threading.Lock()
log = logging.getLogger("feedpub.caption_language")


_automaton: tuple[Any, Any, Any] | None = None
"""py3langid's state machine, shared by every language set's identifier."""
CACHE_DIR = Path(tempfile.gettempdir()) / f"feedpub-cache-{os.getuid()}"
"""Where the state machine is kept as a file, to be mapped into memory (private to the user)."""


def _mapped(nextmove: array[int]) -> Sequence[int]:
    """The state machine's transition table (about 40 MB) read through a memory map of a cache
    file, so only the pages captions walk through become resident; in memory if the file
    cannot be written, or if the folder is not this user's alone."""
    name = f"py3langid-{version('py3langid')}-{len(nextmove)}.{nextmove.typecode}"
    path = CACHE_DIR / name
    try:
        CACHE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = CACHE_DIR.stat()
        if folder.st_uid != os.getuid() or folder.st_mode & 0o077:
            raise PermissionError("the folder is not private to this user")
        if not path.exists():
            partial = path.with_name(f"{name}.{os.getpid()}.part")
            with partial.open("wb") as out:
                nextmove.tofile(out)
            os.replace(partial, path)  # whole or absent, whatever runs beside us
        with path.open("rb") as file:
            table = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        if len(table) != len(nextmove) * nextmove.itemsize:
            raise ValueError(f"{len(table)} bytes, not {len(nextmove) * nextmove.itemsize}")
    except (OSError, ValueError) as exc:
        log.warning("language model kept in memory (%s: %s)", path, exc)
        return nextmove
    typecode: Any = nextmove.typecode  # "I" here: 32-bit state numbers
    return memoryview(table).cast(typecode)


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]) -> Any:
    """An identifier over ``languages`` only: its table keeps their columns, not all 142."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import load_model

    global _automaton
    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    unknown = set(languages).difference(classes)
    if unknown:
        raise ValueError(f"no language model for {sorted(unknown)}")
    _automaton = _automaton or (_mapped(nextmove), row, output)
    nextmove, row, output = _automaton
    keep = [i for i, name in enumerate(classes) if name in languages]
    return LanguageIdentifier(
        ptc[:, keep], pc[keep], [classes[i] for i in keep], nextmove, output,
        norm_probs=True, tk_row=row,
    )  # fmt: skip


def _languages_for(expected: str) -> tuple[str, ...]:
    return tuple(sorted({*CANDIDATE_LANGUAGES, expected}))


def load_detector(expected_languages: Iterable[str]) -> None:
    """Load the model now for these brand languages (about a second), not at the first caption."""
    for expected in set(expected_languages):
        with _lock:
            _identifier(_languages_for(expected))


def detect_language(text: str, expected: str) -> str | None:
    """The ISO 639-1 code ``text`` is confidently written in, or None when too short to say.

    Hashtags, mentions and links are left out: they are not sentences of any language.
    """
    words = _NOT_WORDS.sub(" ", text)
    if len(_LETTER.findall(words)) < MIN_LETTERS:
        return None
    with _lock:
        identifier = _identifier(_languages_for(expected))
        language, confidence = identifier.classify(words)
    return str(language) if confidence >= CONFIDENCE else None
