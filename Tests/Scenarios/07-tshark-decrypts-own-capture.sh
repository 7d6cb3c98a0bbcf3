#!/bin/bash
# 07 - tshark (Wireshark 4.0) decrypts iked's traffic with the tables of iked --keylog.
#
#   1. Stored vector Tests/Vectors/iked-strongswan-cbc.pcap (IKE aes256-sha256-x25519,
#      ESP aes256-sha256) with a Wireshark configuration folder holding
#      iked-strongswan-cbc.keys as ikev2_decryption_table and .esp_sa as esp_sa: both
#      IKE_AUTH messages decrypt, tshark prints [correct] for their integrity
#      checksums, the request's decrypted payloads include IDi and AUTH, the ESP
#      packet decrypts with a [correct] ICV, and tshark's view agrees with
#      iked-strongswan-cbc.expected.jsonl (Tests/Vectors/tshark-compare.py).
#      Control: with one octet of SK_ai changed tshark says [incorrect.
#   2. Live: iked A (a copy of examples/lab/a.conf with only the CBC suites) runs
#      with --keylog DIR/ikev2_decryption_table, initiates psk to strongSwan b while
#      tcpdump records, b pings through the child SA, ikectl terminate; tshark
#      with WIRESHARK_CONFIG_DIR=DIR decrypts that capture the same way, and
#      ikectl decode --keys agrees with it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../Vectors/capture-lib.sh"

VECTOR=$VECTORS_DIR/iked-strongswan-cbc

scenario_begin "07 tshark decrypts iked's own capture (--keylog tables, [correct] checksums)"
capture_trap
command -v tshark >/dev/null || abort "tshark is missing (scripts/install-deps.sh --lab)"
note "$(tshark --version 2>/dev/null | head -n 1)"

# frame_verdicts TSHARK-V-OUTPUT: one word per IKE_AUTH frame, N:request or
# N:response, then /decrypted or /encrypted, then /correct or /unverified.
frame_verdicts() {
    awk '/^Frame [0-9]+:/ { f = $2 + 0 }
        /Exchange type: IKE_AUTH \(35\)/ { auth[f] = 1 }
        /^    Flags: 0x.*Request\)/ { req[f] = 1 }
        /^ +Decrypted Data/ { dec[f] = 1 }
        /Integrity Checksum Data:.*\[correct\]/ { ok[f] = 1 }
        END {
            for (f in auth)
                printf "%d:%s/%s/%s\n", f, req[f] ? "request" : "response",
                    dec[f] ? "decrypted" : "encrypted", ok[f] ? "correct" : "unverified"
        }' <<<"$1" | sort -n | paste -sd' '
}

# frame_text TSHARK-V-OUTPUT N: the lines of frame N.
frame_text() {
    awk -v n="$2" '/^Frame [0-9]+:/ { f = $2 + 0 } f == n' <<<"$1"
}

# check_tshark LABEL TSHARK-V-OUTPUT: the checks of both parts.
check_tshark() {
    local label=$1 text=$2 verdicts request
    verdicts=$(frame_verdicts "$text")
    check_eq "$label: IKE_AUTH frames" "request response" \
        "$(grep -oE 'request|response' <<<"$verdicts" | paste -sd' ')"
    check_eq "$label: IKE_AUTH frames decrypted, integrity checksum [correct]" \
        "$(sed -E 's#/[a-z]+/[a-z]+#/decrypted/correct#g' <<<"$verdicts")" "$verdicts"
    check_not_contains "$label: no [incorrect] checksum" "$text" "[incorrect"
    request=$(frame_text "$text" "$(grep -oE '[0-9]+:request' <<<"$verdicts" | head -n 1 | cut -d: -f1)")
    check_contains "$label: decrypted IKE_AUTH request has IDi" "$request" \
        "Payload: Identification - Initiator (35)"
    check_contains "$label: decrypted IKE_AUTH request has AUTH" "$request" \
        "Payload: Authentication (39)"
    check "$label: ESP packet decrypted with [correct] ICV" \
        grep -qE 'ESP ICV: .*\[correct\]' <<<"$text"
    check_contains "$label: ESP payload is b's ping" "$text" \
        "Internet Protocol Version 4, Src: 10.99.2.1, Dst: 10.99.1.1"
}

