"""Images to an AI Engine site: whether its bot takes uploads, and the upload itself.

Based on the plugin's own source (Meow Apps' AI Engine, github.com/jordymeow/ai-engine,
read at 3.6.2 and back through its history):

- `POST {root}/wp-json/mwai-ui/v1/files/upload` (classes/modules/files.php, since 1.9.95)
  is a multipart form: the file as `file`, plus `type` and `purpose` (its web client sends
  "N/A" for both; 3.x refuses an empty `purpose`). It wants the same `X-WP-Nonce` as the
  chat route from 2.0 on, and answers `{"success": true, "data": {"id", "url"}}`, or
  `{"success": false, "message"}` with 400/500. A site without the route answers 404
  `rest_no_route`.
- The chat submit names the uploads (classes/modules/chatbot.php): `newFileIds` (2.9.7+,
  every file), `newFileId` (2.1.5+, one file), `newImageId` (1.9.95 to 2.1.4). We send
  all three; each version reads its own and ignores the others. A message of files alone
  is allowed (an empty `newMessage` passes the plugin's check when a file is named).
- Whether the bot offers uploads is its `imageUpload` / `fileUpload` front parameter,
  printed HTML-escaped in the page's `data-params` beside `data-system` (which names the
  bot). The route itself does not check it, so we ask the page, as the web client does.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
from typing import TYPE_CHECKING, Any

from opchat_gui.providers.aiengine_stream import read_body
from opchat_gui.providers.errors import ServerError
from opchat_gui.providers.lazy import lazy_import

if TYPE_CHECKING:  # the real module for the type checker; lazy at run time
    import aiohttp
else:
    aiohttp = lazy_import("aiohttp")

log = logging.getLogger(__name__)

UPLOAD_PATH = "/wp-json/mwai-ui/v1/files/upload"
_CONTAINER = re.compile(r"<div[^>]*class=['\"][^'\"]*mwai-chatbot-container[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"data-(params|system)=(?:'([^']*)'|\"([^\"]*)\")")
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif",
               "image/webp": "webp", "image/bmp": "bmp"}


def bot_uploads(page: str, bot_id: str, custom_id: str | None) -> bool | None:
    """Whether the page's chatbot for this bot offers uploads; None if the page shows no
    chatbot with front parameters. The bot named by customId or botId wins; else the
    first chatbot on the page (a site-wide bot answers for any botId on 3.x)."""
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for tag in _CONTAINER.findall(page):
        attributes: dict[str, dict[str, Any]] = {}
        for name, single, double in _ATTRIBUTE.findall(tag):
            try:
                value = json.loads(html.unescape(single or double))
            except ValueError:
                continue
            if isinstance(value, dict):
                attributes[name] = value
        if "params" in attributes:
            found.append((attributes["params"], attributes.get("system", {})))
    if not found:
        return None
    wanted = [params for params, system in found
              if (custom_id and system.get("customId") == custom_id)
              or (not custom_id and system.get("botId") == bot_id)]
    params = (wanted or [found[0][0]])[0]
    return bool(params.get("imageUpload") or params.get("fileUpload"))


def images_of(content: Any) -> list[tuple[str, bytes]]:
    """The images a message's content parts carry, as (file name, bytes); the plugin
    checks the type by the name's extension, so each gets one."""
    if not isinstance(content, list):
        return []
    found: list[tuple[str, bytes]] = []
    for part in content:
        if not isinstance(part, dict) or part.get("type") != "image_url":
            continue
        url = str((part.get("image_url") or {}).get("url") or "")
        header, sep, encoded = url.partition(",")
        if not sep or not header.startswith("data:") or not header.endswith(";base64"):
            continue  # a remote URL: nothing of ours to upload
        mime = header[5:-7]
        found.append((f"image-{len(found) + 1}.{_EXTENSIONS.get(mime, 'png')}",
                      base64.b64decode(encoded)))
    return found


def file_fields(ids: list[str]) -> dict[str, Any]:
    """The submit body's names for the uploads, for every plugin version at once."""
    if not ids:
        return {}
    return {"newFileIds": ids, "newFileId": ids[0], "newImageId": ids[0]}


NO_ROUTE = ("this site's AI Engine has no upload route (plugins before 1.9.95), so images "
            "cannot be sent to it; remove the image and send again")


async def upload(client: aiohttp.ClientSession, root: str, name: str, data: bytes,
                 headers: dict[str, str], proxy: str | None) -> tuple[int, str, str | None]:
    """POST one file; (HTTP status, body text, the file's id when the site took it)."""
    form = aiohttp.FormData()
    form.add_field("file", data, filename=name)
    form.add_field("type", "N/A")
    form.add_field("purpose", "N/A")
    async with client.post(root + UPLOAD_PATH, data=form, headers=headers,
                           proxy=proxy) as response:
        text = await read_body(response)
        status = response.status
    if status != 200:
        return status, text, None
    try:
        body = json.loads(text)
    except ValueError:
        return status, text, None
    data_field = body.get("data") if isinstance(body, dict) else None
    if isinstance(body, dict) and body.get("success") and isinstance(data_field, dict):
        file_id = data_field.get("id")
        if isinstance(file_id, str) and file_id:
            return status, text, file_id
    return status, text, None


def upload_error(name: str, status: int, text: str) -> ServerError:
    """Why the site did not take the file, as one sentence."""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if status == 404 and isinstance(body, dict) and body.get("code") == "rest_no_route":
        return ServerError(NO_ROUTE)
    message = body.get("message") if isinstance(body, dict) else None
    said = str(message) if message else f"HTTP {status}"
    log.info("upload of %s refused: HTTP %s", name, status)
    return ServerError(f"the site did not take the image {name} ({said})")
