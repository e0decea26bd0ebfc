"""Light and dark themes: one Theme per mode, applied to the whole app and switched live.

Widgets take colours from the palette (which `ThemeManager.apply` sets). The transcript
colours its text through `char_format(role)`: the format remembers its role, so
`recolour(document, theme)` can repaint text already shown when the theme changes,
without re-rendering the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import TYPE_CHECKING

from PySide6 import QtGui
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from opchat_gui import resources

if TYPE_CHECKING:
    from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument

MODES = ("system", "light", "dark")
# QTextFormat.Property.UserProperty, written out: the text classes (QtGui.QText*, used
# through the module below) load with the transcript, not with the window's first frame.
USER_PROPERTY = 0x100000
ROLE_PROPERTY = USER_PROPERTY + 0x7E1  # foreground role of a format
BACKGROUND_PROPERTY = USER_PROPERTY + 0x7E2  # background role
FUSION_PROPERTY = "opchatFusionStyle"  # set on the QApplication once Fusion is its style


@cache
def _tick() -> str:
    """The checked box's white tick (resources/icons/indicator), as a stylesheet url."""
    return (resources.folder() / "icons" / "indicator" / "check.svg").as_posix()


@dataclass(frozen=True)
class Theme:
    """Every colour the app paints with, for one mode; names are the roles text refers to."""

    name: str
    window: str
    base: str  # the transcript, the composer and lists
    alternate: str
    text: str  # body text: WCAG AA (4.5:1) on base, window and code backgrounds
    muted: str  # time stamps and hints: AA too
    button: str
    border: str
    highlight: str
    highlighted_text: str
    selection: str  # quiet: the list's current row and selections in unfocused views
    link: str
    user: str
    assistant: str
    system: str
    error: str
    warning: str  # stopped, cut off, interrupted
    code_background: str
    code_text: str
    code_keyword: str
    code_string: str
    code_comment: str
    code_number: str
    code_function: str
    notice_background: str
    notice_text: str
    problem_background: str
    problem_text: str

    @property
    def dark(self) -> bool:
        return self.name == "dark"

    def colour(self, role: str) -> QColor:
        return QColor(getattr(self, role))

    def palette(self) -> QPalette:
        palette = QPalette()
        roles = QPalette.ColorRole
        for role, value in (
            (roles.Window, self.window), (roles.WindowText, self.text),
            (roles.Base, self.base), (roles.AlternateBase, self.alternate),
            (roles.Text, self.text), (roles.PlaceholderText, self.muted),
            (roles.Button, self.button), (roles.ButtonText, self.text),
            (roles.BrightText, self.error), (roles.ToolTipBase, self.base),
            (roles.ToolTipText, self.text), (roles.Highlight, self.highlight),
            (roles.HighlightedText, self.highlighted_text), (roles.Link, self.link),
            (roles.LinkVisited, self.system), (roles.Mid, self.border),
            (roles.Midlight, self.alternate), (roles.Dark, self.border),
            (roles.Light, self.base), (roles.Shadow, self.border),
        ):
            palette.setColor(role, QColor(value))
        # A selection in a view without focus turns quiet instead of staying bright.
        inactive = QPalette.ColorGroup.Inactive
        palette.setColor(inactive, roles.Highlight, QColor(self.selection))
        palette.setColor(inactive, roles.HighlightedText, QColor(self.text))
        disabled = QPalette.ColorGroup.Disabled
        for role in (roles.WindowText, roles.Text, roles.ButtonText):
            palette.setColor(disabled, role, QColor(self.muted))
        return palette

    def stylesheet(self) -> str:
        """The few widgets the palette cannot describe: banners and the status line."""
        return (
            f"QLabel#demoBanner {{ background: {self.notice_background};"
            f" color: {self.notice_text}; padding: 6px 10px; border-radius: 4px; }}\n"
            f"QLabel#problemBanner {{ background: {self.problem_background};"
            f" color: {self.problem_text}; padding: 6px 10px; border-radius: 4px; }}\n"
            f"QLabel#conversationHeader {{ font-weight: 600; padding: 4px 2px; }}\n"
            # The first-run pane and the empty conversation (ui/widgets/welcome, empty_hint).
            f"QLabel#welcomeTitle {{ font-size: 20pt; font-weight: 600; }}\n"
            f"QLabel#emptyTarget {{ font-size: 14pt; font-weight: 600; }}\n"
            f"QLabel#welcomeMuted, QLabel#emptyMuted {{ color: {self.muted}; }}\n"
            f"QLabel#welcomeProblem {{ color: {self.problem_text}; }}\n"
            f"QLabel#streamStatus, QLabel#settingHint {{ color: {self.muted}; }}\n"
            # Flat scroll bars: Fusion's gradients cost as much to paint as a screenful of
            # the transcript's text, every frame a stream moves its bar (B1, issue 18).
            f"QScrollBar:vertical {{ background: {self.alternate}; width: 14px; margin: 0;"
            f" border: none; }}\n"
            f"QScrollBar:horizontal {{ background: {self.alternate}; height: 14px; margin: 0;"
            f" border: none; }}\n"
            f"QScrollBar::handle {{ background: {mix(self.border, self.muted, 0.62)};"
            f" border-radius: 4px; margin: 3px; }}\n"
            f"QScrollBar::handle:vertical {{ min-height: 28px; }}\n"
            f"QScrollBar::handle:horizontal {{ min-width: 28px; }}\n"
            f"QScrollBar::handle:hover, QScrollBar::handle:pressed"
            f" {{ background: {self.muted}; }}\n"
            f"QScrollBar::add-line, QScrollBar::sub-line"
            f" {{ width: 0; height: 0; border: none; background: none; }}\n"
            f"QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}\n"
            f"QLabel#streamStatus {{ padding: 0 6px; }}\n"
            f"QTextBrowser#transcript, QPlainTextEdit#composer"
            f" {{ border: 1px solid {self.border}; border-radius: 4px; }}\n"
            f"QListWidget#settingsPages::item:selected"
            f" {{ background: {self.highlight}; color: {self.highlighted_text}; }}\n"
            f"QListWidget#settingsPages::item:hover:!selected {{ background: {self.alternate}; }}\n"
            # The conversation list paints its rows itself (a delegate, with its own focus
            # ring); the column around it is the window's colour with a hairline edge.
            f"QFrame#sidebar {{ background: {self.window}; border: none;"
            f" border-right: 1px solid {self.border}; }}\n"
            f"QToolButton#newChatButton {{ background: {self.base};"
            f" border: 1px solid {self.border}; border-radius: 6px; padding: 6px 10px; }}\n"
            f"QToolButton#newChatButton:hover {{ background: {self.alternate}; }}\n"
            # Keyboard users must see where the focus is (issue 5): a highlight-coloured ring.
            f"QTextBrowser#transcript:focus, QPlainTextEdit#composer:focus,"
            f" QLineEdit:focus, QListView:focus,"
            f" QTableWidget:focus, QKeySequenceEdit:focus"
            f" {{ border: 2px solid {self.highlight}; border-radius: 4px; }}\n"
            f"QListView#conversationList, QListView#conversationList:focus"
            f" {{ border: none; background: transparent; }}\n"
            f"Overlay {{ background: {self.base}; border: 1px solid {self.border};"
            f" border-radius: 8px; }}\n"
            # Rows with room to breathe in the panels and the settings' lists.
            f"#overlayList::item {{ padding: 4px 6px; }}\n"
            f"QListWidget#settingsPages::item, QListWidget#providerList::item"
            f" {{ padding: 2px 8px; }}\n"
            # A text field's edge in both themes (Fusion's vanished on the dark window);
            # the field inside a spin box or combo box has its parent's edge.
            f"QLineEdit {{ background: {self.base}; border: 1px solid {self.border};"
            f" border-radius: 4px; padding: 3px 4px; }}\n"
            f"QPlainTextEdit {{ border: 1px solid {self.border}; border-radius: 4px; }}\n"
            f"QAbstractSpinBox QLineEdit, QComboBox QLineEdit"
            f" {{ border: none; padding: 0; background: transparent; }}\n"
            # Check boxes and radio buttons: Fusion's edge is a shade off the window colour
            # and vanished in the dark theme. A muted edge (3:1 and more on base), the
            # highlight colour filled with a white tick or dot when on, a ring on focus.
            f"QCheckBox::indicator, QRadioButton::indicator {{ width: 14px; height: 14px;"
            f" background: {self.base}; border: 1px solid {self.muted}; }}\n"
            f"QCheckBox::indicator {{ border-radius: 3px; }}\n"
            f"QRadioButton::indicator {{ border-radius: 8px; }}\n"
            f"QCheckBox::indicator:hover, QRadioButton::indicator:hover"
            f" {{ border-color: {self.highlight}; }}\n"
            f"QCheckBox::indicator:checked {{ background: {self.highlight};"
            f" border-color: {self.highlight}; image: url({_tick()}); }}\n"
            f"QRadioButton::indicator:checked {{ border-color: {self.highlight};"
            f" background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,"
            f" stop:0 {self.highlight}, stop:0.5 {self.highlight},"
            f" stop:0.6 {self.base}, stop:1 {self.base}); }}\n"
            f"QCheckBox::indicator:focus, QRadioButton::indicator:focus"
            f" {{ border: 2px solid {self.highlight}; width: 12px; height: 12px; }}\n"
            f"QCheckBox::indicator:checked:focus, QRadioButton::indicator:checked:focus"
            f" {{ border: 2px solid {self.text}; }}\n"
            f"QCheckBox::indicator:disabled, QRadioButton::indicator:disabled"
            f" {{ border-color: {self.border}; background: {self.alternate}; }}\n"
            # Read-only but on (a provider the command line made): the tick stays visible.
            f"QCheckBox::indicator:checked:disabled {{ background: {self.muted};"
            f" border-color: {self.muted}; }}\n"
            f"QRadioButton::indicator:checked:disabled {{ border-color: {self.muted};"
            f" background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,"
            f" stop:0 {self.muted}, stop:0.5 {self.muted},"
            f" stop:0.6 {self.alternate}, stop:1 {self.alternate}); }}\n"
            # Menus: Fusion draws their edge and separators a shade off the window colour,
            # which vanishes in the dark theme.
            # The composer's attachments (ui/widgets/attachment_chips) and the viewer's hint.
            f"#attachmentChip {{ background: {self.base}; border: 1px solid {self.border};"
            f" border-radius: 6px; }}\n"
            f"#attachmentChip[focused=\"true\"] {{ border: 2px solid {self.highlight}; }}\n"
            f"QLabel#attachmentThumb {{ background: {self.alternate}; color: {self.muted};"
            f" border-radius: 4px; font-weight: 600; }}\n"
            f"QToolButton#attachmentRemove {{ border: none; color: {self.muted};"
            f" padding: 0 4px; }}\n"
            f"QToolButton#attachmentRemove:hover {{ color: {self.error}; }}\n"
            f"QLabel#viewerHint {{ color: {self.muted}; }}\n"
            f"QMenu {{ background: {self.base}; border: 1px solid {self.border}; }}\n"
            f"QMenu::separator {{ height: 1px; background: {self.border}; margin: 4px 8px; }}\n"
            f"QMenu::item:selected {{ background: {self.highlight};"
            f" color: {self.highlighted_text}; }}\n"
        )


