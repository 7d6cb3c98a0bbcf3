#!/bin/bash
# 05 - iked to iked: a BTNS peer may not claim addresses an authenticated PAD
# entry owns (RFC 5386 section 2, PAD walk 2).
#
# Responder R (namespace ikeB): "branch", a PSK peer fqdn:branch.lab.test that
# owns 10.99.1.0/24, then "btns" (remote-auth btns, remote-id %any) allowing
# 10.99.0.0/16. Initiator I (namespace ikeA) has three connections to R:
#   branch   the PSK peer asking for 10.99.1.1/32: accepted (control: the
#            address is really available to its owner)
#   inside   BTNS (fqdn:roamer.lab.test, own key) asking for 10.99.1.1/32:
#            initiate fails with TS_UNACCEPTABLE, R installs no child SA for it
#   outside  the same BTNS peer asking for 10.99.3.1/32: accepted
. "$(dirname "$0")/lib.sh"

scenario_begin "05 BTNS: child SA for an address owned by a non-BTNS entry -> TS_UNACCEPTABLE"
lab_up

step "keys and configurations"
keys=$WORK/keys
mkdir -p "$keys"
new_key "$keys/gw.key"
new_key "$keys/roamer.key"
psk='"scenario-05-branch-preshared-key"'

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
    remote-ts 10.99.1.0/24
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

# the BTNS identity of connections inside and outside
btns_auth="local-id fqdn:roamer.lab.test
    local-auth pubkey
    local-key $keys/roamer.key
    send-cert yes
    remote-auth btns"
write_config "$WORK/initiator.conf" <<EOF
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

connection inside {
    local-address 10.99.0.1
    remote-address 10.99.0.2
    $btns_auth
    local-ts 10.99.1.1/32
    remote-ts 10.99.2.0/24
}

connection outside {
    local-address 10.99.0.1
    remote-address 10.99.0.2
    $btns_auth
    local-ts 10.99.3.1/32
    remote-ts 10.99.2.0/24
}
EOF

iked_start R "$NS_B" "$WORK/responder.conf" || abort "responder iked R did not start"
iked_start I "$NS_A" "$WORK/initiator.conf" || abort "initiator iked I did not start"

step "control: the PSK peer that owns 10.99.1.0/24 gets 10.99.1.1/32"
iked_up I branch iked_sas R && iked_down I branch iked_sas R

step "BTNS peer asks for 10.99.1.1/32 (owned by 'branch')"
mark=$(wc -l <"$(iked_log R)")
iked_initiate I inside
check "ikectl initiate inside exits non-zero (exit $RC)" test "$RC" -ne 0
check_contains "initiate output names TS_UNACCEPTABLE" "$OUT" TS_UNACCEPTABLE
sas=$(iked_sas R)
owned=$(awk '$1 == "child" && $8 ~ /(^|,)10\.99\.1\./' <<<"$sas")
if [ -z "$owned" ]; then
    pass "R has no child SA for 10.99.1.x"
else
    fail "R installed a child SA for an address 'branch' owns: $owned"
fi
note "R's log about it:"
tail -n +"$((mark + 1))" "$(iked_log R)" | grep -iE 'TS_UNACCEPT|owns|narrow' | sed 's/^/        | /'
OUT=$(ikectl_on I terminate inside 2>&1) || true

step "BTNS peer asks for 10.99.3.1/32 (owned by nobody)"
iked_up I outside iked_sas R btns && iked_down I outside iked_sas R btns
scenario_end
