#!/usr/bin/env bash
# Debian/Ubuntu packages the scanner needs at run time. Installs what is missing when it can
# (root, or sudo without a password); otherwise names the missing packages in one line.
# Arguments: more packages to require (make package adds its build tools).
set -euo pipefail
needed=(libzbar0 poppler-utils fonts-dejavu-core fonts-noto-cjk libpulse0 libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 xvfb x11-apps)  # xvfb, x11-apps: the package smoke test
needed+=("$@")  # more for one target (the package build's tools)
command -v dpkg-query >/dev/null 2>&1 || exit 0  # not Debian: nothing we can check
missing=()
for pkg in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "error: missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
