#!/bin/sh
# Remove what install.sh put in place. Users' data, device keys and logs stay where they are.
set -eu
if [ "$(id -u)" -ne 0 ]; then echo "run as root: sudo $0" >&2; exit 1; fi
rm -f /usr/local/bin/door-scanner /usr/local/share/applications/door-scanner.desktop
rm -f /usr/local/share/icons/hicolor/scalable/apps/door-scanner.svg
rm -rf /opt/door-scanner
echo "removed /opt/door-scanner; data in each user's ~/.local/share/door-scanner is kept"
