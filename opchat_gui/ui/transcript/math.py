"""Formulas in the transcript: images drawn from render/math.py's SVG with QtSvg.

Each formula is one image character in the document, named
`opchat-math:<state>/<display>/<colour>/<width>/<height>/<top>/<source>`: the name
carries everything needed to draw it again (the view's `loadResource` answers this
scheme and nothing else, so nothing is ever fetched) and to copy it (its LaTeX source).
The image is drawn in the theme's text colour at the transcript's font size and
device pixel ratio; a theme switch or zoom writes new names, so Qt's own per-document
resource cache never shows a stale tint.

Typesetting a new formula costs 5-50 ms (ziamath is pure Python), too much for a
reply with hundreds of them to open within a frame budget. So each event-loop turn
typesets at most SYNC_BUDGET of new formulas; the rest go in as placeholders of
their source (state `wait`) and are typeset in slices afterwards, the ones Qt asks
to paint (those on screen) first, then patched in place: one image character's
format changes, so no position in the document moves.

Inline formulas sit on the text's baseline: Qt centres an AlignMiddle image on
x-height/2 above the baseline, so the image is padded (transparent) to put the
formula's own baseline exactly there.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter

from PySide6.QtCore import QByteArray, QObject, QPoint, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetricsF,
    QImage,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QTextBrowser

from opchat_gui.render.colours import TranscriptColours
from opchat_gui.render.math import MathHtml, TypesetCache, ready, source_html
from opchat_gui.ui.transcript.index import MessageIndex

SCHEME = "opchat-math:"
READY, WAIT = "ok", "wait"
MATH_X_HEIGHT = 0.46  # STIX Two Math's x-height, in em (UI fonts' are larger: ~0.5-0.55)
FOLLOW_SLACK = 24  # pixels from the bottom that still count as "at the bottom" (the view's)
SYNC_BUDGET = 0.025  # seconds of new typesetting per event-loop turn; the rest waits
TICK_BUDGET = 0.012  # seconds of typesetting per background slice
MAX_IMAGE_PIXELS = 16_000_000  # a bigger formula image is not drawn (64 MB)
# Drawn images kept (same formula, colour, size -> the same image). Each document also
# keeps the images it showed, so this only has to span a theme switch back and reopening.
IMAGE_CACHE = 256


Metrics = tuple[float, float, QFontMetricsF]  # see MathImages.metrics


@dataclass(frozen=True)
class Shown:
    """How one formula goes into the document."""

    name: str  # the image name ("" when broken: the source shows as code)
    width: int
    height: int


def parse_name(name: str) -> tuple[str, bool, str, int, int, int, str] | None:
    """(state, display, colour, width, height, top, source) of a formula image name."""
    if not name.startswith(SCHEME):
        return None
    parts = name[len(SCHEME):].split("/", 6)
    if len(parts) != 7:
        return None
    state, display, colour, width, height, top, source = parts
    try:
        return (state, display == "d", "#" + colour, int(width), int(height), int(top),
                bytes.fromhex(source).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def latex_of(source: str) -> str:
    for opening, closing in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if source.startswith(opening) and source.endswith(closing) \
                and len(source) >= len(opening) + len(closing):
            return source[len(opening):len(source) - len(closing)].strip()
    return source


class MathImages(QObject):
    def __init__(self, view: QTextBrowser, index: MessageIndex,
                 colours: Callable[[], TranscriptColours],
                 rewrite: Callable[[int], None]) -> None:
        super().__init__(view)
        self.view = view
        self.index = index
        self._colours = colours  # the transcript's current colours
        self._rewrite = rewrite  # redraw one message (a zoom)
        self.typeset = TypesetCache()
        self._images: OrderedDict[tuple[str, float], QImage] = OrderedDict()
        self._queue: OrderedDict[tuple[str, bool], None] = OrderedDict()  # to typeset
        self._waiting: dict[int, set[tuple[str, bool]]] = {}  # message -> its placeholders
        self.with_math: set[int] = set()  # messages that show a formula
        self._mono_font: QFont | None = None
        self._spent = 0.0  # seconds of typesetting this event-loop turn
        self._turn_reset = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.step)

    # Writing formulas (MessageWriter asks)

    def html_for(self, message_id: int, colours: TranscriptColours) -> MathHtml:
        """The Markdown renderer's formula callback for one message."""
        # Asked at the first formula and kept for the rest: fonts are costly to ask per
        # formula, and most renders (a streamed reply's every update) have none.
        asked: list[Metrics] = []

        def html(source: str, latex: str, display: bool) -> str:
            if not asked:
                asked.append(self.metrics())
            shown = self.shown(message_id, source, latex, display, colours, asked[0])
            if not shown.name:
                return source_html(source, display, colours.inline_code_bg)
            return (f'<img src="{_escape(shown.name)}" width="{shown.width}"'
                    f' height="{shown.height}" style="vertical-align: middle">')
        return html

    def insert(self, cursor: QTextCursor, message_id: int, source: str, latex: str,
               display: bool, colours: TranscriptColours, fmt: QTextCharFormat) -> None:
        """A formula in plain text (the user's messages), at the cursor."""
        shown = self.shown(message_id, source, latex, display, colours)
        if not shown.name:
            cursor.insertText(source, _code_format(colours))
            cursor.setCharFormat(fmt)
            return
        cursor.insertImage(_image_format(shown))
        cursor.setCharFormat(fmt)

    def shown(self, message_id: int, source: str, latex: str, display: bool,
              colours: TranscriptColours, metrics: Metrics | None = None) -> Shown:
        """Typeset now (cached, or within this turn's budget) or leave a placeholder.
        `metrics`: (math font px, half the text's x-height), from `metrics()`."""
        self.with_math.add(message_id)
        key = (latex, display)
        colour = colours.text.lstrip("#")
        if key not in self.typeset and not self._may_typeset():
            self._queue[key] = None
            self._waiting.setdefault(message_id, set()).add(key)
            self._timer.start(0)
            width, height = self._placeholder_size(source, metrics)
            return Shown(_name(WAIT, display, colours.muted.lstrip("#"), width, height, 0,
                               source), width, height)
        started = perf_counter()
        result = self.typeset.get(latex, display)
        self._spent += perf_counter() - started
        if result is None:
            return Shown("", 0, 0)
        px, half_x, _mono_metrics = metrics or self.metrics()
        width, ascent, descent = result.scaled(px)
        # AlignMiddle: Qt puts an image's middle x-height/2 above the baseline (display
        # formulas too: it keeps a formula in a paragraph, `a $$x$$ b`, on the line).
        above = max(ascent, descent + half_x)
        below = above - half_x
        top = math.ceil(above - ascent)
        height = math.ceil(above + below)
        return Shown(_name(READY, display, colour, math.ceil(width), height, top, source),
                     math.ceil(width), height)

    def metrics(self) -> Metrics:
        """(math font px, half the text's x-height, the placeholders' font metrics).
        The math font size is the one whose x-height is the text's, so letters in
        formulas and around them look the same size whatever the font."""
        font = self.view.font()
        x_height = QFontMetricsF(font).xHeight()
        mono = QFontMetricsF(self._mono())
        if x_height <= 0:
            return QFontInfo(font).pixelSize() * 1.2, 0.0, mono
        return x_height / MATH_X_HEIGHT, x_height / 2, mono

    def defer_this_turn(self) -> None:
        """Typeset nothing new until the event loop turns (a conversation opens: its
        first paint must not wait for ziamath; what is on screen is typeset first)."""
        self._start_turn()
        self._spent = SYNC_BUDGET

    def _may_typeset(self) -> bool:
        self._start_turn()
        # Not loaded yet: the import costs more than a frame, so the background does it.
        return ready() and self._spent < SYNC_BUDGET

    def _start_turn(self) -> None:
        """Budgets are per event-loop turn: the next turn starts afresh."""
        if not self._turn_reset:
            self._turn_reset = True
            QTimer.singleShot(0, self, self._new_turn)

    def _new_turn(self) -> None:
        self._spent = 0.0
        self._turn_reset = False

    def _mono(self) -> QFont:
        """The placeholders' font (the transcript's size, fixed pitch), kept per size."""
        size = self.view.font().pointSizeF()
        if self._mono_font is None or self._mono_font.pointSizeF() != size:
            self._mono_font = _mono(self.view.font())
        return self._mono_font

    def _placeholder_size(self, source: str, metrics: Metrics | None) -> tuple[int, int]:
        mono = (metrics or self.metrics())[2]
        width = min(mono.horizontalAdvance(source), 0.8 * self.view.viewport().width())
        return max(1, math.ceil(width)), math.ceil(mono.height())

    # Drawing (the view's loadResource asks)

    def image(self, name: str) -> QImage | None:
        parsed = parse_name(name)
        if parsed is None:
            return None
        state, display, colour, width, height, top, source = parsed
        dpr = self.view.devicePixelRatioF()
        if width * height * dpr * dpr > MAX_IMAGE_PIXELS:
            return None  # a pathological formula: its box stays empty rather than eat memory
        cache_key = (name, dpr)
        cached = self._images.get(cache_key)
        if cached is not None:
            self._images.move_to_end(cache_key)
            return cached
        image = QImage(max(1, math.ceil(width * dpr)), max(1, math.ceil(height * dpr)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(dpr)
        image.fill(Qt.GlobalColor.transparent)
        if state == WAIT:
            key = (latex_of(source), display)
            if key in self._queue:  # on screen: typeset it before the others
                self._queue.move_to_end(key, last=False)
                self._timer.start(0)
            _draw_source(image, source, QColor(colour), self._mono())
        else:
            result = self.typeset.get(latex_of(source), display)
            if result is None:
                return None
            _draw_svg(image, result.svg, QColor(colour), top, width, height)
        self._images[cache_key] = image
        if len(self._images) > IMAGE_CACHE:
            self._images.popitem(last=False)
        return image

    # Copying

    @staticmethod
    def source(fmt: QTextFormat) -> str | None:
        """The LaTeX source of a formula image's format (None: not a formula)."""
        if not fmt.isImageFormat():
            return None
        parsed = parse_name(fmt.toImageFormat().name())
        return None if parsed is None else parsed[6]

    # The background: typesetting what waits, patching it in

    @property
    def busy(self) -> bool:
        """Formulas still wait to be typeset or patched in."""
        return bool(self._queue or self._waiting)

    def clear(self) -> None:
        """Another conversation opens: what waited for the last one no longer matters."""
        self._timer.stop()
        self._queue.clear()
        self._waiting.clear()
        self.with_math.clear()

    def forget(self, message_id: int) -> None:
        self._waiting.pop(message_id, None)
        self.with_math.discard(message_id)

    def joined(self) -> None:
        """Older messages joined the view: patch what they waited for."""
        if self._waiting:
            self._timer.start(0)

    def refresh(self) -> None:
        """The font changed (zoom): redraw the messages that show formulas at the new size."""
        for message_id in list(self.with_math):
            if message_id in self.index:
                self._rewrite(message_id)

    def finish_all(self) -> None:
        """Typeset and patch everything now (tests, and before a whole-transcript copy)."""
        while self.busy:
            self.step(budget=None)

    def step(self, budget: float | None = TICK_BUDGET) -> None:
        """One background slice: typeset the next formulas (at least one) for `budget`
        seconds (None: all), then patch what is ready into the document."""
        started = perf_counter()
        while self._queue:
            latex, display = next(iter(self._queue))
            del self._queue[(latex, display)]
            self.typeset.get(latex, display)
            if budget is not None and perf_counter() - started >= budget:
                break
        self._patch()
        if self._queue:
            self._timer.start(0)

    def _patch(self) -> None:
        """Swap placeholders whose formula is typeset for the formula, message by message,
        keeping what is on screen where it is (formulas above it change height)."""
        ready_now = [(message_id, {key for key in keys if key in self.typeset})
                     for message_id, keys in self._waiting.items() if message_id in self.index]
        ready_now = [(message_id, done) for message_id, done in ready_now if done]
        if not ready_now:
            return  # the rest wait for messages not in the view yet: joined() resumes
        bar = self.view.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - FOLLOW_SLACK
        layout = self.view.document().documentLayout()
        anchor = self.view.cursorForPosition(QPoint(0, 0))  # moves with the edits
        offset = layout.blockBoundingRect(anchor.block()).top() - bar.value()
        for message_id, done in ready_now:
            self._patch_message(message_id, done)
            keys = self._waiting[message_id]
            keys -= done
            if not keys:
                del self._waiting[message_id]
        if at_bottom:
            bar.setValue(bar.maximum())
        else:
            bar.setValue(round(layout.blockBoundingRect(anchor.block()).top() - offset))

    def _patch_message(self, message_id: int, done: set[tuple[str, bool]]) -> None:
        document = self.view.document()
        selected = self.index.range(message_id, document)
        start, end = selected.selectionStart(), selected.selectionEnd()
        found: list[tuple[int, bool, str]] = []  # (position, display, source)
        block = document.findBlock(start)
        while block.isValid() and block.position() <= end:
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    parsed = parse_name(fmt.toImageFormat().name())
                    if parsed is not None and parsed[0] == WAIT \
                            and (latex_of(parsed[6]), parsed[1]) in done:
                        found.append((fragment.position(), parsed[1], parsed[6]))
                it += 1
            block = block.next()
        if not found:
            return
        colours = self._colours()
        metrics = self.metrics()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        for position, display, source in reversed(found):  # from the end: positions hold
            shown = self.shown(message_id, source, latex_of(source), display, colours,
                               metrics)
            cursor.setPosition(position)
            cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
            if shown.name:
                cursor.setCharFormat(_image_format(shown))
            else:  # broken: its source, as code
                cursor.insertText(source, _code_format(colours))
        cursor.endEditBlock()


def _code_format(colours: TranscriptColours) -> QTextCharFormat:
    code = QTextCharFormat()
    code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    code.setBackground(QColor(colours.inline_code_bg))
    return code


def _name(state: str, display: bool, colour: str, width: int, height: int, top: int,
          source: str) -> str:
    return (f"{SCHEME}{state}/{'d' if display else 'i'}/{colour}/{width}/{height}/{top}/"
            + source.encode("utf-8").hex())  # hex: no character QUrl would change


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _image_format(shown: Shown) -> QTextImageFormat:
    fmt = QTextImageFormat()
    fmt.setName(shown.name)
    fmt.setWidth(shown.width)
    fmt.setHeight(shown.height)
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
    return fmt


def _mono(font: QFont) -> QFont:
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    mono.setPointSizeF(font.pointSizeF() if font.pointSizeF() > 0 else mono.pointSizeF())
    return mono


def _draw_svg(image: QImage, svg: bytes, colour: QColor, top: int, width: int,
              height: int) -> None:
    """The SVG in `colour`: drawn black, then its coverage filled with the colour."""
    renderer = QSvgRenderer(QByteArray(svg))
    box = renderer.viewBoxF()
    scale = width / box.width() if box.width() else 1.0
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, top, width, box.height() * scale))
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(QRectF(0, 0, width, height), colour)
    painter.end()


