#!/bin/bash
# install-deps.sh [--lab] - install the Debian 12 packages Latchkey needs.
#
#   (no flag)  build and unit tests: OpenSSL 3, libsodium, SQLite headers, pkg-config
#   --lab      also the interop lab: strongSwan, iproute2, ping, tcpdump, tshark,
#              OpenIKED with gcc/libc6-dev (its PF_KEY emulation is built per run)
#
# Packages already present are not reinstalled; apt-get runs only when something is
# missing, so repeated runs are quick. Needs root (or sudo) when it has to install.
set -eu

packages=(libssl-dev libsodium-dev libsqlite3-dev pkg-config sqlite3 openssl)
if [ "${1:-}" = "--lab" ]; then
    packages+=(charon-systemd strongswan-swanctl strongswan-pki
        libstrongswan-standard-plugins libstrongswan-extra-plugins libcharon-extra-plugins
        iproute2 iputils-ping tcpdump tshark python3 procps
        openiked gcc libc6-dev util-linux)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
# tshark asks whether non-root users may capture; answer for it
echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

if ! command -v swift >/dev/null 2>&1; then
    for d in /opt/swift/usr/bin /opt/swift/bin; do
        [ -x "$d/swift" ] && { echo "swift is in $d: add it to PATH" >&2; exit 0; }
    done
    echo "no Swift toolchain found: install Swift 6 (swift.org) and put it on PATH" >&2
    exit 1
fi
