#!/bin/bash
# 11 - OpenIKED 7.2 against iked with raw public keys: BTNS leap of faith and pin.
#
# OpenIKED runs in ikeB (10.99.0.2) with the PF_KEY emulation of the shared lab
# (lib-openiked.sh); iked in ikeA (10.99.0.1) has an ECDSA P-256 key from
# "ikectl genkey --type ecdsa-p256" and the ID fqdn:a.lab.test, which OpenIKED
# finds under /etc/iked/pubkeys/fqdn/a.lab.test. OpenIKED's IDs are
# b-ecdsa.lab.test (ECDSA P-256 key, sent in CERT encoding 201) and
# b-rsa.lab.test (RSA 2048, CERT encoding 11).
#   1. OpenIKED initiates to iked's "remote-auth btns, remote-id %any" entry,
#      once per key type: accepted on leap of faith, both sides agree on the
#      SAs, "ikectl pins" shows OpenIKED's ID with the fingerprint of its key
#      (SHA-256 of the SPKI computed with openssl, and what "ikectl pubkey"
#      prints); "ikectl terminate" deletes the SA on both sides.
#   2. OpenIKED restarted with a new key for the same ID, per key type: iked
#      refuses it (AUTHENTICATION_FAILED in iked's log with both fingerprints,
#      OpenIKED receives the notify), no IKE SA on iked, the pin is unchanged
#      and records the refused key.
#   3. iked initiates to OpenIKED as responder: with remote-auth btns to the
#      ECDSA OpenIKED (iked pins its key) and with remote-auth pubkey to the
#      RSA OpenIKED: "ikectl initiate" exits 0, the SAs agree, terminate.
# iked runs with the default "send-cert yes": OpenIKED 7.2 fails the
# authentication of a peer that sends a CERT payload of encoding 15 ("ca_getcert:
# unsupported cert type 15"), so iked must notice from OpenIKED's CERTREQ (encoding
# 201 only) that it does not take raw keys under 15, and send none.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-openiked.sh"

scenario_begin "11 OpenIKED: BTNS leap of faith with ECDSA/RSA raw keys, key change refused, iked initiating"
oi_begin
lab_up

step "keys and configurations"
keys=$WORK/keys
mkdir -p "$keys"
err=$("$IKECTL" genkey --type ecdsa-p256 --out "$keys/a.key" 2>&1 >/dev/null) \
    || abort "ikectl genkey --type ecdsa-p256: $err"
err=$("$IKECTL" pubkey --in "$keys/a.key" --out "$keys/a.pub" 2>&1 >/dev/null) \
    || abort "ikectl pubkey --in $keys/a.key: $err"
check_eq "iked's key is ECDSA P-256" "prime256v1" \
    "$(openssl pkey -pubin -in "$keys/a.pub" -noout -text 2>/dev/null | sed -n 's/^ASN1 OID: //p')"
cp "$OI_SHARED/b/b-ecdsa.key" "$keys/b-ecdsa-1.key"
cp "$OI_SHARED/b/b-rsa.key" "$keys/b-rsa-1.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$keys/b-ecdsa-2.key" 2>/dev/null \
    || abort "openssl cannot make an ECDSA P-256 key"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/b-rsa-2.key" 2>/dev/null \
    || abort "openssl cannot make an RSA key"

# FP[NAME]: fingerprint of keys/NAME.key computed with openssl (SHA-256 of the
# DER SubjectPublicKeyInfo, first 8 octets); "ikectl pubkey" must print the same.
declare -A FP=()
for k in b-ecdsa-1 b-ecdsa-2 b-rsa-1 b-rsa-2; do
    openssl pkey -in "$keys/$k.key" -pubout -out "$keys/$k.pub" 2>/dev/null \
        || abort "openssl pkey -pubout $k"
    FP[$k]=$(key_fingerprint "$keys/$k.pub")
    err=$("$IKECTL" pubkey --in "$keys/$k.key" --out /dev/null 2>&1)
    check_eq "ikectl pubkey --in $k.key prints the openssl fingerprint" \
        "${FP[$k]}" "$(sed -n 's/^fingerprint[: ]*//p' <<<"$err" | head -n 1)"