def _draw_source(image: QImage, source: str, colour: QColor, font: QFont) -> None:
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(colour)
    ratio = image.devicePixelRatio()
    painter.drawText(QRectF(0, 0, image.width() / ratio, image.height() / ratio),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), source)
    painter.end()


def selection_text(document: QTextDocument, start: int, end: int,
                   other: Callable[[QTextCharFormat], str | None] | None = None
                   ) -> tuple[str, bool]:
    """The plain text of a range with each formula as its LaTeX source (and each object
    `other` knows as its source: wide tables); and whether there was one."""
    parts: list[str] = []
    found = False
    block = first = document.findBlock(start)
    while block.isValid() and block.position() <= end:
        if block != first:
            parts.append("\n")
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            lo = max(start, fragment.position())
            hi = min(end, fragment.position() + fragment.length())
            if lo < hi:
                source = MathImages.source(fragment.charFormat())
                if source is None and other is not None:
                    source = other(fragment.charFormat())
                if source is not None:
                    found = True
                    parts.append(source * (hi - lo))  # one character per image
                else:
                    text = fragment.text()[lo - fragment.position():hi - fragment.position()]
                    parts.append(text.replace("\u2028", "\n").replace("\u00a0", " "))
            it += 1
        block = block.next()
    return "".join(parts), found
