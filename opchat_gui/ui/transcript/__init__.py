"""The conversation view: the document, the message index its pager and message
actions share (no part keeps its own copy), reply states."""
