"""The checks' findings kept by what they concern, so that an edit re-runs only its part
(no Qt).

A full run (:meth:`CheckState.full`; :func:`run_checks` is one) keeps every finding under
the node or the indicator key it concerns, with what a later edit needs to know: the keys
each node's texts refer to, the numbers typed into them, and the usable indicators of the
report's year and the year before (indexed as binding looks them up; other years are read
from the store when a text asks for one, so 100,000 rows are never all held).

:meth:`CheckState.update` then re-runs the checks of what an edit touched and of what
depends on it — the texts that refer to a changed indicator or hold its old or new value,
the indicators that share a paragraph with it (a rate may look swapped), the places under
a renamed part — and merges. Findings come out in the order of a full run, so an update
gives exactly what a full run would give (``tests/test_checks_incremental.py``).

``should_stop`` is asked between steps; when it answers yes the run raises
:class:`ChecksCancelled` (closing a window never waits for its checks).
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import Indicator, Node
from ..prose.bindings import FigureValues
from ..prose.cross_refs import NodeNumbers
from ..report_text import node_place, walk_with_path
from ..store import ReportStore
from ..store.indicator_table import DamagedIndicator, indicator_from_row
from ..store.integrity import find_damage
from .annual import value_to_update_findings
from .cross_references import node_cross_references
from .figures_use import unused_indicator_findings
from .finding import Finding
from .plausibility import DEFAULT_FACTOR, implausible_change, node_contradictions
from .report_checks import ChecksCancelled, Uses, damage_finding, node_findings, yoy_findings
from .terminology import TermChecker

if TYPE_CHECKING:
    from ..terms.glossary import Glossary

__all__ = ["CheckState", "ChecksCancelled", "YearValues", "run_checks"]

#: Asked between steps of a run: True stops it (``ChecksCancelled``).
StopFlag = Callable[[], bool] | None

#: Rows read between two questions to ``should_stop``.
_ROWS_PER_STEP = 2000


def run_checks(store: ReportStore, glossary: Glossary | None = None,
               should_stop: StopFlag = None) -> list[Finding]:
    """Every finding for the report in ``store``, errors and warnings, in report order.

    With a ``glossary``, the terminology is checked too; ``should_stop`` may cancel the
    run (:class:`ChecksCancelled`).
    """
    return CheckState.full(store, glossary, should_stop).findings()


def _stopper(should_stop: StopFlag) -> Callable[[], None]:
    def step() -> None:
        if should_stop is not None and should_stop():
            raise ChecksCancelled
    return step


class YearValues(FigureValues):
    """The usable indicators of the report's year and of the year before, held and indexed
    by value; any other year is read from ``store`` when a text refers to it."""

    def __init__(self, indicators: Iterable[Indicator], years: Collection[int],
                 skip: Collection[int]) -> None:
        held = list(indicators)
        super().__init__({(i.key, i.year): i for i in held})
        self.years = frozenset(years)
        self.skip = skip
        self.store: ReportStore | None = None
        self.ids: dict[int, tuple[str, int]] = {i.id: (i.key, i.year) for i in held
                                                if i.id is not None}
        self._other: dict[tuple[str, int], Indicator | None] = {}

    def __getitem__(self, key_year: tuple[str, int]) -> Indicator:
        if key_year[1] in self.years:
            return self._values[key_year]
        if key_year not in self._other:
            self._other[key_year] = self._read(*key_year)
        found = self._other[key_year]
        if found is None:
            raise KeyError(key_year)
        return found

    def _read(self, key: str, year: int) -> Indicator | None:
        if self.store is None or self.store.closed:
            return None
        row = next(iter(self.store.db.query(
            "SELECT * FROM indicators WHERE key = ? AND year = ?", [key, year])), None)
        if row is None or row["id"] in self.skip:
            return None  # a damaged row is reported as damaged, and not used
        return indicator_from_row(row)

    def held(self, key: str, year: int) -> Indicator | None:
        """The held indicator ``key`` of ``year`` (one of the two years), or None."""
        return self._values.get((key, year))

    def held_items(self) -> Iterator[Indicator]:
        """Every held indicator."""
        return iter(self._values.values())

    def replace(self, old: Indicator | None, new: Indicator | None) -> None:
        """A held row changed (``old`` None: it is new; ``new`` None: gone or another year)."""
        if old is not None:
            self._values.pop((old.key, old.year), None)
            self.ids.pop(old.id, None)
            keys = self._by_value.get((old.year, old.value, old.unit))
            if keys is not None and old.key in keys:
                keys.remove(old.key)
                if not keys:
                    del self._by_value[(old.year, old.value, old.unit)]
        if new is not None:
            self._values[(new.key, new.year)] = new
            self.ids[new.id] = (new.key, new.year)
            if isinstance(new.value, Decimal) and new.value.is_finite():
                insort(self._by_value.setdefault((new.year, new.value, new.unit), []), new.key)

    def forget(self, keys: Collection[str]) -> None:
        """Read these keys' other years again when asked for."""
        for key_year in [k for k in self._other if k[0] in keys]:
            del self._other[key_year]


