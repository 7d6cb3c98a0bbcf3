#!/bin/bash
# 08 - CREATE_CHILD_SA against strongSwan: strongSwan peer a initiates psk to iked
# as responder b, then rekeys the child SA (swanctl --rekey --child) and the IKE SA
# (swanctl --rekey --ike). After each rekey both sides list exactly one IKE SA and
# one child SA of psk, with new SPIs, and agree on them.
. "$(dirname "$0")/lib.sh"

# ike_count LISTER NAME CONN: how many IKE SAs of CONN that side lists.
ike_count() {
    "$1" "$2" | awk -v c="$3" '$1 == "ike" && $2 == c { n++ } END { print n + 0 }'
}

# child_count LISTER NAME: how many child SAs that side lists.
child_count() {
    "$1" "$2" | awk '$1 == "child" { n++ } END { print n + 0 }'
}

# one_of_each LISTER NAME CONN: exactly one IKE SA of CONN and one child SA.
one_of_each() {
    [ "$(ike_count "$1" "$2" "$3")" = 1 ] && [ "$(child_count "$1" "$2")" = 1 ]
}

scenario_begin "08 rekeying with strongSwan: child SA and IKE SA rekeyed by the peer"
lab_up
iked_start B "$NS_B" "$EXAMPLES/b.conf" || abort "iked B (examples/lab/b.conf) did not start"
swan_start a

step "swanctl --initiate --ike psk --child psk"
OUT=$(swan a --initiate --ike psk --child psk --timeout "$INITIATE_TIMEOUT" 2>&1)
check_eq "swanctl --initiate psk exit status" 0 "$?"
sas_agree swan_sas a psk iked_sas B
before=$(sa_ike "$(iked_sas B)" psk)
child_before=$(sa_child_of "$(iked_sas B)" "$(awk '{print $4}' <<<"$before")")

step "swanctl --rekey --child psk"
OUT=$(swan a --rekey --child psk 2>&1)
check_eq "swanctl --rekey --child psk exit status" 0 "$?"
wait_until 5 one_of_each iked_sas B psk
wait_until 5 one_of_each swan_sas a psk
check_eq "iked lists one IKE SA and one child SA after the child rekey" \
    "1 1" "$(ike_count iked_sas B psk) $(child_count iked_sas B)"
sas_agree swan_sas a psk iked_sas B
ike_now=$(sa_ike "$(iked_sas B)" psk)
child_now=$(sa_child_of "$(iked_sas B)" "$(awk '{print $4}' <<<"$ike_now")")
check "the child SA has new SPIs" [ "$(awk '{print $5, $6}' <<<"$child_now")" != \
    "$(awk '{print $5, $6}' <<<"$child_before")" ]

step "swanctl --rekey --ike psk"
OUT=$(swan a --rekey --ike psk 2>&1)
check_eq "swanctl --rekey --ike psk exit status" 0 "$?"
wait_until 5 one_of_each iked_sas B psk
wait_until 5 one_of_each swan_sas a psk
check_eq "iked lists one IKE SA and one child SA after the IKE rekey" \
    "1 1" "$(ike_count iked_sas B psk) $(child_count iked_sas B)"
sas_agree swan_sas a psk iked_sas B
after=$(sa_ike "$(iked_sas B)" psk)
check "the IKE SA has new SPIs" [ "$(awk '{print $4}' <<<"$after")" != \
    "$(awk '{print $4}' <<<"$before")" ]
check_contains "iked logged the IKE rekey" "$(cat "$(iked_log B)")" "IKE SA rekeyed by peer"
scenario_end
