"""Activities: thin adapters, one external step each: an MCP tool call (``photos``,
``publishing``, ``reports``), the brand's policy from the brands file (``brands``), the Claude
call (``claude``, its failures classified in ``claude_errors``), and telling the team
(``notices``: the claim on the agent-outputs server, sending through apprise)."""

from .brands import BrandActivities
from .claude import ClaudeActivities
from .notices import NoticeActivities
from .photos import PhotoActivities
from .publishing import PublishActivities
from .reports import ReportActivities

__all__ = [
    "BrandActivities",
    "ClaudeActivities",
    "NoticeActivities",
    "PhotoActivities",
    "PublishActivities",
    "ReportActivities",
]
