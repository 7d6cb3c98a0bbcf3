#!/bin/bash
# demo.sh - the main job: two iked processes on 127.0.0.1 negotiate an IKE SA and a
# child SA over real UDP. The initiator is a BTNS peer with a freshly generated
# Ed25519 key; the responder accepts it on leap of faith and pins it. Prints both
# sides' SAs and the new pin, then shows that a changed key is refused.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh
export PATH="/opt/swift/usr/bin:$PATH"
echo "== building (release)"
swift build -c release 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | tail -3
bin=$(swift build -c release --show-bin-path)

work=$(mktemp -d /tmp/latchkey-demo.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
cp examples/demo/*.conf "$work/"
"$bin/ikectl" genkey --out "$work/responder.key" 2>/dev/null
"$bin/ikectl" genkey --out "$work/initiator.key" 2>/dev/null

start() { # NAME: starts iked with NAME.conf, waits for its control socket
    "$bin/iked" --config "$work/$1.conf" --socket "$work/$1.sock" \
        --pin-store "$work/$1-pins.sqlite" >"$work/$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do [ -S "$work/$1.sock" ] && return 0; sleep 0.1; done
    echo "iked $1 did not start:"; cat "$work/$1.log"; exit 1
}
ctl() { local who=$1; shift; "$bin/ikectl" --socket "$work/$who.sock" "$@"; }

start responder
start initiator
echo "== initiator: ikectl initiate gw"
ctl initiator initiate gw --timeout 10
echo
echo "== initiator: ikectl list-sas"
ctl initiator list-sas
echo "== responder: ikectl list-sas"
ctl responder list-sas
echo "== responder: ikectl pins (the initiator's key, pinned on first use)"
ctl responder pins

echo
echo "== the same ID comes back with a new key: refused"
ctl initiator terminate gw >/dev/null
sleep 0.3
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true
"$bin/ikectl" genkey --out "$work/initiator.key.new" 2>/dev/null
mv "$work/initiator.key.new" "$work/initiator.key"
rm -f "$work/initiator.sock"
start initiator
if ctl initiator initiate gw --timeout 10; then
    echo "unexpected: the changed key was accepted"; exit 1
fi
grep -h "key change refused" "$work/responder.log" | tail -1
echo
echo "demo finished; logs and keys in $work"
