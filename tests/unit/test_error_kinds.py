"""Error kinds: one per provider error class, stored and read back, worded as the class
words it (in English) so that only the language changes at display time."""

from __future__ import annotations

import pytest

from opchat_gui.chat.failures import english_sentence, failure_of
from opchat_gui.core.errors import ErrorKind, Failure
from opchat_gui.core.messages import Message, MessageState
from opchat_gui.providers import errors
from opchat_gui.ui.transcript.error_text import KINDS, error_sentence


def provider_classes() -> list[type[errors.ProviderError]]:
    found, pending = [], [errors.ProviderError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return found


def example(cls: type[errors.ProviderError]) -> errors.ProviderError:
    if issubclass(cls, errors.HTTPStatusError):
        return cls(502, "Bad Gateway from upstream")
    if issubclass(cls, errors.InputTooLongError):
        return cls(513, 512)
    if issubclass(cls, errors.CutOffError):
        return cls("the connection closed mid-reply")
    if cls.__init__ is not errors.ProviderError.__init__:  # its own arguments: the test says
        pytest.fail(f"add an example for {cls.__name__}")
    return cls("something specific\nover two lines.")


def failed(failure: Failure | None, error: str = "") -> Message:
    return Message(1, 1, "assistant", "", MessageState.FAILED, error, "", 0.0, 0.0, failure)


@pytest.mark.parametrize("cls", provider_classes(), ids=lambda c: c.__name__)
def test_each_provider_error_is_a_kind_worded_as_the_class_words_it(cls, qapp):
    assert cls.__name__ in set(ErrorKind)
    assert KINDS[cls.__name__] == (cls.what, cls.hint)
    exc = example(cls)
    failure = failure_of(exc)
    assert failure.kind == cls.__name__
    assert failure.retryable is getattr(cls, "retryable", True)
    assert error_sentence(failed(failure)) == exc.user_message == english_sentence(exc)


def test_parameters_survive_the_round_trip_through_the_columns():
    failure = failure_of(errors.HTTPStatusError(429, "slow down"))
    assert failure.status == 429 and failure.detail == "HTTP 429: slow down"
    stored = failure.to_json()
    assert "HTTPStatusError" not in stored  # the kind has its own column
    assert Failure.from_row(failure.kind, stored) == failure
    assert Failure.from_row("", "") is None  # a row from before kinds
    assert Failure.from_row("ServerError", "not json") == Failure("ServerError")
    assert Failure.from_row("ServerError", '{"status": "x", "bogus": 1}') == Failure("ServerError")


def test_a_sentence_the_provider_wrote_itself_is_kept_whole(qapp):
    exc = errors.UnreachableError("refused", user_message="Nobody is home. Press Retry.")
    failure = failure_of(exc)
    assert failure.message == "Nobody is home. Press Retry."
    assert error_sentence(failed(failure)) == "Nobody is home. Press Retry."


def test_secrets_never_reach_the_stored_detail():
    exc = errors.AuthError(401, "bad key sk-abcdefghijklmnop")
    failure = failure_of(exc)
    assert "sk-abc" not in failure.to_json() and "sk-abc" not in english_sentence(exc)


def test_a_crash_that_is_no_provider_error_is_the_unexpected_kind(qapp):
    failure = failure_of(KeyError("choices"))
    assert failure.kind == ErrorKind.UNEXPECTED and failure.detail == "KeyError: 'choices'"
    assert error_sentence(failed(failure)) == (
        "Unexpected error: KeyError: 'choices'. Press Retry to try again.")


def test_an_unknown_kind_from_a_newer_app_shows_its_english_sentence(qapp):
    message = failed(Failure("QuantumError", detail="x"), error="It went quantum.")
    assert error_sentence(message) == "It went quantum."


def test_retry_is_offered_by_state_and_by_kind():
    assert failed(Failure("ServerError")).retryable
    assert not failed(Failure("RejectedError", retryable=False)).retryable
    assert failed(None).retryable  # a row from before kinds


def test_non_retryable_kinds_come_from_the_class_attribute():
    rejected = failure_of(errors.RejectedError("Sorry, your query has been rejected."))
    overflow = failure_of(errors.ContextOverflowError("HTTP 400: exceeds the context"))
    too_long = failure_of(errors.InputTooLongError(700, 512))
    assert [f.retryable for f in (rejected, overflow, too_long)] == [False, False, False]
    assert (too_long.kind, too_long.length, too_long.limit) == ("InputTooLongError", 700, 512)
