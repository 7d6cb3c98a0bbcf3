#!/bin/bash
# 02 - as 01 for the raw-public-key connections of examples/lab/a.conf: rpk
# (Ed25519 keys, FQDN identities) and rpk-keyid (no configured identities, so
# ID_KEY_ID = SHA-1 of the SubjectPublicKeyInfo). Also checks that strongSwan saw
# the identity iked was meant to send.
. "$(dirname "$0")/lib.sh"

scenario_begin "02 rpk, rpk-keyid: iked initiator -> strongSwan responder b"
lab_up
swan_start b
iked_start A "$NS_A" "$EXAMPLES/a.conf" || abort "iked A (examples/lab/a.conf) did not start"

# strongSwan prints an ID_KEY_ID as colon-separated hex
keyid_a=$(openssl pkey -pubin -in "$SWAN/a/swanctl/pubkey/a.pub" -outform DER | sha1sum \
    | cut -d' ' -f1 | sed 's/../&:/g; s/:$//')

for conn in rpk rpk-keyid; do
    iked_up A "$conn" swan_sas b || continue
    want=a.lab.test
    [ "$conn" = rpk-keyid ] && want=$keyid_a
    check_eq "strongSwan b: remote identity of '$conn'" "$want" "$(swan_remote_id b "$conn")"
    iked_down A "$conn" swan_sas b
done
scenario_end
