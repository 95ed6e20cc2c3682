"""Benchmark: order screening of 100,000 generated order lines with 4 parties each.

The store holds real lists from ../shared (the UN list of 2026-08-01 and the OFAC SDN list of
2024-05-03, loaded into a temporary SQLite file) and the ownership edges of
examples/ownership.csv. The order file (CSV) is generated: distributors, consignees, end
users and forwarders from a pool of invented company names with addresses (the same
companies recur, as in a real order book), about 1% of lines naming a listed party (as
listed, or with one typo), real HS codes (CHPL items among them), ECCNs, and ship-to
countries that are mostly clean with some transshipment-risk and sanctioned destinations.

Prints the time to build the screening context (lists indexed, goods lists, destination
rules, ownership graph), then the end-to-end time to read and screen the file (every rule,
party names batched through the matching engine on every core), lines/s, verdict counts and
peak RSS. Target: at least 1,000 lines/s on 2 cores.

    python bench/bench_orders.py [--lines 100000] [--companies 20000] [--processes N] [--seed 5]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summary import report as report_figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "data" / "lists"
FILES = ["un/2026-08-01_zr101/un.xml", "ofac_sdn/history/2024-05-03/sdn.csv"]

PLACES = [
    ("de", ["Hamburg", "Munich", "Stuttgart", "Dresden", "Bremen"], ["Industriestrasse", "Hafenweg", "Bahnhofstrasse"]),
    ("ch", ["Zurich", "Basel", "Volketswil"], ["Industriestrasse", "Seestrasse"]),
    ("fr", ["Lyon", "Toulouse", "Lille"], ["Rue de la Republique", "Avenue Jean Jaures"]),
    ("it", ["Milan", "Turin", "Bologna"], ["Via Roma", "Via Garibaldi"]),
    ("nl", ["Eindhoven", "Rotterdam"], ["Kanaalweg", "Havenstraat"]),
    ("pl", ["Gdansk", "Wroclaw", "Poznan"], ["ul. Dluga", "ul. Portowa"]),
    ("jp", ["Osaka", "Nagoya", "Yokohama"], ["Azuchimachi", "Minatomirai"]),
    ("us", ["Portland, OR", "Austin, TX", "San Jose, CA"], ["Main St", "Industrial Blvd"]),
    ("gb", ["Manchester", "Leeds", "Bristol"], ["High Street", "Dock Road"]),
    ("se", ["Gothenburg", "Malmo"], ["Hamngatan", "Industrivagen"]),
    ("tr", ["Istanbul", "Izmir"], ["Ataturk Cd.", "Liman Sk."]),
    ("ae", ["Dubai", "Sharjah"], ["Sheikh Zayed Road", "SAIF Zone"]),
    ("hk", ["Kowloon", "Wan Chai"], ["Nathan Road", "Hennessy Road"]),
    ("kz", ["Almaty", "Astana"], ["Abay Ave", "Dostyk Ave"]),
    ("am", ["Yerevan"], ["Teryan St", "Abovyan St"]),
]
CLEAN = [p for p in PLACES if p[0] not in ("tr", "ae", "hk", "kz", "am")]
SANCTIONED = [("ru", "ul. Bolshaya Tatarskaya 35, Moscow 115184"), ("by", "pr. Nezavisimosti 95, Minsk 220043"),
              ("ua", "ul. Generala Petrova 12, Sevastopol 299011"), ("ir", "Valiasr St 1200, Tehran")]
FIRST = ["Nordlicht", "Helvetia", "Baltic", "Saxonia", "Kansai", "Cascade", "Lusitania", "Danube", "Alpine",
         "Pacific", "Atlas", "Orion", "Meridian", "Vistula", "Tatra", "Adriatic", "Aegean", "Iberia", "Celtic",
         "Nordic", "Rhine", "Elbe", "Fjord", "Summit", "Harbor", "Granite", "Cedar", "Falcon", "Aurora", "Polaris"]
SECOND = ["Elektronik", "Motion", "Components", "Precision", "Robotics", "Sensor", "Automation", "Drive",
          "Industrial", "Optics", "Systems", "Machinery", "Instruments", "Controls", "Devices", "Engineering",
          "Hydraulics", "Power", "Circuits", "Technik"]
FORMS = {"de": "GmbH", "ch": "AG", "fr": "SAS", "it": "S.r.l.", "nl": "B.V.", "pl": "Sp. z o.o.", "jp": "K.K.",
         "us": "Inc.", "gb": "Ltd", "se": "AB", "tr": "A.S.", "ae": "FZE", "hk": "Limited", "kz": "LLP", "am": "LLC"}
FORWARDERS = ["Freight Forwarding", "Logistics", "Spedition", "Cargo Services", "Shipping Agency"]
GOODS = [  # (hs code, description, eccn)
    ("8542.31.0000", "32-bit microcontroller", "5A992.c"), ("8542.32.0036", "DDR4 SDRAM", "EAR99"),
    ("8517.62.0090", "LTE module", "5A992.c"), ("8526.91.0020", "GNSS receiver module", "7A994"),
    ("8532.24.0020", "MLCC capacitor", "EAR99"), ("8482.10.5044", "Ball bearing", "EAR99"),
    ("8483.40.9000", "Planetary gearbox", "EAR99"), ("8412.31.0040", "Pneumatic cylinder", "EAR99"),
    ("8501.31.0000", "DC servo motor", "EAR99"), ("9030.20.1000", "Oscilloscope", "3A992.a"),
    ("7318.15.2065", "Hex bolts", "EAR99"), ("3926.90.9985", "Plastic housing", "EAR99"),
]


def peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def typo(rng: random.Random, name: str) -> str:
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    i = rng.choice(letters[1:]) if len(letters) > 2 else 0
    return name[:i] + name[i + 1:]


def companies(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    while len(out) < n:
        country, cities, streets = rng.choice(PLACES)
        name = f"{rng.choice(FIRST)} {rng.choice(FIRST)} {rng.choice(SECOND)} {FORMS[country]}"
        if name in out:
            name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(SECOND)} {rng.randint(2, 99)} {FORMS[country]}"
        address = f"{rng.choice(streets)} {rng.randint(1, 250)}, {rng.randint(10000, 99999)} {rng.choice(cities)}"
        out[name] = (name, address, country)
    return list(out.values())


def write_orders(path: Path, n_lines: int, n_companies: int, listed: list[str], seed: int) -> None:
    rng = random.Random(seed)
    pool = companies(rng, n_companies)
    clean_pool = [c for c in pool if c[2] in {p[0] for p in CLEAN}]
    forwarders = [(f"{rng.choice(FIRST)} {rng.choice(FORWARDERS)} {FORMS[c]}", a, c)
                  for (_n, a, c) in rng.sample(pool, max(50, n_companies // 50))]
    cols = ["line"] + [f"{r}_{f}" for r in ("buyer", "consignee", "end_user", "forwarder")
                       for f in ("name", "address", "country")] + [
        "ship_to_country", "description", "manufacturer", "part_number", "hs_code", "eccn", "quantity", "value"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for i in range(n_lines):
            buyer = rng.choice(clean_pool)
            consignee = buyer if rng.random() < 0.6 else rng.choice(pool)
            end_user = consignee if rng.random() < 0.7 else rng.choice(pool)
            forwarder = rng.choice(forwarders)
            ship_to = consignee[2]
            r = rng.random()
            if r < 0.01:  # a listed party, as listed or with a typo
                name = rng.choice(listed)
                consignee = (name if rng.random() < 0.5 else typo(rng, name), consignee[1], consignee[2])
            elif r < 0.015:
                code, address = rng.choice(SANCTIONED)
                consignee = (consignee[0], address, code)
                ship_to = code
            hs, desc, eccn = rng.choice(GOODS)
            row = [f"SO-{i + 1:06d}", *buyer, *consignee, *end_user, *forwarder, ship_to, desc,
                   "Various", f"P{rng.randint(1000, 9999)}", hs, eccn, str(rng.randint(1, 5000)),
                   f"{rng.uniform(10, 50000):.2f}"]
            w.writerow(row)


def order_store(folder: Path, files: list[str]) -> Any:
    """A SQLite store in ``folder`` with the list files ``files`` (under ../shared's lists,
    loaded by the CLI) and the ownership edges of examples/ownership.csv; its engine."""
    from tradeguard.store.db import connect
    from tradeguard.store.ownership import load_ownership_file

    db = folder / "bench.db"
    env = dict(os.environ, TRADEGUARD_DB=f"sqlite:///{db}")
    subprocess.run([sys.executable, "-m", "tradeguard.cli", "lists", "load", *(str(LISTS / f) for f in files)],
                   check=True, env=env, capture_output=True)
    engine = connect(f"sqlite:///{db}")
    load_ownership_file(engine, ROOT / "examples" / "ownership.csv")
    return engine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--companies", type=int, default=20_000, help="distinct invented companies in the order book")
    ap.add_argument("--processes", type=int, default=None, help="worker processes for name screening [every core]")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    if not LISTS.is_dir():
        sys.exit(f"real list files not found at {LISTS}: this benchmark needs ../shared")

    from tradeguard.screening.reports import OrderContext, screen_order_file

    with tempfile.TemporaryDirectory() as tmp:
        engine = order_store(Path(tmp), FILES)

        t0 = time.perf_counter()
        context = OrderContext.from_store(engine)
        t_context = time.perf_counter() - t0
        assert context.screener is not None
        listed = [e.caption for e in context.screener.matcher.entities
                  if e.schema in ("Organization", "Company", "LegalEntity")][:2000]
        orders = Path(tmp) / "orders.csv"
        t0 = time.perf_counter()
        write_orders(orders, args.lines, args.companies, listed, args.seed)
        t_gen = time.perf_counter() - t0
        print(f"lists: {len(context.screener)} entities; context built in {t_context:.1f} s; "
              f"order file of {args.lines:,} lines ({orders.stat().st_size / 1e6:.1f} MB) generated in {t_gen:.1f} s",
              flush=True)

        t0 = time.perf_counter()
        results, summary, html = screen_order_file(orders, context=context, record=False,
                                                   processes=args.processes)
        elapsed = time.perf_counter() - t0
        verdicts = Counter(r.verdict for r in results)
        rules = Counter(f.rule for r in results for f in r.reasons)
        print(f"screened {len(results):,} lines with {4 * len(results):,} party slots in {elapsed:.1f} s: "
              f"{len(results) / elapsed:,.0f} lines/s (target >= 1,000 lines/s) on {os.cpu_count()} core(s)")
        rate = len(results) / elapsed
        report_figure("orders: lines/s", ">= 1,000", f"{rate:,.0f}", rate >= 1000)
        print(f"verdicts: {dict(verdicts)}; skipped rows: {len(summary['skipped'])}")
        print("top rules: " + ", ".join(f"{k} {v}" for k, v in rules.most_common(8)))
        t0 = time.perf_counter()
        report = html
        print(f"HTML report: {len(report) / 1e6:.1f} MB; peak RSS {peak_rss_mb():.0f} MB "
              f"({time.perf_counter() - t0:.1f} s)")
        engine.dispose()


if __name__ == "__main__":
    main()