done
[ "${FP[b-ecdsa-1]}" != "${FP[b-ecdsa-2]}" ] && [ "${FP[b-rsa-1]}" != "${FP[b-rsa-2]}" ] \
    || abort "the new OpenIKED keys differ from the old ones"

write_config "$WORK/iked-responder.conf" <<EOF
# iked as responder: everyone with a raw key, on leap of faith
listen 10.99.0.1

connection btns {
    local-address 10.99.0.1
    local-id fqdn:a.lab.test
    local-auth pubkey
    local-key $keys/a.key
    send-cert yes
    remote-id %any
    remote-auth btns
    ike-proposals aes128gcm16-prfsha256-x25519
    esp-proposals aes256-sha384
    local-ts 10.99.1.1/32
    remote-ts 10.99.2.0/24
}
EOF

write_config "$WORK/iked-initiator.conf" <<EOF
# iked as initiator: OpenIKED's ECDSA key on leap of faith, its RSA key configured
listen 10.99.0.1

connection to-ecdsa {
    local-address 10.99.0.1
    remote-address 10.99.0.2
    local-id fqdn:a.lab.test
    local-auth pubkey
    local-key $keys/a.key
    send-cert yes
    remote-id fqdn:b-ecdsa.lab.test
    remote-auth btns
    ike-proposals aes128gcm16-prfsha256-x25519
    esp-proposals aes256-sha384
    local-ts 10.99.1.1/32
    remote-ts 10.99.2.1/32
}

connection to-rsa {
    local-address 10.99.0.1
    remote-address 10.99.0.2
    local-id fqdn:a.lab.test
    local-auth pubkey
    local-key $keys/a.key
    send-cert yes
    remote-id fqdn:b-rsa.lab.test
    remote-auth pubkey
    remote-key $keys/b-rsa-1.pub
    ike-proposals aes128gcm16-prfsha256-x25519
    esp-proposals aes256-sha384
    local-ts 10.99.1.1/32
    remote-ts 10.99.2.1/32
}
EOF

# oi_conf FILE POLICY active|passive ID: an OpenIKED configuration in the style
# of the shared b/rpk*.conf
oi_conf() {
    cat >"$1" <<EOF
ikev2 "$2" $3 esp \\
	from 10.99.2.1/32 to 10.99.1.1/32 \\
	local 10.99.0.2 peer 10.99.0.1 \\
	ikesa enc aes-128-gcm prf hmac-sha2-256 group curve25519 \\
	childsa enc aes-256 auth hmac-sha2-384 \\
	srcid "$4" dstid "a.lab.test"
EOF
}
for t in ecdsa rsa; do
    oi_conf "$WORK/oi-initiator-$t.conf" "btns-$t" active "b-$t.lab.test"
    oi_conf "$WORK/oi-responder-$t.conf" "resp-$t" passive "b-$t.lab.test"
done

# iked_sa_json NAME REMOTE-ID: "STATE AUTH-METHOD FINGERPRINT SPI_I" of the
# first IKE SA of iked NAME with that remote ID (nothing if none).
iked_sa_json() {
    ikectl_on "$1" list-sas --json | python3 -c '
import json, sys
doc = json.load(sys.stdin)
sas = doc if isinstance(doc, list) else doc.get("sas") or []
for sa in sas:
    if sa.get("remoteID") == sys.argv[1]:
        print(sa.get("state"), (sa.get("authMethod") or "-").replace(" ", "_"),
              sa.get("peerKeyFingerprint") or "-", sa.get("spiI"))
        break' "$2"
}

