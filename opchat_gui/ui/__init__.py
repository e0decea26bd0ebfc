"""Widgets only: they talk to the chat service and never to aiohttp or sqlite3."""
