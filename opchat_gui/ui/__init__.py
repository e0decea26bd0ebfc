"""Widgets only. They talk to the chat service (chat/) and read the plain types (core/);
they never import store/ or providers/, aiohttp or sqlite3."""
