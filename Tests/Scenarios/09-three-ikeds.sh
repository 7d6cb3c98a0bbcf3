#!/bin/bash
# 09 - three iked instances: an authenticated peer and a BTNS peer behind the same
# address, against one responder (RFC 5386 section 2, both PAD walks, and the
# section 3.1 rogue cases), with "ikectl explain" on the responder predicting each
# outcome.
#
# Responder R (namespace ikeB, 10.99.0.2:500): PAD
#   1. branch  fqdn:branch.lab.test, PSK, owns 10.99.1.0/24 and 10.99.4.0/24[tcp/443]
#   2. btns    %any, BTNS, may claim 10.99.0.0/16 minus what entry 1 owns
# P (namespace ikeA, 10.99.0.1:500/4500): the authenticated PSK peer "branch".
# X (namespace ikeA, 10.99.0.1:1500/14500): a BTNS peer with its own key:
#   impostor  asserts fqdn:branch.lab.test       -> AUTHENTICATION_FAILED (walk 1)
#   grab      own ID, asks for 10.99.1.1 (P's)   -> TS_UNACCEPTABLE (walk 2)
#   own       own ID, asks for 10.99.3.1         -> accepted, key pinned
#   newkey    own ID with a second key            -> refused, then approved
#             with "ikectl pins approve", then accepted
. "$(dirname "$0")/lib.sh"

scenario_begin "09 three ikeds: authenticated peer, BTNS impostor and BTNS peer, explained"
lab_up

step "keys and configurations"
keys=$WORK/keys
mkdir -p "$keys"
new_key "$keys/gw.key"
new_key "$keys/x.key"
fpx=$KEY_FP
new_key "$keys/x2.key"
fpx2=$KEY_FP
psk='"scenario-09-branch-preshared-key"'

write_config "$WORK/responder.conf" <<EOF
listen 10.99.0.2

connection branch {
    local-address 10.99.0.2
    local-id fqdn:gw.lab.test
    local-auth psk
    remote-id fqdn:branch.lab.test
    remote-auth psk
    psk $psk
    local-ts 10.99.2.0/24
    remote-ts 10.99.1.0/24, 10.99.4.0/24[tcp/443]
}

connection btns {
    local-address 10.99.0.2
    local-id fqdn:gw.lab.test
    local-auth pubkey
    local-key $keys/gw.key
    remote-id %any
    remote-auth btns
    local-ts 10.99.2.0/24
    remote-ts 10.99.0.0/16
}
EOF

write_config "$WORK/p.conf" <<EOF
listen 10.99.0.1

connection branch {
    local-address 10.99.0.1
    remote-address 10.99.0.2
    local-id fqdn:branch.lab.test
    remote-id fqdn:gw.lab.test
    local-auth psk
    remote-auth psk
    psk $psk
    local-ts 10.99.1.1/32
    remote-ts 10.99.2.0/24
}
EOF

# X: a second iked at the same address on other ports; R answers to the source port
x_conn() { # NAME LOCAL-ID KEY LOCAL-TS
    cat <<EOF
connection $1 {
    local-address 10.99.0.1
    remote-address 10.99.0.2
    local-id $2
    local-auth pubkey
    local-key $3
    send-cert yes
    remote-id fqdn:gw.lab.test
    remote-auth btns
    local-ts $4
    remote-ts 10.99.2.0/24
}
EOF
}
write_config "$WORK/x.conf" <<EOF
listen 10.99.0.1
ike-port 1500
natt-port 14500
$(x_conn impostor fqdn:branch.lab.test "$keys/x.key" 10.99.3.1/32)
$(x_conn grab fqdn:roamer.lab.test "$keys/x.key" 10.99.1.1/32)
$(x_conn own fqdn:roamer.lab.test "$keys/x.key" 10.99.3.1/32)
$(x_conn newkey fqdn:roamer.lab.test "$keys/x2.key" 10.99.3.1/32)
EOF

iked_start R "$NS_B" "$WORK/responder.conf" || abort "responder iked R did not start"
iked_start P "$NS_A" "$WORK/p.conf" || abort "PSK peer iked P did not start"
iked_start X "$NS_A" "$WORK/x.conf" || abort "BTNS peer iked X did not start"

step "ikectl pad on R"
pad=$(ikectl_on R pad 2>&1)
sed 's/^/        | /' <<<"$pad"
check_contains "entry 1 is the non-BTNS PSK entry" "$pad" "1. branch  [non-BTNS, walk 1 pass 1]"
check_contains "entry 2 is the wildcard BTNS entry" "$pad" "2. btns  [BTNS wildcard, walk 1 pass 3]"
check_contains "entry 1's child SA authorization has protocol and port" "$pad" \
    "10.99.4.0/24[tcp/443]"

