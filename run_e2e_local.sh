#!/bin/bash
# Usage: run_e2e.sh [spec...]  — runs Playwright against a fresh ikd serve (debug binary, built dist dirs).
set -e
cd /work/wt-f
IKD=$PWD/target/debug/ikd
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=/tmp/ikd-e2e-manual-$PORT
mkdir -p $DATA
$IKD seed --count 10000 --data-dir $DATA >/dev/null
$IKD demo --citizens 1 --data-dir $DATA >/dev/null
WEB=$(ls -d target/citizen-pages 2>/dev/null)
$IKD serve --listen 127.0.0.1:$PORT --data-dir $DATA --web-dir dist --console-dir dist-console > $DATA/serve.log 2>&1 &
SPID=$!
sleep 2
export IKD_BASE_URL=http://127.0.0.1:$PORT IKD_E2E_DATA_DIR=$DATA IKD_BIN=$IKD IKD_E2E_DATABASE=$DATA/ikd.db PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
node_modules/.bin/playwright test --config e2e/playwright.config.ts "$@" || RC=$?
kill $SPID
exit ${RC:-0}
