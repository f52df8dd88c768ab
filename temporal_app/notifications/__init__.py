"""Telling a brand's team: where (``Destinations``), what (``render``), and sending it with
apprise (``send_message``), the signed webhook included.

The URLs of the destinations hold secrets: they stay in the ``Destinations`` read at start-up
and go to apprise alone; a ``Delivery`` and every message name the variable.
"""

from .destinations import Destinations
from .message import Message
from .render import render
from .sending import Delivery, send_message

__all__ = ["Delivery", "Destinations", "Message", "render", "send_message"]
