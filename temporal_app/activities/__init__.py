"""Activities: thin adapters, one external step each: an MCP tool call (``photos``,
``publishing``, ``reports``), the brand's policy from the brands file (``brands``), the Claude
call (``claude``, its failures classified in ``claude_errors``), telling the team
(``notices``: the claim on the agent-outputs server, sending through apprise), what the
brands' daily checks and weekly digest read (``checks``), a planned run's look before its
slot (``slot_check``), a post's figures at +24 h and +7 d (``insights``), and the trait look
at unused photos (``photo_traits``)."""

from .brands import BrandActivities
from .checks import CheckActivities
from .claude import ClaudeActivities
from .insights import InsightsActivities
from .notices import NoticeActivities
from .photo_traits import TraitActivities
from .photos import PhotoActivities
from .publishing import PublishActivities
from .reports import ReportActivities
from .slot_check import SlotActivities

__all__ = [
    "BrandActivities",
    "CheckActivities",
    "ClaudeActivities",
    "InsightsActivities",
    "NoticeActivities",
    "PhotoActivities",
    "PublishActivities",
    "ReportActivities",
    "SlotActivities",
    "TraitActivities",
]
