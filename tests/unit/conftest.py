"""Fixtures the transcript's unit tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from opchat_gui.ui.transcript.view import Transcript


@pytest.fixture
def view(qapp) -> Iterator[Transcript]:
    """A shown transcript of a fixed size, closed after the test."""
    transcript = Transcript()
    transcript.resize(700, 500)
    transcript.show()
    yield transcript
    transcript.close()
    transcript.deleteLater()
