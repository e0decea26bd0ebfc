"""Text to HTML: Markdown, highlighting, stream blocks, links and the colour tables.
No widgets and no PySide6: the transcript draws what this produces."""
