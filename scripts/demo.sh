#!/usr/bin/env bash
# The demo behind `make demo`: load the lists, show their status, then screen samples.
# Usage: scripts/demo.sh [LISTS_DIR]. Without a folder, download the official lists.
set -uo pipefail
cd "$(dirname "$0")/.."
TG=.venv/bin/tradeguard
# Wide tables even when the output is not a terminal.
export COLUMNS="${COLUMNS:-160}"
LISTS="${1:-}"

echo "== store: ${TRADEGUARD_DB:-sqlite:///tradeguard.db}"
# From ../shared: the newest full file of every list, plus two consecutive OFAC SDN days so that
# `lists diff` has a real change to show. Any other folder: every list file in it, oldest first.
SHARED_SET=(
  ofac_sdn/history/2024-05-02/sdn.csv
  ofac_sdn/history/2024-05-03/sdn.csv
  ofac_consolidated/2026-01-08_haverisenosku/ofac.xml
  un/2026-08-01_zr101/un.xml
  uk_ofsi/2025-04-10_nadya-soto/UK_Sanctions_List.xlsx
  uk_ofsi/2025-04-14_mmahmed107/ConList.xlsx
  eu_fsf/2016-02-11_partial_v1.0_opendatalabcz/data.xml
  us_csl/2016-02_partial_opendatalabcz/data.csv
  canada_sema/2025-05_kebalkhadka/cannada.xml
  australia_dfat/2026-08_zr101/dfat.xlsx
  opensanctions/ua_war_sanctions_2026-03-13_com-480/targets.simple.csv
)
if [ -n "$LISTS" ] && [ -d "$LISTS" ]; then
  files=()
  for f in "${SHARED_SET[@]}"; do [ -f "$LISTS/$f" ] && files+=("$LISTS/$f"); done
  if [ "${#files[@]}" -eq "${#SHARED_SET[@]}" ]; then
    echo "== loading the newest official list files from $LISTS"
    $TG lists load "${files[@]}" || echo "(some files were refused: see above)"
  else
    echo "== loading every list file in $LISTS (oldest first; refusals are the guards at work)"
    $TG lists load "$LISTS" || echo "(some files were refused: see above)"
  fi
else
  echo "== downloading the official lists (tradeguard lists update)"
  $TG lists update || echo "(some sources failed: see above)"
fi
echo
$TG lists status
echo
echo "== what changed in OFAC's SDN list between its two newest versions"
$TG lists diff us_ofac_sdn | head -n 15 || true

echo "== one party, many listings: the lists that name Igor Sechin, linked (docs/linking.md)"
$TG match "Igor Sechin" --schema Person --limit 5 || true
if [ -f scripts/demo_screen.sh ]; then
  bash scripts/demo_screen.sh
fi
