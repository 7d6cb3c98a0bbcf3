#!/bin/bash
# test.sh - every test: the Swift unit and in-process exchange tests, then the
# interop scenarios in the two-namespace lab (iked against strongSwan and itself).
#
# The lab part needs root and network namespaces. Without them it is skipped with a
# message, unless LATCHKEY_REQUIRE_LAB=1 (CI sets it), which makes a skip a failure.
set -eu
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

lab=""
[ "$(id -u)" -eq 0 ] && lab="--lab"
scripts/install-deps.sh $lab

echo "== unit tests (swift test)"
status=0
swift test 2>&1 | tee /tmp/latchkey-swift-test.log | grep -vE '^\[[0-9]+/[0-9]+\]|^Compiling|^Build ' \
    | grep -E '✘|error:|passed after|failed after|Test run|Executed' || true
if ! grep -qE 'Test run with [0-9]+ tests? .*passed' /tmp/latchkey-swift-test.log \
   || grep -qE '✘|error:' /tmp/latchkey-swift-test.log; then
    echo "swift test failed; full output in /tmp/latchkey-swift-test.log"
    status=1
fi

echo "== interop scenarios (Tests/Scenarios)"
# always rebuild, so the scenarios never run binaries older than the sources
swift build -c release 2>&1 | grep -E "error:|Build complete" || status=1
Tests/Scenarios/run-all.sh || status=1
exit $status
