"""Benchmark: payment screening speed with the dev-suite lists loaded (about 20,000 entities).

* single: one-transaction pacs.008 messages (six parties and agents, one remittance line),
  each read from bytes and screened in process: p50 and p95 per message. 500 messages with
  generated names (one in ten names a listed party in a field or in the text).
* batch: a pain.001 of ``--batch`` transactions read and screened in one process, then on
  every core (forked workers, each screening contiguous runs): transactions per second.

Targets (issue 10): p50 <= 2 ms per single message; >= 1,000 transactions/s in batch on 2
cores. Printed beside them: the same messages without free-text screening, to show its share.

    .venv/bin/python bench/bench_payments.py [--lists DIR] [--messages 500] [--batch 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_payment_text import GOODS, SURNAMES, TRADE, clean_name  # noqa: E402
from eval_dev import LISTS, load_entities  # noqa: E402
from summary import report  # noqa: E402

from tradeguard.payments import builder as b  # noqa: E402
from tradeguard.payments.read import read_payment_bytes  # noqa: E402
from tradeguard.screening.parties import Screener  # noqa: E402
from tradeguard.screening.payments import PaymentScreener  # noqa: E402

BANKS = ("DEUTDEFFXXX", "BCOMPTPLXXX", "HSBCHKHHXXX", "EBILAEADXXX", "BNPAFRPPXXX", "CHASUS33XXX")


def transaction(rng: random.Random, i: int, listed: list[str]) -> b.TxSpec:
    def party(name: str) -> b.PartySpec:
        return b.PartySpec(name, country=rng.choice(["DE", "FR", "PT", "AE", "HK", "US"]),
                           town=rng.choice(["Hamburg", "Lyon", "Porto", "Dubai", "Kowloon", "Boston"]),
                           iban="DE89370400440532013000")

    creditor = rng.choice(listed) if rng.random() < 0.1 else clean_name(rng)
    text = f"INV {rng.randrange(1000, 99999)} {rng.choice(GOODS)}"
    if rng.random() < 0.1:
        text += f" FOR {rng.choice(listed).upper()}"
    return b.TxSpec(f"E2E-{i}", f"{rng.randrange(100, 99999)}.00", "EUR", party(clean_name(rng)), party(creditor),
                    b.PartySpec(bic=rng.choice(BANKS)), b.PartySpec(bic=rng.choice(BANKS)),
                    ultimate_debtor=party(f"{rng.choice(SURNAMES)} {rng.choice(TRADE)} Holding"),
                    remittance=(text,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists", type=Path, default=LISTS)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    if not args.lists.is_dir():
        sys.exit(f"no lists folder {args.lists}: this benchmark needs ../shared")
    entities = load_entities(args.lists)
    started = time.perf_counter()
    screener = Screener(entities=entities)
    print(f"{len(entities)} entities; index built in {time.perf_counter() - started:.1f} s")
    listed = [e.caption for e in entities if e.schema in ("Organization", "Company") and len(e.caption.split()) >= 2]
    rng = random.Random(5)
    singles = [b.to_xml(b.pacs008(f"MSG-{i}", [transaction(rng, i, listed)], instructing_agent=b.PartySpec(bic=BANKS[0])))
               for i in range(args.messages)]

    def run(messages: list[bytes], with_text: bool) -> list[float]:
        payments = PaymentScreener(screener)  # its own caches: every message is new to it
        times = []
        for data in messages:
            t0 = time.perf_counter()
            for message in read_payment_bytes(data, "bench"):
                if not with_text:
                    for tx in message.transactions:
                        tx.texts.clear()
                payments.screen_message(message)
            times.append(time.perf_counter() - t0)
        return times

    warm = [b.to_xml(b.pacs008(f"WARM-{i}", [transaction(rng, i, listed)])) for i in range(20)]
    run(warm, True)  # warm the engine (its token caches) on other messages
    for label, with_text in (("with free text", True), ("names, BICs, places only", False)):
        times = sorted(run(singles, with_text))
        p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
        print(f"single pacs.008 ({label}): p50 {1000 * p50:.2f} ms, p95 {1000 * p95:.2f} ms over {len(times)} "
              f"messages (target p50 <= 2 ms)")
        report(f"payments: single pacs.008 p50 ({label})", "<= 2 ms", f"{1000 * p50:.2f} ms", p50 <= 0.002)
    batch = b.to_xml(b.pain001("BATCH-1", [transaction(rng, i, listed) for i in range(args.batch)],
                               initiating_party=b.PartySpec("Harbour Components GmbH")))
    verdicts = {}
    for processes in (1, 0):  # one process (the baseline), then every core
        payments = PaymentScreener(screener, processes=processes)
        t0 = time.perf_counter()
        (message,) = read_payment_bytes(batch, "batch.xml")
        read_seconds = time.perf_counter() - t0
        results = payments.screen_message(message)
        seconds = time.perf_counter() - t0
        verdicts[processes] = [r.verdict for r in results]
        held = sum(r.verdict == "hold" for r in results)
        where = "one process" if processes == 1 else f"{payments.processes} processes"
        print(f"batch pain.001: {len(results)} transactions in {seconds:.2f} s ({read_seconds:.2f} s reading) = "
              f"{len(results) / seconds:.0f} transactions/s in {where}, {held} held (target >= 1,000/s on 2 cores)")
        if processes == 0:
            rate = len(results) / seconds
            report("payments: batch transactions/s, every core", ">= 1,000", f"{rate:,.0f}", rate >= 1000)
    print(f"same verdicts in one process and on every core: {verdicts[1] == verdicts[0]}")


if __name__ == "__main__":
    main()
