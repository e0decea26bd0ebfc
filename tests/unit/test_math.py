"""Math in the transcript: formulas become images (all four delimiters), money stays
text, copying gives the LaTeX, broken formulas show their source, a theme switch
re-tints, zoom resizes, streaming renders a formula only once it is closed, and many
new formulas open at once and fill in afterwards. A real offscreen Transcript, real
ziamath and QtSvg."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QImage,
    QTextCursor,
    QTextDocument,
)

from opchat_gui.render.colours import DARK, LIGHT
from opchat_gui.render.markdown import render_markdown
from opchat_gui.render.math import split_math, typeset
from opchat_gui.render.stream_blocks import BlockSplitter
from opchat_gui.store import MessageState
from opchat_gui.ui.transcript import math as transcript_math
from opchat_gui.ui.transcript.icon_links import SCHEME as ICON_SCHEME
from opchat_gui.ui.transcript.math import READY, WAIT, parse_name
from opchat_gui.ui.transcript.view import Transcript
from tests.transcript_helpers import msg

ALL_FOUR = (
    "Inline $x^2 + y^2$ and \\(a_1 + a_2\\) in a sentence.\n\n"
    "$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$\n\n"
    "\\[\n\\int_0^1 x\\,dx = \\frac{1}{2}\n\\]\n"
)




def image_names(view: Transcript) -> list[str]:
    names = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat() and not fmt.toImageFormat().name().startswith(
                    ICON_SCHEME):  # a message action's icon is no formula
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names


def icon_count(view: Transcript) -> int:
    """How many message-action icons (no formulas) the document holds."""
    count = 0
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            count += fmt.isImageFormat() and fmt.toImageFormat().name().startswith(ICON_SCHEME)
            it += 1
        block = block.next()
    return count


def formulas(view: Transcript) -> list[tuple[str, bool, str]]:
    """(state, display, source) of every formula image in the document, in order."""
    found = []
    for name in image_names(view):
        parsed = parse_name(name)
        assert parsed is not None, name
        found.append((parsed[0], parsed[1], parsed[6]))
    return found


def settle(view: Transcript, qtbot) -> None:
    """Wait until no formula waits to be typeset (the background finishes them)."""
    qtbot.waitUntil(lambda: not view.math.busy, timeout=60_000)


def formula_image(view: Transcript, source: str) -> QImage:
    """The image Qt paints for the formula (it asks the view's loadResource)."""
    for name in image_names(view):
        if parse_name(name)[6] == source:
            image = view.document().resource(QTextDocument.ResourceType.ImageResource.value,
                                             QUrl(name))
            assert isinstance(image, QImage) and not image.isNull()
            return image
    raise AssertionError(f"no image for {source!r}")


def ink(image: QImage) -> tuple[int, int, int]:
    """The colour of the most opaque pixel: the formula's ink."""
    best = (0, (0, 0, 0))
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() > best[0]:
                best = (colour.alpha(), (colour.red(), colour.green(), colour.blue()))
    assert best[0] > 200, "the image is empty"
    return best[1]


def test_all_four_delimiters_become_images_in_the_document(view, qtbot):
    view.show_messages([msg(1, "assistant", ALL_FOUR)])
    settle(view, qtbot)
    shown = formulas(view)
    assert [(state, display) for state, display, _ in shown] == [
        (READY, False), (READY, False), (READY, True), (READY, True)]
    assert [source for _, _, source in shown] == [
        "$x^2 + y^2$", "\\(a_1 + a_2\\)",
        "$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$",
        "\\[\n\\int_0^1 x\\,dx = \\frac{1}{2}\n\\]"]
    text = view.toPlainText()
    assert "x^2" not in text and "\\sum" not in text and "\\(" not in text
    assert text.count("\ufffc") == 4 + icon_count(view)  # the rest are action icons
    for _, _, source in shown:  # Qt gets a drawn image for each (through loadResource)
        assert not formula_image(view, source).isNull()


def test_formulas_in_the_users_message_become_images_too(view, qtbot):
    view.show_messages([msg(1, "user", "Why is $e^{i\\pi} = -1$?\n  (and \\(x\\))")])
    settle(view, qtbot)
    assert [source for _, _, source in formulas(view)] == ["$e^{i\\pi} = -1$", "\\(x\\)"]
    assert "Why is \ufffc?\n  (and \ufffc)" in view.toPlainText()  # the rest as typed


def test_money_is_not_math(view, qtbot):
    view.show_messages([msg(1, "assistant", "It costs $5 and $10, or $ 3 $ at most."),
                        msg(2, "user", "I paid $5 and $10.")])
    settle(view, qtbot)
    assert formulas(view) == []
    text = view.toPlainText()
    assert "It costs $5 and $10, or $ 3 $ at most." in text
    assert "I paid $5 and $10." in text


def test_copying_a_selection_gives_the_latex_source(view, qtbot):
    view.show_messages([msg(1, "assistant", ALL_FOUR)])
    settle(view, qtbot)
    document = view.document()
    start = document.find("Inline").selectionStart()
    end = document.find("in a sentence.").selectionEnd()
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.copy()
    assert QGuiApplication.clipboard().text() == \
        "Inline $x^2 + y^2$ and \\(a_1 + a_2\\) in a sentence."
    view.selectAll()
    view.copy()
    copied = QGuiApplication.clipboard().text()
    assert "$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$" in copied
    assert "\\[\n\\int_0^1 x\\,dx = \\frac{1}{2}\n\\]" in copied
    assert "\ufffc" not in copied


def test_a_broken_formula_shows_its_source_as_code(view, qtbot):
    view.show_messages([msg(1, "assistant", "Broken $\\frac{a$ and fine $b$.\n\n"
                                            "$$\n\\begin{pmatrix} a\n$$\n")])
    settle(view, qtbot)
    assert [source for _, _, source in formulas(view)] == ["$b$"]
    document = view.document()
    found = document.find("$\\frac{a$")
    assert not found.isNull()
    assert found.charFormat().background().color().name() == view.colours.inline_code_bg
    assert "\\begin{pmatrix} a" in view.toPlainText()


def test_a_theme_switch_retints_the_formulas(view, qtbot):
    view.set_colours(LIGHT)
    view.show_messages([msg(1, "assistant", "Energy: $E = mc^2$.")])
    settle(view, qtbot)
    light = ink(formula_image(view, "$E = mc^2$"))
    view.set_colours(DARK)
    settle(view, qtbot)
    dark = ink(formula_image(view, "$E = mc^2$"))
    assert light != dark
    assert sum(light) < 3 * 128 < sum(dark)  # dark ink on light, light ink on dark
    assert [state for state, _, _ in formulas(view)] == [READY]


def test_the_same_formula_colour_and_size_give_the_same_cached_image(view, qtbot):
    view.show_messages([msg(1, "assistant", "Once $a^2 + b^2$ here."),
                        msg(2, "user", "And $a^2 + b^2$ again?")])
    settle(view, qtbot)
    first, second = image_names(view)
    assert first == second  # one name: source, colour and size are all in it
    image = view.math.image(first)
    view.show_messages([msg(3, "assistant", "Reopened: $a^2 + b^2$.")])
    settle(view, qtbot)
    assert image_names(view) == [first]
    assert view.math.image(first).cacheKey() == image.cacheKey()  # not drawn again
    view.set_colours(DARK if view.colours.name == "light" else LIGHT)
    assert image_names(view) != [first]  # another colour: another image


def test_zoom_redraws_formulas_at_the_new_size(view, qtbot):
    view.show_messages([msg(1, "assistant", "Energy: $E = mc^2$.")])
    settle(view, qtbot)
    small = formula_image(view, "$E = mc^2$")
    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    settle(view, qtbot)
    large = formula_image(view, "$E = mc^2$")
    assert large.width() > 1.6 * small.width()
    assert large.height() > 1.6 * small.height()


def test_streaming_renders_a_formula_only_after_its_closing_delimiter(view, qtbot):
    view.add_message(msg(1, "user", "go"))
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    view.append_chunk(2, "The area is $\\pi r")
    assert formulas(view) == [] and "The area is $\\pi r" in view.toPlainText()
    view.append_chunk(2, "^2$ for")  # closed, in a paragraph that goes on: still source
    assert formulas(view) == [] and "$\\pi r^2$ for" in view.toPlainText()
    view.append_chunk(2, " a circle.\n\n$$\n\\sum_k")  # the paragraph ended
    settle(view, qtbot)
    assert [source for _, _, source in formulas(view)] == ["$\\pi r^2$"]
    view.append_chunk(2, " k\n")
    assert len(formulas(view)) == 1 and "$$\n\\sum_k k" in view.toPlainText()
    view.append_chunk(2, "$$\nThen more")  # the display formula closed: it renders
    settle(view, qtbot)
    assert [source for _, _, source in formulas(view)] == ["$\\pi r^2$", "$$\n\\sum_k k\n$$"]
    assert view.toPlainText().rstrip().endswith("Then more")
    view.update_message(msg(2, "assistant", "The area is $\\pi r^2$ for a circle.\n\n"
                                            "$$\n\\sum_k k\n$$\nThen more"))
    settle(view, qtbot)
    assert len(formulas(view)) == 2


def test_a_cut_reply_leaves_an_unclosed_formula_as_text(view, qtbot):
    view.show_messages([msg(1, "assistant", "Closed $a$ and open $\\frac{1}{",
                            MessageState.STOPPED)])
    settle(view, qtbot)
    assert [source for _, _, source in formulas(view)] == ["$a$"]
    assert "open $\\frac{1}{" in view.toPlainText()


def test_many_new_formulas_open_at_once_and_fill_in(view, qtbot, monkeypatch):
    monkeypatch.setattr(transcript_math, "SYNC_BUDGET", 0.0)  # every new one must wait
    reply = "\n\n".join(f"Term {n}: $x_{{{n}}} = \\frac{{{n}}}{{{n + 1}}}$" for n in range(40))
    view.show_messages([msg(1, "assistant", reply)])
    states = [state for state, _, _ in formulas(view)]
    assert len(states) == 40 and WAIT in states  # placeholders first...
    settle(view, qtbot)
    shown = formulas(view)
    assert [state for state, _, _ in shown] == [READY] * 40  # ...then every one drawn
    assert shown[7][2] == "$x_{7} = \\frac{7}{8}$"


def test_a_placeholder_on_screen_is_typeset_first(view, monkeypatch):
    monkeypatch.setattr(transcript_math, "SYNC_BUDGET", 0.0)
    reply = "\n\n".join(f"Line {n}: $y_{{{n}}}^{{{n}}}$" for n in range(30))
    view.show_messages([msg(1, "assistant", reply)])
    names = image_names(view)
    assert {parse_name(name)[0] for name in names} == {WAIT}
    view.math.image(names[-1])  # Qt asks to paint the last one: it is on screen
    view.math.step(budget=0.0)  # one slice: one formula
    states = [parse_name(name)[0] for name in image_names(view)]
    assert states[-1] == READY and states[0] == WAIT


# The Qt-free half

def test_the_markdown_rules_for_money_and_escapes():
    seen: list[tuple[str, str, bool]] = []

    def record(source: str, latex: str, display: bool) -> str:
        seen.append((source, latex, display))
        return "[math]"

    html = render_markdown("$5 and $10; \\$x\\$ escaped; $a$ and $$b$$ and \\(c\\)",
                           LIGHT, math=record).html
    assert "$5 and $10; $x$ escaped;" in html
    assert seen == [("$a$", "a", False), ("$$b$$", "b", True), ("\\(c\\)", "c", False)]
    code = render_markdown("`$a$` and\n\n```\n$$x$$\n```\n", LIGHT, math=record).html
    assert "$a$" in code and "$$x$$" in code and len(seen) == 3  # code is not math


def test_without_a_renderer_formulas_show_as_source():
    html = render_markdown("An $x^2$ here.", LIGHT).html
    assert "<code" in html and "$x^2$" in html


def test_split_math_keeps_plain_text_exact():
    text = "a $x$ b\n  c \\(y\\) $5 and $10 \\[z\\]"
    pieces = split_math(text)
    assert "".join(piece for piece, _, _ in pieces) == text
    assert [(latex, display) for _, latex, display in pieces if latex is not None] == [
        ("x", False), ("y", False), ("z", True)]


def test_typeset_broken_or_huge_latex_is_none_never_an_exception():
    for bad in ("\\frac{a", "}{", "\\begin{pmatrix} a", "", "x" * 5_000, "{" * 400):
        assert typeset(bad, False) is None
    good = typeset("\\frac{1}{2}", True)
    assert good is not None and good.ascent > 0 and good.descent > 0 and good.width > 0


def test_the_stream_splitter_finishes_a_display_formula_at_its_closing_line():
    splitter = BlockSplitter()
    assert splitter.feed("Intro.\n\n$$\n\\sum") == "Intro.\n\n"
    assert splitter.feed(" k\n") == ""
    assert splitter.feed("$$\nAfter") == "$$\n\\sum k\n$$\n"
    assert splitter.pending == "After"
    assert splitter.feed(" it.\n\n\\[x\\]\nz") == "After it.\n\n\\[x\\]\n"


def test_load_resource_draws_only_well_formed_formula_names(view):
    image = QTextDocument.ResourceType.ImageResource.value
    for name in ("http://127.0.0.1:9/x.png", "file:///etc/passwd", "opchat-math:",
                 "opchat-math:ok/i/000000/10/10/0/zz", "opchat-math:ok/i/000000/x/10/0/61",
                 "opchat-math:ok/i/000000/90000/90000/0/" + b"$x$".hex()):
        assert view.loadResource(image, QUrl(name)) is None, name
    drawn = view.loadResource(image, QUrl("opchat-math:ok/i/000000/20/20/0/"
                                          + b"$x$".hex()))
    assert isinstance(drawn, QImage) and not drawn.isNull()


def test_filling_in_formulas_keeps_what_is_on_screen_in_place(view, qtbot, monkeypatch):
    monkeypatch.setattr(transcript_math, "SYNC_BUDGET", 0.0)
    reply = "\n\n".join(f"Row {n}:\n\n$$\n\\frac{{{n}}}{{{n} + 1}}\n$$" for n in range(40))
    view.show_messages([msg(1, "assistant", reply)])
    bar = view.verticalScrollBar()
    position = view.document().find("Row 30:").selectionStart()
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    rect = view.cursorRect(cursor)
    bar.setValue(bar.value() + rect.top())  # "Row 30" at the top of the view
    before = view.cursorRect(cursor).top()
    settle(view, qtbot)  # the formulas above grow from one line to fractions
    assert all(state == READY for state, _, _ in formulas(view))
    assert abs(view.cursorRect(cursor).top() - before) <= 2
