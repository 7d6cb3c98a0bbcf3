#!/bin/bash
# 06 - IKE proposal mismatch is reported to the operator.
#
# Initiator iked A uses a copy of examples/lab/a.conf whose only IKE proposal is
# aes256gcm16-prfsha512-ecp256, which the responder does not accept:
#   1. against strongSwan b (aes128gcm16-prfsha256-x25519, aes256-sha256-x25519):
#      ikectl initiate exits non-zero, naming NO_PROPOSAL_CHOSEN and our proposal;
#      strongSwan lists no SA.
#   2. against iked B (examples/lab/b.conf, same proposals as strongSwan b): the
#      message also names the responder's proposals (iked sends them along with
#      NO_PROPOSAL_CHOSEN), and iked B's log names both sides'.
. "$(dirname "$0")/lib.sh"

ours=aes256gcm16-prfsha512-ecp256
theirs=aes128gcm16-prfsha256-x25519

scenario_begin "06 IKE proposal mismatch: NO_PROPOSAL_CHOSEN names the proposals"
lab_up

copy_example a.conf "$WORK/a.conf.in"
sed -Ei "s/^([[:space:]]*ike-proposals[[:space:]]).*/\\1$ours/" "$WORK/a.conf.in"
grep -q "ike-proposals $ours" "$WORK/a.conf.in" || abort "could not edit a copy of a.conf"
write_config "$WORK/a-mismatch.conf" <"$WORK/a.conf.in"
copy_example b.conf "$WORK/b.conf.in"
write_config "$WORK/b.conf" <"$WORK/b.conf.in"
iked_start A "$NS_A" "$WORK/a-mismatch.conf" || abort "iked A (a.conf with $ours) did not start"

step "1. iked A ($ours) -> strongSwan b"
swan_start b
iked_initiate A psk
check "ikectl initiate psk exits non-zero (exit $RC)" test "$RC" -ne 0
check_contains "initiate output names NO_PROPOSAL_CHOSEN" "$OUT" NO_PROPOSAL_CHOSEN
check_contains "initiate output names our proposal" "$OUT" "$ours"
check "strongSwan b lists no IKE SA of 'psk'" lacks_ike swan_sas b psk
note "strongSwan b's log about it:"
grep -iE 'proposal' "$WORK/swan-b/log/charon.log" | tail -n 4 | sed 's/^/        | /'
"$SWAN/stop-charon.sh" "$WORK/swan-b" >/dev/null

step "2. iked A ($ours) -> iked B ($theirs, ...)"
iked_start B "$NS_B" "$WORK/b.conf" || abort "iked B (examples/lab/b.conf) did not start"
iked_initiate A psk
check "ikectl initiate psk exits non-zero (exit $RC)" test "$RC" -ne 0
check_contains "initiate output names NO_PROPOSAL_CHOSEN" "$OUT" NO_PROPOSAL_CHOSEN
check_contains "initiate output names our proposal" "$OUT" "$ours"
check_contains "initiate output names the responder's proposal" "$OUT" "$theirs"
log_b=$(grep -F NO_PROPOSAL_CHOSEN "$(iked_log B)")
check_contains "iked B's log names the offered proposal" "$log_b" "$ours"
check_contains "iked B's log names its own proposal" "$log_b" "$theirs"
check "iked B lists no IKE SA of 'psk'" lacks_ike iked_sas B psk
scenario_end
