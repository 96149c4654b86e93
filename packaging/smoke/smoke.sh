#!/usr/bin/env bash
# Smoke test of the built artefact on this machine, with the project's venv off the PATH:
# --version, doctor --json, decode, verify-code, status loading neither Qt nor OpenCV, zbar found
# inside the bundle, the window in --demo mode under Xvfb until its journal holds an admitted
# scan, with a screenshot, and video files without and with the video add-on.
#
#   packaging/smoke/smoke.sh [APP_FOLDER]     (default dist/door-scanner)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
app=$(cd "${1:-$root/dist/door-scanner}" && pwd)
bin="$app/door-scanner"
smoke="$root/packaging/smoke"
work=$(mktemp -d /tmp/door-scanner-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
unset VIRTUAL_ENV PYTHONPATH PYTHONHOME QT_QPA_PLATFORM SCANNER_DATA_DIR SCANNER_KEY_FILE SCANNER_LOG_DIR
export HOME="$work/home"
mkdir -p "$HOME"
step() { echo "== smoke: $*"; }
fail() { echo "smoke test FAILED: $*" >&2; exit 1; }

step "door-scanner --version"
"$bin" --version | tee "$work/version.txt"
head=$(cd "$root/scanner/store/migrations/versions" && ls [0-9]*.py | tail -1 | cut -c1-4)
grep -q "packaged build .*data schema $head" "$work/version.txt" || fail "--version (head $head)"

oldest="$root/tests/store/schema_files/schema-0001.sqlite3"
if [ -f "$oldest" ]; then
    step "a data file of schema 0001 upgrades to $head (migrations shipped as data files)"
    mkdir -p "$work/old" && cp "$oldest" "$work/old/scanner.sqlite3"
    only_data=(doctor --json --skip camera --skip qt --skip server --skip decoders)
    "$bin" --data-dir "$work/old" "${only_data[@]}" > "$work/old1.json" || true
    grep -q "will be upgraded to $head" "$work/old1.json" || fail "upgrade not announced"
    "$bin" --data-dir "$work/old" status > /dev/null 2>&1 || true
    "$bin" --data-dir "$work/old" "${only_data[@]}" > "$work/old2.json" || true
    grep -q "data file intact, schema $head" "$work/old2.json" || fail "upgrade in the package"
fi

step "door-scanner doctor --json"
rc=0
"$bin" --data-dir "$work/data" doctor --json --skip camera > "$work/doctor.json" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 8 ] || { cat "$work/doctor.json"; fail "doctor exit $rc"; }
grep -q '"summary": "zxing-cpp reads QR codes"' "$work/doctor.json" || fail "zxing-cpp in doctor"
grep -q '"summary": "zbar reads QR codes"' "$work/doctor.json" || fail "zbar in doctor"
echo "doctor exit $rc: $(grep -o '"worst": "[a-z]*"' "$work/doctor.json")"

step "door-scanner decode (sample ticket image)"
"$bin" decode "$smoke/ticket.png" | tee "$work/decode.txt"
grep -qF "$(cat "$smoke/ticket.txt")" "$work/decode.txt" || fail "decode"

step "door-scanner verify-code (a spec vector)"
"$bin" verify-code --keyring "$root/tests/data/ticket-code-vectors.json" "$(cat "$smoke/ticket.txt")" \
    | tee "$work/verify.txt"
grep -q '"valid": true' "$work/verify.txt" || fail "verify-code"

step "door-scanner status loads no Qt and no OpenCV (the door commands start fast)"
LD_DEBUG=files "$bin" --data-dir "$work/data" status > /dev/null 2> "$work/loaded.txt" || true
grep -q "file=.*sqlcipher" "$work/loaded.txt" || fail "LD_DEBUG shows no libraries loaded"
if grep -E "file=[^ ]*(libQt6Core|cv2\.abi3|libopenblas)" "$work/loaded.txt" | head -3 | grep .; then
    fail "status loaded Qt or OpenCV"
fi

