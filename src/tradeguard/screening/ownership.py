"""Ownership graph and the 50 percent rule, per regime (OFAC, EU, UK).

An :class:`Edge` says that ``owner`` holds ``share`` of ``owned`` (and/or controls it). Shares
are kept as bounds in percent, so that exact numbers, ranges ("25-50"), one-sided statements
(">50", "majority") and unknown shares are handled alike; see :func:`parse_share`.

:func:`compute_blocked` decides, for every node of the graph and for one regime, whether the
node is ``blocked``, ``not_blocked`` or ``cannot_exclude`` (three-valued logic):

* ``blocked`` when the regime's rule is met using the *lower* bounds of the stakes held by
  nodes already known to be blocked (listed, or found blocked);
* ``not_blocked`` when the rule cannot be met even with the *upper* bounds of the stakes held
  by nodes that are blocked or cannot be excluded;
* ``cannot_exclude`` otherwise.

Both sets are least fixed points, computed with a worklist over the whole graph (cycles
included): each edge is looked at once per set, so 1,000,000 edges take seconds, not minutes.
A cycle of companies owning each other with no designated person upstream stays not blocked.

Rules (``REGIMES``, all thresholds in percent):

* ``ofac`` — blocked if the stakes held *directly* by blocked persons add up to 50% or more.
  A blocked owner's stake counts in full and is never multiplied down a chain; stakes of
  persons blocked under different programs aggregate. Control without 50% ownership does not
  block (OFAC's guidance) but is flagged for caution.
* ``eu`` — 50% or more, aggregated across designated persons (and those found owned by them),
  plus control edges (majority of the board, dominant influence).
* ``uk`` — more than 50%; stakes of different designated persons are not added up unless the
  edges are marked ``joint`` (a joint arrangement); control edges count.

Several edges for the same (owner, owned) pair describe one stake: the latest dated statement
wins (a dated one over an undated one); equally dated (or undated) statements are combined
into one interval from the lowest lower bound to the highest upper bound, so that sources that
disagree give ``cannot_exclude`` rather than a silent pick. To add up two classes of shares,
state their sum on one row.

Nodes are names or ids as loaded. Names that differ only in case or spacing are one node (the
first spelling is shown). The caller decides who is listed (designated) for a regime.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from tradeguard.model import Entity, Relation, make_entity_id
from tradeguard.sources.base import SourceError
from tradeguard.sources.common import clean, iter_csv, parse_date, read_text

__all__ = [
    "EDGE_COLUMNS",
    "REGIMES",
    "STATUSES",
    "UNKNOWN_SHARE",
    "CautionFlag",
    "Edge",
    "OwnershipGraph",
    "OwnershipResult",
    "Regime",
    "Share",
    "compute_blocked",
    "edges_from_entities",
    "load_edges_csv",
    "parse_bool",
    "parse_share",
    "RELATION_KINDS",
    "above_share",
    "below_share",
    "exact_share",
    "range_share",
]

# A one-sided bound (">50", "<25", "majority") is stored this far inside the stated number,
# so that ">50" meets "more than 50" and "<50" never meets "50 or more".
OPEN_EPS = 1e-6
# Tolerance for float sums (30.1 + 19.9 must equal 50). Far below OPEN_EPS.
TOL = 1e-9

STATUSES: tuple[str, ...] = ("blocked", "not_blocked", "cannot_exclude")


# --- shares -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Share:
    """A stake in percent as bounds: ``low`` <= true share <= ``high``.

    One-sided bounds are stored ``OPEN_EPS`` inside the stated number. ``label`` is the
    canonical text shown in paths ("50", "25-50", ">50", "unknown").
    """

    low: float
    high: float
    label: str

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def unknown(self) -> bool:
        return self.low <= 0.0 and self.high >= 100.0

    def __str__(self) -> str:
        return self.label


def _fmt(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


UNKNOWN_SHARE = Share(0.0, 100.0, "unknown")


def _check_range(low: float, high: float) -> None:
    if low < 0 or high < 0:
        raise ValueError("a share cannot be negative")
    if low > 100 + TOL or high > 100 + TOL:
        raise ValueError(f"share {_fmt(max(low, high))}% is more than 100%")
    if low > high:
        raise ValueError(f"range {_fmt(low)}-{_fmt(high)} has its bounds the wrong way round")


def exact_share(value: float) -> Share:
    _check_range(value, value)
    return Share(float(value), float(value), _fmt(value))


def range_share(low: float, high: float) -> Share:
    _check_range(low, high)
    if low == high:
        return exact_share(low)
    return Share(float(low), float(high), f"{_fmt(low)}-{_fmt(high)}")


def above_share(value: float, inclusive: bool) -> Share:
    _check_range(value, value)
    if inclusive:
        return Share(float(value), 100.0, f">={_fmt(value)}")
    if value >= 100:
        raise ValueError("a share cannot be more than 100%")
    return Share(value + OPEN_EPS, 100.0, f">{_fmt(value)}")


def below_share(value: float, inclusive: bool) -> Share:
    _check_range(value, value)
    if inclusive:
        return Share(0.0, float(value), f"<={_fmt(value)}")
    if value <= 0:
        raise ValueError("a share cannot be less than 0%")
    return Share(0.0, value - OPEN_EPS, f"<{_fmt(value)}")


_NUM = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_PCT = r"(%|％|percent|per cent|pct)?"
_SUFFIX = re.compile(
    r"\s*(?:-\s*)?\b(owned|ownership|owner|stake|interest|shareholding|shares|of shares|equity|"
    r"holding|of the shares|of capital|of share capital)$"
)
_SINGLE = re.compile(rf"^{_NUM}\s*{_PCT}$")
_RANGE = re.compile(
    rf"^(?:between\s+|from\s+)?{_NUM}\s*{_PCT}\s*(?:-|–|—|to|and|\.\.|…)\s*{_NUM}\s*{_PCT}$"
)
_OPS: dict[str, tuple[str, bool]] = {
    ">": ("above", False),
    ">=": ("above", True),
    "=>": ("above", True),
    "≥": ("above", True),
    "more than": ("above", False),
    "greater than": ("above", False),
    "over": ("above", False),
    "above": ("above", False),
    "in excess of": ("above", False),
    "exceeding": ("above", False),
    "at least": ("above", True),
    "not less than": ("above", True),
    "minimum": ("above", True),
    "min": ("above", True),
    "<": ("below", False),
    "<=": ("below", True),
    "=<": ("below", True),
    "≤": ("below", True),
    "less than": ("below", False),
    "fewer than": ("below", False),
    "under": ("below", False),
    "below": ("below", False),
    "up to": ("below", True),
    "at most": ("below", True),
    "not more than": ("below", True),
    "maximum": ("below", True),
    "max": ("below", True),
}
_OP = re.compile(
    r"^("
    + "|".join(re.escape(op) for op in sorted(_OPS, key=len, reverse=True))
    + rf")\s*\.?\s*{_NUM}\s*{_PCT}$"
)
_MAJORITY = {"majority", "majority owned", "majority-owned", "majority stake", "majority share",
             "controlling majority", "more than half", "over half"}
_MINORITY = {"minority", "minority owned", "minority-owned", "minority stake", "minority share",
             "less than half"}
_WHOLLY = {"wholly", "wholly owned", "wholly-owned", "fully owned", "fully-owned", "entire",
           "all", "sole owner", "100 percent", "whole"}
_UNKNOWN = {"?", "unk", "unknown", "undisclosed", "not stated", "not known", "not disclosed",
            "n.a.", "n/k", "tbd"}
_APPROX = re.compile(r"^(~|approx\.?|approximately|about|around|circa|ca\.?|c\.)\s*")


def _number(text: str) -> tuple[float, bool]:
    """A number and whether it was written with a decimal separator."""
    return float(text.replace(",", ".")), ("." in text or "," in text)


def _fractions(numbers: Sequence[tuple[float, bool]], has_pct: bool) -> bool:
    """Values written as fractions: no percent sign, all <= 1, one with a decimal point."""
    return (not has_pct) and all(v <= 1 for v, _ in numbers) and any(d for _, d in numbers)


def parse_share(value: Any) -> Share:
    """Parse a stated share into percent bounds.

    * numbers: "50", "50%", "50 percent", "50,5" (decimal comma), "12.25";
    * fractions: a value <= 1 written with a decimal point and no percent sign is a fraction
      of one: "0.5" and ".5" are 50%, "1.0" is 100%; "1" is 1% and "0.5%" is 0.5%;
    * ranges: "25-50", "25% to 50%", "between 25 and 50", "0.25-0.5";
    * one-sided: ">50", ">=50", "<25", "over 50%", "at least 25", "up to 10";
    * words: "majority" (more than 50), "minority" (less than 50), "wholly owned" (100);
    * unknown: None, "", "unknown", "?", "undisclosed" give 0-100.

    Trailing words such as "owned" or "stake" are ignored ("51% owned"). Anything else
    (including approximate values such as "~50") raises ValueError with the reason.
    """
    if isinstance(value, Share):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a share: {value!r}")
    if isinstance(value, int | float):
        number = float(value)
        if isinstance(value, float) and 0 < number <= 1 and not number.is_integer():
            number *= 100
        return exact_share(number)
    text = clean(value)
    if text is None:
        return UNKNOWN_SHARE
    text = text.casefold().strip()
    if text in _UNKNOWN:
        return UNKNOWN_SHARE
    stripped = text
    while True:
        shorter = _SUFFIX.sub("", stripped).strip()
        if shorter == stripped:
            break
        stripped = shorter
    if not stripped:
        raise ValueError(f"not a share: {text!r}")
    if stripped in _MAJORITY:
        return above_share(50.0, inclusive=False)
    if stripped in _MINORITY:
        return below_share(50.0, inclusive=False)
    if stripped in _WHOLLY:
        return exact_share(100.0)
    if _APPROX.match(stripped):
        raise ValueError(f"approximate share {text!r}: state a number or a range (e.g. 45-55)")
    m = _SINGLE.match(stripped)
    if m:
        n = _number(m.group(1))
        scale = 100.0 if _fractions([n], bool(m.group(2))) else 1.0
        return exact_share(n[0] * scale)
    m = _RANGE.match(stripped)
    if m:
        a, b = _number(m.group(1)), _number(m.group(3))
        scale = 100.0 if _fractions([a, b], bool(m.group(2) or m.group(4))) else 1.0
        return range_share(a[0] * scale, b[0] * scale)
    m = _OP.match(stripped)
    if m:
        direction, inclusive = _OPS[m.group(1)]
        n = _number(m.group(2))
        scale = 100.0 if _fractions([n], bool(m.group(3))) else 1.0
        if direction == "above":
            return above_share(n[0] * scale, inclusive)
        return below_share(n[0] * scale, inclusive)
    raise ValueError(
        f"not a share: {text!r} (expected a number in percent, a fraction such as 0.5, "
        "a range such as 25-50, >50, <25, 'majority' or 'unknown')"
    )


def _lenient_share(value: Any) -> Share:
    """parse_share, but a share the list states in words we cannot read is 'unknown'."""
    try:
        return parse_share(value)
    except ValueError:
        return Share(0.0, 100.0, f"unknown ({clean(value)})")


_TRUE = {"1", "true", "t", "yes", "y", "x", "joint", "control", "controlled", "ja", "oui"}
_FALSE = {"", "0", "false", "f", "no", "n", "-", "none", "nein", "non"}


def parse_bool(value: Any) -> bool:
    """A yes/no cell: true/yes/y/1/x (and 'joint', 'control') or false/no/n/0/empty."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected yes/no (true/false, 1/0), got {value!r}")


