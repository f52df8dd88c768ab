"""Activities: thin adapters, one external step each (an MCP tool call or a Claude call)."""

from .claude import ClaudeActivities
from .photos import PhotoActivities
from .publishing import PublishActivities
from .reports import ReportActivities

__all__ = ["ClaudeActivities", "PhotoActivities", "PublishActivities", "ReportActivities"]
