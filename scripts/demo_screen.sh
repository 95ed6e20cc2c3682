#!/usr/bin/env bash
# Second half of the demo: screen the sample customer file and show the hits, explained.
set -uo pipefail
cd "$(dirname "$0")/.."
TG=.venv/bin/tradeguard
mkdir -p out
echo
echo "== screening examples/customers.csv (invented customers, plus listed names as they turn up in real data)"
$TG screen examples/customers.csv -o out/customers.screened.jsonl --show
echo "(full results, one JSON record per customer: out/customers.screened.jsonl)"
echo
echo "== orders: load who owns whom (examples/ownership.csv), then screen the sample order file"
echo "   (parties, goods against the Common High Priority List, destinations, red flags, 50% rule)"
$TG ownership load examples/ownership.csv
$TG orders screen examples/orders.csv -o out/orders.screened.jsonl --report out --show
echo "(one JSON record per line: out/orders.screened.jsonl; evidence report: out/orders.report.html)"
echo
echo "== shipments: four sample bills of lading (examples/shipments.csv): the Caspian route, a listed"
echo "   tanker by its IMO under a new name, microcontrollers through Jebel Ali and Aktau, cotton T-shirts"
$TG shipments screen examples/shipments.csv -o out/shipments.screened.jsonl --report out --show
echo "(one JSON record per shipment: out/shipments.screened.jsonl; evidence report: out/shipments.report.html)"
echo
echo "== the review queue: one alert per customer and listed party, naming every list that lists it"
$TG alerts list --limit 10
echo
echo "== payments: five sample messages (examples/payments: ISO 20022 pacs.008 and an MT103), screened field by field"
$TG payments screen examples/payments -o out/payments.screened.jsonl
echo "(one JSON record per transaction: out/payments.screened.jsonl; docs/payments.md)"
