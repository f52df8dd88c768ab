"""An offline emulator of Anthropic's Messages API for feedpub's tests, dev stack and benchmarks.

The real `anthropic` SDK talks to it through `base_url`. It checks requests like the API
(auth, models, image rules, sampling and schema limits), answers with usable text (JSON that
fits the asked schema in the asked language, or a factual image description), reports
realistic token usage with prompt caching, and injects faults on demand. A photo can carry a
sign (``signs``): text the emulator obeys, as a model might, and writes into the captions.
"""

from .app import AnthropicEmulator
from .faults import FAULT_KINDS
from .models import KNOWN_MODELS

__all__ = ["FAULT_KINDS", "KNOWN_MODELS", "AnthropicEmulator"]
