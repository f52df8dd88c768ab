"""An offline emulator of Anthropic's Messages and Message Batches APIs for feedpub's tests,
dev stack and benchmarks.

The real `anthropic` SDK talks to it through `base_url`. It checks requests like the API
(auth, models, image rules, sampling and schema limits), answers with usable text (JSON that
fits the asked schema in the asked language, or a factual image description), reports
realistic token usage with prompt caching as the API bills it (each model's minimum
cacheable length, 5-minute or 1-hour entries), and injects faults on demand. Batches end
after a delay drawn as real ones take (``batch_timing``), on a clock a test can move
(``clock``, ``POST /admin/clock``). A photo can carry a
sign (``signs``): text the emulator obeys, as a model might, and writes into the captions. A
trait look (what a photo shows) is answered from the photo's trait mark, wrong in one
dimension for a fixed 15 % of photos (``trait_look``).
"""

from .app import AnthropicEmulator
from .faults import FAULT_KINDS
from .models import KNOWN_MODELS

__all__ = ["FAULT_KINDS", "KNOWN_MODELS", "AnthropicEmulator"]
