# shellcheck shell=bash
# lib.sh - shared helpers of the interop scenarios; every NN-*.sh script sources it.
#
# A scenario runs as root against the network-namespace lab of the shared folder
# (../shared/interop next to the checkout): namespaces ikeA (10.99.0.1, inner
# 10.99.1.1) and ikeB (10.99.0.2, inner 10.99.2.1). Daemons (iked, strongSwan's
# charon) get their configuration, sockets, pin stores and logs in one temporary
# work directory. On exit, whatever happened, every daemon started here is
# stopped and the namespaces are removed; when a check failed, the daemons' logs
# are printed.
#
# Environment:
#   LATCHKEY_BIN         folder with iked and ikectl (default: .build/release)
#   LATCHKEY_SHARED      the shared folder (default: <checkout>/../shared)
#   LATCHKEY_STEP_TIMEOUT  seconds one ikectl/swanctl call may take (default 15)
#   LATCHKEY_LOG_LINES   lines of each log printed on failure (default 200)
#   LATCHKEY_KEEP=1      keep the work directory (its path is printed)

set -u
set -o pipefail

SCENARIO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(git -C "$SCENARIO_DIR" rev-parse --show-toplevel 2>/dev/null) \
    || REPO=$(cd "$SCENARIO_DIR/../.." && pwd)
SHARED=${LATCHKEY_SHARED:-$REPO/../shared}
LAB=$SHARED/interop
SWAN=$LAB/strongswan
EXAMPLES=$REPO/examples/lab
NS_A=ikeA
NS_B=ikeB
STEP_TIMEOUT=${LATCHKEY_STEP_TIMEOUT:-15}
# ikectl initiate reports its own timeout before STEP_TIMEOUT cuts it off
INITIATE_TIMEOUT=$((STEP_TIMEOUT > 5 ? STEP_TIMEOUT - 5 : STEP_TIMEOUT))
LOG_LINES=${LATCHKEY_LOG_LINES:-200}

PASSED=0
FAILED=0
SCENARIO=""
WORK=""
LAB_IS_UP=0
declare -A IKED_PID=() IKED_NS=()
SWAN_PEERS=()

# ---------------------------------------------------------------------------
# Reporting

note() { echo "    $*"; }
step() { echo "--- $*"; }

pass() {
    PASSED=$((PASSED + 1))
    echo "  ok   $*"
}

fail() {
    FAILED=$((FAILED + 1))
    echo "  FAIL $*"
}

# abort MESSAGE: a step the rest of the scenario depends on failed.
abort() {
    fail "$*"
    echo "  (scenario stopped here)"
    exit 1
}

# check DESCRIPTION COMMAND...: pass when COMMAND exits 0.
check() {
    local desc=$1
    shift
    if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then
        pass "$1: $3"
    else
        fail "$1: expected '$2', got '$3'"
    fi
}

# check_contains DESCRIPTION TEXT NEEDLE (fixed string, case-sensitive)
check_contains() {
    if grep -qF -- "$3" <<<"$2"; then
        pass "$1"
    else
        fail "$1: '$3' not found in:"
        sed 's/^/        | /' <<<"$2" | head -n 40
    fi
}

# check_not_contains DESCRIPTION TEXT NEEDLE
check_not_contains() {
    if grep -qF -- "$3" <<<"$2"; then
        fail "$1: '$3' unexpectedly found in:"
        sed 's/^/        | /' <<<"$2" | head -n 40
    else
        pass "$1"
    fi
}

# wait_until SECONDS COMMAND...: poll COMMAND every 0.2 s; status 0 once it succeeds.
wait_until() {
    local tries=$(($1 * 5))
    shift
    local i
    for ((i = 0; i < tries; i++)); do
        "$@" && return 0
        sleep 0.2
    done
    return 1
}

# ---------------------------------------------------------------------------
# Scenario life cycle

