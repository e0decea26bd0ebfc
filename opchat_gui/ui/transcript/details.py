"""What a reply was made with, where a user looks for it: the tool tip of the (i) icon
under the reply, and the details box that icon (or the context menu) opens.

The stream engine keeps it in the reply's `meta` (core.messages.request_info): the
provider, the model and the generation settings that were sent. Replies from before it
was kept have none, and show no icon.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from opchat_gui.config import generation
from opchat_gui.core.messages import Message, request_info
from opchat_gui.core.text import fill

translate = QCoreApplication.translate


def has_details(message: Message) -> bool:
    return message.role == "assistant" and bool(request_info(message))


def settings_line(info: dict[str, object]) -> str:
    """The generation settings sent, one phrase: "Temperature 0.7 · Top p 0.95"."""
    settings = info.get("settings")
    values = generation.cleaned(settings) if isinstance(settings, dict) else {}
    if values:
        shown = [f"{translate('Generation', field.label)} {generation.shown(name, values[name])}"
                 for name, field in generation.BY_NAME.items() if name in values]
        return fill(translate("Transcript", "Settings sent: %1"), " · ".join(shown))
    if str(info.get("kind") or "openai") not in generation.KINDS_TAKING_SETTINGS:
        return translate("Transcript", "Settings: the bot's own, set on the site")
    return translate("Transcript", "Settings: the server's defaults (none were sent)")


def details_text(message: Message) -> str:
    """The lines the tool tip and the details box show; '' when nothing was kept."""
    info = request_info(message)
    if not info:
        return ""
    label = str(info.get("label") or "")
    model = str(info.get("model") or "")
    made_with = label if not model or model in label else f"{label} · {model}"
    lines = [fill(translate("Transcript", "Made with %1"), made_with or "?"),
             settings_line(info)]
    return "\n".join(lines)


def show_details(parent: QWidget, message: Message) -> QMessageBox:
    """The details box: the same lines, selectable, closed with Esc or Enter."""
    box = QMessageBox(QMessageBox.Icon.Information, translate("Transcript", "Reply details"),
                      details_text(message), QMessageBox.StandardButton.Close, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.open()
    return box