class CheckState:
    """The findings of the last run, by node and by indicator key, and what an edit needs
    to know to re-run only its part (see the module's text)."""

    def __init__(self, year: int, terms: TermChecker | None,
                 factor: Decimal = DEFAULT_FACTOR) -> None:
        self.year, self.terms, self.factor = year, terms, factor
        self.damage: list[Finding] = []
        self.unusable: set[int] = set()
        self.damaged_nodes: set[int] = set()
        self.values = YearValues([], (year, year - 1), self.unusable)
        #: key -> id of its row of the report's year (the order findings come in)
        self.key_rows: dict[str, int] = {}
        self._key_order: list[str] | None = None
        #: node id -> the keys of the report's year it holds (a paragraph's rates)
        self.keys_at: dict[int | None, set[str]] = {}
        # by key
        self.yoy: dict[str, list[Finding]] = {}
        self.implausible: dict[str, list[Finding]] = {}
        self.to_update: dict[str, list[Finding]] = {}
        self.unused: dict[str, list[Finding]] = {}
        # by node
        self.tree: list[Node] = []
        self.shape: tuple = ()
        self.order: list[int] = []
        self.places: dict[int, tuple[Node, list[Node]]] = {}
        self.node_found: dict[int, list[Finding]] = {}
        self.contradictions: dict[int, list[Finding]] = {}
        self.refs: dict[int, set[str]] = {}
        self.referrers: dict[str, set[int]] = {}
        self.typed: dict[int, set[tuple[Decimal, str]]] = {}
        self.typed_nodes: dict[tuple[Decimal, str], set[int]] = {}
        self.typed_in: dict[int, set[str]] = {}
        self.typed_in_count: Counter[str] = Counter()
        self.numbers = NodeNumbers({})
        self.cross_refs: dict[int, list[Finding]] = {}

    # -- a full run -----------------------------------------------------------------------

    @classmethod
    def full(cls, store: ReportStore, glossary: Glossary | None = None,
             should_stop: StopFlag = None) -> CheckState:
        """Check the whole report in ``store`` (``ChecksCancelled`` when stopped)."""
        step = _stopper(should_stop)
        step()
        year = store.report()["year"]
        state = cls(year, TermChecker.for_glossary(glossary) if glossary is not None else None)
        damage = find_damage(store.db, should_stop)
        step()
        state.damage = [damage_finding(d) for d in damage]
        state.unusable.update(d.row_id for d in damage if d.table == "indicators")
        state.damaged_nodes = {d.row_id for d in damage if d.table == "nodes"}
        step()
        indicators = state._read_years(store, step)
        state.values = YearValues(indicators, (year, year - 1), state.unusable)
        state.values.store = store
        state.key_rows = {i.key: i.id for i in indicators if i.year == year}
        for finding in yoy_findings(indicators, year, should_stop):
            state.yoy.setdefault(finding.key, []).append(finding)
        del indicators
        keys = list(state.key_rows)
        for start in range(0, len(keys), _ROWS_PER_STEP):
            step()
            state._implausible(keys[start:start + _ROWS_PER_STEP])
        step()
        marks = store.to_update(year)
        state.shape = tree_shape(store)
        state.tree = tree = store.load_tree()
        state.numbers = NodeNumbers.from_tree(tree)
        for indicator in state.values.held_items():
            if indicator.year == year:
                state.keys_at.setdefault(indicator.node_id, set()).add(indicator.key)
        state._walk(tree, None, marks.node_ids, step)
        marked = marks.indicator_ids
        for start in range(0, len(keys), _ROWS_PER_STEP):
            step()
            state._key_findings(keys[start:start + _ROWS_PER_STEP], marked)
        state.values.store = None  # a worker's connection: closed after the run
        return state

    def _read_years(self, store: ReportStore, step: Callable[[], None]) -> list[Indicator]:
        """The usable rows of the report's year and the year before, in the order of
        ``ReportStore.indicator_values`` (newest year first, then report order)."""
        found = []
        rows = store.db.query("SELECT * FROM indicators WHERE year IN (?, ?) "
                              "ORDER BY year DESC, id", [self.year, self.year - 1])
        for number, row in enumerate(rows):
            if number % _ROWS_PER_STEP == 0:
                step()
            if row["id"] not in self.unusable:
                found.append(indicator_from_row(row))
        return found

    # -- an update after an edit ------------------------------------------------------------

    def update(self, store: ReportStore, nodes: Collection[int] = (),
               indicators: Collection[int] = (), titles: Collection[int] = ()) -> bool:
        """Re-run the checks for what changed: these nodes' texts (or to-update marks),
        these indicator rows, these nodes' titles (and so the places of what is below).

        False, changing nothing, when only a full run can tell: a damaged row or node was
        touched, or the tree has other nodes than at the last run."""
        if set(indicators) & self.unusable or set(nodes) & self.damaged_nodes \
                or tree_shape(store) != self.shape:
            return False
        changes = self._read_changes(store, indicators)
        rows = self._read_nodes(store, set(nodes) | set(titles))
        if changes is None or rows is None:
            return False
        for node_id, row in rows.items():  # the tree is as it was: its texts are read again
            node = self.places[node_id][0]
            for column in ("title_en", "title_zh", "text_en", "text_zh"):
                setattr(node, column, row[column] or "")
        tree = self.tree
        walked = [self.places[node_id] for node_id in self.order]
        year = self.year
        self.values.store = store
        rendered_keys: set[str] = set()  # keys whose value in some year changed
        keys: set[str] = set()  # keys whose rows of the two years changed
        typed: set[tuple[Decimal, str]] = set()
        homes: set[int | None] = set()
        for key, old, new in changes:
            rendered_keys.add(key)
            for indicator in (old, new):
                if indicator is not None:
                    rendered_keys.add(indicator.key)
                    keys.add(indicator.key)
                    typed.add((indicator.value, indicator.unit))
                    homes.add(indicator.node_id)
            self.values.replace(old, new)
            if old is not None and old.year == year and self.key_rows.get(old.key) == old.id:
                del self.key_rows[old.key]
                self.keys_at.get(old.node_id, set()).discard(old.key)
                self._key_order = None
            if new is not None and new.year == year:
                self.key_rows[new.key] = new.id
                self.keys_at.setdefault(new.node_id, set()).add(new.key)
                self._key_order = None
        self.values.forget(rendered_keys)

        # the rates of a paragraph are compared with each other (a swap): the paragraph of
        # each key's row of this year, which an edit of last year's row does not name
        for key in keys:
            current = self.values.held(key, year)
            if current is not None:
                homes.add(current.node_id)
        same_place = keys.union(*(self.keys_at.get(home, set()) for home in homes))
        held = sorted((i for k in same_place for y in (year, year - 1)
                       if (i := self.values.held(k, y)) is not None),
                      key=lambda i: (-i.year, i.id))
        for key in same_place:
            self.yoy.pop(key, None)
        for finding in yoy_findings(held, year):
            self.yoy.setdefault(finding.key, []).append(finding)
        self._implausible(keys)

        # the nodes whose findings may differ
        renamed = self._below(walked, titles)
        touched = set(nodes) | renamed
        for key in rendered_keys:
            touched |= self.referrers.get(key, set())
        for value in typed:
            touched |= self.typed_nodes.get(value, set())
        marks = store.to_update(year)
        self.order, self.places = [], {}
        membership = self._walk(tree, touched, marks.node_ids, lambda: None, walked)
        placed = set().union(*(self.keys_at.get(node_id, set()) for node_id in renamed))
        self._key_findings(keys | membership | placed, marks.indicator_ids)
        # a renamed part is named by the references to it, wherever they are
        for node, path in (walked if titles else [self.places[n] for n in touched]):
            self.cross_refs[node.id] = node_cross_references(node, path, self.numbers)
        return True

    def _read_changes(self, store: ReportStore, ids: Collection[int]
                      ) -> list[tuple[str, Indicator | None, Indicator | None]] | None:
        """(key, held before, held now) for each changed row id; None if one is damaged."""
        rows: dict[int, dict] = {}
        listed = list(ids)
        for start in range(0, len(listed), 500):
            chunk = listed[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows.update((r["id"], r) for r in store.db.query(
                f"SELECT * FROM indicators WHERE id IN ({marks})", chunk))
        changes = []
        for ident in listed:
            before = self.values.ids.get(ident)
            old = self.values.held(*before) if before is not None else None
            row = rows.get(ident)
            new = None
            key = old.key if old is not None else ""
            if row is not None:
                try:
                    now = indicator_from_row(row)
                except DamagedIndicator:
                    return None
                key = now.key
                new = now if now.year in self.values.years else None
            changes.append((key, old, new))
        return changes

    def _read_nodes(self, store: ReportStore, ids: Collection[int]
                    ) -> dict[int, dict] | None:
        """The stored rows of these nodes; None if one is not in the tree checked."""
        rows = {}
        for node_id in ids:
            if node_id not in self.places:
                return None
            rows[node_id] = store.node_row(node_id)
        return rows

    @staticmethod
    def _below(walked: list[tuple[Node, list[Node]]], tops: Collection[int]) -> set[int]:
        """The nodes ``tops`` and every node below them."""
        if not tops:
            return set()
        found = set(tops)
        for node, path in walked:
            if any(p.id in found for p in path):
                found.add(node.id)
        return found

    # -- the parts ------------------------------------------------------------------------

    def _implausible(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.implausible.pop(key, None)
            current = self.values.held(key, self.year)
            prior = self.values.held(key, self.year - 1)
            if current is not None and prior is not None:
                found = implausible_change(current, prior, self.factor)
                if found is not None:
                    self.implausible[key] = [found]

    def _walk(self, tree: list[Node], only: set[int] | None, marked: Collection[int],
              step: Callable[[], None],
              walked: list[tuple[Node, list[Node]]] | None = None) -> set[str]:
        """Check the nodes (``only`` these, or all); the keys whose being referred to, or
        typed in, changed."""
        membership: set[str] = set()
        for number, (node, path) in enumerate(walked if walked is not None
                                              else walk_with_path(tree)):
            self.order.append(node.id)
            self.places[node.id] = (node, path)
            if only is not None and node.id not in only:
                continue
            if number % 50 == 0:
                step()
            uses = Uses()
            found = node_findings(node, path, self.values, self.year, self.terms, uses, marked)
            self.node_found[node.id] = found
            self.contradictions[node.id] = node_contradictions(node, path, self.values,
                                                               self.year)
            if only is None:
                self.cross_refs[node.id] = node_cross_references(node, path, self.numbers)
            membership |= self._remember(node.id, uses, found)
        return membership

    def _remember(self, node_id: int, uses: Uses, found: list[Finding]) -> set[str]:
        """Index what the node refers to and what is typed into it; the keys whose
        membership in either changed."""
        old_refs = self.refs.get(node_id, set())
        for key in old_refs - uses.keys:
            self.referrers[key].discard(node_id)
            if not self.referrers[key]:
                del self.referrers[key]
        for key in uses.keys - old_refs:
            self.referrers.setdefault(key, set()).add(node_id)
        self.refs[node_id] = set(uses.keys)
        for value in self.typed.get(node_id, set()) - uses.typed:
            self.typed_nodes[value].discard(node_id)
            if not self.typed_nodes[value]:
                del self.typed_nodes[value]
        for value in uses.typed:
            self.typed_nodes.setdefault(value, set()).add(node_id)
        self.typed[node_id] = set(uses.typed)
        typed_in = {f.key for f in found if f.code == "unbound-figure"}
        old_typed_in = self.typed_in.get(node_id, set())
        self.typed_in_count.subtract(old_typed_in)
        self.typed_in_count.update(typed_in)
        self.typed_in_count += Counter()  # drop the keys no longer counted
        self.typed_in[node_id] = typed_in
        return (old_refs ^ uses.keys) | (old_typed_in ^ typed_in)

    def _place(self, node_id: int) -> str:
        found = self.places.get(node_id)
        return node_place(found[0], found[1], "en") if found else ""

    def _key_findings(self, keys: Iterable[str], marked: Collection[int]) -> None:
        """The to-update and unused-indicator findings of these keys."""
        held = []
        for key in keys:
            self.to_update.pop(key, None)
            self.unused.pop(key, None)
            if key in self.key_rows:
                indicator = self.values.held(key, self.year)
                if indicator is not None:
                    held.append(indicator)
        held.sort(key=lambda i: i.id)
        marks = _Marked(marked)
        for finding in value_to_update_findings(held, marks, self.year, self._place):
            self.to_update.setdefault(finding.key, []).append(finding)
        for finding in unused_indicator_findings(held, self.year, self.referrers.keys(),
                                                 self._place, self.typed_in_count):
            self.unused.setdefault(finding.key, []).append(finding)

    # -- the result -----------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        """Every finding, in the order of a full run."""
        if self._key_order is None:
            self._key_order = sorted(self.key_rows, key=self.key_rows.__getitem__)
        keys = self._key_order
        found = list(self.damage)
        for by_key in (self.yoy, self.implausible):
            for key in keys:
                found += by_key.get(key, ())
        for by_node in (self.contradictions, self.node_found):
            for node_id in self.order:
                found += by_node.get(node_id, ())
        for key in keys:
            found += self.to_update.get(key, ())
        for node_id in self.order:
            found += self.cross_refs.get(node_id, ())
        for key in keys:
            found += self.unused.get(key, ())
        return found


def tree_shape(store: ReportStore) -> tuple:
    """A fingerprint of the tree's shape (which nodes, under which parent, in which order):
    an update is only for the tree it was made from."""
    return tuple(store.db.execute(
        "SELECT count(*), total((id % 9973) * (position + 1)), "
        "total((coalesce(parent_id, 0) % 7919) * (id % 101 + 1)) FROM nodes").fetchone())


class _Marked:
    """The to-update marks as :func:`value_to_update_findings` asks for them."""

    def __init__(self, indicator_ids: Collection[int]) -> None:
        self.indicator_ids = indicator_ids
