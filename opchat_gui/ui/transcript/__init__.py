"""The conversation view: the document, its paging, message actions, reply states."""