step "1. stored vector $(basename "$VECTOR").pcap"
[ -s "$VECTOR.pcap" ] && [ -s "$VECTOR.keys" ] && [ -s "$VECTOR.esp_sa" ] \
    || abort "vector files missing: $VECTOR.{pcap,keys,esp_sa}"
tshark_profile "$WORK/profile" "$VECTOR.keys" "$VECTOR.esp_sa"
text=$(tshark_decrypt "$WORK/profile" "$VECTOR.pcap") || abort "tshark failed: $(cat "$WORK/profile/tshark.err")"
check_tshark "vector" "$text"
python3 "$TSHARK_COMPARE" extract <<<"$text" >"$WORK/vector.tshark.txt"
problems "vector: tshark agrees with iked-strongswan-cbc.expected.jsonl" \
    python3 "$TSHARK_COMPARE" compare "$VECTOR.expected.jsonl" "$WORK/vector.tshark.txt" \
    --icv-correct --esp

# control: the checks above notice a wrong integrity key
mkdir -p "$WORK/wrong"
awk -F, -v OFS=, '{ $6 = ($6 ~ /^0/ ? "1" : "0") substr($6, 2); print }' "$VECTOR.keys" \
    >"$WORK/wrong/ikev2_decryption_table"
text=$(tshark_decrypt "$WORK/wrong" "$VECTOR.pcap")
check_contains "control: with SK_ai changed tshark says [incorrect" "$text" "[incorrect"
check_contains "control: ... and the verdict check above notices" "$(frame_verdicts "$text")" \
    "/unverified"

step "2. live: iked --keylog, fresh capture"
lab_up
swan_start b
cbc_config "$WORK/a-cbc.conf"
live=$WORK/live-profile
mkdir -p "$live"
iked_start A "$NS_A" "$WORK/a-cbc.conf" --keylog "$live/ikev2_decryption_table" \
    || abort "iked A (a.conf with $CBC_IKE) did not start"
capture_start "$WORK/live.pcap"
if iked_up A psk swan_sas b; then
    sas=$(iked_sas A)
    esp_ping
    iked_down A psk swan_sas b
else
    sas=""
fi
capture_stop
read -r _ _ _ spi_i spi_r <<<"$(sa_ike "$sas" psk)"
check_eq "keylog row is the IKE SA's (SPIs)" "${spi_i:-?},${spi_r:-?}" \
    "$(cut -d, -f1,2 "$live/ikev2_decryption_table")"
check_eq "keylog row names the CBC suite" '"AES-CBC-256 [RFC3602]","HMAC_SHA2_256_128 [RFC4868]"' \
    "$(cut -d, -f5,8 "$live/ikev2_decryption_table")"
check "esp_sa beside the keylog has both directions" test "$(grep -c . "$live/esp_sa")" -eq 2
text=$(tshark_decrypt "$live" "$WORK/live.pcap") || abort "tshark failed: $(cat "$live/tshark.err")"
check_tshark "live" "$text"
python3 "$TSHARK_COMPARE" extract <<<"$text" >"$WORK/live.tshark.txt"
"$IKECTL" decode --keys "$live/ikev2_decryption_table" --json "$WORK/live.pcap" \
    >"$WORK/live.jsonl" 2>"$WORK/live.decode.err"
problems "live: ikectl decode --keys agrees with tshark" \
    python3 "$TSHARK_COMPARE" compare "$WORK/live.jsonl" "$WORK/live.tshark.txt" --icv-correct --esp
scenario_end
