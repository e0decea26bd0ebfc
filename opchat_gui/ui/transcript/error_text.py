"""Provider error sentences in the reader's language.

Providers never import Qt, so their sentences are English, and the history stores them
so. They are built from a few fixed parts (each error class's `what` and `hint`, and a
few whole messages) around a technical detail. The parts are listed here for lupdate,
and `localize_error` swaps each for its translation when a reply's error is shown.
tests/unit/test_i18n.py fails if a provider grows a sentence this list lacks.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "ProviderError"

PARTS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("ProviderError", "The request failed"),
    QT_TRANSLATE_NOOP("ProviderError", "Try again, or check the provider settings."),
    QT_TRANSLATE_NOOP("ProviderError", "Could not reach the server"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "Check the address and your network connection, then press Retry."),
    QT_TRANSLATE_NOOP("ProviderError", "The server stopped answering"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "It may be overloaded; press Retry, or raise the timeout in the settings."),
    QT_TRANSLATE_NOOP("ProviderError", "The server answered with an error"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "Press Retry; if it keeps happening, check the provider settings."),
    QT_TRANSLATE_NOOP("ProviderError", "The server refused the request"),
    QT_TRANSLATE_NOOP("ProviderError", "Check the API key or site settings, then press Retry."),
    QT_TRANSLATE_NOOP("ProviderError", "The server sent a reply this app cannot read"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "Check that the address points at the right kind of server."),
    QT_TRANSLATE_NOOP("ProviderError", "The server reported an error:"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "Press Retry; if it repeats, the server may need attention."),
    QT_TRANSLATE_NOOP("ProviderError", "The proxy failed"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "Check the proxy address and credentials in the settings, then press "
                      "Retry."),
    QT_TRANSLATE_NOOP("ProviderError", "The reply was cut off before it finished"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "The part that arrived is kept; press Retry to ask again."),
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
    QT_TRANSLATE_NOOP("ProviderError", "The site refused this message"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "It may be longer than the bot's input limit, empty, or meant for a bot "
                      "the site does not have. Shorten the message, or check the bot id in the "
                      "provider settings."),
    QT_TRANSLATE_NOOP("ProviderError", "The message is longer than this site accepts"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "Shorten it and send again, or raise the input limit in the provider "
                      "settings if the site allows more."),
    QT_TRANSLATE_NOOP("ProviderError", "There is no message to send"),
    QT_TRANSLATE_NOOP("ProviderError", "Type a message, then send it."),
    QT_TRANSLATE_NOOP("ProviderError", "The conversation is longer than the model's context"),
    QT_TRANSLATE_NOOP("ProviderError",
                      "Start a new conversation, shorten this one, or raise the server's "
                      "context size (for llama.cpp, its --ctx-size)."),
)

_LONGEST_FIRST = sorted(PARTS, key=len, reverse=True)


def localize_error(text: str) -> str:
    """The same sentence with its fixed parts translated; the technical detail stays."""
    for part in _LONGEST_FIRST:
        if part in text:
            text = text.replace(part, QCoreApplication.translate(CONTEXT, part))
    return text
