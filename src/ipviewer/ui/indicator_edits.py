"""Adding indicator rows from the window, undoably: an imported file's values (new keys
added, existing ones changed) or one indicator from Edit → Add Indicator….

Both are one :class:`AddIndicatorsCommand`: a :class:`~.commands.SetIndicatorsCommand`
(the cells of existing rows that change, with their to-update marks) plus the rows that
are new, written in one transaction; its undo removes the new rows and puts the old cells
back. What an imported row changes is :func:`plan_import`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import ngettext
from ..indicator_files import IndicatorTable
from ..model import Indicator
from .commands import SetIndicatorsCommand, indicator_changes
from .document import ReportDocument

#: The columns an import always writes (the others only when the file has them).
ALWAYS = ("key", "year", "value")


@dataclass
class ImportPlan:
    """What importing some rows would do: rows to add, cells of stored rows to change."""

    added: list[dict[str, Any]] = field(default_factory=list)
    changes: dict[int, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    #: per row read (in order): "new", "changed" or "same", and the stored value before
    effects: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many rows would add or change something."""
        return len(self.added) + len(self.changes)


def plan_import(document: ReportDocument, rows: IndicatorTable | list[Indicator],
                columns: tuple[str, ...] | None = None) -> ImportPlan:
    """What importing ``rows`` would add and change. Columns the file lacks
    (``rows.columns``) keep their stored value, as ``ipviewer indicators import`` does."""
    given = set(columns if columns is not None else getattr(rows, "columns", ())) | set(ALWAYS)
    stored = document.store.indicators_at([(row.key, row.year) for row in rows])
    plan = ImportPlan()
    for row in rows:
        record = {k: v for k, v in row.as_store_dict().items() if k in given}
        before = stored.get((row.key, row.year))
        if before is None:
            plan.added.append(record)
            plan.effects.append(("new", None))
            continue
        cells = {c: (before[c], new) for c, new in record.items()
                 if c not in ("key", "year") and before[c] != new}
        if cells:
            plan.changes[before["id"]] = cells
        plan.effects.append(("changed" if cells else "same", before["value"]))
    return plan


class AddIndicatorsCommand(SetIndicatorsCommand):
    """New indicator rows, and new values for cells of existing ones: one undo step."""

    def __init__(self, document: ReportDocument, added: list[dict[str, Any]],
                 changes: dict[int, dict[str, tuple[Any, Any]]], text: str) -> None:
        super().__init__(document, changes, text)
        self.added = added  # each with the id it was given

    def do(self) -> None:
        store = self.document.store
        with store.transaction():
            store.insert_indicators(self.added)
            if self.changes:
                super().do()
        _announce(self.document, [row["id"] for row in self.added])

    def undo_change(self) -> None:
        store = self.document.store
        with store.transaction():
            if self.changes:
                super().undo_change()
            store.delete_indicators([row["id"] for row in self.added])
        _announce(self.document, [row["id"] for row in self.added])


def add_indicators(document: ReportDocument, plan: ImportPlan, text: str = "") -> list[int]:
    """Write what ``plan`` adds and changes (one transaction), undoably; the new rows' ids.
    A :class:`~ipviewer.store.StoreError` reaches the caller and nothing is written."""
    changes = indicator_changes(document, plan.changes)
    if not plan.added and not changes:
        return []
    store = document.store
    with store.transaction():
        ids = store.insert_indicators(plan.added)
        if changes:
            document.apply_indicators(
                {i: {c: new for c, (_old, new) in cols.items()} for i, cols in changes.items()})
    added = [{**row, "id": indicator_id} for row, indicator_id in zip(plan.added, ids,
                                                                        strict=True)]
    _announce(document, ids)
    count = len(added) + len(changes)
    # L10N: undo step: indicator values imported from a file or added by hand
    text = text or ngettext("Import {n} indicator value", "Import {n} indicator values",
                            count).format(n=count)
    document.undo_stack.push(AddIndicatorsCommand(document, added, changes, text))
    return ids


def _announce(document: ReportDocument, ids: list[int]) -> None:
    """Rows came or went: the views and what is still to update follow."""
    if ids:
        document.values.forget()
        document.indicatorsChanged.emit(ids)
        document.marksChanged.emit(ids, [])
