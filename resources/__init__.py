"""Icons, desktop entry, metainfo, translations and styles, shipped inside the package."""
