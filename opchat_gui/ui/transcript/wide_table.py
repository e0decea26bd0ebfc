"""Wide tables that scroll sideways inside the reading column (render/wide_tables.py).

Each wide table is one object character in the transcript. Its handler lays the table
out in a small document of its own, at the table's width (its columns keep at least
MIN_COLUMN_EM, cells wrap beyond MAX_COLUMN_EM), and draws it clipped to the column at
the table's horizontal offset, with a thin scroll indicator under it. So the transcript
never gets wider than its column, and being out of the text flow the table is not a
frame of the transcript's document either (frames make each later edit re-lay out all
of them): streaming costs stay flat.

The offset moves with Shift+wheel, a horizontal wheel or a trackpad over the table,
by pressing or dragging on its indicator, and with the key map's "table" keys
(← → Home End) while the table has the keyboard: after a click on it, or when the
chosen message (Alt+↑/↓) holds it. Copying a selection gives the table as its Markdown
source; find counts a table holding the words as one match and scrolls to the cell.
A big table's grid (render/big_tables.py) is one of these too: its lines laid out
unwrapped at their own width, so each row stays one aligned line.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFontInfo,
    QPainter,
    QPalette,
    QPen,
    QPyTextObject,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from opchat_gui.render.wide_tables import SCHEME, grid_parts, is_grid
from opchat_gui.ui.transcript.grid_text import GridText

OBJECT_TYPE = int(QTextFormat.ObjectTypes.UserObject) + 7
HTML = int(QTextFormat.Property.UserProperty) + 0x7F1  # the table's HTML (also its key)
SOURCE = int(QTextFormat.Property.UserProperty) + 0x7F2  # its Markdown, for copying
OBJECT = "\ufffc"
MIN_COLUMN_EM = 7  # no column narrower, however many there are
MAX_COLUMN_EM = 22  # a cell's text wraps beyond this (a sentence per cell stays readable)
BAR = 8  # pixels under a scrolling table: its scroll indicator
BAR_THICKNESS = 4
STEP_EM = 4  # one arrow key press
WHEEL_STEP_EM = 3  # one notch of a wheel (120 eighths of a degree)
CACHE = 64  # laid-out tables kept


@dataclass
class _Laid:
    document: QTextDocument | None  # a wide table's own document (None: a grid)
    font: str  # the font it was laid out in (QFont.key)
    available: float  # the column width it was laid out for
    grid: GridText | None = None  # a big table's grid, drawn line by line

    def size(self) -> QSizeF:
        if self.grid is not None:
            return self.grid.size
        return self.document.size() if self.document is not None else QSizeF(0, 0)

    def text(self) -> str:
        if self.grid is not None:
            return self.grid.text()
        return self.document.toPlainText() if self.document is not None else ""


def source_of(fmt: QTextFormat) -> str | None:
    """A wide table's Markdown (None: the format is no wide table)."""
    if fmt.objectType() != OBJECT_TYPE:
        return None
    source = fmt.property(SOURCE)
    return source if isinstance(source, str) else None


