"""Order and shipment screening as the API and the UI do it: one uploaded order or shipment
file in, one verdict per line out, the summary and the HTML evidence report stored
(``order_screenings``, with its kind), the screening audited (action ``orders_screen`` or
``shipments_screen``) and party matches raised as alerts. Shipments go through the same
pipeline with their vessel and route (:class:`~tradeguard.screening.shipments.VoyageChecks`).

The :class:`~tradeguard.screening.reports.OrderContext` (lists in force, goods lists,
destination rules, ownership graph) is built once and kept: it reuses the service's
screener for the dataset ``default`` (so the lists are indexed once, not twice) and is
rebuilt when that screener is (a new active list version), when the ownership loads
change (``tradeguard ownership load`` while the service runs) or when the Common High
Priority List file changes. Order files are screened one at a time per process: each
screening reads and then records the order-party history (the "first seen" red flag),
and two at once would each miss the other's parties.

Routes stay thin: they parse the request, call one method here, and return its result.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.requests import Request

from tradeguard.screening.destinations import DestinationRules
from tradeguard.screening.goods import default_chpl_path, load_chpl
from tradeguard.screening.orders import AddressIndex
from tradeguard.screening.parties import Screener
from tradeguard.screening.ports import RouteScreen
from tradeguard.screening.records import iter_records, write_records
from tradeguard.screening.reports import OrderContext, screen_order_file
from tradeguard.screening.shipments import VoyageChecks
from tradeguard.service.screening import BadRequest, suffix_for
from tradeguard.service.state import DEFAULT_DATASET, ServiceState
from tradeguard.sources.base import SourceError
from tradeguard.store.db import metadata
from tradeguard.store.ownership import (
    OwnershipContext,
    get_order_report,
    list_order_screenings,
    order_lines,
    ownership_loads,
)

REGIMES = ("ofac", "eu", "uk")
RESULT_COLUMNS = ["line", "verdict", "reasons"]


@dataclass(frozen=True)
class ScreeningKind:
    """What the API and the UI say about one kind of screened file."""

    name: str  # the store's kind and the URL segment: /orders, /ui/shipments
    title: str  # "Orders"
    word: str  # "order"
    file: str  # "order file"
    line: str  # "order line"
    columns: str  # what a file holds, for the upload form and the API docs


ORDERS = ScreeningKind(
    "orders", "Orders", "order", "order file", "order line",
    "line, {buyer,consignee,end_user,forwarder}_{name,address,country}, ship_to_country, description, "
    "manufacturer, part_number, hs_code, eccn, quantity, value",
)
SHIPMENTS = ScreeningKind(
    "shipments", "Shipments", "shipment", "shipment file", "shipment",
    "shipment, {shipper,consignee,notify,carrier}_{name,address,country}, vessel_name, vessel_imo, vessel_mmsi, "
    "vessel_flag, port_of_loading, port_of_discharge, place_of_receipt, place_of_delivery, transshipment_ports, "
    "description, hs_code, eccn, quantity, value",
)
KINDS = {kind.name: kind for kind in (ORDERS, SHIPMENTS)}


class Unavailable(RuntimeError):
    """Order screening cannot run on this service now (HTTP 503), with the reason."""


@dataclass(frozen=True)
class ContextKey:
    """What an order context was built from, besides the screener."""

    ownership: tuple[tuple[int, str], ...]  # (load id, sha256) of each ownership load
    chpl: tuple[str, float, int] | None  # the CHPL file: path, mtime, size


@dataclass
class ScreenedFile:
    """One screened order file: the summary and every line's result (None for a screening
    stored before per-line results were)."""

    id: int
    summary: dict[str, Any]
    lines: list[dict[str, Any]] | None  # {"line", "row", "verdict", "reasons": [{rule, detail, source, severity, ...}]}

    @property
    def records(self) -> list[dict[str, Any]]:
        """The results in the published shape: ``{"line", "verdict", "reasons": [{rule, detail, source}]}``."""
        return [api_record(line) for line in self.lines or []]


def api_record(line: dict[str, Any]) -> dict[str, Any]:
    return {"line": line["line"], "verdict": line["verdict"],
            "reasons": [{k: r[k] for k in ("rule", "detail", "source")} for r in line["reasons"]]}


def check_order_file(path: Path, filename: str, kind: ScreeningKind = ORDERS) -> None:
    """BadRequest when the file cannot be read at all or holds no rows (each row's own
    problems are reported with its line by the screening)."""
    try:
        first = next(iter(iter_records(path)), None)
    except SourceError as exc:
        where = f" ({exc.where})" if exc.where else ""
        raise BadRequest(f"{filename}{where}: {exc.problem}") from exc
    except Exception as exc:  # a damaged XLSX raises its reader's own errors
        raise BadRequest(f"{filename}: cannot read the file: {type(exc).__name__}: {exc}") from exc
    if first is None:
        raise BadRequest(f"{filename}: no {kind.line}s (a header line with {kind.columns}; then one {kind.line} per row)")


class OrderService:
    """The order context (cached), order screening, and the stored screenings."""

    def __init__(self, state: ServiceState) -> None:
        self.state = state
        metadata.create_all(state.engine)  # the ownership and order tables, if the store predates them
        self._context_lock = threading.Lock()
        self._screen_lock = threading.Lock()
        # The context is kept without its screener, which is only referred to weakly: when
        # the service rebuilds its screener for a new list version, the old index is freed
        # at once rather than when the next order file comes in.
        self._context: OrderContext | None = None
        self._screener: weakref.ref[Screener] | None = None
        self._key: ContextKey | None = None
        self.build_seconds: float | None = None
        # The ports and route rules of shipments, built on first use for the context's
        # destination rules (they hold no list, so they outlive a new list version).
        self._route: RouteScreen | None = None
        self._route_rules: DestinationRules | None = None

    # --- the context ----------------------------------------------------------------------

    def _ownership_key(self) -> tuple[tuple[int, str], ...]:
        with self.state.engine.connect() as conn:
            rows = conn.execute(select(ownership_loads.c.id, ownership_loads.c.sha256).order_by(ownership_loads.c.id))
            return tuple((int(r.id), str(r.sha256)) for r in rows)

    @staticmethod
    def _chpl_key() -> tuple[str, float, int] | None:
        path = default_chpl_path()
        try:
            stat = path.stat()
        except OSError:
            return None
        return (str(path), stat.st_mtime, stat.st_size)

    def _build(self, screener: Screener) -> OrderContext:
        try:
            chpl = load_chpl(None)
        except SourceError as exc:
            raise Unavailable(
                f"order screening needs the Common High Priority List ({exc}); set $TRADEGUARD_CHPL to its CSV"
            ) from exc
        entities = screener.matcher.entities
        graph = OwnershipContext.from_store(self.state.engine, entities, screener.in_force.versions)
        return OrderContext(
            screener=screener,
            rules=DestinationRules.load(None),
            goods_lists=[chpl],
            ownership=graph.order_map(REGIMES),
            addresses=AddressIndex(entities),
            threshold=screener.threshold,
            regimes=REGIMES,
            ownership_graph=graph,
        )

    def context(self) -> OrderContext:
        """The order context for the store as it stands now (rebuilt when it changed)."""
        screener = self.state.screener(DEFAULT_DATASET)
        if len(screener) == 0:
            raise Unavailable("the store holds no active lists: run `tradeguard lists load` or `tradeguard lists update` first")
        key = ContextKey(self._ownership_key(), self._chpl_key())
        with self._context_lock:
            built_for = self._screener() if self._screener is not None else None
            if self._context is None or key != self._key or built_for is not screener:
                started = time.perf_counter()
                self._context = replace(self._build(screener), screener=None)
                self._screener = weakref.ref(screener)
                self._key = key
                self.build_seconds = time.perf_counter() - started
            return replace(self._context, screener=screener)

    def voyage_checks(self, context: OrderContext) -> VoyageChecks:
        """The vessel and route checks of shipments over the context's lists (the shipped
        ports and route rules)."""
        with self._context_lock:
            if self._route is None or self._route_rules is not context.rules:
                try:
                    self._route = RouteScreen.load(None, None, context.rules)
                except SourceError as exc:
                    raise Unavailable(f"shipment screening cannot read its port data: {exc}") from exc
                self._route_rules = context.rules
            route = self._route
        return VoyageChecks(context.screener, route, threshold=context.threshold)

    # --- screening ------------------------------------------------------------------------

    def screen_path(self, actor: str, path: Path, filename: str, *, threshold: float | None = None,
                    kind: ScreeningKind = ORDERS) -> ScreenedFile:
        """Screen an order or shipment file (``kind``) saved at ``path`` (uploaded as
        ``filename``): recorded in the store, audited, alerts raised. BadRequest when it
        cannot be read at all."""
        check_order_file(path, filename, kind)
        context = self.context()
        voyages = self.voyage_checks(context) if kind is SHIPMENTS else None
        with self._screen_lock:
            try:
                results, summary, _html = screen_order_file(
                    path, context=context, engine=self.state.engine, file_name=filename, threshold=threshold,
                    regimes=REGIMES, record=True, alerts=True, actor=actor, processes=1, voyages=voyages,
                )
            except SourceError as exc:
                raise BadRequest(f"{filename}: {exc.problem}") from exc
        screening_id = int(summary["screening_id"])
        summary["report"] = f"/{kind.name}/{screening_id}/report"
        return ScreenedFile(screening_id, summary, [r.to_line() for r in results])

    def screen_bytes(self, actor: str, data: bytes, filename: str, *, threshold: float | None = None,
                     kind: ScreeningKind = ORDERS) -> ScreenedFile:
        with tempfile.TemporaryDirectory(prefix=f"tradeguard-{kind.name}-") as tmp:
            path = Path(tmp) / f"upload{suffix_for(filename, data[:8])}"
            path.write_bytes(data)
            return self.screen_path(actor, path, filename, threshold=threshold, kind=kind)

    # --- the store ------------------------------------------------------------------------

    def screenings(self, limit: int = 100, kind: ScreeningKind = ORDERS) -> list[dict[str, Any]]:
        """Screened files of ``kind``, newest first, each with its counts and report link."""
        with self.state.engine.connect() as conn:
            items = list_order_screenings(conn, limit=limit, kind=kind.name)
        for item in items:
            counts = item["counts"]
            item["counts"] = {k: int(counts.get(k, 0)) for k in ("block", "review", "clear", "skipped")}
            item["report"] = f"/{kind.name}/{item['id']}/report"
        return items

    def stored(self, screening_id: int, kind: ScreeningKind = ORDERS) -> tuple[dict[str, Any], str] | None:
        """(summary, HTML report) of a stored screening of ``kind`` (None when there is no
        such screening, or it is of the other kind)."""
        with self.state.engine.connect() as conn:
            found = get_order_report(conn, screening_id)
        if found is None:
            return None
        summary, html = found
        if summary.get("kind", ORDERS.name) != kind.name:
            return None
        summary["report"] = f"/{kind.name}/{screening_id}/report"
        return summary, html

    def screened_file(self, screening_id: int, kind: ScreeningKind = ORDERS, verdict: str | None = None,
                      ) -> ScreenedFile | None:
        """A stored screening of ``kind`` with its per-line results (those of ``verdict``
        when given); None when there is no such screening."""
        found = self.stored(screening_id, kind)
        if found is None:
            return None
        summary = found[0]
        with self.state.engine.connect() as conn:
            lines = order_lines(conn, screening_id, verdict)
        if lines is None and not summary.get("lines_screened"):
            lines = []  # nothing was screened (every row unreadable): nothing to keep, none missing
        return ScreenedFile(screening_id, summary, lines)

    def report(self, actor: str, screening_id: int, via: str, kind: ScreeningKind = ORDERS) -> str | None:
        """The stored HTML report; its reading is audited (action ``export``), as a party's
        evidence report is."""
        found = self.stored(screening_id, kind)
        if found is None:
            return None
        summary, html = found
        self.state.audit.write(actor, "export", {"order_screening": screening_id, "kind": kind.name,
                                                 "file": summary.get("file"), "sha256": summary.get("sha256"),
                                                 "via": via})
        return html


# --- output -----------------------------------------------------------------------------


def results_jsonl(screened: ScreenedFile) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in screened.records)


def results_csv(screened: ScreenedFile) -> str:
    """As `tradeguard orders screen -o FILE.csv` writes it: line, verdict, reasons (JSON)."""
    with tempfile.TemporaryDirectory(prefix="tradeguard-orders-out-") as tmp:
        path = Path(tmp) / "results.csv"
        write_records(path, screened.records, columns=RESULT_COLUMNS)
        return path.read_text(encoding="utf-8")


_lock = threading.Lock()


def orders_of(request: Request) -> OrderService:
    """The app's order service (made on first use)."""
    app_state = request.app.state
    found: OrderService | None = getattr(app_state, "tradeguard_orders", None)
    if found is None:
        with _lock:
            found = getattr(app_state, "tradeguard_orders", None)
            if found is None:
                found = OrderService(app_state.tradeguard)
                app_state.tradeguard_orders = found
    return found
