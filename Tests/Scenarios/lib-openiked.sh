# shellcheck shell=bash
# lib-openiked.sh - OpenIKED 7.2 as a scenario peer; source it after lib.sh.
#
# OpenIKED runs in namespace ikeB (10.99.0.2) with the shared lab's PF_KEY
# emulation (../shared/interop/openiked/fake-pfkey.c, LD_PRELOAD): IKE exchanges
# are real, nothing reaches the kernel. Like the shared start-iked.sh, but with
# the keys a scenario chooses: OpenIKED reads its keys only from /etc/iked, so
# each start builds $WORK/openiked/etc-iked (own key, peer keys under
# pubkeys/fqdn/<ID>) and bind-mounts it over /etc/iked in a private mount
# namespace of that OpenIKED process only. The real /etc/iked is not touched.
#
#   oi_begin                      after scenario_begin: prerequisites, build the
#                                 shim, stop OpenIKED in the clean-up, dump its log
#   oi_start CONFIG KEY [ID PUB]...  start OpenIKED with CONFIG (copied, mode
#                                 600), own private key KEY, and each peer ID's
#                                 public key PUB in pubkeys/fqdn/ID
#   oi_stop                       SIGTERM, SIGKILL after 5 s
#   oi_newlog                     OpenIKED's log lines since the last oi_start
#   oi_log_has REGEX, oi_wait_log SECONDS REGEX   grep -E in those lines
#   oi_show_sa                    "ikectl show sa" of OpenIKED (its own ikectl)
#   oi_sas CONN                   the same as "ike"/"child" lines like sasummary.py,
#                                 so check_sas_agree/sas_agree work ("oi_sas" lister)
# The PF_KEY emulation is the shared fake-pfkey.c plus a poll() hook written
# here (oi_write_poll_hook: OpenIKED allows a PF_KEY reply 1 ms).
#
# Files: $OI_DIR/iked.conf, etc-iked/, run/iked.sock, log/iked.log (appended,
# with "=== harness:" lines at each start and stop).

OI_SHARED=$LAB/openiked
OI_IKED=/usr/sbin/iked
OI_IKECTL=/usr/sbin/ikectl
OI_DIR=""
OI_PID=""
OI_MARK=0

oi_begin() {
    local p
    for p in "$OI_IKED" "$OI_IKECTL"; do
        [ -x "$p" ] || { echo "no OpenIKED ($p): scripts/install-deps.sh --lab" >&2; exit 2; }
    done
    command -v gcc >/dev/null \
        || { echo "gcc is needed for the PF_KEY emulation: scripts/install-deps.sh --lab" >&2; exit 2; }
    command -v unshare >/dev/null || { echo "unshare (util-linux) is needed" >&2; exit 2; }
    [ -f "$OI_SHARED/fake-pfkey.c" ] \
        || { echo "no $OI_SHARED/fake-pfkey.c (set LATCHKEY_SHARED)" >&2; exit 2; }
    [ -d /etc/iked ] || { echo "/etc/iked is missing (reinstall openiked)" >&2; exit 2; }
    OI_DIR=$WORK/openiked
    mkdir -p "$OI_DIR/run" "$OI_DIR/log"
    oi_write_poll_hook >"$OI_DIR/pfkey-poll.c"
    local err
    err=$(gcc -Wall -O2 -shared -fPIC -o "$OI_DIR/fake-pfkey.so" "$OI_SHARED/fake-pfkey.c" \
        "$OI_DIR/pfkey-poll.c" -ldl -lpthread 2>&1) || abort "building the PF_KEY emulation failed: $err"
    # lib.sh's clean-up stops iked and charon, removes the namespaces and the
    # work directory; OpenIKED must be stopped (and its log shown) before that.
    eval "lib_cleanup() $(declare -f cleanup | tail -n +2)"
    cleanup() {
        local rc=$?
        trap '' PIPE
        oi_stop >/dev/null 2>&1
        if { [ "$FAILED" -gt 0 ] || [ "$rc" -ne 0 ]; } && [ -s "$OI_DIR/log/iked.log" ]; then
            echo "----- openiked/log/iked.log (last $LOG_LINES lines)"
            tail -n "$LOG_LINES" "$OI_DIR/log/iked.log"
        fi
        (exit "$rc")
        lib_cleanup
    }
    note "OpenIKED $(dpkg-query -W -f='${Version}' openiked 2>/dev/null) with the PF_KEY emulation ($OI_DIR)"
}