LIGHT = Theme(
    name="light", window="#f3f4f6", base="#ffffff", alternate="#f6f8fa", text="#1f2328",
    muted="#59636e", button="#eceef1", border="#d0d7de", highlight="#0969da",
    highlighted_text="#ffffff", selection="#dde4ec", link="#0860ca", user="#0550ae",
    assistant="#116329",
    system="#6639ba", error="#cf222e", warning="#875a00", code_background="#f6f8fa",
    code_text="#1f2328", code_keyword="#cf222e", code_string="#0a3069",
    code_comment="#59636e", code_number="#0550ae", code_function="#8250df",
    notice_background="#fff8c5", notice_text="#4d2d00", problem_background="#ffebe9",
    problem_text="#82071e",
)

DARK = Theme(
    name="dark", window="#161b22", base="#0d1117", alternate="#151b23", text="#e6edf3",
    muted="#9198a1", button="#21262d", border="#3d444d", highlight="#1f6feb",
    highlighted_text="#ffffff", selection="#2b3340", link="#58a6ff", user="#79c0ff",
    assistant="#7ee787",
    system="#d2a8ff", error="#ff7b72", warning="#d29922", code_background="#161b22",
    code_text="#e6edf3", code_keyword="#ff7b72", code_string="#a5d6ff",
    code_comment="#9198a1", code_number="#79c0ff", code_function="#d2a8ff",
    notice_background="#3b2e00", notice_text="#f2cc60", problem_background="#3c1618",
    problem_text="#ffaba8",
)

