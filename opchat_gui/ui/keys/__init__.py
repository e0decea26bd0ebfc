"""The key map (one declarative table of keys), the command registry (who handles each
action, its menu entry; it builds the QActions and the menu bar) and the conversation
commands. It imports no window: handlers are objects registered at run time."""
