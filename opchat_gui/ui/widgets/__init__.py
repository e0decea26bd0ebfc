"""The window's standing parts: composer, conversation list, draft keeping."""