THEMES = {"light": LIGHT, "dark": DARK}
ROLES = tuple(f.name for f in fields(Theme) if f.name != "name")


def mix(first: str, second: str, share: float) -> str:
    """`first` with `share` of `second` blended in, as #rrggbb."""
    a, b = QColor(first), QColor(second)
    parts = (round(x + (y - x) * share) for x, y in
             ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue())))
    return "#" + "".join(f"{part:02x}" for part in parts)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21; body text needs 4.5 for AA."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def char_format(theme: Theme, role: str | None = None, background: str | None = None
                ) -> QTextCharFormat:
    """A character format in a theme role's colour that `recolour` can repaint later."""
    fmt = QtGui.QTextCharFormat()
    if role:
        fmt.setForeground(theme.colour(role))
        fmt.setProperty(ROLE_PROPERTY, role)
    if background:
        fmt.setBackground(theme.colour(background))
        fmt.setProperty(BACKGROUND_PROPERTY, background)
    return fmt


def block_background(fmt: QTextBlockFormat, theme: Theme, role: str) -> QTextBlockFormat:
    """Give a block (a code block, say) a themed background `recolour` can repaint."""
    fmt.setBackground(theme.colour(role))
    fmt.setProperty(BACKGROUND_PROPERTY, role)
    return fmt


