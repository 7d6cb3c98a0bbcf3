#!/bin/bash
# 03 - strongSwan lab peer a initiates psk, rpk and rpk-keyid to iked as
# responder b (examples/lab/b.conf, namespace ikeB): both listings agree on the
# IKE SA and child SA (SPIs, traffic selectors), and when strongSwan deletes the
# IKE SA (INFORMATIONAL with DELETE) iked drops it too. No ESP traffic is sent:
# iked has no ESP data path yet.
. "$(dirname "$0")/lib.sh"

scenario_begin "03 psk, rpk, rpk-keyid: strongSwan initiator a -> iked responder"
lab_up
iked_start B "$NS_B" "$EXAMPLES/b.conf" || abort "iked B (examples/lab/b.conf) did not start"
swan_start a

for conn in psk rpk rpk-keyid; do
    swan_up_down a "$conn" iked_sas B
done
scenario_end