# scenario_begin TITLE [--no-iked]: check the prerequisites (root, ip netns,
# the lab, python3, and unless --no-iked the iked/ikectl binaries), create the
# work directory and install the cleanup trap.
scenario_begin() {
    SCENARIO=$1
    echo "=== $SCENARIO"
    if [ "$(id -u)" -ne 0 ]; then
        echo "needs root (network namespaces, UDP port 500): sudo $0" >&2
        exit 2
    fi
    if ! ip netns list >/dev/null 2>&1; then
        echo "'ip netns' is not available (install iproute2: scripts/install-deps.sh --lab)" >&2
        exit 2
    fi
    [ -x "$LAB/netns-lab.sh" ] \
        || { echo "no interop lab at $LAB (set LATCHKEY_SHARED)" >&2; exit 2; }
    command -v python3 >/dev/null || { echo "python3 is needed to parse SA listings" >&2; exit 2; }
    [ "${2:-}" = --no-iked ] || find_binaries
    # The lab has fixed namespace names: one scenario at a time on this machine.
    exec 9>"${TMPDIR:-/tmp}/latchkey-lab.lock"
    if ! flock -w 600 9; then
        echo "another scenario held the lab lock for 10 minutes; giving up" >&2
        exit 2
    fi
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-scenario.XXXXXX")
    chmod 755 "$WORK"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    START_TIME=$(date +%s)
}

# scenario_end: the result line; exit status 0 only if every check passed.
scenario_end() {
    local secs=$(($(date +%s) - START_TIME))
    if [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]; then
        echo "=== PASS $SCENARIO ($PASSED checks, ${secs} s)"
        exit 0
    fi
    echo "=== FAIL $SCENARIO ($FAILED of $((PASSED + FAILED)) checks failed, ${secs} s)"
    exit 1
}

find_binaries() {
    local bin=${LATCHKEY_BIN:-$REPO/.build/release}
    IKED=$bin/iked
    IKECTL=$bin/ikectl
    if [ ! -x "$IKED" ] || [ ! -x "$IKECTL" ]; then
        echo "no iked/ikectl in $bin: run 'swift build -c release' in $REPO" \
            "(run-all.sh does), or set LATCHKEY_BIN" >&2
        exit 2
    fi
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    # a reader that went away (| head) must not stop the clean-up half-way
    trap '' PIPE
    local name peer
    for name in "${!IKED_PID[@]}"; do
        iked_stop "$name" >/dev/null 2>&1
    done
    for peer in "${SWAN_PEERS[@]}"; do
        "$SWAN/stop-charon.sh" "$WORK/swan-$peer" >/dev/null 2>&1
    done
    [ "$LAB_IS_UP" -eq 1 ] && "$LAB/netns-lab.sh" down >/dev/null 2>&1
    if [ "$FAILED" -gt 0 ] || [ "$rc" -ne 0 ]; then
        dump_logs
    fi
    if [ "${LATCHKEY_KEEP:-0}" = 1 ]; then
        echo "work directory kept: $WORK"
    elif [ -n "$WORK" ]; then
        rm -rf "$WORK"
    fi
    exit "$rc"
}

# dump_logs: the tail of every log of this scenario (iked logs, charon.log).
dump_logs() {
    local f
    [ -n "$WORK" ] && [ -d "$WORK" ] || return 0
    for f in "$WORK"/iked-*/iked.log "$WORK"/swan-*/log/charon.log "$WORK"/swan-*.start.log; do
        [ -s "$f" ] || continue
        # start-charon.sh's output only matters when charon wrote no log
        case $f in *.start.log) [ -s "${f%.start.log}/log/charon.log" ] && continue ;; esac
        echo "----- ${f#"$WORK"/} (last $LOG_LINES lines)"
        tail -n "$LOG_LINES" "$f"
    done
    echo "----- end of logs"
}

# ---------------------------------------------------------------------------
# The lab

lab_up() {
    "$LAB/netns-lab.sh" up || abort "netns-lab.sh up failed"
    LAB_IS_UP=1
}

ns_of_peer() {
    case $1 in
        a) echo "$NS_A" ;;
        b) echo "$NS_B" ;;
        *) echo "unknown lab peer '$1'" >&2; return 1 ;;
    esac
}

# ---------------------------------------------------------------------------
# strongSwan peers (charon), in $WORK/swan-a and $WORK/swan-b