# explain_on_r EXPECTED-RC NEEDLE ARGS...: ikectl explain on R, its exit status and text
explain_on_r() {
    local want=$1 needle=$2
    shift 2
    OUT=$(ikectl_on R explain "$@" 2>&1)
    RC=$?
    sed 's/^/        | /' <<<"$OUT"
    check_eq "ikectl explain $* exit status" "$want" "$RC"
    check_contains "ikectl explain $*: $needle" "$OUT" "$needle"
}

step "the authenticated peer P gets its addresses"
explain_on_r 0 "ACCEPTED under entry 1 'branch'" fqdn:branch.lab.test --ts 10.99.1.1
iked_up P branch iked_sas R branch && iked_down P branch iked_sas R branch

step "BTNS peer X asserting P's identity"
explain_on_r 1 "REFUSED in walk 1: AUTHENTICATION_FAILED" \
    fqdn:branch.lab.test --key "$keys/x.key.pub" --ts 10.99.3.1
check_contains "explain: decided by entry 1, no fall-through" "$OUT" \
    "entry 1 'branch' decides and demands the PSK"
iked_initiate X impostor
check "ikectl initiate impostor exits non-zero (exit $RC)" test "$RC" -ne 0
check_contains "initiate output names AUTHENTICATION_FAILED" "$OUT" AUTHENTICATION_FAILED
check_not_contains "R pinned nothing for P's identity" "$(iked_pins R)" "fqdn:branch.lab.test"
OUT=$(ikectl_on X terminate impostor 2>&1) || true

step "BTNS peer X, own identity, asking for P's address 10.99.1.1"
explain_on_r 1 "child SA refused: TS_UNACCEPTABLE" \
    fqdn:roamer.lab.test --key "$keys/x.key" --ts 10.99.1.1
check_contains "explain: entry 1 owns the address" "$OUT" "owns 10.99.1.0/24"
iked_initiate X grab
check "ikectl initiate grab exits non-zero (exit $RC)" test "$RC" -ne 0
check_contains "initiate output names TS_UNACCEPTABLE" "$OUT" TS_UNACCEPTABLE
owned=$(awk '$1 == "child" && $8 ~ /(^|,)10\.99\.1\./' <<<"$(iked_sas R)")
if [ -z "$owned" ]; then
    pass "R has no child SA for 10.99.1.x"
else
    fail "R installed a child SA for an address 'branch' owns: $owned"
fi
OUT=$(ikectl_on X terminate grab 2>&1) || true

step "BTNS peer X, own identity and address 10.99.3.1"
explain_on_r 0 "ACCEPTED under entry 2 'btns' (BTNS), child SA for 10.99.3.1/32" \
    fqdn:roamer.lab.test --key "$keys/x.key" --ts 10.99.3.1
iked_up X own iked_sas R btns && iked_down X own iked_sas R btns
pins=$(iked_pins R)
check_contains "R pinned X's key to fqdn:roamer.lab.test" "$pins" "fqdn:roamer.lab.test $fpx"
explain_on_r 0 "is the one pinned to fqdn:roamer.lab.test" \
    fqdn:roamer.lab.test --key "$keys/x.key" --ts 10.99.3.1

step "X with a new key: refused, shown, approved by the operator, accepted"
explain_on_r 1 "pinned to key $fpx, not $fpx2" \
    fqdn:roamer.lab.test --key "$keys/x2.key" --ts 10.99.3.1
iked_initiate X newkey
check "ikectl initiate newkey exits non-zero (exit $RC)" test "$RC" -ne 0
check_contains "initiate output names AUTHENTICATION_FAILED" "$OUT" AUTHENTICATION_FAILED
OUT=$(ikectl_on X terminate newkey 2>&1) || true
show=$(ikectl_on R pins show fqdn:roamer.lab.test 2>&1)
sed 's/^/        | /' <<<"$show"
check_contains "pins show lists the refused key" "$show" "  $fpx2"
OUT=$(ikectl_on R pins approve fqdn:roamer.lab.test 2>&1)
RC=$?
check_eq "ikectl pins approve exit status ($OUT)" 0 "$RC"
check_contains "R logged the approval" "$(cat "$(iked_log R)")" \
    "changed from key $fpx to the refused key $fpx2"
iked_up X newkey iked_sas R btns && iked_down X newkey iked_sas R btns
scenario_end
