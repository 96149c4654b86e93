#!/bin/sh
# Install the unpacked Door Scanner folder to /opt/door-scanner (run as root from the folder).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=/opt/door-scanner
if [ "$(id -u)" -ne 0 ]; then echo "run as root: sudo $0" >&2; exit 1; fi
if [ "$here" != "$target" ]; then
    rm -rf "$target.new"
    cp -a "$here" "$target.new"
    rm -rf "$target"
    mv "$target.new" "$target"
fi
ln -sf "$target/door-scanner" /usr/local/bin/door-scanner
install -Dm644 "$target/door-scanner.svg" /usr/local/share/icons/hicolor/scalable/apps/door-scanner.svg
mkdir -p /usr/local/share/applications
sed 's|^Exec=door-scanner|Exec=/usr/local/bin/door-scanner|' > /usr/local/share/applications/door-scanner.desktop <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Door Scanner
GenericName=Ticket check-in
Comment=Scan event tickets at the door, online or offline
Exec=door-scanner window
Icon=door-scanner
Terminal=false
Categories=Office;Utility;
DESKTOP
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/local/share/applications || true
echo "installed to $target; run: door-scanner doctor"