# --- edges ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edge:
    """``owner`` holds ``share`` of ``owned``; ``control``: board majority or dominant
    influence; ``joint``: the stake is held under a joint arrangement with other owners."""

    owner: str
    owned: str
    share: Share = UNKNOWN_SHARE
    joint: bool = False
    control: bool = False
    source: str | None = None
    date: str | None = None

    def step(self) -> dict[str, Any]:
        out: dict[str, Any] = {"owner": self.owner, "owned": self.owned, "share": self.share.label}
        if self.joint:
            out["joint"] = True
        if self.control:
            out["control"] = True
        if self.source:
            out["source"] = self.source
        if self.date:
            out["date"] = self.date
        return out


EDGE_COLUMNS: tuple[str, ...] = ("owner", "owned", "share", "joint", "control", "source", "date")


def load_edges_csv(path: str | Path) -> list[Edge]:
    """Read a user ownership CSV: ``owner, owned, share, joint, control, source, date``.

    ``owner`` and ``owned`` are required (names or entity ids); the rest may be absent or
    empty (share unknown, joint/control false). Errors are SourceError naming the file and
    line. ``source`` defaults to the file name.
    """
    path = Path(path)
    text = read_text(path)
    rows = iter_csv(path, text=text)
    header: list[str] | None = None
    cols: dict[str, int] = {}
    edges: list[Edge] = []
    for line, row in rows:
        if header is None:
            if not any(cell.strip() for cell in row):
                continue
            header = [cell.strip().casefold().replace(" ", "_") for cell in row]
            cols = {name: i for i, name in enumerate(header) if name in EDGE_COLUMNS}
            missing = [c for c in ("owner", "owned") if c not in cols]
            if missing:
                raise SourceError(
                    path,
                    f"line {line}",
                    f"missing required column(s) {', '.join(missing)}; the header must name "
                    f"{', '.join(EDGE_COLUMNS)} (found: {', '.join(row)})",
                )
            continue
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, _row: list[str] = row, _cols: dict[str, int] = cols) -> str | None:
            return clean(_raw(_row, _cols.get(name)))

        owner, owned = cell("owner"), cell("owned")
        if owner is None or owned is None:
            which = "owner" if owner is None else "owned"
            raise SourceError(path, f"line {line}", f"empty {which!r} column")
        raw_share = _raw(row, cols.get("share"))
        try:
            share = parse_share(raw_share)
        except ValueError as exc:
            raise SourceError(path, f"line {line}", f"column 'share': {exc}") from exc
        flags: dict[str, bool] = {}
        for name in ("joint", "control"):
            try:
                flags[name] = parse_bool(_raw(row, cols.get(name)))
            except ValueError as exc:
                raise SourceError(path, f"line {line}", f"column {name!r}: {exc}") from exc
        raw_date = cell("date")
        date = parse_date(raw_date) if raw_date else None
        if raw_date and date is None:
            raise SourceError(path, f"line {line}", f"column 'date': not a date: {raw_date!r}")
        edges.append(
            Edge(
                owner=owner,
                owned=owned,
                share=share,
                joint=flags["joint"],
                control=flags["control"],
                source=cell("source") or path.name,
                date=date,
            )
        )
    if header is None:
        raise SourceError(path, None, "empty file: expected a header row " + ", ".join(EDGE_COLUMNS))
    return edges


