#!/bin/bash
# run-all.sh - run every interop scenario (Tests/Scenarios/NN-*.sh) in order.
#
# Builds the release binaries first if they are missing, checks the lab with
# selftest-strongswan.sh (strongSwan against itself; not counted), then runs
# each scenario, continuing after failures, and ends with "N passed, M failed"
# (scenarios). Exit status 0 only if every scenario passed.
#
# Needs root and "ip netns". Without them it prints why and exits 0 (skipped),
# unless LATCHKEY_REQUIRE_LAB is set (and not 0): then every scenario counts
# as failed (CI sets it).
# LATCHKEY_SCENARIO_TIMEOUT (default 180) bounds each script in seconds, and
# LATCHKEY_SUITE_BUDGET (default 540) all of them together: a script that would
# start after the budget is spent counts as failed without running.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null) || repo=$(cd "$here/../.." && pwd)
limit=${LATCHKEY_SCENARIO_TIMEOUT:-180}
budget=${LATCHKEY_SUITE_BUDGET:-540}
scripts=("$here"/[0-9][0-9]-*.sh)

# not_run REASON: none of the scenarios could run; each counts as failed.
not_run() {
    echo "$1" >&2
    echo "0 passed, ${#scripts[@]} failed"
    exit 1
}

why=""
if [ "$(id -u)" -ne 0 ]; then
    why="not running as root"
elif ! command -v ip >/dev/null || ! ip netns list >/dev/null 2>&1; then
    why="'ip netns' is not available (iproute2 missing or no network namespace support)"
fi
if [ -n "$why" ]; then
    if [ -n "${LATCHKEY_REQUIRE_LAB:-}" ] && [ "$LATCHKEY_REQUIRE_LAB" != 0 ]; then
        not_run "interop scenarios cannot run: $why, and LATCHKEY_REQUIRE_LAB is set"
    fi
    echo "SKIPPED interop scenarios: $why (run as root: sudo $0;" \
        "set LATCHKEY_REQUIRE_LAB=1 to make this a failure)"
    exit 0
fi

# release binaries
if [ -z "${LATCHKEY_BIN:-}" ] && { [ ! -x "$repo/.build/release/iked" ] || [ ! -x "$repo/.build/release/ikectl" ]; }; then
    swift=$(command -v swift || true)
    for d in /opt/swift/usr/bin /opt/swift/bin; do
        [ -n "$swift" ] || { [ -x "$d/swift" ] && swift=$d/swift; }
    done
    [ -n "$swift" ] \
        || not_run "no iked/ikectl in $repo/.build/release and no Swift toolchain to build them"
    echo "building release binaries: swift build -c release"
    if ! (cd "$repo" && "$swift" build -c release); then
        not_run "swift build -c release failed"
    fi
fi

start=$(date +%s)
echo "##### lab self-test (strongSwan a -> strongSwan b, not counted)"
if timeout -k 10 "$limit" "$here/selftest-strongswan.sh"; then
    lab_ok=1
else
    lab_ok=0
    echo "WARNING: the lab self-test failed: strongSwan does not work against itself here," \
        "so failures below may not be iked's fault"
fi

passed=0
failed=0
results=()
for script in "${scripts[@]}"; do
    name=$(basename "$script" .sh)
    echo
    echo "##### $name"
    t0=$(date +%s)
    left=$((budget - (t0 - start)))
    if [ "$left" -le 0 ]; then
        failed=$((failed + 1))
        results+=("FAIL  $name (not run: the suite's $budget s are spent)")
        continue
    fi
    this_limit=$((left < limit ? left : limit))
    timeout -k 10 "$this_limit" "$script"
    rc=$?
    secs=$(($(date +%s) - t0))
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        results+=("PASS  $name (${secs} s)")
    else
        failed=$((failed + 1))
        case $rc in
            124 | 137) results+=("FAIL  $name (timed out after $this_limit s)") ;;
            *) results+=("FAIL  $name (exit $rc, ${secs} s)") ;;
        esac
    fi
done

echo
echo "##### summary ($(($(date +%s) - start)) s)"
[ "$lab_ok" -eq 1 ] || echo "lab self-test FAILED (see above)"
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
