"""Changing the report's tree: a node's texts, inserting, deleting (and restoring), moving
(no Qt). A mixin of :class:`~.report_store.ReportStore`; every method is one transaction."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..i18n import _
from .report_file import StoreError

#: Node columns a snapshot keeps and an insert accepts.
NODE_COLUMNS = ("id", "parent_id", "position", "kind", "number", "title_en", "title_zh",
                "text_en", "text_zh", "needs_update", "confirmed_by", "confirmed_at")
#: Node columns an editor may change one at a time.
NODE_TEXT_FIELDS = frozenset({"number", "title_en", "title_zh", "text_en", "text_zh"})


@dataclass
class NodeSnapshot:
    """A deleted node with its subtree (parents first) and the indicators that pointed
    into it, as (indicator id, node id)."""

    rows: list[dict[str, Any]]
    links: list[tuple[int, int]] = field(default_factory=list)


class TreeEditing:
    """The node-editing half of a report store (needs ``db``, ``path``, ``transaction``)."""

    db: Database
    path: Path
    transaction: Callable[[], AbstractContextManager[Database]]

    def node_row(self, node_id: int) -> dict[str, Any]:
        """The stored row of one node."""
        row = self.db.execute("SELECT * FROM nodes WHERE id = ?", [node_id]).fetchone()
        if row is None:
            raise StoreError(_("{path}: no part of the report with id {id}").format(
                path=self.path, id=node_id))
        return dict(zip([d[0] for d in self.db.execute(
            "SELECT * FROM nodes LIMIT 0").description], row, strict=True))

    def set_node_field(self, node_id: int, field: str, value: str,
                       needs_update: bool | None = None) -> None:
        """Set one title, text or number of a node; with ``needs_update``, its to-update
        mark in the same statement (an undo puts back the mark a changed text cleared)."""
        if field not in NODE_TEXT_FIELDS:
            raise ValueError(f"not an editable node field: {field!r}")
        with self.transaction() as db:
            if needs_update is None:
                db.execute(f"UPDATE nodes SET {field} = ? WHERE id = ?", [value, node_id])
            else:
                db.execute(f"UPDATE nodes SET {field} = ?, needs_update = ? WHERE id = ?",
                           [value, int(needs_update), node_id])

    def insert_node(self, parent_id: int | None, position: int, row: dict[str, Any]) -> int:
        """Insert a node (``row``: kind and texts; an ``id`` to restore one) at ``position``
        among the children of ``parent_id``; later siblings move down. Returns its id."""
        with self.transaction() as db:
            self._open_gap(parent_id, position)
            record = {k: v for k, v in row.items() if k in NODE_COLUMNS}
            record.update(parent_id=parent_id, position=position)
            return db["nodes"].insert(record).last_pk

    def delete_node(self, node_id: int) -> NodeSnapshot:
        """Delete a node with everything below it; the snapshot restores it exactly."""
        with self.transaction() as db:
            rows = list(db.query(
                """WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL
                       SELECT n.id FROM nodes n JOIN sub ON n.parent_id = sub.id)
                   SELECT n.* FROM nodes n JOIN sub USING (id)""", [node_id]))
            ids = [r["id"] for r in rows]
            marks = ",".join("?" * len(ids))
            links = [(r[0], r[1]) for r in db.execute(
                f"SELECT id, node_id FROM indicators WHERE node_id IN ({marks})", ids)]
            top = next(r for r in rows if r["id"] == node_id)
            db.execute("DELETE FROM nodes WHERE id = ?", [node_id])
            self._close_gap(top["parent_id"], top["position"])
        return NodeSnapshot(rows, links)

    def restore_node(self, snapshot: NodeSnapshot) -> None:
        """Put back what :meth:`delete_node` removed: same ids, place and indicator links."""
        top = snapshot.rows[0]
        with self.transaction() as db:
            self._open_gap(top["parent_id"], top["position"])
            for row in snapshot.rows:  # parents come before their children
                db["nodes"].insert({k: v for k, v in row.items() if k in NODE_COLUMNS})
            for indicator_id, node_id in snapshot.links:
                db.execute("UPDATE indicators SET node_id = ? WHERE id = ?",
                           [node_id, indicator_id])

    def move_node(self, node_id: int, parent_id: int | None, position: int) -> None:
        """Move a node (and what is below it) to ``position`` under ``parent_id``;
        ``position`` counts the new siblings without the node itself."""
        with self.transaction() as db:
            old = self.node_row(node_id)
            if parent_id is not None and node_id in self._ancestors(parent_id):
                raise StoreError(_("a part of the report cannot be moved into itself"))
            self._close_gap(old["parent_id"], old["position"])
            db.execute("UPDATE nodes SET position = -1 WHERE id = ?", [node_id])
            self._open_gap(parent_id, position)
            db.execute("UPDATE nodes SET parent_id = ?, position = ? WHERE id = ?",
                       [parent_id, position, node_id])

    def _ancestors(self, node_id: int) -> list[int]:
        return [r[0] for r in self.db.execute(
            """WITH RECURSIVE up(id) AS (SELECT ? UNION ALL
                   SELECT n.parent_id FROM nodes n JOIN up ON n.id = up.id
                   WHERE n.parent_id IS NOT NULL)
               SELECT id FROM up""", [node_id])]

    def _open_gap(self, parent_id: int | None, position: int) -> None:
        self.db.execute("UPDATE nodes SET position = position + 1 WHERE parent_id IS ? "
                        "AND position >= ?", [parent_id, position])

    def _close_gap(self, parent_id: int | None, position: int) -> None:
        self.db.execute("UPDATE nodes SET position = position - 1 WHERE parent_id IS ? "
                        "AND position > ?", [parent_id, position])
