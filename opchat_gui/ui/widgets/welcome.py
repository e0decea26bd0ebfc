"""The first-run pane: what the app is, the servers found on this machine, and the ways to
start chatting, each one key away. The choice becomes the default provider.

The pane shows what the start-up probe already knows and updates when it finishes: it
never waits for the network itself. The forms use the provider fields' own labels and
help (config/provider_entries.FIELDS), so they say what the Providers page says.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.chat.provider_service import (
    DEMO_ID,
    FIELDS,
    PRESETS,
    ProviderEntry,
    ProviderService,
)
from opchat_gui.core.text import fill

COLUMN_WIDTH = 620  # pixels: a readable column in a wide window
FIXED_CHOICES = ("site", "openai", "demo")  # keys 1, 2, 3; servers found here follow


def web_address(text: str) -> str | None:
    """`text` as an http(s) address ("example.com" gets https://), or None if it is not one."""
    text = text.strip().rstrip("/")
    if not text or any(c.isspace() for c in text):
        return None
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = parts.hostname or ""
    dotted = "." in host.strip(".") or host == "localhost"
    if parts.scheme not in ("http", "https") or not host or not dotted:
        return None
    return text


class WelcomePane(QWidget):
    chosen = Signal()  # a provider is now the default: start chatting
    demoRequested = Signal()  # start the built-in demo server (the program does it)

    def __init__(self, providers: ProviderService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePane")
        self.providers = providers
        self.mode = ""  # "", "site" or "openai": which form is open
        self.pending_id = ""  # an OpenAI-compatible entry saved to list its models
        self.waiting_for_demo = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.title = QLabel(self.tr("Welcome to opchat-gui"))
        self.title.setObjectName("welcomeTitle")
        self.about = QLabel(self.tr(
            "A fast, keyboard-driven chat app for AI models. It talks to WordPress sites "
            "running the AI Engine chatbot and to OpenAI-compatible servers (Ollama, LM "
            "Studio, llama.cpp, OpenAI, OpenRouter), and keeps every conversation on this "
            "computer. Choose where replies come from:"))
        self.about.setWordWrap(True)
        self.found = QLabel()
        self.found.setObjectName("welcomeFound")
        self.found.setWordWrap(True)
        self.choices = QVBoxLayout()
        self.choices.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        self.shut_down = QLabel(self.tr(
            "Opchatgpts (opchatgpts.net), the service this app was first written for, has "
            "shut down. It stays in the provider list for reference, and is never chosen "
            "for you."))
        self.shut_down.setObjectName("welcomeMuted")
        self.shut_down.setWordWrap(True)

        self.form_title = QLabel()
        self.form_title.setObjectName("welcomeFormTitle")
        self.address = QLineEdit()
        self.address.setObjectName("welcomeAddress")
        self.api_key = QLineEdit()
        self.api_key.setObjectName("welcomeApiKey")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.model = QComboBox()
        self.model.setObjectName("welcomeModel")
        self.model.setEditable(True)
        self.form = QFormLayout()
        labels = {f.name: f for f in FIELDS}
        for name, editor in (("url", self.address), ("api_key", self.api_key),
                             ("model", self.model)):
            field = labels[name]
            editor.setToolTip(self.tr(field.help))
            editor.setAccessibleName(self.tr(field.label))
            label = QLabel(self.tr(field.label))
            label.setBuddy(editor)
            self.form.addRow(label, editor)
        self.problem = QLabel()
        self.problem.setObjectName("welcomeProblem")
        self.problem.setWordWrap(True)
        self.use = QPushButton(self.tr("Use it"))
        self.use.setObjectName("welcomeUse")
        self.use.clicked.connect(self.submit)
        self.back = QPushButton(self.tr("Back"))
        self.back.clicked.connect(self.close_form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.use)
        self.form_box = QWidget()
        box = QVBoxLayout(self.form_box)
        box.setContentsMargins(0, 8, 0, 0)
        box.addWidget(self.form_title)
        box.addLayout(self.form)
        box.addWidget(self.problem)
        box.addLayout(buttons)
        self.form_box.hide()
        for editor in (self.address, self.api_key):
            editor.returnPressed.connect(self.submit)
        self.model.lineEdit().returnPressed.connect(self.submit)
        self.hint = QLabel()
        self.hint.setObjectName("welcomeMuted")

        column = QWidget()
        column.setMaximumWidth(COLUMN_WIDTH)
        inner = QVBoxLayout(column)
        inner.setSpacing(10)
        for widget in (self.title, self.about, self.found):
            inner.addWidget(widget)
        inner.addLayout(self.choices)
        inner.addWidget(self.form_box)
        inner.addWidget(self.shut_down)
        inner.addWidget(self.hint)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(column, 4)
        outer.addStretch(1)
        outer.setAlignment(column, Qt.AlignmentFlag.AlignVCenter)

        providers.changed.connect(self.refresh)
        providers.modelsListed.connect(self._on_models)
        self.refresh()

    # What is on offer

    def local_entries(self) -> list[ProviderEntry]:
        """The servers the probe found on this machine (entries named after local presets)."""
        local = {p.key for p in PRESETS if p.local}
        return [e for e in self.providers.entries() if e.id in local]

    def choice_ids(self) -> list[str]:
        return [*FIXED_CHOICES, *(e.id for e in self.local_entries())]

    def refresh(self) -> None:
        """Rebuild the choices (the probe found a server, the demo server started)."""
        if self.waiting_for_demo and self.providers.default_id() == DEMO_ID:
            self.waiting_for_demo = False
            self.chosen.emit()
            return
        local = self.local_entries()
        if local:
            self.found.setText(fill(self.tr("Found on this machine: %1."),
                                    ", ".join(f"{e.name} ({e.url})" for e in local)))
        elif self.providers.probed:
            self.found.setText(self.tr("No local server (Ollama, LM Studio, llama.cpp) "
                                       "answered on this machine."))
        else:
            self.found.setText(self.tr("Looking for local servers (Ollama, LM Studio, "
                                       "llama.cpp) on this machine…"))
        texts = {
            "site": self.tr("Add an AI Engine site (its address; the rest is automatic)"),
            "openai": self.tr("Add an OpenAI-compatible server (address, key, model)"),
            "demo": self.tr("Try the offline demo (a built-in local server)"),
        }
        for entry in local:
            texts[entry.id] = fill(self.tr("Use %1 at %2"), entry.name, entry.url)
        for button in self.buttons.values():
            self.choices.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        for number, choice in enumerate(self.choice_ids(), start=1):
            button = QPushButton(f"{number}   {texts[choice]}")
            button.setObjectName(f"welcome_{choice}")
            button.setStyleSheet("text-align: left; padding: 8px 12px;")
            button.clicked.connect(lambda _checked=False, c=choice: self.choose(c))
            self.choices.addWidget(button)
            self.buttons[choice] = button
        self.hint.setText(fill(self.tr("Press 1–%1 to choose · Esc starts chatting with "
                                       "the current default"), len(self.buttons)))

    # Choosing

    def event(self, event: QEvent) -> bool:
        """Esc is the window's stop key: here it closes the form or skips the pane."""
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if self.mode == "" and text.isdigit() and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            choices = self.choice_ids()
            number = int(text)
            if 1 <= number <= len(choices):
                self.choose(choices[number - 1])
                return
        if event.key() == Qt.Key.Key_Escape:
            if self.mode:
                self.close_form()
            else:
                self.chosen.emit()
            return
        super().keyPressEvent(event)

    def choose(self, choice: str) -> None:
        if choice in ("site", "openai"):
            self.open_form(choice)
        elif choice == "demo":
            self.waiting_for_demo = True
            self.found.setText(self.tr("Starting the demo server…"))
            self.demoRequested.emit()
        else:
            self.providers.set_default(choice)
            self.chosen.emit()

    def open_form(self, mode: str) -> None:
        self.mode = mode
        self.problem.clear()
        self.address.clear()
        self.api_key.clear()
        self.model.clear()
        openai = mode == "openai"
        self.form_title.setText(self.tr("Add an OpenAI-compatible server") if openai
                                else self.tr("Add an AI Engine site"))
        self.address.setPlaceholderText("http://localhost:11434/v1" if openai
                                        else "https://example.com")
        for editor in (self.api_key, self.model):
            editor.setVisible(openai)
            label = self.form.labelForField(editor)
            if label is not None:
                label.setVisible(openai)
        for button in self.buttons.values():
            button.setEnabled(False)
        self.form_box.show()
        self.address.setFocus()

    def close_form(self) -> None:
        if self.pending_id:
            self.providers.remove(self.pending_id)  # listed but never used
            self.pending_id = ""
        self.mode = ""
        self.form_box.hide()
        for button in self.buttons.values():
            button.setEnabled(True)
        self.setFocus()

    def submit(self) -> None:
        """Enter in the form: check the address, then add the site or list the models."""
        url = web_address(self.address.text())
        if url is None:
            self.problem.setText(fill(self.tr(
                "“%1” is not a web address. Type one such as https://example.com or "
                "http://localhost:11434/v1."), self.address.text().strip()))
            self.address.setFocus()
            return
        host = urlsplit(url).netloc
        if self.mode == "site":
            entry = self.providers.save({"name": f"AI Engine · {host}", "kind": "aiengine",
                                         "url": url})
            self._done(entry.id)
            return
        model = self.model.currentText().strip()
        values = {"name": host, "kind": "openai", "url": url, "model": model,
                  "api_key": self.api_key.text()}
        entry = self.providers.save(values, self.pending_id or None)
        if model:  # listed and chosen, or typed
            self._done(entry.id)
            return
        self.pending_id = entry.id
        self.problem.setText(self.tr("Asking the server for its models…"))
        self.providers.list_models(entry.id)

    def _on_models(self, provider_id: str, models: object, error: str) -> None:
        if provider_id != self.pending_id or self.mode != "openai":
            return
        if error:
            self.problem.setText(fill(self.tr("The server did not list its models: %1"),
                                      error))
            return
        names = [str(m) for m in models] if isinstance(models, list) else []
        self.model.clear()
        self.model.addItems(names)
        if names:
            self.problem.setText(self.tr("Choose a model, then press Enter."))
        else:
            self.problem.setText(self.tr("The server listed no models: type the model's "
                                         "name, then press Enter."))
        self.model.setFocus()

    def _done(self, provider_id: str) -> None:
        self.pending_id = ""
        self.mode = ""
        self.form_box.hide()
        self.providers.set_default(provider_id)
        self.chosen.emit()
