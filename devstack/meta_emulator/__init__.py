"""An emulator of the Meta Graph API (Facebook Page photos and posts, Instagram content
publishing) with fault injection, for tests and the local stack; Meta is unreachable here."""

from .emulator import MetaEmulator
from .faults import ENDPOINTS, FAULT_KINDS, FaultRule

__all__ = ["ENDPOINTS", "FAULT_KINDS", "FaultRule", "MetaEmulator"]
