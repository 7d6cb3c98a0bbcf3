#!/bin/bash
# bench.sh [COUNT] - handshake rate and memory per IKE SA of the engine (release build).
# Figures, not pass/fail: compare runs on the same machine.
set -eu
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product latchkey-bench 2>&1 | grep -E "error|Build complete" || true
exec taskset -c 0 "$(swift build -c release --show-bin-path)/latchkey-bench" "${1:-2000}"
