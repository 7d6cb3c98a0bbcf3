#!/bin/bash
# selftest-strongswan.sh - the harness and the lab without iked: strongSwan peer
# a initiates psk, rpk and rpk-keyid to strongSwan peer b, and the SA listings
# of both sides must agree as check_sas_agree expects of iked. When this fails,
# the lab or the harness is broken, not iked.
. "$(dirname "$0")/lib.sh"

scenario_begin "selftest: strongSwan a -> strongSwan b (lab and harness check)" --no-iked
lab_up
swan_start b
swan_start a
for conn in psk rpk rpk-keyid; do
    swan_up_down a "$conn" swan_sas b
done
scenario_end
