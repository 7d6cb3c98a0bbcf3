#!/bin/bash
# 10 - iked to iked: flows decided by the SPD, and reload of a running daemon.
#
# Initiator I (namespace ikeA) has two connections to responder R (ikeB):
#   opp     a template (no remote-address): host to host, instantiated toward a
#           flow's destination as opp@ADDRESS
#   inner   10.99.1.0/24 === 10.99.2.0/24, which R refuses (its entry 'strict'
#           lets that identity claim only 10.99.3.0/24: TS_UNACCEPTABLE)
# and two policies: 'maybe' (bypass-or-protect via inner) and 'opp-all'
# (protect via opp). Checked:
#   1. ikectl spd shows them in order
#   2. ikectl flow 10.99.0.1 -> 10.99.0.2 tcp/443 brings up a child SA (both
#      sides agree); a second flow between the hosts uses it without initiating
#   3. ikectl flow 10.99.1.1 -> 10.99.2.1 is recorded as bypass, naming
#      TS_UNACCEPTABLE; ikectl flows lists the three flows
#   4. a broken configuration is refused by 'ikectl reload' with FILE:LINE
#      errors, and the SA stays
#   5. a narrowed PAD on R: 'ikectl reload' lists the SA as no longer authorized
#      and keeps it; 'ikectl reload --delete-unauthorized' removes it on both
#      sides; SIGHUP reloads too
. "$(dirname "$0")/lib.sh"

scenario_begin "10 SPD flows (protect, bypass-or-protect) and ikectl reload"
lab_up

step "configurations"
psk='"scenario-10-preshared-key-0123"'

# responder_conf OPP_REMOTE_TS: R's configuration; the PAD entry 'opp' lets I
# claim OPP_REMOTE_TS
responder_conf() {
    cat <<EOF
listen 10.99.0.2

connection opp {
    local-address 10.99.0.2
    local-id fqdn:r.lab.test
    remote-id fqdn:i.lab.test
    local-auth psk
    remote-auth psk
    psk $psk
    local-ts 10.99.0.2/32
    remote-ts $1
}

connection strict {
    local-address 10.99.0.2
    local-id fqdn:r.lab.test
    remote-id fqdn:s.lab.test
    local-auth psk
    remote-auth psk
    psk $psk
    local-ts 10.99.2.0/24
    remote-ts 10.99.3.0/24
}
EOF
}
responder_conf 10.99.0.0/24 | write_config "$WORK/r.conf"

write_config "$WORK/i.conf" <<EOF
listen 10.99.0.1

connection opp {
    local-address 10.99.0.1
    local-id fqdn:i.lab.test
    remote-id fqdn:r.lab.test
    local-auth psk
    remote-auth psk
    psk $psk
    local-ts 10.99.0.1/32
    remote-ts 10.99.0.0/24
}

connection inner {
    local-address 10.99.0.1
    remote-address 10.99.0.2
    local-id fqdn:s.lab.test
    remote-id fqdn:r.lab.test
    local-auth psk
    remote-auth psk
    psk $psk
    local-ts 10.99.1.0/24
    remote-ts 10.99.2.0/24
}

policy maybe {
    action bypass-or-protect
    local-ts 10.99.1.0/24
    remote-ts 10.99.2.0/24
    connection inner
}

policy opp-all {
    action protect
    local-ts 10.99.0.1/32
    remote-ts 10.99.0.0/24
    connection opp
}
EOF

iked_start R "$NS_B" "$WORK/r.conf" || abort "responder iked R did not start"
iked_start I "$NS_A" "$WORK/i.conf" || abort "initiator iked I did not start"

step "1. ikectl spd"
OUT=$(ikectl_on I spd 2>&1)
check_eq "ikectl spd exit status" 0 "$?"
check_eq "policies in file order" "maybe opp-all" \
    "$(sed -n 's/^[0-9]*\. \([^:]*\):.*/\1/p' <<<"$OUT" | xargs)"

