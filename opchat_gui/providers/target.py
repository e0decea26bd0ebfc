"""Where a conversation's replies come from; Qt-free so configuration code can build one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from opchat_gui.providers.base import AsyncGeneratorProvider
from opchat_gui.providers.errors import ProviderError


@dataclass(frozen=True)
class StreamTarget:
    """A provider class and the options of one call: what ChatService streams from."""

    provider: type[AsyncGeneratorProvider]
    model: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""
    kind: str = ""  # the provider entry's kind ("openai", "aiengine", ...), when known

    def check_input(self, text: str) -> str | None:
        """The sentence saying why `text` would be refused by this target, or None (Qt-free)."""
        return self.provider.check_input(text, **self.options)

    def input_error(self, text: str) -> ProviderError | None:
        """The error `text` would end in, known without sending, or None (Qt-free)."""
        return self.provider.input_error(text, **self.options)