# established NAME REMOTE-ID: iked NAME lists an ESTABLISHED IKE SA with REMOTE-ID.
established() {
    [ "$(iked_sa_json "$1" "$2" | cut -d' ' -f1)" = ESTABLISHED ]
}

# pin_of NAME ID: "FINGERPRINT [REFUSED]" of ID in iked NAME's pins.
pin_of() {
    iked_pins "$1" | awk -v id="$2" '$1 == "pin" && $2 == id { $1 = $2 = ""; sub(/^ +/, ""); print; exit }'
}

# delete_seen: OpenIKED processed a DELETE of its IKE SA since its last start.
delete_seen() {
    oi_log_has 'ikev2_ikesa_recv_delete|sa_state: [A-Z_]+ -> CLOSED|ikev2_pld_delete: proto IKE'
}

# terminate_both IKED CONN: ikectl terminate, then neither side lists the SA.
terminate_both() {
    OUT=$(ikectl_on "$1" terminate "$2" 2>&1)
    check_eq "ikectl terminate $2 exit status ($OUT)" 0 "$?"
    check_gone iked_sas "$1" "$2"
    if wait_until 5 delete_seen; then
        pass "OpenIKED processed iked's DELETE"
    else
        fail "OpenIKED's log shows no DELETE within 5 s"
    fi
    if wait_until 5 eval '[ -z "$(oi_sas x | grep "^ike ")" ]'; then
        pass "OpenIKED (ikectl show sa) no longer lists the IKE SA"
    else
        fail "OpenIKED still lists an IKE SA:"
        oi_show_sa | sed 's/^/        | /'
    fi
}

t0=$(date +%s)
iked_start A "$NS_A" "$WORK/iked-responder.conf" || abort "iked A (responder) did not start"

step "1. OpenIKED initiates to iked's BTNS entry (first contact)"
for t in ecdsa rsa; do
    id=fqdn:b-$t.lab.test
    fp=${FP[b-$t-1]}
    note "OpenIKED with $t key 1 ($fp) as $id"
    mark=$(wc -l <"$(iked_log A)")
    oi_start "$WORK/oi-initiator-$t.conf" "$keys/b-$t-1.key" a.lab.test "$keys/a.pub" \
        || { fail "OpenIKED ($t, initiator) starts"; continue; }
    if ! wait_until 15 established A "$id"; then
        fail "iked A lists an ESTABLISHED IKE SA with $id within 15 s"
        show_lines "iked A" "$(iked_sas A)"
        oi_stop
        continue
    fi
    pass "iked A accepted $id ($t) and lists the IKE SA ESTABLISHED"
    read -r _ auth safp _ <<<"$(iked_sa_json A "$id")"
    check_eq "iked A: authentication of $id" "btns_(new_pin)" "$auth"
    check_eq "iked A: fingerprint of the key $id presented" "$fp" "$safp"
    case $t in ecdsa) enc=201 ;; rsa) enc=11 ;; esac
    if oi_log_has "ikev2_pld_cert: type $( [ $t = ecdsa ] && echo ECDSA || echo RSA_KEY)"; then
        pass "OpenIKED sent its $t key in a CERT payload (encoding $enc)"
    else
        fail "OpenIKED's log shows its CERT payload of encoding $enc"
    fi
    if oi_wait_log 5 "sa_state: VALID -> ESTABLISHED .*policy 'btns-$t'"; then
        pass "OpenIKED's log: IKE SA of policy 'btns-$t' ESTABLISHED"
    else
        fail "OpenIKED's log shows the IKE SA of 'btns-$t' ESTABLISHED within 5 s"
    fi
    sas_agree iked_sas A btns oi_sas btns
    check_eq "iked A (ikectl pins): pin of $id" "$fp" "$(pin_of A "$id")"
    terminate_both A btns
    oi_stop
done

