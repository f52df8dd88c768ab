"""The brand's best-performing recent captions, as Claude is shown them: examples of tone,
short, in the brand's own words only (what is added after Claude's text, the call to action,
the signature and the hashtags, taken out), and marked as never to be copied.

They go in the request's user message, after the system prompt's cache breakpoint: the
brand's cached prompt stays the same from run to run while the examples change. The captions
written are checked as any others (``checks``).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from feedpub.brand_style import VoiceSettings
from feedpub.contract.after_publishing import CaptionExample

__all__ = ["EXAMPLES_SHOWN", "EXAMPLE_CHARS", "examples_prompt", "own_words"]

EXAMPLES_SHOWN = 3
EXAMPLE_CHARS = 280
"""An example is cut to this: its tone shows in a few sentences."""
_HASHTAG = re.compile(r"(?<!\w)#\w+")

_PREAMBLE = (
    "Examples of tone, never to be copied: captions this brand published for other photos, "
    "which its audience responded to well. Take only their tone (their voice, rhythm and "
    "length). Never copy them, nor any sentence, phrase or detail in them: they are about "
    "other photos. Write new captions about this photo alone, keeping every rule you were "
    "given."
)


def own_words(caption: str, voice: VoiceSettings) -> str:
    """``caption`` without what is added after Claude's text, on one line, cut short."""
    for added in (voice.call_to_action, voice.signature):
        if added:
            caption = caption.replace(added, " ")
    caption = _HASHTAG.sub(" ", caption)
    return textwrap.shorten(caption, EXAMPLE_CHARS, placeholder=" …")


def examples_prompt(examples: Sequence[CaptionExample], voice: VoiceSettings) -> str | None:
    """The text that shows Claude the examples; None when there is none to show."""
    texts = [text for text in (own_words(e.caption, voice) for e in examples) if text]
    if not texts:
        return None
    # Each in a tag of its own, its angle brackets taken out: an example is data to read for
    # its tone, and cannot close its tag to speak as the prompt.
    listed = "\n".join(
        f"<example>{text.replace('<', '‹').replace('>', '›')}</example>" for text in texts
    )
    return f"{_PREAMBLE}\n{listed}"