# swan_start a|b: start lab peer a (in ikeA) or b (in ikeB) and load its connections.
swan_start() {
    local peer=$1 ns
    ns=$(ns_of_peer "$peer") || abort "swan_start: bad peer"
    SWAN_PEERS+=("$peer")
    if ! timeout -k 2 20 "$SWAN/start-charon.sh" "$peer" "$ns" "$WORK/swan-$peer" \
        >"$WORK/swan-$peer.start.log" 2>&1; then
        sed 's/^/        | /' "$WORK/swan-$peer.start.log"
        abort "strongSwan peer $peer did not start"
    fi
    note "strongSwan peer $peer running in $ns ($WORK/swan-$peer)"
}

# swan a|b SWANCTL-ARGS...: swanctl against that charon, bounded in time.
swan() {
    local peer=$1
    shift
    timeout -k 2 "$STEP_TIMEOUT" "$SWAN/swanctl.sh" "$WORK/swan-$peer" "$@"
    local rc=$?
    [ "$rc" -eq 124 ] && echo "(harness: swanctl $* got no answer within $STEP_TIMEOUT s and was killed)" >&2
    return "$rc"
}

# swan_sas a|b: that charon's SAs as sasummary.py lines.
swan_sas() {
    swan "$1" --list-sas | python3 "$SCENARIO_DIR/sasummary.py" swanctl
}

# swan_remote_id a|b CONNECTION: the remote identity strongSwan shows for the
# first IKE SA of CONNECTION ("a.lab.test", or "3f:67:..." for a key ID).
swan_remote_id() {
    swan "$1" --list-sas | awk -v c="$2:" '
        $1 == c && / IKEv2, / { inside = 1; next }
        inside && $1 == "remote" { split($0, q, "\047"); print q[2]; exit }'
}

# ---------------------------------------------------------------------------
# iked instances, each in $WORK/iked-NAME: iked.sock, pins.sqlite, iked.log

