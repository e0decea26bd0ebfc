"""Where state lives and what the user chose: paths, settings, provider entries, the key
store. Never imports Qt, the UI or the chat service."""
