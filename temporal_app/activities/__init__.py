"""Activities: thin adapters, one external step each: an MCP tool call (``photos``,
``publishing``, ``reports``), the brand's policy from the brands file (``brands``), or the Claude
call (``claude``, its failures classified in ``claude_errors``)."""

from .brands import BrandActivities
from .claude import ClaudeActivities
from .photos import PhotoActivities
from .publishing import PublishActivities
from .reports import ReportActivities

__all__ = [
    "BrandActivities",
    "ClaudeActivities",
    "PhotoActivities",
    "PublishActivities",
    "ReportActivities",
]
