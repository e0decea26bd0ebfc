"""Chat providers: aiohttp streams behind a gpt4free-compatible interface. Never imports Qt."""

from opchat_gui.providers.base import AsyncGeneratorProvider, AsyncResult, Messages
from opchat_gui.providers.errors import ProviderError
from opchat_gui.providers.opchatgpts import Opchatgpts

__all__ = ["AsyncGeneratorProvider", "AsyncResult", "Messages", "Opchatgpts", "ProviderError"]