# oi_write_poll_hook: C source added to the shared fake-pfkey.c. OpenIKED waits
# for each PF_KEY reply with poll(fd, 1, PFKEY_REPLY_TIMEOUT / 1000), i.e. 1 ms,
# and gives up the exchange when it expires ("pfkey_reply: no reply from
# PF_KEY", then "failed to send ike auth" and no retransmission). The emulation
# answers from a thread of OpenIKED's parent process, which misses 1 ms on a
# loaded machine (seen during a parallel "swift build"). The emulated PF_KEY
# socket is the only AF_UNIX SOCK_SEQPACKET socket OpenIKED has (its imsg and
# control sockets are SOCK_STREAM), so a short poll on one such socket gets 2 s.
oi_write_poll_hook() {
    cat <<'EOC'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	static int (*real_poll)(struct pollfd *, nfds_t, int);
	int domain = 0, type = 0;
	socklen_t len = sizeof(int);

	if (real_poll == NULL)
		real_poll = (int (*)(struct pollfd *, nfds_t, int))dlsym(RTLD_NEXT, "poll");
	if (nfds == 1 && timeout >= 0 && timeout < 100 &&
	    getsockopt(fds[0].fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 && domain == AF_UNIX &&
	    (len = sizeof(int), getsockopt(fds[0].fd, SOL_SOCKET, SO_TYPE, &type, &len)) == 0 &&
	    type == SOCK_SEQPACKET)
		timeout = 2000;
	return real_poll(fds, nfds, timeout);
}
EOC
}

