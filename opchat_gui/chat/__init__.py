"""The chat service: provider streams on the qasync loop, persisted, reported as Qt signals."""

from opchat_gui.chat.service import ChatService, StreamTarget

__all__ = ["ChatService", "StreamTarget"]