zbar=$(ldconfig -p 2>/dev/null | grep -o '/[^ ]*libzbar\.so\.0$' | head -1 || true)
if [ -n "$zbar" ] && [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
    step "zbar from the bundle when the system's libzbar is gone"
    unshare -m sh -c "mount --bind /dev/null '$(readlink -f "$zbar")' && \
        '$bin' --data-dir '$work/data' doctor --json --skip camera --skip qt" > "$work/nozbar.json" || true
    grep -q '"summary": "zbar reads QR codes"' "$work/nozbar.json" || fail "bundled zbar"
else
    echo "(skipped hiding the system libzbar: needs root and unshare)"
fi

deb=$(ls "$root"/dist/door-scanner_*.deb 2>/dev/null | head -1 || true)
if [ -n "$deb" ]; then
    step "the .deb: dependencies and layout"
    dpkg-deb --field "$deb" Depends | grep -q "libpulse0.*libxcb-icccm4" || fail ".deb Depends"
    dpkg-deb --contents "$deb" > "$work/deb.txt"
    for path in "./opt/door-scanner/door-scanner" "./opt/door-scanner/licenses/NOTICE.md" \
        "./usr/bin/door-scanner -> /opt/door-scanner/door-scanner" \
        "./usr/share/applications/door-scanner.desktop"; do
        grep -qF "$path" "$work/deb.txt" || fail ".deb lacks $path"
    done
    video_deb=$(ls "$root"/dist/door-scanner-video_*.deb 2>/dev/null | head -1 || true)
    if [ -f "$app/_internal/video-addon.json" ]; then
        step "the video add-on's .deb: the libraries the app lists, for this version only"
        [ -n "$video_deb" ] || fail "no door-scanner-video .deb"
        version=$(dpkg-deb --field "$deb" Version)
        [ "$(dpkg-deb --field "$video_deb" Depends)" = "door-scanner (= $version)" ] \
            || fail "video .deb Depends"
        dpkg-deb --contents "$video_deb" > "$work/video-deb.txt"
        for library in $(grep -o '"opencv_python[^"]*"' "$app/_internal/video-addon.json"); do
            grep -qF "./opt/door-scanner/_internal/${library//\"/}" "$work/video-deb.txt" \
                || fail "video .deb lacks $library"
        done
    fi
fi

if ! command -v xvfb-run >/dev/null || ! command -v xwd >/dev/null; then
    fail "xvfb-run and xwd are needed for the window test (apt install xvfb x11-apps)"
fi
step "door-scanner window --demo under Xvfb"
xvfb-run -a -s "-screen 0 1366x768x24" "$smoke/window-demo.sh" "$bin" "$work" "$root/dist/smoke-window.png"

addon=$(ls "$root"/dist/door-scanner-video-*.tar.gz 2>/dev/null | head -1 || true)
if [ -f "$app/_internal/video-addon.json" ]; then
    [ -n "$addon" ] || fail "the build split out its video libraries but made no add-on archive"
    step "without the video add-on: MJPEG .avi read, .mp4 refused in words"
    scan=(--data-dir "$work/demo" scan --every-frame --json --source)
    "$bin" "${scan[@]}" "$smoke/ticket.avi" > "$work/avi.json" || fail "scan of the MJPEG .avi"
    grep -q '"format": "TK1"' "$work/avi.json" || fail "no verdict on the ticket in the .avi"
    rc=0
    "$bin" "${scan[@]}" "$smoke/ticket.mp4" > /dev/null 2> "$work/mp4.txt" || rc=$?
    cat "$work/mp4.txt"
    [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] || fail "scan of an .mp4 without the add-on: exit $rc"
    grep -q "needs the video add-on (door-scanner-video)" "$work/mp4.txt" || fail "mp4 refusal"
    "$bin" --data-dir "$work/demo" doctor --json --skip camera --skip qt --skip server \
        > "$work/noaddon.json" || true
    grep -q '"addon": "door-scanner-video"' "$work/noaddon.json" || fail "doctor on the add-on"

    step "with the video add-on unpacked over a copy of the app: the .mp4 read"
    mkdir "$work/with-video"
    cp -a "$app" "$work/with-video/door-scanner"
    tar -xzf "$addon" -C "$work/with-video"
    "$work/with-video/door-scanner/door-scanner" "${scan[@]}" "$smoke/ticket.mp4" \
        > "$work/mp4.json" || fail "scan of the .mp4 with the add-on"
    grep -q '"format": "TK1"' "$work/mp4.json" || fail "no verdict on the ticket in the .mp4"
fi
echo "smoke test passed"
