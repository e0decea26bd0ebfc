"""A provider error as the Failure stored with the reply (core/errors.py): its kind,
its parameters and whether Retry can help. Secrets are redacted before anything is kept."""

from __future__ import annotations

from opchat_gui.core.errors import ErrorKind, Failure
from opchat_gui.core.redact import redact
from opchat_gui.providers.errors import ProviderError

DETAIL_CHARS = 300


def failure_of(exc: BaseException) -> Failure:
    """The stored form of `exc`; a provider's own subclass counts as its nearest known kind."""
    if not isinstance(exc, ProviderError):
        return Failure(ErrorKind.UNEXPECTED, detail=_line(f"{type(exc).__name__}: {exc}"))
    known = set(ErrorKind)
    kind = next(c.__name__ for c in type(exc).__mro__ if c.__name__ in known)
    # Set by a provider that words the whole sentence itself (a gone service, a 429).
    written = getattr(exc, "_user_message", None)
    return Failure(
        kind, detail=_line(exc.detail),
        retryable=bool(getattr(exc, "retryable", True)),
        status=int(getattr(exc, "status", 0) or 0),
        reason=_line(str(getattr(exc, "reason", "") or "")),
        length=int(getattr(exc, "length", 0) or 0), limit=int(getattr(exc, "limit", 0) or 0),
        message=redact(written) if isinstance(written, str) and written else "")


def english_sentence(exc: BaseException) -> str:
    """The sentence as the provider words it, kept in the `error` column for exports."""
    if isinstance(exc, ProviderError):
        return redact(exc.user_message)
    return f"Unexpected error: {_line(f'{type(exc).__name__}: {exc}')}. Press Retry to try again."


def _line(text: str) -> str:
    """One line, redacted, cut as ProviderError cuts its detail."""
    flat = " ".join(redact(text).split()).rstrip(".")
    return flat if len(flat) <= DETAIL_CHARS else flat[: DETAIL_CHARS - 1] + "…"
