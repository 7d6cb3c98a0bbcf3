#!/bin/bash
# make-captures.sh - regenerate the project's own capture vectors in Tests/Vectors.
#
# Run by hand, as root, in the interop lab (not in CI):
#     swift build -c release && sudo Tests/Vectors/make-captures.sh
#
# For each vector, tcpdump on vethB (namespace ikeB) records UDP 500/4500 while
# iked, started with --keylog, runs one exchange and terminates it:
#   iked-strongswan-psk  iked (examples/lab/a.conf) initiates psk to strongSwan b
#                        (AES-GCM-16), then one ping from b through the child SA
#   iked-strongswan-cbc  the same with IKE aes256-sha256-x25519 and ESP aes256-sha256,
#                        so tshark verifies the integrity checksums ([correct])
#   iked-iked-btns       iked to iked, BTNS raw keys (fresh "ikectl genkey" keys)
# and writes NAME.pcap, NAME.keys (the ikev2_decryption_table rows of --keylog),
# NAME.esp_sa (its esp_sa rows), NAME.expected.jsonl ("ikectl decode --keys
# NAME.keys --json NAME.pcap") and NAME.tshark.txt (the lines of tshark's own
# decryption that tshark-compare.py reads). Nothing is written unless every check
# passes: our decode is sane (tshark-compare.py sanity) and agrees with tshark's
# (tshark-compare.py compare). PROVENANCE.txt records the commit and tool versions.
. "$(dirname "$0")/../Scenarios/lib.sh"
. "$(dirname "$0")/capture-lib.sh"

scenario_begin "make-captures: the project's own vectors into $VECTORS_DIR"
capture_trap
command -v tshark >/dev/null || abort "tshark is missing (scripts/install-deps.sh --lab)"
STAGE=$WORK/out  # not OUT: lib.sh uses that for ikectl output
mkdir -p "$STAGE"
lab_up

# finish NAME KEYDIR [--icv-correct]: copy the capture and key tables of one vector
# into $STAGE, decode it, check the decode and compare it with tshark's.
finish() {
    local name=$1 keys=$2 verdict=${3:-} rows
    step "$name: files, decode, tshark"
    cp "$WORK/$name.pcap" "$STAGE/$name.pcap"
    rows=$(grep -c . "$keys/ikev2_decryption_table")
    check_eq "$name: --keylog wrote one IKE SA row" 1 "$rows"
    cp "$keys/ikev2_decryption_table" "$STAGE/$name.keys"
    [ -s "$keys/esp_sa" ] && cp "$keys/esp_sa" "$STAGE/$name.esp_sa"
    (cd "$STAGE" && "$IKECTL" decode --keys "$name.keys" --json "$name.pcap") \
        >"$STAGE/$name.expected.jsonl" || fail "$name: ikectl decode exits 0"
    problems "$name: our decode is sane (every SK decrypted, ICV ok, payload chains)" \
        python3 "$TSHARK_COMPARE" sanity "$STAGE/$name.expected.jsonl"
    tshark_profile "$WORK/tshark-$name" "$STAGE/$name.keys" "$STAGE/$name.esp_sa"
    tshark_decrypt "$WORK/tshark-$name" "$STAGE/$name.pcap" \
        | python3 "$TSHARK_COMPARE" extract >"$STAGE/$name.tshark.txt"
    local esp=""
    [ -s "$STAGE/$name.esp_sa" ] && grep -q 'ESP SPI' "$STAGE/$name.tshark.txt" && esp=--esp
    # shellcheck disable=SC2086 # $verdict and $esp are options or nothing
    problems "$name: tshark's decryption agrees with our decode${verdict:+ $verdict}${esp:+ $esp}" \
        python3 "$TSHARK_COMPARE" compare "$STAGE/$name.expected.jsonl" "$STAGE/$name.tshark.txt" \
        $verdict $esp
}

# iked_to_strongswan NAME CONFIG: iked A (ikeA) with --keylog initiates psk to
# strongSwan b while tcpdump records; one ping from b through the child SA.
iked_to_strongswan() {
    local name=$1 conf=$2 keys=$WORK/keys-$1
    step "$name"
    mkdir -p "$keys"
    iked_start A "$NS_A" "$conf" --keylog "$keys/ikev2_decryption_table" \
        || abort "iked A did not start"
    capture_start "$WORK/$name.pcap"
    iked_up A psk swan_sas b || abort "$name: psk did not come up"
    esp_ping
    iked_down A psk swan_sas b
    capture_stop
    iked_stop A
    finish "$name" "$keys" "${3:-}"
}

