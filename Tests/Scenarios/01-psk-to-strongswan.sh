#!/bin/bash
# 01 - iked (lab peer a, examples/lab/a.conf, namespace ikeA) initiates the psk
# connection to strongSwan lab peer b as responder: IKE SA ESTABLISHED and child
# SA INSTALLED on the strongSwan side, IKE and child SPIs agree between the two
# listings, then ikectl terminate removes the SAs on both sides.
. "$(dirname "$0")/lib.sh"

scenario_begin "01 psk: iked initiator -> strongSwan responder b"
lab_up
swan_start b
iked_start A "$NS_A" "$EXAMPLES/a.conf" || abort "iked A (examples/lab/a.conf) did not start"

iked_up A psk swan_sas b && iked_down A psk swan_sas b
scenario_end
