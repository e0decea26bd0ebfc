"""Why a reply failed, as data: a kind and its parameters, stored with the message.

The history keeps the kind (the provider error's class name) rather than only a
sentence, so the UI builds the sentence in the reader's language when it shows it,
and decides from `retryable` whether Retry is offered.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum


class ErrorKind(StrEnum):
    """The ProviderError classes by name, and the app's own catch-all."""

    PROVIDER = "ProviderError"
    UNREACHABLE = "UnreachableError"
    TIMEOUT = "ProviderTimeoutError"
    HTTP_STATUS = "HTTPStatusError"
    AUTH = "AuthError"
    PROTOCOL = "ProtocolError"
    SERVER = "ServerError"
    PROXY = "ProxyError"
    CUT_OFF = "CutOffError"
    REJECTED = "RejectedError"  # the site refused this message as such: no Retry
    INPUT_TOO_LONG = "InputTooLongError"
    NOTHING_TO_SEND = "NothingToSendError"
    CONTEXT_OVERFLOW = "ContextOverflowError"  # the prompt is over the model's context
    UNEXPECTED = "unexpected"  # not a ProviderError: a bug, shown with its type and text


@dataclass(frozen=True)
class Failure:
    """A failed reply's kind and parameters. `kind` is a str, not an ErrorKind: a file
    written by a newer app may hold kinds this one does not know (shown by sentence)."""

    kind: str
    detail: str = ""  # the technical part, one line, secrets redacted
    retryable: bool = True  # whether sending the same request again can succeed
    status: int = 0  # the HTTP status, for status errors
    reason: str = ""  # a cut-off stream: what ended it
    length: int = 0  # a message over a site's input limit: its length, and the limit
    limit: int = 0
    message: str = ""  # a whole sentence the provider wrote instead of its kind's

    def to_json(self) -> str:
        fields = {k: v for k, v in asdict(self).items() if k != "kind" and v != _DEFAULTS[k]}
        return json.dumps(fields, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_row(cls, kind: str, params: str) -> Failure | None:
        """From the two stored columns; None for a row without a kind (an older row)."""
        if not kind:
            return None
        try:
            data = json.loads(params) if params else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        known = {k: v for k, v in data.items()
                 if k in _DEFAULTS and k != "kind" and isinstance(v, type(_DEFAULTS[k]))}
        return cls(kind, **known)


_DEFAULTS = asdict(Failure(""))