# alive PID: the process exists and is not a zombie.
alive() {
    [ -r "/proc/$1/stat" ] || return 1
    local state
    state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

iked_dir() { echo "$WORK/iked-$1"; }
iked_log() { echo "$WORK/iked-$1/iked.log"; }

# iked_start NAME NETNS CONFIG [IKED-ARGS...]: run iked in NETNS with CONFIG and
# this instance's socket, pin store and log (appended to, so restarts keep
# history); waits up to 10 s until the control socket answers. Status 1 (with
# the reason printed) when it does not come up.
iked_start() {
    local name=$1 ns=$2 conf=$3
    shift 3
    local dir
    dir=$(iked_dir "$name")
    mkdir -p "$dir"
    echo "=== $(date +%T) harness: iked --config $conf${*:+ $*} (namespace $ns)" >>"$dir/iked.log"
    ip netns exec "$ns" "$IKED" --config "$conf" --socket "$dir/iked.sock" \
        --pin-store "$dir/pins.sqlite" --log-level debug "$@" \
        >>"$dir/iked.log" 2>&1 </dev/null &
    IKED_PID[$name]=$!
    IKED_NS[$name]=$ns
    local i pid=$!
    for ((i = 0; i < 50; i++)); do
        if ! alive "$pid"; then
            wait "$pid" 2>/dev/null
            note "iked $name exited during start-up (status $?); last log lines:"
            tail -n 15 "$dir/iked.log" | sed 's/^/        | /'
            unset "IKED_PID[$name]"
            return 1
        fi
        if [ -S "$dir/iked.sock" ] \
            && timeout -k 1 2 "$IKECTL" --socket "$dir/iked.sock" list-sas >/dev/null 2>&1; then
            note "iked $name running in $ns, PID $pid ($dir)"
            return 0
        fi
        sleep 0.2
    done
    note "iked $name: control socket $dir/iked.sock does not answer after 10 s"
    return 1
}

# iked_stop NAME: SIGTERM, then SIGKILL after 5 s.
iked_stop() {
    local name=$1 pid=${IKED_PID[$1]:-}
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    wait_until 5 eval "! alive $pid" || kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    unset "IKED_PID[$name]"
    echo "=== $(date +%T) harness: iked stopped" >>"$(iked_log "$name")"
}

# iked_kill9 NAME: crash it (SIGKILL, no chance to clean up).
iked_kill9() {
    local name=$1 pid=${IKED_PID[$1]:-}
    [ -n "$pid" ] || return 0
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    unset "IKED_PID[$name]"
    echo "=== $(date +%T) harness: iked killed with SIGKILL" >>"$(iked_log "$name")"
}

# ikectl_on NAME IKECTL-ARGS...: ikectl against that iked, inside its namespace.
ikectl_on() {
    local name=$1
    shift
    timeout -k 2 "$STEP_TIMEOUT" ip netns exec "${IKED_NS[$name]}" \
        "$IKECTL" --socket "$(iked_dir "$name")/iked.sock" "$@"
    local rc=$?
    [ "$rc" -eq 124 ] && echo "(harness: ikectl $* got no answer within $STEP_TIMEOUT s and was killed)" >&2
    return "$rc"
}

# iked_sas NAME: that iked's SAs as sasummary.py lines.
iked_sas() {
    ikectl_on "$1" list-sas --json | python3 "$SCENARIO_DIR/sasummary.py" iked
}

# iked_pins NAME: that iked's pins as sasummary.py lines ("pin ID FP [REFUSED]").
iked_pins() {
    ikectl_on "$1" pins --json | python3 "$SCENARIO_DIR/sasummary.py" pins
}

# iked_initiate NAME CONNECTION: sets OUT (ikectl's output) and RC.
iked_initiate() {
    OUT=$(ikectl_on "$1" initiate "$2" --timeout "$INITIATE_TIMEOUT" 2>&1)
    RC=$?
}

# write_config FILE: the configuration on stdin into FILE, then "iked --check"
# on it; aborts the scenario when iked rejects it.
write_config() {
    local out
    cat >"$1"
    out=$("$IKED" --check --config "$1" 2>&1) || {
        sed 's/^/        | /' "$1"
        abort "iked --check --config $1 rejects the scenario's configuration: $out"
    }
    sed "s/^/    /" <<<"$out"
}

# copy_example NAME DEST: examples/lab/NAME into DEST with its relative key paths
# made absolute (they are relative to the file's directory).
copy_example() {
    sed -E "s#^([[:space:]]*(local-key|remote-key|psk-file)[[:space:]]+)([^/[:space:]])#\1$EXAMPLES/\3#" \
        "$EXAMPLES/$1" >"$2"
}

# key_fingerprint PUBKEY-PEM: what iked prints for a key (first 8 octets of the
# SHA-256 of the DER SubjectPublicKeyInfo, hex), computed with openssl.
key_fingerprint() {
    openssl pkey -pubin -in "$1" -outform DER | sha256sum | cut -c1-16
}

# new_key FILE: "ikectl genkey --out FILE", then "ikectl pubkey" into FILE.pub;
# sets KEY_FP to the fingerprint ikectl pubkey reports (or, if it prints none,
# the one computed by key_fingerprint). Aborts the scenario when either fails.
new_key() {
    local f=$1 err
    err=$("$IKECTL" genkey --out "$f" 2>&1 >/dev/null) \
        || abort "ikectl genkey --out $f: $err"
    err=$("$IKECTL" pubkey --in "$f" --out "$f.pub" 2>&1 >/dev/null) \
        || abort "ikectl pubkey --in $f --out $f.pub: $err"
    KEY_FP=$(sed -n 's/^fingerprint[: ]*//p' <<<"$err" | head -n 1)
    [ -n "$KEY_FP" ] || KEY_FP=$(key_fingerprint "$f.pub")
}

# ---------------------------------------------------------------------------
# Comparing SA listings (lines from sasummary.py)

# sa_ike LINES CONN: the "ike" line of an IKE SA of CONN, preferring one that
# has a child SA (a failed first child can leave a bare IKE SA behind).
sa_ike() {
    awk -v c="$2" '
        $1 == "ike" && $2 == c { n++; line[n] = $0; spi[n] = $4 }
        $1 == "child" { child[$9] = 1 }
        END {
            for (i = 1; i <= n; i++) if (spi[i] in child) { print line[i]; exit }
            if (n) print line[1]
        }' <<<"$1"
}

# sa_ike_by_spi LINES SPI_I: the "ike" line with initiator SPI SPI_I.
sa_ike_by_spi() {
    awk -v s="$2" '$1 == "ike" && $4 == s { print; exit }' <<<"$1"
}

# sa_child_of LINES SPI_I: the first "child" line of the IKE SA with SPI_I.
sa_child_of() {
    awk -v s="$2" '$1 == "child" && $9 == s { print; exit }' <<<"$1"
}

# has_ike LINES CONN: status 0 when an IKE SA of CONN is listed.
has_ike() { [ -n "$(sa_ike "$1" "$2")" ]; }

# lacks_ike LISTER NAME CONN: "LISTER NAME" (swan_sas b, iked_sas A) answers and
# shows no IKE SA of CONN.
lacks_ike() {
    local s
    s=$("$1" "$2") || return 1
    ! has_ike "$s" "$3"
}

# show_lines LABEL LINES: print an SA listing indented, for failure reports.
show_lines() {
    note "$1 lists:"
    sed 's/^/        | /' <<<"${2:-(nothing)}"
}

# check_sas_agree LABEL1 LINES1 CONN1 LABEL2 LINES2 [CONN2]: side 1 has an IKE
# SA of CONN1 and side 2 the IKE SA with the same SPIs, of CONN2 (default
# CONN1); both ESTABLISHED, each with a child SA INSTALLED, one side's inbound
# SPI being the other's outbound SPI and one side's local traffic selectors the
# other's remote ones.
child_up() {
    case $1 in
        INSTALLED|NEGOTIATED) echo up ;;
        *) echo "$1" ;;
    esac
}

