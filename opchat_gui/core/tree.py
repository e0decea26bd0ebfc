"""A conversation as a tree of message ids: which path is shown, where its forks are.

Every message has a parent (None for the first ones); siblings are the other answers to
the same parent (an edit's new user message, a regenerated reply) and keep the order they
were made in, which is id order. The store, the chat service and the tests all reason
with this one plain value, so "the active path" means the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable


class Tree:
    def __init__(self, edges: Iterable[tuple[int, int | None]]) -> None:
        """`edges` are (message id, parent id or None), in any order."""
        self.parent: dict[int, int | None] = {}
        self.children: dict[int | None, list[int]] = {None: []}
        for message_id, parent_id in sorted(edges):
            self.parent[message_id] = parent_id
            self.children.setdefault(parent_id, []).append(message_id)
            self.children.setdefault(message_id, [])

    def __contains__(self, message_id: object) -> bool:
        return message_id in self.parent

    def __len__(self) -> int:
        return len(self.parent)

    def siblings(self, message_id: int) -> list[int]:
        """The message and its siblings, oldest first."""
        return self.children[self.parent[message_id]]

    def newest_leaf(self, message_id: int | None) -> int | None:
        """The end of the newest branch below `message_id` (the newest child at each fork);
        None below the root of an empty tree."""
        node = message_id
        while self.children.get(node):
            node = self.children[node][-1]
        return node

    def path(self, leaf: int | None) -> list[int]:
        """Root to `leaf`, both included; a leaf not in the tree gives the newest branch."""
        if leaf not in self.parent:
            leaf = self.newest_leaf(None)
        path: list[int] = []
        node = leaf
        while node is not None:
            path.append(node)
            node = self.parent[node]
        path.reverse()
        return path

    def subtree(self, message_id: int) -> list[int]:
        """The message and everything below it, parents before children."""
        found = [message_id]
        for node in found:
            found.extend(self.children.get(node, ()))
        return found

    def forks(self, path: Iterable[int]) -> dict[int, tuple[int, int]]:
        """Message id -> (its 1-based place among its siblings, how many) for the messages
        on `path` that have siblings."""
        result: dict[int, tuple[int, int]] = {}
        for message_id in path:
            siblings = self.siblings(message_id)
            if len(siblings) > 1:
                result[message_id] = (siblings.index(message_id) + 1, len(siblings))
        return result
