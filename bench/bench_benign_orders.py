"""Benchmark: how often order screening cries wolf on ordinary lines, and whether risky
lines still stop.

The store holds the four lists of the dev suite (OFAC SDN, UN, UK, OpenSanctions' Ukraine
war list, from ../shared; about 35,000 entities with vessels and aircraft among them) and
the ownership edges of examples/ownership.csv. Two order files are generated:

* benign lines (default 1,000): realistic invented companies of the EU, the UK, the US,
  Japan and Switzerland (surname firms such as "Price Ltd" or "Tanaka Shoji K.K." beside
  invented brands), uncontrolled goods (EAR99: clothing, furniture, food, books...) and
  low-risk destinations; about a third ship to another country than the buyer's, some of
  them to the buyer's own branch. Target: at most 2% review, no block.
* risky lines (about 70): Common High Priority List goods to transshipment hubs, goods to an
  occupied region or a sanctioned country, a consignee named as a listed company (as
  listed and with one typo), and a company owned by a listed one (examples/ownership.csv).
  Target: none clear.

Prints the verdict counts of both, the rules behind the benign reviews and blocks, and a
few of them.

    python bench/bench_benign_orders.py [--lines 1000] [--seed 11] [--show 10]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from summary import report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "data" / "lists"
FILES = [
    "ofac_sdn/full_set_2021-04_garybogle/sdn.csv",
    "un/2026-08-01_zr101/un.xml",
    "uk_ofsi/2025-04-14_mmahmed107/ConList.xlsx",
    "opensanctions/ua_war_sanctions_2026-03-13_com-480/targets.simple.csv",
]
COLUMNS = ["line"] + [f"{r}_{f}" for r in ("buyer", "consignee", "end_user", "forwarder")
                      for f in ("name", "address", "country")] + [
    "ship_to_country", "description", "hs_code", "eccn", "quantity", "value"]

# Country -> common surnames, cities with a street, legal forms.
COUNTRIES: dict[str, tuple[list[str], list[tuple[str, str]], list[str]]] = {
    "de": (["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch"],
           [("Hamburg", "Hafenstraße"), ("München", "Leopoldstraße"), ("Köln", "Hohe Straße"), ("Stuttgart", "Königstraße")],
           ["GmbH", "GmbH & Co. KG", "AG", "KG"]),
    "fr": (["Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Laurent", "Lefebvre", "Roux", "Fournier"],
           [("Lyon", "Rue de la République"), ("Lille", "Rue Nationale"), ("Nantes", "Quai de la Fosse")],
           ["SAS", "SARL", "SA"]),
    "it": (["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Greco", "Conti"],
           [("Milano", "Via Torino"), ("Torino", "Via Roma"), ("Bologna", "Via Emilia")],
           ["S.r.l.", "S.p.A."]),
    "nl": (["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer"],
           [("Rotterdam", "Coolsingel"), ("Utrecht", "Oudegracht"), ("Eindhoven", "Kanaalweg")],
           ["B.V.", "N.V."]),
    "es": (["García", "Fernández", "González", "López", "Martínez", "Sánchez", "Romero", "Navarro"],
           [("Madrid", "Calle de Alcalá"), ("Valencia", "Avenida del Puerto"), ("Bilbao", "Gran Vía")],
           ["S.L.", "S.A."]),
    "se": (["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson"],
           [("Göteborg", "Hamngatan"), ("Malmö", "Södergatan")], ["AB"]),
    "pl": (["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński"],
           [("Poznań", "ul. Półwiejska"), ("Gdańsk", "ul. Długa")], ["Sp. z o.o.", "S.A."]),
    "gb": (["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Price", "Steele", "Wright",
            "Hughes", "Edwards", "Turner", "Morgan"],
           [("Manchester", "Deansgate"), ("Leeds", "Briggate"), ("Bristol", "Corn Street"), ("London", "Old Street")],
           ["Ltd", "Limited", "PLC", "& Sons Ltd"]),
    "us": (["Johnson", "Miller", "Davis", "Garcia", "Rodriguez", "Martinez", "Torres", "Anderson", "Thomas",
            "Jackson", "Harris", "Clark", "Lewis", "Walker"],
           [("Portland, OR", "Main St"), ("Austin, TX", "Congress Ave"), ("Columbus, OH", "High St"),
            ("Charlotte, NC", "Tryon St")],
           ["Inc.", "LLC", "Corp.", "Co."]),
    "jp": (["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"],
           [("Osaka", "Azuchimachi"), ("Nagoya", "Sakae"), ("Yokohama", "Minatomirai")],
           ["K.K.", "Co., Ltd.", "Shoji K.K."]),
    "ch": (["Meier", "Keller", "Huber", "Gerber", "Brunner", "Baumann", "Frei", "Zimmermann", "Moser", "Widmer"],
           [("Zürich", "Seestrasse"), ("Basel", "Güterstrasse"), ("Bern", "Marktgasse")],
           ["AG", "GmbH", "SA"]),
    "at": (["Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner"],
           [("Wien", "Mariahilfer Straße"), ("Graz", "Herrengasse")], ["GmbH", "AG"]),
}
TRADES = ["Textil", "Textiles", "Furniture", "Möbel", "Foods", "Trading", "Retail", "Interiors", "Fashion",
          "Home", "Wines", "Coffee", "Books", "Sportswear", "Ceramics", "Paper", "Toys", "Garden", "Outdoor",
          "Apparel", "Kitchen", "Design", "Import", "Distribution", "Bakery Supplies", "Cosmetics"]
BRANDS = ["Nordwind", "Alpenblick", "Bluebell", "Lumen", "Maple Leaf", "Sakura", "Cedar Grove", "Riverstone",
          "Sunfield", "Blue Harbour", "Oakridge", "Silver Birch", "Greenway", "Lakeside", "Fjordline", "Montebello",
          "Bellavista", "Kirschblüte", "Edelweiss", "Harbourside"]
GOODS = [  # (HS code, description): uncontrolled consumer goods, EAR99
    ("6109.10", "Cotton T-shirts"), ("6203.42", "Men's cotton trousers"), ("9403.60", "Wooden furniture"),
    ("0901.21", "Roasted coffee"), ("4901.99", "Printed books"), ("6403.99", "Leather footwear"),
    ("9503.00", "Toys"), ("2204.21", "Wine in bottles"), ("4802.56", "Copy paper"), ("6907.21", "Ceramic tiles"),
    ("8712.00", "Bicycles"), ("3304.99", "Skin care preparations"), ("9401.61", "Upholstered chairs"),
    ("6302.60", "Cotton towels"), ("7323.93", "Stainless steel kitchenware"), ("4202.22", "Handbags"),
    ("9506.62", "Inflatable balls"), ("1905.90", "Biscuits"), ("6110.20", "Cotton pullovers"),
]


def _company(rng: random.Random, country: str) -> tuple[str, str]:
    surnames, places, forms = COUNTRIES[country]
    form = rng.choice(forms)
    r = rng.random()
    if r < 0.3:
        name = f"{rng.choice(surnames)} {form}"
    elif r < 0.55:
        name = f"{rng.choice(surnames)} {rng.choice(TRADES)} {form}"
    elif r < 0.7:
        a, b = rng.sample(surnames, 2)
        name = f"{a} & {b} {form}"
    else:
        name = f"{rng.choice(BRANDS)} {rng.choice(TRADES)} {form}"
    city, street = rng.choice(places)
    return name, f"{street} {rng.randint(1, 180)}, {city}"


def _branch(rng: random.Random, name: str, country: str) -> tuple[str, str]:
    """The buyer's own branch in another country: same name, that country's legal form."""
    _surnames, places, forms = COUNTRIES[country]
    words = name.split()
    base = " ".join(w for w in words if w not in {"GmbH", "AG", "Ltd", "Limited", "Inc.", "LLC", "SAS", "B.V.",
                                                    "K.K.", "S.r.l.", "S.A.", "AB", "SA", "S.L.", "Corp.", "Co."})
    city, street = rng.choice(places)
    return f"{base} {rng.choice(forms)}", f"{street} {rng.randint(1, 180)}, {city}"


def benign_lines(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    countries = list(COUNTRIES)
    rows: list[dict[str, str]] = []
    for i in range(n):
        home = rng.choice(countries)
        buyer, buyer_addr = _company(rng, home)
        r = rng.random()
        if r < 0.67:
            ship, (consignee, cons_addr) = home, (buyer, buyer_addr)
        elif r < 0.82:
            ship = rng.choice([c for c in countries if c != home])
            consignee, cons_addr = _branch(rng, buyer, ship)
        else:
            ship = rng.choice([c for c in countries if c != home])
            consignee, cons_addr = _company(rng, ship)
        hs, description = rng.choice(GOODS)
        row = {
            "line": f"B{i + 1:05d}", "buyer_name": buyer, "buyer_address": buyer_addr, "buyer_country": home,
            "consignee_name": consignee, "consignee_address": cons_addr, "consignee_country": ship,
            "ship_to_country": ship, "description": description, "hs_code": hs, "eccn": "EAR99",
            "quantity": str(rng.randint(10, 5000)), "value": str(rng.randint(500, 90_000)),
        }
        if rng.random() < 0.3:
            row["forwarder_name"], row["forwarder_address"] = f"{rng.choice(BRANDS)} Logistics {COUNTRIES[home][2][0]}", \
                f"{COUNTRIES[home][1][0][1]} {rng.randint(1, 99)}, {COUNTRIES[home][1][0][0]}"
            row["forwarder_country"] = home
        rows.append(row)
    return rows


CHPL_GOODS = [("8542.31", "32-bit microcontroller", "5A992.c"), ("8526.91", "GNSS receiver module", "7A994"),
              ("8517.62", "LTE module", "5A992.c"), ("8807.30", "UAV parts", "EAR99")]
HUBS = [("ae", "Sheikh Zayed Road 12, Dubai"), ("tr", "Liman Sk. 4, Izmir"), ("kz", "Abay Ave 40, Almaty"),
        ("am", "Teryan St 7, Yerevan"), ("hk", "Nathan Road 88, Kowloon"), ("ge", "Rustaveli Ave 3, Tbilisi")]
SANCTIONED = [("ua", "ul. Generala Petrova 12, Sevastopol"), ("ru", "ul. Bolshaya Tatarskaya 35, Moscow"),
              ("ir", "Valiasr St 1200, Tehran"), ("by", "pr. Nezavisimosti 95, Minsk"),
              ("ua", "pr. Lenina 5, Donetsk"), ("kp", "Pyongyang")]


def risky_lines(listed: list[str], owned: list[str], seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []

    def line(kind: str, consignee: str, address: str, country: str, goods: tuple[str, str, str]) -> None:
        buyer, buyer_addr = _company(rng, "de")
        rows.append({
            "line": f"R{len(rows) + 1:03d}-{kind}", "buyer_name": buyer, "buyer_address": buyer_addr,
            "buyer_country": "de", "consignee_name": consignee, "consignee_address": address,
            "consignee_country": country, "ship_to_country": country, "description": goods[1],
            "hs_code": goods[0], "eccn": goods[2], "quantity": "100", "value": "25000",
        })

    for country, address in HUBS:
        for goods in CHPL_GOODS:
            line("hub", f"{rng.choice(BRANDS)} Electronics Trading", address, country, goods)
    for country, address in SANCTIONED:
        for goods in (CHPL_GOODS[0], ("6109.10", "Cotton T-shirts", "EAR99")):
            line("sanctioned", f"{rng.choice(BRANDS)} Trading", address, country, goods)
    for name in listed:
        line("listed", name, "Industrial Zone 4", "ae", ("9403.60", "Wooden furniture", "EAR99"))
        words = name.split()
        longest = max(range(len(words)), key=lambda k: len(words[k]))
        word = words[longest]
        words[longest] = word[: len(word) // 2] + word[len(word) // 2 + 1:]  # one letter dropped
        line("listed-typo", " ".join(words), "Industrial Zone 4", "ae", ("9403.60", "Wooden furniture", "EAR99"))
    for name in owned:
        line("owned", name, "Free Zone 2", "ae", ("6109.10", "Cotton T-shirts", "EAR99"))
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for row in rows:
            w.writerow(row)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--show", type=int, default=10, help="benign lines that did not clear to print")
    args = ap.parse_args()
    if not LISTS.is_dir():
        sys.exit(f"real list files not found at {LISTS}: this benchmark needs ../shared")

    from bench_orders import order_store

    from tradeguard.screening.reports import OrderContext, screen_order_file

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        engine = order_store(Path(tmp), FILES)
        context = OrderContext.from_store(engine)
        assert context.screener is not None
        print(f"store: {len(context.screener):,} entities from {len(FILES)} lists, ready in "
              f"{time.perf_counter() - t0:.0f} s")
        rng = random.Random(args.seed)
        companies = sorted({e.caption for e in context.screener.matcher.entities
                            if e.schema in ("Organization", "Company") and len(e.caption) > 12})
        listed = rng.sample(companies, 12)
        with open(ROOT / "examples" / "ownership.csv", encoding="utf-8") as fh:
            owned = sorted({row["owned"] for row in csv.DictReader(fh)})

        figures: list[tuple[str, str, str, bool]] = []
        for label, rows in (("benign", benign_lines(args.lines, args.seed)),
                            ("risky", risky_lines(listed, owned, args.seed))):
            path = Path(tmp) / f"{label}.csv"
            write(path, rows)
            t0 = time.perf_counter()
            results, _summary, _html = screen_order_file(path, context=context, record=False)
            elapsed = time.perf_counter() - t0
            verdicts = Counter(r.verdict for r in results)
            n = len(results)
            print(f"\n{label}: {n:,} lines screened in {elapsed:.1f} s: {dict(sorted(verdicts.items()))}")
            if label == "benign":
                rules = Counter(f.rule for r in results for f in r.reasons)
                notes = Counter(f.rule for r in results for f in r.notes)
                print("  rules behind review/block: " + (", ".join(f"{k} {v}" for k, v in rules.most_common()) or "none"))
                print("  notes: " + (", ".join(f"{k} {v}" for k, v in notes.most_common(6)) or "none"))
                for r in [r for r in results if r.verdict != "clear"][: args.show]:
                    print(f"  {r.line} {r.verdict}: " + " | ".join(f.detail for f in r.reasons)[:300])
                review = verdicts.get("review", 0) / n
                figures.append(("benign lines: review", "<= 2%", f"{review:.1%}", review <= 0.02))
                figures.append(("benign lines: block", "0", str(verdicts.get("block", 0)), not verdicts.get("block")))
            else:
                clear = [r.line for r in results if r.verdict == "clear"]
                if clear:
                    print("  cleared: " + ", ".join(clear))
                figures.append(("risky lines: clear", "0", str(len(clear)), not clear))
        engine.dispose()
    print(f"\n{'figure':<26}{'target':>10}{'measured':>10}  verdict")
    for name, target, measured, ok in figures:
        print(f"{name:<26}{target:>10}{measured:>10}  {'PASS' if ok else 'FAIL'}")
        report(f"benign orders: {name}", target, measured, ok)


if __name__ == "__main__":
    main()