def _raw(row: list[str], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    return row[index]


# Relation kinds (tradeguard.model.Relation.kind) that carry ownership or control.
# value: (the relation's target is the owner, control edge)
RELATION_KINDS: dict[str, tuple[bool, bool]] = {
    "owned_by": (True, False),
    "owner_of": (False, False),
    "controlled_by": (True, True),
    "controls": (False, True),
    "controller_of": (False, True),
}


def edges_from_entities(entities: Iterable[Entity]) -> list[Edge]:
    """Ownership and control edges from the relations lists state.

    ``owned_by``/``owner_of``/``controlled_by``/``controls`` relations become edges between
    entity ids (``list-source_id``, as :attr:`Entity.entity_id`); a related party named
    without an id on the list is a node by its name. FollowTheMoney ``Ownership`` entities
    arrive as ``owned_by`` relations (target = the owner's id) and are covered here. A share
    the list states in words that cannot be read becomes "unknown" (the text is kept in the
    label). ``source`` is the list key.
    """
    edges: list[Edge] = []
    for entity in entities:
        me = entity.entity_id
        relations = cast("list[Relation]", entity.relations)  # Entity.list shadows list
        for rel in relations:
            kind = RELATION_KINDS.get(rel.kind)
            if kind is None:
                continue
            target_is_owner, control = kind
            if rel.target_source_id:
                other = make_entity_id(entity.list, rel.target_source_id)
            elif rel.target_name:
                other = rel.target_name
            else:
                continue
            share = _lenient_share(rel.share)
            owner, owned = (other, me) if target_is_owner else (me, other)
            edges.append(Edge(owner, owned, share, control=control, source=entity.list))
    return edges


# --- regimes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Regime:
    name: str
    threshold: float  # percent
    strict: bool  # True: more than threshold; False: threshold or more
    aggregate: bool  # stakes of different blocked owners add up
    control_counts: bool  # a control edge from a blocked owner blocks
    description: str

    def met(self, value: float) -> bool:
        if self.strict:
            return value > self.threshold + TOL
        return value >= self.threshold - TOL

    @property
    def rule_text(self) -> str:
        op = "more than" if self.strict else "at least"
        return f"{op} {_fmt(self.threshold)}%"


REGIMES: dict[str, Regime] = {
    "ofac": Regime(
        "ofac", 50.0, strict=False, aggregate=True, control_counts=False,
        description="OFAC 50 Percent Rule: 50% or more held directly by blocked persons, "
        "in the aggregate; control alone does not block",
    ),
    "eu": Regime(
        "eu", 50.0, strict=False, aggregate=True, control_counts=True,
        description="EU: 50% or more aggregated across designated persons, or control",
    ),
    "uk": Regime(
        "uk", 50.0, strict=True, aggregate=False, control_counts=True,
        description="UK: more than 50% held by one designated person (or jointly), or control",
    ),
}


# --- the graph --------------------------------------------------------------------------


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class OwnershipGraph:
    """Edges indexed for the fixed point: one stake per (owner, owned) pair, adjacency in
    compact arrays. Build once with :meth:`build` and reuse it for every regime."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._index: dict[str, int] = {}
        self._raw_index: dict[str, int] = {}
        self.edges: list[Edge] = []  # one representative edge per (owner, owned) pair
        self.src = array("l")
        self.dst = array("l")
        self.low = array("d")
        self.high = array("d")
        self.joint = bytearray()
        self.control = bytearray()
        self.out_start = array("l")
        self.out_edges = array("l")
        self.in_start = array("l")
        self.in_edges = array("l")

    def __len__(self) -> int:
        return len(self.names)

    @property
    def edge_count(self) -> int:
        return len(self.edges)

    def node(self, name: str) -> int | None:
        found = self._raw_index.get(name)
        if found is None:
            found = self._index.get(_key(name))
        return found

    def _add_node(self, name: str) -> int:
        found = self._raw_index.get(name)
        if found is not None:
            return found
        key = _key(name)
        found = self._index.get(key)
        if found is None:
            found = len(self.names)
            self.names.append(" ".join(name.split()))
            self._index[key] = found
        self._raw_index[name] = found
        return found

    @classmethod
    def build(cls, edges: Iterable[Edge]) -> OwnershipGraph:
        g = cls()
        pairs: dict[int, int] = {}
        src, dst, reps = g.src, g.dst, g.edges
        add = g._add_node
        for edge in edges:
            o = add(edge.owner)
            d = add(edge.owned)
            key = (o << 32) | d
            pos = pairs.get(key)
            if pos is None:
                pairs[key] = len(reps)
                reps.append(edge)
                src.append(o)
                dst.append(d)
            else:
                reps[pos] = _merge(reps[pos], edge)
        del pairs
        g._raw_index = {}
        m = len(reps)
        g.low = array("d", (e.share.low for e in reps))
        g.high = array("d", (e.share.high for e in reps))
        g.joint = bytearray(1 if e.joint else 0 for e in reps)
        g.control = bytearray(1 if e.control else 0 for e in reps)
        n = len(g.names)
        g.out_start, g.out_edges = _csr(src, n, m)
        g.in_start, g.in_edges = _csr(dst, n, m)
        return g


def _csr(keys: array[int], n: int, m: int) -> tuple[array[int], array[int]]:
    start = array("l", [0]) * (n + 1)
    for k in keys:
        start[k + 1] += 1
    total = 0
    for i in range(n + 1):
        total += start[i]
        start[i] = total
    pos = array("l", start[:n])
    order = array("l", [0]) * m
    for e, k in enumerate(keys):
        order[pos[k]] = e
        pos[k] += 1
    return start, order


def _merge(a: Edge, b: Edge) -> Edge:
    """Two statements about the same stake: the latest dated wins, else combine."""
    if a.date != b.date:
        if a.date and (not b.date or a.date > b.date):
            return a
        if b.date:
            return b
    if a.share == b.share:
        share = a.share
    else:
        low, high = min(a.share.low, b.share.low), max(a.share.high, b.share.high)
        share = Share(low, high, f"{a.share.label} / {b.share.label}")
    sources = [s for s in (a.source, b.source) if s]
    source = "; ".join(dict.fromkeys(sources)) if sources else None
    return Edge(a.owner, a.owned, share, a.joint or b.joint, a.control or b.control, source, a.date)


# --- the fixed point --------------------------------------------------------------------


def _fixpoint(g: OwnershipGraph, seeds: Sequence[int], bound: array[float], regime: Regime) -> array[int]:
    """Least set closed under the regime's rule, using ``bound`` for each stake.

    Returns ``rank``: the order in which each node entered the set (-1: not in it). A node's
    witnesses are in-edges from owners of lower rank, so witness chains never loop.
    """
    n = len(g)
    rank = array("l", [-1]) * n
    acc = array("d", [0.0]) * n
    out_start, out_edges, dst = g.out_start, g.out_edges, g.dst
    joint, control = g.joint, g.control
    threshold = regime.threshold
    strict, aggregate, control_counts = regime.strict, regime.aggregate, regime.control_counts
    hi_line = threshold + TOL
    lo_line = threshold - TOL
    stack: list[int] = []
    counter = 0
    for s in seeds:
        if rank[s] < 0:
            rank[s] = counter
            counter += 1
            stack.append(s)
    while stack:
        u = stack.pop()
        for k in range(out_start[u], out_start[u + 1]):
            e = out_edges[k]
            v = dst[e]
            if rank[v] >= 0:
                continue
            if control_counts and control[e]:
                hit = True
            else:
                b = bound[e]
                if b <= 0.0:
                    continue
                if aggregate or joint[e]:
                    total = acc[v] + b
                    acc[v] = total
                else:
                    total = b
                hit = total > hi_line if strict else total >= lo_line
            if hit:
                rank[v] = counter
                counter += 1
                stack.append(v)
    return rank


@dataclass(slots=True)
class CautionFlag:
    """Something short of blocking that a reviewer should see."""

    kind: str  # "minority_stake" | "control_not_counted" | "aggregate_not_counted"
    owner: str
    share: str
    owner_status: str  # "blocked" | "cannot_exclude"
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "owner": self.owner,
            "share": self.share,
            "owner_status": self.owner_status,
            "detail": self.detail,
        }


class _Solution:
    """Everything computed for one regime; results read paths from it lazily."""

    def __init__(
        self,
        g: OwnershipGraph,
        regime: Regime,
        listed: bytearray,
        rank_d: array[int],
        rank_p: array[int],
        max_paths: int,
    ) -> None:
        self.g = g
        self.regime = regime
        self.listed = listed
        self.rank_d = rank_d
        self.rank_p = rank_p
        self.max_paths = max_paths
        self._witness: dict[tuple[int, bool], list[int]] = {}

    def witness(self, v: int, definite: bool) -> list[int]:
        """In-edges (ids) that put ``v`` into the set, from owners that entered earlier."""
        key = (v, definite)
        found = self._witness.get(key)
        if found is not None:
            return found
        g, regime = self.g, self.regime
        rank = self.rank_d if definite else self.rank_p
        bound = g.low if definite else g.high
        mine = rank[v]
        ins = [
            e
            for e in g.in_edges[g.in_start[v] : g.in_start[v + 1]]
            if 0 <= rank[g.src[e]] < mine
        ]
        controls = [e for e in ins if g.control[e]] if regime.control_counts else []
        in_controls = set(controls)
        stakes = [e for e in ins if bound[e] > 0.0 and e not in in_controls]
        stakes.sort(key=lambda e: -bound[e])
        if regime.aggregate:
            chosen = controls + stakes
        else:
            singles = [e for e in stakes if regime.met(bound[e])]
            if singles or controls:
                chosen = controls + singles
            else:
                chosen = [e for e in stakes if g.joint[e]]
        self._witness[key] = chosen
        return chosen

    def paths(self, v: int) -> list[list[Edge]]:
        """Chains of stakes from listed persons down to ``v`` (at most ``max_paths``)."""
        if self.listed[v]:
            return []
        definite = self.rank_d[v] >= 0
        if not definite and self.rank_p[v] < 0:
            return []
        g = self.g
        out: list[list[Edge]] = []
        # Depth-first over the witness graph. Each stack item is (node, chain below it), the
        # chain as a linked list (edge, rest) so that a step costs O(1) however deep.
        Link = tuple[int, Any] | None
        stack: list[tuple[int, Link]] = [(v, None)]
        while stack and len(out) < self.max_paths:
            node, chain = stack.pop()
            if self.listed[node] and chain is not None:
                steps: list[Edge] = []
                link: Link = chain
                while link is not None:
                    steps.append(self._step(link[0]))
                    link = link[1]
                out.append(steps)
                continue
            # Below a blocked node on a cannot_exclude path, use its definite witness.
            use_definite = definite or self.rank_d[node] >= 0
            for e in reversed(self.witness(node, use_definite)):
                stack.append((g.src[e], (e, chain)))
        return out

    def _step(self, e: int) -> Edge:
        g = self.g
        edge = g.edges[e]
        owner, owned = g.names[g.src[e]], g.names[g.dst[e]]
        if edge.owner == owner and edge.owned == owned:
            return edge
        return Edge(owner, owned, edge.share, edge.joint, edge.control, edge.source, edge.date)


class OwnershipResult:
    """The outcome for one node: status, whether listed, why (paths), caution flags.

    ``held_low``/``held_high``: the stake that counts under the regime, held by blocked
    persons (lower bound) and by persons blocked or not excluded (upper bound) — the sum for
    OFAC/EU, the largest single or joint stake for the UK.
    """

    __slots__ = (
        "entity", "status", "listed", "caution", "held_low", "held_high", "controlled",
        "_solution", "_index", "_paths",
    )

    def __init__(
        self,
        entity: str,
        status: str,
        listed: bool,
        caution: list[CautionFlag],
        held_low: float,
        held_high: float,
        controlled: bool,
        solution: _Solution,
        index: int,
    ) -> None:
        self.entity = entity
        self.status = status
        self.listed = listed
        self.caution = caution
        self.held_low = held_low
        self.held_high = held_high
        self.controlled = controlled
        self._solution = solution
        self._index = index
        self._paths: list[list[Edge]] | None = None

    @property
    def regime(self) -> str:
        return self._solution.regime.name

    @property
    def paths(self) -> list[list[Edge]]:
        if self._paths is None:
            self._paths = self._solution.paths(self._index)
        return self._paths

    @property
    def detail(self) -> str:
        regime = self._solution.regime
        if self.listed:
            return "designated (listed)"
        held = _fmt(self.held_low)
        if self.status == "blocked":
            if self.controlled and not regime.met(self.held_low):
                return f"controlled by a blocked person ({regime.name.upper()})"
            how = "in aggregate" if regime.aggregate else "(largest single or joint holding)"
            return (
                f"blocked persons hold {held}% {how}; the rule is {regime.rule_text} "
                f"({regime.name.upper()})"
            )
        if self.status == "cannot_exclude":
            return (
                f"blocked persons hold at least {held}% and possibly up to "
                f"{_fmt(min(self.held_high, 100.0))}%"
                + (" or control" if self.controlled else "")
                + f"; the rule is {regime.rule_text} ({regime.name.upper()}): "
                "shares unknown or ranges, or owners that cannot be excluded"
            )
        return (
            f"blocked persons hold at most {_fmt(min(self.held_high, 100.0))}%; the rule is "
            f"{regime.rule_text} ({regime.name.upper()})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "status": self.status,
            "listed": self.listed,
            "paths": [[step.step() for step in chain] for chain in self.paths],
            "caution": [flag.to_dict() for flag in self.caution],
            "detail": self.detail,
        }

    def __repr__(self) -> str:
        return f"OwnershipResult({self.entity!r}, {self.status!r}, listed={self.listed})"


def compute_blocked(
    edges: Iterable[Edge] | OwnershipGraph,
    listed: Collection[str],
    regime: str = "ofac",
    caution_share: float = 25.0,
    max_paths: int = 20,
) -> list[OwnershipResult]:
    """One result per node of the graph (in first-seen order) under ``regime``.

    ``listed``: names or ids of designated persons (compared as loaded, and ignoring case
    and spacing); the caller decides which lists count for the regime. ``caution_share``:
    minority stakes of blocked persons at or above it are flagged. Pass a prebuilt
    :class:`OwnershipGraph` to compute several regimes without rebuilding.
    """
    rule = REGIMES.get(regime.casefold())
    if rule is None:
        raise ValueError(f"unknown regime {regime!r}: expected one of {', '.join(REGIMES)}")
    g = edges if isinstance(edges, OwnershipGraph) else OwnershipGraph.build(edges)
    n = len(g)
    listed_mask = bytearray(n)
    seeds: list[int] = []
    for name in listed:
        i = g.node(name)
        if i is not None and not listed_mask[i]:
            listed_mask[i] = 1
            seeds.append(i)
    seeds.sort()  # graph order, not set order: the same input gives the same paths every run
    rank_d = _fixpoint(g, seeds, g.low, rule)
    rank_p = _fixpoint(g, seeds, g.high, rule)
    solution = _Solution(g, rule, listed_mask, rank_d, rank_p, max_paths)
    return list(_results(solution, caution_share))


def _results(sol: _Solution, caution_share: float) -> Iterator[OwnershipResult]:
    g, rule = sol.g, sol.regime
    rank_d, rank_p, listed = sol.rank_d, sol.rank_p, sol.listed
    names, src, low, high = g.names, g.src, g.low, g.high
    joint, control = g.joint, g.control
    in_start, in_edges = g.in_start, g.in_edges
    caution_line = caution_share - TOL
    for v in range(len(g)):
        status = "blocked" if rank_d[v] >= 0 else ("cannot_exclude" if rank_p[v] >= 0 else "not_blocked")
        lo_sum = hi_sum = lo_joint = hi_joint = lo_single = hi_single = 0.0
        ctrl_d = ctrl_p = False
        flags: list[CautionFlag] = []
        for k in range(in_start[v], in_start[v + 1]):
            e = in_edges[k]
            u = src[e]
            d_owner = rank_d[u] >= 0
            if not d_owner and rank_p[u] < 0:
                continue
            lo = low[e] if d_owner else 0.0
            hi = high[e]
            lo_sum += lo
            hi_sum += hi
            if joint[e]:
                lo_joint += lo
                hi_joint += hi
            lo_single = max(lo_single, lo)
            hi_single = max(hi_single, hi)
            if control[e]:
                ctrl_p = True
                ctrl_d = ctrl_d or d_owner
            if status != "blocked":
                owner_status = "blocked" if d_owner else "cannot_exclude"
                label = g.edges[e].share.label
                if control[e] and not rule.control_counts:
                    flags.append(CautionFlag(
                        "control_not_counted", names[u], label, owner_status,
                        f"{names[u]} controls {names[v]}; control alone does not block under "
                        f"{rule.name.upper()}, but the entity may itself be designated",
                    ))
                if hi >= caution_line and hi > 0.0:
                    flags.append(CautionFlag(
                        "minority_stake", names[u], label, owner_status,
                        f"{owner_status.replace('_', ' ')} person {names[u]} holds {label}% "
                        f"of {names[v]} (at or above the {_fmt(caution_share)}% caution line)",
                    ))
        if rule.aggregate:
            held_low, held_high = lo_sum, hi_sum
        else:
            held_low, held_high = max(lo_single, lo_joint), max(hi_single, hi_joint)
            if status != "blocked" and rule.met(lo_sum):
                flags.append(CautionFlag(
                    "aggregate_not_counted", "", _fmt(lo_sum), "blocked",
                    f"different blocked persons hold {_fmt(lo_sum)}% together; under "
                    f"{rule.name.upper()} their stakes are not added up unless held jointly",
                ))
        controlled = (ctrl_d if status == "blocked" else ctrl_p) and rule.control_counts
        yield OwnershipResult(
            names[v], status, bool(listed[v]), flags, held_low, held_high, controlled, sol, v
        )

