#!/usr/bin/env bash
# The .deb in a clean Debian 12 (bookworm, minbase) chroot: `dpkg -i`, `apt-get -f install` for
# the libraries it declares, then `door-scanner --version` and `door-scanner doctor --json`, the
# video add-on's .deb beside it, and removal keeping the user's data. Needs root, debootstrap and Debian's mirror. The clean system
# (about 200 MB) is made once with debootstrap and copied afresh for every run, so each run
# starts with none of the libraries the package declares.
# Not part of CI: 2.5 minutes measured here at load average 6 (debootstrap 1 min, done once; the
# copy, apt fetching and installing the libraries, dpkg unpacking 125 MB: 1.2 min every run).
#
#   packaging/smoke/deb_chroot.sh [DEB] [FOLDER]
#       DEB     default dist/door-scanner_*.deb
#       FOLDER  default /tmp/door-scanner-chroot: FOLDER/clean is kept, FOLDER/run is made anew
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
deb=${1:-$(ls "$root"/dist/door-scanner_*.deb 2>/dev/null | head -1 || true)}
folder=${2:-/tmp/door-scanner-chroot}
clean="$folder/clean"
target="$folder/run"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
step() { echo "== deb chroot: $*"; }
fail() { echo "deb chroot test FAILED: $*" >&2; exit 1; }

[ -n "$deb" ] && [ -f "$deb" ] || fail "no .deb (run make package first)"
[ "$(id -u)" -eq 0 ] || fail "needs root (chroot, mounts)"
if [ ! -x "$clean/usr/bin/apt-get" ]; then
    command -v debootstrap >/dev/null || fail "debootstrap is missing (apt-get install debootstrap)"
    step "debootstrap --variant=minbase bookworm $clean"
    mkdir -p "$folder"
    debootstrap --variant=minbase bookworm "$clean" "$mirror" > "$folder/debootstrap.log" 2>&1 \
        || { tail -5 "$folder/debootstrap.log"; fail "debootstrap (is $mirror reachable?)"; }
fi
# Never delete through a mount left by a killed run (the host's /dev, /proc, /sys).
unmount_all() {
    { grep -o " $target/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m"; done
    ! grep -q " $target/" /proc/mounts || fail "cannot unmount what is mounted under $target"
}
step "a fresh copy of the clean system"
unmount_all
rm -rf --one-file-system "$target"
cp -a "$clean" "$target"

trap unmount_all EXIT
for fs in proc sys dev dev/pts; do
    mount --bind "/$fs" "$target/$fs"
done
cp /etc/resolv.conf "$target/etc/resolv.conf"
in_chroot() {
    chroot "$target" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

in_chroot sh -c '! dpkg-query -W libxcb1 libpulse0' > /dev/null 2>&1 || fail "not a clean system"

name=$(basename "$deb")
cp "$deb" "$target/tmp/$name"
step "dpkg -i $name (refused for missing libraries: they come next)"
in_chroot dpkg -i "/tmp/$name" || true
step "apt-get -f install"
in_chroot apt-get update -qq
in_chroot apt-get -f install -y -qq --no-install-recommends > /dev/null
in_chroot dpkg-query -W -f='${Status}\n' door-scanner | grep -q "install ok installed" \
    || fail "door-scanner not installed"
rm -f "$target/tmp/$name"

step "door-scanner --version"
version=$(in_chroot door-scanner --version) || fail "--version exit $?"
echo "$version"
grep -q "packaged build" <<< "$version" || fail "--version"

step "door-scanner doctor --json (no camera, no display here: problems are expected)"
rc=0
in_chroot door-scanner doctor --json > "$target/tmp/doctor.json" || rc=$?
[ "$rc" -le 9 ] || { cat "$target/tmp/doctor.json"; fail "doctor crashed (exit $rc)"; }
for finding in "zxing-cpp reads QR codes" "zbar reads QR codes"; do
    grep -q "\"summary\": \"$finding\"" "$target/tmp/doctor.json" || fail "doctor: $finding"
done
echo "doctor exit $rc: $(grep -o '"worst": "[a-z]*"' "$target/tmp/doctor.json")"
grep -q '"addon": "door-scanner-video"' "$target/tmp/doctor.json" || fail "doctor: video add-on"

video=$(ls "$(dirname "$deb")"/door-scanner-video_*.deb 2>/dev/null | head -1 || true)
if [ -n "$video" ]; then
    step "the video add-on: dpkg -i, then doctor says videos can be read"
    cp "$video" "$target/tmp/video.deb"
    in_chroot dpkg -i /tmp/video.deb > /dev/null || fail "dpkg -i the video add-on"
    in_chroot door-scanner doctor --json --skip camera --skip qt --skip server \
        > "$target/tmp/doctor-video.json" || true
    grep -q "video files and network cameras can be read" "$target/tmp/doctor-video.json" \
        || fail "doctor with the video add-on"
    in_chroot dpkg --purge door-scanner-video > /dev/null
fi

step "removing the package keeps the user's data"
in_chroot door-scanner status > /dev/null 2>&1 || true  # makes the data file (no event yet)
in_chroot sh -c 'ls ~/.local/share/door-scanner/scanner.sqlite3' > /dev/null \
    || fail "no data file to keep"
in_chroot dpkg --purge door-scanner > /dev/null
in_chroot sh -c '! command -v door-scanner && ls ~/.local/share/door-scanner/scanner.sqlite3' \
    > /dev/null || fail "purge took the data or left the program"
unmount_all
rm -rf --one-file-system "$target"
echo "deb chroot test passed"
