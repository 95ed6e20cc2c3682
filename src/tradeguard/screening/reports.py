"""Screening an order file end to end: the context, the summary and the evidence report.

    from tradeguard.screening.reports import OrderContext, screen_order_file
    results, summary, html = screen_order_file("orders.csv", db="sqlite:///tradeguard.db")

:func:`screen_order_file` reads the file (CSV, XLSX, JSONL, or records given directly),
screens every line with :class:`~tradeguard.screening.orders.OrderScreener`, and, with a
store: records the parties seen (for the first-seen red flag), raises alerts for party
matches (the parties are registered as kind ``order_party``, so their alerts join the
review queue like any other and they are rescreened when a list changes), appends an audit
entry and stores the summary and HTML report (``order_screenings``). The HTML report is
self-contained (inline CSS, no scripts): file name and sha256, when screened, the list
versions in force, the threshold, the engine version, and each line with its verdict and
every reason with its source.

Build an :class:`OrderContext` once (it indexes the lists, the goods lists, the destination
rules and the ownership graph) and pass it to every call to screen many files.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, update
from sqlalchemy.engine import Connection

import tradeguard
from tradeguard.screening.destinations import DestinationRules
from tradeguard.screening.goods import GoodsList, load_chpl, load_goods_list
from tradeguard.screening.orders import (
    BLOCK_SCORE,
    AddressIndex,
    OrderResult,
    OrderScreener,
)
from tradeguard.screening.records import iter_records
from tradeguard.sources.base import SourceError
from tradeguard.store import service_tables  # noqa: F401  (registers the alerts/parties tables)
from tradeguard.store.db import connect, metadata
from tradeguard.store.lists import VersionInfo
from tradeguard.store.ownership import (
    OwnershipContext,
    OwnershipMap,
    PartyHistory,
    name_key,
    order_screenings,
    record_order_lines,
    record_order_screening,
    record_parties,
)

if TYPE_CHECKING:
    from tradeguard.screening.parties import Screener
    from tradeguard.screening.shipments import VoyageChecks

__all__ = [
    "ORDER_PARTY_KIND",
    "OrderContext",
    "render_html",
    "screen_order_file",
    "summarize",
]

ORDER_PARTY_KIND = "order_party"
TOP_REASONS = 10


def _engine_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


# --- the context ------------------------------------------------------------------------------


@dataclass
class OrderContext:
    """Everything order screening reads from the store and the data files, built once."""

    screener: Screener | None
    rules: DestinationRules
    goods_lists: list[GoodsList]
    ownership: OwnershipMap | None
    addresses: AddressIndex | None
    threshold: float
    regimes: tuple[str, ...] = ("ofac", "eu", "uk")
    ownership_graph: OwnershipContext | None = None

    @classmethod
    def from_store(
        cls,
        engine: Engine,
        *,
        threshold: float | None = None,
        regimes: Sequence[str] = ("ofac", "eu", "uk"),
        chpl: str | Path | None | bool = None,
        goods_lists: Sequence[str | Path] = (),
        destinations: str | Path | None = None,
        lists: list[str] | None = None,
        caution_share: float = 25.0,
    ) -> OrderContext:
        """``chpl``: the CHPL file (None: :func:`~tradeguard.screening.goods.default_chpl_path`;
        False: none). ``goods_lists``: user controlled-goods CSVs. ``destinations``: a user
        destinations YAML merged over the defaults. ``lists``: only these list keys for
        name screening. Raises SourceError for unreadable data files."""
        from tradeguard.screening.parties import Screener

        rules = DestinationRules.load(destinations)
        loaded: list[GoodsList] = []
        if chpl is not False:
            loaded.append(load_chpl(None if chpl is None or chpl is True else chpl))
        loaded.extend(load_goods_list(p) for p in goods_lists)
        screener = Screener(_engine_url(engine), threshold=threshold, lists=lists)
        addresses = AddressIndex(screener.matcher.entities)
        if lists is None:  # the screener read every active entity: reuse them
            graph = OwnershipContext.from_store(engine, screener.matcher.entities, screener.in_force.versions)
        else:
            graph = OwnershipContext.from_store(engine)
        wanted = tuple(r.casefold() for r in regimes)
        ownership = graph.order_map(wanted, caution_share) if wanted else None
        return cls(screener, rules, loaded, ownership, addresses, screener.threshold, wanted, graph)

    def voyage_checks(self, ports: str | Path | None = None, port_rules: str | Path | None = None) -> VoyageChecks:
        """The vessel and route rules of shipment screening over these lists: the shipped
        ports and route rules, merged with the user YAML files ``ports`` and
        ``port_rules``. Raises SourceError for unreadable files."""
        from tradeguard.screening.ports import RouteScreen
        from tradeguard.screening.shipments import VoyageChecks

        return VoyageChecks(self.screener, RouteScreen.load(ports, port_rules, self.rules), threshold=self.threshold)


# --- input --------------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _records_sha256(records: Sequence[Any]) -> str:
    body = json.dumps(list(records), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# --- summary --------------------------------------------------------------------------------------


def summarize(
    results: Sequence[OrderResult],
    screener: OrderScreener,
    *,
    file_name: str,
    sha256: str,
    screened_at: str,
    context: OrderContext | None = None,
) -> dict[str, Any]:
    """Lines by verdict, top reasons (by the number of lines they appear on), the data in
    force, and the rows that were skipped."""
    verdicts = Counter(r.verdict for r in results)
    rules: Counter[str] = Counter()
    for r in results:
        for rule in {f.rule for f in r.reasons}:
            rules[rule] += 1
    lists = [v.ref() for v in screener.versions.values()]
    lists.sort(key=lambda v: v["list"])
    ownership: dict[str, Any] | None = None
    if screener.ownership is not None:
        ownership = {"regimes": list(screener.ownership.regimes), "source": screener.ownership.source,
                     "listed": screener.ownership.listed_source}
        if context is not None and context.ownership_graph is not None:
            ownership["user_edges"] = context.ownership_graph.user_edges
            ownership["list_edges"] = context.ownership_graph.list_edges
    return {
        "file": file_name,
        "sha256": sha256,
        "screened_at": screened_at,
        "lines_read": screener.lines_read,
        "lines_screened": len(results),
        "verdicts": {v: verdicts.get(v, 0) for v in ("block", "review", "clear")},
        "skipped": [{"line": e.line, "problem": e.problem} for e in screener.errors],
        "top_reasons": [{"rule": rule, "lines": n} for rule, n in
                        sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_REASONS]],
        "threshold": screener.threshold,
        "block_score": screener.block_score,
        "resemble_score": screener.resemble_score,
        "first_seen_days": screener.first_seen_days,
        "first_seen_active": screener.history_active,
        "engine_version": tradeguard.__version__,
        "lists": lists,
        "listed_entities": len(screener.screener) if screener.screener is not None else 0,
        "goods_lists": [{"name": g.name, "file": g.path.name, "version": g.version, "entries": len(g.entries)}
                        for g in screener.goods_lists],
        "destinations": {"version": screener.rules.version, "files": list(screener.rules.files)},
        "ownership": ownership,
        "notes": screener.notes,
    }


# --- HTML ---------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left;font-size:.9em}
th{background:#f3f3f3}
.meta th{width:14em}
.v{font-weight:bold;text-transform:uppercase;white-space:nowrap}
.block{color:#fff;background:#b00020}.review{color:#000;background:#ffcc00}.clear{color:#fff;background:#2e7d32}
.sev-block{color:#b00020;font-weight:bold}.sev-review{color:#8a6d00;font-weight:bold}.sev-info{color:#555}
.rule{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
.src{color:#555;font-size:.85em}
.data{color:#333;font-size:.85em}
small{color:#666}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _line_data(result: OrderResult) -> str:
    order = result.order
    if order is None:
        return ""
    parts: list[str] = []
    for p in order.parties:
        fields = [x for x in (p.name, p.address, p.country) if x]
        parts.append(f"<b>{_e(p.role.replace('_', ' '))}</b>: {_e(' | '.join(fields))}")
    goods = [f"{k.replace('_', ' ')}: {getattr(order, k)}" for k in
             ("ship_to_country", "description", "manufacturer", "part_number", "hs_code", "eccn", "quantity", "value")
             if getattr(order, k)]
    if goods:
        parts.append(_e("; ".join(goods)))
    return "<br>".join(parts)


def render_html(summary: Mapping[str, Any], results: Sequence[OrderResult]) -> str:
    """A self-contained HTML report of one screened order (or shipment) file."""
    out: list[str] = []
    add = out.append
    title = "Shipment" if summary.get("kind") == "shipments" else "Order"
    add("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
    add(f"<title>{title} screening report: {_e(summary['file'])}</title><style>{_CSS}</style></head><body>")
    add(f"<h1>{title} screening report: {_e(summary['file'])}</h1>")
    v = summary["verdicts"]
    add("<table class=\"meta\">")
    rows = [
        ("File", summary["file"]),
        ("SHA-256", summary["sha256"]),
        ("Screened at (UTC)", summary["screened_at"]),
        ("Lines", f"{summary['lines_screened']} screened of {summary['lines_read']} read; "
                  f"{len(summary['skipped'])} skipped"),
        ("Verdicts", f"block {v['block']}, review {v['review']}, clear {v['clear']}"),
        ("Match threshold", f"{summary['threshold']:.2f} (block at {summary['block_score']:.2f} or more; "
                            f"consignee resemblance from {summary['resemble_score']:.2f})"),
        ("Engine version", f"tradeguard {summary['engine_version']}"),
        ("Listed entities indexed", summary.get("listed_entities", 0)),
        ("Destination rules", f"version {summary['destinations']['version']} "
                              f"({', '.join(summary['destinations']['files'])})"),
        ("First-seen check", (f"parties first seen less than {summary['first_seen_days']} days ago"
                              if summary["first_seen_days"] else "parties named in no earlier order file")
                             + ("; active" if summary["first_seen_active"] else "; off for this file")),
    ]
    if summary.get("ports"):
        rows.append(("Ports and route rules", f"{summary['ports']['ports']}; {summary['ports']['rules']}"))
    if summary.get("screening_id") is not None:
        rows.append(("Stored as", f"{title.lower()} screening {summary['screening_id']}"))
    for label, value in rows:
        add(f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>")
    add("</table>")

    add("<h2>List versions in force</h2>")
    if summary["lists"]:
        add("<table><tr><th>list</th><th>version</th><th>list date</th><th>sha256</th></tr>")
        for item in summary["lists"]:
            add(f"<tr><td>{_e(item['list'])}</td><td>{_e(item['version'])}</td><td>{_e(item['list_date'])}</td>"
                f"<td><small>{_e(item['sha256'])}</small></td></tr>")
        add("</table>")
    else:
        add("<p>No list was in force: party names were not screened against lists.</p>")
    add("<h2>Goods lists</h2><table><tr><th>list</th><th>file</th><th>version</th><th>entries</th></tr>")
    for g in summary["goods_lists"]:
        add(f"<tr><td>{_e(g['name'])}</td><td>{_e(g['file'])}</td><td>{_e(g['version'])}</td>"
            f"<td>{_e(g['entries'])}</td></tr>")
    add("</table>")
    own = summary.get("ownership")
    if own:
        add("<h2>Ownership</h2><table class=\"meta\">")
        add(f"<tr><th>Regimes</th><td>{_e(', '.join(r.upper() for r in own['regimes']))}</td></tr>")
        add(f"<tr><th>Edges from</th><td>{_e(own['source'])}</td></tr>")
        for regime, text in own["listed"].items():
            add(f"<tr><th>Listed ({_e(regime.upper())})</th><td>{_e(text)}</td></tr>")
        add("</table>")

    add("<h2>Top reasons</h2>")
    if summary["top_reasons"]:
        add("<table><tr><th>rule</th><th>lines</th></tr>")
        for item in summary["top_reasons"]:
            add(f"<tr><td class=\"rule\">{_e(item['rule'])}</td><td>{_e(item['lines'])}</td></tr>")
        add("</table>")
    else:
        add("<p>None: every line is clear.</p>")
    if summary["notes"]:
        add("<h2>Notes</h2><ul>")
        for note in summary["notes"]:
            add(f"<li>{_e(note)}</li>")
        add("</ul>")
    if summary["skipped"]:
        add("<h2>Rows skipped (not screened)</h2><table><tr><th>input line</th><th>problem</th></tr>")
        for item in summary["skipped"]:
            add(f"<tr><td>{_e(item['line'])}</td><td>{_e(item['problem'])}</td></tr>")
        add("</table>")
    alerts = summary.get("alerts")
    if alerts:
        add("<h2>Alerts</h2><p>" + _e(
            f"{len(alerts.get('raised', []))} raised, {len(alerts.get('reopened', []))} reopened, "
            f"{len(alerts.get('already_open', []))} already open, {len(alerts.get('suppressed', []))} "
            "suppressed (cleared earlier on the same data)") + "</p>")

    add("<h2>Lines</h2>")
    add("<table><tr><th>line</th><th>verdict</th><th>reasons (rule, detail, source)</th><th>order data</th></tr>")
    for r in results:
        reasons: list[str] = []
        for f in [*r.reasons, *r.notes]:
            reasons.append(
                f"<div><span class=\"sev-{_e(f.severity)}\">{_e(f.severity)}</span> "
                f"<span class=\"rule\">{_e(f.rule)}</span>: {_e(f.detail)}"
                f"<div class=\"src\">source: {_e(f.source)}</div></div>"
            )
        row = f"<br><small>input line {_e(r.row)}</small>" if r.row is not None else ""
        add(
            f"<tr id=\"line-{_e(r.line)}\"><td>{_e(r.line)}{row}</td>"
            f"<td><span class=\"v {_e(r.verdict)}\">{_e(r.verdict)}</span></td>"
            f"<td>{''.join(reasons) or '<small>no reason</small>'}</td>"
            f"<td class=\"data\">{_line_data(r)}</td></tr>"
        )
    add("</table>")
    add(f"<p><small>Generated by tradeguard {_e(summary['engine_version'])}. Each verdict lists every "
        "reason that produced it, with the rule and the source data it rests on.</small></p>")
    add("</body></html>\n")
    return "\n".join(out)


# --- alerts ------------------------------------------------------------------------------------


def order_party_id(name: str, country: str | None, prefix: str = "order") -> str:
    """``order:<country>:<normalised-name>``: one monitored party per name and country
    (``prefix`` "payment" for the parties of payments)."""
    key = name_key(name).replace(" ", "-")
    head = f"{prefix}:{name_key(country).replace(' ', '-') if country else 'xx'}:"
    if len(head) + len(key) > 200:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        key = key[: 200 - len(head) - 13] + "~" + digest
    return head + key


def raise_order_alerts(
    conn: Connection, results: Sequence[OrderResult], versions: Mapping[str, VersionInfo]
) -> dict[str, Any]:
    """Register the matched order parties (kind ``order_party``) and raise alerts for their
    matches, with the usual suppression of cleared alerts. Returns the alerts summary."""
    from tradeguard.store.alerts import ListedHit, raise_listed_alerts
    from tradeguard.store.parties import PartyInput

    found: dict[str, tuple[PartyInput, list[ListedHit]]] = {}
    for r in results:
        for hit in r.hits:
            pid = order_party_id(hit.name, hit.country)
            party = PartyInput(pid, hit.name, None, None, hit.country, [], hit.address, ORDER_PARTY_KIND)
            m = hit.match
            found.setdefault(pid, (party, []))[1].append(ListedHit(
                m.entity.entity_id, m.entity.list, float(m.score), m.matched_name, m.name_kind, m.explanation))
    return raise_listed_alerts(conn, found.values(), versions).summary()


# --- the whole file -------------------------------------------------------------------------------


def screen_order_file(
    source: str | Path | Iterable[Mapping[str, Any]],
    *,
    context: OrderContext | None = None,
    engine: Engine | None = None,
    db: str | None = None,
    file_name: str | None = None,
    threshold: float | None = None,
    regimes: Sequence[str] = ("ofac", "eu", "uk"),
    first_seen_days: int | None = None,
    block_score: float = BLOCK_SCORE,
    record: bool = True,
    alerts: bool = True,
    actor: str = "library",
    processes: int | None = None,
    now: datetime | None = None,
    voyages: VoyageChecks | None = None,
) -> tuple[list[OrderResult], dict[str, Any], str]:
    """Screen an order file (path to CSV/XLSX/JSONL) or order records; return the results
    (one per readable line, in order), the summary and the HTML report. With ``voyages``
    (:meth:`OrderContext.voyage_checks`) the records are shipments: the same pipeline, with
    the vessel and the route screened too (:mod:`tradeguard.screening.shipments`).

    ``context``: a prebuilt :class:`OrderContext` (else built from the store ``engine`` or
    ``db`` with ``threshold`` and ``regimes``). With a store (``engine`` or ``db``) and
    ``record``: the parties seen are recorded, alerts raised (``alerts``), an audit entry
    appended and the report stored; ``summary["screening_id"]`` is then its id. Raises
    SourceError when the file as a whole cannot be read; unreadable rows are in
    ``summary["skipped"]`` with their line.
    """
    if engine is None and (db is not None or context is None):
        engine = connect(db)
    if engine is not None:
        metadata.create_all(engine)  # the service and ownership tables, if imported late
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise SourceError(path, None, "no such file")
        records: Iterable[Any] = iter_records(path)
        sha = _file_sha256(path)
        name = file_name or path.name
    else:
        materialised = list(source)
        sha = _records_sha256(materialised)
        records = materialised
        name = file_name or "records"
    if context is None:
        assert engine is not None
        context = OrderContext.from_store(engine, threshold=threshold, regimes=regimes)
    history: PartyHistory | None = None
    if engine is not None:
        history = PartyHistory.from_store(engine, sha)
    screener = OrderScreener(
        context.screener, context.rules, context.goods_lists, context.ownership,
        threshold if threshold is not None else context.threshold,
        block_score=block_score, history=history, first_seen_days=first_seen_days,
        addresses=context.addresses, processes=processes, now=now, voyages=voyages,
    )
    results = list(screener.screen_lines(records))
    screened_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    summary = summarize(results, screener, file_name=name, sha256=sha, screened_at=screened_at, context=context)
    summary["kind"] = "shipments" if voyages is not None else "orders"
    if voyages is not None:
        summary["ports"] = {"ports": voyages.route.ports.source, "rules": voyages.route.rules.source}
    if engine is None or not record:
        return results, summary, render_html(summary, results)
    from tradeguard.store import audit
    from tradeguard.store.links import ensure_links

    if alerts and any(r.hits for r in results):
        ensure_links(engine)  # alerts are per listed party: link the listings outside the write
    with engine.begin() as conn:
        names = [p.name for r in results if r.order is not None for p in r.order.parties if p.name]
        summary["new_parties"] = record_parties(conn, names, sha, name)
        if alerts and screener.screener is not None:
            summary["alerts"] = raise_order_alerts(conn, results, screener.versions)
        report = render_html(summary, results)
        screening_id = record_order_screening(
            conn, file_name=name, sha256=sha, screened_at=screened_at, actor=actor,
            lines=len(results), counts={**summary["verdicts"], "skipped": len(summary["skipped"])},
            summary=summary, report_html=report, kind=summary["kind"],
        )
        summary["screening_id"] = screening_id
        record_order_lines(conn, screening_id, [r.to_line() for r in results])
        report = render_html(summary, results)
        conn.execute(
            update(order_screenings).where(order_screenings.c.id == screening_id)
            .values(report_html=report, summary=json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str))
        )
        audit.append(conn, actor, "shipments_screen" if voyages is not None else "orders_screen", {
            "screening": screening_id,
            "file": name,
            "sha256": sha,
            "verdicts": summary["verdicts"],
            "skipped": len(summary["skipped"]),
            "lists": summary["lists"],
            "threshold": summary["threshold"],
            "engine_version": summary["engine_version"],
            "alerts": summary.get("alerts"),
        })
    return results, summary, report
