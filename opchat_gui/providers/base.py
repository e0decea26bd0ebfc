"""The gpt4free provider contract, so providers here and there are interchangeable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterator
from contextlib import aclosing
from typing import Any, ClassVar

from opchat_gui.providers.errors import ProviderError

# A message's content is its text, or (a user message with images) OpenAI's content parts:
# [{"type": "text", "text": ...}, {"type": "image_url", "image_url": {"url": "data:..."}}].
Messages = list[dict[str, Any]]


def text_of(content: Any) -> str:
    """A message's text: the content itself, or its text parts joined (images left out)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n\n".join(str(part.get("text", "")) for part in content
                            if isinstance(part, dict) and part.get("type") == "text")
    return ""


def image_count(content: Any) -> int:
    """How many images a message's content parts carry."""
    if not isinstance(content, list):
        return 0
    return sum(1 for part in content if isinstance(part, dict)
               and part.get("type") == "image_url")


AsyncResult = AsyncGenerator[str, None]  # closed with aclose() when the reader stops early


class AsyncGeneratorProvider:
    """A provider whose one real method is the async generator `create_async_generator`."""

    url: ClassVar[str | None] = None
    working: ClassVar[bool] = False
    supports_stream: ClassVar[bool] = True
    supports_message_history: ClassVar[bool] = False
    supports_gpt_35_turbo: ClassVar[bool] = False
    supports_gpt_4: ClassVar[bool] = False

    @classmethod
    def create_async_generator(
        cls, model: str, messages: Messages, proxy: str | None = None, **kwargs: Any
    ) -> AsyncResult:
        raise NotImplementedError

    @classmethod
    def check_input(cls, text: str, **options: Any) -> str | None:
        """Why this provider would refuse `text` with these options, found without sending.

        None means nothing is known against it. The chat layer asks before it sends, so a
        message that cannot succeed stays in the composer with this sentence instead.
        """
        error = cls.input_error(text, **options)
        return error.user_message if error is not None else None

    @classmethod
    def input_error(cls, text: str, **options: Any) -> ProviderError | None:
        """The error sending `text` would end in, if it is known without sending (None
        otherwise): what check_input words, as a value the chat layer can store or word."""
        return None

    @classmethod
    async def image_support(cls, model: str, **options: Any) -> bool | None:
        """Whether this provider and model take images: False where they cannot, None
        where nobody says (the user is warned once and the server has the last word)."""
        return False

    @classmethod
    async def create_async(cls, model: str, messages: Messages, **kwargs: Any) -> str:
        """The whole reply at once; the stream is still closed if the caller is cancelled."""
        async with aclosing(cls.create_async_generator(model, messages, **kwargs)) as stream:
            return "".join([chunk async for chunk in stream])

    @classmethod
    def create_completion(
        cls, model: str, messages: Messages, stream: bool = True, **kwargs: Any
    ) -> Iterator[str]:
        """A blocking generator over the same stream, for scripts without an event loop.

        It drives a private event loop, so it must not be called from a running loop.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError("create_completion cannot run inside an event loop; use "
                               "create_async_generator instead")
        loop = asyncio.new_event_loop()
        agen = cls.create_async_generator(model, messages, **kwargs)
        try:
            while True:
                try:
                    yield loop.run_until_complete(agen.__anext__())
                except StopAsyncIteration:
                    break
        finally:
            loop.run_until_complete(agen.aclose())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
