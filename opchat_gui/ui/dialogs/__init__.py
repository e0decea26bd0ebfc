"""Modal windows: settings and their pages, provider picker, system prompt, data menu."""