check_sas_agree() {
    local l1=$1 s1=$2 conn1=$3 l2=$4 s2=$5 conn2=${6:-$3}
    local i1 i2 c1 c2 n2 st1 si1 sr1 st2 sr2 cs1 in1 out1 lts1 rts1 cs2 in2 out2 lts2 rts2
    i1=$(sa_ike "$s1" "$conn1")
    if [ -z "$i1" ]; then
        fail "$l1 lists an IKE SA of '$conn1'"
        show_lines "$l1" "$s1"
        return 1
    fi
    read -r _ _ st1 si1 sr1 <<<"$i1"
    i2=$(sa_ike_by_spi "$s2" "$si1")
    if [ -z "$i2" ]; then
        fail "$l2 lists the IKE SA ${si1}_i ${sr1}_r that $l1 has for '$conn1'"
        show_lines "$l1" "$s1"
        show_lines "$l2" "$s2"
        return 1
    fi
    read -r _ n2 st2 _ sr2 <<<"$i2"
    check_eq "$l1: IKE SA '$conn1' state" ESTABLISHED "$st1"
    check_eq "$l2: IKE SA '$conn2' state" ESTABLISHED "$st2"
    check_eq "$l2: connection of IKE SA ${si1}_i" "$conn2" "$n2"
    check_eq "IKE SA '$conn1' SPIs agree ($l1 vs $l2)" "${si1}_i ${sr1}_r" "${si1}_i ${sr2}_r"

    c1=$(sa_child_of "$s1" "$si1")
    c2=$(sa_child_of "$s2" "$si1")
    if [ -z "$c1" ] || [ -z "$c2" ]; then
        fail "a child SA of IKE SA ${si1}_i is listed on both sides" \
            "($l1: ${c1:-none}; $l2: ${c2:-none})"
        return 1
    fi
    read -r _ _ _ cs1 in1 out1 lts1 rts1 _ <<<"$c1"
    read -r _ _ _ cs2 in2 out2 lts2 rts2 _ <<<"$c2"
    # strongSwan installs its child SAs (INSTALLED); iked negotiates them but has no
    # data path yet (NEGOTIATED)
    check_eq "$l1: child SA of '$conn1' is up" up "$(child_up "$cs1")"
    check_eq "$l2: child SA of '$conn2' is up" up "$(child_up "$cs2")"
    check_eq "child SA of '$conn1': $l1 inbound SPI is $l2 outbound SPI" "$in1" "$out2"
    check_eq "child SA of '$conn1': $l1 outbound SPI is $l2 inbound SPI" "$out1" "$in2"
    check_eq "child SA of '$conn1': $l1 local TS is $l2 remote TS" "$lts1" "$rts2"
    check_eq "child SA of '$conn1': $l1 remote TS is $l2 local TS" "$rts1" "$lts2"
}

