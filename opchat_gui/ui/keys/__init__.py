"""The key map (one declarative table) and the commands it binds."""
