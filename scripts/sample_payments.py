"""Write the sample payment messages of `make demo` (examples/payments/) with the project's
builder: one clean payment, one to a listed bank by its BIC, one with a listed name in the
remittance text, one to an address in occupied Crimea, and one MT103.

    .venv/bin/python scripts/sample_payments.py [OUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from tradeguard.payments import builder as b

DEBTOR = b.PartySpec("Harbour Components GmbH", country="DE", town="Hamburg", street="Am Sandtorkai",
                     building_number="41", postcode="20457", iban="DE89370400440532013000")
BANK_DE = b.PartySpec(bic="DEUTDEFFXXX")
BANK_PT = b.PartySpec(bic="BCOMPTPLXXX")


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "examples" / "payments"
    out.mkdir(parents=True, exist_ok=True)
    clean = b.TxSpec("E2E-2026-0001", "18450.00", "EUR", DEBTOR,
                     b.PartySpec("Lisbon Machine Tools Lda", country="PT", town="Lisboa", iban="PT50000201231234567890154"),
                     BANK_DE, BANK_PT, remittance=("INV 2026-118 CNC SPINDLE BEARINGS",))
    to_listed_bank = b.TxSpec("E2E-2026-0002", "96000.00", "USD", DEBTOR,
                              b.PartySpec("Volga Precision Instruments LLC", country="RU", town="Kazan"),
                              BANK_DE, b.PartySpec(bic="GAZPRUMMXXX"), remittance=("CONTRACT 77/2026 MEASURING EQUIPMENT",))
    remittance = b.TxSpec("E2E-2026-0003", "41200.00", "EUR", DEBTOR,
                          b.PartySpec("Gulf Aviation Services FZE", country="AE", town="Dubai"),
                          BANK_DE, b.PartySpec(bic="EBILAEADXXX"),
                          remittance=("INV 2231 SPARE PARTS FOR MAHAN AIR A310 FLEET",))
    crimea = b.TxSpec("E2E-2026-0004", "7300.00", "EUR", DEBTOR,
                      b.PartySpec("Morskoy Servis OOO", town="Sevastopol", street="ul. Bolshaya Morskaya",
                                  building_number="12"),
                      BANK_DE, b.PartySpec(bic="BCOMPTPLXXX"), remittance=("MARINE PAINT ORDER 4471",))
    (out / "01_clean.pacs008.xml").write_bytes(b.to_xml(b.pacs008("MSG-2026-0001", [clean], instructing_agent=BANK_DE)))
    (out / "02_listed_bank_bic.pacs008.xml").write_bytes(
        b.to_xml(b.pacs008("MSG-2026-0002", [to_listed_bank], instructing_agent=BANK_DE)))
    (out / "03_remittance_text.pacs008.xml").write_bytes(
        b.to_xml(b.pacs008("MSG-2026-0003", [remittance], instructing_agent=BANK_DE)))
    (out / "04_crimea_address.pacs008.xml").write_bytes(
        b.to_xml(b.pacs008("MSG-2026-0004", [crimea], instructing_agent=BANK_DE)))
    mt = b.TxSpec("MT-2026-0005", "12500.00", "USD", DEBTOR,
                  b.PartySpec("SINNO ELECTRONICS CO LIMITED", address_lines=("KWUN TONG, KOWLOON", "HONG KONG")),
                  BANK_DE, b.PartySpec(bic="HSBCHKHHXXX"), remittance=("ELECTRONIC COMPONENTS PO 8812",))
    (out / "05_mt103.txt").write_text(b.mt103(mt, sender_bic="DEUTDEFF", receiver_bic="HSBCHKHH"), encoding="utf-8")
    print(f"wrote 5 sample payments to {out}")


if __name__ == "__main__":
    main()