# ---------------------------------------------------------------------------
# Steps shared by several scenarios. A side is named by its lister and
# instance: "swan_sas b" is strongSwan peer b, "iked_sas A" is iked instance A.

side_label() {
    case $1 in
        swan_sas) echo "strongSwan $2" ;;
        *) echo "iked $2" ;;
    esac
}

# sas_agree LISTER1 NAME1 CONN1 LISTER2 NAME2 [CONN2]: list both sides, then
# check_sas_agree.
sas_agree() {
    local s1 s2
    s1=$("$1" "$2") || fail "$(side_label "$1" "$2") answers list-sas"
    s2=$("$4" "$5") || fail "$(side_label "$4" "$5") answers list-sas"
    check_sas_agree "$(side_label "$1" "$2")" "$s1" "$3" "$(side_label "$4" "$5")" "$s2" "${6:-$3}"
}

# check_gone LISTER NAME CONN: within 5 s that side lists no IKE SA of CONN.
check_gone() {
    local label
    label=$(side_label "$1" "$2")
    if wait_until 5 lacks_ike "$1" "$2" "$3"; then
        pass "$label no longer lists '$3'"
    else
        fail "$label still lists '$3' after 5 s:"
        "$1" "$2" | sed 's/^/        | /'
    fi
}

# iked_up IKED-NAME CONN LISTER2 NAME2 [CONN2]: ikectl initiate CONN exits 0
# and both sides agree on the SAs. Status 1 when initiate failed.
iked_up() {
    local name=$1 conn=$2
    step "ikectl initiate $conn (iked $name -> $(side_label "$3" "$4"))"
    iked_initiate "$name" "$conn"
    if [ "$RC" -ne 0 ]; then
        fail "ikectl initiate $conn exits 0 (exit $RC): $OUT"
        return 1
    fi
    pass "ikectl initiate $conn exits 0"
    sas_agree iked_sas "$name" "$conn" "$3" "$4" "${5:-$conn}"
}

# iked_down IKED-NAME CONN LISTER2 NAME2 [CONN2]: ikectl terminate CONN exits 0
# and neither side lists the IKE SA afterwards.
iked_down() {
    local name=$1 conn=$2
    step "ikectl terminate $conn"
    OUT=$(ikectl_on "$name" terminate "$conn" 2>&1)
    RC=$?
    check_eq "ikectl terminate $conn exit status ($OUT)" 0 "$RC"
    check_gone "$3" "$4" "${5:-$conn}"
    check_gone iked_sas "$name" "$conn"
}

# swan_up_down PEER CONN LISTER2 NAME2: swanctl --initiate on strongSwan PEER,
# both sides agree, swanctl --terminate, neither side lists the IKE SA after.
swan_up_down() {
    local peer=$1 conn=$2
    step "swanctl --initiate --ike $conn --child $conn (strongSwan $peer -> $(side_label "$3" "$4"))"
    OUT=$(swan "$peer" --initiate --ike "$conn" --child "$conn" --timeout "$INITIATE_TIMEOUT" 2>&1)
    RC=$?
    if [ "$RC" -ne 0 ]; then
        fail "swanctl --initiate $conn exits 0 (exit $RC):"
        tail -n 15 <<<"$OUT" | sed 's/^/        | /'
        return 1
    fi
    pass "swanctl --initiate $conn exits 0"
    sas_agree swan_sas "$peer" "$conn" "$3" "$4"

    step "swanctl --terminate --ike $conn"
    OUT=$(swan "$peer" --terminate --ike "$conn" --timeout "$INITIATE_TIMEOUT" 2>&1)
    check_eq "swanctl --terminate --ike $conn exit status" 0 "$?"
    check_gone "$3" "$4" "$conn"
    check_gone swan_sas "$peer" "$conn"
}
