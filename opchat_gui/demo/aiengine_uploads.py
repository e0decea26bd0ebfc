"""The demo AI Engine site's files route, as the plugin's `mwai-ui/v1/files/upload`
(classes/modules/files.php, 1.9.95+) answers it: a multipart form with `file`, `type` and
`purpose`; `{"success": true, "data": {"id", "url"}}` back. The chat submit then names the
ids (`newFileIds`, `newFileId` or `newImageId`, by plugin version).

Plugin 1.9 (1.9.88 here) predates the route: 404 `rest_no_route`. Whether the bot offers
uploads is its page's `imageUpload` parameter (`uploads=no` turns it off); as on the real
plugin, the route itself does not check it.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
from typing import Any

from aiohttp import web

UPLOAD = "/wp-json/mwai-ui/v1/files/upload"
ALLOWED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".pdf", ".txt")
NO_ROUTE = {"code": "rest_no_route", "message": "No route was found matching the URL and "
            "request method.", "data": {"status": 404}}

Uploads = dict[str, tuple[str, bytes]]  # refId -> (file name, bytes)


def form_fields(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """A multipart/form-data body as name -> (file name or None, bytes)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, tuple[str | None, bytes]] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            fields[name] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return fields


def uploads_offered(params: dict[str, str]) -> bool:
    return params.get("uploads", "yes") != "no"


def take_upload(uploads: Uploads, origin: str, content_type: str, body: bytes
                ) -> tuple[int, dict[str, Any]]:
    """Store the posted file; the status and JSON the plugin answers with."""
    fields = form_fields(content_type, body)
    name, data = fields.get("file", (None, b""))
    if not name:
        return 400, {"success": False, "message": "No file provided."}
    if not fields.get("purpose", (None, b""))[1]:
        return 400, {"success": False, "message": "Purpose is required."}
    if not name.lower().endswith(ALLOWED):
        return 400, {"success": False, "message": "Invalid file type."}
    ref_id = hashlib.md5(f"{len(uploads)}-{name}".encode() + data).hexdigest()
    uploads[ref_id] = (name, data)
    extension = name.rsplit(".", 1)[-1]
    url = f"{origin}/wp-content/uploads/2026/11/{ref_id}.{extension}"
    return 200, {"success": True, "data": {"id": ref_id, "url": url}}


async def answer_upload(request: web.Request, uploads: Uploads, origin: str, body: bytes
                        ) -> web.Response:
    status, answer = take_upload(uploads, origin, request.headers.get("Content-Type", ""),
                                 body)
    return web.json_response(answer, status=status)


def named_files(uploads: Uploads, body: Any) -> list[tuple[str, bytes]]:
    """The uploads a submit body names, read as 3.x reads them: `newFileIds`, else
    `newFileId`, else (1.9.95 to 2.1.4) `newImageId`."""
    if not isinstance(body, dict):
        return []
    ids = body.get("newFileIds")
    if not isinstance(ids, list) or not ids:
        one = body.get("newFileId") or body.get("newImageId")
        ids = [one] if one else []
    return [uploads[i] for i in ids if isinstance(i, str) and i in uploads]


def files_line(files: list[tuple[str, bytes]]) -> str:
    """What the demo reply says about the files it was given."""
    if not files:
        return ""
    names = ", ".join(f"{name} ({len(data) // 1024 or 1} KB)" for name, data in files)
    return f"The site received {len(files)} uploaded file(s): {names}.\n\n"


def page_params(uploads: bool) -> str:
    """The chatbot's front parameters as the plugin prints them (upload switches synced)."""
    return json.dumps({"imageUpload": uploads, "fileUpload": uploads,
                       "multiUpload": uploads, "maxUploads": 5 if uploads else 1})
