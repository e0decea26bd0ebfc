"""Reading an AI Engine page's upload switch and naming uploads in the submit body."""

from __future__ import annotations

import base64
import html
import json

from opchat_gui.providers.aiengine_files import bot_uploads, file_fields, images_of


def container(params: dict, system: dict) -> str:
    """A chatbot div as the plugin prints it: single quotes, htmlspecialchars(ENT_QUOTES)."""
    front = html.escape(json.dumps(params), quote=True)
    back = html.escape(json.dumps(system), quote=True)
    return f"<div class='mwai-chatbot-container' data-params='{front}' data-system='{back}'></div>"


def test_the_named_bot_decides_and_a_page_without_a_chatbot_says_nothing():
    page = ("<html><body>"
            + container({"imageUpload": False, "fileUpload": False}, {"botId": "default"})
            + container({"imageUpload": True, "fileUpload": True}, {"botId": "vision"})
            + container({"fileUpload": True}, {"botId": "x", "customId": "ab" * 16})
            + "</body></html>")
    assert bot_uploads(page, "default", None) is False
    assert bot_uploads(page, "vision", None) is True
    assert bot_uploads(page, "default", "ab" * 16) is True
    assert bot_uploads(page, "unknown", None) is False  # the first bot on the page
    assert bot_uploads("<html><p>No chatbot</p></html>", "default", None) is None


def test_images_leave_the_parts_with_a_name_the_plugin_accepts_and_every_version_is_named():
    png, jpeg = b"\x89PNG\r\n\x1a\nrest", b"\xff\xd8\xffrest"
    parts = [{"type": "text", "text": "hi"},
             {"type": "image_url", "image_url": {
                 "url": "data:image/png;base64," + base64.b64encode(png).decode()}},
             {"type": "image_url", "image_url": {"url": "https://example.org/remote.png"}},
             {"type": "image_url", "image_url": {
                 "url": "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()}}]
    assert images_of(parts) == [("image-1.png", png), ("image-2.jpg", jpeg)]
    assert images_of("plain text") == []
    assert file_fields(["a", "b"]) == {"newFileIds": ["a", "b"], "newFileId": "a",
                                       "newImageId": "a"}
    assert file_fields([]) == {}