swan_start b
copy_example a.conf "$WORK/a.conf.in"
write_config "$WORK/a.conf" <"$WORK/a.conf.in" >/dev/null
iked_to_strongswan iked-strongswan-psk "$WORK/a.conf" --icv-correct
cbc_config "$WORK/a-cbc.conf"
iked_to_strongswan iked-strongswan-cbc "$WORK/a-cbc.conf" --icv-correct
"$SWAN/stop-charon.sh" "$WORK/swan-b" >/dev/null

step "iked-iked-btns"
name=iked-iked-btns
mkdir -p "$WORK/keys-I" "$WORK/keys-R"
new_key "$WORK/keys-I/roamer.key"
new_key "$WORK/keys-R/gw.key"
write_config "$WORK/responder.conf" <<EOF >/dev/null
listen 10.99.0.2
connection btns {
    local-address 10.99.0.2
    local-id fqdn:gw.lab.test
    local-auth pubkey
    local-key $WORK/keys-R/gw.key
    send-cert yes
    remote-id %any
    remote-auth btns
    local-ts 10.99.2.1/32
    remote-ts 10.99.0.0/16
}
EOF
write_config "$WORK/initiator.conf" <<EOF >/dev/null
listen 10.99.0.1
connection btns {
    local-address 10.99.0.1
    remote-address 10.99.0.2
    local-id fqdn:roamer.lab.test
    local-auth pubkey
    local-key $WORK/keys-I/roamer.key
    send-cert yes
    remote-auth btns
    local-ts 10.99.1.1/32
    remote-ts 10.99.2.1/32
}
EOF
iked_start R "$NS_B" "$WORK/responder.conf" --keylog "$WORK/keys-R/ikev2_decryption_table" \
    || abort "responder iked R did not start"
iked_start I "$NS_A" "$WORK/initiator.conf" --keylog "$WORK/keys-I/ikev2_decryption_table" \
    || abort "initiator iked I did not start"
capture_start "$WORK/$name.pcap"
iked_up I btns iked_sas R || abort "$name: btns did not come up"
iked_down I btns iked_sas R
capture_stop
check "$name: both ikeds logged the same IKE SA row" \
    cmp -s "$WORK/keys-I/ikev2_decryption_table" "$WORK/keys-R/ikev2_decryption_table"
check "$name: both ikeds logged the same esp_sa rows" \
    diff <(sort "$WORK/keys-I/esp_sa") <(sort "$WORK/keys-R/esp_sa")
finish "$name" "$WORK/keys-I" --icv-correct

step "provenance"
{
    echo "made by Tests/Vectors/make-captures.sh on $(date -u +%Y-%m-%d)"
    echo "iked commit: $(git -C "$REPO" rev-parse HEAD)$(git -C "$REPO" diff --quiet HEAD -- Sources Package.swift || echo ' (with uncommitted changes in Sources)')"
    echo "binaries: ${IKED#"$REPO"/}, ${IKECTL#"$REPO"/}"
    echo "strongSwan: $(dpkg-query -W -f '${Version}' charon-systemd 2>/dev/null || echo unknown)"
    echo "tcpdump: $(tcpdump --version 2>&1 | head -n 1)"
    echo "tshark: $(tshark --version 2>/dev/null | head -n 1)"
} >"$STAGE/PROVENANCE.txt"
sed 's/^/    /' "$STAGE/PROVENANCE.txt"

if [ "$FAILED" -eq 0 ]; then
    rm -f "$VECTORS_DIR"/*.pcap "$VECTORS_DIR"/*.keys "$VECTORS_DIR"/*.esp_sa \
        "$VECTORS_DIR"/*.expected.jsonl "$VECTORS_DIR"/*.tshark.txt
    install -m 644 "$STAGE"/* "$VECTORS_DIR/"
    note "written to $VECTORS_DIR:"
    (cd "$VECTORS_DIR" && ls -l -- *.pcap *.keys *.esp_sa *.jsonl *.tshark.txt PROVENANCE.txt) \
        | sed 's/^/        /'
else
    note "checks failed: nothing written to $VECTORS_DIR"
fi
scenario_end