step "2. ikectl flow 10.99.0.1 -> 10.99.0.2 tcp/443 (protect via template opp)"
OUT=$(ikectl_on I flow 10.99.0.1 10.99.0.2 --proto tcp --dport 443 \
    --timeout "$INITIATE_TIMEOUT" 2>&1)
RC=$?
check_eq "ikectl flow exit status ($OUT)" 0 "$RC"
check_contains "the flow is protected" "$OUT" ": protected (policy 'opp-all', protect)"
sas_agree iked_sas I opp@10.99.0.2 iked_sas R opp
OUT=$(ikectl_on I flow 10.99.0.1 10.99.0.2 --proto udp --dport 53 2>&1)
check_contains "a second flow uses the same child SA" "$OUT" "protected by child SA"
check_eq "still one IKE SA on I" 1 "$(iked_sas I | grep -c '^ike ')"

step "3. ikectl flow 10.99.1.1 -> 10.99.2.1 (bypass-or-protect, R refuses)"
OUT=$(ikectl_on I flow 10.99.1.1 10.99.2.1 --timeout "$INITIATE_TIMEOUT" 2>&1)
RC=$?
check_eq "ikectl flow exit status" 0 "$RC"
check_contains "the flow goes in the clear" "$OUT" ": bypass (policy 'maybe', bypass-or-protect)"
check_contains "the reason says the peer could not negotiate" "$OUT" "could not negotiate"
check_contains "the reason names TS_UNACCEPTABLE" "$OUT" TS_UNACCEPTABLE
OUT=$(ikectl_on I flows --json 2>&1)
check_eq "ikectl flows lists three decisions" "protected protected bypass" \
    "$(python3 -c 'import json,sys; print(" ".join(f["decision"] for f in json.load(sys.stdin)))' \
        <<<"$OUT")"

step "4. a broken configuration is refused; the running one stays"
cp "$WORK/r.conf" "$WORK/r.conf.good"
{ cat "$WORK/r.conf.good"; printf 'policy x {\n    action sometimes\n}\nlisten nowhere\n'; } \
    >"$WORK/r.conf"
OUT=$(ikectl_on R reload 2>&1)
RC=$?
check "ikectl reload exits non-zero (exit $RC)" test "$RC" -ne 0
check_contains "the error names its line" "$OUT" \
    "$WORK/r.conf:25: action: unknown action 'sometimes'"
check_contains "every error is named" "$OUT" "$WORK/r.conf:27: listen: 'nowhere'"
check_contains "the running configuration is kept" "$OUT" "the running configuration is kept"
sas_agree iked_sas I opp@10.99.0.2 iked_sas R opp

step "5. a narrowed PAD: the SA is reported, kept, then deleted on request"
responder_conf 10.99.0.128/25 >"$WORK/r.conf"
OUT=$(ikectl_on R reload 2>&1)
check_eq "ikectl reload exit status ($OUT)" 0 "$?"
check_contains "the SA is listed as no longer authorized" "$OUT" "1 IKE SA no longer authorized"
check_contains "with the reason" "$OUT" "walk 2 no longer allows"
sas_agree iked_sas I opp@10.99.0.2 iked_sas R opp
mark=$(wc -l <"$(iked_log R)")
kill -HUP "${IKED_PID[R]}"
log_r=$(iked_log R)
if wait_until 5 eval "tail -n +$((mark + 1)) '$log_r' | grep -q 'configuration reloaded'"; then
    pass "SIGHUP reloads the configuration (logged)"
else
    fail "SIGHUP: no 'configuration reloaded' in R's log"
fi
check "R still lists the SA of 'opp' after SIGHUP" has_ike "$(iked_sas R)" opp
OUT=$(ikectl_on R reload --delete-unauthorized 2>&1)
check_eq "ikectl reload --delete-unauthorized exit status ($OUT)" 0 "$?"
check_contains "it deletes the SA" "$OUT" "(deleting)"
check_gone iked_sas R opp
check_gone iked_sas I opp@10.99.0.2
scenario_end
