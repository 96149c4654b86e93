#!/bin/sh
# Install the unpacked Door Scanner folder to /opt/door-scanner (run as root from the folder).
# The copy belongs to root with no group or other write bits, whoever unpacked the archive: the
# program is on root's PATH, so an account that could write it could run code as root.
# DESTDIR (optional) installs under another root folder (packagers, the tests).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest=${DESTDIR:-}
target=$dest/opt/door-scanner
if [ "$(id -u)" -ne 0 ]; then echo "run as root: sudo $0" >&2; exit 1; fi
if [ "$here" != "$target" ]; then
    mkdir -p "$dest/opt"
    rm -rf "$target.new"
    cp -R "$here" "$target.new"
    rm -rf "$target"
    mv "$target.new" "$target"
fi
chown -R 0:0 "$target"
chmod -R u+rwX,go+rX,go-w "$target"
mkdir -p "$dest/usr/local/bin" "$dest/usr/local/share/applications"
ln -sf /opt/door-scanner/door-scanner "$dest/usr/local/bin/door-scanner"
install -Dm644 "$target/door-scanner.svg" "$dest/usr/local/share/icons/hicolor/scalable/apps/door-scanner.svg"
sed 's|^Exec=door-scanner|Exec=/usr/local/bin/door-scanner|' > "$dest/usr/local/share/applications/door-scanner.desktop" <<'DESKTOP'
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
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$dest/usr/local/share/applications" || true
echo "installed to $target; run: door-scanner doctor"