# oi_start CONFIG KEY [ID PUB]...: status 1 (reason printed) if it does not come up
# within 10 s.
oi_start() {
    local conf=$1 key=$2
    shift 2
    oi_stop
    local etc=$OI_DIR/etc-iked
    rm -rf "$etc"
    mkdir -p "$etc"/{ca,certs,crls,private,pubkeys/fqdn,pubkeys/ipv4,pubkeys/ipv6,pubkeys/ufqdn}
    chmod 700 "$etc/private"
    install -m 600 "$key" "$etc/private/local.key"
    openssl pkey -in "$key" -pubout -out "$etc/local.pub" 2>/dev/null \
        || { note "openssl cannot read OpenIKED's key $key"; return 1; }
    while [ $# -ge 2 ]; do
        install -m 644 "$2" "$etc/pubkeys/fqdn/$1"
        shift 2
    done
    install -m 600 "$conf" "$OI_DIR/iked.conf"
    local out
    out=$("$OI_IKED" -n -f "$OI_DIR/iked.conf" 2>&1) || {
        sed 's/^/        | /' "$OI_DIR/iked.conf"
        note "OpenIKED rejects its configuration: $out"
        return 1
    }
    rm -f "$OI_DIR/run/iked.sock"
    echo "=== $(date +%T) harness: OpenIKED -f $conf, key $(basename "$key")" >>"$OI_DIR/log/iked.log"
    OI_MARK=$(wc -l <"$OI_DIR/log/iked.log")
    # ip netns exec, unshare, sh and env all exec: $! is OpenIKED's parent process
    ip netns exec "$NS_B" unshare --mount --propagation private sh -c \
        'mount --bind "$1/etc-iked" /etc/iked && exec env LD_PRELOAD="$1/fake-pfkey.so" "$2" -dvv -f "$1/iked.conf" -s "$1/run/iked.sock"' \
        sh "$OI_DIR" "$OI_IKED" >>"$OI_DIR/log/iked.log" 2>&1 </dev/null &
    OI_PID=$!
    if wait_until 10 eval 'oi_log_has "fake-pfkey: REGISTER satype 2" || ! alive $OI_PID'; then
        if alive "$OI_PID"; then
            note "OpenIKED running in $NS_B, PID $OI_PID"
            return 0
        fi
    fi
    note "OpenIKED did not come up; its last log lines:"
    oi_newlog | tail -n 15 | sed 's/^/        | /'
    oi_stop
    return 1
}

oi_stop() {
    local pid=$OI_PID
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    wait_until 5 eval "! alive $pid" || kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    OI_PID=""
    echo "=== $(date +%T) harness: OpenIKED stopped" >>"$OI_DIR/log/iked.log"
}

oi_newlog() {
    tail -n +"$((OI_MARK + 1))" "$OI_DIR/log/iked.log"
}

# oi_log_has REGEX: OpenIKED's log lines since the last start match REGEX (grep -E).
# (No grep -q: with pipefail, tail killed by SIGPIPE would fail the pipeline.)
oi_log_has() {
    oi_newlog | grep -E -- "$1" >/dev/null
}

# oi_wait_log SECONDS REGEX: oi_log_has REGEX within SECONDS.
oi_wait_log() {
    wait_until "$1" oi_log_has "$2"
}

oi_show_sa() {
    timeout -k 2 "$STEP_TIMEOUT" "$OI_IKECTL" -s "$OI_DIR/run/iked.sock" show sa
}

# oi_sas CONN: OpenIKED's SAs ("ikectl show sa") as sasummary.py lines, each
# named CONN (show sa has no policy names):
#   ike   CONN STATE SPI_I SPI_R
#   child CONN CONN STATE SPI_IN SPI_OUT LOCAL_TS REMOTE_TS IKE_SPI_I
# A child SA pair is "INSTALLED" when both halves are loaded (flag L) into the
# (emulated) kernel; its selectors are those of the inbound flow (remote -> local).
oi_sas() {
    local out
    out=$(oi_show_sa) || return 1
    awk -v conn="$1" '
        function hex(s, n) { sub(/^0x/, "", s); s = tolower(s); while (length(s) < n) s = "0" s; return s }
        function flush() {
            if (ike == "") return
            if (cin != "" || cout != "")
                print "child", conn, conn, state, (cin == "" ? "-" : cin), (cout == "" ? "-" : cout), lts, rts, ike
        }
        $1 == "iked_sas:" {
            flush()
            for (i = 2; i < NF; i++) {
                if ($i == "rspi") r = hex($(i + 1), 16)
                if ($i == "ispi") ike = hex($(i + 1), 16)
            }
            st = ""
            for (i = 2; i <= NF; i++) if ($i ~ /^[A-Z_]+$/ && $i != "ESP") { st = $i; break }
            print "ike", conn, st, ike, r
            cin = ""; cout = ""; lts = "-"; rts = "-"; state = "INSTALLED"
            next
        }
        $1 == "sa_childsas:" && ike != "" {
            # sa_childsas: 0x.. ESP 0xSPI in|out SRC -> DST (FLAGS) ...
            if ($9 !~ /L/) state = "NOT-LOADED"
            if ($5 == "in" && cin == "") cin = hex($4, 8)
            if ($5 == "out" && cout == "") cout = hex($4, 8)
            next
        }
        $1 == "sa_flows:" && ike != "" && $4 == "in" && lts == "-" {
            # sa_flows: 0x.. ESP in SRC -> DST [..]
            rts = $5; lts = $7
            next
        }
        END { flush() }' <<<"$out"
}

# lib.sh's side_label, knowing oi_sas ("OpenIKED") as a lister too
eval "lib_side_label() $(declare -f side_label | tail -n +2)"
side_label() {
    case $1 in
        oi_sas) echo "OpenIKED" ;;
        *) lib_side_label "$@" ;;
    esac
}