def recolour(document: QTextDocument, theme: Theme) -> None:
    """Repaint every themed format in `document` in `theme`'s colours; one pass, one undo step."""
    cursor = QtGui.QTextCursor(document)
    cursor.beginEditBlock()
    block = document.begin()
    while block.isValid():
        block_fmt = block.blockFormat()
        role = block_fmt.property(BACKGROUND_PROPERTY)
        if isinstance(role, str) and role in ROLES:
            cursor.setPosition(block.position())
            update = QtGui.QTextBlockFormat()
            update.setBackground(theme.colour(role))
            cursor.mergeBlockFormat(update)
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid():
                _repaint(cursor, fragment.position(), fragment.length(), fragment.charFormat(),
                         theme)
            iterator += 1
        block = block.next()
    cursor.endEditBlock()


def _repaint(cursor: QTextCursor, start: int, length: int, fmt: QTextCharFormat,
             theme: Theme) -> None:
    role = fmt.property(ROLE_PROPERTY)
    background = fmt.property(BACKGROUND_PROPERTY)
    update = QtGui.QTextCharFormat()
    if isinstance(role, str) and role in ROLES:
        update.setForeground(QtGui.QBrush(theme.colour(role)))
    if isinstance(background, str) and background in ROLES:
        update.setBackground(QtGui.QBrush(theme.colour(background)))
    if update.properties():
        cursor.setPosition(start)
        cursor.setPosition(start + length, QtGui.QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(update)


class ThemeManager(QObject):
    """Holds the mode (system, light or dark) and the theme it means; emits `changed`."""

    changed = Signal(object)  # the new Theme

    def __init__(self, mode: str = "system", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = mode if mode in MODES else "system"
        hints = QGuiApplication.styleHints()
        self._system_scheme = hints.colorScheme()
        self.theme = self._resolve()
        hints.colorSchemeChanged.connect(self._on_scheme_changed)

    def close(self) -> None:
        """Stop following the desktop (a closed window's manager must not repaint the app)."""
        QGuiApplication.styleHints().colorSchemeChanged.disconnect(self._on_scheme_changed)

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        self._mode = mode if mode in MODES else "system"
        self.apply()

    def apply(self) -> None:
        """Paint the app with the current theme and tell the windows; works at any time."""
        self.theme = self._resolve()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if app.property(FUSION_PROPERTY) is not True:
                # Fusion is the one style that honours a palette everywhere. Set it once:
                # under a style sheet app.style().name() is "", and setting the style again
                # re-polishes every widget and drops the fonts set in code (the transcript
                # shrank from 11 to 9 pt on each theme switch).
                app.setStyle("Fusion")
                app.setProperty(FUSION_PROPERTY, True)
            # A new style sheet re-polishes every widget, and Qt's style sheet style then
            # resets the fonts set in code inside a QSplitter to the app's font: note them
            # first and give them back after.
            fonts = {widget: widget.font() for widget in app.allWidgets()
                     if widget.font().resolveMask()}
            app.setPalette(self.theme.palette())
            app.setStyleSheet(self.theme.stylesheet())
            for widget, font in fonts.items():
                if widget.font() != font:
                    widget.setFont(font)
        self.changed.emit(self.theme)

    def _resolve(self) -> Theme:
        if self._mode in THEMES:
            return THEMES[self._mode]
        return DARK if self._system_scheme == Qt.ColorScheme.Dark else LIGHT

    def _on_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        self._system_scheme = scheme
        if self._mode == "system":
            self.apply()
