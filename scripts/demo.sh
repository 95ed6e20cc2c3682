#!/usr/bin/env bash
# The demo behind `make demo`: load the lists, show their status, then screen samples.
# Usage: scripts/demo.sh [LISTS_DIR]. Without a folder, download the official lists.
set -uo pipefail
cd "$(dirname "$0")/.."
TG=.venv/bin/tradeguard
LISTS="${1:-}"

echo "== store: ${TRADEGUARD_DB:-sqlite:///tradeguard.db}"
if [ -n "$LISTS" ] && [ -d "$LISTS" ]; then
  echo "== loading local list files from $LISTS (every version, oldest first; refusals are the guards at work)"
  $TG lists load "$LISTS" || echo "(some files were refused: see above)"
else
  echo "== downloading the official lists (tradeguard lists update)"
  $TG lists update || echo "(some sources failed: see above)"
fi
echo
$TG lists status
echo
echo "== what changed in OFAC's SDN list between its two newest versions"
$TG lists diff us_ofac_sdn | head -n 15 || true
if [ -f scripts/demo_screen.sh ]; then
  bash scripts/demo_screen.sh
fi