def table_format(html: str, source: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setObjectType(OBJECT_TYPE)
    fmt.setProperty(HTML, html)
    fmt.setProperty(SOURCE, source)
    return fmt


class WideTables(QPyTextObject):
    """Lays out, draws and scrolls every wide table of one transcript."""

    def __init__(self, parent: QObject, palette: Callable[[], QPalette],
                 accent: Callable[[], tuple[str, str]]) -> None:
        super().__init__(parent)
        self._palette = palette  # the view's: the table's text colour
        self._accent = accent  # (indicator colour, focus ring colour or "")
        self._laid: OrderedDict[str, _Laid] = OrderedDict()
        self.offsets: dict[str, float] = {}  # table key -> pixels scrolled
        self._drawn: dict[str, tuple[QRectF, int]] = {}  # key -> last rect, position
        self.active: str | None = None  # the table that has the keyboard

    def install(self, document: QTextDocument) -> None:
        document.documentLayout().registerHandler(OBJECT_TYPE, self)

    # Into the document

    @staticmethod
    def place(cursor: QTextCursor, start: int, end: int,
              tables: list[tuple[str, str]]) -> None:
        """Swap the placeholder images between `start` and `end` for table objects."""
        if not tables:
            return
        document = cursor.document()
        at = QTextCursor(document)
        position = start
        while position < end:
            found = document.find(OBJECT, position)
            if found.isNull() or found.selectionEnd() > end:
                break
            position = found.selectionEnd()
            fmt = found.charFormat()
            name = fmt.toImageFormat().name() if fmt.isImageFormat() else ""
            number = name[len(SCHEME):]
            if name.startswith(SCHEME) and number.isdigit() and int(number) < len(tables):
                at.setPosition(found.selectionStart())
                at.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
                at.setCharFormat(table_format(*tables[int(number)]))

    # QTextObjectInterface

    def intrinsicSize(self, doc: QTextDocument, posInDocument: int,
                      format: QTextFormat) -> QSizeF:
        laid = self._layout(doc, posInDocument, format)
        if laid is None:
            return QSizeF(0, 0)
        size = laid.size()
        scrolls = size.width() > laid.available + 0.5
        return QSizeF(min(size.width(), laid.available),
                      size.height() + (BAR if scrolls else 0))

    def drawObject(self, painter: QPainter, rect: QRectF, doc: QTextDocument,
                   posInDocument: int, format: QTextFormat) -> None:
        laid = self._layout(doc, posInDocument, format)
        if laid is None:
            return
        key = str(format.property(HTML))
        self._drawn[key] = (QRectF(rect), posInDocument)
        size = laid.size()
        offset = self._clamp(key, size.width(), rect.width())
        painter.save()
        painter.setClipRect(QRectF(rect.left(), rect.top(), rect.width(), size.height()),
                            Qt.ClipOperation.IntersectClip)
        shown = painter.clipBoundingRect()  # a tall grid: only its lines on screen
        top, height = (shown.top() - rect.top(), shown.height()) if not shown.isEmpty() \
            else (0.0, size.height())
        painter.translate(rect.left() - offset, rect.top())
        clip = QRectF(offset, top, rect.width(), height)
        if laid.grid is not None:
            laid.grid.draw(painter, clip, self._palette().color(QPalette.ColorRole.Text))
        elif laid.document is not None:
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette = self._palette()
            context.clip = clip
            laid.document.documentLayout().draw(painter, context)
        painter.restore()
        indicator, ring = self._accent()
        if size.width() > rect.width() + 0.5:  # the indicator: where the view is
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            track = QColor(indicator)
            track.setAlphaF(0.25)
            y = rect.top() + size.height() + (BAR - BAR_THICKNESS) / 2
            painter.setBrush(track)
            painter.drawRoundedRect(QRectF(rect.left(), y, rect.width(), BAR_THICKNESS), 2, 2)
            thumb = rect.width() * rect.width() / size.width()
            left = rect.left() + (rect.width() - thumb) * offset / (size.width() - rect.width())
            painter.setBrush(QColor(indicator))
            painter.drawRoundedRect(QRectF(left, y, thumb, BAR_THICKNESS), 2, 2)
            painter.restore()
        if key == self.active and ring:  # ring: "" while the view has no focus
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(ring), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 4, 4)
            painter.restore()

    # Layout

    def _layout(self, doc: QTextDocument, position: int, fmt: QTextFormat) -> _Laid | None:
        html = fmt.property(HTML)
        if not isinstance(html, str):
            return None
        available = self._available(doc, position)
        font = doc.defaultFont()
        laid = self._laid.get(html)
        if laid is not None and laid.font == font.key() and laid.available == available:
            self._laid.move_to_end(html)
            return laid
        if is_grid(html):  # a big table's grid: its lines never wrap, at any width
            background, text = grid_parts(html)
            grid = laid.grid if laid is not None and laid.grid is not None \
                and laid.font == font.key() else GridText(text, background, font)
            return self._keep(html, _Laid(None, font.key(), available, grid))
        table = laid.document if laid is not None and laid.document is not None \
            else QTextDocument(self)
        if laid is None or laid.document is None:
            table.setUndoRedoEnabled(False)
            table.setDocumentMargin(1)
            table.setDefaultFont(font)
            table.setHtml(html)
        table.setDefaultFont(font)
        em = QFontInfo(font).pixelSize()
        columns = _columns(table)
        table.setTextWidth(-1)
        natural = table.idealWidth()
        widest = max(available, columns * MAX_COLUMN_EM * em)
        least = columns * MIN_COLUMN_EM * em
        table.setTextWidth(max(least, min(natural, widest)) if natural > available
                           else available)
        return self._keep(html, _Laid(table, font.key(), available))

    def _keep(self, html: str, laid: _Laid) -> _Laid:
        self._laid[html] = laid
        self._laid.move_to_end(html)
        while len(self._laid) > CACHE:
            gone, old = self._laid.popitem(last=False)
            if old.document is not None:
                old.document.deleteLater()
            self._drawn.pop(gone, None)
        return laid

    @staticmethod
    def _available(doc: QTextDocument, position: int) -> float:
        """The column's width at the object: the text width less the root frame's side
        margins (ui/transcript/column.py) and the block's own."""
        root = doc.rootFrame().frameFormat()
        block = doc.findBlock(position).blockFormat()
        width = (doc.textWidth() - root.leftMargin() - root.rightMargin()
                 - block.leftMargin() - block.rightMargin() - 2)
        return max(40.0, width)

    # Scrolling

    def _clamp(self, key: str, content: float, view: float) -> float:
        offset = max(0.0, min(self.offsets.get(key, 0.0), content - view))
        if offset:
            self.offsets[key] = offset
        else:  # only tables moved are kept: a streamed table is a new key per update
            self.offsets.pop(key, None)
        return offset

    def extent(self, key: str) -> tuple[float, float] | None:
        """(content width, view width) of a table drawn on screen; None if it was not."""
        laid, drawn = self._laid.get(key), self._drawn.get(key)
        if laid is None or drawn is None:
            return None
        return laid.size().width(), drawn[0].width()

    def scroll(self, key: str, delta: float) -> bool:
        """Move the table's view by `delta` pixels; whether it moved."""
        extent = self.extent(key)
        if extent is None:
            return False
        before = self.offsets.get(key, 0.0)
        self.offsets[key] = before + delta
        return self._clamp(key, *extent) != before

    def scroll_to(self, key: str, end: bool) -> bool:
        extent = self.extent(key)
        return extent is not None and self.scroll(key, (extent[0] if end else -extent[0]))

    def on_bar(self, key: str, point: QPointF) -> bool:
        """Whether a document point is on the table's scroll indicator."""
        drawn, extent = self._drawn.get(key), self.extent(key)
        if drawn is None or extent is None or extent[0] <= extent[1] + 0.5:
            return False
        rect = drawn[0]
        return rect.bottom() - BAR - 2 <= point.y() <= rect.bottom() + 2

    def drag_to(self, key: str, x: float) -> bool:
        """Centre the indicator's thumb on a document x (a press or drag on the strip);
        whether the table moved."""
        drawn, extent = self._drawn.get(key), self.extent(key)
        if drawn is None or extent is None:
            return False
        rect, (content, view) = drawn[0], extent
        fraction = (x - rect.left()) / max(1.0, rect.width())
        before = self.offsets.get(key, 0.0)
        self.offsets[key] = fraction * content - view / 2
        return self._clamp(key, content, view) != before

    def step(self, doc: QTextDocument) -> float:
        return STEP_EM * QFontInfo(doc.defaultFont()).pixelSize()

    def wheel_step(self, doc: QTextDocument) -> float:
        return WHEEL_STEP_EM * QFontInfo(doc.defaultFont()).pixelSize()

    # Finding a table

    def at(self, doc: QTextDocument, point: QPointF) -> str | None:
        """The table drawn under a document point, if it is still in the document."""
        for key, (rect, position) in list(self._drawn.items()):
            if rect.contains(point):
                if self._still_there(doc, key, position):
                    return key
                del self._drawn[key]
        return None

    @staticmethod
    def _still_there(doc: QTextDocument, key: str, position: int) -> bool:
        if doc.characterAt(position) != OBJECT:
            return False
        cursor = QTextCursor(doc)
        cursor.setPosition(position + 1)
        return cursor.charFormat().property(HTML) == key

    @staticmethod
    def first_in(doc: QTextDocument, start: int, end: int) -> str | None:
        """The first wide table between two positions (a chosen message's)."""
        position = start
        while position < end:
            found = doc.find(OBJECT, position)
            if found.isNull() or found.selectionEnd() > end:
                return None
            position = found.selectionEnd()
            html = found.charFormat().property(HTML)
            if found.charFormat().objectType() == OBJECT_TYPE and isinstance(html, str):
                return html
        return None

    @staticmethod
    def key_at(doc: QTextDocument, position: int) -> str | None:
        """The wide table whose object is at `position`, if one is."""
        if doc.characterAt(position) != OBJECT:
            return None
        cursor = QTextCursor(doc)
        cursor.setPosition(position + 1)
        html = cursor.charFormat().property(HTML)
        return html if cursor.charFormat().objectType() == OBJECT_TYPE \
            and isinstance(html, str) else None

    def matches(self, doc: QTextDocument, needle: str, start: int = 0,
                end: int | None = None) -> list[QTextCursor]:
        """Each wide table (between `start` and `end`) whose text holds `needle` (as find
        matches: any case), its object selected."""
        words = needle.casefold()
        found: list[QTextCursor] = []
        if not words:
            return found
        position = start
        while True:
            cursor = doc.find(OBJECT, position)
            if cursor.isNull() or (end is not None and cursor.selectionEnd() > end):
                return found
            position = cursor.selectionEnd()
            fmt = cursor.charFormat()
            source = source_of(fmt)
            if source is not None and words in self._text(str(fmt.property(HTML)),
                                                        source).casefold():
                found.append(cursor)

    def _text(self, key: str, source: str) -> str:
        """What the table shows (its laid-out text), else its Markdown."""
        laid = self._laid.get(key)
        if laid is not None:
            return laid.text()
        return grid_parts(key)[1] if is_grid(key) else source

    def reveal(self, key: str, needle: str) -> bool:
        """Scroll the table to the first cell showing `needle`; whether it moved."""
        laid, extent = self._laid.get(key), self.extent(key)
        if laid is None or extent is None:
            return False
        before = self.offsets.get(key, 0.0)
        content, view = extent
        if laid.grid is not None:
            x = laid.grid.x_of(needle)
            return x is not None and self._show_x(key, x, before, content, view)
        if laid.document is None:
            return False
        found = laid.document.find(needle)
        if found.isNull():
            return False
        block = found.block()
        line = block.layout().lineForTextPosition(found.selectionStart() - block.position())
        rect = laid.document.documentLayout().blockBoundingRect(block)
        x = rect.left() + (line.cursorToX(found.selectionStart() - block.position())[0]
                           if line.isValid() else 0)
        return self._show_x(key, x, before, content, view)

    def _show_x(self, key: str, x: float, before: float, content: float, view: float
                ) -> bool:
        if before <= x - 8 and x + 40 <= before + view:
            return False  # already in view
        self.offsets[key] = x - view / 3
        return self._clamp(key, content, view) != before

    def document_of(self, key: str) -> QTextDocument | None:
        """The table's own laid-out document (tests measure its cells)."""
        laid = self._laid.get(key)
        return None if laid is None else laid.document

    def grid_of(self, key: str) -> GridText | None:
        """A big table's grid as laid out (tests measure its lines)."""
        laid = self._laid.get(key)
        return None if laid is None else laid.grid


def _columns(table: QTextDocument) -> int:
    for frame in table.rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            return max(1, frame.columns())
    return 1
