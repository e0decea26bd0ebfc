"""One family of typed provider failures, each with a sentence a user can act on.

`str(error)` is the technical detail (what a log wants); `error.user_message` is the
plain sentence the transcript shows: what happened, then what to try.
"""

from __future__ import annotations

from typing import ClassVar


class ProviderError(RuntimeError):
    """Base of every failure a provider reports. A RuntimeError, as in gpt4free.

    `retryable` says whether sending the same request again can succeed; the chat layer
    offers Retry only when it can. The class name is the error's kind.
    """

    what = "The request failed"
    hint = "Try again, or check the provider settings."
    retryable: ClassVar[bool] = True

    def __init__(self, detail: str, *, user_message: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self._user_message = user_message

    @property
    def user_message(self) -> str:
        if self._user_message:
            return self._user_message
        detail = _one_line(self.detail)
        return f"{self.what} ({detail}). {self.hint}" if detail else f"{self.what}. {self.hint}"


class UnreachableError(ProviderError):
    """Connection refused, DNS failure or a TLS problem: nothing answered."""

    what = "Could not reach the server"
    hint = "Check the address and your network connection, then press Retry."


class ProviderTimeoutError(ProviderError):
    """Connected (or tried to) but the server stopped answering."""

    what = "The server stopped answering"
    hint = "It may be overloaded; press Retry, or raise the timeout in the settings."


class HTTPStatusError(ProviderError):
    """A non-2xx status with no more specific meaning."""

    what = "The server answered with an error"
    hint = "Press Retry; if it keeps happening, check the provider settings."

    def __init__(self, status: int, excerpt: str, *, user_message: str | None = None) -> None:
        detail = f"HTTP {status}" + (f": {excerpt}" if excerpt else "")
        super().__init__(detail, user_message=user_message)
        self.status = status
        self.excerpt = excerpt


class AuthError(HTTPStatusError):
    """401/403, a missing or expired nonce, or a bad API key."""

    what = "The server refused the request"
    hint = "Check the API key or site settings, then press Retry."


class ProtocolError(ProviderError):
    """The server sent something that is not the protocol (a broken line)."""

    what = "The server sent a reply this app cannot read"
    hint = "Check that the address points at the right kind of server."


class ServerError(ProviderError):
    """The server itself reported an error (an `error` event or a JSON error body)."""

    what = "The server reported an error:"
    hint = "Press Retry; if it repeats, the server may need attention."

    @property
    def user_message(self) -> str:
        if self._user_message:
            return self._user_message
        detail = _one_line(self.detail)
        if detail[-1:] not in (".", "!", "?", "…"):
            detail += "."
        return f"{self.what} {detail} {self.hint}"


class ProxyError(ProviderError):
    """The proxy could not be reached or refused to connect us."""

    what = "The proxy failed"
    hint = "Check the proxy address and credentials in the settings, then press Retry."


class CutOffError(ProviderError):
    """The stream ended before the server said it was complete."""

    what = "The reply was cut off before it finished"
    hint = "The part that arrived is kept; press Retry to ask again."

    def __init__(self, reason: str) -> None:
        super().__init__(f"the reply was cut off: {reason}")
        self.reason = reason

    @property
    def user_message(self) -> str:
        return f"{self.what} ({self.reason}). {self.hint}"


class RejectedError(ProviderError):
    """The site refused this message as such ("Sorry, your query has been rejected.").

    AI Engine answers so for an empty message, one over the bot's input limit (512
    characters by default from 2.4), over 64 KiB, or for a bot it does not know: the same
    request can never succeed, so there is no Retry.
    """

    what = "The site refused this message"
    hint = ("It may be longer than the bot's input limit, empty, or meant for a bot the site "
            "does not have. Shorten the message, or check the bot id in the provider settings.")
    retryable: ClassVar[bool] = False


class InputTooLongError(RejectedError):
    """The message is over the input limit the site entry knows; found before sending."""

    what = "The message is longer than this site accepts"
    hint = ("Shorten it and send again, or raise the input limit in the provider settings if "
            "the site allows more.")

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"{length} characters, at most {limit}")
        self.length = length
        self.limit = limit


class NothingToSendError(ProviderError):
    """A request without any message: a caller bug, never worth retrying."""

    what = "There is no message to send"
    hint = "Type a message, then send it."
    retryable: ClassVar[bool] = False


class ContextOverflowError(ProviderError):
    """The prompt does not fit the model's context window (llama.cpp, OpenAI and the like).

    Retrying sends the same tokens again, so it can only fail again.
    """

    what = "The conversation is longer than the model's context"
    hint = ("Start a new conversation, shorten this one, or raise the server's context size "
            "(for llama.cpp, its --ctx-size).")
    retryable: ClassVar[bool] = False


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split()).rstrip(".")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
