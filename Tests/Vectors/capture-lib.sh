# shellcheck shell=bash
# capture-lib.sh - capturing and tshark helpers shared by Tests/Vectors/make-captures.sh
# and Tests/Scenarios/07-tshark-decrypts-own-capture.sh. Source it after
# Tests/Scenarios/lib.sh and call capture_trap right after scenario_begin, so that
# a tcpdump still running is stopped before lib.sh's cleanup removes the lab.

VECTORS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TSHARK_COMPARE=$VECTORS_DIR/tshark-compare.py
# the CBC/HMAC suite: tshark verifies the integrity checksum only for these
CBC_IKE=aes256-sha256-x25519
CBC_ESP=aes256-sha256
CAPTURE_PID=""

# capture_trap: stop a running tcpdump, then lib.sh's cleanup (which sees the
# original exit status).
capture_trap() {
    trap 'capture_exit' EXIT
}

capture_exit() {
    local rc=$?
    capture_stop >/dev/null 2>&1
    (exit "$rc")
    cleanup
}

# capture_start FILE: tcpdump on vethB (namespace ikeB), UDP 500 and 4500, into
# FILE; returns once tcpdump is listening.
capture_start() {
    local file=$1
    command -v tcpdump >/dev/null || abort "tcpdump is missing (scripts/install-deps.sh --lab)"
    ip netns exec "$NS_B" tcpdump --immediate-mode -U -n -i vethB -w "$file" \
        'udp port 500 or udp port 4500' 2>"$file.log" &
    CAPTURE_PID=$!
    wait_until 5 grep -qs 'listening on' "$file.log" \
        || abort "tcpdump did not start: $(cat "$file.log")"
}

# capture_stop: let the last datagrams arrive, then stop tcpdump (SIGINT).
capture_stop() {
    [ -n "$CAPTURE_PID" ] || return 0
    sleep 0.5
    kill -INT "$CAPTURE_PID" 2>/dev/null
    wait "$CAPTURE_PID" 2>/dev/null
    CAPTURE_PID=""
}

# cbc_config FILE: a copy of examples/lab/a.conf offering only the CBC/HMAC suites,
# checked with iked --check.
cbc_config() {
    copy_example a.conf "$WORK/a-cbc.conf.in"
    sed -Ei -e "s/^([[:space:]]*ike-proposals[[:space:]]).*/\\1$CBC_IKE/" \
        -e "s/^([[:space:]]*esp-proposals[[:space:]]).*/\\1$CBC_ESP/" "$WORK/a-cbc.conf.in"
    grep -q "ike-proposals $CBC_IKE" "$WORK/a-cbc.conf.in" || abort "could not edit a copy of a.conf"
    write_config "$1" <"$WORK/a-cbc.conf.in" >/dev/null
}

# esp_ping: one ping from strongSwan b's inner address to a's, so that strongSwan
# sends one ESP-in-UDP packet with the child SA's keys (iked has no ESP data path
# and drops it; tshark decrypts it with iked's esp_sa rows).
esp_ping() {
    ip netns exec "$NS_B" ping -c 1 -W 1 -I 10.99.2.1 10.99.1.1 >/dev/null 2>&1
    return 0
}

# tshark_profile DIR KEYS [ESP_SA]: a Wireshark configuration folder DIR holding the
# key tables.
tshark_profile() {
    mkdir -p "$1"
    cp "$2" "$1/ikev2_decryption_table"
    if [ -n "${3:-}" ] && [ -s "$3" ]; then cp "$3" "$1/esp_sa"; fi
}

# tshark_decrypt PROFILE CAPTURE: tshark -V with that profile, ESP decryption and
# ESP ICV checking on.
tshark_decrypt() {
    WIRESHARK_CONFIG_DIR=$1 tshark -n -r "$2" -V \
        -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE \
        2>"$1/tshark.err"
}

# problems DESCRIPTION COMMAND...: pass when COMMAND exits 0; otherwise fail and
# show what it printed (tshark-compare.py prints one line per difference).
problems() {
    local desc=$1 out
    shift
    if out=$("$@" 2>&1); then
        pass "$desc"
    else
        fail "$desc:"
        sed 's/^/        | /' <<<"$out" | head -n 40
    fi
}
