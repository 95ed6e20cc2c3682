"""Benchmark: shipment screening of 100,000 generated bill-of-lading lines (up to 4 parties, a vessel, a route).

The store holds real lists from ../shared (the UN list of 2026-08-01 and the OFAC SDN list of
2024-05-03, whose vessels carry IMO numbers, loaded into a temporary SQLite file) and the
ownership edges of examples/ownership.csv. The shipment file (CSV, the columns of
examples/shipments.csv) is generated: shippers and consignees from the pool of invented
companies of bench_orders (the same companies recur, as in a real book), notify parties,
a few hundred invented carriers with a fleet of about 2,000 invented vessels (valid IMO
check digits, nine-digit MMSIs with their flag's MID, flags weighted as in world shipping),
and routes between ports of the shipped port directory (names or UN/LOCODEs as found there):
mostly big clean ports, some with one or two transshipment ports, a few percent through
transshipment hubs (Jebel Ali, Mersin, Hong Kong...) or on the Caspian route, to Sevastopol
or a sanctioned country's port. About 1% of lines name a listed vessel (its IMO number under
an invented name, or its listed name), about 1% a listed party as consignee (as listed, or
with one typo). Goods are bench_orders' real HS codes and ECCNs.

Prints the time to build the screening context (lists indexed, goods lists, destination
rules, ownership graph) and the voyage checks (ports, route rules, vessel identifiers), then
the end-to-end time to read and screen the file (every order rule plus the vessel, route
and flag rules, party and vessel names batched through the matching engine on every core),
lines/s, verdict counts, top rules and peak RSS. Target: at least 1,000 lines/s on 2 cores.

    python bench/bench_shipments.py [--lines 100000] [--companies 20000] [--vessels 2000] [--processes N] [--seed 5]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench_orders import (
    CLEAN,
    FIRST,
    FORMS,
    FORWARDERS,
    GOODS,
    LISTS,
    SANCTIONED,
    companies,
    order_store,
    peak_rss_mb,
    typo,
)
from summary import report  # noqa: E402

FILES = ["un/2026-08-01_zr101/un.xml", "ofac_sdn/history/2024-05-03/sdn.csv"]
COLUMNS = ["shipment", "shipper_name", "shipper_address", "shipper_country", "consignee_name", "consignee_address",
           "consignee_country", "notify_name", "carrier_name", "vessel_name", "vessel_imo", "vessel_mmsi",
           "vessel_flag", "port_of_loading", "port_of_discharge", "place_of_receipt", "place_of_delivery",
           "transshipment_ports", "description", "hs_code", "eccn", "quantity", "value"]

# Ports by the country of the party they serve (names as in ports.yml; a landlocked country
# is served through its neighbours' gateways). Checked against the port directory at start.
PORTS = {
    "de": ["Hamburg", "Bremerhaven", "Wilhelmshaven", "Bremen"],
    "ch": ["Rotterdam", "Antwerpen", "Genova"],
    "fr": ["Le Havre", "Fos-sur-Mer", "Dunkerque"],
    "it": ["Genova", "La Spezia", "Trieste"],
    "nl": ["Rotterdam"],
    "pl": ["Gdansk", "Gdynia"],
    "jp": ["Yokohama", "Tokyo", "Nagoya", "Kobe", "Osaka"],
    "us": ["Los Angeles", "Long Beach", "New York", "Savannah", "Houston", "Oakland", "Seattle"],
    "gb": ["Felixstowe", "London Gateway", "Tilbury", "Liverpool"],
    "se": ["Goteborg", "Malmo"],
    "tr": ["Mersin", "Ambarli", "Izmir", "Istanbul"],
    "ae": ["Jebel Ali", "Dubai", "Sharjah", "Khor Fakkan"],
    "hk": ["Hong Kong"],
    "kz": ["Aktau", "Kuryk"],
    "am": ["Poti", "Batumi"],
}
CLEAN_HUBS = ["Singapore", "Port Klang", "Tanjung Pelepas", "Colombo", "Algeciras", "Tanger Med", "Busan",
              "Piraeus", "Valencia", "Antwerpen", "Shanghai", "Ningbo", "Kaohsiung", "Salalah", "Port Said"]
RISKY_HUBS = ["Jebel Ali", "Khor Fakkan", "Mersin", "Ambarli", "Hong Kong", "Poti"]
CASPIAN = {"ir": ["Bandar Anzali", "Amirabad", "Nowshahr"], "ru": ["Astrakhan", "Olya", "Makhachkala"]}
SANCTIONED_PORTS = {"ua": ["Sevastopol"], "ru": ["Novorossiysk", "Saint Petersburg"], "ir": ["Bandar Abbas"]}
# Flag (ISO code) -> (weight, MMSI maritime identification digits).
FLAGS = {
    "pa": (16, [351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373]), "lr": (15, [636]), "mh": (12, [538]),
    "mt": (7, [215, 229, 248, 249, 256]), "sg": (7, [563, 564, 565, 566]), "hk": (6, [477]), "bs": (4, [308, 309, 311]),
    "cy": (3, [209, 210, 212]), "gr": (4, [237, 239, 240, 241]), "de": (3, [211, 218]), "nl": (2, [244, 245, 246]),
    "dk": (3, [219, 220]), "no": (2, [257, 258, 259]), "gb": (2, [232, 233, 234, 235]), "pt": (3, [255]),
    "jp": (3, [431, 432]), "cn": (5, [412, 413, 414]), "ag": (1, [304, 305]), "it": (1, [247]), "fr": (1, [226, 227, 228]),
    "se": (1, [265, 266]), "be": (1, [205]), "kr": (2, [440, 441]), "tw": (2, [416]),
}
CASPIAN_FLAGS = {"ru": [273], "ir": [422], "kz": [436], "az": [423], "tm": [434]}
CARRIER_WORDS = ["Line", "Lines", "Shipping", "Container Line", "Maritime", "Navigation", "Marine", "Feeder Services",
                 "Ocean Transport", "Sea Carriers"]
SHIP_ADJ = ["NORDIC", "BALTIC", "PACIFIC", "ATLANTIC", "GOLDEN", "SILVER", "BLUE", "CAPE", "NORTHERN", "SOUTHERN",
            "EASTERN", "GRAND", "ROYAL", "OCEAN", "CORAL", "ARCTIC", "IVORY", "CRIMSON", "EMERALD", "SAPPHIRE"]
SHIP_NOUN = ["STAR", "PEARL", "HARMONY", "SPIRIT", "PIONEER", "EXPRESS", "TRADER", "VOYAGER", "HORIZON", "BRIDGE",
             "GLORY", "FORTUNE", "WAVE", "DAWN", "BREEZE", "COURAGE", "ENDEAVOUR", "FALCON", "NAVIGATOR", "PRIDE"]


def imo_number(rng: random.Random, taken: set[str]) -> str:
    """A new valid IMO number: six digits and a check digit (7, 6, 5, 4, 3, 2, sum mod 10)."""
    while True:
        head = f"{9 if rng.random() < 0.8 else 8}{rng.randint(0, 99999):05d}"
        number = head + str(sum(int(d) * w for d, w in zip(head, range(7, 1, -1), strict=True)) % 10)
        if number not in taken:
            taken.add(number)
            return number


def mmsi_number(rng: random.Random, mids: list[int], taken: set[str]) -> str:
    while True:
        number = f"{rng.choice(mids)}{rng.randint(0, 999999):06d}"
        if number not in taken:
            taken.add(number)
            return number


def fleet(rng: random.Random, n_carriers: int, n_vessels: int, listed_imos: set[str],
          listed_mmsis: set[str]) -> tuple[list[list[str]], list[list[str]]]:
    """Carriers with their vessels: [carrier, vessel name, IMO, MMSI, flag] rows, the deep-sea
    fleet and a small Caspian fleet. IMO numbers and MMSIs of listed vessels are avoided."""
    carriers: dict[str, None] = {}
    while len(carriers) < n_carriers:
        country = rng.choice(CLEAN)[0]
        carriers[f"{rng.choice(FIRST)} {rng.choice(CARRIER_WORDS)} {FORMS[country]}"] = None
    names = list(carriers)
    imos, mmsis = set(listed_imos), set(listed_mmsis)
    flags = list(FLAGS)
    weights = [FLAGS[f][0] for f in flags]
    vessels: list[list[str]] = []
    seen: set[str] = set()
    while len(vessels) < n_vessels:
        carrier = rng.choice(names)
        r = rng.random()
        if r < 0.3:
            name = f"{carrier.split()[0].upper()} {rng.choice(SHIP_NOUN)}"
        elif r < 0.8:
            name = f"{rng.choice(SHIP_ADJ)} {rng.choice(SHIP_NOUN)}"
        else:
            name = f"{rng.choice(FIRST).upper()} {rng.choice(['I', 'II', 'III', 'IV', str(rng.randint(1, 30))])}"
        if name in seen:
            name = f"{name} {rng.randint(2, 9)}"
            if name in seen:
                continue
        seen.add(name)
        flag = rng.choices(flags, weights)[0]
        vessels.append([carrier, name, imo_number(rng, imos), mmsi_number(rng, FLAGS[flag][1], mmsis), flag.upper()])
    caspian: list[list[str]] = []
    for i in range(30):
        flag = rng.choice(list(CASPIAN_FLAGS))
        caspian.append([f"{rng.choice(['Caspian', 'Volga', 'Khazar', 'Astra'])} {rng.choice(CARRIER_WORDS)}",
                        f"{rng.choice(['VOLGO-BALT', 'KHAZAR', 'IRAN', 'SARDAR', 'ASTRA'])} {100 + i}",
                        imo_number(rng, imos), mmsi_number(rng, CASPIAN_FLAGS[flag], mmsis), flag.upper()])
    return vessels, caspian


def port_table(ports: Any) -> dict[str, tuple[str, str | None]]:
    """Port name as written here -> (name, UN/LOCODE) as the port directory has them; exits
    when a name no longer resolves to a listed port."""
    names = {n for group in (*PORTS.values(), CLEAN_HUBS, RISKY_HUBS, *CASPIAN.values(), *SANCTIONED_PORTS.values())
             for n in group}
    table: dict[str, tuple[str, str | None]] = {}
    for name in sorted(names):
        port = ports.resolve(name)
        if port is None or not port.listed:
            sys.exit(f"port {name!r} is not in the port directory ({ports.source}): update PORTS")
        table[name] = (port.name, port.locode)
    return table


def write_shipments(path: Path, n_lines: int, n_companies: int, n_carriers: int, n_vessels: int,
                    listed: list[str], listed_vessels: list[tuple[str, str | None]], ports: Any,
                    seed: int) -> Counter[str]:
    """Write the shipment file; returns how many lines of each risky kind it holds."""
    rng = random.Random(seed)
    pool = companies(rng, n_companies)
    clean_codes = {p[0] for p in CLEAN}
    clean_pool = [c for c in pool if c[2] in clean_codes]
    hub_pool = [c for c in pool if c[2] not in clean_codes]
    forwarders = [f"{rng.choice(FIRST)} {rng.choice(FORWARDERS)} {FORMS[c]}" for (_n, _a, c) in rng.sample(pool, 200)]
    listed_imos = {imo for _name, imo in listed_vessels if imo}
    vessels, caspian_fleet = fleet(rng, n_carriers, n_vessels, listed_imos, set())
    table = port_table(ports)

    def text(name: str) -> str:  # a port as written on a bill of lading: its name or its UN/LOCODE
        port_name, locode = table[name]
        return locode if locode and rng.random() < 0.2 else port_name

    kinds: Counter[str] = Counter()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for i in range(n_lines):
            shipper = rng.choice(clean_pool)
            consignee = rng.choice(clean_pool)
            while consignee[2] == shipper[2]:
                consignee = rng.choice(clean_pool)
            carrier, vessel, imo, mmsi, flag = rng.choice(vessels)
            pol, pod = rng.choice(PORTS[shipper[2]]), rng.choice(PORTS[consignee[2]])
            via: list[str] = []
            if rng.random() < 0.2:  # one or two transshipment ports
                via = rng.sample(CLEAN_HUBS, rng.choice([1, 1, 2]))
            receipt = delivery = ""
            if rng.random() < 0.1 and len(PORTS[shipper[2]]) > 1:  # picked up at a feeder port
                receipt = rng.choice([p for p in PORTS[shipper[2]] if p != pol])
            if rng.random() < 0.05 and len(PORTS[consignee[2]]) > 1:  # delivered on to another port
                delivery = rng.choice([p for p in PORTS[consignee[2]] if p != pod])
            r = rng.random()
            if r < 0.04:  # to a transshipment-hub country
                consignee = rng.choice(hub_pool)
                pod, delivery = rng.choice(PORTS[consignee[2]]), ""
                kinds["hub destination"] += 1
            elif r < 0.06:  # through a transshipment hub
                via = [rng.choice(RISKY_HUBS), *via[:1]]
                kinds["via hub"] += 1
            elif r < 0.065:  # the Caspian route, Iran <-> Russia
                a, b = rng.sample(["ir", "ru"], 2)
                address = dict(SANCTIONED)
                shipper = (f"{rng.choice(FIRST)} Caspian Trading Co", address[a], a)
                consignee = (f"{rng.choice(FIRST)} Volga Logistics LLC", address[b], b)
                pol, pod, via, receipt, delivery = rng.choice(CASPIAN[a]), rng.choice(CASPIAN[b]), [], "", ""
                carrier, vessel, imo, mmsi, flag = rng.choice(caspian_fleet)
                kinds["caspian route"] += 1
            elif r < 0.07:  # a port of a sanctioned country or an occupied region
                code = rng.choice(list(SANCTIONED_PORTS))
                consignee = (consignee[0], dict(SANCTIONED)[code], code)
                pod, delivery = rng.choice(SANCTIONED_PORTS[code]), ""
                kinds["sanctioned port"] += 1
            if rng.random() < 0.05:  # no IMO number on the bill
                imo = ""
            r = rng.random()
            if r < 0.01 and listed_vessels:  # a listed vessel: its IMO under a new name, or its listed name
                listed_name, listed_imo = rng.choice(listed_vessels)
                if listed_imo and rng.random() < 0.5:
                    vessel, imo, mmsi = f"{rng.choice(SHIP_ADJ)} {rng.choice(SHIP_NOUN)}", listed_imo, ""
                    kinds["listed vessel (IMO, new name)"] += 1
                else:
                    vessel, imo, mmsi = listed_name, (listed_imo or "") if rng.random() < 0.5 else "", ""
                    kinds["listed vessel (name)"] += 1
            elif r < 0.02:  # a listed party as consignee, as listed or with a typo
                name = rng.choice(listed)
                consignee = (name if rng.random() < 0.5 else typo(rng, name), consignee[1], consignee[2])
                kinds["listed consignee"] += 1
            if rng.random() < 0.6:  # the MMSI is seldom on a bill of lading
                mmsi = ""
            r = rng.random()
            notify = consignee[0] if r < 0.4 else rng.choice(forwarders) if r < 0.6 else ""
            hs, desc, eccn = rng.choice(GOODS)
            w.writerow([f"BL-{i + 1:07d}", *shipper, *consignee, notify, carrier, vessel, imo, mmsi,
                        flag if rng.random() < 0.9 else "", text(pol), text(pod),
                        text(receipt) if receipt else "", text(delivery) if delivery else "",
                        "; ".join(text(p) for p in via), desc, hs, eccn, str(rng.randint(1, 5000)),
                        f"{rng.uniform(10, 250000):.2f}"])
    return kinds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--companies", type=int, default=20_000, help="distinct invented companies in the book")
    ap.add_argument("--carriers", type=int, default=300, help="distinct invented carriers")
    ap.add_argument("--vessels", type=int, default=2000, help="distinct invented vessels")
    ap.add_argument("--processes", type=int, default=None, help="worker processes for name screening [every core]")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    if not LISTS.is_dir() or not all((LISTS / f).is_file() for f in FILES):
        sys.exit(f"real list files not found at {LISTS}: this benchmark needs ../shared ({', '.join(FILES)})")

    from tradeguard.screening.reports import OrderContext, screen_order_file

    with tempfile.TemporaryDirectory() as tmp:
        engine = order_store(Path(tmp), FILES)

        t0 = time.perf_counter()
        context = OrderContext.from_store(engine)
        t_context = time.perf_counter() - t0
        t0 = time.perf_counter()
        voyages = context.voyage_checks()
        t_voyages = time.perf_counter() - t0
        assert context.screener is not None
        entities = context.screener.matcher.entities
        listed = [e.caption for e in entities if e.schema in ("Organization", "Company", "LegalEntity")][:2000]
        listed_vessels: list[tuple[str, str | None]] = []
        for e in entities:
            if e.schema == "Vessel":
                imo = next((d for i in e.identifiers if i.type == "imo"
                            and len(d := "".join(c for c in i.value if c.isdigit())) == 7), None)
                listed_vessels.append((e.caption, imo))
        shipments = Path(tmp) / "shipments.csv"
        t0 = time.perf_counter()
        kinds = write_shipments(shipments, args.lines, args.companies, args.carriers, args.vessels, listed,
                                listed_vessels, voyages.route.ports, args.seed)
        t_gen = time.perf_counter() - t0
        with_imo = sum(1 for _n, imo in listed_vessels if imo)
        print(f"lists: {len(context.screener)} entities ({len(listed_vessels)} vessels, {with_imo} with an IMO "
              f"number); context built in {t_context:.1f} s; voyage checks ({len(voyages.route.ports):,} ports) "
              f"in {t_voyages:.1f} s; shipment file of {args.lines:,} lines "
              f"({shipments.stat().st_size / 1e6:.1f} MB) generated in {t_gen:.1f} s", flush=True)
        print("risky lines generated: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()), flush=True)

        t0 = time.perf_counter()
        results, summary, html = screen_order_file(shipments, context=context, record=False,
                                                   processes=args.processes, voyages=voyages)
        elapsed = time.perf_counter() - t0
        verdicts = Counter(r.verdict for r in results)
        rules = Counter(f.rule for r in results for f in r.reasons)
        slots = sum(len(r.order.parties) for r in results if r.order is not None)
        cores = args.processes or os.cpu_count()
        print(f"screened {len(results):,} shipments with {slots:,} party slots in {elapsed:.1f} s: "
              f"{len(results) / elapsed:,.0f} lines/s (target >= 1,000 lines/s) on {cores} core(s)")
        rate = len(results) / elapsed
        report("shipments: lines/s", ">= 1,000", f"{rate:,.0f}", rate >= 1000)
        print(f"verdicts: {dict(verdicts)}; skipped rows: {len(summary['skipped'])}")
        print("top rules: " + ", ".join(f"{k} {v}" for k, v in rules.most_common(10)))
        print(f"HTML report: {len(html) / 1e6:.1f} MB; peak RSS {peak_rss_mb():.0f} MB")
        engine.dispose()


if __name__ == "__main__":
    main()
