"""A failed reply's sentence in the reader's language, built when it is shown.

A reply stores why it failed as a kind and its parameters (core/errors.Failure); the
sentence comes from KINDS, the translatable `what` and `hint` of each provider error
class (tests/unit/test_error_kinds.py keeps the two equal), around the technical detail.
Rows from before kinds (schema 5 and older) and sentences a provider wrote whole hold
only English; `localize_error` translates their fixed parts, as it always did.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from opchat_gui.core.errors import ErrorKind, Failure
from opchat_gui.core.messages import Message
from opchat_gui.core.text import fill

CONTEXT = "ProviderError"

# kind -> (what happened, what to try); the English is each ProviderError class's own.
KINDS: dict[str, tuple[str, str]] = {
    ErrorKind.PROVIDER: (
        QT_TRANSLATE_NOOP("ProviderError", "The request failed"),
        QT_TRANSLATE_NOOP("ProviderError", "Try again, or check the provider settings.")),
    ErrorKind.UNREACHABLE: (
        QT_TRANSLATE_NOOP("ProviderError", "Could not reach the server"),
        QT_TRANSLATE_NOOP("ProviderError",
                          "Check the address and your network connection, then press Retry.")),
    ErrorKind.TIMEOUT: (
        QT_TRANSLATE_NOOP("ProviderError", "The server stopped answering"),
        QT_TRANSLATE_NOOP("ProviderError", "It may be overloaded; press Retry, or raise the "
                                           "timeout in the settings.")),
    ErrorKind.HTTP_STATUS: (
        QT_TRANSLATE_NOOP("ProviderError", "The server answered with an error"),
        QT_TRANSLATE_NOOP("ProviderError",
                          "Press Retry; if it keeps happening, check the provider settings.")),
    ErrorKind.AUTH: (
        QT_TRANSLATE_NOOP("ProviderError", "The server refused the request"),
        QT_TRANSLATE_NOOP("ProviderError",
                          "Check the API key or site settings, then press Retry.")),
    ErrorKind.PROTOCOL: (
        QT_TRANSLATE_NOOP("ProviderError", "The server sent a reply this app cannot read"),
        QT_TRANSLATE_NOOP("ProviderError",
                          "Check that the address points at the right kind of server.")),
    ErrorKind.SERVER: (
        QT_TRANSLATE_NOOP("ProviderError", "The server reported an error:"),
        QT_TRANSLATE_NOOP("ProviderError",
                          "Press Retry; if it repeats, the server may need attention.")),
    ErrorKind.PROXY: (
        QT_TRANSLATE_NOOP("ProviderError", "The proxy failed"),
        QT_TRANSLATE_NOOP("ProviderError", "Check the proxy address and credentials in the "
                                           "settings, then press Retry.")),
    ErrorKind.CUT_OFF: (
        QT_TRANSLATE_NOOP("ProviderError", "The reply was cut off before it finished"),
        QT_TRANSLATE_NOOP("ProviderError",
                          "The part that arrived is kept; press Retry to ask again.")),
    ErrorKind.REJECTED: (
        QT_TRANSLATE_NOOP("ProviderError", "The site refused this message"),
        QT_TRANSLATE_NOOP("ProviderError",
                          "It may be longer than the bot's input limit, empty, or meant for a "
                          "bot the site does not have. Shorten the message, or check the bot "
                          "id in the provider settings.")),
    ErrorKind.INPUT_TOO_LONG: (
        QT_TRANSLATE_NOOP("ProviderError", "The message is longer than this site accepts"),
        QT_TRANSLATE_NOOP("ProviderError",
                          "Shorten it and send again, or raise the input limit in the provider "
                          "settings if the site allows more.")),
    ErrorKind.NOTHING_TO_SEND: (
        QT_TRANSLATE_NOOP("ProviderError", "There is no message to send"),
        QT_TRANSLATE_NOOP("ProviderError", "Type a message, then send it.")),
    ErrorKind.CONTEXT_OVERFLOW: (
        QT_TRANSLATE_NOOP("ProviderError",
                          "The conversation is longer than the model's context"),
        QT_TRANSLATE_NOOP("ProviderError",
                          "Start a new conversation, shorten this one, or raise the server's "
                          "context size (for llama.cpp, its --ctx-size).")),
}

# Whole sentences providers write themselves (their *_MESSAGE constants and a few
# status-specific ones); with the parts above, what older rows are translated from.
WHOLE: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("ProviderError",
                      "Could not reach the Opchatgpts service at https://opchatgpts.net; the "
                      "public site has shut down. Press Retry, start with --demo to try the "
                      "app offline, or point --url at another AI Engine site."),
    QT_TRANSLATE_NOOP("ProviderError",
                      "The site refused the request and did not offer a security token "
                      "(nonce). Check the site address, path prefix and chatbot page in the "
                      "provider settings, then press Retry."),
    QT_TRANSLATE_NOOP("ProviderError", "Wait a moment, then press Retry."),
    QT_TRANSLATE_NOOP("ProviderError", "The server is limiting requests"),
)

PARTS: tuple[str, ...] = (*(text for pair in KINDS.values() for text in pair), *WHOLE)
_LONGEST_FIRST = sorted(PARTS, key=len, reverse=True)


def error_sentence(message: Message) -> str:
    """What went wrong and what to try, in the UI's language ("" if nothing is known)."""
    failure = message.failure
    if failure is None or failure.message:
        return localize_error(failure.message if failure else message.error)
    if failure.kind == ErrorKind.UNEXPECTED:
        return fill(QCoreApplication.translate(
            "ChatService", "Unexpected error: %1. Press Retry to try again."), failure.detail)
    if failure.kind not in KINDS:  # written by a newer app: its English sentence
        return localize_error(message.error)
    return failure_sentence(failure)


def failure_sentence(failure: Failure) -> str:
    """A failure of a known kind (a reply's, or a refusal found before sending) worded in
    the UI's language."""
    if failure.message or failure.kind not in KINDS:
        return localize_error(failure.message or failure.detail)
    return compose(failure, *(QCoreApplication.translate(CONTEXT, t) for t in KINDS[failure.kind]))


def compose(failure: Failure, what: str, hint: str) -> str:
    """The sentence ProviderError.user_message builds, from translated parts."""
    if failure.kind == ErrorKind.SERVER:
        detail = failure.detail
        if detail[-1:] not in (".", "!", "?", "…"):
            detail += "."
        return f"{what} {detail} {hint}"
    detail = failure.reason if failure.kind == ErrorKind.CUT_OFF else failure.detail
    if failure.kind == ErrorKind.INPUT_TOO_LONG and failure.limit:
        locale = QLocale()
        detail = fill(QCoreApplication.translate("ProviderError", "%1 characters, at most %2"),
                      locale.toString(failure.length), locale.toString(failure.limit))
    return f"{what} ({detail}). {hint}" if detail else f"{what}. {hint}"


def localize_error(text: str) -> str:
    """The same sentence with its fixed parts translated; the technical detail stays."""
    for part in _LONGEST_FIRST:
        if part in text:
            text = text.replace(part, QCoreApplication.translate(CONTEXT, part))
    return text