step "2. OpenIKED with a new key for the same ID: refused"
for t in ecdsa rsa; do
    id=fqdn:b-$t.lab.test
    fp1=${FP[b-$t-1]}
    fp2=${FP[b-$t-2]}
    note "OpenIKED with $t key 2 ($fp2) as $id, pinned to $fp1"
    mark=$(wc -l <"$(iked_log A)")
    oi_start "$WORK/oi-initiator-$t.conf" "$keys/b-$t-2.key" a.lab.test "$keys/a.pub" \
        || { fail "OpenIKED ($t key 2, initiator) starts"; continue; }
    if wait_until 15 eval 'tail -n +$((mark + 1)) "$(iked_log A)" | grep -F -- "$fp2" >/dev/null'; then
        pass "iked A logged the refusal within 15 s"
    else
        fail "iked A's log names key 2 ($fp2) within 15 s"
    fi
    newlog=$(tail -n +$((mark + 1)) "$(iked_log A)")
    line=$(grep -F -- "$fp2" <<<"$newlog" | grep -F -- "$fp1" | head -n 1)
    check_contains "iked A's log: a line names the pinned ($fp1) and the presented ($fp2) fingerprint" \
        "$line" "$fp2"
    check_contains "iked A's log names the AUTHENTICATION_FAILED it sends" "$line" \
        AUTHENTICATION_FAILED
    if oi_wait_log 5 "ikev2_init_recv: AUTHENTICATION_FAILED"; then
        pass "OpenIKED received AUTHENTICATION_FAILED in iked's IKE_AUTH response"
    else
        fail "OpenIKED's log shows AUTHENTICATION_FAILED received within 5 s"
    fi
    check "OpenIKED's log shows no IKE SA ESTABLISHED" eval '! oi_log_has "-> ESTABLISHED"'
    check "iked A lists no IKE SA with $id" eval '[ -z "$(iked_sa_json A "$id")" ]'
    check_gone iked_sas A btns
    check_eq "iked A (ikectl pins): pin of $id unchanged, key 2 recorded as refused" \
        "$fp1 $fp2" "$(pin_of A "$id")"
    oi_stop
done
t1=$(date +%s)

step "3. iked initiates to OpenIKED (responder)"
iked_stop A
iked_start I "$NS_A" "$WORK/iked-initiator.conf" || abort "iked I (initiator) did not start"
for t in ecdsa rsa; do
    conn=to-$t
    id=fqdn:b-$t.lab.test
    oi_start "$WORK/oi-responder-$t.conf" "$keys/b-$t-1.key" a.lab.test "$keys/a.pub" \
        || { fail "OpenIKED ($t, responder) starts"; continue; }
    if iked_up I "$conn" oi_sas "$conn"; then
        read -r _ auth safp _ <<<"$(iked_sa_json I "$id")"
        if [ "$t" = ecdsa ]; then
            check_eq "iked I: authentication of $id" "btns_(new_pin)" "$auth"
            check_eq "iked I (ikectl pins): pin of $id" "${FP[b-$t-1]}" "$(pin_of I "$id")"
        else
            check_eq "iked I: authentication of $id ($auth)" "pubkey" "${auth%%_*}"
            check_eq "iked I (ikectl pins): no pin for $id (remote-auth pubkey)" "" "$(pin_of I "$id")"
        fi
        check_eq "iked I: fingerprint of the key $id presented" "${FP[b-$t-1]}" "$safp"
        if oi_wait_log 5 "sa_state: VALID -> ESTABLISHED .*policy 'resp-$t'"; then
            pass "OpenIKED's log: IKE SA of policy 'resp-$t' ESTABLISHED"
        else
            fail "OpenIKED's log shows the IKE SA of 'resp-$t' ESTABLISHED within 5 s"
        fi
        terminate_both I "$conn"
    fi
    oi_stop
done
note "timings: 1+2 $((t1 - t0)) s, 3 $(($(date +%s) - t1)) s"
scenario_end
