#!/usr/bin/env bash
# Inside xvfb-run: the demo window until its journal holds an admitted scan, then a screenshot.
set -euo pipefail
bin=$1 work=$2 shot=$3
QT_QPA_PLATFORM=xcb "$bin" --data-dir "$work/demo" window --demo > "$work/window.log" 2>&1 &
window=$!
admitted=0
for _ in $(seq 1 180); do  # up to 3 minutes on a loaded machine; usually a few seconds
    kill -0 "$window" 2>/dev/null || { cat "$work/window.log"; echo "the window exited" >&2; exit 1; }
    if [ -f "$work/demo/scanner.sqlite3" ]; then
        admitted=$("$bin" --data-dir "$work/demo" status --json 2>/dev/null \
            | grep -o '"admitted": [0-9]*' | grep -o '[0-9]*$' || echo 0)
        [ "${admitted:-0}" -ge 1 ] && break
    fi
    sleep 1
done
xwd -root -silent > "$work/screen.xwd"
kill "$window"
wait "$window" || true
[ "${admitted:-0}" -ge 1 ] || { cat "$work/window.log"; echo "no admitted scan in the journal" >&2; exit 1; }
python3 "$(dirname "$0")/xwd2png.py" "$work/screen.xwd" "$shot"
echo "admitted scans in the demo journal: $admitted; screenshot: $shot"
