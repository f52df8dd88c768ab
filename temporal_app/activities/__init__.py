"""Activities: thin adapters, one external step each (an MCP tool call or a Claude call)."""

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
