#!/bin/bash
# 04 - iked to iked, BTNS leap of faith (RFC 5386) and pin persistence.
#
# Responder R (namespace ikeB) has a PAD of two entries: "branch", an
# authenticated PSK peer (fqdn:branch.lab.test) owning 10.99.5.0/24, and "btns"
# (remote-auth btns, remote-id %any). Initiator I (namespace ikeA) is
# fqdn:roamer.lab.test with a fresh "ikectl genkey" key, send-cert yes and
# remote-auth btns.
#   1. First contact succeeds; R's "ikectl pins" lists roamer's ID with the
#      fingerprint of key 1.
#   2. The same ID with a new key 2 is refused: initiate exits non-zero naming
#      AUTHENTICATION_FAILED, R's log names both fingerprints, the pin is kept.
#   3. R is killed with SIGKILL and restarted: the pin is unchanged (read both
#      offline with "ikectl pins --pin-store" and from the restarted daemon).
#   4. Key 1 is accepted again.
. "$(dirname "$0")/lib.sh"

scenario_begin "04 BTNS: leap-of-faith pin, key change refused, pin survives kill -9"
lab_up

step "keys and configurations"
keys=$WORK/keys
mkdir -p "$keys"
new_key "$keys/gw.key"
new_key "$keys/roamer-1.key"
fp1=$KEY_FP
new_key "$keys/roamer-2.key"
fp2=$KEY_FP
note "roamer key 1: $fp1, key 2: $fp2"
[ -n "$fp1" ] && [ "$fp1" != "$fp2" ] || abort "ikectl genkey made two distinct keys ($fp1, $fp2)"
check_eq "ikectl pubkey fingerprint of key 1 is SHA-256(SPKI)[0..8]" \
    "$(key_fingerprint "$keys/roamer-1.key.pub")" "$fp1"

write_config "$WORK/responder.conf" <<EOF
# R: an authenticated PSK peer first, then BTNS for everyone else
listen 10.99.0.2

connection branch {
    local-address 10.99.0.2
    local-id fqdn:gw.lab.test
    local-auth psk
    remote-id fqdn:branch.lab.test
    remote-auth psk
    psk "scenario-04-branch-preshared-key"
    local-ts 10.99.2.0/24
    remote-ts 10.99.5.0/24
}

connection btns {
    local-address 10.99.0.2
    local-id fqdn:gw.lab.test
    local-auth pubkey
    local-key $keys/gw.key
    send-cert yes
    remote-id %any
    remote-auth btns
    local-ts 10.99.2.1/32
    remote-ts 10.99.0.0/16
}
EOF

for k in 1 2; do
    write_config "$WORK/initiator-$k.conf" <<EOF
# I: roamer with key $k, accepting the gateway's key on first use too
listen 10.99.0.1

connection btns {
    local-address 10.99.0.1
    remote-address 10.99.0.2
    local-id fqdn:roamer.lab.test
    local-auth pubkey
    local-key $keys/roamer-$k.key
    send-cert yes
    remote-auth btns
    local-ts 10.99.1.1/32
    remote-ts 10.99.2.1/32
}
EOF
done

iked_start R "$NS_B" "$WORK/responder.conf" || abort "responder iked R did not start"
iked_start I "$NS_A" "$WORK/initiator-1.conf" || abort "initiator iked I did not start"
pins_file=$(iked_dir R)/pins.sqlite

# check_pin WHERE PINS [REFUSED-FP]: PINS (iked_pins output) holds roamer's ID
# with key 1 (and, if given, REFUSED-FP as the last key refused).
check_pin() {
    local row
    row=$(grep -F 'roamer.lab.test' <<<"$2" | head -n 1)
    if [ -z "$row" ]; then
        fail "$1: a pin for roamer.lab.test is listed"
        show_lines "$1" "$2"
        return
    fi
    check_eq "$1: pinned key of $(cut -d' ' -f2 <<<"$row")" "$fp1" "$(cut -d' ' -f3 <<<"$row")"
    [ -z "${3:-}" ] || check_eq "$1: refused key recorded" "$3" "$(cut -d' ' -f4 <<<"$row")"
}

step "1. first contact with key 1"
if iked_up I btns iked_sas R; then
    check_pin "R (ikectl pins)" "$(iked_pins R)"
    iked_down I btns iked_sas R
fi

step "2. same ID, new key 2: refused"
iked_stop I
iked_start I "$NS_A" "$WORK/initiator-2.conf" || abort "initiator iked I (key 2) did not restart"
mark=$(wc -l <"$(iked_log R)")
iked_initiate I btns
check "ikectl initiate btns with key 2 exits non-zero (exit $RC)" test "$RC" -ne 0
check_contains "initiate output names AUTHENTICATION_FAILED" "$OUT" AUTHENTICATION_FAILED
newlog=$(tail -n +"$((mark + 1))" "$(iked_log R)")
check_contains "R's log names the pinned fingerprint (key 1)" "$newlog" "$fp1"
check_contains "R's log names the presented fingerprint (key 2)" "$newlog" "$fp2"
check_pin "R after the refusal (ikectl pins)" "$(iked_pins R)" "$fp2"
check_gone iked_sas R btns

step "3. kill -9 R, pin still on disk, restart R"
iked_kill9 R
offline=$("$IKECTL" pins --json --pin-store "$pins_file" 2>&1 | python3 "$SCENARIO_DIR/sasummary.py" pins)
check_pin "pin store of the killed R (ikectl pins --pin-store)" "$offline"
if ! iked_start R "$NS_B" "$WORK/responder.conf"; then
    fail "R restarts after kill -9 (same socket path and pin store)"
    if [ -e "$(iked_dir R)/iked.sock" ]; then
        note "retrying once without the stale control socket"
        rm -f "$(iked_dir R)/iked.sock"
        iked_start R "$NS_B" "$WORK/responder.conf" || abort "R does not restart after kill -9"
    else
        abort "R does not restart after kill -9"
    fi
fi
check_pin "restarted R (ikectl pins)" "$(iked_pins R)"

step "4. key 1 again: accepted"
iked_stop I
iked_start I "$NS_A" "$WORK/initiator-1.conf" || abort "initiator iked I (key 1) did not restart"
iked_up I btns iked_sas R && iked_down I btns iked_sas R
scenario_end
